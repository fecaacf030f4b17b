"""GET /{resource}/{id}/history: the audit trail of one record (django-simple-history)."""

from rest_framework import serializers

from core.text import camel_key

# Implied by changedBy / changedAt, or never changed after creation.
NOT_SHOWN = ["id", "created_at", "created_by", "updated_at", "updated_by", "deleted_by"]


class HistoryEntrySerializer(serializers.Serializer):
    """One change: who, when, what kind, and each field's value before and after."""

    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "updated", "deleted", "restored"])
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField()
    changes = serializers.ListField(
        child=serializers.DictField(), help_text="[{field, from, to}] with camelCase field names"
    )


def _tracked(record) -> list:
    return [f for f in record.instance_type._meta.concrete_fields if f.name not in NOT_SHOWN]


def history_entries(records: list, previous_of_last) -> list[dict]:
    """Turn historical rows, newest first, into entries; ``previous_of_last`` is the row just
    before the last one (None when the page ends at the creation)."""
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else previous_of_last
        action, changes = "updated", []
        for field in _tracked(record):
            new = getattr(record, field.attname)
            old = None if previous is None else getattr(previous, field.attname)
            if old == new or (previous is None and new in (None, "")):
                continue
            if field.name == "deleted_at":
                action = "restored" if new is None else "deleted"
                continue
            changes.append({"field": camel_key(field.name), "from": old, "to": new})
        if previous is None or record.history_type == "+":
            action = "created"
        elif record.history_type == "-":
            action = "deleted"
        entries.append(
            {
                "id": record.history_id,
                "action": action,
                "changed_by": record.history_user.username if record.history_user else None,
                "changed_at": record.history_date,
                "changes": changes,
            }
        )
    return entries
