"""Re-apply the role matrix of core/roles.py to the groups (after models or the matrix change)."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from core.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = "Create or update the staff groups (sales, support, marketing, manager, readonly)."

    def handle(self, *args, **options):
        apply_roles(Group, Permission)
        for role in ROLES:
            count = Group.objects.get(name=role).permissions.count()
            self.stdout.write(f"{role}: {count} permissions")
