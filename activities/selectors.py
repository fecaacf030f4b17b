"""Read paths for activities: the joins every list and detail needs, decided once."""

from django.db.models import Prefetch, QuerySet

from activities.models import Activity
from core.models import StoredFile


def activity_list() -> QuerySet[Activity]:
    """Live activities of live accounts; ``accountName`` / ``contactName`` in the same query."""
    return Activity.objects.select_related("account", "contact", "created_by", "updated_by")


def activity_detail() -> QuerySet[Activity]:
    """The list's joins plus the attachments (one more query, in upload order)."""
    attachments = StoredFile.objects.order_by("created_at", "id")
    return activity_list().prefetch_related(Prefetch("attachments", queryset=attachments))
