"""The benchmark, step by step (``python -m bench``; ``make bench``). Each step has its module.

1. Database (``bench.config``): ``BENCH_DATABASE_URL``, else the server of ``DATABASE_URL``
   (when it is PostgreSQL, else the local one) with its own database ``crm_bench_1m``.
2. Dataset (``bench.dataset``): created and migrated if needed, generated once with
   ``generate_demo_data --fast-load`` (COPY) and vacuumed; reused while it holds at least the
   planned number of accounts.
3. Query counts (``bench.inprocess``): each request of ``bench.probes`` through Django's test
   client (in this process), page size 10 and 100, counting every SQL statement (authentication
   included).
4. Latency (``bench.server``, ``bench.timing``): the production server (gunicorn with
   ``crm_project/gunicorn.conf.py``, DEBUG off, Redis cache) on loopback; sequential requests
   after a warm-up; p50 and p95.
5. The floor (``bench.floor``): the same account page (count + rows) with psycopg and orjson.
6. Analytics uncached (cache time 0) and cached (shared Redis cache).
7. Load (``bench.load``): locust headless, 50 users, 2 minutes, reads and writes; writes
   checked in the database.
8. ``docs/PERFORMANCE.md`` (``bench.report``; ``bench/out/`` for a dataset of another size).

Environment: ``BENCH_ACCOUNTS`` (1000000), ``BENCH_PORT`` (a free one), ``BENCH_QUICK=1`` (fewer
samples and a 20 s load test: to try the harness on a small dataset), ``BENCH_REDIS_URL``
(redis://127.0.0.1:6379/9), ``BENCH_LOAD_SECONDS`` (120), ``BENCH_LOAD_USERS`` (50).
"""

import datetime
import os
import time
from urllib.parse import urlsplit

from bench import floor, report
from bench.config import OUT, ROOT, Config, log, manage
from bench.dataset import dataset_counts, ensure_database, ensure_dataset
from bench.inprocess import (
    bench_users,
    count_queries,
    explain_name_search,
    pick_samples,
    setup_django,
)
from bench.load import load_samples, run_load, verify_writes
from bench.machine import machine
from bench.probes import probes
from bench.server import Server, static_files_current
from bench.timing import measure


def main() -> None:
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
