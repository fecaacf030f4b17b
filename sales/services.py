"""Every write to a lead or an opportunity goes through here: API, admin and imports alike."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, AccountType
from accounts.services import account_create
from contacts.models import Contact
from contacts.services import contact_create
from core import services
from core.bulk import writer as bulk
from core.exceptions import DEFAULT_MESSAGES, BusinessError, ErrorCode, RecordNotFound
from sales.models import (
    CLOSED_STAGES,
    CONVERTIBLE_STATUSES,
    DEFAULT_PROBABILITY,
    Lead,
    LeadStatus,
    Opportunity,
    OpportunityStage,
)

# --- Leads -------------------------------------------------------------------------------------


def _only_through_conversion() -> BusinessError:
    return BusinessError(
        ErrorCode.LEAD_STATUS_INVALID,
        _("A lead becomes converted only through POST /leads/{id}/convert."),
    )


def _check_status_change(lead: Lead, status: str) -> None:
    """A client may not set ``converted`` (conversion does), nor leave it once reached."""
    if status != lead.status:
        if status == LeadStatus.CONVERTED:
            raise _only_through_conversion()
        if lead.status == LeadStatus.CONVERTED:
            raise BusinessError(
                ErrorCode.LEAD_STATUS_INVALID,
                _("The status of a converted lead cannot be changed."),
            )


def _new_lead(fields: dict) -> Lead:
    """An unsaved lead; no lead starts converted."""
    if fields.get("status") == LeadStatus.CONVERTED:
        raise _only_through_conversion()
    return Lead(**fields)


@transaction.atomic
def lead_create(*, by, **fields) -> Lead:
    return services.insert(_new_lead(fields), by=by)


@transaction.atomic
def lead_update(*, lead: Lead, data: dict, by) -> Lead:
    """Partial update; ``converted`` is reached only by conversion and is final."""
    lead = services.lock_live(lead, missing=ErrorCode.LEAD_NOT_FOUND)
    _check_status_change(lead, data.get("status", lead.status))
    services.model_update(instance=lead, data=data, by=by)
    return lead


def lead_delete(*, lead: Lead, by) -> None:
    services.soft_delete(instance=lead, by=by, missing=ErrorCode.LEAD_NOT_FOUND)


@dataclass(frozen=True)
class LeadConversion:
    """What a conversion produced; ``account_created`` tells a new account from an existing one."""

    lead: Lead
    account: Account
    account_created: bool
    contact: Contact | None
    opportunity: Opportunity | None


@transaction.atomic
def lead_convert(
    *,
    lead: Lead,
    by,
    create_account: bool = True,
    account: Account | None = None,
    create_contact: bool = True,
    opportunity_name: str | None = None,
    estimated_amount: Decimal | None = None,
    close_date: datetime.date | None = None,
) -> LeadConversion:
    """Turn a new or qualified lead into an account (new or existing), a contact and an
    opportunity, and mark it converted: all of it in one transaction, or none of it.

    The lead row is locked first, so of two concurrent conversions the second waits and then
    finds the lead already converted (4009).
    """
    locked = Lead.objects.select_for_update().filter(pk=lead.pk).first()
    if locked is None:
        raise RecordNotFound(ErrorCode.LEAD_NOT_FOUND)
    lead = locked
    if lead.status == LeadStatus.CONVERTED:
        raise BusinessError(
            ErrorCode.LEAD_STATUS_INVALID, _("This lead has already been converted.")
        )
    if lead.status not in CONVERTIBLE_STATUSES:
        raise BusinessError(
            ErrorCode.LEAD_STATUS_INVALID,
            _("Only a new or qualified lead can be converted (this one is %(status)s).")
            % {"status": lead.status},
        )

    if create_account:
        account = account_create(
            by=by,
            name=lead.company or lead.name,
            type=AccountType.CORPORATE if lead.company else AccountType.INDIVIDUAL,
            contact_person=lead.contact_person,
            phone=lead.phone,
            email=lead.email,
        )
    else:
        account = _lock_live_account(account)

    contact = None
    if create_contact:
        contact = contact_create(
            account=account,
            by=by,
            name=lead.contact_person or lead.name,
            phone=lead.phone,
            email=lead.email,
        )

    opportunity = None
    if opportunity_name:
        opportunity = opportunity_create(
            by=by,
            account=account,
            name=opportunity_name,
            stage=OpportunityStage.PROSPECTING,
            estimated_amount=estimated_amount if estimated_amount is not None else Decimal(0),
            close_date=close_date,
            campaign_id=lead.campaign_id,
        )

    _mark_lead_converted(lead, account=account, contact=contact, opportunity=opportunity, by=by)
    return LeadConversion(
        lead=lead,
        account=account,
        account_created=create_account,
        contact=contact,
        opportunity=opportunity,
    )


def _lock_live_account(account: Account | None) -> Account:
    """The existing account a conversion goes into, locked. None is invalid input (400: the
    field is required with createAccount false); an account deleted meanwhile is 4001, as an
    accountId that names no live account is (CONTRACT.md §6)."""
    if account is None:
        message = _("accountId is required when createAccount is false.")
        raise BusinessError(ErrorCode.BAD_REQUEST, message, data={"accountId": [message]})
    locked = Account.objects.select_for_update().filter(pk=account.pk).first()
    if locked is None:
        message = str(DEFAULT_MESSAGES[ErrorCode.ACCOUNT_NOT_FOUND])
        raise BusinessError(ErrorCode.ACCOUNT_NOT_FOUND, message, data={"accountId": [message]})
    return locked


def _mark_lead_converted(
    lead: Lead,
    *,
    account: Account,
    contact: Contact | None,
    opportunity: Opportunity | None,
    by,
) -> None:
    """The conversion's last step: the lead records what it became."""
    services.model_update(
        instance=lead,
        data={
            "status": LeadStatus.CONVERTED,
            "converted_account": account,
            "converted_contact": contact,
            "converted_opportunity": opportunity,
            "converted_at": timezone.now(),
        },
        by=by,
    )


# --- Opportunities -----------------------------------------------------------------------------


@transaction.atomic
def opportunity_create(
    *,
    by,
    account: Account,
    name: str,
    stage: str = OpportunityStage.PROSPECTING,
    probability: int | None = None,
    actual_amount: Decimal | None = None,
    **fields,
) -> Opportunity:
    """A new opportunity; probability defaults by stage, a closed stage is stamped at once."""
    opportunity = Opportunity(
        account=account,
        name=name,
        stage=stage,
        probability=DEFAULT_PROBABILITY[stage] if probability is None else probability,
        actual_amount=actual_amount,
        **fields,
    )
    if stage in CLOSED_STAGES:
        opportunity.closed_at = timezone.now()
    if stage == OpportunityStage.CLOSED_WON and actual_amount is None:
        opportunity.actual_amount = opportunity.estimated_amount
    return services.insert(opportunity, by=by, number_field="opportunity_no")


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, data: dict, by) -> Opportunity:
    """Partial update with the stage rules.

    A stage change without a probability takes the new stage's default; entering a closed stage
    stamps ``closedAt`` (leaving one clears it); closed_won without an ``actualAmount`` takes the
    ``estimatedAmount``.
    """
    opportunity = Opportunity.all_objects.select_for_update().get(pk=opportunity.pk)
    data = dict(data)
    stage = data.get("stage", opportunity.stage)
    if stage != opportunity.stage:
        data["closed_at"] = timezone.now() if stage in CLOSED_STAGES else None
        if data.get("probability") is None:
            data["probability"] = DEFAULT_PROBABILITY[stage]
    elif "probability" in data and data["probability"] is None:
        data["probability"] = DEFAULT_PROBABILITY[stage]
    won = stage == OpportunityStage.CLOSED_WON
    if won and data.get("actual_amount", opportunity.actual_amount) is None:
        data["actual_amount"] = data.get("estimated_amount", opportunity.estimated_amount)
    services.model_update(instance=opportunity, data=data, by=by)
    return opportunity


def opportunity_delete(*, opportunity: Opportunity, by) -> None:
    services.soft_delete(instance=opportunity, by=by, missing=ErrorCode.OPPORTUNITY_NOT_FOUND)


# --- Bulk (imports) ----------------------------------------------------------------------------


@transaction.atomic
def lead_bulk_create(*, rows: list[dict], by) -> list[Lead]:
    """Create many leads at once (imports) with ``lead_create``'s rules and an audit-trail
    entry each."""
    leads = [_new_lead(fields) for fields in rows]
    for lead in leads:
        services.stamp_new(lead, by=by)
    return bulk.insert_with_history(Lead, leads, user=services.acting_user(by))


@transaction.atomic
def lead_bulk_update(*, pairs: list[tuple[Lead, dict]], by) -> int:
    """Apply many partial updates at once with ``lead_update``'s rules; only leads that change
    are written (with an audit-trail entry). Returns how many changed."""
    for lead, data in pairs:
        _check_status_change(lead, data.get("status", lead.status))
    user = services.acting_user(by)
    changed, fields = bulk.apply_changes(pairs, user=user)
    bulk.update_with_history(Lead, changed, fields, user=user)
    return len(changed)
