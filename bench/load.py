"""The load test: locust headless against the server, then every write it saw succeed looked
up in the database."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.config import OUT, ROOT, Config, log


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
