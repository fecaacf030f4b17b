"""Attachments obey record ownership (issue 20, item 4; docs/ROLES.md).

A file is visible to its uploader and to whoever may see at least one live record it is
attached to. Any other file answers like a missing one: 404 on download, and HTTP 400 with body
code 404 when its id is sent in ``attachmentIds``.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import client_for

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"
FILES = "/api/v1/files"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, name="报价单.pdf") -> str:
    response = client.post(
        FILES,
        {"file": SimpleUploadedFile(name, b"%PDF-1.4 secret", content_type="application/pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    return response.json()["data"]["id"]


def post(client, resource: str, body: dict) -> str:
    response = client.post(f"{CRM}/{resource}", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["data"]["id"]


@pytest.fixture
def alice(make_user):
    return client_for(make_user("alice", role="sales"))


@pytest.fixture
def bob(make_user):
    return client_for(make_user("bob", role="sales"))


@pytest.fixture
def alices_account(alice) -> str:
    return post(alice, "accounts", {"name": "爱丽丝的客户"})


def attach_to_activity(client, account: str, file_id: str) -> str:
    body = {"accountId": account, "type": "meeting", "subject": "报价", "attachmentIds": [file_id]}
    return post(client, "activities", body)


def attach_to_case(client, account: str, file_id: str) -> str:
    body = {"accountId": account, "type": "issue", "subject": "问题", "attachmentIds": [file_id]}
    return post(client, "cases", body)


def assert_file_not_found(response) -> None:
    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": response.json()["message"], "data": None}


def assert_attach_refused(response, file_id: str) -> None:
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 404
    assert list(body["data"]) == ["attachmentIds"]
    assert file_id in body["data"]["attachmentIds"][0]


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("attach", [attach_to_activity, attach_to_case])
def test_another_rep_cannot_download_a_file_attached_to_a_record_they_cannot_see(
    alice, bob, alices_account, attach
):
    file_id = upload(alice)
    attach(alice, alices_account, file_id)

    assert alice.get(f"{FILES}/{file_id}").status_code == 200
    assert_file_not_found(bob.get(f"{FILES}/{file_id}"))


def test_an_unattached_upload_is_visible_to_its_uploader_only(alice, bob):
    file_id = upload(alice)

    assert alice.get(f"{FILES}/{file_id}").status_code == 200
    assert_file_not_found(bob.get(f"{FILES}/{file_id}"))


def test_a_file_is_visible_through_any_record_it_is_attached_to(
    alice, bob, alices_account, admin_client
):
    file_id = upload(alice)
    attach_to_activity(alice, alices_account, file_id)
    bobs_account = post(bob, "accounts", {"name": "鲍勃的客户"})
    assert_file_not_found(bob.get(f"{FILES}/{file_id}"))

    # A superuser sees every file, and attaches this one to a case under Bob's account too.
    attach_to_case(admin_client, bobs_account, file_id)

    assert bob.get(f"{FILES}/{file_id}").status_code == 200


def test_view_all_roles_see_files_attached_to_any_record(alice, make_user, alices_account):
    file_id = upload(alice)
    attach_to_case(alice, alices_account, file_id)
    support = client_for(make_user("sue", role="support"))
    manager = client_for(make_user("max", role="manager"))

    assert support.get(f"{FILES}/{file_id}").status_code == 200
    assert manager.get(f"{FILES}/{file_id}").status_code == 200


def test_a_file_attached_only_to_a_deleted_record_is_left_to_its_uploader(
    alice, make_user, alices_account
):
    file_id = upload(alice)
    activity = attach_to_activity(alice, alices_account, file_id)
    manager = client_for(make_user("max", role="manager"))
    assert manager.get(f"{FILES}/{file_id}").status_code == 200

    assert alice.delete(f"{CRM}/activities/{activity}").status_code == 200

    assert_file_not_found(manager.get(f"{FILES}/{file_id}"))
    assert alice.get(f"{FILES}/{file_id}").status_code == 200


def test_a_role_without_the_records_view_permission_does_not_see_through_them(
    alice, make_user, alices_account
):
    """Marketing may read files (core.view_storedfile) but not activities."""
    file_id = upload(alice)
    attach_to_activity(alice, alices_account, file_id)
    marketing = client_for(make_user("mia", role="marketing"))

    assert_file_not_found(marketing.get(f"{FILES}/{file_id}"))


# --- attaching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["activities", "cases"])
def test_attaching_another_reps_file_is_refused_like_an_unknown_file(
    alice, make_user, alices_account, resource
):
    file_id = upload(alice)
    attach_to_case(alice, alices_account, file_id)
    # A rep who may also edit cases (the sales role may only add them) but sees only their own.
    bob_user = make_user("bob", role="sales")
    bob_user.user_permissions.add(Permission.objects.get(codename="change_case"))
    bob = client_for(type(bob_user).objects.get(pk=bob_user.pk))
    bobs_account = post(bob, "accounts", {"name": "鲍勃的客户"})
    body = {"accountId": bobs_account, "type": "note", "subject": "偷附件"}
    if resource == "cases":
        body["type"] = "issue"

    created = bob.post(f"{CRM}/{resource}", {**body, "attachmentIds": [file_id]}, format="json")
    assert_attach_refused(created, file_id)

    record = post(bob, resource, body)
    updated = bob.put(f"{CRM}/{resource}/{record}", {"attachmentIds": [file_id]}, format="json")
    assert_attach_refused(updated, file_id)
    assert bob.get(f"{CRM}/{resource}/{record}").json()["data"]["attachments"] == []


def test_a_rep_may_attach_their_own_upload_and_a_file_they_see_through_a_record(
    alice, alices_account, make_user
):
    shared = upload(alice)
    attach_to_activity(alice, alices_account, shared)
    manager_user = make_user("max", role="manager")
    manager = client_for(manager_user)
    own = upload(manager)

    activity = attach_to_activity(manager, alices_account, own)
    response = manager.put(
        f"{CRM}/activities/{activity}", {"attachmentIds": [own, shared]}, format="json"
    )

    assert response.status_code == 200, response.json()
    attached = manager.get(f"{CRM}/activities/{activity}").json()["data"]["attachments"]
    assert sorted(item["id"] for item in attached) == sorted([own, shared])
