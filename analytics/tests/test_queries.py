"""Every endpoint costs the same fixed number of queries for one record and for many."""

import pytest

from analytics.tests import factories as f
from analytics.tests.helpers import figures

pytestmark = pytest.mark.django_db

AUTH = 1  # the JWT's user; a superuser needs no permission query

ENDPOINTS = [
    # (endpoint, params, queries of its own)
    ("overview", {}, 4),  # accounts, opportunities, won accounts, campaigns
    ("overview", {"startDate": "2023-01-01", "endDate": "2023-06-30"}, 4),
    ("trends", {"metric": "customers"}, 2),  # the count before the range + one grouped query
    ("trends", {"metric": "opportunities", "period": "week"}, 1),
    ("trends", {"metric": "revenue", "period": "quarter"}, 1),
    ("trends", {"metric": "activities", "period": "year"}, 1),
    ("segmentation", {"segmentBy": "industry"}, 1),
    ("segmentation", {"segmentBy": "loyalty"}, 1),
    ("loyalty", {}, 1),
]


def populate(n: int) -> None:
    levels = ["platinum", "gold", "silver", "bronze", None]
    for i in range(n):
        month = i % 12 + 1
        owner = f.account(
            f"2023-{month:02d}-{i % 28 + 1:02d}",
            industry=f"industry {i % 4}",
            region=f"region {i % 3}",
            size=["small", "large", None][i % 3],
            loyalty_level=levels[i % 5],
            status=["active", "inactive"][i % 2],
        )
        f.won(owner, f"2023-{month:02d}-15", f"{100 + i}.25")
        f.lost(owner, f"2023-{month:02d}-16")
        f.opportunity(owner, f"2023-{month:02d}-17", stage="proposal")
        f.activity(owner, f"2023-{month:02d}-18 10:00:00")
        f.campaign(f"2023-{month:02d}-01", "12.50")


@pytest.mark.parametrize(("endpoint", "params", "own_queries"), ENDPOINTS)
def test_query_count_does_not_grow_with_the_data(
    admin_client, django_assert_num_queries, today, endpoint, params, own_queries
):
    today("2023-12-20")
    populate(1)
    with django_assert_num_queries(AUTH + own_queries):
        small = figures(admin_client, endpoint, **params)

    populate(40)
    with django_assert_num_queries(AUTH + own_queries):
        large = figures(admin_client, endpoint, **params)
    assert large != small  # the larger dataset was really counted
