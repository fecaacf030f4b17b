"""Make sure a superuser exists so a newcomer can log in to the admin and get API tokens."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Create the admin superuser if it does not exist, and print how to log in.")

    def add_arguments(self, parser):
        # `make run PORT=8001` passes the address it serves on, so the links below are right.
        parser.add_argument("--host", default="127.0.0.1", help=_("Host the server listens on."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port the server listens on."))

    def handle(self, *args, host, port, **options):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "admin")
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                _("Admin user '%(username)s' already exists (password unchanged).")
                % {"username": username}
            )
        else:
            user_model.objects.create_superuser(
                username=username,
                email=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""),
                password=password,
            )
            self.stdout.write(
                self.style.SUCCESS(_("Created admin user '%(username)s'.") % {"username": username})
            )
            self.stdout.write(
                _("Password: %(password)s  (set DJANGO_SUPERUSER_PASSWORD to choose it)")
                % {"password": password}
            )
        base = f"http://{host}:{port}"
        token = (
            f"curl -X POST {base}/api/v1/auth/token -H 'Content-Type: application/json' "
            f'-d \'{{"username": "{username}", "password": "<password>"}}\''
        )
        self.stdout.write(
            "\n".join(
                [
                    _("Admin:    %(url)s") % {"url": f"{base}/admin/"},
                    _("API docs: %(url)s") % {"url": f"{base}/api/docs"},
                    _("Token:    %(command)s") % {"command": token},
                ]
            )
        )
