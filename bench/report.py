"""Writes the benchmark's results as Markdown (docs/PERFORMANCE.md for the full-size run).

The figures are all measured in the run; the analysis below them is ``bench/notes.md``,
kept by hand, so that the file says why as well as how much.
"""

import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "bench" / "notes.md"

ANALYTICS_CACHED_TARGET_MS = 10
FLOOR_FACTOR_TARGET = 2
MAX_LIST_QUERIES = 4


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _yes(flag: bool) -> str:
    return "**met**" if flag else "**not met**"


def targets(results: dict) -> list[tuple[str, str, bool]]:
    probes = {probe.key: probe for probe in results["probes"]}
    uncached, cached, queries = results["uncached"], results["cached"], results["queries"]
    rows = []

    lists = [key for key, probe in probes.items() if probe.kind == "list"]
    fixed = all(queries[key]["10"] == queries[key]["100"] <= MAX_LIST_QUERIES for key in lists)
    worst = max(max(queries[key].values()) for key in lists)
    rows.append(
        (
            f"every list costs a fixed number of queries (<= {MAX_LIST_QUERIES}) whatever the "
            "page size",
            f"{len(lists)} lists; at most {worst} queries, the same at page size 10 and 100"
            if fixed
            else "see the table: "
            + ", ".join(f"{key} {queries[key]['10']}/{queries[key]['100']}" for key in lists),
            fixed,
        )
    )

    floor = results["floor"]
    ratio = uncached["accounts"].p50 / floor["p50"]
    rows.append(
        (
            f"account list p50 within {FLOOR_FACTOR_TARGET}x of the psycopg + orjson floor",
            f"API p50 {_ms(uncached['accounts'].p50)} ms / floor p50 {_ms(floor['p50'])} ms "
            f"= {ratio:.2f}x (against a floor that counts the rows with `COUNT(*)`, "
            f"{_ms(floor['count_rows_p50'])} ms: "
            f"{uncached['accounts'].p50 / floor['count_rows_p50']:.2f}x)",
            ratio <= FLOOR_FACTOR_TARGET,
        )
    )

    name = uncached["accounts_name"]
    uses_trigram = "trgm" in results["explain"]
    rows.append(
        (
            "name substring search p95 under 50 ms, trigram GIN index used",
            f"p95 {_ms(name.p95)} ms; EXPLAIN "
            + ("uses the trigram index" if uses_trigram else "does NOT use a trigram index"),
            name.p95 < 50 and uses_trigram,
        )
    )

    plain = uncached["accounts"]
    rows.append(
        (
            "unfiltered account list with the exact total, p95 under 100 ms",
            f"p95 {_ms(plain.p95)} ms (total {results['counts']['accounts']:,} accounts)",
            plain.p95 < 100,
        )
    )

    analytics = [key for key, probe in probes.items() if probe.kind == "analytics"]
    slowest = max(analytics, key=lambda key: uncached[key].p95)
    rows.append(
        (
            "every analytics endpoint p95 under 300 ms uncached",
            f"slowest: {probes[slowest].label}, p95 {_ms(uncached[slowest].p95)} ms",
            all(uncached[key].p95 < probes[key].p95_target_ms for key in analytics),
        )
    )
    cached_keys = [key for key in analytics if key in cached]
    slowest_cached = max(cached_keys, key=lambda key: cached[key].p95)
    rows.append(
        (
            f"cached analytics under {ANALYTICS_CACHED_TARGET_MS} ms (shared cache, 60 s)",
            f"slowest: {probes[slowest_cached].label}, p95 {_ms(cached[slowest_cached].p95)} ms",
            all(cached[key].p95 < ANALYTICS_CACHED_TARGET_MS for key in cached_keys),
        )
    )

    load = results["load"]
    total = load["total"]
    verified = load["verified"]
    all_found = all(found == made for found, made in verified.values())
    writes = ", ".join(f"{name} {found}/{made}" for name, (found, made) in verified.items())
    rows.append(
        (
            f"load test ({results['config'].load_users} users, {results['config'].load_seconds} s):"
            " zero errors, every write found in the database",
            f"{total['requests']:,} requests, {total['failures']} errors, "
            f"{total['rps']:.1f} requests/s; writes found: {writes}",
            total["failures"] == 0 and all_found and total["requests"] > 0,
        )
    )
    return rows


def save(results: dict, path: Path) -> None:
    """The run's figures, so the report can be written again (``python -m bench.report``)
    after ``bench/notes.md`` changes, without measuring again."""
    import pickle

    path.write_bytes(pickle.dumps(results))


def rewrite(path: Path = ROOT / "bench" / "out" / "results.pickle") -> Path:
    import pickle

    results = pickle.loads(path.read_bytes())  # noqa: S301 (our own file, from our own run)
    return write(results, results["config"].report_path)


def write(results: dict, path: Path) -> Path:
    config = results["config"]
    before, after = results["machine_before"], results["machine_after"]
    now = results.setdefault("measured_at", datetime.datetime.now(datetime.UTC))
    lines = [
        "# Performance at a million customers",
        "",
        f"Measured on {now:%Y-%m-%d %H:%M} UTC by `make bench` (`bench/harness.py`), "
        f"{results['elapsed'] / 60:.0f} minutes end to end. This file is written by the "
        "benchmark; the analysis at the end comes from `bench/notes.md`.",
        "",
        "## Machine",
        "",
        f"- {before['cores']} cores ({before['cpu']}), {before['memory_gib']} GiB memory",
        f"- PostgreSQL {before['postgresql']} on the same machine, its default settings ("
        + ", ".join(f"{k} {v}" for k, v in before["pg_settings"].items())
        + "; the application turns JIT off on its own connections, and so does the floor)",
        f"- Python {before['python']}; the API served by gunicorn "
        "(`crm_project/gunicorn.conf.py`: 2 x cores + 1 = "
        f"{before['cores'] * 2 + 1} sync workers), DEBUG off, Redis cache and throttles",
        "- load average (1/5/15 min) before the run "
        + "/".join(f"{v:.2f}" for v in before["load_average"])
        + ", after "
        + "/".join(f"{v:.2f}" for v in after["load_average"])
        + "; during the run "
        + "; ".join(
            f"{phase} {'/'.join(f'{v:.2f}' for v in load)}"
            for phase, load in results.get("loads", [])
        )
        + ". On 2 cores, a 1-minute load above 2 means other work was competing with the "
        "benchmark for the CPU (latencies higher than on a quiet machine; the load test's own "
        "50 users account for part of the last figure).",
        "",
        "## Dataset",
        "",
        "| table | rows |",
        "|---|---:|",
        *[f"| {name} | {count:,} |" for name, count in results["counts"].items()],
        "",
    ]
    generated = results["generation"]["generated_seconds"]
    lines.append(
        f"Generated in this run in {generated / 60:.1f} minutes (`generate_demo_data "
        f"--accounts {config.accounts} --seed 1 --fast-load`, then `VACUUM ANALYZE`)."
        if generated
        else "Reused from an earlier run (generated once with `generate_demo_data --accounts "
        f"{config.accounts} --seed 1 --fast-load`, then `VACUUM ANALYZE`); the load tests of "
        "earlier runs added their writes."
    )
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---|---|"]
    for target, measured, met in targets(results):
        lines.append(f"| {target} | {measured} | {_yes(met)} |")

    probes = results["probes"]
    lines += [
        "",
        "## Every request",
        "",
        "Sequential requests to the production server on loopback after a warm-up, one client "
        "(so one worker busy at a time), as the superuser `bench_admin` (sees every record). "
        "Latency is client-side, connection set-up included. Queries: every SQL statement of "
        "the request, authentication included, counted through Django's test client at page "
        "size 10 and 100.",
        "",
        "| request | p50 ms | p95 ms | samples | queries (page 10 / 100) | response bytes |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for probe in probes:
        if probe.kind == "analytics":
            continue
        timing = results["uncached"][probe.key]
        counts = results["queries"][probe.key]
        shown = f"{counts['10']} / {counts['100']}" if "10" in counts else f"{counts['']}"
        lines.append(
            f"| {probe.label} | {_ms(timing.p50)} | {_ms(timing.p95)} | {timing.samples} | "
            f"{shown} | {timing.size:,} |"
        )
    floor = results["floor"]
    lines += [
        "",
        "### The floor",
        "",
        "`bench/floor.py`: the account list's first page (the exact total from the same "
        "trigger-kept counter the API reads, then 10 rows with the creator's and updater's "
        "usernames) over one open psycopg connection, serialized with orjson into the same "
        "envelope; no HTTP, no authentication, no framework.",
        "",
        f"- floor p50 {_ms(floor['p50'])} ms, p95 {_ms(floor['p95'])} ms "
        f"({floor['samples']} samples, {floor['size']:,} bytes); the page query alone "
        f"p50 {_ms(floor['page_only_p50'])} ms; the same page with the total counted row by "
        f"row (`COUNT(*)` over the live accounts, what the counter saves) "
        f"p50 {_ms(floor['count_rows_p50'])} ms",
        f"- API p50 {_ms(results['uncached']['accounts'].p50)} ms: "
        f"**{results['uncached']['accounts'].p50 / floor['p50']:.2f}x** the floor",
        "",
        "## Analytics",
        "",
        "Uncached: the server started with `ANALYTICS_CACHE_SECONDS=0`. Cached: "
        "`ANALYTICS_CACHE_SECONDS=60` (Redis, shared by every worker); the first request "
        "fills the cache and is part of the warm-up.",
        "",
        "| endpoint | uncached p50 | uncached p95 | cached p50 | cached p95 | queries uncached |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for probe in probes:
        if probe.kind != "analytics":
            continue
        timing = results["uncached"][probe.key]
        cached = results["cached"].get(probe.key)
        lines.append(
            f"| {probe.label} | {_ms(timing.p50)} | {_ms(timing.p95)} | "
            f"{_ms(cached.p50) if cached else '-'} | {_ms(cached.p95) if cached else '-'} | "
            f"{results['queries'][probe.key]['']} |"
        )
    lines += [
        "",
        "## The name search plan",
        "",
        f"`EXPLAIN ANALYZE` of the count the API runs for `name={results['samples']['name_term']}`"
        " (Django's `icontains` is `UPPER(name::text) LIKE UPPER('%term%')` on PostgreSQL):",
        "",
        "```",
        results["explain"],
        "```",
        "",
        f"And for a two-character term, `name={results['samples']['short_term']}`:",
        "",
        "```",
        results["explain_short"],
        "```",
    ]
    load = results["load"]
    lines += [
        "",
        "## Load test",
        "",
        f"locust headless (`bench/locustfile.py`), {config.load_users} users, spawn rate 10/s, "
        f"{config.load_seconds} s, think time 0.1-0.6 s, against the same server; locust runs "
        "on the same 2 cores as gunicorn and PostgreSQL. Exit code "
        f"{load['exit_code']}.",
        "",
        "| request | count | errors | p50 ms | p95 ms | requests/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(load["by_name"].items()):
        lines.append(
            f"| {name} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['rps']:.1f} |"
        )
    total = load["total"]
    lines.append(
        f"| **all** | {total['requests']:,} | {total['failures']} | {total['p50']:.0f} | "
        f"{total['p95']:.0f} | {total['rps']:.1f} |"
    )
    lines += ["", "Writes looked up in the database after the run:", ""]
    for name, (found, made) in load["verified"].items():
        lines.append(f"- {name}: {found} of {made} found with the values sent")
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench                      # PostgreSQL at 127.0.0.1:5432, Redis at 127.0.0.1:6379",
        "BENCH_ACCOUNTS=20000 BENCH_QUICK=1 make bench   # a quick trial on a small dataset",
        "```",
        "",
        "The dataset lives in its own database (`crm_bench_1m`, on the server `DATABASE_URL` "
        "names, or `BENCH_DATABASE_URL`) and is generated only once.",
    ]
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    print(rewrite())
