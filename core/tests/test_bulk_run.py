"""The import run's steps on their own: validation that reports cell by cell, the plan that
decides what each row does before anything is written, progress after each written batch, a
stop request between batches, and key-only columns that never reach the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.imports import SPEC as ACCOUNTS
from accounts.models import Account
from accounts.tests.factories import make_account
from contacts.imports import SPEC as CONTACTS
from core.bulk.plan import plan_batch
from core.bulk.run import run_import
from core.bulk.validation import RowValidator
from core.tests.importing import write

pytestmark = pytest.mark.django_db


def _accounts_file(tmp_path, count):
    return write(tmp_path, "客户名称,税号\n" + "".join(f"客户{i},T{i}\n" for i in range(count)))


def test_validation_reports_each_bad_cell_and_keeps_the_good_rows():
    batch = [
        (2, {"name": "甲", "email": "not-mail", "credit_limit": "abc"}),
        (3, {"name": "乙", "tax_no": "T9"}),
    ]
    checked = RowValidator(ACCOUNTS).check(batch)
    assert [row.line for row in checked.valid] == [3]
    assert checked.valid[0].key == (("tax_no",), ("T9",))
    (rejection,) = checked.rejected
    assert (rejection.line, rejection.outcome) == (2, "failed")
    assert sorted(field for field, _message in rejection.errors) == ["creditLimit", "email"]


def test_the_plan_decides_each_row_before_anything_is_written():
    make_account(name="甲", tax_no="T1")
    make_account(name="乙", tax_no="T2")
    batch = [
        (2, {"name": "甲二", "tax_no": "T1"}),  # matches T1, new name
        (3, {"name": "乙", "tax_no": "T2"}),  # matches T2, same values
        (4, {"name": "丙", "tax_no": "T3"}),  # new
        (5, {"name": "丙", "tax_no": "T3"}),  # the same key again in this batch
    ]
    rows = RowValidator(ACCOUNTS).check(batch).valid
    with CaptureQueriesContext(connection) as queries:
        plan = plan_batch(ACCOUNTS, rows, update=True)
    assert len(queries) == 1  # one lookup for the batch's tax numbers
    assert [row.line for row in plan.create] == [4]
    assert [(u.line, u.record.tax_no, u.changes) for u in plan.update] == [(2, "T1", ["name"])]
    assert [row.line for row in plan.unchanged] == [3]
    (duplicate,) = plan.skipped
    assert (duplicate.line, duplicate.errors[0][0]) == (5, "taxNo")
    assert "4" in duplicate.errors[0][1]  # names the row it repeats

    without_update = plan_batch(ACCOUNTS, rows, update=False)
    assert sorted(r.line for r in without_update.skipped) == [2, 3, 5]
    assert Account.objects.count() == 2  # planning writes nothing


def test_progress_is_reported_after_each_batch_is_written(tmp_path):
    seen = []

    def on_progress(rows):
        seen.append((rows, Account.objects.count()))

    summary = run_import(
        ACCOUNTS, _accounts_file(tmp_path, 7), batch_size=3, on_progress=on_progress
    )
    assert summary.created == 7
    assert seen == [(3, 3), (3, 6), (1, 7)]


def test_a_stop_request_ends_the_run_between_batches(tmp_path):
    asked = []

    def should_stop():
        asked.append(True)
        return len(asked) > 1  # after the first batch

    summary = run_import(
        ACCOUNTS, _accounts_file(tmp_path, 7), batch_size=3, should_stop=should_stop
    )
    assert summary.stopped
    assert (summary.rows, summary.created, Account.objects.count()) == (3, 3, 3)


def test_key_only_columns_never_reach_the_services(tmp_path, monkeypatch):
    account = make_account()
    given = []
    for spec in (ACCOUNTS, CONTACTS):
        original = spec.create_batch

        def spy(*, rows, by, original=original):
            given.extend(rows)
            return original(rows=rows, by=by)

        monkeypatch.setattr(spec, "create_batch", spy)
    run_import(ACCOUNTS, write(tmp_path, "客户编号,客户名称\nACC-X,新客户\n"))
    contacts = f"客户编号,客户名称,姓名\n{account.account_no},{account.name},张三\n"
    run_import(CONTACTS, write(tmp_path, contacts, name="contacts.csv"))
    assert len(given) == 2
    assert all(not {"account_no", "account_name"} & row.keys() for row in given)
