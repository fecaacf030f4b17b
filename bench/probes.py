"""What is measured: the requests of the issue's list (lists, details, analytics), as probes
with their targets."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

# A demo owner: a sales rep who may read everything but sees only their own records.
REP = "demo_sales_1"


@dataclass
class Probe:
    """One request of the issue's list."""

    key: str
    label: str
    path: str
    params: dict
    kind: str  # list, detail, analytics
    p95_target_ms: float | None = None
    user: str = "bench_admin"  # or "demo_sales_1": a sales rep who sees only their records

    def url(self, **extra) -> str:
        params = {**self.params, **extra}
        return self.path + (f"?{urlencode(params)}" if params else "")


def probes(samples: dict) -> list[Probe]:
    crm = "/api/v1/crm"
    today = datetime.date.fromisoformat(samples["today"])
    month_ago = today - datetime.timedelta(days=30)
    lists = [
        Probe("accounts", "account list, default order", f"{crm}/accounts", {}, "list", 100),
        Probe(
            "accounts_name",
            f"account list, name substring `{samples['name_term']}`",
            f"{crm}/accounts",
            {"name": samples["name_term"]},
            "list",
            50,
        ),
        Probe(
            "accounts_name_short",
            f"account list, 2-character name substring `{samples['short_term']}`",
            f"{crm}/accounts",
            {"name": samples["short_term"]},
            "list",
        ),
        Probe(
            "accounts_status_industry",
            "account list, status + industry",
            f"{crm}/accounts",
            {"status": "active", "industry": "制造业"},
            "list",
        ),
        Probe(
            "account_detail",
            "account detail (with contacts)",
            f"{crm}/accounts/{samples['account_id']}",
            {},
            "detail",
        ),
        Probe(
            "contacts_by_account",
            "contact list by account",
            f"{crm}/contacts",
            {"accountId": samples["account_id"]},
            "list",
        ),
        Probe(
            "activities_by_date",
            "activity list by date range (30 days)",
            f"{crm}/activities",
            {"startDate": month_ago.isoformat(), "endDate": today.isoformat()},
            "list",
        ),
        Probe(
            "cases_by_status",
            "case list by status",
            f"{crm}/cases",
            {"status": "in_progress"},
            "list",
        ),
        Probe(
            "accounts_rep",
            "account list as a sales rep (own accounts only)",
            f"{crm}/accounts",
            {},
            "list",
            user=REP,
        ),
        Probe(
            "opportunities_by_amount",
            "opportunity list by amount range",
            f"{crm}/opportunities",
            {"estimatedAmountMin": "100000", "estimatedAmountMax": "200000"},
            "list",
        ),
    ]
    analytics = [
        Probe("overview", "analytics overview (all time)", f"{crm}/analytics/overview", {}, ""),
        Probe(
            "overview_month",
            "analytics overview (this month)",
            f"{crm}/analytics/overview",
            {"period": "month"},
            "",
        ),
        *[
            Probe(
                f"trends_{metric}",
                f"analytics trends, {metric} by month",
                f"{crm}/analytics/trends",
                {"metric": metric},
                "",
            )
            for metric in ("customers", "opportunities", "revenue", "activities")
        ],
        *[
            Probe(
                f"segmentation_{by}",
                f"analytics segmentation by {by}",
                f"{crm}/analytics/segmentation",
                {"segmentBy": by},
                "",
            )
            for by in ("industry", "region", "size", "loyalty")
        ],
        Probe("loyalty", "analytics loyalty", f"{crm}/analytics/loyalty", {}, ""),
        Probe(
            "overview_rep",
            "analytics overview (all time) as a sales rep",
            f"{crm}/analytics/overview",
            {},
            "",
            user=REP,
        ),
        Probe(
            "campaign_analytics",
            "campaign analytics",
            f"{crm}/campaigns/{samples['campaign_id']}/analytics",
            {},
            "",
        ),
    ]
    for probe in analytics:
        probe.kind = "analytics"
        probe.p95_target_ms = 300
    return lists + analytics
