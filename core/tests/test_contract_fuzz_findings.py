"""Behaviour bugs the contract fuzzer (tools/fuzz.sh) found, each pinned at the HTTP level."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_checking_client(admin_user) -> APIClient:
    """A client that, like a real one, is held to Django's CSRF middleware."""
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(admin_user)}")
    return client


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_path_answers_the_404_envelope_not_the_csrf_page(
    csrf_checking_client, method
):
    # "/accounts/0.5": the record route takes no dot, so this path reaches the catch-all.
    response = getattr(csrf_checking_client, method)("/api/v1/crm/accounts/0.5", {}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == 404


def test_a_date_before_the_year_1000_reads_back_with_four_digits(admin_client):
    account = admin_client.post("/api/v1/crm/accounts", {"name": "Old"}, format="json")
    created = admin_client.post(
        "/api/v1/crm/opportunities",
        {"accountId": account.json()["data"]["id"], "name": "Deal", "closeDate": "0327-02-01"},
        format="json",
    )
    assert created.status_code == 200, created.json()

    detail = admin_client.get(f"/api/v1/crm/opportunities/{created.json()['data']['id']}")
    listed = admin_client.get("/api/v1/crm/opportunities")

    assert detail.json()["data"]["closeDate"] == "0327-02-01"
    assert [row["closeDate"] for row in listed.json()["data"]["list"]] == ["0327-02-01"]


def test_a_timestamp_before_the_year_1000_reads_back_with_four_digits(admin_client):
    account = admin_client.post("/api/v1/crm/accounts", {"name": "Old"}, format="json")
    created = admin_client.post(
        "/api/v1/crm/activities",
        {
            "accountId": account.json()["data"]["id"],
            "type": "call",
            "subject": "Early call",
            "startTime": "0999-12-31T22:00:00Z",
            "endTime": "0999-12-31T23:00:00Z",
        },
        format="json",
    )
    assert created.status_code == 200, created.json()

    detail = admin_client.get(f"/api/v1/crm/activities/{created.json()['data']['id']}")

    assert detail.json()["data"]["startTime"] == "0999-12-31T22:00:00Z"
    assert detail.json()["data"]["endTime"] == "0999-12-31T23:00:00Z"


def test_a_credit_assessment_date_before_the_year_1000_reads_back_with_four_digits(
    admin_client,
):
    account = admin_client.post("/api/v1/crm/accounts", {"name": "Old"}, format="json")
    account_id = account.json()["data"]["id"]
    created = admin_client.post(
        f"/api/v1/crm/accounts/{account_id}/credit-assessment",
        {"creditScore": 50, "assessmentDate": "0050-01-02"},
        format="json",
    )
    assert created.status_code == 200, created.json()

    listed = admin_client.get(f"/api/v1/crm/accounts/{account_id}/credit-assessments")

    assert [row["assessmentDate"] for row in listed.json()["data"]["list"]] == ["0050-01-02"]
