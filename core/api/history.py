"""GET /{resource}/{id}/history: the audit trail of one record (django-simple-history)."""

from rest_framework import serializers

from core.history import describe
from core.text import camel_key


class HistoryEntrySerializer(serializers.Serializer):
    """One change: who, when, what kind, and each field's value before and after."""

    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "updated", "deleted", "restored"])
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField()
    reason = serializers.CharField(allow_null=True, help_text="why, where known (status changes)")
    changes = serializers.ListField(
        child=serializers.DictField(),
        help_text="[{field, from, to, fromLabel, toLabel}]: camelCase field names, stored values "
        "(codes, ids) in from/to, as staff read them (labels, numbers and names) in the labels",
    )


def history_entries(records: list, previous_of_last) -> list[dict]:
    """Turn historical rows, newest first, into entries; ``previous_of_last`` is the row just
    before the last one (None when the page ends at the creation)."""
    return [
        {
            "id": entry.record.history_id,
            "action": entry.action,
            "changed_by": entry.username,
            "changed_at": entry.date,
            "reason": entry.reason,
            "changes": [
                {
                    "field": camel_key(change.field.name),
                    "from": change.old,
                    "to": change.new,
                    "fromLabel": change.old_label,
                    "toLabel": change.new_label,
                }
                for change in entry.changes
            ],
        }
        for entry in describe(records, previous_of_last)
    ]
