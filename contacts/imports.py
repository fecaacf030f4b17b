"""Contacts in bulk: the columns of import and export files, and how rows reach the services.

A row names its account by number (客户编号, ``accountNo``) or id (``accountId``); the numbers of
a batch are resolved with one query. Natural key: the account and the email, else the account
and the mobile number.
"""

import contextlib
import uuid

from django.utils.translation import gettext as _

from accounts.models import Account
from contacts import services
from contacts.models import Contact
from contacts.serializers import ContactInputSerializer
from core.bulk.spec import BulkSpec, Column, find_by_keys
from core.exceptions import DEFAULT_MESSAGES, ErrorCode

COLUMNS = [
    Column("account_no", "客户编号", ("客户号",)),
    Column("account_name", "客户名称"),  # exported for people; an import ignores it
    Column("account_id", "客户ID", ("客户id",)),
    Column("name", "姓名", ("联系人", "联系人姓名", "名称")),
    Column("position", "职位", ("职务",)),
    Column("phone", "电话", ("联系电话", "座机")),
    Column("mobile", "手机", ("手机号", "手机号码")),
    Column("email", "邮箱", ("电子邮箱", "邮件")),
    Column("fax", "传真"),
    Column("address", "地址"),
    Column("birthday", "生日", ("出生日期",), kind="date"),
    Column("preferences", "偏好", ("喜好", "备注")),
]


def resolve_accounts(rows: list[dict]) -> dict[int, list[tuple[str, str]]]:
    """Give each row an ``account_id``: its own, or the id of the live account its number
    names (one query for the batch). Rows naming no account, or an unknown one, are rejected."""
    numbers = {row["account_no"] for row in rows if "account_no" in row and "account_id" not in row}
    found = (
        dict(Account.objects.filter(account_no__in=numbers).values_list("account_no", "id"))
        if numbers
        else {}
    )
    rejected = {}
    for index, row in enumerate(rows):
        if "account_id" in row:
            # One spelling of the id, so natural keys compare equal; the serializer reports
            # a malformed one.
            with contextlib.suppress(ValueError):
                row["account_id"] = str(uuid.UUID(str(row["account_id"])))
        elif "account_no" in row:
            if row["account_no"] in found:
                row["account_id"] = str(found[row["account_no"]])
            else:
                message = str(DEFAULT_MESSAGES[ErrorCode.ACCOUNT_NOT_FOUND])
                rejected[index] = [("accountNo", message)]
        else:
            message = _("Give the account's number (客户编号) or id (accountId).")
            rejected[index] = [("accountNo", message)]
    return rejected


def _export_row(contact: Contact) -> dict:
    row = {column.field: getattr(contact, column.field, None) for column in COLUMNS}
    row.update(
        account_no=contact.account.account_no,
        account_name=contact.account.name,
        account_id=str(contact.account_id),
    )
    return row


SPEC = BulkSpec(
    name="contacts",
    columns=COLUMNS,
    serializer=ContactInputSerializer,
    key_fields=[("account_id", "email"), ("account_id", "mobile")],
    key_only=("account_no", "account_name"),
    required=("name",),
    required_one_of=(("account_no", "account_id"),),
    prepare=resolve_accounts,
    find_existing=lambda wanted: find_by_keys(Contact.objects.all(), wanted),
    create_batch=services.contact_bulk_create,
    update_batch=services.contact_bulk_update,
    export_queryset=lambda: Contact.objects.select_related("account").order_by("created_at", "id"),
    export_row=_export_row,
)
