"""Seed §3 and CONTRACT.md §4 (Accounts), at the HTTP level."""

from decimal import Decimal

import pytest

from accounts.models import Account
from accounts.tests.factories import make_account
from contacts.services import contact_create
from core.tests.api import data_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/accounts"
MISSING = "00000000-0000-0000-0000-000000000000"

FULL = {
    "name": "北京科技有限公司",
    "type": "corporate",
    "industry": "科技",
    "region": "华北",
    "address": "北京市朝阳区",
    "contactPerson": "张三",
    "phone": "13800138001",
    "email": "contact@example.com",
    "website": "www.example.com",
    "taxNo": "110101123456789",
    "creditLimit": 1000000,
    "remarks": "重要客户",
}


data = data_of


# --- create / detail ---------------------------------------------------------------------------


def test_create_returns_id_and_number_and_detail_has_every_field(admin_client):
    created = data(admin_client.post(URL, FULL, format="json"))
    assert set(created) == {"id", "accountNo"}
    assert created["accountNo"] == "ACC001"
    detail = data(admin_client.get(f"{URL}/{created['id']}"))
    for key, value in FULL.items():
        assert detail[key] == value, key
    assert detail["status"] == "active"
    assert detail["creditUsed"] == 0
    assert detail["loyaltyLevel"] is None and detail["size"] is None
    assert detail["contacts"] == []
    assert detail["createdBy"] == detail["updatedBy"] == "admin"
    assert detail["createdAt"].endswith("Z") and len(detail["createdAt"]) == 20


def test_numbers_are_sequential_with_three_digits_then_grow(admin_client):
    numbers = [
        data(admin_client.post(URL, {"name": f"c{i}"}, format="json"))["accountNo"]
        for i in range(3)
    ]
    assert numbers == ["ACC001", "ACC002", "ACC003"]
    from core.models import Sequence

    Sequence.objects.filter(name="ACC").update(value=999)
    assert data(admin_client.post(URL, {"name": "x"}, format="json"))["accountNo"] == "ACC1000"


def test_numbers_are_never_reused_after_delete(admin_client):
    first = data(admin_client.post(URL, {"name": "a"}, format="json"))
    admin_client.delete(f"{URL}/{first['id']}")
    assert data(admin_client.post(URL, {"name": "b"}, format="json"))["accountNo"] == "ACC002"


def test_defaults_type_corporate_status_active(admin_client):
    created = data(admin_client.post(URL, {"name": "个人客户"}, format="json"))
    detail = data(admin_client.get(f"{URL}/{created['id']}"))
    assert (detail["type"], detail["status"], detail["creditLimit"]) == ("corporate", "active", 0)


def test_extra_fields_loyalty_level_and_size(admin_client):
    body = {"name": "x", "loyaltyLevel": "gold", "size": "enterprise"}
    created = data(admin_client.post(URL, body, format="json"))
    detail = data(admin_client.get(f"{URL}/{created['id']}"))
    assert (detail["loyaltyLevel"], detail["size"]) == ("gold", "enterprise")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x", "type": "alien"}, "type"),
        ({"name": "x", "status": "gone"}, "status"),
        ({"name": "x", "email": "not-an-email"}, "email"),
        ({"name": "x", "website": "not a site"}, "website"),
        ({"name": "x", "phone": "call me"}, "phone"),
        ({"name": "x", "creditLimit": -1}, "creditLimit"),
        ({"name": "x", "creditLimit": "abc"}, "creditLimit"),
        ({"name": "x", "creditLimit": 1.234}, "creditLimit"),
        ({"name": "x", "loyaltyLevel": "diamond"}, "loyaltyLevel"),
        ({"name": "x", "size": "huge"}, "size"),
    ],
)
def test_invalid_input_answers_400_with_field_messages(admin_client, body, field):
    response = admin_client.post(URL, body, format="json")
    envelope = response.json()
    assert response.status_code == 400 and envelope["code"] == 400
    assert field in envelope["data"]
    assert all(isinstance(m, str) and m for m in envelope["data"][field])
    assert Account.all_objects.count() == 0


def test_tax_no_is_unique_among_live_accounts(admin_client):
    first = data(admin_client.post(URL, {"name": "a", "taxNo": "T1"}, format="json"))
    response = admin_client.post(URL, {"name": "b", "taxNo": "T1"}, format="json")
    assert response.status_code == 400 and "taxNo" in response.json()["data"]
    admin_client.delete(f"{URL}/{first['id']}")
    assert admin_client.post(URL, {"name": "b", "taxNo": "T1"}, format="json").status_code == 200


def test_server_owned_fields_in_the_body_are_ignored(admin_client, make_user):
    body = {
        "name": "x",
        "id": "11111111-1111-1111-1111-111111111111",
        "accountNo": "HACK999",
        "creditUsed": 5,
        "createdBy": "mallory",
        "createdAt": "2000-01-01T00:00:00Z",
    }
    created = data(admin_client.post(URL, body, format="json"))
    assert created["id"] != body["id"] and created["accountNo"] == "ACC001"
    detail = data(admin_client.get(f"{URL}/{created['id']}"))
    assert detail["creditUsed"] == 0 and detail["createdBy"] == "admin"
    assert not detail["createdAt"].startswith("2000")
    admin_client.put(f"{URL}/{created['id']}", {"accountNo": "X1", "creditUsed": 9}, format="json")
    detail = data(admin_client.get(f"{URL}/{created['id']}"))
    assert detail["accountNo"] == "ACC001" and detail["creditUsed"] == 0


def test_detail_lists_live_contacts_only(admin_client):
    account = make_account()
    kept = contact_create(
        account=account, by=None, name="李四", position="采购经理", phone="13900139001"
    )
    gone = contact_create(account=account, by=None, name="王五")
    from core.services import soft_delete

    soft_delete(instance=gone, by=None)
    contacts = data(admin_client.get(f"{URL}/{account.pk}"))["contacts"]
    assert contacts == [
        {
            "id": str(kept.pk),
            "name": "李四",
            "position": "采购经理",
            "phone": "13900139001",
            "email": None,
        }
    ]


# --- update ------------------------------------------------------------------------------------


def test_update_validates_like_create(admin_client):
    account = make_account()
    response = admin_client.put(f"{URL}/{account.pk}", {"email": "nope"}, format="json")
    assert response.status_code == 400 and "email" in response.json()["data"]


# --- delete ------------------------------------------------------------------------------------


def test_deleting_an_account_leaves_its_contacts_rows_untouched(admin_client):
    account = make_account()
    contact = contact_create(account=account, by=None, name="李四")
    assert data(admin_client.delete(f"{URL}/{account.pk}")) is None
    stored = Account.all_objects.get(pk=account.pk)
    assert stored.contacts.model.all_objects.filter(pk=contact.pk, deleted_at__isnull=True).exists()


# --- status ------------------------------------------------------------------------------------


def test_status_change_is_kept_as_history(admin_client):
    account = make_account()
    url = f"{URL}/{account.pk}/status"
    body = {"status": "inactive", "reason": "客户暂停合作"}
    assert admin_client.put(url, body, format="json").json()["data"] is None
    assert data(admin_client.get(f"{URL}/{account.pk}"))["status"] == "inactive"
    admin_client.put(url, {"status": "active", "reason": "恢复合作"}, format="json")
    history = data(admin_client.get(f"{URL}/{account.pk}/status-history"))
    assert history["total"] == 2
    newest, oldest = history["list"]
    assert (newest["fromStatus"], newest["toStatus"], newest["reason"]) == (
        "inactive",
        "active",
        "恢复合作",
    )
    assert (oldest["fromStatus"], oldest["toStatus"], oldest["reason"]) == (
        "active",
        "inactive",
        "客户暂停合作",
    )
    assert oldest["changedBy"] == "admin" and oldest["changedAt"].endswith("Z")


def test_status_change_through_put_is_in_the_history_too(admin_client):
    account = make_account()
    admin_client.put(f"{URL}/{account.pk}", {"status": "inactive"}, format="json")
    history = data(admin_client.get(f"{URL}/{account.pk}/status-history"))
    assert [(h["fromStatus"], h["toStatus"]) for h in history["list"]] == [("active", "inactive")]


def test_setting_the_same_status_records_nothing(admin_client):
    account = make_account()
    admin_client.put(f"{URL}/{account.pk}/status", {"status": "active"}, format="json")
    assert data(admin_client.get(f"{URL}/{account.pk}/status-history"))["total"] == 0


@pytest.mark.parametrize("body", [{}, {"status": "closed"}, {"status": None}])
def test_status_must_be_active_or_inactive(admin_client, body):
    account = make_account()
    response = admin_client.put(f"{URL}/{account.pk}/status", body, format="json")
    assert response.status_code == 400 and "status" in response.json()["data"]


def test_status_of_missing_account_answers_4001(admin_client):
    response = admin_client.put(f"{URL}/{MISSING}/status", {"status": "inactive"}, format="json")
    assert response.status_code == 404 and response.json()["code"] == 4001


# --- credit assessment -------------------------------------------------------------------------


def test_credit_assessment_records_and_sets_the_credit_limit(admin_client):
    account = make_account(credit_limit=Decimal("1000000"))
    body = {
        "assessmentDate": "2023-06-01",
        "assessor": "评估员",
        "creditScore": 85,
        "creditLimit": 2000000,
        "remarks": "信用良好，提高信用额度",
    }
    created = data(admin_client.post(f"{URL}/{account.pk}/credit-assessment", body, format="json"))
    assert set(created) == {"assessmentId"}
    assert data(admin_client.get(f"{URL}/{account.pk}"))["creditLimit"] == 2000000
    listed = data(admin_client.get(f"{URL}/{account.pk}/credit-assessments"))
    assert listed["total"] == 1
    row = listed["list"][0]
    assert row["id"] == created["assessmentId"]
    assert (row["assessmentDate"], row["assessor"], row["creditScore"]) == (
        "2023-06-01",
        "评估员",
        85,
    )
    assert row["creditLimit"] == 2000000 and row["remarks"] == "信用良好，提高信用额度"


def test_credit_assessment_defaults_date_today_and_assessor_current_user(admin_client):
    account = make_account(credit_limit=Decimal("500"))
    admin_client.post(f"{URL}/{account.pk}/credit-assessment", {"creditScore": 60}, format="json")
    row = data(admin_client.get(f"{URL}/{account.pk}/credit-assessments"))["list"][0]
    from django.utils import timezone

    assert row["assessmentDate"] == timezone.now().date().isoformat()
    assert row["assessor"] == "admin" and row["creditLimit"] is None
    assert data(admin_client.get(f"{URL}/{account.pk}"))["creditLimit"] == 500


def test_credit_assessments_are_listed_newest_first(admin_client):
    account = make_account()
    url = f"{URL}/{account.pk}/credit-assessment"
    for day in ("2023-01-01", "2023-03-01", "2023-02-01"):
        admin_client.post(url, {"creditScore": 50, "assessmentDate": day}, format="json")
    listed = data(admin_client.get(f"{URL}/{account.pk}/credit-assessments"))["list"]
    assert [row["assessmentDate"] for row in listed] == ["2023-03-01", "2023-02-01", "2023-01-01"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"creditScore": -1},
        {"creditScore": 101},
        {"creditScore": 50, "creditLimit": -5},
        {"creditScore": "high"},
        {"creditScore": 50, "assessmentDate": "2023-13-01"},
    ],
)
def test_credit_assessment_validation(admin_client, body):
    account = make_account()
    response = admin_client.post(f"{URL}/{account.pk}/credit-assessment", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == 400
    assert data(admin_client.get(f"{URL}/{account.pk}/credit-assessments"))["total"] == 0


def test_credit_assessment_of_missing_account_answers_4001(admin_client):
    response = admin_client.post(
        f"{URL}/{MISSING}/credit-assessment", {"creditScore": 5}, format="json"
    )
    assert response.status_code == 404 and response.json()["code"] == 4001
