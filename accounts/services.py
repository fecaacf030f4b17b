"""Every write to an account goes through here: API, admin and imports alike."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, AccountStatusChange, CreditAssessment
from core import services
from core.bulk import writer as bulk
from core.exceptions import BusinessError, ErrorCode
from core.models import reserve_business_numbers


@transaction.atomic
def account_create(*, by, **fields) -> Account:
    return services.insert(Account(**fields), by=by, number_field="account_no")


@transaction.atomic
def account_update(*, account: Account, data: dict, by) -> Account:
    """Partial update; a status change made here is kept in the history like any other."""
    account = services.lock_live(account, missing=ErrorCode.ACCOUNT_NOT_FOUND)
    old_status = {account.pk: account.status}
    services.model_update(instance=account, data=data, by=by)
    _record_status_changes([account], old_status, by=by)
    return account


@transaction.atomic
def account_change_status(
    *, account: Account, status: str, by, reason: str | None = None
) -> Account:
    account = services.lock_live(account, missing=ErrorCode.ACCOUNT_NOT_FOUND)
    old_status = {account.pk: account.status}
    services.model_update(instance=account, data={"status": status}, by=by)
    _record_status_changes([account], old_status, reason=reason, by=by)
    return account


def _record_status_changes(
    accounts: list[Account], old_status: dict, *, by, reason: str | None = None
) -> None:
    """A history row for each account whose status is no longer ``old_status[account.pk]``,
    dated by the update that changed it (one INSERT; none when no status changed)."""
    AccountStatusChange.objects.bulk_create(
        AccountStatusChange(
            account=account,
            from_status=old_status[account.pk],
            to_status=account.status,
            reason=reason,
            changed_by=services.acting_user(by),
            changed_at=account.updated_at,
        )
        for account in accounts
        if account.status != old_status[account.pk]
    )


def account_delete(*, account: Account, by) -> None:
    """Soft delete: the account and its contacts leave the API; staff can restore both."""
    services.soft_delete(instance=account, by=by, missing=ErrorCode.ACCOUNT_NOT_FOUND)


@transaction.atomic
def account_restore(*, account: Account, by) -> Account:
    if account.tax_no and Account.objects.filter(tax_no=account.tax_no).exists():
        raise BusinessError(
            ErrorCode.BAD_REQUEST,
            _("Cannot restore: a live account already has tax number %(tax_no)s.")
            % {"tax_no": account.tax_no},
        )
    services.restore(instance=account, by=by)
    return account


@transaction.atomic
def restore_under_live_account(*, instance, by) -> None:
    """Bring back a soft-deleted record that belongs to an account (a contact, an activity);
    its account must be live first, or the record would come back under a deleted account."""
    account = Account.all_objects.get(pk=instance.account_id)
    if account.is_deleted:
        raise BusinessError(
            ErrorCode.ACCOUNT_NOT_FOUND,
            _(
                "Cannot restore %(record)s: its account %(account)s is deleted; restore the "
                "account first."
            )
            % {"record": instance, "account": account},
        )
    services.restore(instance=instance, by=by)


@transaction.atomic
def credit_assessment_create(
    *,
    account: Account,
    by,
    credit_score: int,
    credit_limit: Decimal | None = None,
    assessment_date: datetime.date | None = None,
    assessor: str | None = None,
    remarks: str | None = None,
) -> CreditAssessment:
    """Record an assessment; a given ``credit_limit`` becomes the account's credit limit."""
    account = services.lock_live(account, missing=ErrorCode.ACCOUNT_NOT_FOUND)
    user = services.acting_user(by)
    assessment = CreditAssessment.objects.create(
        account=account,
        assessment_date=assessment_date or timezone.localdate(timezone=datetime.UTC),
        assessor=assessor or (user.username if user else ""),
        credit_score=credit_score,
        credit_limit=credit_limit,
        remarks=remarks,
        created_by=user,
    )
    if credit_limit is not None:
        services.model_update(instance=account, data={"credit_limit": credit_limit}, by=by)
    return assessment


@transaction.atomic
def account_bulk_create(*, rows: list[dict], by) -> list[Account]:
    """Create many accounts at once (imports): one numbering statement, one INSERT, and an
    audit-trail entry each, as ``account_create`` gives one account."""
    if not rows:
        return []
    numbers = reserve_business_numbers(Account.NUMBER_PREFIX, len(rows))
    accounts = []
    for number, fields in zip(numbers, rows, strict=True):
        account = Account(**fields)
        account.account_no = number
        services.stamp_new(account, by=by)
        accounts.append(account)
    return bulk.insert_with_history(Account, accounts, user=services.acting_user(by))


@transaction.atomic
def account_bulk_update(*, pairs: list[tuple[Account, dict]], by) -> int:
    """Apply many partial updates at once, as ``account_update`` does one: only accounts that
    change are written (with an audit-trail entry); status changes go to the status history.
    Returns how many changed."""
    user = services.acting_user(by)
    old_status = {account.pk: account.status for account, _data in pairs}
    changed, fields = bulk.apply_changes(pairs, user=user)
    bulk.update_with_history(Account, changed, fields, user=user)
    _record_status_changes(changed, old_status, by=by)
    return len(changed)
