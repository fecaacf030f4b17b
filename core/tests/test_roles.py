"""The staff roles created by the data migration and what they allow."""

import pytest
from django.contrib.auth.models import Group

from conftest import client_for
from core.roles import ROLES

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"


def member(make_user, role):
    return client_for(make_user(f"{role}-user", role=role))


def test_the_migration_creates_every_role_named_in_chinese():
    names = set(Group.objects.values_list("name", flat=True))
    assert names >= {"销售", "客服", "市场", "经理", "只读"}
    assert names.isdisjoint(ROLES)  # the codes stay in core/roles.py, not in the names
    assert Group.objects.get(name="经理").permissions.filter(codename="view_all_account").exists()


def test_sales_work_their_accounts_but_not_campaigns(make_user):
    client = member(make_user, "sales")
    account = client.post(f"{CRM}/accounts", {"name": "新客户"}, format="json")
    assert account.status_code == 200
    assert client.get(f"{CRM}/campaigns").status_code == 200
    campaign = {"name": "活动", "type": "email"}
    assert client.post(f"{CRM}/campaigns", campaign, format="json").status_code == 403
    assert client.get(f"{CRM}/analytics/overview").status_code == 403


def test_support_handles_cases_and_reads_accounts(make_user, admin_client):
    account = admin_client.post(f"{CRM}/accounts", {"name": "客户"}, format="json").json()["data"]
    client = member(make_user, "support")
    assert client.get(f"{CRM}/accounts/{account['id']}").status_code == 200
    case = {"accountId": account["id"], "subject": "无法登录", "type": "issue"}
    assert client.post(f"{CRM}/cases", case, format="json").status_code == 200
    assert (
        client.put(f"{CRM}/accounts/{account['id']}", {"name": "x"}, format="json").status_code
        == 403
    )


def test_marketing_runs_campaigns_and_sees_analytics(make_user):
    client = member(make_user, "marketing")
    campaign = {"name": "新品发布", "type": "event"}
    assert client.post(f"{CRM}/campaigns", campaign, format="json").status_code == 200
    assert client.get(f"{CRM}/analytics/overview").status_code == 200
    assert client.post(f"{CRM}/accounts", {"name": "x"}, format="json").status_code == 403


def test_readonly_reads_everything_and_changes_nothing(make_user, admin_client):
    account = admin_client.post(f"{CRM}/accounts", {"name": "客户"}, format="json").json()["data"]
    client = member(make_user, "readonly")
    assert client.get(f"{CRM}/accounts/{account['id']}").status_code == 200
    assert client.get(f"{CRM}/analytics/loyalty").status_code == 200
    assert (
        client.put(f"{CRM}/accounts/{account['id']}", {"name": "x"}, format="json").status_code
        == 403
    )
    assert client.post(f"{CRM}/accounts", {"name": "x"}, format="json").status_code == 403


def test_manager_may_do_everything_in_the_crm(make_user, admin_client):
    account = admin_client.post(f"{CRM}/accounts", {"name": "客户"}, format="json").json()["data"]
    client = member(make_user, "manager")
    assert (
        client.put(f"{CRM}/accounts/{account['id']}", {"name": "新"}, format="json").status_code
        == 200
    )
    assert client.delete(f"{CRM}/accounts/{account['id']}").status_code == 200


def test_sync_roles_command_restores_the_matrix(capsys):
    from django.core.management import call_command

    Group.objects.get(name="销售").permissions.clear()
    call_command("sync_roles")
    assert Group.objects.get(name="销售").permissions.filter(codename="add_account").exists()
    assert "销售（sales）：" in capsys.readouterr().out


def test_sync_roles_renames_a_group_still_named_by_its_code(make_user):
    """Databases from before the Chinese names: the group keeps its members and permissions."""
    from django.core.management import call_command

    group = Group.objects.get(name="销售")
    group.name = "sales"
    group.save()
    user = make_user("old-member")
    user.groups.add(group)

    call_command("sync_roles")

    assert not Group.objects.filter(name="sales").exists()
    assert list(Group.objects.get(name="销售").user_set.all()) == [user]
