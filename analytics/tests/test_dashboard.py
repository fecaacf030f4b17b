"""The staff dashboard in the admin: gated by the permission, charts from local static files."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from analytics.admin import dashboard_data
from analytics.tests import factories as f
from analytics.tests.helpers import figures

pytestmark = pytest.mark.django_db

URL = "/admin/analytics/dashboard/"


def staff_client(make_user, *perms, superuser=False):
    user = make_user("staffer", perms=perms, superuser=superuser)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def embedded(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, element_id
    return json.loads(match.group(1))


@pytest.fixture
def dataset():
    a = f.account("2023-01-10", industry="科技", region="北京", loyalty_level="gold")
    f.won(a, "2023-02-10", "1200.00")
    f.activity(a, "2023-02-11 09:00:00")


def test_dashboard_renders_four_charts_from_local_static_files(make_user, dataset):
    response = staff_client(make_user, superuser=True).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for canvas in ("customers", "opportunities", "industry", "region", "loyalty"):
        assert f'id="chart-{canvas}"' in html
    assert "/static/analytics/vendor/chart.umd.min.js" in html
    assert "/static/analytics/dashboard.js" in html
    assert "cdn" not in html.lower()
    data = embedded(html, "analytics-data")
    assert set(data) >= {"overview", "customers", "opportunities", "revenue", "industry", "loyalty"}
    assert data["overview"]["totalRevenue"] == 1200
    assert data["industry"]["segments"][0]["name"] == "科技"
    assert len(data["customers"]["data"]) == 12  # twelve months by default
    assert embedded(html, "analytics-texts")["levels"]["gold"]


def test_the_static_files_ship_with_the_app():
    chart = finders.find("analytics/vendor/chart.umd.min.js")
    assert chart, "Chart.js must be served from the project's own static files"
    with open(chart, encoding="utf-8") as handle:
        assert "Chart.js v4" in handle.read(200)  # license header kept
    assert finders.find("analytics/dashboard.js")
    assert finders.find("analytics/dashboard.css")


@pytest.mark.parametrize("period", ["week", "quarter", "year"])
def test_period_switches_the_trend_buckets(make_user, period):
    response = staff_client(make_user, superuser=True).get(URL, {"period": period})
    assert response.status_code == 200
    assert embedded(response.content.decode(), "analytics-data")["period"] == period


def test_staff_without_the_permission_is_refused(make_user):
    response = staff_client(make_user, "accounts.view_account").get(URL)
    assert response.status_code == 403


def test_staff_with_the_permission_sees_it_listed_and_rendered(make_user):
    client = staff_client(make_user, "analytics.view_analytics")
    assert URL in client.get("/admin/").content.decode()
    assert client.get(URL).status_code == 200


def test_dashboard_figures_equal_the_api_in_the_admins_time_zone(admin_client, dataset, today):
    today("2023-02-20")
    # The admin runs in TIME_ZONE (Asia/Shanghai); the figures must still be the UTC ones.
    f.opportunity(f.Account.objects.get(), "2023-01-31 20:00:00")  # 1 Feb in Shanghai
    with timezone.override("Asia/Shanghai"):
        page = dashboard_data("month")
    api = figures(admin_client, "trends", metric="opportunities")
    assert page["opportunities"]["data"][-6:] == api["data"]
    assert page["overview"] == figures(admin_client, "overview")


def test_the_loyalty_legend_counts_accounts_under_its_own_msgid(make_user, dataset):
    """ "Accounts" is the app (客户管理) in the menu but a count (客户数) on a chart."""
    html = staff_client(make_user, superuser=True).get(URL).content.decode()
    texts = embedded(html, "analytics-texts")
    assert texts["accounts"] == "客户数"
    assert texts["revenue"] == "收入" and texts["customers"] == "客户数（累计）"


def test_money_reads_in_yuan_with_thousands(make_user, dataset):
    f.won(f.Account.objects.get(), "2023-03-10", "20135730.00")
    html = staff_client(make_user, superuser=True).get(URL).content.decode()
    assert "¥20,136,930.00" in html  # both deals' revenue
    assert "20136930.00" not in html.split('id="analytics-data"')[0]


def test_a_date_range_bounds_the_trends_and_the_period_figures(make_user, dataset):
    client = staff_client(make_user, superuser=True)
    response = client.get(URL, {"period": "month", "start": "2023-01-01", "end": "2023-03-31"})
    data = embedded(response.content.decode(), "analytics-data")
    assert [point["date"] for point in data["customers"]["data"]] == [
        "2023-01",
        "2023-02",
        "2023-03",
    ]
    assert data["current"]["newCustomers"] == 1  # the one account, created in January
    assert "所选期间新增客户" in response.content.decode()


def test_a_backwards_date_range_is_explained_and_the_defaults_shown(make_user, dataset):
    client = staff_client(make_user, superuser=True)
    response = client.get(URL, {"start": "2023-03-01", "end": "2023-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in html
    assert len(embedded(html, "analytics-data")["customers"]["data"]) == 12
