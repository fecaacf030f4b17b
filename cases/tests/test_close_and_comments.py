"""POST /cases/{id}/close and POST /cases/{id}/comments (seed §6.5, §6.6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseComment, CaseStatus
from cases.tests.factories import make_case, make_case_in
from core.tests.api import refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/cases"
MISSING = "00000000-0000-0000-0000-000000000000"


def close(client, case, payload):
    return client.post(f"{URL}/{case.pk}/close", payload, format="json")


def comment(client, case, content):
    return client.post(f"{URL}/{case.pk}/comments", {"content": content}, format="json")


class TestClose:
    def test_close_a_resolved_case_as_the_seed_shows(self, admin_client):
        case = make_case_in(CaseStatus.RESOLVED)

        response = close(admin_client, case, {"resolution": "问题已完全解决", "satisfaction": 5})

        assert response.status_code == 200
        assert response.json() == {"code": 200, "message": "success", "data": None}
        data = admin_client.get(f"{URL}/{case.pk}").json()["data"]
        assert data["status"] == "closed"
        assert data["resolution"] == "问题已完全解决"
        assert data["satisfaction"] == 5
        assert data["closedAt"].endswith("Z")
        assert Case.objects.get(pk=case.pk).updated_by.username == "admin"

    @pytest.mark.parametrize("status", [CaseStatus.NEW, CaseStatus.IN_PROGRESS])
    def test_an_open_case_can_be_closed_directly(self, admin_client, status):
        case = make_case_in(status)
        response = close(admin_client, case, {"resolution": "重复反馈，见 CAS001"})
        assert response.status_code == 200
        assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED

    def test_satisfaction_is_optional(self, admin_client):
        case = make_case_in(CaseStatus.RESOLVED)
        assert close(admin_client, case, {"resolution": "完成"}).status_code == 200
        assert admin_client.get(f"{URL}/{case.pk}").json()["data"]["satisfaction"] is None

    def test_resolution_is_kept_when_the_case_already_has_one(self, admin_client):
        case = make_case_in(CaseStatus.RESOLVED)  # resolved with "重置用户密码，问题已解决"
        assert close(admin_client, case, {"satisfaction": 4}).status_code == 200
        row = Case.objects.get(pk=case.pk)
        assert (row.resolution, row.satisfaction) == ("重置用户密码，问题已解决", 4)

    @pytest.mark.parametrize("payload", [{}, {"resolution": ""}, {"resolution": "   "}])
    def test_resolution_is_required_when_the_case_has_none(self, admin_client, payload):
        case = make_case()
        response = close(admin_client, case, payload)
        refused(response)
        assert "resolution" in response.json()["data"]
        assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW

    @pytest.mark.parametrize("satisfaction", [0, 6, -1, "abc", 4.5, True, "5星"])
    def test_satisfaction_must_be_an_integer_from_1_to_5(self, admin_client, satisfaction):
        case = make_case_in(CaseStatus.RESOLVED)
        response = close(admin_client, case, {"resolution": "完成", "satisfaction": satisfaction})
        refused(response)
        assert "satisfaction" in response.json()["data"]
        row = Case.objects.get(pk=case.pk)
        assert (row.status, row.closed_at, row.satisfaction) == (CaseStatus.RESOLVED, None, None)

    @pytest.mark.parametrize("satisfaction", [1, 3, 5])
    def test_every_satisfaction_from_1_to_5_is_accepted(self, admin_client, satisfaction):
        case = make_case_in(CaseStatus.RESOLVED)
        close(admin_client, case, {"resolution": "完成", "satisfaction": satisfaction})
        assert Case.objects.get(pk=case.pk).satisfaction == satisfaction

    def test_closing_twice_answers_4008_and_changes_nothing(self, admin_client):
        case = make_case_in(CaseStatus.RESOLVED)
        close(admin_client, case, {"resolution": "完成", "satisfaction": 5})
        before = Case.objects.get(pk=case.pk)

        response = close(admin_client, case, {"resolution": "再次关闭", "satisfaction": 1})

        refused(response, 4008)
        after = Case.objects.get(pk=case.pk)
        assert (after.resolution, after.satisfaction, after.closed_at) == (
            "完成",
            5,
            before.closed_at,
        )

    def test_closed_case_answers_4008_even_for_an_invalid_body(self, admin_client):
        case = make_case_in(CaseStatus.CLOSED)
        response = close(admin_client, case, {"satisfaction": 9})
        assert response.json()["code"] == 4008

    def test_missing_case_answers_4004(self, admin_client):
        response = admin_client.post(f"{URL}/{MISSING}/close", {"resolution": "x"}, format="json")
        assert (response.status_code, response.json()["code"]) == (404, 4004)


class TestComments:
    def test_comment_answers_its_id(self, admin_client):
        case = make_case()
        response = comment(admin_client, case, "已收到反馈，正在处理")
        assert response.status_code == 200
        data = response.json()["data"]
        assert set(data) == {"commentId"}
        saved = CaseComment.objects.get(pk=data["commentId"])
        assert (saved.case_id, saved.content, saved.created_by.username) == (
            case.pk,
            "已收到反馈，正在处理",
            "admin",
        )

    def test_detail_lists_comments_oldest_first_with_author_and_time(
        self, admin_client, agent_client
    ):
        case = make_case()
        comment(admin_client, case, "第一条")
        comment(agent_client, case, "第二条")
        comment(admin_client, case, "第三条")

        comments = admin_client.get(f"{URL}/{case.pk}").json()["data"]["comments"]

        assert [c["content"] for c in comments] == ["第一条", "第二条", "第三条"]
        assert [c["createdBy"] for c in comments] == ["admin", "agent", "admin"]
        assert set(comments[0]) == {"id", "content", "createdBy", "createdAt"}
        assert all(c["createdAt"].endswith("Z") for c in comments)

    def test_first_comment_stamps_response_time_once(self, admin_client):
        case = make_case()
        comment(admin_client, case, "已收到")
        first = Case.objects.get(pk=case.pk)
        assert first.status == CaseStatus.NEW  # commenting does not move the status
        assert first.response_time == CaseComment.objects.get().created_at

        comment(admin_client, case, "仍在处理")
        assert Case.objects.get(pk=case.pk).response_time == first.response_time

    def test_comment_marks_the_case_updated(self, agent_client):
        case = make_case()
        comment(agent_client, case, "已收到")
        row = Case.objects.get(pk=case.pk)
        assert row.updated_by.username == "agent"
        assert row.updated_at > row.created_at

    @pytest.mark.parametrize("payload", [{}, {"content": ""}, {"content": "  \n "}])
    def test_blank_comment_is_refused(self, admin_client, payload):
        case = make_case()
        response = admin_client.post(f"{URL}/{case.pk}/comments", payload, format="json")
        refused(response)
        assert "content" in response.json()["data"]
        assert not CaseComment.objects.exists()
        assert Case.objects.get(pk=case.pk).response_time is None

    def test_comment_on_a_closed_case_answers_4008(self, admin_client):
        case = make_case_in(CaseStatus.CLOSED)
        response = comment(admin_client, case, "还有问题")
        refused(response, 4008)
        assert not CaseComment.objects.exists()

    @pytest.mark.parametrize("status", [CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED])
    def test_comments_are_allowed_until_closed(self, admin_client, status):
        assert comment(admin_client, make_case_in(status), "跟进").status_code == 200

    def test_missing_case_answers_4004(self, admin_client):
        response = admin_client.post(f"{URL}/{MISSING}/comments", {"content": "x"}, format="json")
        assert (response.status_code, response.json()["code"]) == (404, 4004)

    def test_detail_costs_the_same_queries_for_one_or_many_comments(self, admin_client):
        case = make_case()
        comment(admin_client, case, "一")
        with CaptureQueriesContext(connection) as one:
            assert admin_client.get(f"{URL}/{case.pk}").status_code == 200

        for index in range(5):
            comment(admin_client, case, f"第{index}条")
        with CaptureQueriesContext(connection) as many:
            data = admin_client.get(f"{URL}/{case.pk}").json()["data"]

        assert len(data["comments"]) == 6
        assert len(many) == len(one)
