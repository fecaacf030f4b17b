"""Back office for campaigns: writes through the service, database rules shown as form errors."""

import pytest

from campaigns.models import Campaign
from campaigns.tests.factories import make_campaign

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/admin/campaigns/campaign/"


def form(**fields) -> dict:
    return {
        "name": "Launch",
        "type": "event",
        "status": "planning",
        "budget": "100",
        "actual_cost": "0",
        "impressions": "0",
        "clicks": "0",
        "conversions": "0",
        **fields,
    }


def test_a_campaign_added_in_the_admin_gets_its_number(staff):
    response = staff.post(f"{CAMPAIGNS}add/", form())

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.campaign_no == "CMP001" and campaign.created_by.username == "admin"


def test_the_date_rule_is_a_form_error(staff):
    response = staff.post(f"{CAMPAIGNS}add/", form(start_date="2023-06-30", end_date="2023-06-01"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors  # the constraint's message, not a 500
    assert not Campaign.all_objects.exists()


def test_the_changelist_filters_and_searches(staff):
    event = make_campaign(name="Expo", type="event")
    make_campaign(name="Mailing", type="email")

    response = staff.get(CAMPAIGNS, {"type__exact": "event"})
    assert list(response.context["cl"].result_list) == [event]
    response = staff.get(CAMPAIGNS, {"q": event.campaign_no})
    assert list(response.context["cl"].result_list) == [event]
