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


# Found by tools/fuzz.sh once every run drew its own seed (seed 2840480494).


def test_text_longer_than_its_max_length_is_refused_even_when_padding_would_be_trimmed(
    admin_client,
):
    """The schema's ``maxLength`` is the length sent: 12 characters and 497 no-break spaces
    (which DRF trims) are 509, over the 500 of targetAudience."""
    body = {"name": "活动", "type": "event", "targetAudience": "新客户" * 4 + "\u00a0" * 497}

    response = admin_client.post("/api/v1/crm/campaigns", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["data"]) == ["targetAudience"]


def test_text_at_its_max_length_is_kept_trimmed(admin_client):
    body = {"name": "活动", "type": "event", "targetAudience": " 新客户 " + "x" * 495}

    response = admin_client.post("/api/v1/crm/campaigns", body, format="json")

    assert response.status_code == 200, response.json()
    detail = admin_client.get(f"/api/v1/crm/campaigns/{response.json()['data']['id']}")
    assert detail.json()["data"]["targetAudience"] == "新客户 " + "x" * 495


@pytest.mark.parametrize("value", ["0.001", "7.859456007764934e-117", "-0.1e-999999999"])
def test_a_money_filter_takes_at_most_the_two_decimals_of_its_column(admin_client, value):
    response = admin_client.get("/api/v1/crm/opportunities", {"estimatedAmountMin": value})

    assert response.status_code == 400
    assert list(response.json()["data"]) == ["estimatedAmountMin"]


def test_the_schema_states_the_decimals_a_money_filter_takes(api_client):
    schema = api_client.get("/api/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    parameters = schema.json()["paths"]["/api/v1/crm/opportunities"]["get"]["parameters"]
    amounts = [p for p in parameters if p["name"].startswith("estimatedAmount")]
    assert [p["schema"]["multipleOf"] for p in amounts] == [0.01, 0.01]
