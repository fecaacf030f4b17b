"""generate_demo_data: proportional, realistic, deterministic, consistent with the numbering."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Account, AccountType
from accounts.tests.factories import make_account
from activities.models import Activity
from campaigns.models import Campaign
from cases.models import Case, CaseStatus
from contacts.models import Contact
from core.models import Sequence
from demo import generate as demo
from sales.models import Lead, LeadStatus, Opportunity, OpportunityStage

END = datetime.date(2025, 6, 30)
REGIONS = {"华北", "华东", "华南", "华中", "西南", "西北", "东北"}
GENERATED = (Lead, Opportunity, Case, Activity, Contact, Account, Campaign)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_demo_data", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def wipe() -> None:
    for model in GENERATED:
        model.all_objects.all().delete()
    Sequence.objects.all().delete()


def snapshot() -> list[tuple]:
    return [
        list(model.all_objects.order_by("id").values_list(*fields))
        for model, fields in [
            (Account, ("id", "account_no", "name", "region", "industry", "created_at")),
            (Contact, ("id", "account_id", "name", "email")),
            (Activity, ("id", "contact_id", "subject", "start_time")),
            (Case, ("id", "case_no", "status")),
            (Opportunity, ("id", "opportunity_no", "stage", "estimated_amount", "campaign_id")),
            (Lead, ("id", "name", "status", "converted_account_id")),
            (Campaign, ("id", "campaign_no", "name")),
        ]
    ]


@pytest.mark.django_db
def test_counts_follow_the_proportions():
    output = run("--accounts", "30", "--end-date", END.isoformat())

    assert Account.objects.count() == 30
    assert Contact.objects.count() == 60
    assert Activity.objects.count() == 150
    assert Case.objects.count() == 9
    assert Lead.objects.count() == 15
    assert Opportunity.objects.count() == 15
    assert Campaign.objects.count() == 3  # at least three, whatever the size
    assert "accounts 30" in output


def test_plan_is_exact_for_the_benchmark_size():
    plan = demo.DemoPlan.for_accounts(1_000_000)
    assert (plan.contacts, plan.activities, plan.cases) == (2_000_000, 5_000_000, 300_000)
    assert (plan.leads, plan.opportunities, plan.campaigns) == (500_000, 500_000, 1000)


@pytest.mark.django_db
def test_rows_are_realistic_and_inside_the_two_years():
    run("--accounts", "40", "--end-date", END.isoformat(), "--seed", "3")
    end = datetime.datetime.combine(END, datetime.time(), tzinfo=datetime.UTC)
    start = end - datetime.timedelta(days=730)

    accounts = list(Account.objects.all())
    assert {account.region for account in accounts} <= REGIONS
    corporate = [a for a in accounts if a.type == AccountType.CORPORATE]
    assert corporate and all(a.name.endswith("公司") for a in corporate)
    assert all(start <= a.created_at < end for a in accounts)
    assert all(a.owner_id is not None and a.created_by_id == a.owner_id for a in accounts)
    for contact in Contact.objects.select_related("account"):
        assert contact.created_at >= contact.account.created_at
    for activity in Activity.objects.exclude(contact=None).select_related("contact"):
        assert activity.contact.account_id == activity.account_id
    for case in Case.objects.all():
        assert (case.closed_at is not None) == (case.status == CaseStatus.CLOSED)
    for deal in Opportunity.objects.filter(stage=OpportunityStage.CLOSED_WON):
        assert deal.actual_amount is not None and deal.closed_at is not None
    for lead in Lead.objects.filter(status=LeadStatus.CONVERTED):
        assert lead.converted_account_id is not None


@pytest.mark.django_db
def test_same_seed_same_data_and_another_seed_other_data():
    run("--accounts", "20", "--seed", "7", "--end-date", END.isoformat())
    first = snapshot()
    wipe()
    run("--accounts", "20", "--seed", "7", "--end-date", END.isoformat())
    assert snapshot() == first
    wipe()
    run("--accounts", "20", "--seed", "8", "--end-date", END.isoformat())
    assert snapshot()[0] != first[0]


@pytest.mark.django_db
def test_if_empty_does_nothing_once_accounts_exist():
    make_account(name="已有客户")
    output = run("--accounts", "10", "--if-empty")
    assert Account.objects.count() == 1
    assert "already exist" in output


@pytest.mark.django_db
def test_if_empty_generates_on_an_empty_database():
    run("--accounts", "10", "--if-empty")
    assert Account.objects.count() == 10


@pytest.mark.django_db
def test_business_numbers_continue_after_the_generated_ones():
    make_account(name="先建的客户")  # ACC001
    run("--accounts", "12")
    numbers = set(Account.objects.values_list("account_no", flat=True))
    assert numbers == {f"ACC{n:03d}" for n in range(1, 14)}
    assert make_account(name="后建的客户").account_no == "ACC014"
    case_numbers = sorted(Case.objects.values_list("case_no", flat=True))
    assert case_numbers == [f"CAS{n:03d}" for n in range(1, len(case_numbers) + 1)]


@pytest.mark.django_db
def test_generated_records_are_served_by_the_api(admin_client):
    run("--accounts", "15")
    body = admin_client.get("/api/v1/crm/accounts", {"pageSize": 100}).json()
    assert body["data"]["total"] == 15
    account_id = body["data"]["list"][0]["id"]
    detail = admin_client.get(f"/api/v1/crm/accounts/{account_id}").json()["data"]
    assert len(detail["contacts"]) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuild: PostgreSQL")
@pytest.mark.django_db
def test_fast_load_leaves_every_index_and_foreign_key_in_place():
    def schema():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")
            indexes = sorted(row[0] for row in cursor.fetchall())
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint")
            constraints = sorted(cursor.fetchall())
        return indexes, constraints

    before = schema()
    run("--accounts", "25", "--fast-load")
    assert schema() == before
    assert Activity.objects.count() == 125


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuild: PostgreSQL")
@pytest.mark.django_db
def test_fast_load_refuses_tables_that_hold_rows():
    make_account(name="已有客户")
    with pytest.raises(Exception, match="empty tables"):
        run("--accounts", "5", "--fast-load")
