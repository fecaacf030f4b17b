"""The back office for activities: filters, search, and the same rules as the API."""

import pytest

from accounts.tests.factories import make_account
from activities.models import Activity
from activities.tests.factories import make_activity
from contacts.tests.factories import make_contact

pytestmark = pytest.mark.django_db

URL = "/admin/activities/activity/"


def form(account, **fields) -> dict:
    return {
        "account": str(account.pk),
        "type": "call",
        "subject": "回访",
        "status": "planned",
        "priority": "medium",
        **fields,
    }


def test_changelist_filters_and_search_render(staff):
    activity = make_activity(subject="产品演示会议", type="meeting", status="completed")
    make_activity(subject="其他", type="call")

    for params in [
        {},
        {"type": "meeting"},
        {"status": "completed"},
        {"start_time__gte": "2023-01-01 00:00:00+00:00"},
        {"q": "演示"},
    ]:
        assert staff.get(URL, params).status_code == 200, params
    searched = staff.get(URL, {"q": "演示"}).content.decode()
    assert "产品演示会议" in searched
    assert "其他" not in searched.split("result_list")[-1]
    assert staff.get(f"{URL}{activity.pk}/change/").status_code == 200


def test_admin_add_goes_through_the_service(staff, admin_user):
    account = make_account()

    response = staff.post(f"{URL}add/", form(account))

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.account, activity.created_by) == (account, admin_user)


def test_admin_refuses_a_contact_of_another_account(staff):
    account = make_account()
    stranger = make_contact(make_account(name="别家"))

    response = staff.post(f"{URL}add/", form(account, contact=str(stranger.pk)))

    assert response.status_code == 200  # the form comes back with the error
    assert "errorlist" in response.content.decode()
    assert not Activity.all_objects.exists()


def test_admin_refuses_an_end_before_the_start(staff):
    account = make_account()
    fields = {
        "start_time_0": "2023-06-01",
        "start_time_1": "10:00:00",
        "end_time_0": "2023-06-01",
        "end_time_1": "09:00:00",
    }

    response = staff.post(f"{URL}add/", form(account, **fields))

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Activity.all_objects.exists()
