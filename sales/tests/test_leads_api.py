"""Leads over HTTP (seed §7.1-7.2, CONTRACT.md Leads): CRUD, enums, filters, soft delete."""

import datetime
import uuid

import pytest

from campaigns.services import campaign_delete
from campaigns.tests.factories import make_campaign
from core.tests.api import assert_list_queries_constant, data_of, refused, row_ids
from sales.models import Lead, LeadStatus
from sales.services import lead_delete
from sales.tests.factories import make_lead

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/leads"
SEED_BODY = {
    "name": "潜在客户A",
    "company": "科技公司",
    "contactPerson": "张三",
    "phone": "13800138001",
    "email": "lead@example.com",
    "source": "website",
    "description": "通过网站表单提交的潜在客户",
}
LIST_KEYS = {
    "id",
    "name",
    "company",
    "contactPerson",
    "phone",
    "email",
    "source",
    "status",
    "score",
    "campaignId",
    "createdBy",
    "createdAt",
    "updatedBy",
    "updatedAt",
}


def detail(client, lead_id) -> dict:
    return data_of(client.get(f"{URL}/{lead_id}"))


def set_created(lead: Lead, day: datetime.date) -> None:
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    Lead.all_objects.filter(pk=lead.pk).update(created_at=moment)


# --- create ------------------------------------------------------------------------------------


def test_create_with_the_seed_body_answers_the_id_and_stores_every_field(admin_client):
    response = admin_client.post(URL, SEED_BODY, format="json")

    assert response.status_code == 200
    payload = response.json()
    assert payload["code"] == 200 and payload["message"] == "success"
    assert set(payload["data"]) == {"id"}
    lead = detail(admin_client, payload["data"]["id"])
    for key, value in SEED_BODY.items():
        assert lead[key] == value
    assert lead["status"] == "new"
    assert lead["score"] == 0
    assert lead["campaignId"] is None
    assert lead["createdBy"] == "admin" and lead["updatedBy"] == "admin"
    assert lead["convertedAccountId"] is None and lead["convertedAt"] is None


def test_create_needs_a_name(admin_client):
    for body in ({"company": "科技公司"}, {"name": "   "}):
        response = admin_client.post(URL, body, format="json")
        assert "name" in refused(response)


@pytest.mark.parametrize("status", ["new", "qualified", "unqualified"])
def test_create_accepts_every_settable_status(admin_client, status):
    response = admin_client.post(URL, {"name": "L", "status": status}, format="json")

    assert response.status_code == 200
    assert detail(admin_client, response.json()["data"]["id"])["status"] == status


@pytest.mark.parametrize("status", ["converted", "won", "", "NEW"])
def test_create_with_an_invalid_or_converted_status_answers_4009(admin_client, status):
    response = admin_client.post(URL, {"name": "L", "status": status}, format="json")

    assert "status" in refused(response, 4009)
    assert not Lead.all_objects.exists()


@pytest.mark.parametrize("source", ["website", "referral", "event", "cold_call"])
def test_create_accepts_every_source(admin_client, source):
    response = admin_client.post(URL, {"name": "L", "source": source}, format="json")

    assert response.status_code == 200
    assert detail(admin_client, response.json()["data"]["id"])["source"] == source


def test_an_unknown_source_is_a_plain_400(admin_client):
    response = admin_client.post(URL, {"name": "L", "source": "radio"}, format="json")

    assert "source" in refused(response)


@pytest.mark.parametrize(("score", "ok"), [(0, True), (100, True), (-1, False), (101, False)])
def test_score_is_0_to_100(admin_client, score, ok):
    response = admin_client.post(URL, {"name": "L", "score": score}, format="json")

    assert (response.status_code == 200) is ok
    if not ok:
        assert response.json()["code"] == 400 and "score" in response.json()["data"]


def test_an_invalid_phone_or_email_is_refused(admin_client):
    response = admin_client.post(URL, {"name": "L", "phone": "call me"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()["data"]
    response = admin_client.post(URL, {"name": "L", "email": "not-an-email"}, format="json")
    assert response.status_code == 400 and "email" in response.json()["data"]


def test_server_owned_fields_are_not_taken_from_the_body(admin_client):
    account_id = str(uuid.uuid4())
    response = admin_client.post(
        URL,
        {"name": "L", "convertedAccountId": account_id, "convertedAt": "2023-01-01T00:00:00Z"},
        format="json",
    )

    lead = detail(admin_client, response.json()["data"]["id"])
    assert lead["convertedAccountId"] is None and lead["convertedAt"] is None


def test_campaign_id_links_a_live_campaign(admin_client):
    campaign = make_campaign()

    response = admin_client.post(URL, {"name": "L", "campaignId": str(campaign.pk)}, format="json")

    assert response.status_code == 200
    assert detail(admin_client, response.json()["data"]["id"])["campaignId"] == str(campaign.pk)


def test_a_missing_campaign_answers_http_400_with_code_404(admin_client):
    deleted = make_campaign()
    campaign_delete(campaign=deleted, by=None)

    for campaign_id in (str(uuid.uuid4()), str(deleted.pk), "not-a-uuid"):
        response = admin_client.post(URL, {"name": "L", "campaignId": campaign_id}, format="json")
        assert "campaignId" in refused(response, 404)
    assert not Lead.all_objects.exists()


# --- detail, update, delete --------------------------------------------------------------------


def test_update_to_converted_or_an_unknown_status_answers_4009(admin_client):
    lead = make_lead()

    for status in ("converted", "lost"):
        response = admin_client.put(f"{URL}/{lead.pk}", {"status": status}, format="json")
        refused(response, 4009)
    assert detail(admin_client, lead.pk)["status"] == "new"


def test_a_converted_lead_keeps_its_status(admin_client):
    lead = make_lead()
    admin_client.post(f"{URL}/{lead.pk}/convert", {}, format="json")

    response = admin_client.put(f"{URL}/{lead.pk}", {"status": "new"}, format="json")

    refused(response, 4009)
    assert detail(admin_client, lead.pk)["status"] == "converted"
    # Its other fields stay editable.
    assert admin_client.put(f"{URL}/{lead.pk}", {"score": 90}, format="json").status_code == 200
    assert detail(admin_client, lead.pk)["score"] == 90


def test_update_can_set_and_clear_the_campaign(admin_client):
    lead = make_lead()
    campaign = make_campaign()

    admin_client.put(f"{URL}/{lead.pk}", {"campaignId": str(campaign.pk)}, format="json")
    assert detail(admin_client, lead.pk)["campaignId"] == str(campaign.pk)
    admin_client.put(f"{URL}/{lead.pk}", {"campaignId": None}, format="json")
    assert detail(admin_client, lead.pk)["campaignId"] is None


# --- list --------------------------------------------------------------------------------------


def test_list_rows_have_the_seed_shape_newest_first(admin_client):
    older = make_lead(name="older")
    set_created(older, datetime.date(2023, 6, 1))
    newer = make_lead(name="newer")

    data = admin_client.get(URL).json()["data"]

    assert data["total"] == 2 and data["page"] == 1 and data["pageSize"] == 10
    assert [row["id"] for row in data["list"]] == [str(newer.pk), str(older.pk)]
    assert set(data["list"][0]) == LIST_KEYS


def ids(client, query: str) -> set[str]:
    return set(row_ids(client.get(f"{URL}?{query}")))


def test_filter_by_name_is_a_case_insensitive_substring(admin_client):
    acme = make_lead(name="ACME Trading")
    make_lead(name="Other")

    assert ids(admin_client, "name=acme") == {str(acme.pk)}
    assert ids(admin_client, "name=trad") == {str(acme.pk)}


@pytest.mark.parametrize("status", LeadStatus.values)
def test_filter_by_each_status(admin_client, status):
    leads = {value: make_lead(status=value) for value in ("new", "qualified", "unqualified")}
    converted = make_lead(name="converted")
    admin_client.post(f"{URL}/{converted.pk}/convert", {}, format="json")
    leads["converted"] = converted

    assert ids(admin_client, f"status={status}") == {str(leads[status].pk)}


@pytest.mark.parametrize("source", ["website", "referral", "event", "cold_call"])
def test_filter_by_each_source(admin_client, source):
    leads = {
        value: make_lead(source=value) for value in ("website", "referral", "event", "cold_call")
    }
    make_lead(source=None)

    assert ids(admin_client, f"source={source}") == {str(leads[source].pk)}


def test_created_date_range_is_inclusive(admin_client):
    by_day = {}
    for day in (1, 2, 3, 4):
        lead = make_lead(name=f"day {day}")
        set_created(lead, datetime.date(2023, 6, day))
        by_day[day] = str(lead.pk)

    assert ids(admin_client, "createdDateStart=2023-06-02&createdDateEnd=2023-06-03") == {
        by_day[2],
        by_day[3],
    }
    assert ids(admin_client, "createdDateStart=2023-06-04") == {by_day[4]}
    assert ids(admin_client, "createdDateEnd=2023-06-01") == {by_day[1]}


def test_filter_by_campaign(admin_client):
    campaign = make_campaign()
    linked = make_lead(campaign=campaign)
    make_lead()

    assert ids(admin_client, f"campaignId={campaign.pk}") == {str(linked.pk)}


def test_filters_combine(admin_client):
    match = make_lead(name="Alpha", status="qualified", source="event")
    make_lead(name="Alpha", status="new", source="event")
    make_lead(name="Beta", status="qualified", source="event")

    assert ids(admin_client, "name=alp&status=qualified&source=event") == {str(match.pk)}


def test_soft_deleted_leads_are_not_listed(admin_client):
    live = make_lead()
    lead_delete(lead=make_lead(), by=None)

    assert ids(admin_client, "") == {str(live.pk)}


def test_ordering_by_score(admin_client):
    low, high = make_lead(score=10), make_lead(score=90)

    rows = admin_client.get(f"{URL}?ordering=-score").json()["data"]["list"]
    assert [row["id"] for row in rows] == [str(high.pk), str(low.pk)]


def test_list_costs_the_same_queries_for_one_row_or_many(admin_client):
    campaign = make_campaign()
    assert_list_queries_constant(admin_client, URL, lambda: make_lead(campaign=campaign))


# --- permissions -------------------------------------------------------------------------------


def test_permissions_follow_the_model_permissions(user_client):
    lead = make_lead()
    reader = user_client("sales.view_lead", "sales.view_all_lead")

    assert reader.get(URL).status_code == 200
    assert reader.get(f"{URL}/{lead.pk}").status_code == 200
    response = reader.post(URL, {"name": "L"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == 403
    assert reader.put(f"{URL}/{lead.pk}", {"score": 1}, format="json").status_code == 403
    assert reader.delete(f"{URL}/{lead.pk}").status_code == 403
