"""Gunicorn settings for production serving (``make serve``); every value can be overridden
from the environment. Start with ``gunicorn -c crm_project/gunicorn.conf.py crm_project.wsgi``.

Sizing: the API is CPU-bound Python plus short database waits, so the classic
``2 x cores + 1`` synchronous workers keeps every core busy while some workers wait on
PostgreSQL, without the memory and context-switch cost of more. On the 2-core reference
machine that is 5 workers.
"""

import multiprocessing
import os

from gunicorn import util

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# "sync" (one request at a time per worker) suits a CPU-bound API behind a proxy that buffers
# slow clients (nginx, a cloud load balancer); "gthread" with GUNICORN_THREADS > 1 also works.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is killed and answers 502 upstream.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
# Load Django once in the master: workers fork with the code already imported (faster boot,
# shared memory). No database connection is opened before the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# The proxy in front terminates TLS and sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The application writes its own structured access log (crm.access); gunicorn's stays off
# unless asked for, and errors go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "crm"
# gunicorn's control socket (gunicornc) defaults to one path per user; several instances on
# one machine (tests, the fault load) each name their own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Behind nginx (``make serve``, deploy/nginx.py) nginx bounds the request line (8 KiB), each
# header line (8 KiB) and all headers (32 KiB), and answers the envelope when they are
# exceeded. gunicorn's own limits are then lifted (0 = unlimited, 32768 fields = its maximum),
# so it never refuses, with its HTML page, a request nginx let through: a header line nginx
# accepted can grow on the way (X-Forwarded-For gets the client's address appended).
# Serving gunicorn alone keeps gunicorn's defaults.
if os.environ.get("GUNICORN_BEHIND_NGINX") == "1":
    limit_request_line = 0
    limit_request_field_size = 0
    limit_request_fields = 32768


def _write_envelope_error(sock, status_int, reason, mesg):
    """gunicorn answers what it refuses itself (a request it cannot parse, the request of a
    worker it kills at ``timeout``) with an HTML page written by ``gunicorn.util.write_error``,
    its only writer of them; this one writes the API's envelope instead (deploy/errors.py)."""
    from deploy.errors import error_json  # Django is loaded by the time a request fails

    body = error_json(status_int).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = _write_envelope_error
