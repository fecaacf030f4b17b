"""GET /analytics/segmentation: live accounts per value, revenue, share, order."""

import pytest

from analytics.tests import factories as f
from analytics.tests.helpers import fetch, figures
from core.tests.api import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    tech1 = f.account("2023-01-01", industry="科技", region="北京", size="large")
    tech2 = f.account("2023-01-02", industry="科技", region="上海", size="large")
    f.account("2023-01-03", industry="科技", region="北京", size="small")
    retail = f.account("2023-01-04", industry="零售", region=None, size="medium")
    f.account("2023-01-05", industry="制造", region="北京")
    f.account("2023-01-06", industry=None, region="上海")
    f.account("2023-01-07", industry="", region="")  # blank is unknown too
    gone = f.soft_delete(f.account("2023-01-08", industry="科技", region="北京"))

    f.won(tech1, "2023-02-01", "1000.00")
    f.won(tech1, "2023-03-01", "0.50")
    f.won(tech2, "2023-02-01", "250.25")
    f.lost(tech2, "2023-02-02")
    f.opportunity(tech2, "2023-02-03", stage="proposal", amount="5000.00")  # open: no revenue
    f.soft_delete(f.won(tech2, "2023-02-04", "999.00"))
    f.won(retail, "2022-01-01", "300.00")  # all time: a deal of any date counts
    f.won(gone, "2023-02-05", "777.00")


def test_by_industry(admin_client, dataset):
    data = figures(admin_client, "segmentation", segmentBy="industry")
    assert data == {
        "segmentBy": "industry",
        "segments": [
            {"name": "科技", "count": 3, "revenue": 1250.75, "percentage": 42.86},  # 3/7
            {"name": "unknown", "count": 2, "revenue": 0, "percentage": 28.57},
            # equal counts: by name, code point order ("制" U+5236 before "零" U+96F6)
            {"name": "制造", "count": 1, "revenue": 0, "percentage": 14.29},
            {"name": "零售", "count": 1, "revenue": 300, "percentage": 14.29},
        ],
    }


def test_by_region(admin_client, dataset):
    data = figures(admin_client, "segmentation", segmentBy="region")
    assert data["segments"] == [
        {"name": "北京", "count": 3, "revenue": 1000.5, "percentage": 42.86},
        # a tie: "unknown" sorts before "上海" by code point
        {"name": "unknown", "count": 2, "revenue": 300, "percentage": 28.57},
        {"name": "上海", "count": 2, "revenue": 250.25, "percentage": 28.57},
    ]


def test_by_size(admin_client, dataset):
    data = figures(admin_client, "segmentation", segmentBy="size")
    assert data["segments"] == [
        {"name": "unknown", "count": 3, "revenue": 0, "percentage": 42.86},
        {"name": "large", "count": 2, "revenue": 1250.75, "percentage": 28.57},
        {"name": "medium", "count": 1, "revenue": 300, "percentage": 14.29},
        {"name": "small", "count": 1, "revenue": 0, "percentage": 14.29},
    ]


def test_by_loyalty(admin_client):
    f.account("2023-01-01", loyalty_level="gold")
    f.account("2023-01-02", loyalty_level="gold")
    f.account("2023-01-03", loyalty_level="bronze")
    data = figures(admin_client, "segmentation", segmentBy="loyalty")
    assert data["segments"] == [
        {"name": "gold", "count": 2, "revenue": 0, "percentage": 66.67},
        {"name": "bronze", "count": 1, "revenue": 0, "percentage": 33.33},
    ]


def test_no_accounts_no_segments(admin_client):
    assert figures(admin_client, "segmentation", segmentBy="industry") == {
        "segmentBy": "industry",
        "segments": [],
    }


@pytest.mark.parametrize("params", [{}, {"segmentBy": ""}, {"segmentBy": "country"}])
def test_missing_or_unknown_segment_by_answers_400(admin_client, params):
    response = fetch(admin_client, "segmentation", **params)
    assert "segmentBy" in refused(response)
