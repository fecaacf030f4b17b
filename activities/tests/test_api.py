"""HTTP-level promises of /api/v1/crm/activities (seed §5, CONTRACT.md Activities)."""

import datetime
import itertools

import pytest

from accounts.services import account_delete, account_restore
from accounts.tests.factories import make_account
from activities.models import Activity
from activities.tests.factories import make_activity
from contacts.services import contact_delete
from contacts.tests.factories import make_contact
from core.tests.api import assert_list_queries_constant, data_of, refused, row_ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/activities"

LIST_KEYS = {
    "id",
    "accountId",
    "accountName",
    "contactId",
    "contactName",
    "type",
    "subject",
    "description",
    "status",
    "startTime",
    "endTime",
    "createdBy",
    "createdAt",
    "updatedBy",
    "updatedAt",
}
DETAIL_KEYS = LIST_KEYS | {"location", "priority", "outcome", "attachments"}


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def detail_url(activity_id) -> str:
    return f"{URL}/{activity_id}"


ids = row_ids


def seed_body(account, contact=None, **extra) -> dict:
    body = {
        "accountId": str(account.id),
        "type": "meeting",
        "subject": "产品演示会议",
        "description": "介绍新产品功能",
        "location": "公司会议室A",
        "priority": "high",
        "startTime": "2023-06-01T10:00:00Z",
        "endTime": "2023-06-01T11:00:00Z",
    }
    if contact is not None:
        body["contactId"] = str(contact.id)
    return {**body, **extra}


# --- list ---------------------------------------------------------------------------------------


def seed_activity(by, **fields) -> Activity:
    """The seed's example meeting (§5) with 李四 of 北京科技有限公司."""
    account = make_account(name="北京科技有限公司")
    return make_activity(
        account,
        by=by,
        contact=make_contact(account, name="李四"),
        type="meeting",
        subject="产品演示会议",
        description="介绍新产品功能",
        status="completed",
        start_time=at("2023-06-01T10:00:00Z"),
        end_time=at("2023-06-01T11:00:00Z"),
        **fields,
    )


def test_list_is_paginated_newest_first_with_the_seed_fields(admin_client, admin_user):
    older = seed_activity(admin_user)
    account, contact = older.account, older.contact
    newer = make_activity(account, by=admin_user, type="call")

    response = admin_client.get(URL)

    data = response.json()["data"]
    assert (data["total"], data["page"], data["pageSize"]) == (2, 1, 10)
    assert ids(response) == [str(newer.id), str(older.id)]
    row = data["list"][1]
    assert set(row) == LIST_KEYS
    assert row["accountId"] == str(account.id)
    assert row["accountName"] == "北京科技有限公司"
    assert row["contactId"] == str(contact.id)
    assert row["contactName"] == "李四"
    assert row["type"] == "meeting"
    assert row["status"] == "completed"
    assert row["startTime"] == "2023-06-01T10:00:00Z"
    assert row["endTime"] == "2023-06-01T11:00:00Z"
    assert row["createdBy"] == "admin"
    without_contact = data["list"][0]
    assert (without_contact["contactId"], without_contact["contactName"]) == (None, None)


def test_list_filters_by_account_and_contact(admin_client):
    account, other = make_account(name="A"), make_account(name="B")
    contact = make_contact(account)
    with_contact = make_activity(account, contact=contact)
    without_contact = make_activity(account)
    make_activity(other)

    by_account = ids(admin_client.get(URL, {"accountId": str(account.id)}))
    by_contact = ids(admin_client.get(URL, {"contactId": str(contact.id)}))

    assert set(by_account) == {str(with_contact.id), str(without_contact.id)}
    assert by_contact == [str(with_contact.id)]


@pytest.mark.parametrize("activity_type", ["call", "meeting", "email", "note"])
def test_list_filters_by_type(admin_client, activity_type):
    account = make_account()
    expected = {
        kind: make_activity(account, type=kind).id for kind in ("call", "meeting", "email", "note")
    }

    assert ids(admin_client.get(URL, {"type": activity_type})) == [str(expected[activity_type])]


@pytest.mark.parametrize("status", ["planned", "completed", "cancelled"])
def test_list_filters_by_status(admin_client, status):
    account = make_account()
    expected = {
        value: make_activity(account, status=value).id
        for value in ("planned", "completed", "cancelled")
    }

    assert ids(admin_client.get(URL, {"status": status})) == [str(expected[status])]


def test_list_filters_by_priority_and_subject(admin_client):
    account = make_account()
    high = make_activity(account, priority="high", subject="Quarterly REVIEW")
    make_activity(account, priority="low", subject="其他")

    assert ids(admin_client.get(URL, {"priority": "high"})) == [str(high.id)]
    assert ids(admin_client.get(URL, {"subject": "review"})) == [str(high.id)]


def test_start_and_end_date_bound_the_start_time_date_inclusively(admin_client):
    account = make_account()
    before = make_activity(account, start_time=at("2023-05-31T23:59:59Z"))
    first_day = make_activity(account, start_time=at("2023-06-01T00:00:00Z"))
    last_day = make_activity(account, start_time=at("2023-06-30T23:59:59Z"))
    after = make_activity(account, start_time=at("2023-07-01T00:00:00Z"))
    make_activity(account, start_time=None)

    window = {"startDate": "2023-06-01", "endDate": "2023-06-30"}
    assert set(ids(admin_client.get(URL, window))) == {str(first_day.id), str(last_day.id)}
    assert set(ids(admin_client.get(URL, {"startDate": "2023-07-01"}))) == {str(after.id)}
    assert set(ids(admin_client.get(URL, {"endDate": "2023-05-31"}))) == {str(before.id)}
    one_day = {"startDate": "2023-06-01", "endDate": "2023-06-01"}
    assert ids(admin_client.get(URL, one_day)) == [str(first_day.id)]


def test_list_orders_by_start_time_when_asked(admin_client):
    account = make_account()
    late = make_activity(account, start_time=at("2023-06-02T10:00:00Z"))
    early = make_activity(account, start_time=at("2023-06-01T10:00:00Z"))

    assert ids(admin_client.get(URL, {"ordering": "startTime"})) == [str(early.id), str(late.id)]
    assert ids(admin_client.get(URL, {"ordering": "-startTime"})) == [str(late.id), str(early.id)]


def test_list_costs_the_same_queries_for_one_row_and_for_many(admin_client, make_user):
    numbers = itertools.count()

    def add_row():
        index = next(numbers)
        user = make_user(f"u{index}")
        account = make_account(name=f"客户{index}")
        make_activity(account, by=user, contact=make_contact(account, name=f"联系人{index}"))

    assert_list_queries_constant(admin_client, URL, add_row, many=6)


# --- detail -------------------------------------------------------------------------------------


def test_detail_has_every_seed_field(admin_client, admin_user):
    activity = seed_activity(
        admin_user,
        location="公司会议室A",
        priority="high",
        outcome="客户对产品很感兴趣，需要提供详细方案",
    )

    data = data_of(admin_client.get(detail_url(activity.id)))

    assert set(data) == DETAIL_KEYS
    assert data["accountName"] == "北京科技有限公司"
    assert data["contactName"] == "李四"
    assert data["location"] == "公司会议室A"
    assert data["priority"] == "high"
    assert data["outcome"] == "客户对产品很感兴趣，需要提供详细方案"
    assert data["attachments"] == []
    assert data["updatedBy"] == "admin"


def test_a_deleted_contact_stays_named_on_its_activities(admin_client, admin_user):
    contact = make_contact(name="李四")
    activity = make_activity(contact.account, contact=contact)
    contact_delete(contact=contact, by=admin_user)

    data = admin_client.get(detail_url(activity.id)).json()["data"]

    assert (data["contactId"], data["contactName"]) == (str(contact.id), "李四")


# --- create -------------------------------------------------------------------------------------


def test_create_with_the_seed_body(admin_client):
    account = make_account()
    contact = make_contact(account)

    response = admin_client.post(URL, seed_body(account, contact), format="json")

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"id"}
    activity = Activity.objects.get(pk=data["id"])
    assert activity.account == account
    assert activity.contact == contact
    assert activity.priority == "high"
    assert activity.start_time == at("2023-06-01T10:00:00Z")
    assert activity.created_by.username == "admin"


def test_create_defaults_status_planned_and_priority_medium(admin_client):
    body = {"accountId": str(make_account().id), "type": "call", "subject": "回访"}

    response = admin_client.post(URL, body, format="json")

    data = admin_client.get(detail_url(response.json()["data"]["id"])).json()["data"]
    assert (data["status"], data["priority"]) == ("planned", "medium")
    assert (data["contactId"], data["startTime"], data["endTime"]) == (None, None, None)


@pytest.mark.parametrize("missing", ["accountId", "subject", "type"])
def test_create_requires_account_subject_and_type(admin_client, missing):
    body = seed_body(make_account())
    del body[missing]

    response = admin_client.post(URL, body, format="json")

    assert missing in refused(response)
    assert not Activity.all_objects.exists()


@pytest.mark.parametrize("activity_type", ["visit", "MEETING", ""])
def test_create_with_an_unknown_type_answers_4007(admin_client, activity_type):
    response = admin_client.post(URL, seed_body(make_account(), type=activity_type), format="json")

    assert "type" in refused(response, 4007)
    assert not Activity.all_objects.exists()


@pytest.mark.parametrize("activity_type", ["call", "meeting", "email", "note"])
def test_create_accepts_every_type(admin_client, activity_type):
    response = admin_client.post(URL, seed_body(make_account(), type=activity_type), format="json")

    assert response.status_code == 200
    assert Activity.objects.get().type == activity_type


@pytest.mark.parametrize(("field", "value"), [("status", "done"), ("priority", "urgent")])
def test_create_with_an_unknown_status_or_priority_answers_400(admin_client, field, value):
    response = admin_client.post(URL, seed_body(make_account(), **{field: value}), format="json")

    assert field in refused(response)


@pytest.mark.parametrize(("field", "value"), [("status", "cancelled"), ("priority", "low")])
def test_create_accepts_the_documented_status_and_priority(admin_client, field, value):
    response = admin_client.post(URL, seed_body(make_account(), **{field: value}), format="json")

    assert response.status_code == 200
    assert getattr(Activity.objects.get(), field) == value


def test_create_with_a_blank_subject_answers_400(admin_client):
    response = admin_client.post(URL, seed_body(make_account(), subject="  "), format="json")

    assert response.status_code == 400
    assert "subject" in response.json()["data"]


def test_end_time_before_start_time_is_refused(admin_client):
    body = seed_body(
        make_account(), startTime="2023-06-01T10:00:00Z", endTime="2023-06-01T09:59:59Z"
    )

    response = admin_client.post(URL, body, format="json")

    assert "endTime" in refused(response)
    assert not Activity.all_objects.exists()


def test_end_time_equal_to_start_time_is_accepted(admin_client):
    body = seed_body(
        make_account(), startTime="2023-06-01T10:00:00Z", endTime="2023-06-01T10:00:00Z"
    )

    assert admin_client.post(URL, body, format="json").status_code == 200


def test_a_contact_of_another_account_answers_4002(admin_client):
    account = make_account(name="A")
    stranger = make_contact(make_account(name="B"))

    response = admin_client.post(URL, seed_body(account, stranger), format="json")

    assert "contactId" in refused(response, 4002)
    assert not Activity.all_objects.exists()


# --- update -------------------------------------------------------------------------------------


def test_update_with_an_unknown_type_answers_4007(admin_client):
    activity = make_activity(type="call")

    response = admin_client.patch(detail_url(activity.id), {"type": "fax"}, format="json")

    refused(response, 4007)
    activity.refresh_from_db()
    assert activity.type == "call"


def test_update_checks_end_time_against_the_stored_start_time(admin_client):
    activity = make_activity(
        start_time=at("2023-06-01T10:00:00Z"), end_time=at("2023-06-01T11:00:00Z")
    )

    too_early = admin_client.put(
        detail_url(activity.id), {"endTime": "2023-06-01T09:00:00Z"}, format="json"
    )
    too_late = admin_client.put(
        detail_url(activity.id), {"startTime": "2023-06-01T12:00:00Z"}, format="json"
    )
    both = admin_client.put(
        detail_url(activity.id),
        {"startTime": "2023-06-02T10:00:00Z", "endTime": "2023-06-02T12:00:00Z"},
        format="json",
    )

    assert (too_early.status_code, too_late.status_code, both.status_code) == (400, 400, 200)
    assert "endTime" in too_early.json()["data"]
    activity.refresh_from_db()
    assert activity.start_time == at("2023-06-02T10:00:00Z")


def test_update_with_a_contact_of_another_account_answers_4002(admin_client):
    activity = make_activity()
    stranger = make_contact(make_account(name="别家"))

    response = admin_client.put(
        detail_url(activity.id), {"contactId": str(stranger.id)}, format="json"
    )

    refused(response, 4002)
    activity.refresh_from_db()
    assert activity.contact_id is None


def test_moving_to_another_account_rechecks_the_kept_contact(admin_client):
    account = make_account(name="A")
    contact = make_contact(account)
    activity = make_activity(account, contact=contact)
    target = make_account(name="B")
    target_contact = make_contact(target, name="王五")

    kept = admin_client.put(detail_url(activity.id), {"accountId": str(target.id)}, format="json")
    refused(kept, 4002)

    body = {"accountId": str(target.id), "contactId": str(target_contact.id)}
    moved = admin_client.put(detail_url(activity.id), body, format="json")
    assert moved.status_code == 200
    data = admin_client.get(detail_url(activity.id)).json()["data"]
    assert (data["accountName"], data["contactName"]) == ("B", "王五")

    cleared = admin_client.put(
        detail_url(activity.id), {"accountId": str(account.id), "contactId": None}, format="json"
    )
    assert cleared.status_code == 200
    activity.refresh_from_db()
    assert (activity.account_id, activity.contact_id) == (account.id, None)


# --- delete -------------------------------------------------------------------------------------


def test_deleting_the_account_hides_its_activities_until_it_is_restored(admin_client, admin_user):
    account = make_account()
    activity = make_activity(account)
    other = make_activity(make_account())

    account_delete(account=account, by=admin_user)

    assert ids(admin_client.get(URL)) == [str(other.id)]
    assert admin_client.get(detail_url(activity.id)).json()["code"] == 4003

    account_restore(account=account, by=admin_user)

    assert set(ids(admin_client.get(URL))) == {str(activity.id), str(other.id)}


# --- authentication and permissions -------------------------------------------------------------


def test_permissions_are_checked_per_method(user_client):
    activity = make_activity()
    reader = user_client("activities.view_activity", "accounts.view_all_account")

    assert reader.get(URL).status_code == 200
    assert reader.get(detail_url(activity.id)).status_code == 200
    assert reader.put(detail_url(activity.id), {"subject": "x"}, format="json").status_code == 403
    assert reader.delete(detail_url(activity.id)).status_code == 403
    assert reader.post(URL, seed_body(activity.account), format="json").status_code == 403
