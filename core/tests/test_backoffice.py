"""The back office as a whole: every model's pages, the audit trail, inline adds through the
services, owners by autocomplete, and the same ownership scope as the API."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import Account, AccountStatusChange
from accounts.tests.factories import NO_INLINE_ROWS, make_account
from activities.tests.factories import make_activity
from campaigns.tests.factories import make_campaign
from cases.tests.factories import make_case
from contacts.models import Contact
from contacts.tests.factories import make_contact
from core.admin import SoftDeleteAdmin
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db


def _one_of_each(by):
    account = make_account(by=by, name="北京科技")
    return [
        account,
        make_contact(account=account, by=by),
        make_activity(account=account, by=by),
        make_case(account=account, by=by),
        make_lead(by=by),
        make_opportunity(account=account, by=by),
        make_campaign(by=by),
    ]


def _url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def test_every_crm_model_has_list_add_change_and_history_pages(staff, admin_user):
    records = _one_of_each(admin_user)
    for obj in records:
        assert isinstance(admin.site.get_model_admin(type(obj)), SoftDeleteAdmin)
        for url in (
            _url(obj, "changelist"),
            _url(obj, "add"),
            _url(obj, "change", obj.pk),
            _url(obj, "history", obj.pk),
        ):
            response = staff.get(url)
            assert response.status_code == 200, url


def test_the_admin_speaks_chinese_by_default_and_english_on_request(staff):
    assert "客户" in staff.get("/admin/").content.decode()
    english = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accounts" in english


def test_history_lists_each_change_with_its_author_and_cannot_revert(staff, admin_user):
    account = make_account(name="旧名")
    staff.post(
        _url(account, "change", account.pk),
        {
            "name": "新名",
            "type": "corporate",
            "status": "active",
            "credit_limit": "0",
            **{
                f"{p}-{k}": "0"
                for p in ("contacts", "activities", "status_changes", "credit_assessments")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    entries = list(account.history.all())
    assert [(e.history_type, e.name) for e in entries] == [("~", "新名"), ("+", "旧名")]
    assert entries[0].history_user == admin_user

    page = staff.get(_url(account, "history", account.pk)).content.decode()
    assert "新名" in page and "admin" in page
    version = reverse(
        "admin:accounts_account_simple_history", args=(account.pk, entries[1].history_id)
    )
    assert staff.get(version).status_code == 200  # an old version can be read
    assert staff.post(version, {"name": "旧名"}).status_code == 403  # but not written back
    account.refresh_from_db()
    assert account.name == "新名"


def _account_form(account, **extra):
    data = {
        "name": account.name,
        "type": account.type,
        "status": account.status,
        "credit_limit": str(account.credit_limit),
        **NO_INLINE_ROWS,
    }
    data.update(extra)
    return data


def test_a_contact_added_inline_goes_through_the_contact_service(staff, admin_user):
    account = make_account()
    existing = make_contact(account=account, name="老联系人")
    response = staff.post(
        _url(account, "change", account.pk),
        _account_form(
            account,
            **{
                "contacts-TOTAL_FORMS": "2",
                "contacts-INITIAL_FORMS": "1",
                "contacts-0-id": str(existing.pk),
                "contacts-0-account": str(account.pk),
                "contacts-0-name": "改不了",  # existing rows are read-only here
                "contacts-1-account": str(account.pk),
                "contacts-1-name": "新联系人",
                "contacts-1-mobile": "13900139001",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Contact.objects.get(name="新联系人")
    assert (added.account, added.mobile, added.created_by) == (account, "13900139001", admin_user)
    assert [e.history_type for e in added.history.all()] == ["+"]
    existing.refresh_from_db()
    assert existing.name == "老联系人"


def test_a_credit_assessment_added_inline_sets_the_credit_limit(staff):
    account = make_account(credit_limit=0)
    response = staff.post(
        _url(account, "change", account.pk),
        _account_form(
            account,
            **{
                "credit_assessments-TOTAL_FORMS": "1",
                "credit_assessments-0-account": str(account.pk),
                "credit_assessments-0-assessment_date": "2025-01-02",
                "credit_assessments-0-assessor": "王经理",
                "credit_assessments-0-credit_score": "88",
                "credit_assessments-0-credit_limit": "50000",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    account.refresh_from_db()
    assert account.credit_limit == 50000
    assert account.credit_assessments.get().credit_score == 88


def test_the_status_action_records_the_reason(staff, admin_user):
    account = make_account()
    changelist = _url(account, "changelist")
    form = staff.post(
        changelist, {"action": "change_status_selected", "_selected_action": [account.pk]}
    )
    assert form.status_code == 200 and "reason" in form.content.decode()
    staff.post(
        changelist,
        {
            "action": "change_status_selected",
            "_selected_action": [account.pk],
            "apply": "1",
            "status": "inactive",
            "reason": "长期未合作",
        },
    )
    change = AccountStatusChange.objects.get(account=account)
    assert (change.to_status, change.reason, change.changed_by) == (
        "inactive",
        "长期未合作",
        admin_user,
    )


def test_related_record_links_open_the_account_s_filtered_lists(staff, admin_user):
    account = make_account(by=admin_user)
    other = make_account(by=admin_user, name="别家")
    make_contact(account=account, name="本家联系人")
    make_contact(account=other, name="别家联系人")
    page = staff.get(_url(account, "change", account.pk)).content.decode()
    link = f"{reverse('admin:contacts_contact_changelist')}?account__id__exact={account.pk}"
    assert link in page
    response = staff.get(link)
    assert [c.name for c in response.context["cl"].result_list] == ["本家联系人"]


def test_owners_are_shown_filtered_and_picked_by_autocomplete(staff, make_user):
    seller = make_user("seller_wang")
    account = make_account(by=seller)
    assert account.owner == seller
    listing = staff.get(_url(account, "changelist"), {"owner__id__exact": seller.pk})
    assert list(listing.context["cl"].result_list) == [account]
    assert "seller_wang" in listing.content.decode()

    found = staff.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "account", "field_name": "owner", "term": "wang"},
    )
    assert found.status_code == 200
    assert [r["text"] for r in json.loads(found.content)["results"]] == ["seller_wang"]


@pytest.mark.parametrize(
    ("model_name", "field_name", "target"),
    [
        ("contact", "account", "北京科技"),
        ("opportunity", "account", "北京科技"),
        ("lead", "campaign", "新产品发布会"),
        ("case", "owner", "admin"),
    ],
)
def test_foreign_keys_are_picked_by_autocomplete(staff, admin_user, model_name, field_name, target):
    _one_of_each(admin_user)
    app = {"contact": "contacts", "opportunity": "sales", "lead": "sales", "case": "cases"}
    found = staff.get(
        "/admin/autocomplete/",
        {
            "app_label": app[model_name],
            "model_name": model_name,
            "field_name": field_name,
            "term": target[:2],
        },
    )
    assert found.status_code == 200
    assert any(target in r["text"] for r in json.loads(found.content)["results"])


def test_staff_without_view_all_see_only_their_own_records(make_user):
    perms = ("view_account", "change_account")
    rep = make_user("rep")
    rep.is_staff = True
    rep.save()
    rep.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=perms)
    )
    mine = make_account(by=rep, name="我的客户")
    theirs = make_account(name="别人的客户")
    client = Client()
    client.force_login(rep)
    listing = client.get(_url(mine, "changelist"))
    assert [a.name for a in listing.context["cl"].result_list] == ["我的客户"]
    assert client.get(_url(theirs, "change", theirs.pk)).status_code == 302  # "not found"
    assert client.get(_url(theirs, "history", theirs.pk)).status_code == 404
    assert client.get(_url(mine, "history", mine.pk)).status_code == 200


def test_the_lead_conversion_form_searches_accounts_instead_of_listing_them(staff):
    lead = make_lead()
    page = staff.post(
        reverse("admin:sales_lead_changelist"),
        {"action": "convert_selected", "_selected_action": [lead.pk]},
    ).content.decode()
    assert "admin-autocomplete" in page
    assert Account.objects.count() == 0


def _staff_with(make_user, username, *perms):
    user = make_user(username, perms=perms)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return user, client


def test_staff_without_view_all_cannot_change_delete_or_pick_others_records(make_user):
    perms = ("view_account", "change_account", "delete_account", "view_contact", "add_contact")
    user, rep = _staff_with(
        make_user, "rep", *(f"{'contacts' if 'contact' in p else 'accounts'}.{p}" for p in perms)
    )
    theirs = make_account(name="别人的客户")
    mine = make_account(by=user, name="我的客户")
    make_contact(account=theirs, name="别人的联系人")

    # A crafted POST to someone else's account changes nothing; nor does a bulk action.
    rep.post(_url(theirs, "change", theirs.pk), _account_form(theirs, name="改掉"))
    rep.post(
        _url(theirs, "changelist"),
        {"action": "soft_delete_selected", "_selected_action": [theirs.pk]},
    )
    theirs.refresh_from_db()
    assert (theirs.name, theirs.deleted_at) == ("别人的客户", None)

    # Contacts under another's account are not listed, and that account cannot be picked.
    listing = rep.get(reverse("admin:contacts_contact_changelist"))
    assert list(listing.context["cl"].result_list) == []
    add = reverse("admin:contacts_contact_add")
    refused = rep.post(add, {"account": theirs.pk, "name": "偷偷加的"})
    assert refused.status_code == 200
    assert "account" in refused.context["adminform"].form.errors
    assert rep.post(add, {"account": mine.pk, "name": "我加的"}).status_code == 302
    assert Contact.objects.get(name="我加的").account == mine


def test_managers_with_view_all_see_and_change_every_record(make_user):
    perms = ("accounts.view_account", "accounts.change_account", "accounts.view_all_account")
    _user, manager = _staff_with(make_user, "mgr", *perms)
    theirs = make_account(name="别人的客户")
    listing = manager.get(_url(theirs, "changelist"))
    assert [a.name for a in listing.context["cl"].result_list] == ["别人的客户"]
    response = manager.post(
        _url(theirs, "change", theirs.pk), _account_form(theirs, name="经理改的")
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.name == "经理改的"
