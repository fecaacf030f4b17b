"""import_contacts / export_contacts: account references, natural keys, bad rows, round trips."""

from functools import partial

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.services import account_delete
from accounts.tests.factories import make_account
from contacts.models import Contact
from contacts.tests.factories import make_contact
from core.tests.importing import rejected, report_rows, write
from core.tests.importing import run as run_command

pytestmark = pytest.mark.django_db

HEADER = "客户编号,姓名,职位,电话,手机,邮箱,生日\n"


run = partial(run_command, "import_contacts")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chinese_headers_and_account_numbers_in_every_encoding(tmp_path, encoding):
    account = make_account(name="北京科技")
    path = write(
        tmp_path,
        HEADER + f"{account.account_no},李四,采购经理,010-12345678,13900139001,l@x.com,1980/1/2\n",
        encoding,
    )
    assert "created 1" in run(path)
    contact = Contact.objects.get()
    assert (contact.account, contact.name, contact.position, contact.mobile) == (
        account,
        "李四",
        "采购经理",
        "13900139001",
    )
    assert str(contact.birthday) == "1980-01-02"


def test_the_account_may_be_named_by_id_with_camel_case_headers(tmp_path):
    account = make_account()
    path = write(tmp_path, f"accountId,name,email\n{str(account.id).upper()},王五,w@x.com\n")
    run(path)
    assert Contact.objects.get().account == account


def test_a_file_naming_no_account_column_is_refused_whole(tmp_path):
    path = write(tmp_path, "姓名,邮箱\n李四,l@x.com\n")
    with pytest.raises(CommandError, match="客户编号"):
        run(path)
    assert not Contact.objects.exists()


def test_unknown_deleted_or_missing_accounts_and_bad_values_are_reported(tmp_path, make_user):
    live = make_account()
    gone = make_account()
    account_delete(account=gone, by=make_user())
    path = write(
        tmp_path,
        "客户编号,客户ID,姓名,邮箱,手机\n"
        f"{live.account_no},,好联系人,ok@x.com,13900000001\n"
        f"ACC999,,未知客户,a@x.com,\n"
        f"{gone.account_no},,已删客户,b@x.com,\n"
        f",,没有客户,c@x.com,\n"
        f",not-a-uuid,坏ID,d@x.com,\n"
        f"{live.account_no},,坏值,not-mail,call me\n",
    )
    output = run(path)
    assert "created 1" in output and "failed 5" in output
    assert rejected(path) == {
        ("3", "accountNo"),
        ("4", "accountNo"),
        ("5", "accountNo"),
        ("6", "accountId"),
        ("7", "email"),
        ("7", "mobile"),
    }
    assert list(Contact.objects.values_list("name", flat=True)) == ["好联系人"]


def test_rerun_with_update_matches_account_and_email_else_mobile(tmp_path):
    account = make_account()
    other = make_account(name="另一家")
    by_email = make_contact(account=account, name="旧名", email="l@x.com")
    by_mobile = make_contact(account=account, name="旧名2", mobile="13900000002")
    path = write(
        tmp_path,
        "客户编号,姓名,邮箱,手机\n"
        f"{account.account_no},新名,l@x.com,\n"
        f"{account.account_no},新名2,,13900000002\n"
        f"{other.account_no},同邮箱别家,l@x.com,\n",
    )
    output = run(path, "--update")
    assert "created 1" in output and "updated 2" in output
    by_email.refresh_from_db()
    by_mobile.refresh_from_db()
    assert (by_email.name, by_mobile.name) == ("新名", "新名2")
    assert Contact.objects.count() == 3

    again = run(path, "--update")  # a second run creates and changes nothing
    assert "created 0, updated 0, unchanged 3" in again
    assert Contact.objects.count() == 3


def test_without_update_existing_contacts_are_skipped_and_in_file_duplicates_reported(tmp_path):
    account = make_account()
    make_contact(account=account, name="已有", email="l@x.com")
    path = write(
        tmp_path,
        "客户编号,姓名,邮箱\n"
        f"{account.account_no},改名,l@x.com\n"
        f"{account.account_no},甲,j@x.com\n"
        f"{account.account_no},甲二,j@x.com\n",
    )
    output = run(path)
    assert "created 1" in output and "skipped 2" in output
    (exists, duplicate) = sorted(report_rows(path))
    assert exists[:2] == ["2", "email"] and "--update" in exists[2]
    assert duplicate[:2] == ["4", "email"] and "3" in duplicate[2]  # names the earlier line
    assert set(Contact.objects.values_list("name", flat=True)) == {"已有", "甲"}


def test_imported_contacts_have_their_audit_trail_and_stamps(tmp_path, make_user):
    importer = make_user("importer")
    account = make_account()
    path = write(tmp_path, f"客户编号,姓名\n{account.account_no},李四\n")
    run(path, "--user", "importer")
    contact = Contact.objects.get()
    assert (contact.created_by, contact.updated_by) == (importer, importer)
    entries = list(contact.history.all())
    assert [(e.history_type, e.history_user, e.name) for e in entries] == [("+", importer, "李四")]


def test_export_reimports_cleanly_in_csv_and_xlsx(tmp_path):
    account = make_account(name="北京科技")
    make_contact(account=account, name="李四", email="l@x.com", birthday="1980-01-02")
    make_contact(account=account, name="王五", mobile="13900000009", phone="010-1234567")
    for name in ("out.csv", "out.xlsx"):
        target = tmp_path / name
        call_command("export_contacts", str(target))
        output = run(target, "--update")
        assert "created 0, updated 0, unchanged 2, skipped 0, failed 0" in output
    assert Contact.objects.count() == 2
    assert str(Contact.objects.get(name="李四").birthday) == "1980-01-02"
