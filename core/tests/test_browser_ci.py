"""The browser test's promise about its own running: skipped on a machine without Chromium, but
a failure (never a skip) when ``CI`` is set and Chromium is missing."""

import os
import subprocess

import pytest

from core.tests.processes import run_python

pytestmark = pytest.mark.slow  # runs pytest in a subprocess

BROWSER = "core/tests/test_browser.py"


def _run_without_chromium(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(env, CHROMIUM_PATH="/nonexistent/chromium")
    # Only the check that needs no database: a second test database would clash with ours.
    return run_python(
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-k",
        "test_chromium_is_installed",
        BROWSER,
        env=environ,
        timeout=300,
    )


def test_without_chromium_in_ci_the_browser_test_fails():
    result = _run_without_chromium(CI="1")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "failed" in result.stdout and "/nonexistent/chromium is missing" in result.stdout


def test_without_chromium_elsewhere_the_browser_test_is_skipped():
    result = _run_without_chromium()
    assert result.returncode in (0, 5), result.stdout[-2000:]  # 5: nothing left to run
    assert "skipped" in result.stdout and "failed" not in result.stdout
