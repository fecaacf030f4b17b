"""Production safety: with DEBUG off the project refuses to start without real secrets."""

import os
import subprocess

import pytest

from core.tests.processes import run_python

pytestmark = pytest.mark.slow  # starts manage.py in subprocesses

GOOD_KEY = "k" * 30 + "-production-secret-key-0123456789"


def check(*options: str, **env) -> subprocess.CompletedProcess:
    """``manage.py check`` with ``env`` instead of the caller's DJANGO_* variables."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return run_python("manage.py", "check", *options, env=environment | env)


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_debug_off_refuses_to_start_without_real_secret_and_hosts(env, complaint):
    result = check(DJANGO_DEBUG="0", **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_debug_off_starts_with_real_values():
    result = check(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="crm.example.com"
    )
    assert result.returncode == 0, result.stderr


def test_check_deploy_reports_nothing_with_production_values():
    result = check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=GOOD_KEY + "x" * 20,
        DJANGO_ALLOWED_HOSTS="crm.example.com",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
