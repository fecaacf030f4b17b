"""A body naming an account or a contact that does not exist for the caller (an unknown id, a
malformed one, a soft-deleted record) is refused with that record's code, 4001 or 4002 with
HTTP 400, naming the field; nothing is stored."""

import uuid

import pytest

from accounts.tests.factories import make_account
from contacts.tests.factories import make_contact
from core.services import soft_delete
from core.tests.api import CRM, data_of, refused

pytestmark = pytest.mark.django_db

# A valid create body of each resource that names an account, without the account.
BODIES = {
    "contacts": {"name": "李四"},
    "activities": {"type": "call", "subject": "回访"},
    "cases": {"subject": "系统登录问题", "type": "issue"},
    "opportunities": {"name": "产品采购机会"},
}


def gone(record):
    soft_delete(instance=record, by=None)
    return record.pk


def assert_nothing_stored_but_the_body_is_valid(client, resource, body):
    assert data_of(client.get(f"{CRM}/{resource}"))["total"] == 0
    data_of(client.post(f"{CRM}/{resource}", body, format="json"))  # with live references


@pytest.mark.parametrize("resource", BODIES)
def test_an_account_that_does_not_exist_answers_4001(admin_client, resource):
    for account_id in (uuid.uuid4(), "account-001", gone(make_account())):
        body = {**BODIES[resource], "accountId": str(account_id)}
        response = admin_client.post(f"{CRM}/{resource}", body, format="json")
        assert "accountId" in refused(response, 4001), account_id
    body = {**BODIES[resource], "accountId": str(make_account().pk)}
    assert_nothing_stored_but_the_body_is_valid(admin_client, resource, body)


@pytest.mark.parametrize("resource", ["activities", "cases"])
def test_a_contact_that_does_not_exist_answers_4002(admin_client, resource):
    account = make_account()
    for contact_id in (uuid.uuid4(), "contact-001", gone(make_contact(account))):
        body = {**BODIES[resource], "accountId": str(account.pk), "contactId": str(contact_id)}
        response = admin_client.post(f"{CRM}/{resource}", body, format="json")
        assert "contactId" in refused(response, 4002), contact_id
    live = make_contact(account)
    body = {**BODIES[resource], "accountId": str(account.pk), "contactId": str(live.pk)}
    assert_nothing_stored_but_the_body_is_valid(admin_client, resource, body)
