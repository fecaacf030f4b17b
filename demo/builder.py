"""Demo rows, built as plain dicts of attnames: accounts and, per account, their contacts,
activities, cases, opportunities and leads; and the campaigns. All randomness comes from one
``random.Random`` per chunk, seeded from the run's seed, so a chunk is the same whatever the
others hold."""

import datetime
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from accounts.models import Account
from activities.models import Activity
from cases.models import Case
from contacts.models import Contact
from demo.plan import PER_ACCOUNT, SPAN_DAYS
from demo.vocabulary import (
    ACCOUNT_STATUS,
    ACCOUNT_TYPES,
    ACTIVITY_PRIORITY,
    ACTIVITY_SUBJECTS,
    ACTIVITY_TYPES,
    BRAND,
    CAMPAIGN_THEMES,
    CAMPAIGN_TYPES,
    CASE_PRIORITY,
    CASE_STATUS,
    CASE_SUBJECTS,
    CASE_TYPES,
    CITIES,
    COMPANY_SUFFIX,
    GIVEN,
    INDUSTRIES,
    INDUSTRY_PICK,
    LEAD_SOURCES,
    LEAD_STATUS,
    LOYALTY,
    POSITIONS,
    PRODUCTS,
    SIZES,
    STAGES,
    STREETS,
    SURNAMES,
)
from sales.models import DEFAULT_PROBABILITY, Lead, Opportunity


def _money(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


@dataclass
class _Chunk:
    """Rows of one chunk, per model, as dicts of attnames."""

    rows: dict[type[models.Model], list[dict]] = field(default_factory=dict)

    def add(self, model, row: dict) -> None:
        self.rows.setdefault(model, []).append(row)


class DemoBuilder:
    """Builds the rows; all randomness comes from one ``random.Random`` per chunk."""

    def __init__(self, *, seed: int, end: datetime.datetime, owner_ids: list[int]):
        self.seed = seed
        self.end = end
        self.start = end - datetime.timedelta(days=SPAN_DAYS)
        self.span = (end - self.start).total_seconds()
        self.owner_ids = owner_ids or [None]
        self.campaign_ids: list[uuid.UUID] = []

    def rng_for(self, label: str) -> random.Random:
        return random.Random(f"{self.seed}:{label}")  # noqa: S311 (demo data, not secrets)

    @staticmethod
    def new_id(rng: random.Random) -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def _after(self, rng: random.Random, moment: datetime.datetime, share: float = 1.0):
        """A moment between ``moment`` and the end (only the first ``share`` of that time)."""
        room = (self.end - moment).total_seconds() * share
        return moment + datetime.timedelta(seconds=rng.random() * room)

    def _stamps(self, rng, created_at, owner_id) -> dict:
        updated_at = created_at if rng.random() < 0.6 else self._after(rng, created_at, 0.3)
        return {
            "created_at": created_at,
            "updated_at": updated_at,
            "created_by_id": owner_id,
            "updated_by_id": owner_id,
        }

    def person(self, rng) -> tuple[str, str]:
        surname, pinyin = rng.choice(SURNAMES)
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return surname + given, pinyin

    # campaigns ----------------------------------------------------------------------------

    def campaigns(self, count: int, numbers: list[str]) -> list[dict]:
        rng = self.rng_for("campaigns")
        rows = []
        for index, number in enumerate(numbers):
            created_at = self.start + datetime.timedelta(seconds=self.span * (index + 0.5) / count)
            start_date = (created_at + datetime.timedelta(days=rng.randrange(3, 30))).date()
            end_date = start_date + datetime.timedelta(days=rng.randrange(7, 90))
            today = self.end.date()
            status = (
                "completed"
                if end_date < today
                else ("active" if start_date <= today else "planning")
            )
            if rng.random() < 0.05:
                status = "cancelled"
            budget = _money(rng, 20_000, 2_000_000, 1000)
            spent = status in ("active", "completed")
            impressions = rng.randrange(10_000, 2_000_000) if spent else 0
            clicks = impressions * rng.randrange(5, 60) // 1000
            campaign_type = rng.choice(CAMPAIGN_TYPES)
            theme = rng.choice(CAMPAIGN_THEMES)
            row = {
                "id": self.new_id(rng),
                "campaign_no": number,
                "name": f"{start_date.year}年{theme}（{start_date.month}月）",
                "type": campaign_type,
                "status": status,
                "description": f"{theme}活动，面向重点行业客户。",
                "start_date": start_date,
                "end_date": end_date,
                "budget": budget,
                "actual_cost": (budget * rng.randrange(40, 110) // 100) if spent else Decimal(0),
                "target_audience": rng.choice(INDUSTRIES)[0] + "客户",
                "impressions": impressions,
                "clicks": clicks,
                "conversions": clicks * rng.randrange(2, 15) // 100,
                "deleted_at": None,
                "deleted_by_id": None,
                **self._stamps(rng, created_at, rng.choice(self.owner_ids)),
            }
            rows.append(row)
        self.campaign_ids = [row["id"] for row in rows]
        return rows

    # one chunk of accounts and what belongs to them ----------------------------------------

    def chunk(self, *, first: int, count: int, total: int, numbers: dict[str, list[str]]):
        """Accounts ``first .. first+count-1`` of ``total`` and their related rows."""
        rng = self.rng_for(f"chunk:{first}")
        out = _Chunk()
        quotas = {
            name: [
                (index + 1) * num // den - index * num // den
                for index in range(first, first + count)
            ]
            for name, (num, den) in PER_ACCOUNT.items()
        }
        case_numbers = iter(numbers["cases"])
        opportunity_numbers = iter(numbers["opportunities"])
        for offset, account_no in enumerate(numbers["accounts"]):
            index = first + offset
            # Accounts are created in number order, evenly over the span (as a real CRM grows).
            created_at = self.start + datetime.timedelta(
                seconds=self.span * (index + rng.random()) / total
            )
            account = self.account(rng, account_no, created_at)
            out.add(Account, account)
            contacts = [self.contact(rng, account) for _ in range(quotas["contacts"][offset])]
            for contact in contacts:
                out.add(Contact, contact)
            for _ in range(quotas["activities"][offset]):
                out.add(Activity, self.activity(rng, account, contacts))
            for _ in range(quotas["cases"][offset]):
                out.add(Case, self.case(rng, account, contacts, next(case_numbers)))
            for _ in range(quotas["opportunities"][offset]):
                out.add(Opportunity, self.opportunity(rng, account, next(opportunity_numbers)))
            for _ in range(quotas["leads"][offset]):
                out.add(Lead, self.lead(rng, account))
        return out

    def account(self, rng, account_no: str, created_at) -> dict:
        region, (city, area_code, district) = rng.choice(CITIES)
        (
            industry,
            industry_word,
            industry_code,
        ) = rng.choice(INDUSTRY_PICK)
        (b1, p1), (b2, p2) = rng.choice(BRAND), rng.choice(BRAND)
        account_type = rng.choice(ACCOUNT_TYPES)
        contact_person, pinyin = self.person(rng)
        domain = f"{p1}{p2}-{industry_code}.example.com"
        if account_type == "individual":
            name = f"{contact_person}（个人）"
        elif account_type == "government":
            name = f"{city}市{rng.choice(['政务服务中心', '人民医院', '第一中学', '交通运输局'])}"
        else:
            name = f"{city}{b1}{b2}{industry_word}{rng.choice(COMPANY_SUFFIX)}"
        serial = int(account_no[3:])
        owner_id = rng.choice(self.owner_ids)
        return {
            "id": self.new_id(rng),
            "account_no": account_no,
            "name": name,
            "type": account_type,
            "industry": industry,
            "region": region,
            "address": f"{city}市{district}{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
            "contact_person": contact_person,
            "phone": f"{area_code}-{rng.randrange(2000_0000, 8999_9999)}",
            "email": f"{pinyin}@{domain}",
            "website": f"www.{domain}",
            "tax_no": f"91{area_code[-3:]:0>3}{serial:012d}X" if account_type != "individual"
            else None,
            "credit_limit": _money(rng, 0, 5_000_000, 10_000),
            "credit_used": Decimal(0),
            "loyalty_level": rng.choice(LOYALTY),
            "size": rng.choice(SIZES) if account_type != "individual" else "small",
            "remarks": None,
            "status": rng.choice(ACCOUNT_STATUS),
            "owner_id": owner_id,
            "deleted_at": None,
            "deleted_by_id": None,
            # private: used by the related rows, not stored
            "_city": city,
            "_domain": domain,
            **self._stamps(rng, created_at, owner_id),
        }  # fmt: skip

    def contact(self, rng, account) -> dict:
        name, pinyin = self.person(rng)
        created_at = self._after(rng, account["created_at"], 0.1)
        birthday = (
            datetime.date(rng.randrange(1965, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
            if rng.random() < 0.3
            else None
        )
        return {
            "id": self.new_id(rng),
            "account_id": account["id"],
            "name": name,
            "position": rng.choice(POSITIONS),
            "phone": account["phone"],
            "email": f"{pinyin}.{rng.randrange(10, 99)}@{account['_domain']}",
            "mobile": f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}",
            "fax": None,
            "address": None,
            "birthday": birthday,
            "preferences": None,
            "deleted_at": None,
            "deleted_by_id": None,
            **self._stamps(rng, created_at, account["owner_id"]),
        }

    def activity(self, rng, account, contacts) -> dict:
        activity_type = rng.choice(ACTIVITY_TYPES)
        created_at = self._after(rng, account["created_at"])
        start = created_at + datetime.timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        finished = start < self.end
        status = "cancelled" if rng.random() < 0.08 else ("completed" if finished else "planned")
        product = rng.choice(PRODUCTS)
        return {
            "id": self.new_id(rng),
            "account_id": account["id"],
            "contact_id": rng.choice(contacts)["id"] if contacts and rng.random() < 0.8 else None,
            "type": activity_type,
            "subject": rng.choice(ACTIVITY_SUBJECTS[activity_type]).format(p=product),
            "description": None,
            "location": account["_city"] if activity_type == "meeting" else None,
            "status": status,
            "priority": rng.choice(ACTIVITY_PRIORITY),
            "start_time": start,
            "end_time": start + datetime.timedelta(minutes=rng.randrange(10, 180)),
            "outcome": "客户有意向，待跟进"
            if status == "completed" and rng.random() < 0.5
            else None,
            "deleted_at": None,
            "deleted_by_id": None,
            **self._stamps(rng, created_at, account["owner_id"]),
        }

    def case(self, rng, account, contacts, case_no: str) -> dict:
        case_type = rng.choice(CASE_TYPES)
        created_at = self._after(rng, account["created_at"])
        status = rng.choice(CASE_STATUS)
        response = resolution = closed = None
        if status != "new":
            response = self._after(rng, created_at, 0.01)
        if status in ("resolved", "closed"):
            resolution = self._after(rng, response, 0.05)
        if status == "closed":
            closed = self._after(rng, resolution, 0.05)
        return {
            "id": self.new_id(rng),
            "case_no": case_no,
            "account_id": account["id"],
            "contact_id": rng.choice(contacts)["id"] if contacts else None,
            "subject": CASE_SUBJECTS[case_type].format(p=rng.choice(PRODUCTS)),
            "description": None,
            "type": case_type,
            "priority": rng.choice(CASE_PRIORITY),
            "status": status,
            "resolution": "已远程协助解决" if resolution else None,
            "satisfaction": rng.randrange(1, 6) if closed and rng.random() < 0.8 else None,
            "response_time": response,
            "resolution_time": resolution,
            "closed_at": closed,
            "owner_id": account["owner_id"],
            "deleted_at": None,
            "deleted_by_id": None,
            **self._stamps(rng, created_at, account["owner_id"]),
        }

    def opportunity(self, rng, account, opportunity_no: str) -> dict:
        created_at = self._after(rng, account["created_at"])
        stage = rng.choice(STAGES)
        estimated = _money(rng, 10_000, 3_000_000, 1000)
        closed_at = self._after(rng, created_at, 0.2) if stage.startswith("closed") else None
        actual = estimated * rng.randrange(70, 121) // 100 if stage == "closed_won" else None
        campaign_id = (
            rng.choice(self.campaign_ids) if self.campaign_ids and rng.random() < 0.3 else None
        )
        return {
            "id": self.new_id(rng),
            "opportunity_no": opportunity_no,
            "account_id": account["id"],
            "name": f"{account['name'][:40]} - {rng.choice(PRODUCTS)}",
            "description": None,
            "stage": stage,
            "probability": DEFAULT_PROBABILITY[stage],
            "estimated_amount": estimated,
            "actual_amount": actual,
            "close_date": (created_at + datetime.timedelta(days=rng.randrange(15, 180))).date(),
            "closed_at": closed_at,
            "campaign_id": campaign_id,
            "owner_id": account["owner_id"],
            "deleted_at": None,
            "deleted_by_id": None,
            **self._stamps(rng, created_at, account["owner_id"]),
        }

    def lead(self, rng, account) -> dict:
        """A prospect; some were converted into this account (a few leads each chunk)."""
        created_at = self.start + datetime.timedelta(seconds=rng.random() * self.span)
        status = rng.choice(LEAD_STATUS)
        converted = status == "converted" and account["created_at"] >= created_at
        if status == "converted" and not converted:
            status = "qualified"
        name, pinyin = self.person(rng)
        _region, (city, _code, _district) = rng.choice(CITIES)
        (b1, p1), (b2, p2) = rng.choice(BRAND), rng.choice(BRAND)
        industry_word = rng.choice(INDUSTRY_PICK)[1]
        campaign_id = (
            rng.choice(self.campaign_ids) if self.campaign_ids and rng.random() < 0.4 else None
        )
        owner_id = rng.choice(self.owner_ids)
        return {
            "id": self.new_id(rng),
            "name": f"{name} - {city}{industry_word}需求",
            "company": f"{city}{b1}{b2}{industry_word}有限公司",
            "contact_person": name,
            "phone": f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}",
            "email": f"{pinyin}@{p1}{p2}.example.com",
            "source": rng.choice(LEAD_SOURCES),
            "status": status,
            "score": rng.randrange(0, 101),
            "description": None,
            "campaign_id": campaign_id,
            "converted_account_id": account["id"] if converted else None,
            "converted_contact_id": None,
            "converted_opportunity_id": None,
            "converted_at": account["created_at"] if converted else None,
            "owner_id": owner_id,
            "deleted_at": None,
            "deleted_by_id": None,
            **self._stamps(rng, created_at, owner_id),
        }
