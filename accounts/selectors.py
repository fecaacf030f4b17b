"""Read paths for accounts: each returns a queryset with its joins decided here."""

from django.db import connection
from django.db.models import Prefetch, QuerySet

from accounts.models import Account, AccountStatusChange, CreditAssessment
from contacts.models import Contact


def account_list() -> QuerySet[Account]:
    return Account.objects.select_related("owner", "created_by", "updated_by")


def account_count(queryset: QuerySet[Account]) -> int:
    """The exact number of rows of a list queryset. All live accounts, unfiltered (what the
    default list and every dashboard ask for), are read from the counter the database keeps
    (accounts/migrations/0005_perf_live_count.py) instead of counted row by row."""
    if connection.vendor == "postgresql" and _all_live(queryset):
        with connection.cursor() as cursor:
            cursor.execute("SELECT live FROM accounts_live_count")
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    return queryset.count()


def _all_live(queryset: QuerySet[Account]) -> bool:
    query = queryset.query
    return (
        query.where == Account.objects.all().query.where
        and not query.distinct
        and query.combinator is None
        and query.low_mark == 0
        and query.high_mark is None
    )


def account_detail() -> QuerySet[Account]:
    live_contacts = Contact.objects.order_by("created_at", "id")
    return account_list().prefetch_related(Prefetch("contacts", queryset=live_contacts))


def account_status_history() -> QuerySet[AccountStatusChange]:
    """Every account's status changes, newest first (the view narrows them to one account)."""
    return AccountStatusChange.objects.select_related("changed_by").order_by("-changed_at", "-id")


def account_credit_assessments() -> QuerySet[CreditAssessment]:
    """Every account's credit assessments, newest first (the view narrows them to one)."""
    return CreditAssessment.objects.select_related("created_by").order_by(
        "-assessment_date", "-created_at", "-id"
    )
