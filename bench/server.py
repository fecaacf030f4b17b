"""The production server under test: gunicorn with the project's configuration, as
``make serve`` starts it, on a loopback port."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.config import OUT, ROOT, Config, log
from bench.timing import get


def static_files_current() -> bool:
    """Whether ``collectstatic`` output is newer than every source of static files (the apps'
    ``static/`` folders, and the installed packages, which change with requirements.txt):
    compressing them all again takes a minute or more on two busy cores."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / "requirements.txt", *ROOT.glob("*/static/**/*")]
    newest = max(path.stat().st_mtime for path in sources if path.is_file())
    return manifest.stat().st_mtime > newest


# --- the server -----------------------------------------------------------------------------------


class Server:
    """gunicorn with the project's configuration, as ``make serve`` starts it."""

    def __init__(self, config: Config, *, analytics_cache_seconds: int, token: str):
        self.config = config
        self.cache_seconds = analytics_cache_seconds
        self.token = token
        self.process = None
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / "gunicorn.log"

    def __enter__(self):
        env = self.config.server_env(analytics_cache_seconds=self.cache_seconds)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log_path.open("a") as log_file:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                [str(gunicorn), "-c", "crm_project/gunicorn.conf.py", "crm_project.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                status, _body, _ms = get(self.config, "/api/v1/auth/me", self.token)
                if status == 200:
                    log(f"gunicorn up (analytics cache {self.cache_seconds} s)")
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit("gunicorn did not answer within 90 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __exit__(self, *exc):
        self.stop()
