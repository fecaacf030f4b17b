"""The bulk engine (core.bulk): the fast row validator against the API's serializers, the COPY
writer against simple_history's bulk_create_with_history, file formats, and the writer thread."""

import datetime
import random
import threading
import uuid
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import connection
from rest_framework.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history

from accounts.imports import SPEC as ACCOUNTS
from accounts.imports import AccountImportSerializer
from accounts.models import Account
from accounts.services import account_delete
from accounts.tests.factories import make_account
from campaigns.tests.factories import make_campaign
from contacts.serializers import ContactInputSerializer
from core.bulk.fast_validator import FastRowValidator
from core.bulk.files import detect_encoding
from core.bulk.run import run_import
from core.bulk.validation import RowValidator
from core.bulk.writer import insert_with_history
from core.exceptions import BusinessError
from core.tests.importing import report_rows, write
from core.tests.importing import run as run_command
from sales.serializers import LeadInputSerializer

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and the writer thread are PostgreSQL's"
)

# --- the fast validator accepts and rejects exactly what the serializer does -------------------

TEXT_BAD = ["", "   ", "a\x00b", "a\ud800b", True, ["x"], {"a": 1}]
TEXT_OK = ["北京科技有限公司", "  前后空格  ", "x", 12345, 1.5]
POOLS = {
    # field: (valid-looking values, invalid-looking values); both are tried.
    "phone": (["13800138001", "+86 10-1234 5678", "(010)12345678"], ["call me", "12", "1" * 31]),
    "mobile": (["13900139001"], ["abc", "+"]),
    "fax": (["010-12345678"], ["fax?"]),
    "email": (["a@b.com", "li.si@例子.中国", " x@y.cn "], ["not-mail", "a@b", "@b.com", "a" * 300]),
    "website": (["www.example.com", "https://a.cn/x?y=1", "例子.中国"], ["not a site", "http://"]),
    "credit_limit": (["1000", "1000.5", "0", 12, 1.5, "  7 "], ["-5", "abc", "1.234", "9" * 17]),
    "score": (["85", "85.0", 0, 100], ["101", "-1", "1.5", "abc", "1" * 1001]),
    "birthday": (["1980-01-02", datetime.date(1990, 5, 6)], ["1980/01/02", "bad", "2020-02-30"]),
    "type": (["corporate", "individual", "government"], ["企业", "bogus", ""]),
    "loyalty_level": (["gold", "platinum"], ["黄金", "x"]),
    "size": (["small", "enterprise"], ["huge"]),
    "source": (["website", "referral", "event", "cold_call"], ["ads"]),
}


def _text_pool(field):
    limit = getattr(field, "max_length", None) or 300
    return ([*TEXT_OK, "x" * limit], [*TEXT_BAD, "x" * (limit + 1)])


def _sample_rows(serializer, extra_pools, rng, count):
    fields = list(serializer._writable_fields)
    rows = []
    for _i in range(count):
        row = {}
        for field in fields:
            if rng.random() < 0.25 and not (field.required and rng.random() < 0.9):
                continue  # absent
            good, bad = (
                extra_pools.get(field.field_name)
                or POOLS.get(field.field_name)
                or _text_pool(field)
            )
            draw = rng.random()
            if draw < 0.02:
                row[field.field_name] = None
            else:
                row[field.field_name] = rng.choice(good if draw > 0.06 else bad)
        rows.append(row)
    return rows


def _full(serializer, payload):
    try:
        return dict(serializer.run_validation(payload))
    except (ValidationError, BusinessError):
        return None


def _assert_same_decisions(serializer_class, extra_pools, count=1500):
    serializer = serializer_class()
    fast = FastRowValidator(serializer)
    rows = _sample_rows(serializer, extra_pools, random.Random(7), count)
    accepted = 0
    for start in range(0, len(rows), 100):
        chunk = rows[start : start + 100]
        fast.prefetch(chunk)
        for payload in chunk:
            expected = _full(serializer, payload)
            got = fast.validate(payload)
            assert (got is None) == (expected is None), payload
            assert got == expected, payload
            accepted += got is not None
    assert 0.1 * count < accepted < 0.9 * count  # both outcomes are well represented


@pytest.mark.django_db
def test_fast_validation_decides_accounts_exactly_as_the_api_serializer(make_user):
    make_user("seller")
    inactive = make_user("gone")
    inactive.is_active = False
    inactive.save()
    owners = (["seller"], ["gone", "nobody", ""])
    statuses = (["active", "inactive"], ["活跃", "x"])
    _assert_same_decisions(AccountImportSerializer, {"owner": owners, "status": statuses})


@pytest.mark.django_db
def test_fast_validation_decides_contacts_exactly_as_the_api_serializer(make_user):
    live = make_account()
    deleted = make_account()
    account_delete(account=deleted, by=make_user())
    ids = (
        [str(live.id), str(live.id).upper(), live.id.hex],
        [str(deleted.id), str(uuid.uuid4()), "not-a-uuid", 123, ""],
    )
    _assert_same_decisions(ContactInputSerializer, {"account_id": ids})


@pytest.mark.django_db
def test_fast_validation_decides_leads_exactly_as_the_api_serializer(make_user):
    make_user("seller")
    campaign = make_campaign()
    campaigns = ([str(campaign.id)], [str(uuid.uuid4()), "nope"])
    statuses = (["new", "qualified", "unqualified"], ["converted", "x"])
    _assert_same_decisions(
        LeadInputSerializer,
        {"campaign_id": campaigns, "owner": (["seller"], ["nobody"]), "status": statuses},
    )


# --- COPY writes what bulk_create_with_history writes ------------------------------------------


def _accounts(user, count, prefix):
    now = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    accounts = []
    for i in range(count):
        account = Account(
            account_no=f"{prefix}{i}",
            name=f"客户{i}",
            phone="13800138001" if i % 2 else None,
            credit_limit=Decimal("12.50") * i,
            loyalty_level="gold" if i % 3 else None,
        )
        account.created_at = account.updated_at = now
        account.created_by = account.updated_by = account.owner = user
        accounts.append(account)
    return accounts


IGNORED = {"history_id", "id", "history_relation", "account_no"}


def _history_rows(prefix):
    model = Account.history.model
    names = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED]
    rows = model.objects.filter(account_no__startswith=prefix).order_by("name")
    return [tuple(getattr(row, n) for n in names) for row in rows]


@postgres_only
@pytest.mark.django_db
def test_copy_writes_the_same_records_and_audit_trail_as_simple_history(make_user):
    user = make_user("importer")
    date = datetime.datetime(2025, 1, 2, 3, 4, 6, tzinfo=datetime.UTC)
    insert_with_history(Account, _accounts(user, 5, "COPY"), user=user, history_date=date)
    bulk_create_with_history(
        _accounts(user, 5, "ORM"), Account, default_user=user, default_date=date
    )

    assert _history_rows("COPY") == _history_rows("ORM")
    assert len(_history_rows("COPY")) == 5
    fields = [f.attname for f in Account._meta.concrete_fields if f.name not in IGNORED]
    copied = Account.objects.filter(account_no__startswith="COPY").order_by("name")
    created = Account.objects.filter(account_no__startswith="ORM").order_by("name")
    assert [[getattr(a, f) for f in fields] for a in copied] == [
        [getattr(a, f) for f in fields] for a in created
    ]


@pytest.mark.django_db
def test_bulk_created_records_get_one_audit_trail_entry_each(make_user):
    user = make_user("importer")
    accounts = insert_with_history(Account, _accounts(user, 3, "ANY"), user=user)
    for account in accounts:
        (entry,) = account.history.all()
        assert (entry.history_type, entry.history_user, entry.name) == ("+", user, account.name)


# --- files real users send ---------------------------------------------------------------------


def run(path, *args):
    return run_command("import_accounts", path, *args)


@pytest.mark.django_db
def test_utf16_tab_separated_text_from_a_spreadsheet_program(tmp_path):
    path = write(tmp_path, "客户名称\t客户类型\n甲公司\t政府\n", "utf-16")
    assert "created 1" in run(path)
    assert Account.objects.get().type == "government"


@pytest.mark.django_db
def test_semicolon_separated_files_and_unknown_columns_are_reported(tmp_path):
    path = write(tmp_path, "客户名称;备注;颜色\n甲公司;好客户;红\n")
    output = run(path)
    assert "created 1" in output and "颜色" in output
    assert Account.objects.get().remarks == "好客户"


def test_a_file_gbk_only_past_the_first_megabytes_is_read_as_gbk(tmp_path):
    ascii_rows = b"Company,x\n" * 300_000  # 3 MB of ASCII: valid UTF-8 and GBK alike
    path = tmp_path / "late.csv"
    path.write_bytes(b"name,remarks\n" + ascii_rows + "最后的公司,备注\n".encode("gbk"))
    assert detect_encoding(path) == "gb18030"
    path.write_bytes(b"name,remarks\n" + ascii_rows + "最后的公司,备注\n".encode())
    assert detect_encoding(path) == "utf-8"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [("", "空"), ("客户名称\n", None)],
)
def test_empty_files(tmp_path, content, message):
    path = write(tmp_path, content)
    if message:
        with pytest.raises(CommandError, match=message):
            run(path)
    else:
        assert "0 rows" in run(path)


@pytest.mark.django_db
def test_old_xls_and_broken_workbooks_are_refused_clearly(tmp_path):
    for name in ("old.xls", "broken.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"not a workbook")
        with pytest.raises(CommandError, match=r"xls|工作簿"):
            run(path)


@pytest.mark.django_db
def test_xlsx_number_and_date_cells_become_text_and_dates(tmp_path):
    from openpyxl import Workbook

    from contacts.models import Contact

    account = make_account()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["客户编号", "姓名", "手机", "生日"])
    sheet.append([account.account_no, "李四", 13900139001, datetime.datetime(1980, 1, 2)])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    assert "created 1" in run_command("import_contacts", path)
    contact = Contact.objects.get()
    assert (contact.mobile, contact.birthday) == ("13900139001", datetime.date(1980, 1, 2))


@pytest.mark.django_db
def test_a_row_breaking_a_database_rule_fails_alone(tmp_path):
    make_account(name="已有", tax_no="T1")
    # Matched by account number first, so the tax number clashes with the other account.
    existing = make_account(name="另一家", tax_no="T2")
    path = write(tmp_path, f"客户编号,客户名称,税号\n{existing.account_no},另一家,T1\n,新客户,T3\n")
    output = run(path, "--update")
    assert "created 1" in output and "failed 1" in output
    ((line, _field, message),) = report_rows(path)
    assert line == "2" and message


# --- the writer thread (PostgreSQL, outside a transaction) -------------------------------------

HEADER = "客户名称,税号\n"


def _file(tmp_path, count):
    return write(tmp_path, HEADER + "".join(f"客户{i},T{i}\n" for i in range(count)))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_batches_are_written_by_a_writer_thread_in_order(tmp_path, monkeypatch):
    threads = []
    original = ACCOUNTS.create_batch

    def spy(**kwargs):
        threads.append(threading.current_thread().name)
        return original(**kwargs)

    monkeypatch.setattr(ACCOUNTS, "create_batch", spy)
    summary = run_import(ACCOUNTS, _file(tmp_path, 10), batch_size=3)
    assert (summary.created, Account.objects.count()) == (10, 10)
    assert threads == ["bulk-import-writer"] * 4
    numbers = list(Account.objects.order_by("account_no").values_list("tax_no", flat=True))
    assert numbers == [f"T{i}" for i in range(10)]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_interrupting_the_reader_keeps_whole_batches_only(tmp_path, monkeypatch):
    original = RowValidator.check
    calls = {"n": 0}

    def interrupt_third(validator, batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(validator, batch)

    monkeypatch.setattr(RowValidator, "check", interrupt_third)
    with pytest.raises(KeyboardInterrupt):
        run_import(ACCOUNTS, _file(tmp_path, 10), batch_size=3)
    # Batch one, and batch two if the writer had begun it: whole batches, in file order.
    written = sorted(Account.objects.values_list("tax_no", flat=True), key=lambda t: int(t[1:]))
    assert written in (["T0", "T1", "T2"], [f"T{i}" for i in range(6)])


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_failure_stops_the_import_and_reaches_the_caller(tmp_path, monkeypatch):
    original = ACCOUNTS.create_batch
    calls = {"n": 0}

    def fail_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(ACCOUNTS, "create_batch", fail_second)
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(ACCOUNTS, _file(tmp_path, 10), batch_size=3)
    assert Account.objects.count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_reports_progress_once_each_batch_is_committed(tmp_path):
    seen = []

    def on_progress(rows):  # on the writer thread: its own connection sees committed rows only
        seen.append((rows, threading.current_thread().name, Account.objects.count()))

    run_import(ACCOUNTS, _file(tmp_path, 7), batch_size=3, on_progress=on_progress)
    writer = "bulk-import-writer"
    assert seen == [(3, writer, 3), (3, writer, 6), (1, writer, 7)]
