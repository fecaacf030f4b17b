"""Test data built through the same services the API uses."""

from accounts.tests.factories import make_account
from contacts.models import Contact
from contacts.services import contact_create


def make_contact(account=None, by=None, **fields) -> Contact:
    fields.setdefault("name", "李四")
    return contact_create(account=account or make_account(by=by), by=by, **fields)
