"""A record that does not exist for the caller answers HTTP 404 with its resource's not-found
code (CONTRACT.md §1): an unknown id, a malformed one and a soft-deleted record alike, on
every method the record answers."""

import uuid

import pytest

from accounts.tests.factories import make_account
from activities.tests.factories import make_activity
from campaigns.tests.factories import make_campaign
from cases.tests.factories import make_case
from contacts.tests.factories import make_contact
from core.services import soft_delete
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"
EVERY_METHOD = ("get", "put", "patch", "delete")

# resource: (make one record, its not-found code, the methods of /<resource>/{id})
RESOURCES = {
    "accounts": (make_account, 4001, EVERY_METHOD),
    "contacts": (make_contact, 4002, EVERY_METHOD),
    "activities": (make_activity, 4003, EVERY_METHOD),
    "cases": (make_case, 4004, ("get", "put", "patch")),  # cases are closed, not deleted
    "leads": (make_lead, 4005, EVERY_METHOD),
    "opportunities": (make_opportunity, 4006, EVERY_METHOD),
    "campaigns": (make_campaign, 404, EVERY_METHOD),  # the seed has no campaign code
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_unknown_malformed_or_deleted_record_answers_its_not_found_code(admin_client, resource):
    make, code, methods = RESOURCES[resource]
    gone = make()
    soft_delete(instance=gone, by=None)

    for record_id in (uuid.uuid4(), "nope", f"{resource}-001", gone.pk):
        for method in methods:
            response = getattr(admin_client, method)(
                f"{CRM}/{resource}/{record_id}", {}, format="json"
            )
            answer = response.json()
            assert (response.status_code, answer["code"]) == (404, code), (method, record_id)
            assert answer["data"] is None
