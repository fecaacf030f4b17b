"""The status flow through PUT /cases/{id} and the service times it stamps (CONTRACT.md, Cases).

new -> in_progress -> resolved -> closed; resolved -> in_progress reopens; anything else 4008.
"""

import datetime

import pytest

from cases.models import Case, CaseStatus
from cases.tests.factories import make_case, make_case_in
from core.tests.api import refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/cases"
EARLIER = datetime.datetime(2023, 6, 1, 8, 30, tzinfo=datetime.UTC)
EARLIER_Z = "2023-06-01T08:30:00Z"

NEW, IN_PROGRESS, RESOLVED, CLOSED = (
    CaseStatus.NEW,
    CaseStatus.IN_PROGRESS,
    CaseStatus.RESOLVED,
    CaseStatus.CLOSED,
)

ALLOWED = [(NEW, IN_PROGRESS), (IN_PROGRESS, RESOLVED), (RESOLVED, IN_PROGRESS), (RESOLVED, CLOSED)]
REFUSED = [
    (NEW, RESOLVED),
    (NEW, CLOSED),
    (IN_PROGRESS, NEW),
    (IN_PROGRESS, CLOSED),
    (RESOLVED, NEW),
    (CLOSED, NEW),
    (CLOSED, IN_PROGRESS),
    (CLOSED, RESOLVED),
    (CLOSED, CLOSED),
]


def put_status(client, case, status, **extra):
    return client.put(f"{URL}/{case.pk}", {"status": status, **extra}, format="json")


def snapshot(case) -> dict:
    row = Case.all_objects.get(pk=case.pk)
    return {
        field: getattr(row, field)
        for field in (
            "status",
            "subject",
            "response_time",
            "resolution_time",
            "closed_at",
            "updated_at",
        )
    }


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transition(admin_client, current, target):
    case = make_case_in(current)

    response = put_status(admin_client, case, target)

    assert response.status_code == 200, response.json()
    assert admin_client.get(f"{URL}/{case.pk}").json()["data"]["status"] == target


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_refused_transition_answers_4008_and_changes_nothing(admin_client, current, target):
    case = make_case_in(current)
    before = snapshot(case)

    response = put_status(admin_client, case, target, subject="改了吗")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 4008
    assert body["message"]  # a readable reason, not an empty string
    assert snapshot(case) == before


@pytest.mark.parametrize("status", [NEW, IN_PROGRESS, RESOLVED])
def test_same_status_is_not_a_transition(admin_client, status):
    case = make_case_in(status)
    response = put_status(admin_client, case, status, subject="新主题")
    assert response.status_code == 200
    after = snapshot(case)
    assert (after["status"], after["subject"]) == (status, "新主题")


def test_refusal_names_the_allowed_next_statuses(admin_client):
    response = put_status(admin_client, make_case(), RESOLVED)
    assert "in_progress" in response.json()["message"]


def test_unknown_status_answers_4008(admin_client):
    case = make_case()
    response = put_status(admin_client, case, "reopened")
    refused(response, 4008)
    assert "status" in response.json()["data"]


def test_any_change_to_a_closed_case_answers_4008(admin_client):
    case = make_case_in(CLOSED)
    before = snapshot(case)
    for payload in ({"subject": "新主题"}, {"priority": "urgent"}, {"resolution": "改"}, {}):
        response = admin_client.put(f"{URL}/{case.pk}", payload, format="json")
        assert (response.status_code, response.json()["code"]) == (400, 4008), payload
    assert snapshot(case) == before


def test_closed_case_answers_4008_even_for_an_invalid_body(admin_client):
    case = make_case_in(CLOSED)
    response = admin_client.put(f"{URL}/{case.pk}", {"priority": "bogus"}, format="json")
    assert response.json()["code"] == 4008


def test_full_flow_with_reopen(admin_client):
    case = make_case()
    for status in (IN_PROGRESS, RESOLVED, IN_PROGRESS, RESOLVED, CLOSED):
        assert put_status(admin_client, case, status).status_code == 200
    assert Case.objects.get(pk=case.pk).status == CLOSED


class TestResponseTime:
    def test_stamped_by_the_first_move_out_of_new(self, admin_client):
        case = make_case()
        assert admin_client.get(f"{URL}/{case.pk}").json()["data"]["responseTime"] is None

        put_status(admin_client, case, IN_PROGRESS)

        data = admin_client.get(f"{URL}/{case.pk}").json()["data"]
        assert data["responseTime"] is not None and data["responseTime"].endswith("Z")
        assert data["resolutionTime"] is None

    def test_not_stamped_by_other_updates_of_a_new_case(self, admin_client):
        case = make_case()
        admin_client.put(f"{URL}/{case.pk}", {"subject": "新", "status": NEW}, format="json")
        assert Case.objects.get(pk=case.pk).response_time is None

    def test_never_moves_once_stamped(self, admin_client):
        case = make_case_in(IN_PROGRESS)
        Case.all_objects.filter(pk=case.pk).update(response_time=EARLIER)

        for status in (RESOLVED, IN_PROGRESS, RESOLVED):
            put_status(admin_client, case, status)
        admin_client.post(f"{URL}/{case.pk}/comments", {"content": "跟进"}, format="json")
        admin_client.post(f"{URL}/{case.pk}/close", {"resolution": "完成"}, format="json")

        data = admin_client.get(f"{URL}/{case.pk}").json()["data"]
        assert data["status"] == CLOSED
        assert data["responseTime"] == EARLIER_Z


class TestResolutionTime:
    def test_stamped_when_first_resolved(self, admin_client):
        case = make_case_in(IN_PROGRESS)
        put_status(admin_client, case, RESOLVED, resolution="重置用户密码")
        row = Case.objects.get(pk=case.pk)
        assert row.resolution_time is not None
        assert row.resolution_time >= row.response_time
        assert row.resolution == "重置用户密码"

    def test_kept_through_reopen_and_second_resolution(self, admin_client):
        case = make_case_in(RESOLVED)
        Case.all_objects.filter(pk=case.pk).update(resolution_time=EARLIER)

        put_status(admin_client, case, IN_PROGRESS)
        assert admin_client.get(f"{URL}/{case.pk}").json()["data"]["resolutionTime"] == EARLIER_Z
        put_status(admin_client, case, RESOLVED)
        put_status(admin_client, case, CLOSED)

        assert admin_client.get(f"{URL}/{case.pk}").json()["data"]["resolutionTime"] == EARLIER_Z

    def test_stamped_when_closed_without_being_resolved(self, admin_client):
        case = make_case()
        response = admin_client.post(
            f"{URL}/{case.pk}/close", {"resolution": "重复反馈"}, format="json"
        )
        assert response.status_code == 200
        row = Case.objects.get(pk=case.pk)
        assert row.resolution_time is not None
        assert row.response_time is not None
        assert row.closed_at == row.resolution_time

    def test_put_closed_from_resolved_stamps_closed_at_only(self, admin_client):
        case = make_case_in(RESOLVED)
        Case.all_objects.filter(pk=case.pk).update(resolution_time=EARLIER)
        put_status(admin_client, case, CLOSED)
        data = admin_client.get(f"{URL}/{case.pk}").json()["data"]
        assert data["status"] == CLOSED
        assert data["closedAt"] is not None
        assert data["resolutionTime"] == EARLIER_Z
