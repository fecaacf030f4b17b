"""The back office's site: its name, and one menu (sidebar and home page alike) that groups the
CRM's pages in the order staff use them, with the technical tables under "系统" for superusers.

django-unfold draws it (docs/DECISIONS.md, "Back office"); the menu is data, so adding a model
to the back office means adding its label below.
"""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy
from unfold.sites import UnfoldAdminSite


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    models: tuple[tuple[str, str], ...]  # (model label, Material Symbols icon)
    superuser_only: bool = False


# The menu's own titles carry a context: "Sales" the section is not "Sales" the app.
MENU = (
    Section(
        "customers",
        pgettext_lazy("menu", "Customers"),
        (
            ("accounts.account", "apartment"),
            ("contacts.contact", "contacts"),
            ("activities.activity", "event_note"),
        ),
    ),
    Section(
        "sales",
        pgettext_lazy("menu", "Sales"),
        (("sales.lead", "person_search"), ("sales.opportunity", "handshake")),
    ),
    Section("service", pgettext_lazy("menu", "Service"), (("cases.case", "support_agent"),)),
    Section("marketing", pgettext_lazy("menu", "Marketing"), (("campaigns.campaign", "campaign"),)),
    Section(
        "analytics", pgettext_lazy("menu", "Analytics"), (("analytics.dashboard", "monitoring"),)
    ),
    Section("files", pgettext_lazy("menu", "Files"), (("core.storedfile", "attach_file"),)),
    Section(
        "system",
        pgettext_lazy("menu", "System"),
        (
            ("core.user", "person"),
            ("auth.group", "group"),
            ("core.sequence", "pin"),
            ("token_blacklist.outstandingtoken", "key"),
            ("token_blacklist.blacklistedtoken", "block"),
        ),
        superuser_only=True,
    ),
)
# Registered models missing from the menu (a new third-party app) land in "系统".
FALLBACK_SECTION = "system"


def backoffice_title(request=None) -> str:
    """The back office's name (``BACKOFFICE_TITLE``), read per request."""
    return settings.BACKOFFICE_TITLE


def frontend_url(request=None) -> str | None:
    """Where "查看站点" leads: the staff's frontend (``BACKOFFICE_SITE_URL``); None hides it,
    since this server has no public site of its own."""
    return settings.BACKOFFICE_SITE_URL


class CrmAdminSite(UnfoldAdminSite):
    """The admin site with the menu above; its name and "查看站点" link are the settings'."""

    index_title = pgettext_lazy("menu", "Home")

    @property
    def site_title(self):
        return backoffice_title()

    @property
    def site_header(self):
        return backoffice_title()

    @property
    def site_url(self):
        return frontend_url()

    def get_app_list(self, request, app_label=None):
        if app_label is not None:  # one app's own page keeps Django's shape
            return super().get_app_list(request, app_label)
        return menu_sections(self._build_app_dict(request), request.user)


def menu_sections(app_dict: dict, user) -> list[dict]:
    """Django's per-app list (only what ``user`` may see) regrouped into the menu's sections."""
    found = {
        model["model"]._meta.label_lower: model
        for app in app_dict.values()
        for model in app["models"]
    }
    placed = {label for section in MENU for label, _icon in section.models}
    sections = []
    for section in MENU:
        if section.superuser_only and not user.is_superuser:
            continue
        labels = [label for label, _icon in section.models]
        if section.key == FALLBACK_SECTION:
            labels += sorted(set(found) - placed)
        models = [found[label] for label in labels if label in found]
        if models:
            sections.append(
                {
                    "name": section.title,
                    "app_label": section.key,
                    "app_url": models[0]["admin_url"],
                    "has_module_perms": True,
                    "models": models,
                    "icons": dict(section.models),
                }
            )
    return sections


def sidebar_navigation(request) -> list[dict]:
    """django-unfold's sidebar (``UNFOLD["SIDEBAR"]["navigation"]``), from the same menu."""
    from django.contrib import admin

    home = {
        "title": pgettext_lazy("menu", "Home"),
        "icon": "home",
        "link": reverse("admin:index"),
    }
    groups = [{"title": None, "items": [home]}]
    for section in admin.site.get_app_list(request):
        groups.append(
            {
                "title": section["name"],
                "items": [
                    {
                        "title": capfirst(model["name"]),
                        "icon": section["icons"].get(model["model"]._meta.label_lower, "table"),
                        "link": model["admin_url"],
                    }
                    for model in section["models"]
                ],
            }
        )
    return groups


def stylesheet(request) -> str:
    """The back office's own CSS (``UNFOLD["STYLES"]``): layout at laptop widths."""
    return static("core/backoffice.css")


def favicon(request) -> str:
    """The tab icon (``UNFOLD["SITE_FAVICONS"]``); without one the browser asks for
    /favicon.ico, which this server does not have."""
    return static("core/favicon.svg")
