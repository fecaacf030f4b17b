"""GET /analytics/loyalty: the four levels in order, retention and the recommendation."""

import pytest

from analytics.tests import factories as f
from analytics.tests.helpers import BASE, figures

pytestmark = pytest.mark.django_db


def english(client) -> dict:
    response = client.get(f"{BASE}/loyalty", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()["data"]


@pytest.fixture
def dataset():
    p1 = f.account("2023-01-01", loyalty_level="platinum", status="active")
    f.account("2023-01-02", loyalty_level="platinum", status="active")
    g1 = f.account("2023-01-03", loyalty_level="gold", status="active")
    f.account("2023-01-04", loyalty_level="gold", status="inactive")
    f.account("2023-01-05", loyalty_level="gold", status="active")
    b1 = f.account("2023-01-06", loyalty_level="bronze", status="inactive")
    f.account("2023-01-07", loyalty_level="bronze", status="active")
    f.account("2023-01-08", loyalty_level=None, status="active")  # no level: in no row
    f.soft_delete(f.account("2023-01-09", loyalty_level="bronze", status="inactive"))

    f.won(p1, "2023-02-01", "2000.00")
    f.won(p1, "2023-02-02", "0.01")
    f.won(g1, "2023-02-01", "1500.00")
    f.lost(g1, "2023-02-02")
    f.soft_delete(f.won(g1, "2023-02-03", "999.00"))
    f.won(b1, "2023-02-01", "10.00")


def test_four_levels_in_order_with_count_revenue_and_retention(admin_client, dataset):
    data = figures(admin_client, "loyalty")
    assert data["loyaltyLevels"] == [
        {"level": "platinum", "count": 2, "revenue": 2000.01, "retentionRate": 100},
        {"level": "gold", "count": 3, "revenue": 1500, "retentionRate": 66.67},  # 2 of 3
        {"level": "silver", "count": 0, "revenue": 0, "retentionRate": 0},  # empty: 0
        {"level": "bronze", "count": 2, "revenue": 10, "retentionRate": 50},  # deleted one out
    ]
    assert isinstance(data["recommendation"], str)
    assert data["recommendation"]


def test_recommendation_names_the_non_empty_level_with_the_lowest_retention(admin_client, dataset):
    recommendation = english(admin_client)["recommendation"]
    assert "Bronze" in recommendation
    assert "50.00%" in recommendation
    assert "Silver" not in recommendation  # empty, although its rate is 0


def test_a_tie_names_the_lower_level(admin_client):
    f.account("2023-01-01", loyalty_level="gold", status="inactive")
    f.account("2023-01-02", loyalty_level="silver", status="inactive")
    recommendation = english(admin_client)["recommendation"]
    assert "Silver" in recommendation
    assert "Gold" not in recommendation


def test_full_retention_everywhere(admin_client):
    f.account("2023-01-01", loyalty_level="gold", status="active")
    assert "keep up" in english(admin_client)["recommendation"]


def test_no_levelled_accounts(admin_client):
    f.account("2023-01-01", loyalty_level=None)
    data = english(admin_client)
    assert [level["count"] for level in data["loyaltyLevels"]] == [0, 0, 0, 0]
    assert [level["retentionRate"] for level in data["loyaltyLevels"]] == [0, 0, 0, 0]
    assert "No account has a loyalty level" in data["recommendation"]


def test_default_language_answers_a_sentence_too(admin_client, dataset):
    response = admin_client.get(f"{BASE}/loyalty")
    assert response.status_code == 200
    assert response.json()["data"]["recommendation"]
