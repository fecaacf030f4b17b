"""A record is deleted once (issue 20, item 6): the delete service locks the row and refuses a
record that is already deleted with its not-found code; a unique violation that slipped past
validation names its field. Both on every database (the concurrent versions, on PostgreSQL,
are in test_races.py)."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from accounts.models import Account
from accounts.services import account_delete
from accounts.tests.factories import make_account
from core.api.constraints import unique_violation_errors
from core.exceptions import ErrorCode, RecordNotFound

pytestmark = pytest.mark.django_db


def test_deleting_a_deleted_account_again_answers_4001_and_changes_nothing(admin_user):
    account = make_account()
    account_delete(account=account, by=admin_user)
    deleted_at = Account.all_objects.get(pk=account.pk).deleted_at

    with pytest.raises(RecordNotFound) as refused:
        account_delete(account=account, by=None)

    assert (refused.value.code, refused.value.status) == (ErrorCode.ACCOUNT_NOT_FOUND, 404)
    assert Account.all_objects.get(pk=account.pk).deleted_at == deleted_at


def test_the_admin_delete_page_of_a_deleted_account_changes_nothing(admin_user):
    account = make_account()
    account_delete(account=account, by=admin_user)
    stored = Account.all_objects.get(pk=account.pk)
    staff = Client()
    staff.force_login(admin_user)

    response = staff.post(f"/admin/accounts/account/{account.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    again = Account.all_objects.get(pk=account.pk)
    assert (again.deleted_at, again.updated_at) == (stored.deleted_at, stored.updated_at)


def test_a_unique_violation_names_the_field_and_the_constraints_message():
    make_account(name="先到", tax_no="TAX-1")
    with pytest.raises(IntegrityError) as violation, transaction.atomic():
        # Straight to the database, past the serializer's check, as a concurrent request is.
        Account.objects.create(name="后到", tax_no="TAX-1", account_no="ACC999")

    with translation.override("en"):
        errors = unique_violation_errors(violation.value)
    assert errors == {"tax_no": ["An account with this tax number already exists."]}
