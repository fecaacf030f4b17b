"""``make bench``: the API at a million customers, measured end to end.

Generates (once) a PostgreSQL dataset of 1,000,000 accounts and their related records, serves
the API with the production server (gunicorn, ``crm_project/gunicorn.conf.py``), measures the
latency and SQL query count of the listed requests, the psycopg + orjson floor, analytics
uncached and cached, runs a bounded locust load test, and writes ``docs/PERFORMANCE.md``.
See ``bench/harness.py`` for the steps and ``docs/PERFORMANCE.md`` for the last results.
"""
