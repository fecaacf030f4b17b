"""Record ownership: user B can neither read, change, delete nor list user A's
records; managers (view_all) and superusers see everything; analytics follow the same scope."""

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import make_account
from activities.models import Activity
from cases.models import Case
from conftest import client_for
from sales.models import Lead, Opportunity

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"
NOT_FOUND = {
    "accounts": 4001,
    "contacts": 4002,
    "activities": 4003,
    "cases": 4004,
    "leads": 4005,
    "opportunities": 4006,
}


@pytest.fixture
def alice(make_user):
    return make_user("alice", role="sales")


@pytest.fixture
def bob(make_user):
    return make_user("bob", role="sales")


@pytest.fixture
def alices_records(alice):
    """One record of each kind, created by Alice through the API (so she owns them)."""
    client = client_for(alice)

    def post(resource, body):
        response = client.post(f"{CRM}/{resource}", body, format="json")
        assert response.status_code == 200, response.json()
        return response.json()["data"]["id"]

    account = post("accounts", {"name": "爱丽丝的客户"})
    return {
        "accounts": account,
        "contacts": post("contacts", {"accountId": account, "name": "联系人甲"}),
        "activities": post("activities", {"accountId": account, "type": "call", "subject": "电话"}),
        "cases": post("cases", {"accountId": account, "subject": "问题", "type": "issue"}),
        "leads": post("leads", {"name": "线索甲"}),
        "opportunities": post("opportunities", {"accountId": account, "name": "机会甲"}),
    }


def test_records_belong_to_their_creator(alice, alices_records):
    assert str(Opportunity.objects.get(pk=alices_records["opportunities"]).owner_id) == str(
        alice.pk
    )
    assert Lead.objects.get(pk=alices_records["leads"]).owner == alice
    assert Case.objects.get(pk=alices_records["cases"]).owner == alice


@pytest.mark.parametrize("resource", list(NOT_FOUND))
def test_another_user_cannot_list_or_read(bob, alices_records, resource):
    client = client_for(bob)
    assert client.get(f"{CRM}/{resource}").json()["data"]["total"] == 0
    response = client.get(f"{CRM}/{resource}/{alices_records[resource]}")
    assert response.status_code == 404 and response.json()["code"] == NOT_FOUND[resource]
    history = client.get(f"{CRM}/{resource}/{alices_records[resource]}/history")
    assert history.status_code == 404


@pytest.mark.parametrize(
    ("resource", "change"),
    [
        ("accounts", {"name": "改名"}),
        ("contacts", {"name": "改名"}),
        ("activities", {"subject": "改名"}),
        ("cases", {"subject": "改名"}),
        ("leads", {"name": "改名"}),
        ("opportunities", {"name": "改名"}),
    ],
)
def test_another_user_cannot_change_or_delete(
    alice, bob, alices_records, resource, change, make_user
):
    if resource == "cases":  # salespeople may not edit cases at all; take a user who may
        bob = make_user("carol", perms=("cases.view_case", "cases.change_case"))
    client = client_for(bob)
    record = f"{CRM}/{resource}/{alices_records[resource]}"
    response = client.put(record, change, format="json")
    assert response.status_code == 404 and response.json()["code"] == NOT_FOUND[resource]
    if resource != "cases":  # cases are never deleted through the API
        response = client.delete(record)
        assert response.status_code == 404 and response.json()["code"] == NOT_FOUND[resource]
    # Alice still sees her record, unchanged.
    mine = client_for(alice).get(record).json()["data"]
    assert "改名" not in (mine.get("name"), mine.get("subject"))


def test_another_user_cannot_attach_records_to_my_account(bob, alices_records):
    client = client_for(bob)
    account = alices_records["accounts"]
    for resource, body in (
        ("contacts", {"accountId": account, "name": "x"}),
        ("activities", {"accountId": account, "type": "call", "subject": "x"}),
        ("opportunities", {"accountId": account, "name": "x"}),
    ):
        response = client.post(f"{CRM}/{resource}", body, format="json")
        assert response.status_code == 400 and response.json()["code"] == 4001


def test_records_of_accounts_i_own_are_mine_to_see(alice, bob, alices_records):
    """A case or deal someone else owns under Alice's account is visible to Alice."""
    account = alices_records["accounts"]
    Case.objects.filter(pk=alices_records["cases"]).update(owner=bob)
    assert client_for(alice).get(f"{CRM}/cases/{alices_records['cases']}").status_code == 200
    assert client_for(bob).get(f"{CRM}/cases/{alices_records['cases']}").status_code == 200
    assert client_for(bob).get(f"{CRM}/accounts/{account}").status_code == 404


def test_reassigning_the_owner_hands_the_record_over(alice, bob, alices_records):
    record = f"{CRM}/accounts/{alices_records['accounts']}"
    response = client_for(alice).put(record, {"owner": "bob"}, format="json")
    assert response.status_code == 200
    assert client_for(bob).get(record).json()["data"]["owner"] == "bob"
    assert client_for(alice).get(record).status_code == 404
    # and the account's contacts and activities follow it
    contact = f"{CRM}/contacts/{alices_records['contacts']}"
    assert client_for(bob).get(contact).status_code == 200


def test_unknown_owner_is_a_validation_error(alice, alices_records):
    record = f"{CRM}/accounts/{alices_records['accounts']}"
    response = client_for(alice).put(record, {"owner": "nobody"}, format="json")
    assert response.status_code == 400 and "owner" in response.json()["data"]


@pytest.mark.parametrize("role", ["manager", "readonly"])
def test_managers_and_readers_see_everyone(make_user, alices_records, role):
    client = client_for(make_user(f"the-{role}", role=role))
    for resource, record_id in alices_records.items():
        assert client.get(f"{CRM}/{resource}").json()["data"]["total"] == 1, resource
        assert client.get(f"{CRM}/{resource}/{record_id}").status_code == 200


def test_superusers_see_everyone(admin_client, alices_records):
    for resource in alices_records:
        assert admin_client.get(f"{CRM}/{resource}").json()["data"]["total"] == 1


def test_analytics_count_only_visible_records(make_user, alices_records):
    make_account(name="无主客户")  # nobody's: only view_all users count it
    analyst = make_user("analyst", perms=("analytics.view_analytics",))
    own = client_for(analyst).get(f"{CRM}/analytics/overview").json()["data"]
    assert own["totalCustomers"] == 0
    manager = client_for(make_user("boss", role="manager"))
    everyone = manager.get(f"{CRM}/analytics/overview").json()["data"]
    assert everyone["totalCustomers"] == 2 and everyone["totalOpportunities"] == 1
    segments = manager.get(f"{CRM}/analytics/segmentation", {"segmentBy": "industry"}).json()
    assert sum(s["count"] for s in segments["data"]["segments"]) == 2


def test_activities_of_a_visible_account_count_in_its_owners_trend(alice, alices_records):
    other = make_account(name="别人的")
    Activity.objects.create(
        account=other, type="call", subject="x", start_time="2024-03-11T00:00:00Z"
    )
    Activity.objects.filter(pk=alices_records["activities"]).update(
        start_time="2024-03-10T00:00:00Z"
    )
    alice.user_permissions.add(Permission.objects.get(codename="view_analytics"))
    client = client_for(type(alice).objects.get(pk=alice.pk))
    window = {"startDate": "2024-03-01", "endDate": "2024-03-31"}
    response = client.get(
        f"{CRM}/analytics/trends", {"metric": "activities", "period": "month", **window}
    )
    assert response.json()["data"]["data"] == [{"date": "2024-03", "value": 1}]
