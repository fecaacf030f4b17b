"""A rep's campaign analytics count only what the rep may see (issue 20, item 13; CONTRACT.md
§6 "A rep's figures"; docs/ROLES.md): their own leads, and the deals they own or whose account
they own. Campaigns themselves are open to every role, so the recorded figures are shared."""

from decimal import Decimal

import pytest

from accounts.tests.factories import make_account
from campaigns.services import campaign_update
from campaigns.tests.factories import make_campaign
from conftest import client_for
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "alice": make_user("alice", role="sales"),
        "bob": make_user("bob", role="sales"),
        "mia": make_user("mia", role="marketing"),  # sees every lead and deal
    }


@pytest.fixture
def campaign(people):
    """Alice: 2 leads, a won deal of 1000 and an open one on her account, plus a won deal of
    300 she owns on Bob's account. Bob: 3 leads, two won deals of 5000 on his account."""
    alice, bob = people["alice"], people["bob"]
    campaign = campaign_update(
        campaign=make_campaign(),
        data={"actual_cost": Decimal("2000"), "clicks": 100, "conversions": 10},
        by=None,
    )
    for _ in range(2):
        make_lead(by=alice, campaign=campaign)
    for _ in range(3):
        make_lead(by=bob, campaign=campaign)
    alices, bobs = make_account(by=alice), make_account(by=bob)
    won = {"stage": "closed_won", "campaign": campaign}
    make_opportunity(account=alices, actual_amount=Decimal("1000"), **won)
    make_opportunity(account=alices, stage="negotiation", campaign=campaign)
    make_opportunity(by=alice, account=bobs, actual_amount=Decimal("300"), **won)
    for _ in range(2):
        make_opportunity(account=bobs, actual_amount=Decimal("5000"), **won)
    return campaign


def figures(user, campaign) -> dict:
    response = client_for(user).get(f"/api/v1/crm/campaigns/{campaign.pk}/analytics")
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    return {
        "leads": data["leadsGenerated"],
        "deals": data["opportunitiesCreated"],
        "won": data["salesClosed"],
        "revenue": Decimal(str(data["metrics"]["revenueGenerated"])),
        "roi": Decimal(str(data["metrics"]["returnOnInvestment"])),
    }


def test_a_rep_counts_only_the_leads_and_deals_they_may_see(people, campaign):
    assert figures(people["alice"], campaign) == {
        "leads": 2,
        "deals": 3,
        "won": 2,
        "revenue": Decimal("1300"),
        "roi": Decimal("-35"),  # (1300 - 2000) / 2000 x 100
    }
    assert figures(people["bob"], campaign) == {
        "leads": 3,
        "deals": 3,  # his two, and Alice's on his account
        "won": 3,
        "revenue": Decimal("10300"),
        "roi": Decimal("415"),
    }


def test_a_user_who_sees_every_lead_and_deal_counts_them_all(people, campaign, admin_user):
    everything = {
        "leads": 5,
        "deals": 5,
        "won": 4,
        "revenue": Decimal("11300"),
        "roi": Decimal("465"),
    }

    assert figures(people["mia"], campaign) == everything
    assert figures(admin_user, campaign) == everything


def test_cached_figures_are_kept_per_rep(people, campaign, settings):
    """With the shared cache on, one rep's answer is never served to another."""
    settings.ANALYTICS_CACHE_SECONDS = 60

    alice = figures(people["alice"], campaign)
    bob = figures(people["bob"], campaign)

    assert (alice["leads"], bob["leads"]) == (2, 3)
    assert figures(people["alice"], campaign) == alice
