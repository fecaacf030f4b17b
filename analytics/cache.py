"""A shared cache for analytics figures: fresh after a write, and never older than 60 seconds.

Aggregates over a million accounts cost hundreds of milliseconds; the same figures are asked
for again and again (dashboards refresh, several staff look at the same month). Results are
kept in the default cache (Redis in production, so every worker shares them) under a key made
of the endpoint, its parameters, the viewer's scope, the language and a version per model the
figures read. Saving or deleting one of those models bumps its version (at once, and again when
the transaction commits, so a reader cannot cache pre-commit figures under the new version), so
the next request recomputes. Writes that send no signals (bulk imports, generated demo data)
are covered by the expiry: ``ANALYTICS_CACHE_SECONDS`` (default 60; 0 turns caching off).
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from core.cache import shared as cache  # fails open: Redis down, figures are computed uncached

T = TypeVar("T")
PREFIX = "analytics"
# The models analytics reads; a write to any of them makes the figures built on it stale.
WATCHED = (
    "accounts.Account",
    "sales.Lead",
    "sales.Opportunity",
    "activities.Activity",
    "campaigns.Campaign",
)


def cache_seconds() -> int:
    return int(getattr(settings, "ANALYTICS_CACHE_SECONDS", 60))


def _version_key(label: str) -> str:
    return f"{PREFIX}:version:{label}"


def _versions(labels: Iterable[str]) -> str:
    keys = [_version_key(label) for label in sorted(labels)]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)


def scope_of(viewer, labels: Iterable[str]) -> str:
    """Whose figures these are: "all" when the viewer sees every record of the models read
    (core.ownership), else the viewer's own (their records only)."""
    for label in labels:
        ownership = getattr(apps.get_model(label), "ownership", None)
        if ownership is not None and ownership.scope(viewer) is not None:
            return f"user{viewer.pk}"
    return "all"


def cached(
    name: str, params: dict, compute: Callable[[], T], *, reads: Iterable[str], viewer=None
) -> T:
    """``compute()``, or its cached result for the same parameters, viewer scope and data.

    ``reads``: the model labels (``"accounts.Account"``) the figures are computed from.
    ``viewer``: the user the figures are for (None: unscoped).
    """
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    reads = sorted(reads)
    scope = scope_of(viewer, reads)
    described = repr(sorted((key, str(value)) for key, value in params.items()))
    digest = hashlib.sha256(described.encode()).hexdigest()[:24]
    key = f"{PREFIX}:{name}:{scope}:{translation.get_language()}:{_versions(reads)}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def bump(label: str) -> None:
    """Make every cached figure that reads model ``label`` stale."""
    key = _version_key(label)
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from the missing 0
        cache.add(key, 1, timeout=None)
        cache.incr(key)


def _on_write(sender, **kwargs) -> None:
    label = sender._meta.label
    bump(label)
    transaction.on_commit(lambda: bump(label))


def connect_signals() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"analytics-cache-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"analytics-cache-delete-{label}")
