"""Running the project's own Python in a subprocess, for tests of how it starts."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(*args: str, env: dict, timeout: int = 60) -> subprocess.CompletedProcess:
    """``python <args>`` in the project directory with exactly ``env``, its output as text."""
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
