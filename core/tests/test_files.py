"""POST /api/v1/files and GET /api/v1/files/{id} (CONTRACT.md Files)."""

import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from core.api import files
from core.exceptions import BusinessError
from core.files import sanitize_filename, stored_file_create
from core.models import StoredFile
from core.tests.api import refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/files"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, name="产品手册.pdf", content=b"%PDF-1.4 hello", content_type="application/pdf"):
    return client.post(
        URL,
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        format="multipart",
    )


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


# --- round trip ---------------------------------------------------------------------------------


def test_upload_then_download_returns_the_same_bytes(admin_client, admin_user, media):
    content = "会议纪要 2023-06-01\n".encode() * 100

    response = upload(admin_client, "会议纪要.txt", content, "text/plain")

    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["message"]) == (200, "success")
    data = body["data"]
    assert set(data) == {"id", "name", "url", "size", "contentType"}
    assert data["name"] == "会议纪要.txt"
    assert data["url"] == f"/api/v1/files/{data['id']}"
    assert data["size"] == len(content)
    assert data["contentType"] == "text/plain"
    stored = StoredFile.objects.get(pk=data["id"])
    assert (stored.created_by, stored.size) == (admin_user, len(content))
    assert len(stored_files(media)) == 1

    download = admin_client.get(data["url"])

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "text/plain"
    assert download["Content-Length"] == str(len(content))
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('会议纪要.txt')}" in disposition


def test_download_answers_with_and_without_a_trailing_slash(admin_client):
    url = upload(admin_client).json()["data"]["url"]

    assert admin_client.get(url + "/").status_code == 200
    assert upload(admin_client).status_code == 200
    assert (
        admin_client.post(URL + "/", {"file": SimpleUploadedFile("a.txt", b"a")}).status_code == 200
    )


def test_download_ignores_the_accept_header(admin_client):
    url = upload(admin_client, "a.pdf", b"%PDF").json()["data"]["url"]

    response = admin_client.get(url, HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF"


def test_the_storage_name_is_chosen_by_the_server(admin_client, media):
    data = upload(admin_client, "报价单 v2.PDF", b"%PDF").json()["data"]

    stored = StoredFile.objects.get(pk=data["id"])
    assert stored.file.name.startswith("attachments/")
    assert Path(stored.file.name).name == f"{uuid.UUID(data['id']).hex}.pdf"
    assert data["name"] == "报价单 v2.PDF"


# --- names and content types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\报价单.pdf", "报价单.pdf"),
        ("re\x00port\n.txt", "report.txt"),
        ('a<b>c:"d"|e?*.txt', "abcde.txt"),
        ("..", "file"),
        ("", "file"),
        ("  合同.docx  ", "合同.docx"),
    ],
)
def test_file_names_are_sanitized(raw, clean):
    assert sanitize_filename(raw) == clean


def test_a_long_name_keeps_its_extension():
    name = sanitize_filename("长" * 300 + ".pdf")

    assert len(name) == 255
    assert name.endswith(".pdf")


def test_an_uploaded_path_is_reduced_to_its_name(admin_client, media):
    data = upload(admin_client, "../../../evil.sh", b"echo", "text/x-sh").json()["data"]

    assert data["name"] == "evil.sh"
    stored = stored_files(media)
    assert stored and all(media in path.parents for path in stored)


def test_an_unusable_declared_type_falls_back_to_a_guess_from_the_name(admin_client):
    guessed = upload(admin_client, "photo.png", b"\x89PNG", "application/octet-stream")
    garbage = upload(admin_client, "data.bin", b"\x00", "not a type")

    assert guessed.json()["data"]["contentType"] == "image/png"
    assert garbage.json()["data"]["contentType"] == "application/octet-stream"


# --- the 20 MB limit ----------------------------------------------------------------------------


def test_the_default_limit_is_20_mb(settings):
    assert settings.FILE_UPLOAD_MAX_SIZE == 20 * 1024 * 1024


def test_a_file_at_the_limit_is_accepted(admin_client, settings):
    settings.FILE_UPLOAD_MAX_SIZE = 1000

    response = upload(admin_client, "a.bin", b"x" * 1000)

    assert response.status_code == 200
    assert response.json()["data"]["size"] == 1000


def test_a_file_one_byte_over_the_limit_answers_413_and_stores_nothing(
    admin_client, settings, media
):
    """The body's length is within the multipart allowance, so the streaming guard stops it."""
    settings.FILE_UPLOAD_MAX_SIZE = 1000

    response = upload(admin_client, "a.bin", b"x" * 1001)

    assert response.status_code == 413
    assert response.json() == {
        "code": 413,
        "message": response.json()["message"],
        "data": None,
    }
    assert response.json()["message"]
    assert not StoredFile.objects.exists()
    assert stored_files(media) == []


def test_an_oversized_file_never_reaches_the_store_service(admin_client, settings, monkeypatch):
    """The streaming guard stops the upload while it is parsed, before anything is stored."""
    settings.FILE_UPLOAD_MAX_SIZE = 1000
    calls = []
    monkeypatch.setattr(files, "stored_file_create", lambda **kwargs: calls.append(kwargs))

    response = upload(admin_client, "a.bin", b"x" * 1001)

    assert response.status_code == 413
    assert calls == []


def test_a_body_declared_far_over_the_limit_is_refused_before_it_is_read(
    admin_client, settings, media
):
    settings.FILE_UPLOAD_MAX_SIZE = 1000

    response = upload(admin_client, "big.bin", b"x" * (200 * 1024))

    assert response.status_code == 413
    assert response.json()["code"] == 413
    assert not StoredFile.objects.exists()
    assert stored_files(media) == []


def test_a_real_21_mb_file_answers_413(admin_client, media):
    response = upload(admin_client, "huge.bin", b"\0" * (21 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()["code"] == 413
    assert stored_files(media) == []


def test_the_service_refuses_an_oversized_file_too(settings, admin_user):
    settings.FILE_UPLOAD_MAX_SIZE = 10

    with pytest.raises(BusinessError) as caught:
        stored_file_create(upload=ContentFile(b"x" * 11, name="a.txt"), by=admin_user)

    assert (caught.value.status, caught.value.code) == (413, 413)
    assert not StoredFile.objects.exists()


# --- bad requests -------------------------------------------------------------------------------


def test_a_request_without_a_file_answers_400(admin_client):
    response = admin_client.post(URL, {"other": "x"}, format="multipart")

    assert "file" in refused(response)


def test_an_empty_file_answers_400(admin_client):
    response = upload(admin_client, "empty.txt", b"")

    assert response.status_code == 400
    assert "file" in response.json()["data"]


def test_a_json_body_answers_415(admin_client):
    response = admin_client.post(URL, {"file": "abc"}, format="json")

    assert response.status_code == 415
    assert response.json()["code"] == 415


def test_listing_files_is_not_a_route(admin_client):
    response = admin_client.get(URL)

    assert response.status_code == 405
    assert response.json()["code"] == 405


@pytest.mark.parametrize("file_id", [uuid.UUID("00000000-0000-4000-8000-000000000000"), "file-001"])
def test_downloading_a_missing_file_answers_404(admin_client, file_id):
    response = admin_client.get(f"{URL}/{file_id}")

    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": response.json()["message"], "data": None}


def test_a_record_whose_bytes_are_gone_answers_404(admin_client):
    data = upload(admin_client).json()["data"]
    stored = StoredFile.objects.get(pk=data["id"])
    default_storage.delete(stored.file.name)

    response = admin_client.get(data["url"])

    assert response.status_code == 404
    assert response.json()["code"] == 404


# --- tokens and permissions ---------------------------------------------------------------------


def test_upload_needs_a_token(api_client):
    response = upload(api_client)

    assert response.status_code == 401
    assert response.json()["code"] == 401
    assert not StoredFile.objects.exists()


def test_download_needs_a_valid_token(admin_client):
    url = upload(admin_client).json()["data"]["url"]
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    anonymous = APIClient().get(url)
    invalid = forged.get(url)

    assert (anonymous.status_code, anonymous.json()["code"]) == (401, 401)
    assert (invalid.status_code, invalid.json()["code"]) == (401, 401)
    assert not hasattr(anonymous, "streaming_content")


def test_upload_and_download_follow_the_file_permissions(admin_client, user_client):
    data = upload(admin_client).json()["data"]
    url = data["url"]
    account = admin_client.post("/api/v1/crm/accounts", {"name": "客户"}, format="json")
    admin_client.post(
        "/api/v1/crm/activities",
        {
            "accountId": account.json()["data"]["id"],
            "type": "note",
            "subject": "附件",
            "attachmentIds": [data["id"]],
        },
        format="json",
    )
    nobody = user_client()
    uploader = user_client("core.add_storedfile", username="uploader")
    # Reads the file through the activity it is attached to (core.files.files_visible_to).
    reader = user_client(
        "core.view_storedfile",
        "activities.view_activity",
        "accounts.view_all_account",
        username="reader",
    )

    assert upload(nobody).status_code == 403
    assert nobody.get(url).status_code == 403
    assert upload(uploader).status_code == 200
    assert uploader.get(url).status_code == 403
    assert upload(reader).status_code == 403
    assert reader.get(url).status_code == 200


# --- storage backends ---------------------------------------------------------------------------


def test_files_go_through_the_configured_storage_backend(admin_client, settings, media):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }

    data = upload(admin_client, "memo.txt", b"in memory").json()["data"]

    assert stored_files(media) == []  # nothing on the local disk
    stored = StoredFile.objects.get(pk=data["id"])
    assert default_storage.exists(stored.file.name)
    download = admin_client.get(data["url"])
    assert b"".join(download.streaming_content) == b"in memory"


# --- admin --------------------------------------------------------------------------------------


def test_admin_lists_uploads_and_deleting_one_erases_its_bytes(
    admin_client, admin_user, media, django_capture_on_commit_callbacks
):
    data = upload(admin_client, "旧文件.txt", b"old").json()["data"]
    staff = Client()
    staff.force_login(admin_user)

    assert staff.get("/admin/core/storedfile/").status_code == 200
    assert staff.get(f"/admin/core/storedfile/{data['id']}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/core/storedfile/{data['id']}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not StoredFile.objects.exists()
    assert stored_files(media) == []


def test_admin_upload_goes_through_the_service(admin_user, media):
    staff = Client()
    staff.force_login(admin_user)

    response = staff.post(
        "/admin/core/storedfile/add/",
        {"file": SimpleUploadedFile("../报价单.pdf", b"%PDF", content_type="application/pdf")},
    )

    assert response.status_code == 302
    stored = StoredFile.objects.get()
    assert (stored.name, stored.size, stored.created_by) == ("报价单.pdf", 4, admin_user)
    assert stored.content_type == "application/pdf"
