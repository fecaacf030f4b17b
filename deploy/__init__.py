"""Production serving (nginx in front of gunicorn, ``make serve``) and the loopback processes the
fault tests and ``tools/faultload.py`` start: private Redis and PostgreSQL, gunicorn, nginx."""
