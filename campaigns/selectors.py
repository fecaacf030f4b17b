"""Read paths for campaigns, including the figures behind GET /campaigns/{id}/analytics."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from analytics.selectors import live_opportunities
from campaigns.models import Campaign
from core.decimals import money, percentage, ratio
from core.ownership import visible_to
from sales.models import Lead, OpportunityStage

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


def campaign_with_outcomes(viewer=None) -> QuerySet[Campaign]:
    """Campaigns annotated with what they produced, all in the campaign's own single query.

    Only live leads and opportunities count (their default managers hide soft-deleted rows),
    and of those only the ones ``viewer`` may see, as in every analytics figure (a rep counts
    their own leads and the deals of their accounts; None counts everything).
    """
    count, money = IntegerField(), DecimalField(max_digits=30, decimal_places=2)
    leads, deals = visible_to(Lead.objects.all(), viewer), live_opportunities(viewer)
    return Campaign.objects.annotate(
        leads_generated=Coalesce(_per_campaign(leads, Count("pk"), count), 0),
        opportunities_created=Coalesce(_per_campaign(deals, Count("pk"), count), 0),
        sales_closed=Coalesce(_per_campaign(deals, Count("pk", filter=WON), count), 0),
        revenue_generated=Coalesce(
            _per_campaign(deals, Sum("actual_amount", filter=WON), money),
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
