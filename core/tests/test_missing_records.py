"""A record that does not exist for the caller answers HTTP 404 with its resource's not-found
code (CONTRACT.md §1): an unknown id, a malformed one and a soft-deleted record alike, on
every method the record answers."""

import uuid

import pytest

from core.services import soft_delete
from core.tests.api import CRM, RESOURCES

pytestmark = pytest.mark.django_db


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
