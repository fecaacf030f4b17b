"""Name the staff groups as staff read them (销售, 客服, 市场, 经理, 只读); core/roles.py keeps
the codes (sales, support, ...). Members and permissions stay with their group."""

from django.db import migrations


def to_chinese(apps, schema_editor):
    from core.roles import ROLES

    groups = apps.get_model("auth", "Group").objects
    for code, spec in ROLES.items():
        if not groups.filter(name=spec["name"]).exists():
            groups.filter(name=code).update(name=spec["name"])


def to_codes(apps, schema_editor):
    from core.roles import ROLES

    groups = apps.get_model("auth", "Group").objects
    for code, spec in ROLES.items():
        if not groups.filter(name=code).exists():
            groups.filter(name=spec["name"]).update(name=code)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_user_token_version")]

    operations = [migrations.RunPython(to_chinese, to_codes)]
