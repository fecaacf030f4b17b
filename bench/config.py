"""Where the benchmark runs: its settings from the environment, the paths it writes, and how
it runs ``manage.py`` against the benchmark database."""

import datetime
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FULL_SIZE = 1_000_000


def log(message: str) -> None:
    # UTC: once Django is set up, the process time zone is the admin's (TIME_ZONE).
    print(f"[bench {datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


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
