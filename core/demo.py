"""Demo data: a realistic, deterministic CRM population, written in bulk.

``generate(accounts=N, seed=S)`` creates N accounts and, in fixed proportions, their contacts
(2 per account), activities (5), cases (0.3), leads (0.5) and opportunities (0.5), plus one
campaign per 1,000 accounts (at least 3). Names, regions, industries and addresses are Chinese;
every date falls in the two years before ``end_date`` (default: today, UTC).

Speed: rows are built as plain tuples and written per chunk of accounts, with PostgreSQL's COPY
(psycopg) on PostgreSQL and ``bulk_create`` elsewhere; one chunk is one transaction, so an
interrupted run keeps whole chunks only. Business numbers (ACC, CAS, OPP, CMP) are reserved
from ``core.models.Sequence`` like every other writer, so later API creates continue the series.

Determinism: the same seed, size and end date give the same rows (ids included) on an empty
database. Records are owned by a few demo users (created when missing, with unusable passwords:
staff give them a password and groups in the admin). Generated rows have no audit-trail
(history) entries and no status-change history: they are seed data, not changes anyone made.
"""

import contextlib
import datetime
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from accounts.models import Account
from activities.models import Activity
from campaigns.models import Campaign
from cases.models import Case
from contacts.models import Contact
from core.models import reserve_business_numbers
from sales.models import DEFAULT_PROBABILITY, Lead, Opportunity

UTC = datetime.UTC
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

DEMO_OWNERS = [
    ("demo_sales_1", "张伟"),
    ("demo_sales_2", "王芳"),
    ("demo_sales_3", "李娜"),
    ("demo_sales_4", "刘洋"),
    ("demo_sales_5", "陈静"),
]


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


# --- vocabulary ----------------------------------------------------------------------------

REGIONS = {
    "华北": [("北京", "010", "朝阳区"), ("天津", "022", "和平区"), ("石家庄", "0311", "长安区"),
             ("太原", "0351", "小店区"), ("呼和浩特", "0471", "新城区")],
    "华东": [("上海", "021", "浦东新区"), ("杭州", "0571", "西湖区"), ("南京", "025", "鼓楼区"),
             ("苏州", "0512", "工业园区"), ("宁波", "0574", "鄞州区"), ("合肥", "0551", "蜀山区"),
             ("济南", "0531", "历下区"), ("青岛", "0532", "市南区"), ("福州", "0591", "鼓楼区"),
             ("厦门", "0592", "思明区")],
    "华南": [("广州", "020", "天河区"), ("深圳", "0755", "南山区"), ("东莞", "0769", "南城区"),
             ("佛山", "0757", "禅城区"), ("南宁", "0771", "青秀区"), ("海口", "0898", "龙华区")],
    "华中": [("武汉", "027", "江汉区"), ("长沙", "0731", "岳麓区"), ("郑州", "0371", "金水区"),
             ("南昌", "0791", "东湖区")],
    "西南": [("成都", "028", "高新区"), ("重庆", "023", "渝中区"), ("昆明", "0871", "五华区"),
             ("贵阳", "0851", "观山湖区")],
    "西北": [("西安", "029", "雁塔区"), ("兰州", "0931", "城关区"), ("银川", "0951", "金凤区"),
             ("乌鲁木齐", "0991", "天山区")],
    "东北": [("沈阳", "024", "和平区"), ("大连", "0411", "中山区"), ("长春", "0431", "朝阳区"),
             ("哈尔滨", "0451", "南岗区")],
}  # fmt: skip
# Business is not spread evenly: the east and the south hold most customers.
REGION_WEIGHTS = {"华北": 16, "华东": 32, "华南": 22, "华中": 10, "西南": 9, "西北": 5, "东北": 6}

# (industry, word used in company names, English code for web addresses, weight)
INDUSTRIES = [
    ("制造业", "机械制造", "mfg", 18), ("信息技术", "科技", "tech", 16),
    ("批发零售", "商贸", "trade", 12), ("金融", "投资", "fin", 6),
    ("医疗健康", "医疗器械", "med", 7), ("教育培训", "教育科技", "edu", 5),
    ("物流运输", "物流", "logistics", 7), ("房地产", "置业", "estate", 5),
    ("能源化工", "新能源", "energy", 6), ("餐饮酒店", "餐饮管理", "food", 5),
    ("建筑工程", "建设工程", "build", 7), ("农业食品", "食品", "agri", 6),
]  # fmt: skip
BRAND = [
    ("华", "hua"), ("信", "xin"), ("瑞", "rui"), ("达", "da"), ("宏", "hong"), ("泰", "tai"),
    ("恒", "heng"), ("盛", "sheng"), ("源", "yuan"), ("鑫", "xin"), ("博", "bo"), ("远", "yuan"),
    ("兴", "xing"), ("隆", "long"), ("天", "tian"), ("安", "an"), ("嘉", "jia"), ("和", "he"),
    ("联", "lian"), ("创", "chuang"), ("新", "xin"), ("智", "zhi"), ("通", "tong"), ("卓", "zhuo"),
    ("越", "yue"), ("海", "hai"), ("金", "jin"), ("中", "zhong"), ("振", "zhen"), ("永", "yong"),
    ("立", "li"), ("佳", "jia"), ("启", "qi"), ("明", "ming"), ("德", "de"), ("万", "wan"),
    ("丰", "feng"), ("荣", "rong"), ("宇", "yu"), ("腾", "teng"), ("飞", "fei"), ("云", "yun"),
    ("峰", "feng"), ("广", "guang"), ("东", "dong"), ("方", "fang"), ("正", "zheng"),
    ("诚", "cheng"),
]  # fmt: skip
COMPANY_SUFFIX = ["有限公司"] * 6 + ["股份有限公司"] * 2 + ["集团有限公司", "有限责任公司"]
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("高", "gao"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
]  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国宇浩凯婷雪琳晨欣怡子涵"
POSITIONS = ["总经理", "副总经理", "采购经理", "财务总监", "技术总监", "销售经理", "行政主管",
             "项目经理", "运营总监", "采购专员"]  # fmt: skip
STREETS = ["人民路", "中山路", "解放路", "建设路", "长江路", "科技路", "新华路", "文化路",
           "滨江大道", "世纪大道"]  # fmt: skip
PRODUCTS = ["ERP 系统", "年度服务合同", "设备采购", "软件许可", "技术支持", "系统集成", "定制开发",
            "云服务套餐", "培训服务", "备件供应"]  # fmt: skip


def _weighted(pairs: Iterable[tuple[object, int]]) -> tuple:
    """A flat tuple holding each value ``weight`` times, so ``rng.choice`` draws by weight."""
    return tuple(value for value, weight in pairs for _ in range(weight))


CITIES = _weighted(((region, city), REGION_WEIGHTS[region]) for region, city_list in REGIONS.items()
                   for city in city_list)  # fmt: skip
INDUSTRY_PICK = _weighted((industry[:3], industry[3]) for industry in INDUSTRIES)
ACCOUNT_TYPES = _weighted([("corporate", 16), ("individual", 2), ("government", 2)])
ACCOUNT_STATUS = _weighted([("active", 17), ("inactive", 3)])
LOYALTY = _weighted([(None, 6), ("platinum", 1), ("gold", 2), ("silver", 4), ("bronze", 7)])
SIZES = _weighted([(None, 2), ("small", 8), ("medium", 6), ("large", 3), ("enterprise", 1)])
ACTIVITY_TYPES = _weighted([("call", 4), ("meeting", 2), ("email", 3), ("note", 1)])
ACTIVITY_PRIORITY = _weighted([("low", 3), ("medium", 5), ("high", 2)])
CASE_TYPES = _weighted([("question", 4), ("complaint", 2), ("suggestion", 1), ("issue", 3)])
CASE_PRIORITY = _weighted([("low", 3), ("medium", 4), ("high", 2), ("urgent", 1)])
CASE_STATUS = _weighted([("new", 2), ("in_progress", 2), ("resolved", 2), ("closed", 4)])
LEAD_SOURCES = _weighted([("website", 4), ("referral", 3), ("event", 2), ("cold_call", 2)])
LEAD_STATUS = _weighted([("new", 4), ("qualified", 3), ("unqualified", 2), ("converted", 1)])
STAGES = _weighted([("prospecting", 3), ("qualification", 2), ("proposal", 2), ("negotiation", 1),
                    ("closed_won", 2), ("closed_lost", 2)])  # fmt: skip
CAMPAIGN_TYPES = ("email", "social", "event", "advertisement")
CAMPAIGN_THEMES = ["新品发布", "年终促销", "行业峰会", "客户答谢会", "春季推广", "数字化转型研讨会",
                   "渠道招募", "品牌周", "线上直播", "老客户回馈"]  # fmt: skip
ACTIVITY_SUBJECTS = {
    "call": ["电话回访：{p}", "电话沟通{p}需求", "跟进{p}报价"],
    "meeting": ["拜访客户：{p}方案讲解", "{p}需求调研会", "商务洽谈：{p}"],
    "email": ["发送{p}报价单", "邮件确认{p}合同条款", "寄送{p}资料"],
    "note": ["客户反馈：{p}", "内部备忘：{p}", "{p}跟进记录"],
}
CASE_SUBJECTS = {
    "question": "咨询{p}使用方法",
    "complaint": "投诉{p}交付延迟",
    "suggestion": "建议改进{p}",
    "issue": "{p}运行故障",
}

# --- row building ------------------------------------------------------------------------


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


# --- writing -------------------------------------------------------------------------------


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


class RowWriter:
    """Writes dict rows of a model: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self):
        self.copy = connection.vendor == "postgresql"
        self._defaults: dict[type, dict[str, object]] = {}

    def _default(self, model, fld):
        cache = self._defaults.setdefault(model, {})
        if fld.attname not in cache:
            cache[fld.attname] = fld.get_default()
        return cache[fld.attname]

    def write(self, model, rows: list[dict]) -> int:
        if not rows:
            return 0
        fields = _columns(model)
        if self.copy:
            self._copy(model, fields, rows)
        else:
            objs = [
                model(**{f.attname: row.get(f.attname, self._default(model, f)) for f in fields})
                for row in rows
            ]
            model.all_objects.bulk_create(objs, batch_size=500)
        return len(rows)

    def _copy(self, model, fields, rows: list[dict]) -> None:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = [f.attname for f in fields]
        defaults = {f.attname: self._default(model, f) for f in fields}
        missing = [name for name in names if name not in rows[0]]
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            if missing:
                for row in rows:
                    copy.write_row([row.get(name, defaults[name]) for name in names])
            else:
                for row in rows:
                    copy.write_row([row[name] for name in names])


GENERATED_MODELS = (Campaign, Account, Contact, Activity, Case, Opportunity, Lead)


@contextlib.contextmanager
def deferred_indexes(model_list=GENERATED_MODELS) -> Iterator[None]:
    """PostgreSQL bulk load: drop the tables' secondary indexes and foreign keys, load, then
    build them again in one pass each (what pg_restore does; several times faster than
    maintaining ten indexes row by row). Primary keys and unique constraints stay, so the data
    is still checked where it matters. Meant for an empty, dedicated database (the benchmark):
    if the process is killed outright, the indexes stay missing until ``migrate`` is rerun on a
    fresh database.
    """
    tables = [model._meta.db_table for model in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for definition, _name in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}"
                )
            cursor.execute("RESET maintenance_work_mem")


# --- the entry point -------------------------------------------------------------------------


def demo_owner_ids() -> list[int]:
    """The demo users who own the generated records (created once, unusable passwords)."""
    user_model = get_user_model()
    ids = []
    for username, display_name in DEMO_OWNERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        ids.append(user.pk)
    return ids


def default_end_date() -> datetime.date:
    return datetime.datetime.now(UTC).date()


def generate(
    *,
    accounts: int,
    seed: int = 1,
    end_date: datetime.date | None = None,
    chunk_accounts: int = CHUNK_ACCOUNTS,
    fast_load: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> DemoPlan:
    """Create ``accounts`` accounts and their proportional records; returns the counts made.

    ``progress(table, rows)`` is called after each chunk is committed (for a progress bar).
    ``fast_load`` (PostgreSQL, empty tables only) builds the indexes after the rows are in.
    """
    plan = DemoPlan.for_accounts(accounts)
    if not accounts:
        return plan
    if fast_load and connection.vendor == "postgresql":
        if any(model.all_objects.exists() for model in GENERATED_MODELS):
            raise ValueError("fast_load needs empty tables.")
        with deferred_indexes():
            _generate(
                plan, seed=seed, end_date=end_date, chunk_accounts=chunk_accounts, progress=progress
            )
    else:
        _generate(
            plan, seed=seed, end_date=end_date, chunk_accounts=chunk_accounts, progress=progress
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in GENERATED_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return plan


def _generate(plan: DemoPlan, *, seed, end_date, chunk_accounts, progress) -> None:
    accounts = plan.accounts
    end_date = end_date or default_end_date()
    end = datetime.datetime.combine(end_date, datetime.time(), tzinfo=UTC)
    builder = DemoBuilder(seed=seed, end=end, owner_ids=demo_owner_ids())
    writer = RowWriter()
    report = progress or (lambda table, rows: None)

    with transaction.atomic():
        numbers = reserve_business_numbers(Campaign.NUMBER_PREFIX, plan.campaigns)
        report("campaigns", writer.write(Campaign, builder.campaigns(plan.campaigns, numbers)))

    for first in range(0, accounts, chunk_accounts):
        count = min(chunk_accounts, accounts - first)
        with transaction.atomic():
            if writer.copy:
                # Durability of each chunk is not worth a disk flush: a crash loses whole chunks.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            quota = {
                name: (first + count) * num // den - first * num // den
                for name, (num, den) in PER_ACCOUNT.items()
            }
            numbers = {
                "accounts": reserve_business_numbers(Account.NUMBER_PREFIX, count),
                "cases": reserve_business_numbers(Case.NUMBER_PREFIX, quota["cases"]),
                "opportunities": reserve_business_numbers(
                    Opportunity.NUMBER_PREFIX, quota["opportunities"]
                ),
            }
            chunk = builder.chunk(first=first, count=count, total=accounts, numbers=numbers)
            for model in (Account, Contact, Activity, Case, Opportunity, Lead):
                rows = chunk.rows.get(model, [])
                report(model._meta.model_name, writer.write(model, rows))
