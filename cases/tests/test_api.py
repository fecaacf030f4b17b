"""Create, read and update of /api/v1/crm/cases at the HTTP level (seed §6.1-6.4)."""

import pytest

from accounts.tests.factories import make_account
from cases.models import Case, CaseStatus
from cases.tests.factories import make_case, make_case_in, make_contact
from core import services as core_services
from core.tests.api import refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/cases"


def detail_url(case) -> str:
    return f"{URL}/{case.pk}"


def body(account, **extra) -> dict:
    return {
        "accountId": str(account.pk),
        "subject": "系统登录问题",
        "description": "用户无法登录系统，提示密码错误",
        "type": "issue",
        "priority": "high",
        **extra,
    }


class TestCreate:
    def test_create_answers_id_and_case_number_and_starts_new(self, admin_client):
        account = make_account()
        contact = make_contact(account)

        response = admin_client.post(URL, body(account, contactId=str(contact.pk)), format="json")

        assert response.status_code == 200
        data = response.json()["data"]
        assert set(data) == {"id", "caseNo"}
        assert data["caseNo"] == "CAS001"
        case = Case.objects.get(pk=data["id"])
        assert case.status == CaseStatus.NEW
        assert case.contact == contact
        assert case.created_by.username == "admin"
        assert case.response_time is None and case.resolution_time is None

    def test_case_numbers_follow_each_other(self, admin_client):
        account = make_account()
        numbers = [
            admin_client.post(URL, body(account), format="json").json()["data"]["caseNo"]
            for _ in range(3)
        ]
        assert numbers == ["CAS001", "CAS002", "CAS003"]

    def test_priority_defaults_to_medium(self, admin_client):
        payload = body(make_account())
        del payload["priority"]
        case_id = admin_client.post(URL, payload, format="json").json()["data"]["id"]
        assert Case.objects.get(pk=case_id).priority == "medium"

    def test_status_and_server_owned_fields_in_the_body_are_ignored(self, admin_client):
        payload = body(
            make_account(),
            status="closed",
            caseNo="CAS999",
            responseTime="2023-06-01T08:30:00Z",
            satisfaction=5,
        )
        data = admin_client.post(URL, payload, format="json").json()["data"]
        case = Case.objects.get(pk=data["id"])
        assert (case.status, case.case_no) == ("new", "CAS001")
        assert case.response_time is None and case.satisfaction is None

    @pytest.mark.parametrize("field", ["accountId", "subject", "type"])
    def test_required_fields(self, admin_client, field):
        payload = body(make_account())
        del payload[field]
        response = admin_client.post(URL, payload, format="json")
        assert field in refused(response)
        assert not Case.all_objects.exists()

    def test_blank_subject_is_refused(self, admin_client):
        response = admin_client.post(URL, body(make_account(), subject="   "), format="json")
        assert "subject" in refused(response)

    @pytest.mark.parametrize(("field", "value"), [("type", "bug"), ("priority", "critical")])
    def test_unknown_type_or_priority_is_plain_400(self, admin_client, field, value):
        response = admin_client.post(URL, body(make_account(), **{field: value}), format="json")
        assert field in refused(response)

    def test_contact_of_another_account_answers_4002(self, admin_client):
        other_contact = make_contact(make_account(name="上海贸易有限公司"))
        payload = body(make_account(), contactId=str(other_contact.pk))
        response = admin_client.post(URL, payload, format="json")
        refused(response, 4002)
        assert "contactId" in response.json()["data"]
        assert not Case.all_objects.exists()

    def test_trailing_slash_works_without_redirect(self, admin_client):
        response = admin_client.post(f"{URL}/", body(make_account()), format="json")
        assert response.status_code == 200


class TestDetail:
    def test_detail_has_every_field_of_the_seed(self, admin_client):
        account = make_account()
        contact = make_contact(account)
        case = make_case(account, contact=contact, description="用户无法登录系统")

        response = admin_client.get(detail_url(case))

        assert response.status_code == 200
        data = response.json()["data"]
        seed_keys = {
            "id",
            "caseNo",
            "accountId",
            "accountName",
            "contactId",
            "contactName",
            "subject",
            "description",
            "type",
            "priority",
            "status",
            "resolution",
            "responseTime",
            "resolutionTime",
            "attachments",
            "comments",
            "createdBy",
            "createdAt",
            "updatedBy",
            "updatedAt",
        }
        assert seed_keys - {"attachments"} <= set(data)
        assert data["caseNo"] == case.case_no
        assert data["accountId"] == str(account.pk)
        assert data["accountName"] == "北京科技有限公司"
        assert data["contactId"] == str(contact.pk)
        assert data["contactName"] == "李四"
        assert data["status"] == "new"
        assert data["responseTime"] is None and data["resolutionTime"] is None
        assert data["comments"] == []
        assert data["createdAt"].endswith("Z")

    def test_case_without_contact_has_null_contact(self, admin_client):
        data = admin_client.get(detail_url(make_case())).json()["data"]
        assert data["contactId"] is None and data["contactName"] is None

    def test_case_of_a_soft_deleted_account_is_hidden_and_back_on_restore(self, admin_client):
        case = make_case()
        core_services.soft_delete(instance=case.account, by=None)
        assert admin_client.get(detail_url(case)).json()["code"] == 4004
        assert admin_client.get(URL).json()["data"]["total"] == 0

        core_services.restore(instance=case.account, by=None)
        assert admin_client.get(detail_url(case)).status_code == 200

    def test_server_owned_fields_are_not_written(self, admin_client):
        case = make_case()
        payload = {
            "caseNo": "CAS999",
            "responseTime": "2023-06-01T08:30:00Z",
            "resolutionTime": "2023-06-01T09:00:00Z",
            "satisfaction": 5,
        }
        assert admin_client.put(detail_url(case), payload, format="json").status_code == 200
        case.refresh_from_db()
        assert case.case_no == "CAS001"
        assert case.response_time is None and case.resolution_time is None
        assert case.satisfaction is None

    def test_contact_must_belong_to_the_case_account(self, admin_client):
        case = make_case()
        stranger = make_contact(make_account(name="上海贸易有限公司"))
        response = admin_client.put(
            detail_url(case), {"contactId": str(stranger.pk)}, format="json"
        )
        refused(response, 4002)
        case.refresh_from_db()
        assert case.contact is None

    def test_moving_to_another_account_needs_a_matching_contact(self, admin_client):
        account = make_account()
        case = make_case(account, contact=make_contact(account))
        other = make_account(name="上海贸易有限公司")
        other_contact = make_contact(other, name="王五")

        answer = admin_client.put(detail_url(case), {"accountId": str(other.pk)}, format="json")
        refused(answer, 4002)

        payload = {"accountId": str(other.pk), "contactId": str(other_contact.pk)}
        assert admin_client.put(detail_url(case), payload, format="json").status_code == 200
        case.refresh_from_db()
        assert (case.account, case.contact) == (other, other_contact)

    def test_contact_can_be_cleared(self, admin_client):
        account = make_account()
        case = make_case(account, contact=make_contact(account))
        assert (
            admin_client.put(detail_url(case), {"contactId": None}, format="json").json()["code"]
            == 200
        )
        case.refresh_from_db()
        assert case.contact is None

    def test_resolution_can_be_written_while_open(self, admin_client):
        case = make_case_in(CaseStatus.IN_PROGRESS)
        admin_client.put(detail_url(case), {"resolution": "已重置密码"}, format="json")
        case.refresh_from_db()
        assert case.resolution == "已重置密码"


class TestNoDelete:
    def test_delete_is_not_offered(self, admin_client):
        case = make_case()
        response = admin_client.delete(detail_url(case))
        assert (response.status_code, response.json()["code"]) == (405, 405)
        assert Case.objects.filter(pk=case.pk).exists()


class TestPermissions:
    def test_anonymous_is_401(self, api_client):
        assert api_client.get(URL).status_code == 401

    def test_view_permission_is_needed_to_read(self, user_client):
        case = make_case()
        assert user_client().get(URL).status_code == 403
        reader = user_client("cases.view_case", "cases.view_all_case", username="reader")
        assert reader.get(URL).status_code == 200
        assert reader.get(detail_url(case)).status_code == 200

    def test_reader_cannot_write(self, user_client):
        case = make_case()
        reader = user_client("cases.view_case")
        assert reader.post(URL, body(case.account), format="json").status_code == 403
        assert reader.put(detail_url(case), {"subject": "x"}, format="json").status_code == 403
        assert (
            reader.post(f"{detail_url(case)}/comments", {"content": "x"}, format="json").status_code
            == 403
        )
        assert reader.post(f"{detail_url(case)}/close", {"resolution": "x"}).status_code == 403

    def test_comment_needs_add_casecomment_and_close_needs_change_case(self, user_client):
        case = make_case()
        commenter = user_client(
            "cases.add_casecomment", "cases.view_all_case", username="commenter"
        )
        closer = user_client("cases.change_case", "cases.view_all_case", username="closer")
        url = detail_url(case)
        assert (
            commenter.post(f"{url}/comments", {"content": "收到"}, format="json").status_code == 200
        )
        assert commenter.post(f"{url}/close", {"resolution": "x"}, format="json").status_code == 403
        assert closer.post(f"{url}/close", {"resolution": "重复"}, format="json").status_code == 200
