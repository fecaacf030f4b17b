"""Read paths for leads and opportunities: each returns a queryset with its joins decided here."""

from django.db.models import QuerySet

from sales.models import Lead, Opportunity


def lead_list() -> QuerySet[Lead]:
    return Lead.objects.select_related("owner", "created_by", "updated_by")


def opportunity_list() -> QuerySet[Opportunity]:
    # accountName is on every row: one join, not one query per row.
    return Opportunity.objects.select_related("account", "owner", "created_by", "updated_by")
