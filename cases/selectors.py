"""Read paths for cases: each returns a queryset with its joins decided here."""

from django.db.models import Prefetch, QuerySet

from cases.models import Case, CaseComment
from core.models import StoredFile


def case_list() -> QuerySet[Case]:
    return Case.objects.select_related("account", "contact", "owner", "created_by", "updated_by")


def case_detail() -> QuerySet[Case]:
    """The list's joins plus the comment thread and the attachments, both oldest first."""
    thread = CaseComment.objects.select_related("created_by").order_by("created_at", "id")
    attachments = StoredFile.objects.order_by("created_at", "id")
    return case_list().prefetch_related(
        Prefetch("comments", queryset=thread), Prefetch("attachments", queryset=attachments)
    )
