"""Activities carry uploaded files: ``attachmentIds`` in, ``attachments`` out (CONTRACT.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import make_account
from activities.models import Activity
from activities.tests.factories import make_activity
from core.files import stored_file_create
from core.tests.api import refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/activities"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_file(name="产品手册.pdf", content=b"%PDF-1.4 test", by=None):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return stored_file_create(upload=upload, by=by)


def attachments(client, activity_id) -> list[dict]:
    response = client.get(f"{URL}/{activity_id}")
    assert response.status_code == 200
    return response.json()["data"]["attachments"]


def test_create_with_uploaded_files_lists_them_in_the_detail(admin_client):
    manual, quote = make_file("产品手册.pdf"), make_file("报价单.xlsx")
    body = {
        "accountId": str(make_account().id),
        "type": "meeting",
        "subject": "产品演示会议",
        "attachmentIds": [str(manual.id), str(quote.id)],
    }

    response = admin_client.post(URL, body, format="json")

    assert response.status_code == 200
    assert attachments(admin_client, response.json()["data"]["id"]) == [
        {"id": str(manual.id), "name": "产品手册.pdf", "url": f"/api/v1/files/{manual.id}"},
        {"id": str(quote.id), "name": "报价单.xlsx", "url": f"/api/v1/files/{quote.id}"},
    ]


def test_the_attachment_url_downloads_the_file(admin_client):
    stored = make_file("纪要.txt", b"meeting notes")
    activity = make_activity()
    admin_client.put(f"{URL}/{activity.id}", {"attachmentIds": [str(stored.id)]}, format="json")

    url = attachments(admin_client, activity.id)[0]["url"]
    download = admin_client.get(url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"meeting notes"


def test_update_replaces_the_attachments_and_an_empty_list_clears_them(admin_client):
    first, second = make_file("a.pdf"), make_file("b.pdf")
    activity = make_activity()
    activity.attachments.set([first])

    replaced = admin_client.put(
        f"{URL}/{activity.id}", {"attachmentIds": [str(second.id)]}, format="json"
    )
    assert replaced.status_code == 200
    assert [row["id"] for row in attachments(admin_client, activity.id)] == [str(second.id)]

    untouched = admin_client.put(f"{URL}/{activity.id}", {"subject": "新主题"}, format="json")
    assert untouched.status_code == 200
    assert [row["id"] for row in attachments(admin_client, activity.id)] == [str(second.id)]

    cleared = admin_client.put(f"{URL}/{activity.id}", {"attachmentIds": []}, format="json")
    assert cleared.status_code == 200
    assert attachments(admin_client, activity.id) == []


def test_changing_only_the_attachments_stamps_the_update(admin_client, make_user):
    activity = make_activity(by=make_user("creator"))
    stored = make_file()

    admin_client.put(f"{URL}/{activity.id}", {"attachmentIds": [str(stored.id)]}, format="json")

    activity.refresh_from_db()
    assert activity.updated_by.username == "admin"


def test_duplicate_ids_attach_the_file_once(admin_client):
    stored = make_file()
    activity = make_activity()

    admin_client.put(
        f"{URL}/{activity.id}",
        {"attachmentIds": [str(stored.id), str(stored.id)]},
        format="json",
    )

    assert len(attachments(admin_client, activity.id)) == 1


@pytest.mark.parametrize("bad_id", ["00000000-0000-4000-8000-000000000000", "file-001"])
def test_an_unknown_file_id_answers_400_with_code_404(admin_client, bad_id):
    stored = make_file()
    body = {
        "accountId": str(make_account().id),
        "type": "note",
        "subject": "备注",
        "attachmentIds": [str(stored.id), bad_id],
    }

    response = admin_client.post(URL, body, format="json")

    assert "attachmentIds" in refused(response, 404)
    assert bad_id in response.json()["message"]
    assert not Activity.all_objects.exists()


def test_attachment_ids_must_be_a_list(admin_client):
    activity = make_activity()

    response = admin_client.put(
        f"{URL}/{activity.id}", {"attachmentIds": "file-001"}, format="json"
    )

    assert response.status_code == 400
    assert "attachmentIds" in response.json()["data"]


def test_the_detail_costs_the_same_queries_for_one_attachment_and_for_many(admin_client):
    activity = make_activity()
    activity.attachments.set([make_file()])
    with CaptureQueriesContext(connection) as one:
        assert len(attachments(admin_client, activity.id)) == 1
    activity.attachments.add(*[make_file(f"{index}.pdf") for index in range(5)])
    with CaptureQueriesContext(connection) as many:
        assert len(attachments(admin_client, activity.id)) == 6
    assert len(many) == len(one)


def test_the_list_costs_the_same_queries_whatever_the_attachments(admin_client):
    make_activity().attachments.set([make_file()])
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(URL).status_code == 200
    for _ in range(4):
        make_activity().attachments.set([make_file(), make_file()])
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(URL).json()["data"]["total"] == 5
    assert len(many) == len(one)
