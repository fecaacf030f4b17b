"""Make sure a superuser exists so a newcomer can log in to the admin and get API tokens."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin superuser if it does not exist, and print how to log in."

    def handle(self, *args, **options):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "admin")
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(f"Admin user '{username}' already exists (password unchanged).")
        else:
            user_model.objects.create_superuser(
                username=username,
                email=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""),
                password=password,
            )
            self.stdout.write(self.style.SUCCESS(f"Created admin user '{username}'."))
            self.stdout.write(f"Password: {password}  (set DJANGO_SUPERUSER_PASSWORD to choose it)")
        self.stdout.write(
            "Admin:    http://127.0.0.1:8000/admin/\n"
            "API docs: http://127.0.0.1:8000/api/docs\n"
            f"Token:    curl -X POST http://127.0.0.1:8000/api/v1/auth/token "
            f"-H 'Content-Type: application/json' "
            f'-d \'{{"username": "{username}", "password": "<password>"}}\''
        )
