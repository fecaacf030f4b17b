"""HTTP-level promises of /api/v1/crm/contacts (seed §4, CONTRACT.md Contacts)."""

import itertools
import uuid

import pytest

from accounts.services import account_delete, account_restore
from accounts.tests.factories import make_account
from contacts.models import Contact
from contacts.tests.factories import make_contact
from core.tests.api import assert_list_queries_constant, data_of, refused, row_ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/contacts"

LIST_KEYS = {
    "id",
    "accountId",
    "accountName",
    "name",
    "position",
    "phone",
    "email",
    "mobile",
    "createdBy",
    "createdAt",
    "updatedBy",
    "updatedAt",
}
DETAIL_KEYS = LIST_KEYS | {"fax", "address", "birthday", "preferences"}


def detail_url(contact_id) -> str:
    return f"{URL}/{contact_id}"


ids = row_ids


# --- list ---------------------------------------------------------------------------------------


def test_list_is_paginated_newest_first_with_the_seed_fields(admin_client, admin_user):
    account = make_account(name="北京科技有限公司")
    older = make_contact(account, by=admin_user, name="李四", position="采购经理")
    newer = make_contact(account, by=admin_user, name="王五")

    response = admin_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 200
    assert body["message"] == "success"
    data = body["data"]
    assert data["total"] == 2
    assert data["page"] == 1
    assert data["pageSize"] == 10
    assert ids(response) == [str(newer.id), str(older.id)]
    row = data["list"][1]
    assert set(row) == LIST_KEYS
    assert row["accountId"] == str(account.id)
    assert row["accountName"] == "北京科技有限公司"
    assert row["name"] == "李四"
    assert row["position"] == "采购经理"
    assert row["createdBy"] == "admin"


def test_list_filters_by_account_id(admin_client):
    first, second = make_account(name="A"), make_account(name="B")
    mine = make_contact(first)
    make_contact(second)

    response = admin_client.get(URL, {"accountId": str(first.id)})

    assert ids(response) == [str(mine.id)]


@pytest.mark.parametrize(
    ("param", "stored", "query"),
    [
        ("name", "Zhang Wei", "zhang"),
        ("name", "李四光", "四"),
        ("position", "Purchasing Manager", "MANAGER"),
        ("phone", "13900139001", "0139"),
        ("email", "LiSi@Example.com", "lisi@example"),
    ],
)
def test_list_text_filters_match_a_case_insensitive_substring(admin_client, param, stored, query):
    account = make_account()
    fields = {"name": "其他人", "position": "其他", "phone": "010-0000000", "email": "x@y.cn"}
    match = make_contact(account, **{**fields, param: stored})
    make_contact(account, **fields)

    response = admin_client.get(URL, {param: query})

    assert response.status_code == 200
    assert ids(response) == [str(match.id)]


def test_list_orders_by_name_when_asked(admin_client):
    account = make_account()
    make_contact(account, name="b")
    make_contact(account, name="a")

    response = admin_client.get(URL, {"ordering": "name"})

    assert [row["name"] for row in response.json()["data"]["list"]] == ["a", "b"]


def test_list_excludes_deleted_contacts(admin_client):
    account = make_account()
    live = make_contact(account)
    gone = make_contact(account)
    admin_client.delete(detail_url(gone.id))

    assert ids(admin_client.get(URL)) == [str(live.id)]


def test_list_costs_the_same_queries_for_one_row_and_for_many(admin_client, make_user):
    numbers = itertools.count()

    def add_row():
        index = next(numbers)
        make_contact(make_account(name=f"客户{index}"), by=make_user(f"u{index}"))

    assert_list_queries_constant(admin_client, URL, add_row, many=6)


# --- detail -------------------------------------------------------------------------------------


def test_detail_has_every_seed_field(admin_client, admin_user):
    account = make_account(name="北京科技有限公司")
    contact = make_contact(
        account,
        by=admin_user,
        name="李四",
        position="采购经理",
        phone="13900139001",
        email="lisi@example.com",
        mobile="13900139001",
        fax="010-12345678",
        address="北京市朝阳区",
        birthday="1980-01-01",
        preferences="喜欢高尔夫",
    )

    data = data_of(admin_client.get(detail_url(contact.id)))

    assert set(data) == DETAIL_KEYS
    assert data["id"] == str(contact.id)
    assert data["accountId"] == str(account.id)
    assert data["accountName"] == "北京科技有限公司"
    assert data["fax"] == "010-12345678"
    assert data["address"] == "北京市朝阳区"
    assert data["birthday"] == "1980-01-01"
    assert data["preferences"] == "喜欢高尔夫"
    assert data["createdBy"] == "admin"
    assert data["createdAt"].endswith("Z")


def test_detail_answers_with_and_without_a_trailing_slash(admin_client):
    contact = make_contact()

    assert admin_client.get(detail_url(contact.id) + "/").status_code == 200
    assert admin_client.get(URL + "/").status_code == 200


# --- create -------------------------------------------------------------------------------------


def test_create_returns_the_id_and_stores_the_contact(admin_client):
    account = make_account()
    body = {
        "accountId": str(account.id),
        "name": "李四",
        "position": "采购经理",
        "phone": "13900139001",
        "email": "lisi@example.com",
        "mobile": "13900139001",
        "address": "北京市朝阳区",
    }

    response = admin_client.post(URL, body, format="json")

    assert response.status_code == 200
    assert response.json()["code"] == 200
    data = response.json()["data"]
    assert set(data) == {"id"}
    contact = Contact.objects.get(pk=data["id"])
    assert contact.account == account
    assert contact.name == "李四"
    assert contact.address == "北京市朝阳区"
    assert contact.created_by.username == "admin"
    detail = admin_client.get(detail_url(contact.id)).json()["data"]
    assert detail["accountName"] == account.name
    assert detail["updatedBy"] == "admin"


@pytest.mark.parametrize("missing", ["accountId", "name"])
def test_create_requires_account_id_and_name(admin_client, missing):
    body = {"accountId": str(make_account().id), "name": "李四"}
    del body[missing]

    response = admin_client.post(URL, body, format="json")

    assert missing in refused(response)
    assert not Contact.objects.exists()


def test_create_rejects_a_blank_name(admin_client):
    body = {"accountId": str(make_account().id), "name": "   "}

    response = admin_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert "name" in response.json()["data"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("mobile", "abc"),
        ("birthday", "1980-13-01"),
    ],
)
def test_create_validates_formats(admin_client, field, value):
    body = {"accountId": str(make_account().id), "name": "李四", field: value}

    response = admin_client.post(URL, body, format="json")

    assert field in refused(response)


def test_create_ignores_server_owned_fields(admin_client, make_user):
    other = make_user("mallory")
    body = {
        "accountId": str(make_account().id),
        "name": "李四",
        "id": str(uuid.uuid4()),
        "accountName": "伪造",
        "createdBy": other.username,
        "createdAt": "2000-01-01T00:00:00Z",
    }

    response = admin_client.post(URL, body, format="json")

    contact = Contact.objects.get(pk=response.json()["data"]["id"])
    assert str(contact.id) != body["id"]
    assert contact.created_by.username == "admin"
    assert contact.created_at.year != 2000


# --- update -------------------------------------------------------------------------------------


def test_update_moves_the_contact_to_another_live_account(admin_client):
    contact = make_contact()
    target = make_account(name="上海贸易有限公司")

    response = admin_client.put(
        detail_url(contact.id), {"accountId": str(target.id)}, format="json"
    )

    assert response.status_code == 200
    data = admin_client.get(detail_url(contact.id)).json()["data"]
    assert data["accountId"] == str(target.id)
    assert data["accountName"] == "上海贸易有限公司"


def test_update_refuses_a_deleted_account_with_4001(admin_client, admin_user):
    contact = make_contact()
    target = make_account()
    account_delete(account=target, by=admin_user)

    response = admin_client.put(
        detail_url(contact.id), {"accountId": str(target.id)}, format="json"
    )

    refused(response, 4001)
    contact.refresh_from_db()
    assert contact.account_id != target.id


def test_update_validates_like_create(admin_client):
    contact = make_contact(email="a@b.cn")

    response = admin_client.put(detail_url(contact.id), {"email": "nope"}, format="json")

    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.email == "a@b.cn"


# --- delete -------------------------------------------------------------------------------------


# --- the account's contacts ---------------------------------------------------------------------


def test_account_detail_lists_its_live_contacts(admin_client):
    account = make_account()
    first = make_contact(account, name="李四", position="采购经理", phone="13900139001")
    second = make_contact(account, name="王五")
    gone = make_contact(account, name="赵六")
    make_contact(make_account(), name="别家的人")
    admin_client.delete(detail_url(gone.id))

    response = admin_client.get(f"/api/v1/crm/accounts/{account.id}")

    contacts = response.json()["data"]["contacts"]
    assert [row["id"] for row in contacts] == [str(first.id), str(second.id)]
    assert set(contacts[0]) == {"id", "name", "position", "phone", "email"}
    assert contacts[0]["position"] == "采购经理"


def test_deleting_the_account_hides_its_contacts_and_restoring_brings_them_back(
    admin_client, admin_user
):
    account = make_account()
    contact = make_contact(account)
    other = make_contact(make_account())

    assert admin_client.delete(f"/api/v1/crm/accounts/{account.id}").status_code == 200

    assert ids(admin_client.get(URL)) == [str(other.id)]
    assert ids(admin_client.get(URL, {"accountId": str(account.id)})) == []
    hidden = admin_client.get(detail_url(contact.id))
    assert hidden.status_code == 404
    assert hidden.json()["code"] == 4002
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is None  # the row is untouched

    account_restore(account=account, by=admin_user)

    assert set(ids(admin_client.get(URL))) == {str(contact.id), str(other.id)}
    assert admin_client.get(detail_url(contact.id)).status_code == 200


# --- authentication and permissions -------------------------------------------------------------


def test_permissions_are_checked_per_method(user_client):
    contact = make_contact()
    reader = user_client("contacts.view_contact", "accounts.view_all_account")

    assert reader.get(URL).status_code == 200
    assert reader.get(detail_url(contact.id)).status_code == 200
    refused = reader.put(detail_url(contact.id), {"name": "x"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == 403
    assert reader.delete(detail_url(contact.id)).status_code == 403
    body = {"accountId": str(contact.account_id), "name": "x"}
    assert reader.post(URL, body, format="json").status_code == 403

    writer = user_client("contacts.add_contact", "accounts.view_all_account", username="carol")
    assert writer.post(URL, body, format="json").status_code == 200
    assert writer.get(URL).status_code == 403
