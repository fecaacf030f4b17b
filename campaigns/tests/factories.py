"""Test data built through the same service the API uses (numbering and stamping included)."""

from campaigns.models import Campaign, CampaignType
from campaigns.services import campaign_create


def make_campaign(by=None, **fields) -> Campaign:
    fields.setdefault("name", "新产品发布会")
    fields.setdefault("type", CampaignType.EVENT)
    return campaign_create(by=by, **fields)
