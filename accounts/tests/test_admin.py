"""The back office: accounts are numbered, stamped, searched, soft-deleted and restored."""

import pytest

from accounts.models import Account
from accounts.tests.factories import NO_INLINE_ROWS, make_account

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/account/"


def listed(staff, **params) -> list[str]:
    response = staff.get(CHANGELIST, params)
    assert response.status_code == 200
    return [account.name for account in response.context["cl"].result_list]


def test_admin_create_goes_through_the_service(staff):
    response = staff.post(
        f"{CHANGELIST}add/",
        {
            "name": "后台客户",
            "type": "corporate",
            "status": "active",
            "credit_limit": "100",
            **NO_INLINE_ROWS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = Account.objects.get(name="后台客户")
    assert account.account_no == "ACC001"
    assert account.created_by.username == "admin"


def test_admin_status_change_is_recorded(staff):
    account = make_account(name="甲")
    response = staff.post(
        f"{CHANGELIST}{account.pk}/change/",
        {
            "name": "甲",
            "type": "corporate",
            "status": "inactive",
            "credit_limit": "0",
            **NO_INLINE_ROWS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.status == "inactive"
    assert [(c.from_status, c.to_status) for c in account.status_changes.all()] == [
        ("active", "inactive")
    ]


@pytest.mark.parametrize(
    ("field", "term"),
    [("name", "深圳"), ("tax_no", "TAX-9"), ("phone", "0755"), ("account_no", "ACC002")],
)
def test_admin_search_by_number_name_tax_number_and_phone(staff, field, term):
    make_account(name="北京", tax_no="TAX-1", phone="010-1234567")
    make_account(name="深圳电子", tax_no="TAX-9", phone="0755-7654321")
    assert listed(staff, q=term) == ["深圳电子"]


def test_admin_delete_is_soft_and_restore_brings_it_back(staff):
    account = make_account(name="可恢复客户")
    staff.post(
        CHANGELIST,
        {"action": "soft_delete_selected", "_selected_action": [str(account.pk)]},
    )
    stored = Account.all_objects.get(pk=account.pk)
    assert stored.deleted_at is not None
    assert listed(staff) == []
    assert listed(staff, deleted="deleted") == ["可恢复客户"]
    staff.post(
        f"{CHANGELIST}?deleted=deleted",
        {"action": "restore_selected", "_selected_action": [str(account.pk)]},
    )
    assert Account.objects.filter(pk=account.pk).exists()


def test_server_owned_fields_are_read_only_in_the_form(staff):
    account = make_account()
    page = staff.get(f"{CHANGELIST}{account.pk}/change/").content.decode()
    for field in ("account_no", "credit_used", "created_by", "updated_at"):
        assert f'name="{field}"' not in page
