"""The staff roles (Django groups) and what each may do. docs/ROLES.md shows the same matrix.

Model permissions gate each endpoint (view/add/change/delete); ``view_all_<model>`` lifts the
ownership scope (core.ownership); ``analytics.view_analytics`` opens the analytics.
Apply with the data migration (fresh databases) or ``manage.py sync_roles`` (after changes).
"""

CRM_APPS = ("accounts", "contacts", "activities", "cases", "sales", "campaigns", "analytics")
CRUD = ("view", "add", "change", "delete")


def _perms(model: str, *actions: str) -> list[str]:
    app_label, model_name = model.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


ROLES: dict[str, dict] = {
    "sales": {
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
        "description": "Managers: everything in the CRM, everyone's records, analytics.",
        "permissions": "all",
    },
    "readonly": {
        "description": "Auditors and viewers: read everything, change nothing.",
        "permissions": "view",
    },
}


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
    """Create the groups and set exactly their permissions (idempotent)."""
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role, permission_model))
