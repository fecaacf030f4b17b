"""Test data built through the same service the API uses (numbering and stamping included)."""

from accounts.models import Account
from accounts.services import account_create


def make_account(by=None, **fields) -> Account:
    fields.setdefault("name", "北京科技有限公司")
    return account_create(by=by, **fields)


# The back office's account page posts its inlines' management forms; these say "no rows".
NO_INLINE_ROWS = {
    f"{inline}-{count}_FORMS": "0"
    for inline in ("status_changes", "credit_assessments", "contacts", "activities")
    for count in ("TOTAL", "INITIAL")
}
