"""Analytics answers come from a shared cache: fresh after a write, never older than its expiry."""

import datetime

import pytest
from django.core.cache import cache

from accounts.models import Account
from analytics import cache as analytics_cache
from analytics.tests import factories as f
from analytics.tests.helpers import figures

pytestmark = pytest.mark.django_db

AUTH = 1  # the JWT's user


@pytest.fixture
def caching(settings):
    settings.ANALYTICS_CACHE_SECONDS = 60


def test_a_repeated_request_is_answered_without_sql(
    admin_client, caching, django_assert_num_queries
):
    f.account("2023-01-10 08:00:00")
    first = figures(admin_client, "overview")
    with django_assert_num_queries(AUTH):
        again = figures(admin_client, "overview")
    assert again == first


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("overview", {}),
        ("trends", {"metric": "customers", "startDate": "2023-01-01", "endDate": "2023-03-31"}),
        ("segmentation", {"segmentBy": "industry"}),
        ("loyalty", {}),
    ],
)
def test_every_endpoint_is_cached(
    admin_client, caching, django_assert_num_queries, endpoint, params
):
    f.account("2023-01-10 08:00:00", industry="制造业", loyalty_level="gold")
    first = figures(admin_client, endpoint, **params)
    with django_assert_num_queries(AUTH):
        assert figures(admin_client, endpoint, **params) == first


def test_a_write_through_the_services_shows_at_once(admin_client, caching):
    f.account("2023-01-10 08:00:00")
    assert figures(admin_client, "overview")["totalCustomers"] == 1
    f.account("2023-01-11 08:00:00")
    assert figures(admin_client, "overview")["totalCustomers"] == 2


def test_a_write_without_signals_shows_once_the_entry_expires(admin_client, caching, monkeypatch):
    account = f.account("2023-01-10 08:00:00")
    assert figures(admin_client, "overview")["activeCustomers"] == 1
    Account.objects.filter(pk=account.pk).update(status="inactive")  # bulk: no signal
    assert figures(admin_client, "overview")["activeCustomers"] == 1  # still the cached answer

    later = datetime.datetime.now().timestamp() + 61
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)
    assert figures(admin_client, "overview")["activeCustomers"] == 0


def test_different_parameters_are_different_entries(admin_client, caching):
    f.account("2023-01-10 08:00:00", industry="制造业", region="华东")
    by_industry = figures(admin_client, "segmentation", segmentBy="industry")
    by_region = figures(admin_client, "segmentation", segmentBy="region")
    assert by_industry["segments"][0]["name"] == "制造业"
    assert by_region["segments"][0]["name"] == "华东"


def test_caching_off_computes_every_time(admin_client, settings, django_assert_num_queries):
    settings.ANALYTICS_CACHE_SECONDS = 0
    f.account("2023-01-10 08:00:00")
    figures(admin_client, "loyalty")
    with django_assert_num_queries(AUTH + 1):
        figures(admin_client, "loyalty")


def test_entries_are_kept_at_most_the_configured_time(caching, monkeypatch):
    stored = {}
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: stored.update({key: timeout}))
    analytics_cache.cached("probe", {}, lambda: 42, reads=["accounts.Account"])
    assert list(stored.values()) == [60]


def test_a_user_who_sees_only_their_records_never_gets_the_full_figures(
    admin_client, caching, make_user, as_user
):
    rep = make_user("rep", perms=("analytics.view_analytics", "accounts.view_account"))
    f.account("2023-01-10 08:00:00", owner=rep)
    f.account("2023-01-11 08:00:00")
    assert figures(admin_client, "overview")["totalCustomers"] == 2
    assert figures(as_user(rep), "overview")["totalCustomers"] == 1
    assert figures(admin_client, "overview")["totalCustomers"] == 2


def test_campaign_analytics_are_cached_and_fresh_after_a_lead_is_added(
    admin_client, caching, django_assert_num_queries
):
    from campaigns.tests.factories import make_campaign
    from sales.tests.factories import make_lead

    campaign = make_campaign()
    url = f"/api/v1/crm/campaigns/{campaign.pk}/analytics"
    first = admin_client.get(url).json()["data"]
    with django_assert_num_queries(AUTH):
        assert admin_client.get(url).json()["data"] == first
    make_lead(campaign=campaign)
    assert admin_client.get(url).json()["data"]["leadsGenerated"] == first["leadsGenerated"] + 1


def test_a_missing_campaign_is_not_found_with_the_cache_on(admin_client, caching):
    url = "/api/v1/crm/campaigns/00000000-0000-0000-0000-000000000000/analytics"
    assert admin_client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 404
