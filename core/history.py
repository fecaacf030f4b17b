"""The audit trail (django-simple-history) as staff read it, for the API's ``/history`` and the
admin's history pages alike: what each change did, field by field, with readable values
(choice labels, related records by number and name, users by username, local times) and the
reason where there is one.

A model can supply reasons the trail itself does not store (an account's status change keeps
its reason in the status history): ``history_annotations()`` adds columns to the historical
rows in the page's own statement, and ``history_reason(entry)`` reads them.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import pgettext_lazy

from core.display import field_value_label

# Implied by who/when of the change itself, or never changed after creation.
NOT_SHOWN = ["id", "created_at", "created_by", "updated_at", "updated_by", "deleted_by"]

ACTIONS = {
    "created": pgettext_lazy("history action", "Created"),
    "updated": pgettext_lazy("history action", "Changed"),
    "deleted": pgettext_lazy("history action", "Deleted"),
    "restored": pgettext_lazy("history action", "Restored"),
}


@dataclass
class Change:
    field: models.Field
    old: object  # the stored values (codes, ids), as the API gives them in from/to
    new: object
    old_label: str | None  # as staff read them
    new_label: str | None

    @property
    def name(self) -> str:
        return self.field.verbose_name


@dataclass
class Entry:
    record: object  # the historical row
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str | None = None

    @property
    def action_label(self) -> str:
        return ACTIONS[self.action]

    @property
    def username(self) -> str | None:
        user = self.record.history_user
        return user.get_username() if user is not None else None

    @property
    def date(self):
        return self.record.history_date

    def change(self, name: str) -> Change | None:
        return next((c for c in self.changes if c.field.name == name), None)


def tracked_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in NOT_SHOWN]


def history_queryset(model) -> models.QuerySet:
    """The model's historical rows with what :func:`describe` reads, in one statement: the
    author, the related records of the tracked fields, and the model's reason columns."""
    related = [f.name for f in tracked_fields(model) if f.is_relation]
    rows = model.history.select_related("history_user", *related)
    annotations = getattr(model, "history_annotations", None)
    return rows.annotate(**annotations()) if annotations else rows


def describe(records: list, previous_of_last) -> list[Entry]:
    """Turn historical rows, newest first, into entries; ``previous_of_last`` is the row just
    before the last one (None when the page ends at the creation)."""
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else previous_of_last
        entry = Entry(record=record, action="updated")
        for tracked in tracked_fields(record.instance_type):
            new = getattr(record, tracked.attname)
            old = None if previous is None else getattr(previous, tracked.attname)
            if old == new or (previous is None and new in (None, "")):
                continue
            if tracked.name == "deleted_at":
                entry.action = "restored" if new is None else "deleted"
                continue
            entry.changes.append(
                Change(
                    tracked,
                    old,
                    new,
                    _label(tracked, old, previous),
                    _label(tracked, new, record),
                )
            )
        if previous is None or record.history_type == "+":
            entry.action = "created"
        elif record.history_type == "-":
            entry.action = "deleted"
        entry.reason = _reason(entry)
        entries.append(entry)
    return entries


def _label(tracked: models.Field, value, record) -> str | None:
    if value is None or not tracked.is_relation:
        return field_value_label(tracked, value)
    # The related record came with the page (history_queryset); one that is gone shows its id.
    cached = record._meta.get_field(tracked.name)
    related = getattr(record, tracked.name) if cached.is_cached(record) else None
    if related is None:
        return str(value)
    if hasattr(related, "get_username"):
        return related.get_username()
    return str(related)


def _reason(entry: Entry) -> str | None:
    stored = entry.record.history_change_reason
    if stored:
        return stored
    model_reason = getattr(entry.record.instance_type, "history_reason", None)
    return model_reason(entry) if model_reason else None
