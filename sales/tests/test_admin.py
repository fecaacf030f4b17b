"""Back office: lead conversion through the service, opportunity filters and search."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.test import Client

from accounts.models import Account
from accounts.tests.factories import make_account
from contacts.models import Contact
from sales.models import Lead, Opportunity
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db

LEADS = "/admin/sales/lead/"
OPPORTUNITIES = "/admin/sales/opportunity/"


def convert_action(client, leads, **options):
    data = {
        "action": "convert_selected",
        helpers.ACTION_CHECKBOX_NAME: [str(lead.pk) for lead in leads],
    }
    data.update(options)
    return client.post(LEADS, data)


def test_the_convert_action_first_asks_for_the_options(staff):
    lead = make_lead(name="潜在客户A")

    response = convert_action(staff, [lead])

    assert response.status_code == 200
    assert "admin/sales/lead/convert.html" in [t.name for t in response.templates]
    assert "潜在客户A" in response.content.decode()
    assert Lead.objects.get().status == "new"


def test_the_convert_action_converts_through_the_service(staff):
    good = make_lead(name="A", company="A Co", contact_person="张三", status="qualified")
    bad = make_lead(name="B", status="unqualified")

    response = convert_action(
        staff,
        [good, bad],
        apply="Convert",
        create_account="on",
        create_contact="on",
        opportunity_name="Deal",
        estimated_amount="1000",
        close_date="2023-07-31",
    )

    assert response.status_code == 302
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "converted"
    assert good.converted_account.name == "A Co"
    assert good.converted_contact.name == "张三"
    assert good.converted_opportunity.estimated_amount == Decimal("1000")
    assert good.converted_opportunity.close_date == datetime.date(2023, 7, 31)
    assert bad.status == "unqualified" and bad.converted_at is None
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("B: ") for m in messages)  # the refusal is reported, per lead


def test_the_convert_action_can_attach_to_an_existing_account(staff):
    existing = make_account(name="Existing")
    lead = make_lead()

    convert_action(staff, [lead], apply="Convert", account=str(existing.pk))

    lead.refresh_from_db()
    assert lead.converted_account_id == existing.pk
    assert lead.converted_contact is None
    assert Account.objects.count() == 1 and Contact.objects.count() == 0


def test_a_rep_cannot_convert_a_lead_into_an_account_they_may_not_see(make_user):
    rep = make_user("rep", perms=("sales.view_lead", "sales.change_lead"))
    rep.is_staff = True
    rep.save()
    client = Client()
    client.force_login(rep)
    theirs = make_account(name="别人的客户")
    mine = make_account(by=rep, name="我的客户")
    lead = make_lead(by=rep)

    response = convert_action(client, [lead], apply="Convert", account=str(theirs.pk))
    assert response.status_code == 200  # the form again: that account is not a choice
    assert Lead.objects.get().status == "new"

    convert_action(client, [lead], apply="Convert", account=str(mine.pk))
    lead.refresh_from_db()
    assert lead.converted_account == mine


def test_the_convert_action_refuses_contradictory_options(staff):
    existing = make_account()
    lead = make_lead()

    response = convert_action(
        staff, [lead], apply="Convert", create_account="on", account=str(existing.pk)
    )

    assert response.status_code == 200  # the form again, with its error
    assert Lead.objects.get().status == "new"


def test_a_lead_cannot_be_set_to_converted_in_the_form(staff):
    lead = make_lead()

    response = staff.get(f"{LEADS}{lead.pk}/change/")

    assert response.status_code == 200
    assert 'value="converted"' not in response.content.decode()


def test_opportunities_filter_by_stage_and_close_date(staff):
    won = make_opportunity(
        name="Won deal", stage="closed_won", close_date=datetime.date(2023, 7, 1)
    )
    open_ = make_opportunity(name="Open deal", close_date=datetime.date(2024, 1, 1))

    page = staff.get(OPPORTUNITIES, {"stage__exact": "closed_won"}).content.decode()
    assert won.opportunity_no in page and open_.opportunity_no not in page

    page = staff.get(
        OPPORTUNITIES, {"close_date__gte": "2023-12-01", "close_date__lt": "2024-02-01"}
    ).content.decode()
    assert open_.opportunity_no in page and won.opportunity_no not in page


@pytest.mark.parametrize("term", ["OPP002", "Second", "上海贸易"])
def test_opportunities_search_by_number_name_and_account(staff, term):
    make_opportunity(name="First", account=make_account(name="北京科技"))
    second = make_opportunity(name="Second", account=make_account(name="上海贸易"))

    response = staff.get(OPPORTUNITIES, {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [second]


def test_an_opportunity_added_in_the_admin_follows_the_stage_rules(staff):
    account = make_account()

    response = staff.post(
        f"{OPPORTUNITIES}add/",
        {
            "name": "Admin deal",
            "account": str(account.pk),
            "stage": "closed_won",
            "probability": "",
            "estimated_amount": "700",
            "actual_amount": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    opportunity = Opportunity.objects.get()
    assert opportunity.opportunity_no == "OPP001"
    assert opportunity.probability == 100
    assert opportunity.actual_amount == Decimal("700")
    assert opportunity.closed_at is not None
    assert opportunity.created_by.username == "admin"


def test_deleting_in_the_admin_is_soft(staff):
    opportunity = make_opportunity()

    staff.post(f"{OPPORTUNITIES}{opportunity.pk}/delete/", {"post": "yes"})

    assert Opportunity.all_objects.get(pk=opportunity.pk).deleted_at is not None


def test_a_lead_added_in_the_admin_goes_through_the_service(staff):
    response = staff.post(f"{LEADS}add/", {"name": "Walk-in", "status": "new", "score": "40"})

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.name, lead.score, lead.created_by.username) == ("Walk-in", 40, "admin")


def test_a_converted_lead_shows_its_links_and_a_fixed_status(staff, admin_client):
    lead = make_lead()
    admin_client.post(f"/api/v1/crm/leads/{lead.pk}/convert", {}, format="json")

    response = staff.get(f"{LEADS}{lead.pk}/change/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "status" not in form.fields  # read-only once converted
    lead.refresh_from_db()
    assert str(lead.converted_account) in response.content.decode()
