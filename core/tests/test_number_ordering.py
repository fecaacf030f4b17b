"""Business numbers sort as numbers (issue 18): ``ACC999`` before ``ACC1000`` in the API's
``ordering`` and in the admin's number columns, through an index on the sort key
(core.models.NumberSortKey), at no extra query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from accounts.tests.factories import make_account
from campaigns.models import Campaign
from campaigns.tests.factories import make_campaign
from cases.models import Case
from cases.tests.factories import make_case
from core.models import Sequence
from sales.models import Opportunity
from sales.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"

# resource, its number's API name, model, the model's number field, a factory
RESOURCES = [
    ("accounts", "accountNo", Account, "account_no", make_account),
    ("cases", "caseNo", Case, "case_no", make_case),
    ("opportunities", "opportunityNo", Opportunity, "opportunity_no", make_opportunity),
    ("campaigns", "campaignNo", Campaign, "campaign_no", make_campaign),
]
IDS = [resource[0] for resource in RESOURCES]


def numbered_across_a_digit(model, make, by) -> list[str]:
    """Records numbered ...998, ...999, ...1000, ...1001, created in a shuffled order."""
    prefix = model.NUMBER_PREFIX
    for value in (999, 997, 1000, 998):  # the sequence hands out value + 1
        Sequence.objects.update_or_create(name=prefix, defaults={"value": value})
        make(by=by)
    return [f"{prefix}998", f"{prefix}999", f"{prefix}1000", f"{prefix}1001"]


def numbers_in(response, api_name: str) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row[api_name] for row in response.json()["data"]["list"]]


@pytest.mark.parametrize(("resource", "api_name", "model", "field", "make"), RESOURCES, ids=IDS)
def test_the_api_orders_numbers_as_numbers(
    admin_client, admin_user, resource, api_name, model, field, make
):
    expected = numbered_across_a_digit(model, make, admin_user)
    assert sorted(expected) != expected  # as text, 1000 would come before 998

    ascending = admin_client.get(f"{CRM}/{resource}", {"ordering": api_name, "pageSize": 50})
    descending = admin_client.get(f"{CRM}/{resource}", {"ordering": f"-{api_name}"})

    numbers = [n for n in numbers_in(ascending, api_name) if n in expected]
    assert numbers == expected
    assert [n for n in numbers_in(descending, api_name) if n in expected] == expected[::-1]


@pytest.mark.parametrize(("resource", "api_name", "model", "field", "make"), RESOURCES, ids=IDS)
def test_ordering_by_number_costs_no_extra_query(
    admin_client, admin_user, resource, api_name, model, field, make
):
    numbered_across_a_digit(model, make, admin_user)
    counts = []
    for params in ({}, {"ordering": api_name}):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(f"{CRM}/{resource}", params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4


@pytest.mark.parametrize(("resource", "api_name", "model", "field", "make"), RESOURCES, ids=IDS)
def test_the_admin_number_column_sorts_as_numbers(
    admin_user, resource, api_name, model, field, make
):
    expected = numbered_across_a_digit(model, make, admin_user)
    client = Client()
    client.force_login(admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    # The number is the first column (after the checkbox): o=1 sorts by it, o=-1 backwards.
    for order, wanted in (("1", expected), ("-1", expected[::-1])):
        response = client.get(url, {"o": order})
        assert response.status_code == 200
        numbers = [getattr(r, field) for r in response.context["cl"].result_list]
        assert [n for n in numbers if n in expected] == wanted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index plans are PostgreSQL's")
@pytest.mark.parametrize(("resource", "api_name", "model", "field", "make"), RESOURCES, ids=IDS)
def test_postgresql_reads_the_number_order_from_the_sort_index(
    admin_user, resource, api_name, model, field, make
):
    numbered_across_a_digit(model, make, admin_user)
    queryset = model.objects.order_by(f"{field}__number_sort", "id")[:20]
    with connection.cursor() as cursor:
        # A handful of rows: without this the planner would rather sort them in memory.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()
    assert f"{model._meta.model_name}_live_no_sort_idx" in plan, plan
