"""The benchmark's database and dataset: created, migrated and generated once
(``generate_demo_data --fast-load``: COPY, indexes built after the load), then reused."""

import time
from urllib.parse import urlsplit, urlunsplit

from bench.config import Config, log, manage


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
