"""GET /campaigns/{id}/analytics (seed §9.3, CONTRACT.md Campaigns): every formula."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import account_delete
from accounts.tests.factories import make_account
from campaigns.services import campaign_update
from campaigns.tests.factories import make_campaign
from core.tests.api import data_of
from sales.services import lead_delete, opportunity_delete, opportunity_update
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db


def analytics(client, campaign) -> dict:
    return data_of(client.get(f"/api/v1/crm/campaigns/{campaign.pk}/analytics"))


def with_figures(**figures):
    return campaign_update(campaign=make_campaign(), data=figures, by=None)


def test_the_seed_example(admin_client):
    campaign = with_figures(
        impressions=10000, clicks=1000, conversions=100, actual_cost=Decimal("80000")
    )
    account = make_account()
    for _ in range(50):
        make_lead(campaign=campaign)
    for _ in range(10):
        make_opportunity(
            account=account, campaign=campaign, stage="closed_won", actual_amount=Decimal("24000")
        )
    for _ in range(10):
        make_opportunity(
            account=account,
            campaign=campaign,
            stage="negotiation",
            estimated_amount=Decimal("99999"),
        )

    data = analytics(admin_client, campaign)

    assert data == {
        "campaignId": str(campaign.pk),
        "campaignName": "新产品发布会",
        "metrics": {
            "impressions": 10000,
            "clicks": 1000,
            "conversions": 100,
            "conversionRate": 10,
            "costPerClick": 80,
            "returnOnInvestment": 200,
            "revenueGenerated": 240000,
        },
        "leadsGenerated": 50,
        "opportunitiesCreated": 20,
        "salesClosed": 10,
    }


def test_only_live_records_of_this_campaign_count(admin_client):
    campaign, other = make_campaign(), make_campaign(name="other")
    account = make_account()
    make_lead(campaign=campaign)
    lead_delete(lead=make_lead(campaign=campaign), by=None)
    make_lead(campaign=other)
    make_lead()
    won = make_opportunity(
        account=account, campaign=campaign, stage="closed_won", actual_amount=Decimal("100.50")
    )
    deleted_won = make_opportunity(
        account=account, campaign=campaign, stage="closed_won", actual_amount=Decimal("1000")
    )
    opportunity_delete(opportunity=deleted_won, by=None)
    make_opportunity(account=account, campaign=other, stage="closed_won", actual_amount=7)
    make_opportunity(account=account, stage="closed_won", actual_amount=9)
    make_opportunity(account=account, campaign=campaign, stage="closed_lost", estimated_amount=5)

    data = analytics(admin_client, campaign)

    assert data["leadsGenerated"] == 1
    assert data["opportunitiesCreated"] == 2  # won and lost, not the deleted one
    assert data["salesClosed"] == 1
    assert data["metrics"]["revenueGenerated"] == 100.5
    assert won.actual_amount == Decimal("100.50")


def test_opportunities_of_a_deleted_account_do_not_count(admin_client):
    campaign = make_campaign()
    gone = make_account(name="gone")
    make_opportunity(account=gone, campaign=campaign, stage="closed_won", actual_amount=50)
    make_opportunity(campaign=campaign, stage="closed_won", actual_amount=7)
    account_delete(account=gone, by=None)

    data = analytics(admin_client, campaign)

    assert (data["opportunitiesCreated"], data["salesClosed"]) == (1, 1)
    assert data["metrics"]["revenueGenerated"] == 7


def test_revenue_follows_a_deal_won_later(admin_client):
    campaign = with_figures(actual_cost=Decimal("100"))
    opportunity = make_opportunity(campaign=campaign, estimated_amount=Decimal("250"))
    assert analytics(admin_client, campaign)["salesClosed"] == 0

    opportunity_update(opportunity=opportunity, data={"stage": "closed_won"}, by=None)

    data = analytics(admin_client, campaign)
    assert data["salesClosed"] == 1
    assert data["metrics"]["revenueGenerated"] == 250
    assert data["metrics"]["returnOnInvestment"] == 150  # (250 - 100) / 100 x 100


def test_an_empty_campaign_is_all_zeros(admin_client):
    data = analytics(admin_client, make_campaign())

    assert data["metrics"] == {
        "impressions": 0,
        "clicks": 0,
        "conversions": 0,
        "conversionRate": 0,
        "costPerClick": 0,
        "returnOnInvestment": 0,
        "revenueGenerated": 0,
    }
    assert (data["leadsGenerated"], data["opportunitiesCreated"], data["salesClosed"]) == (0, 0, 0)


def test_no_clicks_gives_zero_conversion_rate_and_cost_per_click(admin_client):
    campaign = with_figures(impressions=500, clicks=0, conversions=3, actual_cost=Decimal("900"))

    metrics = analytics(admin_client, campaign)["metrics"]

    assert metrics["conversionRate"] == 0
    assert metrics["costPerClick"] == 0
    assert metrics["returnOnInvestment"] == -100  # (0 - 900) / 900 x 100


def test_no_cost_gives_zero_return_on_investment(admin_client):
    campaign = with_figures(clicks=10, actual_cost=Decimal("0"))
    make_opportunity(campaign=campaign, stage="closed_won", actual_amount=Decimal("5000"))

    metrics = analytics(admin_client, campaign)["metrics"]

    assert metrics["returnOnInvestment"] == 0
    assert metrics["costPerClick"] == 0
    assert metrics["revenueGenerated"] == 5000


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # conversionRate = conversions / clicks x 100
        ({"conversions": 1, "clicks": 3}, {"conversionRate": 33.33}),
        ({"conversions": 2, "clicks": 3}, {"conversionRate": 66.67}),
        ({"conversions": 1, "clicks": 8}, {"conversionRate": 12.5}),
        ({"conversions": 5, "clicks": 4}, {"conversionRate": 125}),
        # costPerClick = actualCost / clicks, half-up (0.025 -> 0.03, not banker's 0.02)
        ({"actual_cost": Decimal("100"), "clicks": 3}, {"costPerClick": 33.33}),
        ({"actual_cost": Decimal("0.05"), "clicks": 2}, {"costPerClick": 0.03}),
        ({"actual_cost": Decimal("12345.67"), "clicks": 1}, {"costPerClick": 12345.67}),
        # returnOnInvestment = (revenue - actualCost) / actualCost x 100; no revenue here
        ({"actual_cost": Decimal("3")}, {"returnOnInvestment": -100}),
    ],
)
def test_ratios_are_rounded_to_two_decimals(admin_client, figures, expected):
    metrics = analytics(admin_client, with_figures(**figures))["metrics"]

    for key, value in expected.items():
        assert metrics[key] == value, key


def test_return_on_investment_rounds_like_the_other_ratios(admin_client):
    campaign = with_figures(actual_cost=Decimal("3"))
    make_opportunity(campaign=campaign, stage="closed_won", actual_amount=Decimal("4"))

    metrics = analytics(admin_client, campaign)["metrics"]

    assert metrics["returnOnInvestment"] == 33.33  # (4 - 3) / 3 x 100
    assert metrics["revenueGenerated"] == 4


def test_analytics_cost_one_query_whatever_the_volume(admin_client):
    campaign = with_figures(clicks=10)
    url = f"/api/v1/crm/campaigns/{campaign.pk}/analytics"
    admin_client.get(url)  # warm up anything cached per process

    with CaptureQueriesContext(connection) as empty:
        admin_client.get(url)
    account = make_account()
    for _ in range(5):
        make_lead(campaign=campaign)
        make_opportunity(account=account, campaign=campaign, stage="closed_won", actual_amount=1)
    with CaptureQueriesContext(connection) as busy:
        response = admin_client.get(url)

    assert response.json()["data"]["salesClosed"] == 5
    assert len(empty) == len(busy)
    analytics_queries = [q["sql"] for q in busy.captured_queries if "sales_" in q["sql"]]
    assert len(analytics_queries) == 1  # campaign row and every figure in one statement
