"""Seeing analytics is a permission of its own; the routes answer with or without a slash."""

import pytest
from django.contrib.auth.models import Group, Permission

from analytics.tests.helpers import BASE, fetch
from conftest import client_for

pytestmark = pytest.mark.django_db

QUERIES = [
    ("overview", {}),
    ("trends", {"metric": "customers"}),
    ("segmentation", {"segmentBy": "industry"}),
    ("loyalty", {}),
]


def test_the_permission_exists_in_auth():
    permission = Permission.objects.get(
        content_type__app_label="analytics", codename="view_analytics"
    )
    assert permission.name == "Can view analytics"


@pytest.mark.parametrize(("endpoint", "params"), QUERIES)
def test_anonymous_gets_401(api_client, endpoint, params):
    response = fetch(api_client, endpoint, **params)
    assert response.status_code == 401
    assert response.json()["code"] == 401


@pytest.mark.parametrize(("endpoint", "params"), QUERIES)
def test_without_the_permission_gets_403(user_client, endpoint, params):
    # Seeing every record is not enough: analytics has its own permission.
    client = user_client("accounts.view_account", "sales.view_opportunity")
    response = fetch(client, endpoint, **params)
    assert response.status_code == 403
    assert response.json()["code"] == 403


@pytest.mark.parametrize(("endpoint", "params"), QUERIES)
def test_with_the_permission_gets_200(user_client, endpoint, params):
    response = fetch(user_client("analytics.view_analytics"), endpoint, **params)
    assert response.status_code == 200


def test_the_permission_works_through_a_group(make_user):
    group = Group.objects.create(name="analysts")
    group.permissions.add(Permission.objects.get(codename="view_analytics"))
    user = make_user("carol")
    user.groups.add(group)
    assert fetch(client_for(user), "loyalty").status_code == 200


@pytest.mark.parametrize("path", ["overview", "overview/"])
def test_trailing_slash_is_optional(admin_client, path):
    assert admin_client.get(f"{BASE}/{path}").status_code == 200


def test_analytics_is_read_only(admin_client):
    response = admin_client.post(f"{BASE}/overview", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == 405
