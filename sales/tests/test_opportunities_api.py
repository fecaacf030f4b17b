"""Opportunities over HTTP (seed §7.4-7.5, CONTRACT.md Opportunities)."""

import datetime
import uuid
from decimal import Decimal

import pytest

from accounts.services import account_delete, account_restore
from accounts.tests.factories import make_account
from campaigns.tests.factories import make_campaign
from core.tests.api import assert_list_queries_constant, data_of, refused, row_ids
from sales.models import DEFAULT_PROBABILITY, Opportunity, OpportunityStage
from sales.services import opportunity_delete
from sales.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/opportunities"
ROW_KEYS = {
    "id",
    "opportunityNo",
    "accountId",
    "accountName",
    "name",
    "description",
    "stage",
    "probability",
    "estimatedAmount",
    "actualAmount",
    "closeDate",
    "closedAt",
    "campaignId",
    "createdBy",
    "createdAt",
    "updatedBy",
    "updatedAt",
}


@pytest.fixture
def account():
    return make_account(name="北京科技有限公司")


def seed_body(account, **extra) -> dict:
    return {
        "accountId": str(account.pk),
        "name": "产品采购机会",
        "description": "采购一批新产品",
        "stage": "prospecting",
        "probability": 30,
        "estimatedAmount": 1000000,
        "closeDate": "2023-07-31",
        **extra,
    }


def create(client, body) -> dict:
    return data_of(client.post(URL, body, format="json"))


def detail(client, opportunity_id) -> dict:
    return data_of(client.get(f"{URL}/{opportunity_id}"))


def update(client, opportunity_id, body) -> None:
    data_of(client.put(f"{URL}/{opportunity_id}", body, format="json"))


# --- create ------------------------------------------------------------------------------------


def test_create_with_the_seed_body_answers_id_and_number(admin_client, account):
    data = create(admin_client, seed_body(account))

    assert set(data) == {"id", "opportunityNo"}
    assert data["opportunityNo"] == "OPP001"
    assert create(admin_client, seed_body(account))["opportunityNo"] == "OPP002"
    row = detail(admin_client, data["id"])
    assert set(row) == ROW_KEYS | {"owner"}  # the detail also names the owner
    assert row["owner"] == "admin"
    assert row["accountId"] == str(account.pk)
    assert row["accountName"] == "北京科技有限公司"
    assert row["stage"] == "prospecting" and row["probability"] == 30
    assert row["estimatedAmount"] == 1000000  # a JSON number, not a string
    assert row["actualAmount"] is None and row["closedAt"] is None
    assert row["closeDate"] == "2023-07-31"
    assert row["createdBy"] == "admin"


def test_numbers_are_never_taken_from_the_body(admin_client, account):
    data = create(
        admin_client, seed_body(account, opportunityNo="OPP999", closedAt="2020-01-01T00:00:00Z")
    )

    assert data["opportunityNo"] == "OPP001"
    assert detail(admin_client, data["id"])["closedAt"] is None


def test_account_id_and_name_are_required(admin_client, account):
    body = seed_body(account)
    for missing in ("accountId", "name"):
        response = admin_client.post(
            URL, {k: v for k, v in body.items() if k != missing}, format="json"
        )
        assert missing in refused(response)


@pytest.mark.parametrize("stage", ["won", "", "CLOSED_WON", "closed"])
def test_an_unknown_stage_answers_4010(admin_client, account, stage):
    response = admin_client.post(URL, seed_body(account, stage=stage), format="json")

    assert "stage" in refused(response, 4010)


@pytest.mark.parametrize("stage", OpportunityStage.values)
def test_probability_defaults_by_stage(admin_client, account, stage):
    body = seed_body(account, stage=stage)
    del body["probability"]

    row = detail(admin_client, create(admin_client, body)["id"])

    assert row["probability"] == DEFAULT_PROBABILITY[stage]
    assert DEFAULT_PROBABILITY == {
        "prospecting": 10,
        "qualification": 20,
        "proposal": 50,
        "negotiation": 75,
        "closed_won": 100,
        "closed_lost": 0,
    }


def test_stage_defaults_to_prospecting(admin_client, account):
    body = seed_body(account)
    del body["stage"], body["probability"]

    row = detail(admin_client, create(admin_client, body)["id"])

    assert (row["stage"], row["probability"]) == ("prospecting", 10)


@pytest.mark.parametrize(
    "extra",
    [
        {"name": "   "},
        {"probability": 101},
        {"probability": -1},
        {"probability": 1.5},
        {"estimatedAmount": -0.01},
        {"actualAmount": -1},
        {"estimatedAmount": 1.234},
        {"closeDate": "31/07/2023"},
    ],
)
def test_out_of_range_values_answer_400(admin_client, account, extra):
    response = admin_client.post(URL, seed_body(account, **extra), format="json")

    refused(response)


def test_created_closed_won_is_stamped_and_takes_the_estimate(admin_client, account):
    row = detail(admin_client, create(admin_client, seed_body(account, stage="closed_won"))["id"])

    assert row["closedAt"] is not None and row["closedAt"].endswith("Z")
    assert row["actualAmount"] == 1000000


def test_created_closed_won_keeps_a_given_actual_amount(admin_client, account):
    data = create(admin_client, seed_body(account, stage="closed_won", actualAmount=900000))

    assert detail(admin_client, data["id"])["actualAmount"] == 900000


def test_created_closed_lost_is_stamped_without_revenue(admin_client, account):
    row = detail(admin_client, create(admin_client, seed_body(account, stage="closed_lost"))["id"])

    assert row["closedAt"] is not None and row["actualAmount"] is None


def test_a_missing_campaign_answers_http_400_with_code_404(admin_client, account):
    response = admin_client.post(
        URL, seed_body(account, campaignId=str(uuid.uuid4())), format="json"
    )

    assert "campaignId" in refused(response, 404)


def test_campaign_id_links_a_campaign(admin_client, account):
    campaign = make_campaign()

    data = create(admin_client, seed_body(account, campaignId=str(campaign.pk)))

    assert detail(admin_client, data["id"])["campaignId"] == str(campaign.pk)


# --- update: the stage rules -------------------------------------------------------------------


def test_a_stage_change_without_probability_takes_the_stage_default(admin_client, account):
    opportunity = make_opportunity(account=account, probability=33)

    update(admin_client, opportunity.pk, {"stage": "negotiation"})
    assert detail(admin_client, opportunity.pk)["probability"] == 75

    update(admin_client, opportunity.pk, {"stage": "proposal", "probability": 60})
    assert detail(admin_client, opportunity.pk)["probability"] == 60

    update(admin_client, opportunity.pk, {"name": "same stage"})
    assert detail(admin_client, opportunity.pk)["probability"] == 60


def test_entering_closed_won_stamps_closed_at_and_takes_the_estimate(admin_client, account):
    opportunity = make_opportunity(account=account, estimated_amount=Decimal("1000"))
    assert detail(admin_client, opportunity.pk)["closedAt"] is None

    update(admin_client, opportunity.pk, {"stage": "closed_won"})

    row = detail(admin_client, opportunity.pk)
    assert row["closedAt"] is not None
    assert row["actualAmount"] == 1000 and row["probability"] == 100


def test_closing_won_with_a_new_estimate_takes_the_new_estimate(admin_client, account):
    opportunity = make_opportunity(account=account, estimated_amount=Decimal("1000"))

    update(admin_client, opportunity.pk, {"stage": "closed_won", "estimatedAmount": 1500})

    assert detail(admin_client, opportunity.pk)["actualAmount"] == 1500


def test_closing_won_with_an_actual_amount_keeps_it(admin_client, account):
    opportunity = make_opportunity(account=account, estimated_amount=Decimal("1000"))

    update(admin_client, opportunity.pk, {"stage": "closed_won", "actualAmount": 800})

    assert detail(admin_client, opportunity.pk)["actualAmount"] == 800


def test_a_won_deal_cannot_lose_its_actual_amount(admin_client, account):
    opportunity = make_opportunity(account=account, stage="closed_won", estimated_amount=10)

    update(admin_client, opportunity.pk, {"actualAmount": None})

    assert detail(admin_client, opportunity.pk)["actualAmount"] == 10


def test_entering_closed_lost_stamps_closed_at(admin_client, account):
    opportunity = make_opportunity(account=account)

    update(admin_client, opportunity.pk, {"stage": "closed_lost"})

    row = detail(admin_client, opportunity.pk)
    assert row["closedAt"] is not None and row["probability"] == 0
    assert row["actualAmount"] is None


def test_moving_between_closed_stages_restamps_and_reopening_clears(admin_client, account):
    opportunity = make_opportunity(account=account, stage="closed_won")
    long_ago = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    Opportunity.objects.filter(pk=opportunity.pk).update(closed_at=long_ago)

    update(admin_client, opportunity.pk, {"stage": "closed_lost"})
    assert detail(admin_client, opportunity.pk)["closedAt"] != "2023-01-01T00:00:00Z"

    update(admin_client, opportunity.pk, {"stage": "negotiation"})
    assert detail(admin_client, opportunity.pk)["closedAt"] is None


def test_staying_closed_keeps_the_stamp(admin_client, account):
    opportunity = make_opportunity(account=account, stage="closed_won")
    long_ago = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    Opportunity.objects.filter(pk=opportunity.pk).update(closed_at=long_ago)

    update(admin_client, opportunity.pk, {"stage": "closed_won", "description": "note"})

    assert detail(admin_client, opportunity.pk)["closedAt"] == "2023-01-01T00:00:00Z"


def test_an_unknown_stage_in_an_update_answers_4010(admin_client, account):
    opportunity = make_opportunity(account=account)

    response = admin_client.put(f"{URL}/{opportunity.pk}", {"stage": "won"}, format="json")

    assert response.status_code == 400 and response.json()["code"] == 4010
    assert detail(admin_client, opportunity.pk)["stage"] == "prospecting"


def test_moving_to_another_account(admin_client, account):
    opportunity = make_opportunity(account=account)
    other = make_account(name="上海贸易")

    update(admin_client, opportunity.pk, {"accountId": str(other.pk)})

    assert detail(admin_client, opportunity.pk)["accountName"] == "上海贸易"


# --- detail and delete -------------------------------------------------------------------------


# --- list --------------------------------------------------------------------------------------


def ids(client, query: str) -> set[str]:
    return set(row_ids(client.get(f"{URL}?{query}")))


def test_list_rows_have_the_seed_shape(admin_client, account):
    make_opportunity(account=account)

    data = admin_client.get(URL).json()["data"]

    assert data["total"] == 1
    assert set(data["list"][0]) == ROW_KEYS
    assert data["list"][0]["accountName"] == "北京科技有限公司"


def test_filter_by_account(admin_client, account):
    mine = make_opportunity(account=account)
    make_opportunity()

    assert ids(admin_client, f"accountId={account.pk}") == {str(mine.pk)}


def test_filter_by_number_is_exact(admin_client, account):
    first = make_opportunity(account=account)
    make_opportunity(account=account)

    assert ids(admin_client, f"opportunityNo={first.opportunity_no}") == {str(first.pk)}
    assert ids(admin_client, "opportunityNo=OPP") == set()


def test_filter_by_name_is_a_case_insensitive_substring(admin_client, account):
    match = make_opportunity(account=account, name="ERP Upgrade")
    make_opportunity(account=account, name="Other")

    assert ids(admin_client, "name=erp") == {str(match.pk)}


@pytest.mark.parametrize("stage", OpportunityStage.values)
def test_filter_by_each_stage(admin_client, account, stage):
    by_stage = {
        value: make_opportunity(account=account, stage=value) for value in OpportunityStage.values
    }

    assert ids(admin_client, f"stage={stage}") == {str(by_stage[stage].pk)}


def test_filter_by_probability_is_exact(admin_client, account):
    sixty = make_opportunity(account=account, probability=60)
    make_opportunity(account=account, probability=61)

    assert ids(admin_client, "probability=60") == {str(sixty.pk)}


def test_estimated_amount_range_is_inclusive(admin_client, account):
    amounts = {
        amount: make_opportunity(account=account, estimated_amount=Decimal(amount))
        for amount in ("99.99", "100.00", "500.00", "1000.00", "1000.01")
    }

    assert ids(admin_client, "estimatedAmountMin=100&estimatedAmountMax=1000") == {
        str(amounts[a].pk) for a in ("100.00", "500.00", "1000.00")
    }
    assert ids(admin_client, "estimatedAmountMin=1000.01") == {str(amounts["1000.01"].pk)}
    assert ids(admin_client, "estimatedAmountMax=99.99") == {str(amounts["99.99"].pk)}


def test_close_date_range_is_inclusive(admin_client, account):
    by_day = {
        day: make_opportunity(account=account, close_date=datetime.date(2023, 7, day))
        for day in (1, 2, 30, 31)
    }
    make_opportunity(account=account, close_date=None)

    assert ids(admin_client, "closeDateStart=2023-07-02&closeDateEnd=2023-07-30") == {
        str(by_day[2].pk),
        str(by_day[30].pk),
    }
    assert ids(admin_client, "closeDateStart=2023-07-31") == {str(by_day[31].pk)}
    assert ids(admin_client, "closeDateEnd=2023-07-01") == {str(by_day[1].pk)}


def test_soft_deleted_opportunities_are_not_listed(admin_client, account):
    live = make_opportunity(account=account)
    opportunity_delete(opportunity=make_opportunity(account=account), by=None)

    assert ids(admin_client, "") == {str(live.pk)}


def test_opportunities_leave_and_return_with_their_account(admin_client, account):
    opportunity = make_opportunity(account=account)
    other = make_opportunity()

    account_delete(account=account, by=None)
    assert ids(admin_client, "") == {str(other.pk)}
    assert admin_client.get(f"{URL}/{opportunity.pk}").json()["code"] == 4006
    assert Opportunity.all_objects.get(pk=opportunity.pk).deleted_at is None  # row untouched

    account_restore(account=account, by=None)
    assert ids(admin_client, "") == {str(other.pk), str(opportunity.pk)}


def test_ordering_by_estimated_amount(admin_client, account):
    small = make_opportunity(account=account, estimated_amount=1)
    big = make_opportunity(account=account, estimated_amount=2)

    rows = admin_client.get(f"{URL}?ordering=-estimatedAmount").json()["data"]["list"]
    assert [row["id"] for row in rows] == [str(big.pk), str(small.pk)]


def test_list_costs_the_same_queries_for_one_row_or_many(admin_client):
    # A fresh account per row: accountName must come from a join, not a query per row.
    assert_list_queries_constant(admin_client, URL, lambda: make_opportunity())


def test_permissions_follow_the_model_permissions(user_client, account):
    reader = user_client("sales.view_opportunity")

    assert reader.get(URL).status_code == 200
    assert reader.post(URL, seed_body(account), format="json").status_code == 403
