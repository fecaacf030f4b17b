"""A record that does not exist for the caller answers HTTP 404 with its resource's not-found
code (CONTRACT.md §1): an unknown id, a malformed one and a soft-deleted record alike, on
every method the record answers. A DELETE is soft: the row stays, stamped."""

import uuid

import pytest

from core.services import soft_delete
from core.tests.api import CRM, RESOURCES, data_of

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


@pytest.mark.parametrize(
    "resource", [name for name, (_make, _code, methods) in RESOURCES.items() if "delete" in methods]
)
def test_delete_is_soft_and_the_record_then_answers_its_not_found_code(
    admin_client, admin_user, resource
):
    make, code, _methods = RESOURCES[resource]
    record = make()
    url = f"{CRM}/{resource}/{record.pk}"

    response = admin_client.delete(url)

    assert response.status_code == 200
    assert response.json() == {"code": 200, "message": "success", "data": None}
    stored = type(record).all_objects.get(pk=record.pk)
    assert (stored.deleted_at is not None, stored.deleted_by) == (True, admin_user)
    assert data_of(admin_client.get(f"{CRM}/{resource}"))["total"] == 0
    for method in ("get", "put", "delete"):
        response = getattr(admin_client, method)(url, {}, format="json")
        assert (response.status_code, response.json()["code"]) == (404, code), method
