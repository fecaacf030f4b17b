"""Readable history (issue 18) for every resource, in the API's ``/history`` and on the admin's
history pages: codes stay in ``from``/``to``, ``fromLabel``/``toLabel`` say what staff read
(choice labels, related records by number and name, users by username, money in yuan), and a
status change or a conversion carries its reason."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import account_change_status, account_update
from accounts.tests.factories import make_account
from activities.services import activity_update
from activities.tests.factories import make_activity
from campaigns.services import campaign_update
from campaigns.tests.factories import make_campaign
from cases.services import case_update
from cases.tests.factories import make_case
from contacts.services import contact_update
from contacts.tests.factories import make_contact
from sales.services import lead_convert, lead_update, opportunity_update
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"


def latest_changes(client, path: str) -> tuple[dict, dict]:
    """The newest entry of a record's history, and its changes by field."""
    response = client.get(f"{CRM}/{path}/history")
    assert response.status_code == 200, response.json()
    entry = response.json()["data"]["list"][0]
    return entry, {change["field"]: change for change in entry["changes"]}


def labels(change: dict) -> tuple:
    return change["from"], change["to"], change["fromLabel"], change["toLabel"]


@pytest.fixture
def boss(make_user):
    return make_user("boss", superuser=True)


def test_account_history_reads_labels_usernames_money_and_the_status_reason(
    admin_client, admin_user, boss
):
    account = make_account(by=admin_user, name="甲公司")
    account_update(
        account=account,
        data={"type": "government", "owner": boss, "credit_limit": 1234567.89},
        by=admin_user,
    )
    entry, changes = latest_changes(admin_client, f"accounts/{account.pk}")
    assert labels(changes["type"]) == ("corporate", "government", "企业", "政府")
    assert labels(changes["owner"]) == (admin_user.pk, boss.pk, "admin", "boss")
    assert changes["creditLimit"]["toLabel"] == "¥1,234,567.89"
    assert entry["reason"] is None

    account_change_status(account=account, status="inactive", reason="客户停业", by=admin_user)
    entry, changes = latest_changes(admin_client, f"accounts/{account.pk}")
    assert labels(changes["status"]) == ("active", "inactive", "活跃", "停用")
    assert entry["reason"] == "客户停业"


def test_contact_history_names_its_accounts_by_number_and_name(admin_client, admin_user):
    first = make_account(by=admin_user, name="甲公司")
    second = make_account(by=admin_user, name="乙公司")
    contact = make_contact(account=first, by=admin_user)
    contact_update(contact=contact, data={"account": second}, by=admin_user)
    _entry, changes = latest_changes(admin_client, f"contacts/{contact.pk}")
    assert labels(changes["account"]) == (
        str(first.pk),
        str(second.pk),
        f"{first.account_no} 甲公司",
        f"{second.account_no} 乙公司",
    )


def test_activity_history_reads_type_and_status_labels_and_the_contact(admin_client, admin_user):
    account = make_account(by=admin_user)
    contact = make_contact(account=account, by=admin_user, name="王经理")
    activity = make_activity(account=account, by=admin_user, type="call")
    activity_update(
        activity=activity,
        data={"type": "meeting", "status": "completed", "contact": contact},
        by=admin_user,
    )
    _entry, changes = latest_changes(admin_client, f"activities/{activity.pk}")
    assert labels(changes["type"]) == ("call", "meeting", "电话", "会议")
    assert labels(changes["status"]) == ("planned", "completed", "计划中", "已完成")
    assert changes["contact"]["toLabel"] == "王经理"


def test_case_history_reads_status_and_priority_labels(admin_client, admin_user):
    case = make_case(by=admin_user, priority="medium")
    case_update(case=case, data={"status": "in_progress", "priority": "urgent"}, by=admin_user)
    _entry, changes = latest_changes(admin_client, f"cases/{case.pk}")
    assert labels(changes["status"]) == ("new", "in_progress", "新建", "处理中")
    assert labels(changes["priority"]) == ("medium", "urgent", "中", "紧急")


def test_lead_history_reads_labels_and_a_conversion_says_what_it_made(admin_client, admin_user):
    lead = make_lead(by=admin_user, company="丙公司", source="website")
    lead_update(lead=lead, data={"status": "qualified", "source": "referral"}, by=admin_user)
    _entry, changes = latest_changes(admin_client, f"leads/{lead.pk}")
    assert labels(changes["status"]) == ("new", "qualified", "新建", "合格")
    assert labels(changes["source"]) == ("website", "referral", "网站", "转介绍")

    made = lead_convert(lead=lead, by=admin_user, opportunity_name="丙公司年度采购")
    entry, changes = latest_changes(admin_client, f"leads/{lead.pk}")
    account_label = f"{made.account.account_no} 丙公司"
    assert labels(changes["status"])[2:] == ("合格", "已转换")
    assert changes["convertedAccount"]["toLabel"] == account_label
    assert changes["convertedOpportunity"]["toLabel"] == (
        f"{made.opportunity.opportunity_no} 丙公司年度采购"
    )
    assert entry["reason"].startswith("线索已转换")
    assert account_label in entry["reason"]


def test_opportunity_history_reads_stage_labels_and_amounts(admin_client, admin_user):
    opportunity = make_opportunity(by=admin_user, estimated_amount=1000)
    opportunity_update(
        opportunity=opportunity,
        data={"stage": "negotiation", "estimated_amount": 2500000},
        by=admin_user,
    )
    _entry, changes = latest_changes(admin_client, f"opportunities/{opportunity.pk}")
    assert labels(changes["stage"]) == ("prospecting", "negotiation", "初步接洽", "商务谈判")
    assert changes["estimatedAmount"]["fromLabel"] == "¥1,000.00"
    assert changes["estimatedAmount"]["toLabel"] == "¥2,500,000.00"


def test_campaign_history_reads_status_and_type_labels(admin_client, admin_user):
    campaign = make_campaign(by=admin_user, type="email")
    campaign_update(campaign=campaign, data={"status": "active", "type": "event"}, by=admin_user)
    _entry, changes = latest_changes(admin_client, f"campaigns/{campaign.pk}")
    assert labels(changes["status"]) == ("planning", "active", "筹备中", "活跃")
    assert labels(changes["type"]) == ("email", "event", "电子邮件", "会展活动")


def test_labels_follow_the_language_of_the_request(admin_client, admin_user):
    account = make_account(by=admin_user)
    account_change_status(account=account, status="inactive", by=admin_user)
    response = admin_client.get(f"{CRM}/accounts/{account.pk}/history", HTTP_ACCEPT_LANGUAGE="en")
    change = response.json()["data"]["list"][0]["changes"][0]
    assert labels(change) == ("active", "inactive", "Active", "Inactive")


def test_the_admin_history_page_reads_in_chinese_to_the_second_in_local_time(admin_user):
    account = make_account(by=admin_user, name="甲公司")
    account_change_status(account=account, status="inactive", reason="客户停业", by=admin_user)
    client = Client()
    client.force_login(admin_user)

    page = client.get(reverse("admin:accounts_account_history", args=[account.pk]))

    html = page.content.decode()
    for header in ("时间", "操作", "操作人", "修改内容", "修改原因"):
        assert f">{header}</th>" in html
    assert ">Changes<" not in html
    assert "活跃 → 停用" in html and "客户停业" in html
    assert "inactive" not in html and ">None<" not in html
    changed = account.history.order_by("-history_id").first().history_date
    from django.utils import timezone

    local = timezone.localtime(changed).strftime("%Y-%m-%d %H:%M:%S")  # Asia/Shanghai
    assert local in html
    assert re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", html) is None  # no microseconds
