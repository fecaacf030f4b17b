"""Records under an account (contacts, activities) come back only under a live account."""

import pytest

from accounts.services import account_delete, account_restore
from activities.models import Activity
from activities.services import activity_delete, activity_restore
from activities.tests.factories import make_activity
from contacts.models import Contact
from contacts.services import contact_delete, contact_restore
from contacts.tests.factories import make_contact
from core.exceptions import BusinessError, ErrorCode

pytestmark = pytest.mark.django_db

KINDS = {
    "contact": (make_contact, contact_delete, contact_restore, Contact),
    "activity": (make_activity, activity_delete, activity_restore, Activity),
}


@pytest.mark.parametrize("kind", KINDS)
def test_restore_needs_a_live_account(admin_user, kind):
    make, delete, restore, model = KINDS[kind]
    record = make()
    delete(**{kind: record}, by=admin_user)
    account_delete(account=record.account, by=admin_user)

    with pytest.raises(BusinessError) as caught:
        restore(**{kind: record}, by=admin_user)
    assert caught.value.code == ErrorCode.ACCOUNT_NOT_FOUND
    assert model.all_objects.get(pk=record.pk).deleted_at is not None

    account_restore(account=record.account, by=admin_user)
    restore(**{kind: record}, by=admin_user)
    assert model.objects.filter(pk=record.pk).exists()
