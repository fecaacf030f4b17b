"""Re-apply the role matrix of core/roles.py to the groups (after models or the matrix change)."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.roles import ROLES, apply_roles, group_name


class Command(BaseCommand):
    help = _(
        "Create or update the staff groups (销售, 客服, 市场, 经理, 只读) and their permissions."
    )

    def handle(self, *args, **options):
        apply_roles(Group, Permission)
        for role in ROLES:
            name = group_name(role)
            count = Group.objects.get(name=name).permissions.count()
            self.stdout.write(
                _("%(group)s (%(role)s): %(count)d permissions")
                % {"group": name, "role": role, "count": count}
            )
