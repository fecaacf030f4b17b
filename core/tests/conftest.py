"""Fixtures of the tests that run real server processes (see core/tests/live.py)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.tests.live import ADMIN_PASSWORD, server_env
from deploy.processes import ROOT


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated once per test session, with the superuser ``admin``."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    environment = {
        **os.environ,
        **server_env(f"sqlite:///{path}"),
        "DJANGO_SUPERUSER_USERNAME": "admin",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
    }
    for command in (["migrate", "--noinput", "-v0"], ["ensure_admin"]):
        subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return path


@pytest.fixture
def sqlite_file(migrated_sqlite, tmp_path) -> str:
    """A fresh copy of the migrated SQLite file for one test; its DATABASE_URL."""
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"
