"""Every write to a campaign goes through here: API, admin and imports alike."""

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import services
from core.exceptions import BusinessError, ErrorCode


def _check_dates(start_date, end_date) -> None:
    if start_date and end_date and end_date < start_date:
        message = _("The end date cannot be before the start date.")
        raise BusinessError(ErrorCode.BAD_REQUEST, message, data={"endDate": [message]})


@transaction.atomic
def campaign_create(*, by, **fields) -> Campaign:
    campaign = Campaign(**fields)
    _check_dates(campaign.start_date, campaign.end_date)
    return services.insert(campaign, by=by, number_field="campaign_no")


@transaction.atomic
def campaign_update(*, campaign: Campaign, data: dict, by) -> Campaign:
    """Partial update; plan and recorded figures (cost, impressions, clicks, conversions) alike."""
    campaign = services.lock_live(campaign, missing=ErrorCode.NOT_FOUND)
    _check_dates(
        data.get("start_date", campaign.start_date), data.get("end_date", campaign.end_date)
    )
    services.model_update(instance=campaign, data=data, by=by)
    return campaign


def campaign_delete(*, campaign: Campaign, by) -> None:
    """Soft delete: the campaign leaves lists, details and analytics; staff can restore it."""
    services.soft_delete(instance=campaign, by=by, missing=ErrorCode.NOT_FOUND)
