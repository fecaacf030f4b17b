"""Rules the contact services keep for every writer (API, admin, lead conversion, imports)."""

import pytest

from accounts.services import account_delete
from accounts.tests.factories import make_account
from contacts.models import Contact
from contacts.services import contact_create, contact_update
from contacts.tests.factories import make_contact
from core.exceptions import BusinessError, ErrorCode

pytestmark = pytest.mark.django_db


def test_create_under_a_deleted_account_is_refused(admin_user):
    account = make_account()
    account_delete(account=account, by=admin_user)

    with pytest.raises(BusinessError) as caught:
        contact_create(account=account, by=admin_user, name="李四")

    assert caught.value.code == ErrorCode.ACCOUNT_NOT_FOUND
    assert not Contact.all_objects.exists()


def test_update_to_a_deleted_account_is_refused_and_nothing_changes(admin_user):
    contact = make_contact(name="李四")
    original_account_id = contact.account_id
    target = make_account()
    account_delete(account=target, by=admin_user)

    with pytest.raises(BusinessError) as caught:
        contact_update(contact=contact, data={"account": target, "name": "x"}, by=admin_user)

    assert caught.value.code == ErrorCode.ACCOUNT_NOT_FOUND
    contact.refresh_from_db()
    assert (contact.account_id, contact.name) == (original_account_id, "李四")


def test_update_stamps_only_when_something_changed(admin_user, make_user):
    creator = make_user("creator")
    contact = make_contact(name="李四", by=creator)
    stamp = contact.updated_at

    contact_update(contact=contact, data={"name": "李四"}, by=admin_user)
    contact.refresh_from_db()
    assert (contact.updated_at, contact.updated_by) == (stamp, creator)

    contact_update(contact=contact, data={"name": "王五"}, by=admin_user)
    contact.refresh_from_db()
    assert contact.updated_by == admin_user
    assert contact.updated_at > stamp
