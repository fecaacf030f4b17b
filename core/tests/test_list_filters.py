"""A list filter given a value it cannot read answers 400 naming the parameter, never an empty
or unfiltered page; an unknown value of an enum with a domain code answers that code
(CONTRACT.md §1-2)."""

import pytest

from core.tests.api import CRM

pytestmark = pytest.mark.django_db

# (resource, query, body code)
UNREADABLE = [
    ("accounts", "status=closed", 400),
    ("accounts", "type=alien", 400),
    ("contacts", "accountId=not-a-uuid", 400),
    ("activities", "type=visit", 4007),
    ("activities", "status=done", 400),
    ("activities", "startDate=2023-13-01", 400),
    ("activities", "endDate=yesterday", 400),
    ("activities", "accountId=account-001", 400),
    ("activities", "contactId=nope", 400),
    ("cases", "status=open", 4008),
    ("cases", "priority=critical", 400),
    ("cases", "type=bug", 400),
    ("cases", "accountId=nope", 400),
    ("cases", "createdDateStart=2023-13-45", 400),
    ("cases", "createdDateStart=yesterday", 400),
    ("cases", "createdDateEnd=2023-13-45", 400),
    ("cases", "createdDateEnd=yesterday", 400),
    ("leads", "status=lost", 4009),
    ("leads", "source=radio", 400),
    ("leads", "createdDateStart=2023-13-01", 400),
    ("leads", "createdDateEnd=yesterday", 400),
    ("leads", "campaignId=nope", 400),
    ("opportunities", "stage=won", 4010),
    ("opportunities", "probability=abc", 400),
    ("opportunities", "probability=1.5", 400),
    ("opportunities", "estimatedAmountMin=lots", 400),
    ("opportunities", "estimatedAmountMax=1e", 400),
    ("opportunities", "closeDateStart=2023-02-30", 400),
    ("opportunities", "closeDateEnd=tomorrow", 400),
    ("opportunities", "accountId=nope", 400),
    ("campaigns", "status=paused", 400),
    ("campaigns", "type=radio", 400),
    ("campaigns", "startDateStart=2023-06-31", 400),
    ("campaigns", "startDateEnd=june", 400),
]


@pytest.mark.parametrize(
    ("resource", "query", "code"), UNREADABLE, ids=[f"{r}?{q}" for r, q, _ in UNREADABLE]
)
def test_an_unreadable_filter_value_answers_400_naming_the_parameter(
    admin_client, resource, query, code
):
    response = admin_client.get(f"{CRM}/{resource}?{query}")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert query.split("=")[0] in response.json()["data"]
