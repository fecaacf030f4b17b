"""Accounts in bulk: the columns of import and export files, and how rows reach the services."""

from accounts import services
from accounts.models import Account, AccountSize, AccountStatus, AccountType, LoyaltyLevel
from accounts.serializers import AccountInputSerializer
from core.bulk.spec import BulkSpec, Column, find_by_keys

COLUMNS = [
    Column("account_no", "客户编号"),
    Column("name", "客户名称", ("名称", "公司名称")),
    Column("type", "客户类型", ("类型",), choices=AccountType),
    Column("industry", "行业"),
    Column("region", "地区", ("区域",)),
    Column("address", "地址"),
    Column("contact_person", "联系人"),
    Column("phone", "电话", ("联系电话",)),
    Column("email", "邮箱", ("电子邮箱", "邮件")),
    Column("website", "网站", ("网址",)),
    Column("tax_no", "税号", ("纳税人识别号",)),
    Column("credit_limit", "信用额度"),
    Column("loyalty_level", "忠诚度等级", ("忠诚度",), choices=LoyaltyLevel),
    Column("size", "规模", ("企业规模",), choices=AccountSize),
    Column("remarks", "备注"),
    Column("status", "状态", choices=AccountStatus),
    Column("owner", "负责人", ("所有者",)),
]


class AccountImportSerializer(AccountInputSerializer):
    """The API's rules for one row, minus the per-row tax-number query: in bulk, a tax number
    already on file matches that account (natural key) and the database refuses live clashes."""

    def validate_tax_no(self, value):
        return value


def _export_row(account: Account) -> dict:
    row = {column.field: getattr(account, column.field) for column in COLUMNS}
    row["owner"] = account.owner.username if account.owner else None
    return row


SPEC = BulkSpec(
    name="accounts",
    columns=COLUMNS,
    serializer=AccountImportSerializer,
    key_fields=[("account_no",), ("tax_no",)],
    key_only=("account_no",),
    required=("name",),
    find_existing=lambda wanted: find_by_keys(Account.objects.all(), wanted),
    create_batch=services.account_bulk_create,
    update_batch=services.account_bulk_update,
    export_queryset=lambda: Account.objects.select_related("owner").order_by("created_at", "id"),
    export_row=_export_row,
)
