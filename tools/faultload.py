"""Fault load: ~30 users write and read through the production stack while it is broken.

Starts, on loopback only and all private to this run: a PostgreSQL cluster (initdb in a temp
dir), a redis-server, and gunicorn behind nginx as ``make serve`` runs them (gunicorn alone
with --no-nginx or when nginx is missing). Users create accounts with an Idempotency-Key,
read them back and update them; meanwhile PostgreSQL is restarted (fast shutdown), Redis is
stopped for 10 s, a gunicorn worker is killed with SIGKILL and PostgreSQL is crashed
(immediate shutdown) and started again. A client whose request failed retries it with the
same key (or the same update), as a real client should.

Every acknowledged write (a 200) goes into a ledger; at the end the ledger is checked against
the database: every acknowledged account must exist once (no duplicate from a retried key) and
hold its last acknowledged update, or a later one still being retried when the run ended.

    python tools/faultload.py                  # 30 users, 60 s of load
    python tools/faultload.py --users 10 --duration 30 --no-throttle

``--no-throttle`` serves with DRF's throttles off (tools/faultload_settings.py), to tell
failures of the throttle from the rest. Exit status 1 if an acknowledged write is missing.
"""

import argparse
import collections
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.processes import Gunicorn, PostgresCluster, RedisServer, serving_stack  # noqa: E402

ACCOUNTS = "/api/v1/crm/accounts"
RETRY_STATUSES = {409, 429, 500, 502, 503, 504}


class Ledger:
    """What the clients saw: request counts by status, and every acknowledged write."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.phase = "no fault"  # what the fault thread is doing now
        self.by_phase = collections.defaultdict(collections.Counter)
        self.created = {}  # account id -> name
        self.updates = {}  # account id -> (last acknowledged address, [addresses tried since])
        self.replays = 0
        self.gave_up = collections.Counter()

    def count(self, status):
        with self.lock:
            self.statuses[status] += 1
            self.by_phase[self.phase][status] += 1


class Client:
    def __init__(self, port: int, token: str, ledger: Ledger, deadline: float):
        self.port, self.token, self.ledger, self.deadline = port, token, ledger, deadline

    def call(self, method, path, body=None, headers=None):
        sent = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            payload = None if body is None else json.dumps(body).encode()
            connection.request(method, path, body=payload, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            data = response.read()
        except OSError as exc:  # refused, reset, timed out: the server never answered
            self.ledger.count(f"no answer ({type(exc).__name__})")
            return None, {}, None
        finally:
            connection.close()
        self.ledger.count(response.status)
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = {"not json": data[:200].decode("latin-1")}
        return response.status, dict(response.getheaders()), parsed

    def until_answered(self, method, path, body, headers=None):
        """Send, and resend the very same request while it fails for a reason worth a retry,
        until the retry deadline; the final answer or None."""
        pause = 0.3
        while True:
            status, answered, parsed = self.call(method, path, body, headers)
            if status is not None and status not in RETRY_STATUSES:
                return status, answered, parsed
            if time.monotonic() > self.deadline:
                return None, {}, None
            time.sleep(pause)
            pause = min(pause * 1.5, 2.0)

    def create(self, user: int, serial: int):
        name = f"fl-{user}-{serial}-{uuid.uuid4().hex[:8]}"
        key = {"Idempotency-Key": uuid.uuid4().hex}
        status, headers, body = self.until_answered("POST", ACCOUNTS, {"name": name}, key)
        if status != 200:
            with self.ledger.lock:
                self.ledger.gave_up[f"create: {status}"] += 1
            return None
        account_id = body["data"]["id"]
        with self.ledger.lock:
            self.ledger.created[account_id] = name
            self.ledger.updates[account_id] = (None, [])
            self.ledger.replays += headers.get("Idempotent-Replayed") == "true"
        return account_id

    def update(self, account_id: str, serial: int):
        address = f"addr-{serial}-{uuid.uuid4().hex[:6]}"
        with self.ledger.lock:
            acknowledged, tried = self.ledger.updates[account_id]
            self.ledger.updates[account_id] = (acknowledged, [*tried, address])
        status, _headers, _body = self.until_answered(
            "PUT", f"{ACCOUNTS}/{account_id}", {"address": address}
        )
        if status == 200:
            with self.ledger.lock:
                self.ledger.updates[account_id] = (address, [])
        else:
            with self.ledger.lock:
                self.ledger.gave_up[f"update: {status}"] += 1


def user_loop(client: Client, user: int, stop_at: float):
    mine = []
    serial = 0
    while time.monotonic() < stop_at:
        serial += 1
        account_id = client.create(user, serial)
        if account_id:
            mine.append(account_id)
        if mine:
            target = random.choice(mine)  # noqa: S311 (load mix, not security)
            client.call("GET", f"{ACCOUNTS}/{target}")
            client.call("GET", f"{ACCOUNTS}?pageSize=10")
            client.update(target, serial)
        time.sleep(random.uniform(0.05, 0.3))  # noqa: S311


def run_faults(postgres, redis, app, ledger, start, duration, log):
    def at(fraction):
        time.sleep(max(0.0, start + duration * fraction - time.monotonic()))

    def phase(name):
        ledger.phase = name
        log.append(f"{time.monotonic() - start:6.1f} s  {name}")

    at(0.15)
    phase("PostgreSQL restart (fast shutdown, 2 s down)")
    postgres.stop()
    time.sleep(2)
    postgres.start()
    phase("no fault")
    at(0.35)
    phase("Redis stopped (10 s)")
    redis.stop()
    time.sleep(10)
    redis.start()
    phase("no fault")
    at(0.6)
    victim = random.choice(app.worker_pids())  # noqa: S311
    os.kill(victim, signal.SIGKILL)
    phase(f"gunicorn worker {victim} killed (SIGKILL), next 5 s")
    time.sleep(5)
    phase("no fault")
    at(0.8)
    phase("PostgreSQL crash (immediate shutdown, 2 s down, WAL recovery)")
    postgres.crash()
    time.sleep(2)
    postgres.start()
    phase("no fault")


def manage(env, *args, timeout=600) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.stdout


MINT_TOKENS = """
import json
from core.models import User
from rest_framework_simplejwt.tokens import AccessToken
tokens = []
for index in range({users}):
    user, _ = User.objects.get_or_create(
        username=f"fl_user_{{index}}", defaults={{"is_superuser": True, "is_staff": True}}
    )
    tokens.append(str(AccessToken.for_user(user)))
print(json.dumps(tokens))
"""


def verify(database_url: str, ledger: Ledger) -> dict:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT id::text, name, address FROM accounts_account"
            " WHERE deleted_at IS NULL AND name LIKE 'fl-%%'"
        ).fetchall()
    by_id = {row[0].replace("-", ""): row for row in rows}
    names = collections.Counter(row[1] for row in rows)
    found = sum(1 for account_id in ledger.created if account_id.replace("-", "") in by_id)
    updates_acknowledged = sum(1 for ack, _tried in ledger.updates.values() if ack)
    updates_held = 0
    for account_id, (acknowledged, tried) in ledger.updates.items():
        row = by_id.get(account_id.replace("-", ""))
        if acknowledged and row and row[2] in (acknowledged, *tried):
            updates_held += 1
    return {
        "creates acknowledged": len(ledger.created),
        "creates found in the database": found,
        "accounts created twice (same name)": sum(1 for n in names.values() if n > 1),
        "accounts in the database": len(rows),
        "updates acknowledged (last per account)": updates_acknowledged,
        "updates found in the database": updates_held,
        "creates answered by replay": ledger.replays,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--no-throttle", action="store_true", help="serve without DRF throttles")
    parser.add_argument("--no-nginx", action="store_true", help="gunicorn alone")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this directory")
    options = parser.parse_args()

    settings_module = "tools.faultload_settings" if options.no_throttle else "crm_project.settings"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()  # the nginx error pages are rendered from the project's messages
    from deploy import nginx

    try:
        nginx.executable()
        use_nginx = not options.no_nginx
    except FileNotFoundError:
        use_nginx = False

    with PostgresCluster() as postgres, RedisServer() as redis:
        postgres.create_database("crm_faultload")
        database_url = postgres.url("crm_faultload")
        env = {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "fault-load-only-" + uuid.uuid4().hex + uuid.uuid4().hex,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "JWT_ACCESS_MINUTES": "600",
            "ACCESS_LOG_LEVEL": "WARNING",
            "GUNICORN_WORKERS": str(options.workers),
        }
        print("migrating the private database ...", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        tokens = json.loads(
            manage(env, "shell", "-c", MINT_TOKENS.format(users=options.users)).splitlines()[-1]
        )
        ledger = Ledger()
        fault_log = []
        stack = serving_stack(env, client_timeout=10) if use_nginx else Gunicorn(env)
        with stack as started:
            app, front = started if use_nginx else (started, started)
            app_pids = app.wait_for_workers(options.workers)
            print(f"serving: {'nginx + ' if use_nginx else ''}gunicorn {app_pids}", flush=True)
            start = time.monotonic()
            stop_at = start + options.duration
            retry_deadline = stop_at + 60  # retries may go on this long after the load stops
            faults = threading.Thread(
                target=run_faults,
                args=(postgres, redis, app, ledger, start, options.duration, fault_log),
            )
            faults.start()
            users = [
                threading.Thread(
                    target=user_loop,
                    args=(Client(front.port, token, ledger, retry_deadline), index, stop_at),
                )
                for index, token in enumerate(tokens)
            ]
            for thread in users:
                thread.start()
            for thread in [*users, faults]:
                thread.join(options.duration + 180)
            elapsed = time.monotonic() - start
            if options.logs:
                options.logs.mkdir(parents=True, exist_ok=True)
                for service in {app, front, postgres, redis}:
                    shutil.copy(service.log, options.logs / service.log.name)
            if not postgres.accepting():
                postgres.start()
            result = verify(database_url, ledger)

    requests = sum(ledger.statuses.values())
    errors = {str(k): v for k, v in sorted(ledger.statuses.items(), key=str) if k != 200}
    print("\nfaults:")
    for line in fault_log:
        print("  " + line)
    print(f"\nload: {options.users} users, {elapsed:.0f} s, {requests} requests")
    print(f"  answered 200: {ledger.statuses[200]}")
    print(f"  errors by status: {json.dumps(errors, ensure_ascii=False)}")
    for phase, statuses in ledger.by_phase.items():
        failed = {str(k): v for k, v in sorted(statuses.items(), key=str) if k != 200}
        print(f"    during {phase}: {statuses[200]} x 200, errors {failed}")
    print(f"  writes given up after retries: {dict(ledger.gave_up)}")
    for name, value in result.items():
        print(f"  {name}: {value}")
    lost = result["creates acknowledged"] - result["creates found in the database"]
    lost += (
        result["updates acknowledged (last per account)"] - result["updates found in the database"]
    )
    duplicated = result["accounts created twice (same name)"]
    print(f"\nacknowledged writes missing: {lost}; duplicated by a retry: {duplicated}")
    return 1 if lost or duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
