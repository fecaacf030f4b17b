"""The benchmark, step by step (``python -m bench``; ``make bench``).

1. Database: ``BENCH_DATABASE_URL``, else the server of ``DATABASE_URL`` (when it is PostgreSQL,
   else the local one) with its own database ``crm_bench_1m``; created and migrated if needed.
2. Dataset: generated once with ``generate_demo_data --fast-load`` (COPY) and vacuumed; reused
   while it holds at least the planned number of accounts.
3. Query counts: each request through Django's test client (in this process), page size 10
   and 100, counting every SQL statement (authentication included).
4. Latency: the production server (gunicorn with ``crm_project/gunicorn.conf.py``, DEBUG off,
   Redis cache) on loopback; sequential requests after a warm-up; p50 and p95.
5. The floor: the same account page (count + rows) with psycopg and orjson in this process.
6. Analytics uncached (cache time 0) and cached (shared Redis cache).
7. Load: locust headless, 50 users, 2 minutes, reads and writes; writes checked in the DB.
8. ``docs/PERFORMANCE.md`` (or ``bench/out/`` for a dataset of another size).

Environment: ``BENCH_ACCOUNTS`` (1000000), ``BENCH_PORT`` (a free one), ``BENCH_QUICK=1`` (fewer
samples and a 20 s load test: to try the harness on a small dataset), ``BENCH_REDIS_URL``
(redis://127.0.0.1:6379/9), ``BENCH_LOAD_SECONDS`` (120), ``BENCH_LOAD_USERS`` (50).
"""

import datetime
import json
import math
import os
import platform
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FULL_SIZE = 1_000_000


def log(message: str) -> None:
    # UTC: once Django is set up, the process time zone is the admin's (TIME_ZONE).
    print(f"[bench {datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


# --- configuration --------------------------------------------------------------------------------


@dataclass
class Config:
    accounts: int
    database_url: str
    port: int
    quick: bool
    redis_url: str
    load_seconds: int
    load_users: int
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(60))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def report_path(self) -> Path:
        if self.accounts == FULL_SIZE and not self.quick:
            return ROOT / "docs" / "PERFORMANCE.md"
        return OUT / f"PERFORMANCE-{self.accounts}{'-quick' if self.quick else ''}.md"

    @classmethod
    def from_env(cls) -> "Config":
        accounts = int(os.environ.get("BENCH_ACCOUNTS", FULL_SIZE))
        name = "crm_bench_1m" if accounts == FULL_SIZE else f"crm_bench_{accounts}"
        url = os.environ.get("BENCH_DATABASE_URL")
        if not url:
            base = os.environ.get("DATABASE_URL", "")
            if not base.startswith(("postgres://", "postgresql://")):
                base = "postgres://postgres@127.0.0.1:5432/postgres"
            url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
        quick = os.environ.get("BENCH_QUICK") == "1"
        return cls(
            accounts=accounts,
            database_url=url,
            port=int(os.environ.get("BENCH_PORT") or free_port()),
            quick=quick,
            redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
            load_seconds=int(os.environ.get("BENCH_LOAD_SECONDS", "20" if quick else "120")),
            load_users=int(os.environ.get("BENCH_LOAD_USERS", "50")),
        )

    def django_env(self, **extra) -> dict[str, str]:
        """The environment of manage.py commands and of the server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_SECRET_KEY=self.secret_key,
            JWT_ACCESS_MINUTES="240",
            # One client sends thousands of requests a minute here: the limits are raised, not
            # removed, so every request still pays for its throttle check in Redis.
            THROTTLE_USER_RATE="1000000/min",
            THROTTLE_ANON_RATE="1000000/min",
        )
        env.update(extra)
        return env

    def server_env(self, *, analytics_cache_seconds: int) -> dict[str, str]:
        return self.django_env(
            DJANGO_DEBUG="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            REDIS_URL=self.redis_url,
            ANALYTICS_CACHE_SECONDS=str(analytics_cache_seconds),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            # One structured line per request would fill the log with ~100k lines.
            ACCESS_LOG_LEVEL="WARNING",
        )


def free_port() -> int:
    """A loopback port nobody listens on (a fixed one may be taken by another server)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(config: Config, *args: str, timeout: int = 3600, **extra) -> None:
    subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=config.django_env(**extra),
        check=True,
        timeout=timeout,
    )


# --- database and dataset -------------------------------------------------------------------------


def ensure_database(config: Config) -> None:
    import psycopg

    parts = urlsplit(config.database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_dataset(config: Config) -> dict:
    import psycopg

    log("migrating the benchmark database")
    manage(config, "migrate", "--noinput", "-v0")
    with psycopg.connect(config.database_url, autocommit=True) as conn:
        accounts = conn.execute("SELECT count(*) FROM accounts_account").fetchone()[0]
    generated = None
    if accounts < config.accounts:
        if accounts:
            raise SystemExit(
                f"The benchmark database holds {accounts} accounts, fewer than the "
                f"{config.accounts} planned (an interrupted generation?). Drop it and rerun: "
                f"dropdb {urlsplit(config.database_url).path.lstrip('/')}"
            )
        log(f"generating {config.accounts:,} accounts and their records (once; minutes)")
        started = time.perf_counter()
        manage(
            config,
            "generate_demo_data",
            "--accounts",
            str(config.accounts),
            "--seed",
            "1",
            "--fast-load",
            "--no-progress",
            timeout=4 * 3600,
        )
        generated = time.perf_counter() - started
        log(f"generated in {generated:.0f} s; vacuuming")
        with psycopg.connect(config.database_url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    else:
        log(f"reusing the dataset ({accounts:,} accounts)")
    return {"generated_seconds": generated}


def dataset_counts(config: Config) -> dict[str, int]:
    import psycopg

    tables = {
        "accounts": "accounts_account",
        "contacts": "contacts_contact",
        "activities": "activities_activity",
        "cases": "cases_case",
        "leads": "sales_lead",
        "opportunities": "sales_opportunity",
        "campaigns": "campaigns_campaign",
    }
    with psycopg.connect(config.database_url) as conn:
        return {
            name: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for name, table in tables.items()
        }


def static_files_current() -> bool:
    """Whether ``collectstatic`` output is newer than every source of static files (the apps'
    ``static/`` folders, and the installed packages, which change with requirements.txt):
    compressing them all again takes a minute or more on two busy cores."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / "requirements.txt", *ROOT.glob("*/static/**/*")]
    newest = max(path.stat().st_mtime for path in sources if path.is_file())
    return manifest.stat().st_mtime > newest


# --- the server -----------------------------------------------------------------------------------


class Server:
    """gunicorn with the project's configuration, as ``make serve`` starts it."""

    def __init__(self, config: Config, *, analytics_cache_seconds: int, token: str):
        self.config = config
        self.cache_seconds = analytics_cache_seconds
        self.token = token
        self.process = None
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / "gunicorn.log"

    def __enter__(self):
        env = self.config.server_env(analytics_cache_seconds=self.cache_seconds)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log_path.open("a") as log_file:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                [str(gunicorn), "-c", "crm_project/gunicorn.conf.py", "crm_project.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                status, _body, _ms = get(self.config, "/api/v1/auth/me", self.token)
                if status == 200:
                    log(f"gunicorn up (analytics cache {self.cache_seconds} s)")
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit("gunicorn did not answer within 90 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __exit__(self, *exc):
        self.stop()


def get(config: Config, path: str, token: str) -> tuple[int, bytes, float]:
    """One GET as a client behind the TLS proxy would send it; (status, body, milliseconds)."""
    import http.client

    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", config.port, timeout=60)
    try:
        conn.request(
            "GET",
            path,
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
        )
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, body, (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Timing:
    p50: float
    p95: float
    samples: int
    size: int


def measure(config: Config, path: str, token: str, *, samples: int, budget: float) -> Timing:
    """Sequential GETs after a warm-up, until ``samples`` or ``budget`` seconds (20 at least)."""
    for _ in range(3 if config.quick else 5):
        _check(path, *get(config, path, token)[:2])
    times: list[float] = []
    started = time.monotonic()
    size = 0
    while len(times) < samples and (time.monotonic() - started < budget or len(times) < 20):
        status, body, ms = get(config, path, token)
        _check(path, status, body)
        times.append(ms)
        size = len(body)
    return Timing(percentile(times, 0.5), percentile(times, 0.95), len(times), size)


def _check(path: str, status: int, body: bytes) -> None:
    if status != 200 or json.loads(body).get("code") != 200:
        raise SystemExit(f"GET {path} answered {status}: {body[:500]!r}")


# --- what is measured -----------------------------------------------------------------------------


@dataclass
class Probe:
    """One request of the issue's list."""

    key: str
    label: str
    path: str
    params: dict
    kind: str  # list, detail, analytics
    p95_target_ms: float | None = None
    user: str = "bench_admin"  # or "demo_sales_1": a sales rep who sees only their records

    def url(self, **extra) -> str:
        params = {**self.params, **extra}
        return self.path + (f"?{urlencode(params)}" if params else "")


def probes(samples: dict) -> list[Probe]:
    crm = "/api/v1/crm"
    today = datetime.date.fromisoformat(samples["today"])
    month_ago = today - datetime.timedelta(days=30)
    lists = [
        Probe("accounts", "account list, default order", f"{crm}/accounts", {}, "list", 100),
        Probe(
            "accounts_name",
            f"account list, name substring `{samples['name_term']}`",
            f"{crm}/accounts",
            {"name": samples["name_term"]},
            "list",
            50,
        ),
        Probe(
            "accounts_name_short",
            f"account list, 2-character name substring `{samples['short_term']}`",
            f"{crm}/accounts",
            {"name": samples["short_term"]},
            "list",
        ),
        Probe(
            "accounts_status_industry",
            "account list, status + industry",
            f"{crm}/accounts",
            {"status": "active", "industry": "制造业"},
            "list",
        ),
        Probe(
            "account_detail",
            "account detail (with contacts)",
            f"{crm}/accounts/{samples['account_id']}",
            {},
            "detail",
        ),
        Probe(
            "contacts_by_account",
            "contact list by account",
            f"{crm}/contacts",
            {"accountId": samples["account_id"]},
            "list",
        ),
        Probe(
            "activities_by_date",
            "activity list by date range (30 days)",
            f"{crm}/activities",
            {"startDate": month_ago.isoformat(), "endDate": today.isoformat()},
            "list",
        ),
        Probe(
            "cases_by_status",
            "case list by status",
            f"{crm}/cases",
            {"status": "in_progress"},
            "list",
        ),
        Probe(
            "accounts_rep",
            "account list as a sales rep (own accounts only)",
            f"{crm}/accounts",
            {},
            "list",
            user=REP,
        ),
        Probe(
            "opportunities_by_amount",
            "opportunity list by amount range",
            f"{crm}/opportunities",
            {"estimatedAmountMin": "100000", "estimatedAmountMax": "200000"},
            "list",
        ),
    ]
    analytics = [
        Probe("overview", "analytics overview (all time)", f"{crm}/analytics/overview", {}, ""),
        Probe(
            "overview_month",
            "analytics overview (this month)",
            f"{crm}/analytics/overview",
            {"period": "month"},
            "",
        ),
        *[
            Probe(
                f"trends_{metric}",
                f"analytics trends, {metric} by month",
                f"{crm}/analytics/trends",
                {"metric": metric},
                "",
            )
            for metric in ("customers", "opportunities", "revenue", "activities")
        ],
        *[
            Probe(
                f"segmentation_{by}",
                f"analytics segmentation by {by}",
                f"{crm}/analytics/segmentation",
                {"segmentBy": by},
                "",
            )
            for by in ("industry", "region", "size", "loyalty")
        ],
        Probe("loyalty", "analytics loyalty", f"{crm}/analytics/loyalty", {}, ""),
        Probe(
            "overview_rep",
            "analytics overview (all time) as a sales rep",
            f"{crm}/analytics/overview",
            {},
            "",
            user=REP,
        ),
        Probe(
            "campaign_analytics",
            "campaign analytics",
            f"{crm}/campaigns/{samples['campaign_id']}/analytics",
            {},
            "",
        ),
    ]
    for probe in analytics:
        probe.kind = "analytics"
        probe.p95_target_ms = 300
    return lists + analytics


# --- in-process work (Django configured for the benchmark database) -------------------------------


def setup_django(config: Config) -> None:
    # The requests counted in this process would each write an access-log line.
    os.environ.update(config.django_env(ANALYTICS_CACHE_SECONDS="0", ACCESS_LOG_LEVEL="WARNING"))
    os.environ.pop("REDIS_URL", None)  # the in-process cache is local memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


REP = "demo_sales_1"
REP_PERMISSIONS = [
    ("accounts", "view_account"),
    ("contacts", "view_contact"),
    ("activities", "view_activity"),
    ("cases", "view_case"),
    ("sales", "view_lead"),
    ("sales", "view_opportunity"),
    ("campaigns", "view_campaign"),
    ("analytics", "view_analytics"),
]


def bench_users() -> dict:
    """The users the benchmark acts as: a superuser (sees everything), a load user, and one of
    the demo owners as a sales rep who may read everything but sees only their own records."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from rest_framework_simplejwt.tokens import AccessToken

    user_model = get_user_model()
    users = {}
    for username in ("bench_admin", "bench_load"):
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_superuser": True, "is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
        users[username] = {"id": user.pk, "token": str(AccessToken.for_user(user))}
    rep = user_model.objects.get(username=REP)
    rep.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in REP_PERMISSIONS
        ]
    )
    users[REP] = {"id": rep.pk, "token": str(AccessToken.for_user(rep))}
    return users


def pick_samples() -> dict:
    """Ids and values the requests use: an established account, a busy campaign, search terms."""
    from django.db.models import Count

    from accounts.models import Account
    from campaigns.models import Campaign

    account = Account.objects.order_by("-created_at", "-id")[1000]
    campaign = (
        Campaign.objects.annotate(deals=Count("opportunities"))
        .order_by("-deals", "id")
        .values("id")
        .first()
    )
    # A brand plus an industry word, as a user types part of a company name.
    return {
        "account_id": str(account.pk),
        "campaign_id": str(campaign["id"]),
        "name_term": "华信科技",
        "short_term": "华信",
        "today": datetime.datetime.now(datetime.UTC).date().isoformat(),
    }


def count_queries(probe: Probe, token: str) -> dict:
    """SQL statements of the request at page size 10 and 100 (lists), through Django."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    counts = {}
    variants = {"10": {}, "100": {"pageSize": 100}} if probe.kind == "list" else {"": {}}
    for name, extra in variants.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(probe.url(**extra))
        if response.status_code != 200:
            raise SystemExit(f"{probe.url()} answered {response.status_code}: {response.content!r}")
        counts[name] = len(queries.captured_queries)
    return counts


def explain_name_search(term: str) -> str:
    """The plan PostgreSQL runs for the name filter's count, as the API builds it."""
    from django.db import connection

    from accounts.filters import AccountFilterSet
    from accounts.models import Account

    queryset = AccountFilterSet({"name": term}, queryset=Account.objects.all()).qs
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM ({sql}) AS q", params)  # noqa: S608
        return "\n".join(row[0] for row in cursor.fetchall())


def load_samples(config: Config, users: dict, samples: dict) -> Path:
    """What the locust users need: tokens, account ids to read and to update, dates."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM accounts_account TABLESAMPLE SYSTEM (2) REPEATABLE (1) "
            "WHERE deleted_at IS NULL LIMIT 20000"
        )
        account_ids = [str(row[0]) for row in cursor.fetchall()]
    path = OUT / "load_input.json"
    path.write_text(
        json.dumps(
            {
                "token": users["bench_load"]["token"],
                "account_ids": account_ids,
                "today": samples["today"],
                "name_term": samples["name_term"],
            }
        )
    )
    return path


def verify_writes(path: Path) -> dict:
    """Every write the load test saw succeed, looked up in the database."""
    from accounts.models import Account
    from activities.models import Activity

    writes = json.loads(path.read_text())
    created = dict(writes["created_accounts"])
    found = dict(Account.objects.filter(pk__in=created).values_list("id", "name"))
    ok_created = sum(1 for pk, name in created.items() if found.get(_uuid(pk)) == name)
    updated = dict(writes["updated_accounts"])
    found = dict(Account.objects.filter(pk__in=updated).values_list("id", "remarks"))
    ok_updated = sum(1 for pk, remarks in updated.items() if found.get(_uuid(pk)) == remarks)
    activities = dict(writes["created_activities"])
    found = dict(Activity.objects.filter(pk__in=activities).values_list("id", "subject"))
    ok_activities = sum(1 for pk, subject in activities.items() if found.get(_uuid(pk)) == subject)
    return {
        "accounts created": (ok_created, len(created)),
        "accounts updated": (ok_updated, len(updated)),
        "activities created": (ok_activities, len(activities)),
    }


def _uuid(value: str):
    import uuid

    return uuid.UUID(value)


def run_load(config: Config, input_path: Path) -> dict:
    writes_path = OUT / "load_writes.json"
    writes_path.unlink(missing_ok=True)
    prefix = OUT / "locust"
    locust = Path(sys.executable).with_name("locust")
    env = {**os.environ, "BENCH_LOAD_INPUT": str(input_path), "BENCH_WRITES": str(writes_path)}
    command = [
        str(locust),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(config.load_users),
        "--spawn-rate",
        "10",
        "--run-time",
        f"{config.load_seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        config.base_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    log(f"load test: {config.load_users} users for {config.load_seconds} s")
    result = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, timeout=config.load_seconds + 180, check=False
    )
    stats = _locust_stats(prefix.with_name("locust_stats.csv"))
    stats["exit_code"] = result.returncode
    stats["writes_path"] = writes_path
    return stats


def _locust_stats(path: Path) -> dict:
    import csv

    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    by_name = {}
    for row in rows:
        by_name[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
        }
    return {"total": by_name.pop("Aggregated"), "by_name": by_name}


# --- machine --------------------------------------------------------------------------------------


def machine(config: Config) -> dict:
    import psycopg

    memory_kib = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    model = platform.processor() or "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(config.database_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit")
        }
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": version,
        "pg_settings": settings,
        "load_average": os.getloadavg(),
    }


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    from bench import floor, report

    config = Config.from_env()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / ".gitignore").write_text("# Logs and scratch files of the last run.\n*\n")
    started = time.perf_counter()
    log(f"database {urlsplit(config.database_url).path.lstrip('/')}, {config.accounts:,} accounts")
    ensure_database(config)
    generation = ensure_dataset(config)
    setup_django(config)
    users = bench_users()
    samples = pick_samples()
    probe_list = probes(samples)
    admin_token = users["bench_admin"]["token"]
    if static_files_current():
        log("static files already collected")
    else:
        log("collecting static files for the production server")
        manage(config, "collectstatic", "--noinput", "-v0", DJANGO_DEBUG="0",
               DJANGO_ALLOWED_HOSTS="127.0.0.1")  # fmt: skip

    results: dict = {
        "config": config,
        "machine_before": machine(config),
        "counts": dataset_counts(config),
        "generation": generation,
        "samples": samples,
        "probes": probe_list,
        "queries": {},
        "uncached": {},
        "cached": {},
    }

    log("counting SQL queries per request")
    for probe in probe_list:
        results["queries"][probe.key] = count_queries(probe, users[probe.user]["token"])
    results["explain"] = explain_name_search(samples["name_term"])
    results["explain_short"] = explain_name_search(samples["short_term"])

    list_samples, list_budget = (40, 5) if config.quick else (200, 20)
    analytics_samples, analytics_budget = (10, 5) if config.quick else (40, 30)
    with Server(config, analytics_cache_seconds=0, token=admin_token):
        for probe in probe_list:
            many = probe.kind != "analytics"
            timing = measure(
                config,
                probe.url(),
                users[probe.user]["token"],
                samples=list_samples if many else analytics_samples,
                budget=list_budget if many else analytics_budget,
            )
            results["uncached"][probe.key] = timing
            log(f"{probe.label}: p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms")
    log("the psycopg + orjson floor")
    results["loads"] = [("after the uncached requests", os.getloadavg())]
    results["floor"] = floor.measure(config.database_url, samples=200 if not config.quick else 50)

    with Server(config, analytics_cache_seconds=60, token=admin_token):
        for probe in probe_list:
            if probe.kind != "analytics":
                continue
            timing = measure(
                config, probe.url(), users[probe.user]["token"], samples=200, budget=10
            )
            results["cached"][probe.key] = timing
            log(f"{probe.label} (cached): p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms")
        input_path = load_samples(config, users, samples)
        results["loads"].append(("after the cached analytics", os.getloadavg()))
        results["load"] = run_load(config, input_path)
        results["loads"].append(("at the end of the load test", os.getloadavg()))
    results["load"]["verified"] = verify_writes(results["load"]["writes_path"])
    results["machine_after"] = machine(config)
    results["elapsed"] = time.perf_counter() - started
    results["measured_at"] = datetime.datetime.now(datetime.UTC)
    report.save(results, OUT / "results.pickle")
    path = report.write(results, config.report_path)
    log(f"wrote {path.relative_to(ROOT)} in {results['elapsed'] / 60:.1f} min")
