"""Every back-office page in a real browser, at a laptop's 1366×768 and a desktop's 1920×1080, as a
superuser: no console error, no list table wider than its box, nothing fetched from another host,
and no English a Chinese-speaking clerk would have to read (text nodes, titles, placeholders and
options checked against a list of English words). Screenshots of the main pages go to
``artifacts/screenshots`` (git-ignored; the run's summary names the folder), for CI to keep.

Chromium comes from Debian (see core/tests/test_browser.py for the skip/fail rule).
"""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.tests.test_browser import ARGS, CHROMIUM, IN_CI

if not IN_CI and not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # after the skip

pytestmark = pytest.mark.slow  # a live server and a browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
PASSWORD = "Pages-Test-Pw-1"

# English words a page in Chinese has no business showing (whole words, any case). Usernames,
# e-mail addresses, numbers such as ACC001 and abbreviations such as API or UTC are not words
# of this list.
ENGLISH = {
    "about", "account", "accounts", "action", "actions", "active", "activities",
    "activity", "add", "added", "administration", "all", "and", "apply", "are",
    "back", "blacklist", "blacklisted", "by", "campaign", "campaigns", "can", "cancel", "case",
    "cases", "change", "changed", "changes", "choose", "clear", "click", "close", "closed",
    "comment", "confirm", "contact", "contacts", "convert", "converted", "create", "created",
    "customer", "customers", "dark", "date", "delete", "deleted", "django", "edit", "filter",
    "filters", "for", "from", "go", "group", "groups", "history", "home", "inactive", "is",
    "lead", "leads", "light", "log", "logout", "lost", "more", "name", "new", "next", "no",
    "none", "not", "of", "open", "opportunities", "opportunity", "or", "outstanding", "page",
    "password", "permission", "permissions", "previous", "reason", "record", "remove",
    "restore", "result", "results", "revenue", "run", "save", "search", "select", "selected",
    "show", "site", "status", "system", "the", "this", "time", "to", "toggle", "token",
    "tokens", "true", "false", "type", "unknown", "updated", "user", "users", "view",
    "welcome", "with", "won", "yes", "you", "your",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]+")

# Text the check skips: icon ligatures (Material Symbols draws "add" as a plus sign), code.
ENGLISH_TEXT_JS = """() => {
  const skip = "script, style, noscript, template, .material-symbols-outlined, code, pre";
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && !node.parentElement.closest(skip) && node.textContent.trim()) {
      texts.push(node.textContent.trim());
    }
  }
  for (const element of document.querySelectorAll("[title], [placeholder], [aria-label], [alt]")) {
    if (element.closest(skip)) continue;
    for (const name of ["title", "placeholder", "aria-label", "alt"]) {
      const value = element.getAttribute(name);
      if (value && value.trim()) texts.push(value.trim());
    }
  }
  texts.push(document.title);
  return texts;
}"""

# The list table fits its box (no column cut off) and the page has no sideways scroll.
LAYOUT_JS = """() => {
  const table = document.querySelector("#result_list");
  const box = table ? table.parentElement : null;
  const rows = table ? Array.from(table.querySelectorAll("tbody tr.data-row")) : [];
  return {
    tableWidth: table ? table.scrollWidth : 0,
    boxWidth: box ? box.clientWidth : 0,
    pageWidth: document.documentElement.scrollWidth,
    viewportWidth: window.innerWidth,
    rowHeights: rows.map((row) => row.getBoundingClientRect().height),
  };
}"""


def english_words(texts: list[str]) -> set[str]:
    return {word for text in texts for word in WORD.findall(text) if word.lower() in ENGLISH}


def test_the_word_check_finds_english_and_lets_chinese_names_and_codes_pass():
    assert english_words(["Select all rows", "客户 ACC001", "admin@example.com"]) == {
        "Select",
        "all",
    }
    assert english_words(["客户编号 ACC1000", "UTC", "demo_sales_1", "¥1,234.00"]) == set()


@dataclass
class Page:
    name: str
    path: str
    screenshot: bool = False
    # Select rows of the list at ``path`` and run this action: its confirmation page is checked.
    action: str | None = None


@dataclass
class Visit:
    page: Page
    viewport: str
    status: int = 0
    errors: list[str] = field(default_factory=list)
    english: set[str] = field(default_factory=set)
    layout: dict = field(default_factory=dict)
    date_picker: bool = False


def _sample_data(superuser) -> dict:
    """One record of every kind, with an audit trail worth reading (a status change with a
    reason, a closed case, a converted lead), through the services."""
    from django.contrib.auth.models import Group, Permission
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.services import account_change_status, credit_assessment_create
    from accounts.tests.factories import make_account
    from activities.tests.factories import make_activity
    from campaigns.tests.factories import make_campaign
    from cases.services import case_close
    from cases.tests.factories import make_case
    from contacts.tests.factories import make_contact
    from core.files import stored_file_create
    from core.models import Sequence
    from core.roles import apply_roles
    from sales.services import lead_convert
    from sales.tests.factories import make_lead, make_opportunity

    by = superuser
    account = make_account(by=by, name="华东精密制造有限公司", industry="制造业", region="华东")
    for name in ("上海远航物流有限公司", "杭州云端科技有限公司"):
        make_account(by=by, name=name, industry="信息技术", region="华东", loyalty_level="gold")
    account_change_status(account=account, status="inactive", reason="客户暂停采购", by=by)
    credit_assessment_create(account=account, by=by, credit_score=88, credit_limit=500000)
    contact = make_contact(account=account, by=by, name="王经理", mobile="13900139000")
    make_activity(account=account, by=by, subject="季度回访")
    case = make_case(account=account, by=by, subject="设备无法启动")
    make_case(account=account, by=by, subject="发票重开")
    case_close(case=case, by=by, resolution="更换主板后恢复", satisfaction=5)
    campaign = make_campaign(by=by, name="春季新品发布会")
    opportunity = make_opportunity(
        by=by, account=account, name="年度设备采购", estimated_amount=1234567.89
    )
    converted = make_lead(by=by, name="刘先生", company="苏州新材料有限公司", campaign=campaign)
    lead_convert(lead=converted, by=by, opportunity_name="新材料试产线", estimated_amount=80000)
    make_lead(by=by, name="陈女士", company="南京智能家居有限公司")
    make_lead(by=by, name="赵先生", company="合肥新能源有限公司")
    upload = SimpleUploadedFile("合同.txt", "合同正文".encode(), content_type="text/plain")
    stored = stored_file_create(upload=upload, by=by)
    apply_roles(Group, Permission)  # a transactional test may have flushed the migration's
    superuser.groups.add(Group.objects.get(name="销售"))  # its delete page lists the link
    RefreshToken.for_user(superuser)
    RefreshToken.for_user(superuser).blacklist()
    return {
        "core.user": superuser,
        "auth.group": Group.objects.order_by("name").first(),
        "core.sequence": Sequence.objects.order_by("name").first(),
        "core.storedfile": stored,
        "token_blacklist.outstandingtoken": OutstandingToken.objects.order_by("id").first(),
        "token_blacklist.blacklistedtoken": BlacklistedToken.objects.first(),
        "accounts.account": account,
        "contacts.contact": contact,
        "activities.activity": account.activities.first(),
        "cases.case": case,
        "sales.lead": converted,
        "sales.opportunity": opportunity,
        "campaigns.campaign": campaign,
    }


def _pages(samples: dict, superuser) -> list[Page]:
    """Every page of the admin site: the index, each app's page, and for each model its list,
    its add form (where one may add), a record's form, history, old version and delete page; the
    dashboard with a date range, the action confirmation pages and the password pages."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import NoReverseMatch, reverse

    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = [Page("index", reverse("admin:index"), screenshot=True)]
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    pages += [Page(f"app {label}", reverse("admin:app_list", args=[label])) for label in labels]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        label = opts.label_lower
        info = f"admin:{opts.app_label}_{opts.model_name}"
        main = opts.app_label in {"accounts", "cases", "sales", "analytics"}
        pages.append(Page(f"{label} list", reverse(f"{info}_changelist"), screenshot=main))
        try:
            add = reverse(f"{info}_add")
        except NoReverseMatch:  # the dashboard has a list only
            continue
        if model_admin.has_add_permission(request):
            pages.append(Page(f"{label} add", add))
        record = samples.get(label)
        assert record is not None, f"no sample {label}: every admin page must be visited"
        pages.append(Page(f"{label} change", reverse(f"{info}_change", args=[record.pk]), main))
        pages.append(Page(f"{label} history", reverse(f"{info}_history", args=[record.pk]), main))
        if model_admin.has_delete_permission(request, record):
            pages.append(Page(f"{label} delete", reverse(f"{info}_delete", args=[record.pk])))
        if hasattr(model, "history"):
            version = model.history.filter(id=record.pk).order_by("history_id").first()
            pages.append(
                Page(
                    f"{label} old version",
                    reverse(f"{info}_simple_history", args=[record.pk, version.history_id]),
                )
            )
    dashboard = reverse("admin:analytics_dashboard_changelist")
    pages += [
        Page("password change", reverse("admin:password_change")),
        Page("user password", reverse("admin:auth_user_password_change", args=[superuser.pk])),
        Page("dashboard with a range", f"{dashboard}?period=week&start=2024-01-01&end=2030-12-31"),
        Page(
            "status change",
            reverse("admin:accounts_account_changelist"),
            screenshot=True,
            action="change_status_selected",
        ),
        Page(
            "close cases",
            reverse("admin:cases_case_changelist") + "?status__exact=new",
            screenshot=True,
            action="close_selected",
        ),
        Page(
            "lead conversion",
            reverse("admin:sales_lead_changelist") + "?status__exact=new",
            screenshot=True,
            action="convert_selected",
        ),
    ]
    return pages


def _visit(browser_page, base_url: str, page: Page, viewport: str) -> Visit:
    visit = Visit(page, viewport)
    errors: list[str] = []
    on_console = lambda message: errors.append(message.text) if message.type == "error" else None  # noqa: E731
    on_error = lambda error: errors.append(str(error))  # noqa: E731
    browser_page.on("console", on_console)
    browser_page.on("pageerror", on_error)
    try:
        response = browser_page.goto(base_url + page.path)
        visit.status = response.status if response else 0
        if page.action:
            browser_page.locator("#result_list tbody input.action-select").first.check()
            browser_page.select_option("select[name=action]", page.action)
            with browser_page.expect_navigation():
                browser_page.click("button[name=index]")
            visit.status = 200 if browser_page.locator("form input[name=apply]").count() else 0
            visit.date_picker = browser_page.locator("[id^=calendarlink]").count() > 0
        browser_page.wait_for_load_state("networkidle")
        if "dashboard" in page.path:
            browser_page.wait_for_function("document.body.dataset.analyticsDrawn === 'true'")
        visit.english = english_words(browser_page.evaluate(ENGLISH_TEXT_JS))
        visit.layout = browser_page.evaluate(LAYOUT_JS)
        if page.screenshot:
            name = re.sub(r"[^a-z0-9]+", "-", page.name.lower()).strip("-")
            browser_page.screenshot(path=SCREENSHOTS / viewport / f"{name}.png", full_page=True)
    finally:
        browser_page.remove_listener("console", on_console)
        browser_page.remove_listener("pageerror", on_error)
    visit.errors = errors
    return visit


def _crawl(base_url: str, username: str, pages: list[Page]) -> list[Visit]:
    """All pages at both sizes. The database is not touched here: Playwright's sync API runs
    an event loop in this thread, where Django refuses ORM calls."""
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package"
    visits, elsewhere = [], []

    def local(url: str) -> bool:
        return url.startswith((base_url, "data:", "blob:"))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for viewport, (width, height) in VIEWPORTS.items():
                (SCREENSHOTS / viewport).mkdir(parents=True, exist_ok=True)
                context = browser.new_context(
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",  # where the staff are (no time-zone warning)
                    viewport={"width": width, "height": height},
                )
                # Offline: every asset comes from this server (no CDN, no font service).
                context.on(
                    "request", lambda r: elsewhere.append(r.url) if not local(r.url) else None
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                visits.append(
                    _visit(page, base_url, Page("login", "/admin/login/", True), viewport)
                )
                page.fill("#id_username", username)
                page.fill("#id_password", PASSWORD)
                with page.expect_navigation():
                    page.click("[type=submit]")
                visits += [_visit(page, base_url, p, viewport) for p in pages]
                context.close()
        finally:
            browser.close()
    assert not elsewhere, f"pages asked other hosts for: {sorted(set(elsewhere))[:10]}"
    return visits


@pytest.mark.django_db(transaction=True)
def test_every_admin_page_reads_in_chinese_fits_and_runs_without_errors(
    django_user_model, live_server
):
    superuser = django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    pages = _pages(_sample_data(superuser), superuser)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)

    visits = _crawl(live_server.url, "boss", pages)

    print(f"\nScreenshots: {SCREENSHOTS}")
    for visit in visits:
        print(f"{visit.viewport} {visit.page.name}: {len(visit.errors)} console errors")
    problems = []
    for visit in visits:
        where = f"{visit.viewport} {visit.page.name} ({visit.page.path})"
        layout = visit.layout
        if visit.status != 200:
            problems.append(f"{where}: status {visit.status}")
        if visit.errors:
            problems.append(f"{where}: console errors {visit.errors}")
        if visit.english:
            problems.append(f"{where}: English {sorted(visit.english)}")
        if layout and layout["tableWidth"] > layout["boxWidth"] + 1:
            problems.append(
                f"{where}: list table {layout['tableWidth']} px in {layout['boxWidth']}"
            )
        if layout and layout["pageWidth"] > layout["viewportWidth"] + 1:
            problems.append(f"{where}: page {layout['pageWidth']} px wide")
        if layout and layout["rowHeights"] and max(layout["rowHeights"]) > 80:
            problems.append(f"{where}: list rows up to {max(layout['rowHeights'])} px high")
        if visit.page.action == "convert_selected" and not visit.date_picker:
            problems.append(f"{where}: the close date has no date picker")
    assert not problems, "\n".join(problems)
    assert len(visits) == len(VIEWPORTS) * (len(pages) + 1)
    assert any(SCREENSHOTS.rglob("*.png"))
