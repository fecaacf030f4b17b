"""The back office as a Chinese-speaking clerk meets it (issue 18): its name, its menu, the
technical tables kept to superusers, permissions and roles in Chinese, the start-up message,
and complete translation catalogs."""

import io
import re
from pathlib import Path

import polib
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from core.display import choice_label, format_money, format_money_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [
    ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "thirdparty" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "thirdparty" / "zh_Hans" / "LC_MESSAGES" / "djangojs.po",
]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sidebar(html: str) -> str:
    start = html.index('id="nav-sidebar-inner"')
    return html[start : html.index("</nav>", start)]


def section_titles(html: str) -> list[str]:
    return [title.strip() for title in re.findall(r"<h2[^>]*>\s*([^<]+?)\s*<", sidebar(html))]


def test_the_header_names_the_crm_and_the_name_is_a_setting(admin_user):
    client = logged_in(admin_user)
    html = client.get("/admin/").content.decode()
    assert "客户关系管理" in html
    assert "Django" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    with override_settings(BACKOFFICE_TITLE="华东销售后台"):
        assert "华东销售后台" in client.get("/admin/").content.decode()


def test_the_menu_groups_the_crm_in_working_order(admin_user):
    page = logged_in(admin_user).get("/admin/").content.decode()
    assert section_titles(page) == ["客户", "销售", "服务", "市场", "分析", "文件", "系统"]
    html = sidebar(page)
    sections = ["客户", "联系人", "客户活动", "销售线索", "销售机会", "客户反馈", "营销活动"]
    positions = [html.index(f">{name}<") if f">{name}<" in html else -1 for name in sections]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_only_superusers_see_the_system_section(admin_user, make_user):
    staff = make_user(
        "clerk",
        perms=(
            "accounts.view_account",
            "auth.view_group",
            "token_blacklist.view_outstandingtoken",
        ),
    )
    staff.is_staff = True
    staff.save()

    boss_page = logged_in(admin_user).get("/admin/").content.decode()
    clerk_page = logged_in(staff).get("/admin/").content.decode()

    token_list = reverse("admin:token_blacklist_outstandingtoken_changelist")
    assert section_titles(boss_page)[-1] == "系统" and token_list in boss_page
    assert "系统" not in section_titles(clerk_page) and token_list not in clerk_page
    assert reverse("admin:accounts_account_changelist") in clerk_page
    assert logged_in(staff).get(token_list).status_code == 403  # despite the permission
    assert logged_in(staff).get(reverse("admin:auth_group_changelist")).status_code == 403


def test_view_site_is_hidden_without_a_frontend_and_never_leads_to_a_404(admin_user, client):
    staff = logged_in(admin_user)
    assert "查看站点" not in staff.get("/admin/").content.decode()
    with override_settings(BACKOFFICE_SITE_URL="https://crm.example.com/"):
        html = staff.get("/admin/").content.decode()
        assert 'href="https://crm.example.com/"' in html and "查看站点" in html
    root = client.get("/")
    assert root.status_code == 302 and root["Location"] == reverse("admin:index")


def test_logging_in_without_a_next_page_leads_to_the_back_office(admin_user, client):
    response = client.post("/admin/login/", {"username": "admin", "password": "pw-Secret-123"})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_roles_and_their_permissions_read_in_chinese(admin_user):
    group = Group.objects.get(name="销售")
    html = logged_in(admin_user).get(reverse("admin:auth_group_change", args=[group.pk]))
    html = html.content.decode()
    assert "可以新增客户" in html and "可以查看销售线索" in html
    assert "可查看和修改所有客户" in html  # a custom permission, translated
    assert "客户历史" in html  # the audit-trail tables' permissions
    assert "Can add" not in html and "historical" not in html
    assert Permission.objects.filter(codename="add_account", name="Can add account").exists()


def test_ensure_admin_names_the_port_it_was_given_in_chinese():
    out = io.StringIO()
    call_command("ensure_admin", port=8001, stdout=out)
    text = out.getvalue()
    assert "已创建管理员账号“admin”" in text
    assert "管理后台：http://127.0.0.1:8001/admin/" in text
    assert "8000" not in text


def test_sync_roles_reports_in_chinese():
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    assert re.search(r"^销售（sales）：\d+ 项权限$", out.getvalue(), re.M)


def test_the_label_lookup_for_exports_turns_codes_into_chinese():
    from accounts.models import Account, AccountType, LoyaltyLevel

    assert choice_label(AccountType, "corporate") == "企业"
    assert choice_label(LoyaltyLevel, "silver") == "白银"
    assert choice_label(Account._meta.get_field("status"), "active") == "活跃"
    assert choice_label(AccountType, "不是代码") == "不是代码"
    assert choice_label(AccountType, None) is None


def test_money_reads_in_yuan_with_thousands():
    assert format_money("1234567.89") == "¥1,234,567.89"
    assert format_money(-5) == "-¥5.00"
    assert format_money(None) == ""
    assert format_money_text("500000.00") == "¥500,000.00"
    assert format_money_text("-") == "-"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}")
def test_every_message_is_translated_and_compiled(path):
    """A new English string without its Chinese fails here (run makemessages, translate,
    compilemessages), and so does a .mo file older than its .po."""
    catalog = polib.pofile(str(path))
    missing = [e.msgid for e in catalog if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags and not e.obsolete]
    assert not missing, f"untranslated in {path}: {missing}"
    assert not fuzzy, f"fuzzy (unchecked) in {path}: {fuzzy}"
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    expected = {
        (e.msgctxt, e.msgid): e.msgstr for e in catalog if e.translated() and not e.msgid_plural
    }
    found = {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural}
    assert found == expected, f"{path.with_suffix('.mo')} is stale: run compilemessages"
