"""Campaigns over HTTP (seed §9.1-9.2, CONTRACT.md Campaigns)."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction

from campaigns.models import Campaign, CampaignStatus, CampaignType
from campaigns.services import campaign_delete
from campaigns.tests.factories import make_campaign
from core.tests.api import assert_list_queries_constant, data_of, refused, row_ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/campaigns"
SEED_BODY = {
    "name": "新产品发布会",
    "type": "event",
    "description": "发布新产品的线上线下活动",
    "startDate": "2023-06-01",
    "endDate": "2023-06-30",
    "budget": 100000,
    "targetAudience": "existing_customers, prospects",
}
LIST_KEYS = {
    "id",
    "campaignNo",
    "name",
    "type",
    "status",
    "startDate",
    "endDate",
    "budget",
    "actualCost",
    "createdBy",
    "createdAt",
    "updatedBy",
    "updatedAt",
}


def create(client, body) -> dict:
    return data_of(client.post(URL, body, format="json"))


def detail(client, campaign_id) -> dict:
    return data_of(client.get(f"{URL}/{campaign_id}"))


# --- create ------------------------------------------------------------------------------------


def test_create_with_the_seed_body_answers_id_and_number(admin_client):
    data = create(admin_client, SEED_BODY)

    assert set(data) == {"id", "campaignNo"}
    assert data["campaignNo"] == "CMP001"
    assert create(admin_client, SEED_BODY)["campaignNo"] == "CMP002"
    row = detail(admin_client, data["id"])
    for key, value in SEED_BODY.items():
        assert row[key] == value
    assert row["status"] == "planning"
    assert row["actualCost"] == 0
    assert (row["impressions"], row["clicks"], row["conversions"]) == (0, 0, 0)
    assert row["createdBy"] == "admin"


def test_name_and_type_are_required(admin_client):
    for missing in ("name", "type"):
        body = {k: v for k, v in SEED_BODY.items() if k != missing}
        response = admin_client.post(URL, body, format="json")
        assert response.status_code == 400 and missing in response.json()["data"]


@pytest.mark.parametrize("campaign_type", CampaignType.values)
def test_every_type_is_accepted(admin_client, campaign_type):
    data = create(admin_client, {**SEED_BODY, "type": campaign_type})

    assert detail(admin_client, data["id"])["type"] == campaign_type


@pytest.mark.parametrize("status", CampaignStatus.values)
def test_every_status_is_accepted(admin_client, status):
    data = create(admin_client, {**SEED_BODY, "status": status})

    assert detail(admin_client, data["id"])["status"] == status


@pytest.mark.parametrize(
    "extra",
    [
        {"name": "   "},
        {"type": "radio"},
        {"status": "paused"},
        {"budget": -1},
        {"actualCost": -0.01},
        {"impressions": -1},
        {"clicks": -1},
        {"conversions": 1.5},
        {"startDate": "2023-06-31"},
    ],
)
def test_invalid_values_answer_400(admin_client, extra):
    response = admin_client.post(URL, {**SEED_BODY, **extra}, format="json")

    refused(response)
    assert not Campaign.all_objects.exists()


def test_the_end_date_cannot_precede_the_start_date(admin_client):
    response = admin_client.post(
        URL, {**SEED_BODY, "startDate": "2023-06-30", "endDate": "2023-06-29"}, format="json"
    )

    assert "endDate" in refused(response)
    # One day is a valid campaign, and either date may be open.
    create(admin_client, {**SEED_BODY, "startDate": "2023-06-30", "endDate": "2023-06-30"})
    create(admin_client, {**SEED_BODY, "startDate": None, "endDate": "2023-06-01"})


def test_the_date_rule_holds_for_partial_updates(admin_client):
    campaign = make_campaign(
        start_date=datetime.date(2023, 6, 1), end_date=datetime.date(2023, 6, 30)
    )

    response = admin_client.put(f"{URL}/{campaign.pk}", {"endDate": "2023-05-31"}, format="json")
    assert response.status_code == 400 and "endDate" in response.json()["data"]
    response = admin_client.put(f"{URL}/{campaign.pk}", {"startDate": "2023-07-01"}, format="json")
    assert response.status_code == 400

    row = detail(admin_client, campaign.pk)
    assert (row["startDate"], row["endDate"]) == ("2023-06-01", "2023-06-30")


def test_server_owned_fields_are_ignored(admin_client):
    data = create(admin_client, {**SEED_BODY, "campaignNo": "CMP999", "id": str(uuid.uuid4())})

    assert data["campaignNo"] == "CMP001"


# --- update ------------------------------------------------------------------------------------


def test_recorded_figures_are_updated_with_put(admin_client):
    campaign = make_campaign(budget=100000)

    response = admin_client.put(
        f"{URL}/{campaign.pk}",
        {
            "actualCost": 80000,
            "impressions": 10000,
            "clicks": 1000,
            "conversions": 100,
            "status": "active",
        },
        format="json",
    )

    assert response.status_code == 200
    row = detail(admin_client, campaign.pk)
    assert row["actualCost"] == 80000 and row["budget"] == 100000
    assert (row["impressions"], row["clicks"], row["conversions"]) == (10000, 1000, 100)
    assert row["status"] == "active"
    assert row["updatedBy"] == "admin"


# --- detail and delete -------------------------------------------------------------------------


def test_the_analytics_of_a_missing_campaign_answer_404(admin_client):
    gone = make_campaign()
    campaign_delete(campaign=gone, by=None)

    for campaign_id in (uuid.uuid4(), gone.pk, "nope"):
        assert admin_client.get(f"{URL}/{campaign_id}/analytics").json()["code"] == 404


# --- list --------------------------------------------------------------------------------------


def ids(client, query: str) -> set[str]:
    return set(row_ids(client.get(f"{URL}?{query}")))


def test_list_rows_have_the_seed_shape(admin_client):
    make_campaign(budget=100000, actual_cost=80000)

    row = admin_client.get(URL).json()["data"]["list"][0]

    assert set(row) == LIST_KEYS
    assert row["budget"] == 100000 and row["actualCost"] == 80000


def test_filter_by_number_is_exact(admin_client):
    first = make_campaign()
    make_campaign()

    assert ids(admin_client, f"campaignNo={first.campaign_no}") == {str(first.pk)}
    assert ids(admin_client, "campaignNo=cmp001") == set()


def test_filter_by_name_is_a_case_insensitive_substring(admin_client):
    match = make_campaign(name="Summer SALE")
    make_campaign(name="Winter")

    assert ids(admin_client, "name=sale") == {str(match.pk)}


@pytest.mark.parametrize("status", CampaignStatus.values)
def test_filter_by_each_status(admin_client, status):
    by_status = {value: make_campaign(status=value) for value in CampaignStatus.values}

    assert ids(admin_client, f"status={status}") == {str(by_status[status].pk)}


@pytest.mark.parametrize("campaign_type", CampaignType.values)
def test_filter_by_each_type(admin_client, campaign_type):
    by_type = {value: make_campaign(type=value) for value in CampaignType.values}

    assert ids(admin_client, f"type={campaign_type}") == {str(by_type[campaign_type].pk)}


def test_start_date_range_is_inclusive(admin_client):
    by_day = {day: make_campaign(start_date=datetime.date(2023, 6, day)) for day in (1, 2, 29, 30)}
    make_campaign(start_date=None)

    assert ids(admin_client, "startDateStart=2023-06-02&startDateEnd=2023-06-29") == {
        str(by_day[2].pk),
        str(by_day[29].pk),
    }
    assert ids(admin_client, "startDateStart=2023-06-30") == {str(by_day[30].pk)}
    assert ids(admin_client, "startDateEnd=2023-06-01") == {str(by_day[1].pk)}


def test_soft_deleted_campaigns_are_not_listed(admin_client):
    live = make_campaign()
    campaign_delete(campaign=make_campaign(), by=None)

    assert ids(admin_client, "") == {str(live.pk)}


def test_list_costs_the_same_queries_for_one_row_or_many(admin_client):
    assert_list_queries_constant(admin_client, URL, make_campaign)


def test_permissions_follow_the_model_permissions(user_client):
    campaign = make_campaign()
    reader = user_client("campaigns.view_campaign")

    assert reader.get(URL).status_code == 200
    assert reader.get(f"{URL}/{campaign.pk}/analytics").status_code == 200
    assert reader.post(URL, SEED_BODY, format="json").status_code == 403
    assert user_client("sales.view_lead", username="x").get(URL).status_code == 403


# --- invariants held by the database -----------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"budget": -1},
        {"actual_cost": -1},
        {"type": "radio"},
        {"status": "paused"},
        {"start_date": datetime.date(2023, 6, 2), "end_date": datetime.date(2023, 6, 1)},
    ],
)
def test_the_database_refuses_broken_campaigns(values):
    campaign = make_campaign()

    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(**values)
