"""Measure the account import: rows per second and memory, on the configured database.

    DATABASE_URL=postgres://... python -m bench.import_speed --rows 100000

Writes a CSV of realistic accounts (Chinese headers, UTF-8 with BOM, as an export writes them),
imports it exactly as ``import_accounts --user bench-import`` would (audit trail included), prints
the speed, the CPU time this process spent per row, the memory, and the machine's load (another
busy process on the machine slows the figure down), then removes what it imported (``--keep``
leaves it). ``--serializer-only`` validates every row with the full DRF serializer instead of
the fast validator (core.bulk.fast_validator), to measure what that one is worth. Use a scratch
database: the rows are real while it runs.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INDUSTRIES = ["制造业", "信息技术", "金融", "零售", "医疗", "教育", "物流", "能源", "建筑", "餐饮"]
REGIONS = ["华北", "华东", "华南", "华中", "西南", "西北", "东北"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "沈阳"]
WORDS = ["科技", "贸易", "实业", "信息", "电子", "物流", "医药", "食品", "建设", "能源"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
TYPES = ["企业", "个人", "政府", "corporate"]
LEVELS = ["铂金", "黄金", "白银", "青铜", ""]
SIZES = ["小型", "中", "大型", "集团", "enterprise", ""]
STATUSES = ["活跃", "活跃", "活跃", "停用"]


def _rss_kib() -> int:
    """The process's resident memory now, in KiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() // 1024
    except OSError:
        return 0


def _peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def write_sample(path: Path, columns, rows: int, *, seed: int, tag: str) -> None:
    """Stream ``rows`` accounts to ``path`` under the headers of ``columns`` (the account
    import's); every tax number starts with ``tag``."""
    rng = random.Random(seed)  # noqa: S311 (sample data, not secrets)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.label for c in columns if c.field != "account_no"])
        for i in range(rows):
            city = rng.choice(CITIES)
            name = f"{city}{rng.choice(WORDS)}{rng.choice(WORDS)}有限公司{i}"
            person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            writer.writerow(
                [
                    name,
                    rng.choice(TYPES),
                    rng.choice(INDUSTRIES),
                    rng.choice(REGIONS),
                    f"{city}市中山路{rng.randint(1, 999)}号",
                    person,
                    f"13{rng.randint(100000000, 999999999)}",
                    f"contact{i}@example{rng.randint(1, 99)}.com",
                    f"www.company{i}.com" if rng.random() < 0.5 else "",
                    f"{tag}{i:09d}",
                    f"{rng.randint(0, 500) * 1000}.00",
                    rng.choice(LEVELS),
                    rng.choice(SIZES),
                    "导入测试" if rng.random() < 0.2 else "",
                    rng.choice(STATUSES),
                ]
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.import_speed",
        description="Benchmark import_accounts: generate N accounts as CSV, import them into the "
        "configured database (DATABASE_URL), print rows/s and memory, then delete them "
        "(use a scratch database).",
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", type=Path, help="keep the generated CSV here")
    parser.add_argument("--keep", action="store_true", help="keep the imported accounts")
    parser.add_argument(
        "--serializer-only",
        action="store_true",
        help="validate every row with the full serializer (no fast validator)",
    )
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    bench(options)


def bench(options: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts.imports import COLUMNS, SPEC
    from core.bulk.run import run_import

    rows, batch_size = options.rows, options.batch_size
    tag = f"BENCH{int(time.time())}-"
    user, made_user = get_user_model().objects.get_or_create(
        username="bench-import", defaults={"is_active": False}
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = options.file or Path(tmp) / "bench_accounts.csv"
            write_sample(path, COLUMNS, rows, seed=options.seed, tag=tag)
            size_mib = path.stat().st_size / 2**20
            samples = []

            def on_progress(count):
                samples.append(_rss_kib())

            load_before = os.getloadavg()[0]
            cpu = os.times()
            summary = run_import(
                SPEC,
                path,
                by=user,
                batch_size=batch_size,
                on_progress=on_progress,
                fast_validation=not options.serializer_only,
            )
            cpu_after = os.times()
            load_after = os.getloadavg()[0]
        busy = cpu_after.user - cpu.user + cpu_after.system - cpu.system
        validation = "full serializer" if options.serializer_only else "fast validator"
        print(
            f"import_speed: {summary.rows} account rows ({size_mib:.1f} MiB CSV) into "
            f"{connection.vendor} in {summary.seconds:.2f}s = "
            f"{summary.rows_per_second:,.0f} rows/s (batch size {batch_size}, {validation}); "
            f"created {summary.created}, failed {summary.failed}"
        )
        print(
            f"cpu: this process {busy / max(summary.rows, 1) * 1e6:.0f} µs/row; "
            f"machine load average {load_before:.2f} before, {load_after:.2f} after "
            f"({os.cpu_count()} cores)"
        )
        if samples:
            print(
                f"memory: RSS after the first batch {samples[0] / 1024:.0f} MiB, after the "
                f"last {samples[-1] / 1024:.0f} MiB; peak RSS {_peak_rss_kib() / 1024:.0f} MiB"
            )
    finally:
        if not options.keep:
            _remove(tag, user if made_user else None)


def _remove(tag: str, user) -> None:
    """Erase the benchmark's accounts, their audit trail and its user (not timed).

    Plain DELETE statements: the ORM's delete would load every row (and its relations) into
    memory first. The benchmark's accounts have no related records."""
    from django.db import connection, transaction

    from accounts.models import Account

    history = Account.history.model
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (history, Account):  # table names from the models; the tag a parameter
            table = quote(model._meta.db_table)
            sql = f"DELETE FROM {table} WHERE {quote('tax_no')} LIKE %s"  # noqa: S608
            cursor.execute(sql, [f"{tag}%"])
            deleted = cursor.rowcount
        if user is not None:
            user.delete()
    if connection.vendor == "postgresql":  # leave no dead rows to slow the next run
        with connection.cursor() as cursor:
            for model in (Account, history):
                cursor.execute(f"VACUUM ANALYZE {quote(model._meta.db_table)}")
    print(f"removed the {deleted} benchmark accounts (use --keep to keep them)")


if __name__ == "__main__":
    main()
