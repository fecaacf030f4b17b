"""The audit trail: who changed which fields from what to what, per record."""

import pytest

from accounts.models import Account
from accounts.services import account_restore
from conftest import client_for

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/crm/accounts"


def history(client, account_id):
    response = client.get(f"{ACCOUNTS}/{account_id}/history")
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def test_create_update_delete_and_restore_are_recorded(admin_client, admin_user, make_user):
    editor = make_user("editor", superuser=True)
    account_id = admin_client.post(
        ACCOUNTS, {"name": "审计客户", "creditLimit": 5}, format="json"
    ).json()["data"]["id"]
    client_for(editor).put(
        f"{ACCOUNTS}/{account_id}", {"name": "审计客户二", "creditLimit": 7}, format="json"
    )
    admin_client.put(f"{ACCOUNTS}/{account_id}/status", {"status": "inactive"}, format="json")
    admin_client.delete(f"{ACCOUNTS}/{account_id}")
    account_restore(account=Account.all_objects.get(pk=account_id), by=admin_user)

    page = history(admin_client, account_id)
    assert page["total"] == 5
    restored, deleted, status, update, created = page["list"]
    assert [e["action"] for e in page["list"]] == [
        "restored",
        "deleted",
        "updated",
        "updated",
        "created",
    ]
    assert update["changedBy"] == "editor" and created["changedBy"] == "admin"
    assert sorted((c["field"], c["from"], c["to"]) for c in update["changes"]) == [
        ("creditLimit", 5, 7),
        ("name", "审计客户", "审计客户二"),
    ]
    assert status["changes"] == [
        {
            "field": "status",
            "from": "active",
            "to": "inactive",
            "fromLabel": "活跃",
            "toLabel": "停用",
        }
    ]
    name = {
        "field": "name",
        "from": None,
        "to": "审计客户",
        "fromLabel": None,
        "toLabel": "审计客户",
    }
    assert name in created["changes"]
    assert restored["changedBy"] == "admin" and deleted["changedBy"] == "admin"
    assert created["changedAt"].endswith("Z") and len(created["changedAt"]) == 20


def test_history_pages_diff_across_the_page_boundary(admin_client):
    account_id = admin_client.post(ACCOUNTS, {"name": "v0"}, format="json").json()["data"]["id"]
    for version in range(1, 4):
        admin_client.put(f"{ACCOUNTS}/{account_id}", {"name": f"v{version}"}, format="json")
    first = admin_client.get(f"{ACCOUNTS}/{account_id}/history", {"pageSize": 2}).json()["data"]
    second = admin_client.get(
        f"{ACCOUNTS}/{account_id}/history", {"pageSize": 2, "page": 2}
    ).json()["data"]
    names = [
        (c["from"], c["to"])
        for e in first["list"] + second["list"]
        for c in e["changes"]
        if c["field"] == "name"
    ]
    assert names == [("v2", "v3"), ("v1", "v2"), ("v0", "v1"), (None, "v0")]


def test_every_resource_has_a_history(admin_client):
    account_id = admin_client.post(ACCOUNTS, {"name": "甲"}, format="json").json()["data"]["id"]
    contact_id = admin_client.post(
        "/api/v1/crm/contacts", {"accountId": account_id, "name": "乙"}, format="json"
    ).json()["data"]["id"]
    lead_id = admin_client.post("/api/v1/crm/leads", {"name": "丙"}, format="json").json()["data"][
        "id"
    ]
    for path in (f"contacts/{contact_id}", f"leads/{lead_id}"):
        entries = admin_client.get(f"/api/v1/crm/{path}/history").json()["data"]["list"]
        assert [e["action"] for e in entries] == ["created"]


def test_history_needs_the_view_permission(user_client):
    account_id = Account.objects.create(account_no="ACC777", name="x").pk
    client = user_client("accounts.view_all_account")
    assert client.get(f"{ACCOUNTS}/{account_id}/history").status_code == 403
