"""``attachmentIds`` on create/update and ``attachments`` in the detail, as for activities."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import make_account
from cases.models import Case, CaseStatus
from cases.tests.factories import make_case, make_case_in
from core.models import StoredFile
from core.tests.api import refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/cases"
MISSING = "00000000-0000-0000-0000-000000000000"


def stored_file(name: str = "错误截图.png") -> StoredFile:
    """A file record as an upload leaves it (the bytes are irrelevant to attaching)."""
    return StoredFile.objects.create(
        file=f"attachments/test/{name}", name=name, content_type="image/png", size=10
    )


def create(client, account, **extra):
    payload = {"accountId": str(account.pk), "subject": "系统登录问题", "type": "issue", **extra}
    return client.post(URL, payload, format="json")


def test_create_with_attachments_lists_them_in_the_detail(admin_client):
    first, second = stored_file("错误截图.png"), stored_file("日志.txt")

    response = create(admin_client, make_account(), attachmentIds=[str(first.pk), str(second.pk)])

    assert response.status_code == 200
    detail = admin_client.get(f"{URL}/{response.json()['data']['id']}").json()["data"]
    assert detail["attachments"] == [
        {"id": str(first.pk), "name": "错误截图.png", "url": f"/api/v1/files/{first.pk}"},
        {"id": str(second.pk), "name": "日志.txt", "url": f"/api/v1/files/{second.pk}"},
    ]


def test_uploaded_file_can_be_attached(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("错误截图.png", b"\x89PNG fake", content_type="image/png")
    file_id = admin_client.post("/api/v1/files", {"file": upload}, format="multipart").json()[
        "data"
    ]["id"]

    case_id = create(admin_client, make_account(), attachmentIds=[file_id]).json()["data"]["id"]

    attachments = admin_client.get(f"{URL}/{case_id}").json()["data"]["attachments"]
    assert [(a["id"], a["name"]) for a in attachments] == [(file_id, "错误截图.png")]


def test_case_without_attachments_has_an_empty_list(admin_client):
    assert admin_client.get(f"{URL}/{make_case().pk}").json()["data"]["attachments"] == []


@pytest.mark.parametrize("bad_id", [MISSING, "not-a-uuid"])
def test_unknown_file_id_answers_400_with_code_404(admin_client, bad_id):
    response = create(admin_client, make_account(), attachmentIds=[bad_id])
    refused(response, 404)
    assert not Case.all_objects.exists()


def test_update_replaces_the_attachments(admin_client):
    old, new = stored_file("旧.png"), stored_file("新.png")
    case = make_case(attachments=[old])

    response = admin_client.put(f"{URL}/{case.pk}", {"attachmentIds": [str(new.pk)]}, format="json")

    assert response.status_code == 200
    assert list(Case.objects.get(pk=case.pk).attachments.all()) == [new]
    row = Case.objects.get(pk=case.pk)
    assert row.updated_by.username == "admin"  # changing only the attachments is a change


def test_empty_list_detaches_everything_and_absence_keeps_them(admin_client):
    case = make_case(attachments=[stored_file()])
    admin_client.put(f"{URL}/{case.pk}", {"subject": "只改主题"}, format="json")
    assert Case.objects.get(pk=case.pk).attachments.count() == 1

    admin_client.put(f"{URL}/{case.pk}", {"attachmentIds": []}, format="json")
    assert Case.objects.get(pk=case.pk).attachments.count() == 0


def test_unknown_file_on_update_changes_nothing(admin_client):
    kept = stored_file()
    case = make_case(attachments=[kept])
    response = admin_client.put(
        f"{URL}/{case.pk}", {"attachmentIds": [MISSING], "subject": "改"}, format="json"
    )
    refused(response, 404)
    row = Case.objects.get(pk=case.pk)
    assert list(row.attachments.all()) == [kept]
    assert row.subject == "系统登录问题"


def test_attachments_of_a_closed_case_cannot_change(admin_client):
    case = make_case_in(CaseStatus.CLOSED)
    response = admin_client.put(
        f"{URL}/{case.pk}", {"attachmentIds": [str(stored_file().pk)]}, format="json"
    )
    refused(response, 4008)
    assert Case.objects.get(pk=case.pk).attachments.count() == 0
