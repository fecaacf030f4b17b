"""A JSON body's values have the JSON types of the schema (core.api.serializers.JsonTypesMixin).

Found by contract fuzzing (docs/SECURITY.md): DRF alone stored ``{"remarks": 12}`` as "12", read
``"100"`` as a number and ``0`` as false, although the schema promises a string, a number and a
boolean.
"""

import pytest

from accounts.models import Account
from accounts.serializers import AccountInputSerializer
from accounts.tests.factories import make_account
from sales.tests.factories import make_lead

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/crm/accounts"


def _field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == 400
    return body["data"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Acme", "remarks": 12}, "remarks"),
        ({"name": 12}, "name"),
        ({"name": "Acme", "industry": 1.5}, "industry"),
        ({"name": "Acme", "creditLimit": "100"}, "creditLimit"),
        ({"name": "Acme", "creditLimit": True}, "creditLimit"),
    ],
)
def test_a_value_of_another_json_type_is_refused(admin_client, body, field):
    errors = _field_errors(admin_client.post(ACCOUNTS, body, format="json"))
    assert field in errors
    assert not Account.objects.exists()


def test_every_mistyped_field_is_reported_with_the_other_errors(admin_client):
    errors = _field_errors(
        admin_client.post(ACCOUNTS, {"remarks": 1, "region": 2, "type": "?"}, format="json")
    )
    assert {"remarks", "region", "type", "name"} <= set(errors)


def test_the_json_types_are_accepted(admin_client):
    body = {"name": "Acme", "remarks": "12", "creditLimit": 100.5, "industry": None}
    response = admin_client.post(ACCOUNTS, body, format="json")
    assert response.status_code == 200, response.content
    account = Account.objects.get()
    assert account.remarks == "12" and str(account.credit_limit) == "100.50"


def test_a_partial_update_checks_only_the_fields_sent(admin_client):
    account = make_account(name="Acme")
    url = f"{ACCOUNTS}/{account.pk}"
    assert admin_client.patch(url, {"remarks": "ok"}, format="json").status_code == 200
    assert "remarks" in _field_errors(admin_client.patch(url, {"remarks": 7}, format="json"))


def test_integers_are_json_numbers(admin_client):
    body = {"name": "Spring", "type": "email", "clicks": "10"}
    errors = _field_errors(admin_client.post("/api/v1/crm/campaigns", body, format="json"))
    assert "clicks" in errors


def test_flags_are_json_booleans(admin_client):
    lead = make_lead(name="Walk-in")
    url = f"/api/v1/crm/leads/{lead.pk}/convert"
    errors = _field_errors(admin_client.post(url, {"createAccount": 0}, format="json"))
    assert "createAccount" in errors
    lead.refresh_from_db()
    assert lead.status == "new"


def test_imports_keep_reading_spreadsheet_cells_as_drf_does():
    # No request in the context: a number in a text column is its text, as before.
    serializer = AccountInputSerializer(data={"name": "Acme", "remarks": 12, "creditLimit": "5"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["remarks"] == "12"
