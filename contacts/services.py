"""Every write to a contact goes through here: API, admin, lead conversion and imports."""

from django.db import transaction

from accounts.models import Account
from contacts.models import Contact
from core import services


@transaction.atomic
def contact_create(*, account: Account, by, **fields) -> Contact:
    contact = Contact(account=account, **fields)
    services.stamp_new(contact, by=by)
    contact.save(force_insert=True)
    return contact
