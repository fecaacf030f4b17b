"""POST /leads/{id}/convert (seed §7.3, CONTRACT.md Leads): every variant, all or nothing."""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from accounts.models import Account
from accounts.services import account_delete
from accounts.tests.factories import make_account
from campaigns.tests.factories import make_campaign
from contacts.models import Contact
from core.exceptions import BusinessError, ErrorCode
from core.models import Sequence
from core.tests.api import refused
from sales import services
from sales.models import Lead, Opportunity
from sales.services import lead_delete
from sales.tests.factories import make_lead

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/leads"
SEED_BODY = {
    "createAccount": True,
    "createContact": True,
    "opportunityName": "产品采购机会",
    "estimatedAmount": 1000000,
    "closeDate": "2023-07-31",
}


def convert(client, lead, body):
    return client.post(f"{URL}/{lead.pk}/convert", body, format="json")


def seed_lead(**fields) -> Lead:
    defaults = {
        "name": "潜在客户A",
        "company": "科技公司",
        "contact_person": "张三",
        "phone": "13800138001",
        "email": "lead@example.com",
        "source": "website",
        "status": "qualified",
    }
    return make_lead(**{**defaults, **fields})


def record_counts() -> tuple[int, int, int]:
    return (
        Account.all_objects.count(),
        Contact.all_objects.count(),
        Opportunity.all_objects.count(),
    )


def assert_untouched(lead: Lead) -> None:
    stored = Lead.all_objects.get(pk=lead.pk)
    assert stored.status == lead.status
    assert stored.converted_account_id is None
    assert stored.converted_contact_id is None
    assert stored.converted_opportunity_id is None
    assert stored.converted_at is None
    assert stored.updated_at == lead.updated_at


# --- the seed's conversion ---------------------------------------------------------------------


def test_the_seed_conversion_creates_account_contact_and_opportunity(admin_client):
    campaign = make_campaign()
    lead = seed_lead(campaign=campaign)

    response = convert(admin_client, lead, SEED_BODY)

    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert set(data) == {"accountId", "contactId", "opportunityId"}

    account = Account.objects.get(pk=data["accountId"])
    assert account.name == "科技公司"
    assert account.type == "corporate"
    assert (account.contact_person, account.phone, account.email) == (
        "张三",
        "13800138001",
        "lead@example.com",
    )
    assert account.account_no.startswith("ACC")
    assert account.created_by.username == "admin"

    contact = Contact.objects.get(pk=data["contactId"])
    assert contact.account_id == account.pk
    assert (contact.name, contact.phone, contact.email) == (
        "张三",
        "13800138001",
        "lead@example.com",
    )

    opportunity = Opportunity.objects.get(pk=data["opportunityId"])
    assert opportunity.account_id == account.pk
    assert opportunity.name == "产品采购机会"
    assert opportunity.stage == "prospecting"
    assert opportunity.probability == 10
    assert opportunity.estimated_amount == Decimal("1000000")
    assert opportunity.close_date.isoformat() == "2023-07-31"
    assert opportunity.campaign_id == campaign.pk
    assert opportunity.opportunity_no == "OPP001"


def test_the_converted_lead_links_what_it_produced(admin_client):
    lead = seed_lead()
    data = convert(admin_client, lead, SEED_BODY).json()["data"]

    detail = admin_client.get(f"{URL}/{lead.pk}").json()["data"]

    assert detail["status"] == "converted"
    assert detail["convertedAccountId"] == data["accountId"]
    assert detail["convertedContactId"] == data["contactId"]
    assert detail["convertedOpportunityId"] == data["opportunityId"]
    assert detail["convertedAt"].endswith("Z")
    assert detail["updatedBy"] == "admin"


def test_the_new_opportunity_is_listed_with_its_account_name(admin_client):
    lead = seed_lead()
    data = convert(admin_client, lead, SEED_BODY).json()["data"]

    rows = admin_client.get("/api/v1/crm/opportunities").json()["data"]["list"]

    assert [(row["id"], row["accountName"]) for row in rows] == [
        (data["opportunityId"], "科技公司")
    ]


# --- variants ----------------------------------------------------------------------------------


def test_without_a_company_the_account_takes_the_lead_name_as_an_individual(admin_client):
    lead = seed_lead(company=None, name="王五")

    data = convert(admin_client, lead, {"createAccount": True}).json()["data"]

    account = Account.objects.get(pk=data["accountId"])
    assert (account.name, account.type) == ("王五", "individual")


def test_without_a_contact_person_the_contact_takes_the_lead_name(admin_client):
    lead = seed_lead(contact_person=None, name="王五")

    data = convert(admin_client, lead, {"createContact": True}).json()["data"]

    assert Contact.objects.get(pk=data["contactId"]).name == "王五"


def test_an_empty_body_creates_account_and_contact_but_no_opportunity(admin_client):
    lead = seed_lead()

    data = convert(admin_client, lead, {}).json()["data"]

    assert data["accountId"] is not None and data["contactId"] is not None
    assert data["opportunityId"] is None
    assert record_counts() == (1, 1, 0)


def test_create_contact_false_creates_no_contact(admin_client):
    lead = seed_lead()

    data = convert(admin_client, lead, {**SEED_BODY, "createContact": False}).json()["data"]

    assert data["contactId"] is None
    assert record_counts() == (1, 0, 1)
    assert admin_client.get(f"{URL}/{lead.pk}").json()["data"]["convertedContactId"] is None


@pytest.mark.parametrize("name", [None, "", "   "])
def test_without_an_opportunity_name_no_opportunity_is_created(admin_client, name):
    lead = seed_lead()
    body = {"createAccount": True, "createContact": True, "estimatedAmount": 5}
    if name is not None:
        body["opportunityName"] = name

    data = convert(admin_client, lead, body).json()["data"]

    assert data["opportunityId"] is None
    assert record_counts() == (1, 1, 0)


def test_an_opportunity_without_amount_is_estimated_at_zero(admin_client):
    lead = seed_lead()

    data = convert(admin_client, lead, {"opportunityName": "Deal"}).json()["data"]

    opportunity = Opportunity.objects.get(pk=data["opportunityId"])
    assert opportunity.estimated_amount == 0 and opportunity.close_date is None


def test_converting_into_an_existing_account(admin_client):
    existing = make_account(name="北京科技有限公司")
    lead = seed_lead()

    response = convert(
        admin_client,
        lead,
        {**SEED_BODY, "createAccount": False, "accountId": str(existing.pk)},
    )

    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert data["accountId"] is None  # nothing was created (CONTRACT.md)
    assert Account.all_objects.count() == 1
    assert Contact.objects.get(pk=data["contactId"]).account_id == existing.pk
    assert Opportunity.objects.get(pk=data["opportunityId"]).account_id == existing.pk
    detail = admin_client.get(f"{URL}/{lead.pk}").json()["data"]
    assert detail["convertedAccountId"] == str(existing.pk)


@pytest.mark.parametrize("extra", [{}, {"accountId": None}, {"accountId": ""}])
def test_create_account_false_without_an_account_id_is_invalid_input(admin_client, extra):
    """A required field left out: HTTP 400 with code 400, not an account's 4001 (CONTRACT §6)."""
    lead = seed_lead()
    before = record_counts()

    response = convert(admin_client, lead, {**SEED_BODY, "createAccount": False, **extra})

    body = response.json()
    assert (response.status_code, body["code"]) == (400, 400)
    assert list(body["data"]) == ["accountId"]
    assert record_counts() == before
    assert_untouched(lead)


def test_an_account_deleted_before_the_conversion_locks_it_answers_4001(admin_user):
    account = make_account()
    lead = seed_lead()
    account_delete(account=account, by=None)  # after the request validated accountId

    with pytest.raises(BusinessError) as refused:
        services.lead_convert(lead=lead, by=admin_user, create_account=False, account=account)

    assert (refused.value.code, refused.value.status) == (ErrorCode.ACCOUNT_NOT_FOUND, 400)
    assert_untouched(lead)


def test_create_account_false_with_an_id_of_no_live_account_answers_4001(admin_client):
    deleted = make_account()
    account_delete(account=deleted, by=None)
    lead = seed_lead()
    before = record_counts()

    for extra in (
        {"accountId": str(uuid.uuid4())},
        {"accountId": str(deleted.pk)},
        {"accountId": "nope"},
    ):
        response = convert(admin_client, lead, {**SEED_BODY, "createAccount": False, **extra})
        assert response.status_code == 400, extra
        assert response.json()["code"] == 4001
        assert "accountId" in response.json()["data"]

    assert record_counts() == before
    assert_untouched(lead)


def test_account_id_with_create_account_true_is_refused(admin_client):
    existing = make_account()
    lead = seed_lead()

    response = convert(admin_client, lead, {"createAccount": True, "accountId": str(existing.pk)})

    assert "accountId" in refused(response)
    assert_untouched(lead)


@pytest.mark.parametrize(
    "body",
    [
        {"estimatedAmount": -1, "opportunityName": "Deal"},
        {"estimatedAmount": "lots", "opportunityName": "Deal"},
        {"closeDate": "2023-02-30", "opportunityName": "Deal"},
        {"createAccount": "maybe"},
    ],
)
def test_invalid_bodies_answer_400_and_change_nothing(admin_client, body):
    lead = seed_lead()

    response = convert(admin_client, lead, body)

    refused(response)
    assert record_counts() == (0, 0, 0)
    assert_untouched(lead)


@pytest.mark.parametrize("status", ["new", "qualified"])
def test_new_and_qualified_leads_can_be_converted(admin_client, status):
    lead = seed_lead(status=status)

    assert convert(admin_client, lead, SEED_BODY).status_code == 200


def test_an_unqualified_lead_cannot_be_converted(admin_client):
    lead = seed_lead(status="unqualified")

    response = convert(admin_client, lead, SEED_BODY)

    refused(response, 4009)
    assert record_counts() == (0, 0, 0)
    assert_untouched(lead)


def test_converting_twice_answers_4009_and_creates_nothing_more(admin_client):
    lead = seed_lead()
    first = convert(admin_client, lead, SEED_BODY).json()["data"]
    after_first = record_counts()

    response = convert(admin_client, lead, SEED_BODY)

    refused(response, 4009)
    assert record_counts() == after_first
    detail = admin_client.get(f"{URL}/{lead.pk}").json()["data"]
    assert detail["convertedAccountId"] == first["accountId"]


def test_a_missing_lead_answers_4005(admin_client):
    gone = seed_lead()
    lead_delete(lead=gone, by=None)

    for lead_id in (uuid.uuid4(), gone.pk):
        response = admin_client.post(f"{URL}/{lead_id}/convert", SEED_BODY, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == 4005
    assert record_counts() == (0, 0, 0)


# --- all or nothing ----------------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise RuntimeError("injected failure")


@pytest.mark.parametrize("step", ["_mark_lead_converted", "opportunity_create", "contact_create"])
def test_a_failure_at_any_step_leaves_nothing_behind(admin_client, monkeypatch, step):
    """The last step (marking the lead) and the ones before it fail: every write is undone."""
    make_account(name="existing")  # a record that must survive, and an ACC number in use
    lead = seed_lead()
    counts = record_counts()
    sequences = dict(Sequence.objects.values_list("name", "value"))
    monkeypatch.setattr(services, step, _boom)

    response = convert(admin_client, lead, SEED_BODY)

    assert response.status_code == 500
    payload = response.json()
    assert payload["code"] == 500 and payload["data"] is None
    assert "injected" not in response.content.decode()
    assert record_counts() == counts
    assert dict(Sequence.objects.values_list("name", "value")) == sequences
    assert_untouched(lead)

    monkeypatch.undo()
    retry = convert(admin_client, lead, SEED_BODY)
    assert retry.status_code == 200, retry.json()
    assert Opportunity.objects.get().opportunity_no == "OPP001"  # the failed number came back


# --- permissions -------------------------------------------------------------------------------


def test_converting_needs_change_lead_and_the_right_to_add_what_it_creates(user_client):
    lead = seed_lead()

    only_change = user_client("sales.change_lead", "sales.view_all_lead", username="c1")
    assert convert(only_change, lead, SEED_BODY).status_code == 403

    no_opportunity = user_client(
        "sales.change_lead",
        "sales.view_all_lead",
        "accounts.add_account",
        "contacts.add_contact",
        username="c2",
    )
    response = convert(no_opportunity, lead, SEED_BODY)
    assert response.status_code == 403 and response.json()["code"] == 403
    assert record_counts() == (0, 0, 0)

    everything = user_client(
        "sales.change_lead",
        "accounts.add_account",
        "contacts.add_contact",
        "sales.add_opportunity",
        "sales.view_all_lead",
        username="c3",
    )
    assert convert(everything, lead, SEED_BODY).status_code == 200


def test_attaching_to_an_existing_account_needs_no_add_account(user_client):
    existing = make_account()
    lead = seed_lead()
    client = user_client("sales.change_lead", "sales.view_all_lead", "accounts.view_all_account")

    response = convert(
        client,
        lead,
        {"createAccount": False, "accountId": str(existing.pk), "createContact": False},
    )

    assert response.status_code == 200, response.json()


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_conversions_cannot_both_succeed(monkeypatch):
    lead = seed_lead()
    real_account_create = services.account_create

    def slow_account_create(**fields):
        time.sleep(0.3)  # hold the lead's lock long enough for the other conversion to arrive
        return real_account_create(**fields)

    monkeypatch.setattr(services, "account_create", slow_account_create)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.lead_convert(lead=lead, by=None, opportunity_name="Deal")
            outcomes.append("converted")
        except BusinessError as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == sorted(
        ["converted", ErrorCode.LEAD_STATUS_INVALID], key=str
    )
    assert record_counts() == (1, 1, 1)
