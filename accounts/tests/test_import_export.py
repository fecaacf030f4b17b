"""import_accounts / export_accounts: encodings, headers, bad rows, upserts, batches."""

from functools import partial

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Account
from accounts.tests.factories import make_account
from core.tests.importing import report_rows, write
from core.tests.importing import run as run_command

pytestmark = pytest.mark.django_db

HEADER_ZH = "客户名称,客户类型,电话,邮箱,税号,信用额度,状态\n"


run = partial(run_command, "import_accounts")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chinese_headers_in_every_encoding(tmp_path, encoding):
    path = write(tmp_path, HEADER_ZH + "北京科技,企业,13800138001,a@b.com,T1,1000,活跃\n", encoding)
    assert "created 1" in run(path)
    account = Account.objects.get()
    assert (account.name, account.type, account.status, account.account_no) == (
        "北京科技",
        "corporate",
        "active",
        "ACC001",
    )


def test_camel_case_headers(tmp_path):
    path = write(tmp_path, "name,type,taxNo,creditLimit\nAcme,government,T9,5\n")
    run(path)
    assert Account.objects.get().type == "government"


def test_bad_rows_are_reported_with_line_field_and_message_and_good_rows_kept(tmp_path):
    path = write(
        tmp_path,
        HEADER_ZH
        + "好客户,企业,13800138001,a@b.com,T1,1000,活跃\n"
        + "坏客户,外星,call me,not-mail,T2,-5,active\n"
        + ",企业,,,T3,,\n",
    )
    output = run(path)
    assert "created 1" in output and "failed 2" in output
    rows = report_rows(path)
    assert {(line, field) for line, field, _ in rows} >= {
        ("3", "type"),
        ("3", "phone"),
        ("3", "email"),
        ("3", "creditLimit"),
        ("4", "name"),
    }
    assert all(message for _, _, message in rows)
    assert list(Account.objects.values_list("name", flat=True)) == ["好客户"]


def test_missing_required_column_fails_the_whole_file(tmp_path):
    path = write(tmp_path, "电话,邮箱\n13800138001,a@b.com\n")
    with pytest.raises(CommandError, match="客户名称"):
        run(path)
    assert Account.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, HEADER_ZH + "甲,企业,,,T1,,\n乙,企业,,,T2,,\n")
    assert "created 2" in run(path, "--dry-run")
    assert Account.objects.count() == 0


def test_rerun_with_update_creates_no_duplicates_and_applies_changes(tmp_path):
    path = write(tmp_path, HEADER_ZH + "甲,企业,,,T1,100,活跃\n乙,企业,,,T2,200,活跃\n")
    run(path)
    changed = write(
        tmp_path, HEADER_ZH + "甲,企业,,,T1,999,停用\n乙,企业,,,T2,200,活跃\n", name="b.csv"
    )
    output = run(changed, "--update")
    assert "created 0" in output and "updated 1" in output and "unchanged 1" in output
    assert Account.objects.count() == 2
    first = Account.objects.get(tax_no="T1")
    assert (first.credit_limit, first.status) == (999, "inactive")
    assert [(c.from_status, c.to_status) for c in first.status_changes.all()] == [
        ("active", "inactive")
    ]


def test_without_update_existing_records_are_skipped_and_reported(tmp_path):
    make_account(name="已有", tax_no="T1")
    path = write(tmp_path, HEADER_ZH + "新名字,企业,,,T1,,\n")
    assert "skipped 1" in run(path)
    assert Account.objects.get().name == "已有"
    assert report_rows(path)[0][1] == "taxNo"


def test_duplicates_inside_the_file_are_skipped(tmp_path):
    path = write(tmp_path, HEADER_ZH + "甲,企业,,,T1,,\n甲二,企业,,,T1,,\n")
    assert "created 1" in run(path) and Account.objects.count() == 1


def test_every_batch_commits_on_its_own(tmp_path, monkeypatch):
    from accounts.imports import SPEC

    original = SPEC.create_batch
    calls = {"n": 0}

    def fail_on_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(**kwargs)

    monkeypatch.setattr(SPEC, "create_batch", fail_on_second_batch)
    lines = "".join(f"客户{i},企业,,,T{i},,\n" for i in range(5))
    path = write(tmp_path, HEADER_ZH + lines)
    with pytest.raises(SystemExit):
        run(path, "--batch-size", "2")
    assert Account.objects.count() == 2  # the first batch, whole; nothing of the second
    monkeypatch.setattr(SPEC, "create_batch", original)
    run(path, "--update", "--batch-size", "2")
    assert Account.objects.count() == 5


def test_export_reimports_cleanly_in_csv_and_xlsx(tmp_path):
    make_account(
        name="北京科技", tax_no="T1", phone="13800138001", type="government", region="华北"
    )
    make_account(name="上海贸易", tax_no="T2", credit_limit=5)
    for name in ("out.csv", "out.xlsx"):
        target = tmp_path / name
        call_command("export_accounts", str(target))
        output = run(target, "--update")
        assert "created 0, updated 0, unchanged 2" in output and "failed 0" in output
    assert Account.objects.count() == 2
    assert Account.objects.get(tax_no="T1").type == "government"
