"""Read paths for accounts: each returns a queryset with its joins decided here."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Account, AccountStatusChange, CreditAssessment
from contacts.models import Contact


def account_list() -> QuerySet[Account]:
    return Account.objects.select_related("owner", "created_by", "updated_by")


def account_detail() -> QuerySet[Account]:
    live_contacts = Contact.objects.order_by("created_at", "id")
    return account_list().prefetch_related(Prefetch("contacts", queryset=live_contacts))


def account_status_history(*, account: Account) -> QuerySet[AccountStatusChange]:
    return account.status_changes.select_related("changed_by").order_by("-changed_at", "-id")


def account_credit_assessments(*, account: Account) -> QuerySet[CreditAssessment]:
    return account.credit_assessments.select_related("created_by").order_by(
        "-assessment_date", "-created_at", "-id"
    )
