"""The floor: the account list's first page, as cheaply as Python can produce it.

The same two statements the API runs for ``GET /accounts`` (the exact total, read from the
trigger-kept counter as the API does, then the page of 10 with the creator's and updater's
usernames) over one open psycopg connection, and the same JSON envelope built with orjson. No
HTTP, no authentication, no framework: what is left is the database and the bytes. The API's
p50 divided by this p50 is the framework's overhead factor. Also measured: the same page with
the total counted row by row (``COUNT(*)``), which is what the counter saves.
"""

import time

import orjson
import psycopg

from bench.timing import percentile

COUNT = "SELECT live FROM accounts_live_count"
COUNT_ROWS = "SELECT count(*) FROM accounts_account WHERE deleted_at IS NULL"
PAGE = """
SELECT a.id, a.account_no, a.name, a.type, a.industry, a.region, a.address, a.contact_person,
       a.phone, a.email, a.status, cu.username, a.created_at, uu.username, a.updated_at
FROM accounts_account a
LEFT JOIN core_user cu ON cu.id = a.created_by_id
LEFT JOIN core_user uu ON uu.id = a.updated_by_id
WHERE a.deleted_at IS NULL
ORDER BY a.created_at DESC, a.id DESC
LIMIT 10 OFFSET 0
"""
KEYS = (
    "id",
    "accountNo",
    "name",
    "type",
    "industry",
    "region",
    "address",
    "contactPerson",
    "phone",
    "email",
    "status",
    "createdBy",
    "createdAt",
    "updatedBy",
    "updatedAt",
)
OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_OMIT_MICROSECONDS


def page(conn: psycopg.Connection, count: str = COUNT) -> bytes:
    total = conn.execute(count).fetchone()[0]
    rows = [dict(zip(KEYS, row, strict=True)) for row in conn.execute(PAGE).fetchall()]
    body = {"list": rows, "total": total, "page": 1, "pageSize": 10}
    return orjson.dumps({"code": 200, "message": "success", "data": body}, option=OPTIONS)


def measure(database_url: str, *, samples: int) -> dict:
    """p50 / p95 in milliseconds of :func:`page`, and page-only figures (without the count)."""
    # JIT off, as the application's connections have it (crm_project/settings.py).
    with psycopg.connect(database_url, autocommit=True, options="-c jit=off") as conn:
        for _ in range(10):
            page(conn)
        times, page_only, counted = [], [], []
        for _ in range(samples):
            started = time.perf_counter()
            body = page(conn)
            times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            conn.execute(PAGE).fetchall()
            page_only.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            page(conn, COUNT_ROWS)
            counted.append((time.perf_counter() - started) * 1000)
    return {
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "page_only_p50": percentile(page_only, 0.5),
        "count_rows_p50": percentile(counted, 0.5),
        "size": len(body),
        "samples": samples,
    }
