"""Read paths for accounts: each returns a queryset with its joins decided here."""

from django.db import connection
from django.db.models import Prefetch, QuerySet

from accounts.models import Account, AccountStatusChange, CreditAssessment
from contacts.models import Contact


def account_list() -> QuerySet[Account]:
    return Account.objects.select_related("owner", "created_by", "updated_by")


def account_live_total() -> int | None:
    """The number of live accounts, read from the counter the database keeps as rows are
    written (accounts/migrations/0005_perf_live_count.py), instead of counting a million rows;
    None where there is no counter (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT live FROM accounts_live_count")
        row = cursor.fetchone()
    return row[0] if row is not None else None


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
