"""Read paths for campaigns, including the figures behind GET /campaigns/{id}/analytics."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from campaigns.models import Campaign
from core.decimals import money, percentage, ratio
from sales.models import Lead, Opportunity, OpportunityStage

WON = Q(stage=OpportunityStage.CLOSED_WON)


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("created_by", "updated_by")


def _per_campaign(queryset, aggregate, output_field):
    """A correlated subquery: ``aggregate`` over the live rows of ``queryset`` for the campaign."""
    rows = (
        queryset.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(rows, output_field=output_field)


def campaign_with_outcomes() -> QuerySet[Campaign]:
    """Campaigns annotated with what they produced, all in the campaign's own single query.

    Only live leads and opportunities count (their default managers hide soft-deleted rows).
    """
    count, money = IntegerField(), DecimalField(max_digits=30, decimal_places=2)
    return Campaign.objects.annotate(
        leads_generated=Coalesce(_per_campaign(Lead.objects, Count("pk"), count), 0),
        opportunities_created=Coalesce(_per_campaign(Opportunity.objects, Count("pk"), count), 0),
        sales_closed=Coalesce(
            _per_campaign(Opportunity.objects, Count("pk", filter=WON), count), 0
        ),
        revenue_generated=Coalesce(
            _per_campaign(Opportunity.objects, Sum("actual_amount", filter=WON), money),
            Decimal(0),
            output_field=money,
        ),
    )


def campaign_analytics(campaign: Campaign) -> dict:
    """The seed §9.3 answer for a campaign fetched through :func:`campaign_with_outcomes`.

    Counts and sums come from the database; the ratios are exact Decimal arithmetic on them,
    so rounding is the same on every database.
    """
    revenue = money(campaign.revenue_generated)
    cost = campaign.actual_cost
    return {
        "campaign_id": campaign.pk,
        "campaign_name": campaign.name,
        "metrics": {
            "impressions": campaign.impressions,
            "clicks": campaign.clicks,
            "conversions": campaign.conversions,
            "conversion_rate": percentage(campaign.conversions, campaign.clicks),
            "cost_per_click": ratio(cost, campaign.clicks),
            "return_on_investment": percentage(revenue - cost, cost),
            "revenue_generated": revenue,
        },
        "leads_generated": campaign.leads_generated,
        "opportunities_created": campaign.opportunities_created,
        "sales_closed": campaign.sales_closed,
    }
