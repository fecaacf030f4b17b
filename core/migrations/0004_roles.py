"""Create the staff roles (groups) with their permissions; see core/roles.py and docs/ROLES.md."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate finishes; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from core.roles import apply_roles

    apply_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from core.roles import ROLES

    names = [*ROLES, *(spec["name"] for spec in ROLES.values())]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_stored_file_storage"),
        ("accounts", "0003_owner_and_history"),
        ("activities", "0002_owner_and_history"),
        ("campaigns", "0002_owner_and_history"),
        ("cases", "0002_owner_and_history"),
        ("contacts", "0003_owner_and_history"),
        ("sales", "0002_owner_and_history"),
        ("analytics", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
