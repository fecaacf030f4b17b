"""Money keeps its precision end to end (issue 20, item 5; CONTRACT.md §6 "Money").

Request numbers are read as decimals, stored as ``Decimal(18, 2)``, and printed back digit for
digit. A value the database cannot hold exactly is refused with 400, never rounded: more than
two decimals or sixteen digits before the point anywhere, and on SQLite (a binary float per
value) more than fifteen significant digits.
"""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import Account
from accounts.tests.factories import make_account
from core.api.renderers import EnvelopeRenderer
from sales.models import Opportunity

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/opportunities"
MAXIMUM = "9999999999999999.99"
ON_SQLITE = connection.vendor == "sqlite"


def post_raw(client, url: str, body: str):
    return client.generic("POST", url, body, content_type="application/json")


def exact(response) -> dict:
    """The body read as the API wrote it: numbers as decimals, no float in between."""
    return json.loads(response.content, parse_float=Decimal)


def create_deal(client, amount: str):
    account = make_account()
    body = f'{{"accountId": "{account.pk}", "name": "大单", "estimatedAmount": {amount}}}'
    return post_raw(client, URL, body)


@pytest.mark.parametrize(
    "amount",
    ["99999999999999.99", "999999999999999.99", "9007199254740993", MAXIMUM, "1234567890123.45"],
)
def test_an_amount_is_stored_and_read_back_exactly_or_refused(admin_client, amount):
    response = create_deal(admin_client, amount)

    if ON_SQLITE and len(Decimal(amount).normalize().as_tuple().digits) > 15:
        body = exact(response)
        assert (response.status_code, body["code"]) == (400, 400)
        assert list(body["data"]) == ["estimatedAmount"]
        assert not Opportunity.objects.exists()
        return
    assert response.status_code == 200, response.content
    stored = Opportunity.objects.get(pk=response.json()["data"]["id"])
    assert stored.estimated_amount == Decimal(amount)
    detail = admin_client.get(f"{URL}/{stored.pk}")
    assert exact(detail)["data"]["estimatedAmount"] == Decimal(amount)
    assert f'"estimatedAmount":{Decimal(amount):.2f}'.encode() in detail.content


@pytest.mark.skipif(ON_SQLITE, reason="SQLite cannot store 9007199254740993 (a binary float)")
def test_a_response_prints_the_stored_amount_digit_for_digit(admin_client):
    account = make_account(credit_limit=Decimal("9007199254740993"))

    response = admin_client.get(f"/api/v1/crm/accounts/{account.pk}")

    assert b'"creditLimit":9007199254740993.00' in response.content
    assert b"9007199254740992" not in response.content


def test_the_renderer_writes_a_decimal_as_the_number_it_holds():
    rendered = EnvelopeRenderer().render({"amount": Decimal("9007199254740993.00")})

    assert rendered == b'{"code":200,"message":"success","data":{"amount":9007199254740993.00}}'


@pytest.mark.parametrize(
    "amount",
    [
        "10000000000000000",  # seventeen digits before the point
        "1e16",
        "9999999999999999.999",
        "99999999999999.991",  # a binary float would read 99999999999999.99 and accept it
        "1000000000000000.001",  # a float would read 1000000000000000.0
        "0.001",
        "-0.01",
        "1e999999",
        "-0.1e-999999999",  # a float would read -0.0
    ],
)
def test_more_than_the_column_holds_is_refused_never_rounded(admin_client, amount):
    response = create_deal(admin_client, amount)

    body = exact(response)
    assert (response.status_code, body["code"]) == (400, 400)
    assert list(body["data"]) == ["estimatedAmount"]
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/crm/accounts", "creditLimit"),
        ("/api/v1/crm/campaigns", "budget"),
        ("/api/v1/crm/campaigns", "actualCost"),
    ],
)
def test_every_money_field_refuses_a_hidden_third_decimal(admin_client, url, field):
    body = f'{{"name": "精度", "type": "email", "{field}": 99999999999999.991}}'

    response = post_raw(admin_client, url, body)

    assert response.status_code == 400
    assert field in response.json()["data"]


def test_camel_case_names_still_arrive_with_decimal_numbers(admin_client):
    body = '{"name": "驼峰", "creditLimit": 12.5, "loyaltyLevel": "gold"}'

    response = post_raw(admin_client, "/api/v1/crm/accounts", body)

    assert response.status_code == 200, response.content
    account = Account.objects.get(pk=response.json()["data"]["id"])
    assert (account.credit_limit, account.loyalty_level) == (Decimal("12.50"), "gold")


@pytest.mark.parametrize(
    ("accept", "spelled"),
    [
        ("application/vnd.oai.openapi", "maximum: 9999999999999999.99"),
        ("application/vnd.oai.openapi+json", '"maximum": 9999999999999999.99'),
    ],
)
def test_the_schema_states_the_real_maximum_of_money(api_client, accept, spelled):
    response = api_client.get("/api/v1/schema", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    text = response.content.decode()
    assert spelled in text
    # The old bound: exclusive, and 10**16 where the digits stop (not a filter's 1e50 bound).
    assert not re.search(r'maximum"?: 10000000000000000(?!\d)', text)
