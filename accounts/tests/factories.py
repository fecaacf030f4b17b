"""Test data built through the same service the API uses (numbering and stamping included)."""

from accounts.models import Account
from accounts.services import account_create


def make_account(by=None, **fields) -> Account:
    fields.setdefault("name", "北京科技有限公司")
    return account_create(by=by, **fields)
