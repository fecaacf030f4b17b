"""Leads in bulk: the columns of import and export files, and how rows reach the services.

Natural key: the email, else the phone number. A row may name its campaign by number
(活动编号, ``campaignNo``) or id (``campaignId``), and its owner by username (负责人).
"""

import contextlib
import uuid

from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.bulk.spec import BulkSpec, Column, find_by_keys
from sales import services
from sales.models import Lead, LeadSource, LeadStatus
from sales.serializers import LeadInputSerializer

COLUMNS = [
    Column("name", "线索名称", ("名称", "线索")),
    Column("company", "公司", ("公司名称", "单位", "客户名称")),
    Column("contact_person", "联系人", ("联系人姓名",)),
    Column("phone", "电话", ("联系电话", "手机")),
    Column("email", "邮箱", ("电子邮箱", "邮件")),
    Column("source", "来源", ("线索来源",), choices=LeadSource),
    Column("status", "状态", ("线索状态",), choices=LeadStatus),
    Column("score", "评分", ("分数", "线索评分")),
    Column("description", "描述", ("备注", "说明")),
    Column("campaign_no", "活动编号", ("营销活动编号",)),
    Column("campaign_id", "活动ID", ("活动id",)),
    Column("owner", "负责人", ("所有者",)),
]


def resolve_campaigns(rows: list[dict]) -> dict[int, list[tuple[str, str]]]:
    """Give rows that name a campaign by number its id (one query for the batch)."""
    numbers = {
        row["campaign_no"] for row in rows if "campaign_no" in row and "campaign_id" not in row
    }
    found = (
        dict(Campaign.objects.filter(campaign_no__in=numbers).values_list("campaign_no", "id"))
        if numbers
        else {}
    )
    rejected = {}
    for index, row in enumerate(rows):
        if "campaign_id" in row:
            # One spelling of the id, so natural keys compare equal; the serializer reports
            # a malformed one.
            with contextlib.suppress(ValueError):
                row["campaign_id"] = str(uuid.UUID(str(row["campaign_id"])))
        elif "campaign_no" in row:
            if row["campaign_no"] in found:
                row["campaign_id"] = str(found[row["campaign_no"]])
            else:
                rejected[index] = [("campaignNo", _("Campaign does not exist."))]
    return rejected


def _export_row(lead: Lead) -> dict:
    row = {column.field: getattr(lead, column.field, None) for column in COLUMNS}
    row.update(
        campaign_no=lead.campaign.campaign_no if lead.campaign else None,
        campaign_id=str(lead.campaign_id) if lead.campaign_id else None,
        owner=lead.owner.username if lead.owner else None,
    )
    return row


SPEC = BulkSpec(
    name="leads",
    columns=COLUMNS,
    serializer=LeadInputSerializer,
    key_fields=[("email",), ("phone",)],
    key_only=("campaign_no",),
    required=("name",),
    prepare=resolve_campaigns,
    find_existing=lambda wanted: find_by_keys(Lead.objects.all(), wanted),
    create_batch=services.lead_bulk_create,
    update_batch=services.lead_bulk_update,
    export_queryset=lambda: Lead.objects.select_related("campaign", "owner").order_by(
        "created_at", "id"
    ),
    export_row=_export_row,
)
