"""``make serve``: gunicorn behind nginx, started together and stopped together.

nginx listens on ``SERVE_BIND`` (default ``127.0.0.1:8000``; ``0.0.0.0:8000`` in a container)
and forwards to gunicorn on a private loopback port. ``SERVE_CLIENT_TIMEOUT`` (default 10 s)
bounds how long a client may take to send its headers, or pause in its body;
``NGINX_WORKERS`` (default ``auto``, one per core). gunicorn reads its own settings
(crm_project/gunicorn.conf.py, ``GUNICORN_*``). Ctrl-C or SIGTERM stops both.
"""

import os
import signal
import sys
import time

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
    django.setup()
    from django.utils.translation import gettext as _

    from deploy import nginx
    from deploy.processes import serving_stack

    try:
        nginx.executable()
    except FileNotFoundError:
        print(_("make serve needs nginx: apt-get install nginx-light"), file=sys.stderr)
        return 2
    host, _sep, port = os.environ.get("SERVE_BIND", "127.0.0.1:8000").rpartition(":")
    stopping = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: stopping.append(True))
    with serving_stack(
        {},
        host=host,
        port=int(port),
        console=True,
        client_timeout=int(os.environ.get("SERVE_CLIENT_TIMEOUT", "10")),
        workers=os.environ.get("NGINX_WORKERS", "auto"),
    ) as (app, proxy):
        print(
            _("Serving on http://%(address)s/ (nginx, then gunicorn on 127.0.0.1:%(port)d)")
            % {"address": f"{host}:{port}", "port": app.port},
            flush=True,
        )
        while not stopping and app.process.poll() is None and proxy.process.poll() is None:
            time.sleep(0.5)
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
