"""Demo data: a realistic, deterministic CRM population, written in bulk.

``generate(accounts=N, seed=S)`` creates N accounts and, in fixed proportions, their contacts
(2 per account), activities (5), cases (0.3), leads (0.5) and opportunities (0.5), plus one
campaign per 1,000 accounts (at least 3). Names, regions, industries and addresses are Chinese;
every date falls in the two years before ``end_date`` (default: today, UTC).

Speed: rows are built as plain dicts (demo.builder) and written per chunk of accounts, with
PostgreSQL's COPY on PostgreSQL and ``bulk_create`` elsewhere (demo.loading); one chunk is one
transaction, so an interrupted run keeps whole chunks only. Business numbers (ACC, CAS, OPP,
CMP) are reserved from ``core.models.Sequence`` like every other writer, so later API creates
continue the series.

Determinism: the same seed, size and end date give the same rows (ids included) on an empty
database. Records are owned by a few demo users (created when missing, with unusable passwords:
staff give them a password and groups in the admin). Generated rows have no audit-trail
(history) entries and no status-change history: they are seed data, not changes anyone made.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from accounts.models import Account
from activities.models import Activity
from campaigns.models import Campaign
from cases.models import Case
from contacts.models import Contact
from core.models import reserve_business_numbers
from demo.builder import DemoBuilder
from demo.loading import GENERATED_MODELS, RowWriter, deferred_indexes
from demo.plan import CHUNK_ACCOUNTS, PER_ACCOUNT, DemoPlan
from sales.models import Lead, Opportunity

UTC = datetime.UTC

DEMO_OWNERS = [
    ("demo_sales_1", "张伟"),
    ("demo_sales_2", "王芳"),
    ("demo_sales_3", "李娜"),
    ("demo_sales_4", "刘洋"),
    ("demo_sales_5", "陈静"),
]


def demo_owner_ids() -> list[int]:
    """The demo users who own the generated records (created once, unusable passwords)."""
    user_model = get_user_model()
    ids = []
    for username, display_name in DEMO_OWNERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        ids.append(user.pk)
    return ids


def default_end_date() -> datetime.date:
    return datetime.datetime.now(UTC).date()


def generate(
    *,
    accounts: int,
    seed: int = 1,
    end_date: datetime.date | None = None,
    chunk_accounts: int = CHUNK_ACCOUNTS,
    fast_load: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> DemoPlan:
    """Create ``accounts`` accounts and their proportional records; returns the counts made.

    ``progress(table, rows)`` is called after each chunk is committed (for a progress bar).
    ``fast_load`` (PostgreSQL, empty tables only) builds the indexes after the rows are in.
    """
    plan = DemoPlan.for_accounts(accounts)
    if not accounts:
        return plan
    if fast_load and connection.vendor == "postgresql":
        if any(model.all_objects.exists() for model in GENERATED_MODELS):
            raise ValueError("fast_load needs empty tables.")
        with deferred_indexes():
            _generate(
                plan, seed=seed, end_date=end_date, chunk_accounts=chunk_accounts, progress=progress
            )
    else:
        _generate(
            plan, seed=seed, end_date=end_date, chunk_accounts=chunk_accounts, progress=progress
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in GENERATED_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return plan


def _generate(plan: DemoPlan, *, seed, end_date, chunk_accounts, progress) -> None:
    accounts = plan.accounts
    end_date = end_date or default_end_date()
    end = datetime.datetime.combine(end_date, datetime.time(), tzinfo=UTC)
    builder = DemoBuilder(seed=seed, end=end, owner_ids=demo_owner_ids())
    writer = RowWriter()
    report = progress or (lambda table, rows: None)

    with transaction.atomic():
        numbers = reserve_business_numbers(Campaign.NUMBER_PREFIX, plan.campaigns)
        report("campaigns", writer.write(Campaign, builder.campaigns(plan.campaigns, numbers)))

    for first in range(0, accounts, chunk_accounts):
        count = min(chunk_accounts, accounts - first)
        with transaction.atomic():
            if writer.copy:
                # Durability of each chunk is not worth a disk flush: a crash loses whole chunks.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            quota = {
                name: (first + count) * num // den - first * num // den
                for name, (num, den) in PER_ACCOUNT.items()
            }
            numbers = {
                "accounts": reserve_business_numbers(Account.NUMBER_PREFIX, count),
                "cases": reserve_business_numbers(Case.NUMBER_PREFIX, quota["cases"]),
                "opportunities": reserve_business_numbers(
                    Opportunity.NUMBER_PREFIX, quota["opportunities"]
                ),
            }
            chunk = builder.chunk(first=first, count=count, total=accounts, numbers=numbers)
            for model in (Account, Contact, Activity, Case, Opportunity, Lead):
                rows = chunk.rows.get(model, [])
                report(model._meta.model_name, writer.write(model, rows))
