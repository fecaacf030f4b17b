"""The browser test's promise about its own running: skipped on a machine without Chromium, but
a failure (never a skip) when ``CI`` is set and Chromium is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs pytest in a subprocess

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "core/tests/test_browser.py"


def _run_without_chromium(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(env, CHROMIUM_PATH="/nonexistent/chromium")
    # Only the check that needs no database: a second test database would clash with ours.
    return subprocess.run(  # noqa: S603 (our own interpreter and test file)
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-k",
            "test_chromium_is_installed",
            BROWSER,
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_chromium_in_ci_the_browser_test_fails():
    result = _run_without_chromium(CI="1")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "failed" in result.stdout and "/nonexistent/chromium is missing" in result.stdout


def test_without_chromium_elsewhere_the_browser_test_is_skipped():
    result = _run_without_chromium()
    assert result.returncode in (0, 5), result.stdout[-2000:]  # 5: nothing left to run
    assert "skipped" in result.stdout and "failed" not in result.stdout
