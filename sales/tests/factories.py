"""Test data built through the same services the API uses."""

from accounts.tests.factories import make_account
from sales.models import Lead, Opportunity
from sales.services import lead_create, opportunity_create


def make_lead(by=None, **fields) -> Lead:
    fields.setdefault("name", "潜在客户A")
    return lead_create(by=by, **fields)


def make_opportunity(by=None, **fields) -> Opportunity:
    if "account" not in fields:
        fields["account"] = make_account(by=by)
    fields.setdefault("name", "产品采购机会")
    return opportunity_create(by=by, **fields)
