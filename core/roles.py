"""The staff roles (Django groups) and what each may do. docs/ROLES.md shows the same matrix.

Model permissions gate each endpoint (view/add/change/delete); ``view_all_<model>`` lifts the
ownership scope (core.ownership); ``analytics.view_analytics`` opens the analytics.
Apply with the data migration (fresh databases) or ``manage.py sync_roles`` (after changes).

Each role has a stable code (the key below: docs, code and commands use it) and a group name
staff read (销售, 客服, ...), which is the Django group's name.
"""

from django.utils.translation import gettext, pgettext

CRM_APPS = ("accounts", "contacts", "activities", "cases", "sales", "campaigns", "analytics")
CRUD = ("view", "add", "change", "delete")


def _perms(model: str, *actions: str) -> list[str]:
    app_label, model_name = model.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


ROLES: dict[str, dict] = {
    "sales": {
        "name": "销售",
        "description": "Salespeople: their own accounts, contacts, activities, leads and deals.",
        "permissions": [
            *_perms("accounts.account", *CRUD),
            *_perms("accounts.creditassessment", "view"),
            *_perms("contacts.contact", *CRUD),
            *_perms("activities.activity", *CRUD),
            *_perms("sales.lead", *CRUD),
            *_perms("sales.opportunity", *CRUD),
            *_perms("campaigns.campaign", "view"),
            *_perms("cases.case", "view", "add"),
            *_perms("cases.casecomment", "view", "add"),
            *_perms("core.storedfile", "view", "add"),
        ],
    },
    "support": {
        "name": "客服",
        "description": "Support agents: every customer's cases; read every account.",
        "permissions": [
            *_perms("accounts.account", "view"),
            "accounts.view_all_account",
            *_perms("contacts.contact", "view", "add", "change"),
            *_perms("activities.activity", *CRUD),
            *_perms("cases.case", "view", "add", "change"),
            "cases.view_all_case",
            *_perms("cases.casecomment", "view", "add"),
            *_perms("core.storedfile", "view", "add"),
        ],
    },
    "marketing": {
        "name": "市场",
        "description": "Marketing: campaigns, every lead, campaign results and analytics.",
        "permissions": [
            *_perms("campaigns.campaign", *CRUD),
            *_perms("sales.lead", *CRUD),
            "sales.view_all_lead",
            *_perms("sales.opportunity", "view"),
            "sales.view_all_opportunity",
            "analytics.view_analytics",
            *_perms("core.storedfile", "view", "add"),
        ],
    },
    "manager": {
        "name": "经理",
        "description": "Managers: everything in the CRM, everyone's records, analytics.",
        "permissions": "all",
    },
    "readonly": {
        "name": "只读",
        "description": "Auditors and viewers: read everything, change nothing.",
        "permissions": "view",
    },
}


def group_name(role: str) -> str:
    """The name of ``role``'s group, as staff read it (``"sales"`` → ``"销售"``)."""
    return ROLES[role]["name"]


def role_permissions(role: str, permission_model) -> list:
    """The Permission rows of ``role`` (``permission_model`` may be a historical model)."""
    spec = ROLES[role]["permissions"]
    crm = permission_model.objects.filter(content_type__app_label__in=CRM_APPS)
    files = permission_model.objects.filter(
        content_type__app_label="core", codename__endswith="_storedfile"
    )
    if spec == "all":
        return list(crm) + list(files)
    if spec == "view":
        return [p for p in list(crm) + list(files) if p.codename.startswith("view_")]
    wanted = {tuple(name.split(".")) for name in spec}
    found = [
        p
        for p in permission_model.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Role {role!r} names unknown permissions: {sorted(missing)}")
    return found


def apply_roles(group_model, permission_model) -> None:
    """Create the groups and set exactly their permissions (idempotent). A group still named
    by its code (databases from before the Chinese names) is renamed, keeping its members."""
    for role, spec in ROLES.items():
        group = group_model.objects.filter(name=spec["name"]).first()
        if group is None:
            group, _ = group_model.objects.get_or_create(name=role)
            group.name = spec["name"]
            group.save(update_fields=["name"])
        group.permissions.set(role_permissions(role, permission_model))


# What a model's default permissions allow, in the words staff read.
PERMISSION_ACTIONS = {
    "add": lambda name: pgettext("permission", "Can add %(name)s") % {"name": name},
    "change": lambda name: pgettext("permission", "Can change %(name)s") % {"name": name},
    "delete": lambda name: pgettext("permission", "Can delete %(name)s") % {"name": name},
    "view": lambda name: pgettext("permission", "Can view %(name)s") % {"name": name},
}


def permission_label(permission) -> str:
    """A permission as the admin lists it, translated: ``客户管理 | 客户 | 可以添加客户``.

    Django stores the names in English ("Can add account"); this reads them from the model's
    translated names instead, and translates the names of custom permissions."""
    model = permission.content_type.model_class()
    if model is None:  # a table that no longer exists
        return str(permission)
    original = getattr(model, "instance_type", None)  # an audit-trail (simple_history) table
    name = model._meta.verbose_name
    if original is not None:
        name = gettext("historical %(name)s") % {"name": original._meta.verbose_name}
    action, _sep, model_name = permission.codename.partition("_")
    if model_name == model._meta.model_name and action in PERMISSION_ACTIONS:
        text = PERMISSION_ACTIONS[action](name)
    else:
        text = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {name} | {text}"
