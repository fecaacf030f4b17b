"""A real browser in the back office: headless Chromium (Debian's ``chromium`` package) driven by
Playwright, against a live server. Log in, create an account, find it by search, add a contact
on the account's page, and see the analytics dashboard draw its charts.

Never downloads a browser: it launches /usr/bin/chromium (``CHROMIUM_PATH`` names another).
Without it the module is skipped on a developer's machine, but in CI (``CI`` set) it runs and
fails loudly, since .ci/run installs it (core/tests/test_browser_ci.py proves both).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
IN_CI = bool(os.environ.get("CI"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

if not IN_CI and not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402 (after the skip)

pytestmark = pytest.mark.slow  # a live server and a browser

PASSWORD = "Browser-Test-Pw-1"


def test_chromium_is_installed():
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)


def _charts_drawn(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("canvas")).map((canvas) => {
            const pixels = canvas.getContext("2d")
                .getImageData(0, 0, canvas.width, canvas.height).data;
            return {
                id: canvas.id,
                width: canvas.width,
                height: canvas.height,
                chart: Boolean(window.Chart && Chart.getChart(canvas)),
                painted: pixels.some((value) => value !== 0),
            };
        })"""
    )


def _browse(base_url: str) -> list[dict]:
    """The staff scenario in Chromium; returns what the dashboard's canvases hold.

    Playwright's sync API runs an event loop in this thread, so the database is not touched
    here (Django refuses ORM calls inside a running loop): the test checks it afterwards.
    """
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package"
    admin = f"{base_url}/admin"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(15_000)

            # Log in (the admin speaks Chinese to a Chinese browser).
            page.goto(f"{admin}/login/")
            page.fill("#id_username", "boss")
            page.fill("#id_password", PASSWORD)
            page.click("[type=submit]")
            expect(page.locator("#nav-sidebar-inner")).to_contain_text("客户关系管理")
            expect(page.locator("body")).to_contain_text("客户")

            # Create an account.
            page.goto(f"{admin}/accounts/account/add/")
            page.fill("#id_name", "浏览器测试客户有限公司")
            page.fill("#id_industry", "信息技术")
            page.fill("#id_region", "华东")
            page.click("button[name=_save]")
            expect(page.locator("#main")).to_contain_text("成功添加")

            # Find it by search, open it.
            page.fill("#searchbar", "浏览器测试")
            page.press("#searchbar", "Enter")
            result = page.locator("#result_list tbody tr")
            expect(result).to_have_count(1)
            expect(result).to_contain_text("ACC001")
            result.locator("a", has_text="浏览器测试客户有限公司").click()

            # Add a contact on the account's page.
            page.click("#contacts-group a.add-row")
            page.fill("input[name='contacts-0-name']", "王浏览")
            page.fill("input[name='contacts-0-mobile']", "13900139001")
            page.click("button[name=_continue]")
            expect(page.locator("#main")).to_contain_text("成功修改")
            expect(page.locator("#contacts-group")).to_contain_text("王浏览")

            # The dashboard draws every chart.
            page.goto(f"{admin}/analytics/dashboard/")
            page.wait_for_function(
                """() => window.Chart && document.querySelectorAll("canvas").length > 0
                    && Array.from(document.querySelectorAll("canvas"))
                        .every((canvas) => Chart.getChart(canvas))"""
            )
            return _charts_drawn(page)
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_staff_enter_data_and_read_the_dashboard_in_a_real_browser(superuser, live_server):
    charts = _browse(live_server.url)

    assert {c["id"] for c in charts} >= {"chart-customers", "chart-opportunities", "chart-loyalty"}
    for chart in charts:
        assert chart["chart"] and chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["painted"], chart

    # What the browser did went through the services (numbered, stamped, owned).
    from accounts.models import Account

    account = Account.objects.get(name="浏览器测试客户有限公司")
    contact = account.contacts.get()
    assert (account.account_no, account.owner, account.created_by) == (
        "ACC001",
        superuser,
        superuser,
    )
    assert (contact.name, contact.mobile, contact.created_by) == (
        "王浏览",
        "13900139001",
        superuser,
    )
