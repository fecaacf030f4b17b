"""import_leads / export_leads: labels, status rules, campaigns, owners, natural keys."""

from functools import partial

import pytest
from django.core.management import call_command

from campaigns.tests.factories import make_campaign
from core.tests.importing import rejected, report_rows, write
from core.tests.importing import run as run_command
from sales.models import Lead, LeadStatus
from sales.services import lead_convert
from sales.tests.factories import make_lead

pytestmark = pytest.mark.django_db

HEADER = "线索名称,公司,联系人,电话,邮箱,来源,状态,评分\n"


run = partial(run_command, "import_leads")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chinese_headers_and_labels_in_every_encoding(tmp_path, encoding):
    path = write(
        tmp_path,
        HEADER + "潜在客户A,科技公司,张三,13800138001,lead@x.com,转介绍,合格,85\n",
        encoding,
    )
    assert "created 1" in run(path)
    lead = Lead.objects.get()
    assert (lead.name, lead.company, lead.source, lead.status, lead.score) == (
        "潜在客户A",
        "科技公司",
        "referral",
        "qualified",
        85,
    )


def test_bad_values_and_the_converted_status_are_reported(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "好线索,,,,,website,new,10\n"
        + "已转化,,,,a@x.com,,converted,\n"
        + "坏分数,,,,b@x.com,,,101\n"
        + "坏来源,,,,c@x.com,广告,,\n"
        + ",,,,d@x.com,,,\n",
    )
    output = run(path)
    assert "created 1" in output and "failed 4" in output
    assert rejected(path) == {
        ("3", "status"),
        ("4", "score"),
        ("5", "source"),
        ("6", "name"),
    }


def test_campaigns_by_number_or_id_and_owners_by_username(tmp_path, make_user):
    seller = make_user("seller")
    campaign = make_campaign()
    path = write(
        tmp_path,
        "线索名称,邮箱,活动编号,活动ID,负责人\n"
        f"按编号,a@x.com,{campaign.campaign_no},,seller\n"
        f"按ID,b@x.com,,{campaign.id},\n"
        "未知编号,c@x.com,CMP999,,\n"
        "未知ID,d@x.com,,00000000-0000-0000-0000-000000000000,\n"
        "未知负责人,e@x.com,,,nobody\n",
    )
    output = run(path, "--user", "seller")
    assert "created 2" in output and "failed 3" in output
    assert rejected(path) == {
        ("4", "campaignNo"),
        ("5", "campaignId"),
        ("6", "owner"),
    }
    assert set(Lead.objects.values_list("name", "campaign", "owner")) == {
        ("按编号", campaign.id, seller.id),
        ("按ID", campaign.id, seller.id),  # no owner given: the importing user
    }


def test_records_imported_without_a_user_have_no_owner(tmp_path):
    run(write(tmp_path, "线索名称\n无主线索\n"))
    lead = Lead.objects.get()
    assert (lead.owner, lead.created_by) == (None, None)


def test_update_matches_email_else_phone_and_keeps_the_status_rules(tmp_path, make_user):
    by_email = make_lead(name="旧", email="a@x.com")
    by_phone = make_lead(name="旧2", phone="13800000002")
    converted = lead_convert(lead=make_lead(name="已转化", email="c@x.com"), by=None).lead
    path = write(
        tmp_path,
        "线索名称,邮箱,电话,状态\n新,a@x.com,,qualified\n新2,,13800000002,\n已转化,c@x.com,,new\n",
    )
    output = run(path, "--update")
    assert "updated 2" in output and "failed 1" in output
    ((line, _field, message),) = report_rows(path)
    assert line == "4" and message
    by_email.refresh_from_db()
    by_phone.refresh_from_db()
    assert (by_email.name, by_email.status, by_phone.name) == ("新", "qualified", "新2")
    assert Lead.objects.get(pk=converted.pk).status == LeadStatus.CONVERTED
    assert Lead.objects.count() == 3
    assert [e.history_type for e in Lead.objects.get(pk=by_email.pk).history.all()] == ["~", "+"]


def test_export_reimports_cleanly_in_csv_and_xlsx(tmp_path, make_user):
    owner = make_user("seller")
    campaign = make_campaign()
    make_lead(name="甲", email="a@x.com", campaign=campaign, owner=owner, score=50)
    make_lead(name="乙", phone="13800000009", source="event")
    for name in ("out.csv", "out.xlsx"):
        target = tmp_path / name
        call_command("export_leads", str(target))
        output = run(target, "--update")
        assert "created 0, updated 0, unchanged 2, skipped 0, failed 0" in output
    assert Lead.objects.count() == 2
