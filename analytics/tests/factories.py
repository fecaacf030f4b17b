"""Hand-built analytics data: every record with explicit timestamps, so windows can be exact.

Records are created with the models' managers (the services stamp ``created_at`` with now, and
analytics is all about when things happened); numbers come from a local counter.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account
from activities.models import Activity
from campaigns.models import Campaign
from sales.models import CLOSED_STAGES, DEFAULT_PROBABILITY, Opportunity, OpportunityStage

_numbers = itertools.count(1)


def at(value: str) -> datetime.datetime:
    """``"2023-03-31 23:59:59"`` (or a bare date) as an aware UTC datetime."""
    if len(value) == 10:
        value += " 00:00:00"
    return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)


def day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def soft_delete(record):
    """Mark a record deleted the way the services do, without touching its other fields."""
    type(record).all_objects.filter(pk=record.pk).update(deleted_at=timezone.now())
    return record


def account(created: str, **fields) -> Account:
    n = next(_numbers)
    fields.setdefault("name", f"Account {n}")
    return Account.objects.create(
        account_no=f"ACC{n:04d}", created_at=at(created), updated_at=at(created), **fields
    )


def opportunity(
    owner: Account,
    created: str,
    *,
    stage: str = OpportunityStage.PROSPECTING,
    closed: str | None = None,
    amount: str | None = None,
    **fields,
) -> Opportunity:
    n = next(_numbers)
    if stage in CLOSED_STAGES and closed is None:
        closed = created
    return Opportunity.objects.create(
        opportunity_no=f"OPP{n:04d}",
        account=owner,
        name=fields.pop("name", f"Deal {n}"),
        stage=stage,
        probability=DEFAULT_PROBABILITY[stage],
        estimated_amount=Decimal(amount or "0"),
        actual_amount=Decimal(amount) if amount is not None else None,
        closed_at=at(closed) if closed else None,
        created_at=at(created),
        updated_at=at(created),
        **fields,
    )


def won(owner: Account, closed: str, amount: str, *, created: str | None = None) -> Opportunity:
    return opportunity(
        owner, created or closed, stage=OpportunityStage.CLOSED_WON, closed=closed, amount=amount
    )


def lost(owner: Account, closed: str, *, created: str | None = None) -> Opportunity:
    return opportunity(owner, created or closed, stage=OpportunityStage.CLOSED_LOST, closed=closed)


def campaign(start: str | None, cost: str, **fields) -> Campaign:
    n = next(_numbers)
    return Campaign.objects.create(
        campaign_no=f"CMP{n:04d}",
        name=fields.pop("name", f"Campaign {n}"),
        type=fields.pop("type", "email"),
        start_date=day(start) if start else None,
        actual_cost=Decimal(cost),
        **fields,
    )


def activity(owner: Account, start: str | None, **fields) -> Activity:
    n = next(_numbers)
    return Activity.objects.create(
        account=owner,
        type=fields.pop("type", "call"),
        subject=fields.pop("subject", f"Call {n}"),
        start_time=at(start) if start else None,
        **fields,
    )
