"""A rep's ``customerLifetimeValue`` (CONTRACT.md §6, docs/analytics.md): the revenue of the won
opportunities the rep may see, over the distinct accounts of those opportunities."""

from decimal import Decimal

import pytest

from accounts.tests.factories import make_account
from conftest import client_for
from sales.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db

REP_PERMISSIONS = ("analytics.view_analytics", "accounts.view_account", "sales.view_opportunity")


def lifetime_value(user) -> Decimal:
    response = client_for(user).get("/api/v1/crm/analytics/overview")
    assert response.status_code == 200, response.json()
    return Decimal(str(response.json()["data"]["customerLifetimeValue"]))


def test_a_reps_lifetime_value_divides_visible_revenue_by_the_accounts_of_those_deals(make_user):
    alice = make_user("alice", perms=REP_PERMISSIONS)
    bob = make_user("bob", perms=REP_PERMISSIONS)
    alices, bobs = make_account(by=alice), make_account(by=bob)
    won = {"stage": "closed_won"}
    make_opportunity(account=alices, actual_amount=Decimal("1000"), **won)
    make_opportunity(account=alices, actual_amount=Decimal("200"), **won)
    # Alice's own deal on Bob's account.
    make_opportunity(by=alice, account=bobs, actual_amount=Decimal("300"), **won)
    make_opportunity(account=bobs, actual_amount=Decimal("3000"), **won)
    make_opportunity(account=make_account(), actual_amount=Decimal("9000"), **won)  # nobody's

    # Alice sees 1000 + 200 (her account) + 300 (her deal): 1500 over 2 accounts.
    assert lifetime_value(alice) == Decimal("750")
    # Bob sees everything on his account, hers included: 3300 over 1 account.
    assert lifetime_value(bob) == Decimal("3300")
