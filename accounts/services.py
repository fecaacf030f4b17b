"""Every write to an account goes through here: API, admin and imports alike."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, AccountStatusChange, CreditAssessment
from core import bulk, services
from core.exceptions import BusinessError, ErrorCode
from core.models import next_business_number, reserve_business_numbers


@transaction.atomic
def account_create(*, by, **fields) -> Account:
    account = Account(**fields)
    account.account_no = next_business_number(Account.NUMBER_PREFIX)
    services.stamp_new(account, by=by)
    account.save(force_insert=True)
    return account


@transaction.atomic
def account_update(*, account: Account, data: dict, by) -> Account:
    """Partial update; a status change made here is kept in the history like any other."""
    account = services.lock_live(account, missing=ErrorCode.ACCOUNT_NOT_FOUND)
    old_status = account.status
    services.model_update(instance=account, data=data, by=by)
    if account.status != old_status:
        _record_status_change(account, old_status, reason=None, by=by)
    return account


@transaction.atomic
def account_change_status(
    *, account: Account, status: str, by, reason: str | None = None
) -> Account:
    account = services.lock_live(account, missing=ErrorCode.ACCOUNT_NOT_FOUND)
    old_status = account.status
    if services.model_update(instance=account, data={"status": status}, by=by):
        _record_status_change(account, old_status, reason=reason, by=by)
    return account


def _record_status_change(account: Account, old_status: str, *, reason, by) -> None:
    AccountStatusChange.objects.create(
        account=account,
        from_status=old_status,
        to_status=account.status,
        reason=reason,
        changed_by=services.acting_user(by),
        changed_at=account.updated_at,
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
    now = timezone.now()
    old_status = {account.pk: account.status for account, _data in pairs}
    changed, fields = bulk.apply_changes(pairs, user=user, now=now)
    bulk.update_with_history(Account, changed, fields, user=user)
    AccountStatusChange.objects.bulk_create(
        AccountStatusChange(
            account=account,
            from_status=old_status[account.pk],
            to_status=account.status,
            changed_by=user,
            changed_at=now,
        )
        for account in changed
        if account.status != old_status[account.pk]
    )
    return len(changed)
