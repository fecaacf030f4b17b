"""Loopback server processes, each started on a free port and always stopped by its context
manager: gunicorn, nginx (``make serve``), and the private Redis and PostgreSQL a fault test
may stop or restart (never the shared ones).

Output goes to a log file per process (a pipe nobody reads would fill up and block the server);
``log_tail()`` shows its end when a process fails to start.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class Service:
    """One server process: ``start()``, ``stop()``, and ``with`` for both."""

    name = "service"

    def __init__(self, port: int | None = None, *, console: bool = False):
        self.port = port or free_port()
        self.console = console  # output to our own stdout/stderr instead of the log file
        self.process: subprocess.Popen | None = None
        self.workdir = Path(tempfile.mkdtemp(prefix=f"crm-{self.name}-"))
        self.log = self.workdir / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict | None:
        return None

    def cwd(self) -> Path:
        return ROOT

    def run_as(self) -> dict:
        return {}

    def start(self, timeout: float = 60):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                self.command(),
                cwd=self.cwd(),
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=None if self.console else log,
                stderr=None if self.console else subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C meant for the caller does not reach it
                **self.run_as(),
            )
        self.wait_until_listening(timeout)
        return self

    def wait_until_listening(self, timeout: float):
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not listen within {timeout} s")
            time.sleep(0.1)

    def signal(self, signum: int):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signum)

    def stop(self, timeout: float = 15):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


class RedisServer(Service):
    """A private ``redis-server`` without persistence: a restart starts it empty."""

    name = "redis"

    def command(self):
        return [
            shutil.which("redis-server") or "redis-server",
            *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
            *("--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)),
        ]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class PostgresCluster(Service):
    """A throwaway PostgreSQL cluster (initdb into a temp dir) that may be restarted or stopped
    without touching the shared server. As root it runs as the ``postgres`` system user."""

    name = "postgres"

    def __init__(self, port: int | None = None):
        super().__init__(port)
        self.data = self.workdir / "data"
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.workdir, account.pw_uid, account.pw_gid)

    def run_as(self) -> dict:
        return (
            {"user": "postgres", "group": "postgres", "extra_groups": []}
            if os.geteuid() == 0
            else {}
        )

    def cwd(self) -> Path:
        return self.workdir

    def _run(self, tool: str, *args):
        subprocess.run(  # noqa: S603 (PostgreSQL's own tools)
            [str(PG_BIN / tool), *args],
            cwd=self.workdir,
            check=True,
            capture_output=True,
            timeout=120,
            **self.run_as(),
        )

    def command(self):
        return [
            str(PG_BIN / "postgres"),
            *("-D", str(self.data), "-p", str(self.port), "-k", str(self.workdir)),
            *("-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"),
        ]

    def start(self, timeout: float = 60):
        if not self.data.exists():
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
        return super().start(timeout)

    def wait_until_listening(self, timeout: float):
        super().wait_until_listening(timeout)
        deadline = time.monotonic() + timeout
        while not self.accepting():  # after a crash the port opens before recovery ends
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"PostgreSQL did not recover:\n{self.log_tail()}")
            time.sleep(0.2)

    def accepting(self) -> bool:
        ready = subprocess.run(  # noqa: S603 (PostgreSQL's own tool)
            [str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
            check=False,
            timeout=30,
        )
        return ready.returncode == 0

    def stop(self, timeout: float = 30):
        """Fast shutdown (SIGINT): open sessions are ended, committed work is checkpointed."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout)

    def crash(self):
        """Stop at once, as a power cut would (SIGQUIT: no checkpoint; the next start replays
        the WAL): whatever committed must still be there afterwards."""
        self.signal(signal.SIGQUIT)
        self.process.wait(30)

    def create_database(self, name: str):
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Gunicorn(Service):
    """``gunicorn -c crm_project/gunicorn.conf.py crm_project.wsgi`` as ``make serve`` runs it."""

    name = "gunicorn"

    def __init__(self, env: dict, port: int | None = None, **options):
        super().__init__(port, **options)
        self.env = env

    def command(self):
        return [
            sys.executable,
            *("-m", "gunicorn", "-c", "crm_project/gunicorn.conf.py", "crm_project.wsgi"),
        ]

    def environment(self):
        return {
            **os.environ,
            "GUNICORN_CONTROL_SOCKET": str(self.workdir / "gunicorn.ctl"),
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        }

    def worker_pids(self) -> list[int]:
        """The master's children (the workers) from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def wait_for_workers(self, count: int, timeout: float = 60) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(pids := self.worker_pids()) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn has {len(pids)} workers:\n{self.log_tail()}")
            time.sleep(0.1)
        return pids


class Nginx(Service):
    """nginx in front of an upstream gunicorn, its configuration written into its own run
    directory (deploy.nginx.write_config takes the options)."""

    name = "nginx"

    def __init__(
        self, upstream_port: int, port=None, *, host="127.0.0.1", console=False, **options
    ):
        super().__init__(port, console=console)
        self.host = host
        self.upstream_port = upstream_port
        self.options = options

    def command(self):
        from deploy import nginx  # needs Django's settings (the error pages' messages)

        config = nginx.write_config(
            self.workdir,
            listen=f"{self.host}:{self.port}",
            upstream=f"127.0.0.1:{self.upstream_port}",
            **self.options,
        )
        return [nginx.executable(), "-p", str(self.workdir), "-c", str(config), "-e", "stderr"]


def upstream_timeout(gunicorn_timeout: int) -> int:
    """nginx gives up on gunicorn (504 envelope) 5 s before gunicorn kills a silent worker,
    whose answer (gunicorn's HTML 500) then reaches no client."""
    return max(1, gunicorn_timeout - 5)


@contextmanager
def serving_stack(env: dict, *, port=None, host="127.0.0.1", console=False, **nginx_options):
    """gunicorn behind nginx, as ``make serve`` runs them; yields (gunicorn, nginx)."""
    timeout = int(env.get("GUNICORN_TIMEOUT") or os.environ.get("GUNICORN_TIMEOUT") or 30)
    nginx_options.setdefault("upstream_timeout", upstream_timeout(timeout))
    app_env = {**env, "GUNICORN_BEHIND_NGINX": "1"}
    with (
        Gunicorn(app_env, console=console) as app,
        Nginx(app.port, port, host=host, console=console, **nginx_options) as proxy,
    ):
        yield app, proxy
