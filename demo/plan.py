"""How much demo data a size means: rows per account, campaigns per thousand accounts."""

from dataclasses import dataclass

SPAN_DAYS = 730
CHUNK_ACCOUNTS = 5000

# Rows per account, as exact fractions (numerator, denominator): totals are exact for any N.
PER_ACCOUNT = {
    "contacts": (2, 1),
    "activities": (5, 1),
    "cases": (3, 10),
    "leads": (1, 2),
    "opportunities": (1, 2),
}
ACCOUNTS_PER_CAMPAIGN = 1000
MIN_CAMPAIGNS = 3


@dataclass(frozen=True)
class DemoPlan:
    accounts: int
    contacts: int
    activities: int
    cases: int
    leads: int
    opportunities: int
    campaigns: int

    @classmethod
    def for_accounts(cls, accounts: int) -> "DemoPlan":
        counts = {name: accounts * num // den for name, (num, den) in PER_ACCOUNT.items()}
        campaigns = max(MIN_CAMPAIGNS, accounts // ACCOUNTS_PER_CAMPAIGN) if accounts else 0
        return cls(accounts=accounts, campaigns=campaigns, **counts)

    def total(self) -> int:
        return sum(vars(self).values())
