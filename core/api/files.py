"""Attachments: ``POST /api/v1/files`` uploads, ``GET /api/v1/files/{id}`` downloads.

Files go through Django's storage API (``core.models.attachment_storage``). A domain record
attaches them by id: its input serializer declares
``attachment_ids = AttachmentIdsField(source="attachments", required=False)``, its service calls
``instance.attachments.set(...)`` and its detail lists ``AttachmentSerializer(many=True)``.

Size limit (``settings.FILE_UPLOAD_MAX_SIZE``, read per request): a body whose declared length
is already too large is refused before it is read; otherwise the upload is counted while it
streams and stopped as soon as it passes the limit, so an oversized file never reaches storage.
"""

import mimetypes
import os
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exception_handler import PayloadTooLarge, camel_key
from core.exceptions import BusinessError, ErrorCode, RecordNotFound
from core.models import StoredFile
from core.services import acting_user

# Room for the multipart envelope (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"
MAX_NAME_LENGTH = 255

_UNSAFE_NAME_CHARS = re.compile(r'[\\/:*?"<>|]')
_MIME_PART = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_MIME_TYPE = re.compile(rf"^{_MIME_PART}/{_MIME_PART}$")
_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def max_upload_size() -> int:
    return settings.FILE_UPLOAD_MAX_SIZE


# --- names and types --------------------------------------------------------------------------


def sanitize_filename(raw: str | None) -> str:
    """The name users see: no directories, control or reserved characters; at most 255 chars.

    ``../../etc/passwd`` becomes ``passwd``, ``C:\\docs\\报价单.pdf`` becomes ``报价单.pdf``; a
    name with nothing left becomes ``file``. The extension survives truncation.
    """
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("", name).strip().strip(".").strip()
    if not name:
        return "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 16 else ""
        name = stem[: MAX_NAME_LENGTH - len(ext)] + ext
    return name


def _storage_extension(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    return ext if _EXTENSION.match(ext) else ""


def detect_content_type(name: str, declared: str | None) -> str:
    """The client's declared type when it is a well-formed MIME type, else a guess from the name."""
    declared = (declared or "").split(";", 1)[0].strip().lower()
    if declared and declared != DEFAULT_CONTENT_TYPE and _MIME_TYPE.match(declared):
        return declared
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or DEFAULT_CONTENT_TYPE


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def stored_file_create(*, upload, by) -> StoredFile:
    """Store an uploaded file under a server-chosen name and record what it is.

    Used by the API and the admin alike; raises 413 when the file is over the limit.
    """
    if upload.size > max_upload_size():
        raise BusinessError(ErrorCode.PAYLOAD_TOO_LARGE, status=413)
    name = sanitize_filename(upload.name)
    stored = StoredFile(
        name=name,
        content_type=detect_content_type(name, getattr(upload, "content_type", None)),
        size=upload.size,
        created_by=acting_user(by),
    )
    stored.file.save(f"{stored.id.hex}{_storage_extension(name)}", upload, save=False)
    try:
        stored.save(force_insert=True)
    except Exception:
        stored.file.delete(save=False)
        raise
    return stored


def stored_file_delete(*, stored_file: StoredFile) -> None:
    """Erase the record (its attachment links go with it) and, once committed, its bytes."""
    storage, file_name = stored_file.file.storage, stored_file.file.name
    with transaction.atomic():
        stored_file.delete()
        transaction.on_commit(lambda: storage.delete(file_name))


# --- serializers used by every resource with attachments -------------------------------------


def file_url(file_id) -> str:
    return reverse("file-detail", kwargs={"pk": str(file_id)})


class AttachmentSerializer(serializers.ModelSerializer):
    """``{id, name, url}`` of an attached file (seed §5.2)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = StoredFile
        fields = ["id", "name", "url"]

    def get_url(self, stored: StoredFile) -> str:
        return file_url(stored.pk)


class StoredFileSerializer(AttachmentSerializer):
    """The answer to an upload: ``{id, name, url, size, contentType}``."""

    class Meta(AttachmentSerializer.Meta):
        fields = ["id", "name", "url", "size", "content_type"]


class AttachmentIdsField(serializers.ListField):
    """A list of uploaded file ids in, the list of ``StoredFile`` out (duplicates dropped).

    An unknown or malformed id answers HTTP 400 with body code 404 (the file's not-found code,
    CONTRACT.md §1); an empty list detaches everything.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=64))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        raw_ids = super().to_internal_value(data)
        ids = []
        for raw in raw_ids:
            try:
                ids.append(uuid.UUID(raw))
            except ValueError:
                self._not_found(raw)
        ids = list(dict.fromkeys(ids))
        found = StoredFile.objects.in_bulk(ids)
        for file_id in ids:
            if file_id not in found:
                self._not_found(file_id)
        return [found[file_id] for file_id in ids]

    def _not_found(self, file_id):
        message = _("File %(id)s does not exist.") % {"id": file_id}
        field = camel_key(self.field_name or "attachment_ids")
        raise BusinessError(ErrorCode.NOT_FOUND, message, status=400, data={field: [message]})


# --- views ------------------------------------------------------------------------------------


class _SizeLimitHandler(FileUploadHandler):
    """Counts each file's bytes as they stream in and stops the upload past the limit."""

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


class IgnoreAcceptNegotiation(DefaultContentNegotiation):
    """A download answers raw bytes whatever ``Accept`` says; errors still render as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class FileUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=None, use_url=False)


@extend_schema(tags=["files"])
class FileUploadView(APIView):
    """``POST /api/v1/files`` (multipart, field ``file``); needs ``core.add_storedfile``."""

    queryset = StoredFile.objects.all()  # for the model permissions
    parser_classes = [MultiPartParser]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        request={"multipart/form-data": FileUploadInputSerializer},
        responses={200: StoredFileSerializer, 413: OpenApiResponse(description="File too large.")},
    )
    def post(self, request):
        limit = max_upload_size()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + MULTIPART_OVERHEAD:
            raise PayloadTooLarge()
        guard = _SizeLimitHandler(limit, request._request)
        request.upload_handlers.insert(0, guard)

        serializer = FileUploadInputSerializer(data=request.data)
        if guard.exceeded:
            raise PayloadTooLarge()
        serializer.is_valid(raise_exception=True)
        stored = stored_file_create(upload=serializer.validated_data["file"], by=request.user)
        return Response(StoredFileSerializer(stored).data)


@extend_schema(tags=["files"])
class FileDownloadView(APIView):
    """``GET /api/v1/files/{id}``: raw bytes, for a valid token with ``core.view_storedfile``."""

    queryset = StoredFile.objects.all()  # for the model permissions
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(responses={(200, DEFAULT_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request, pk):
        stored = self._get_stored(pk)
        try:
            handle = stored.file.open("rb")
        except (FileNotFoundError, OSError):
            raise RecordNotFound(ErrorCode.NOT_FOUND, _("The file's content is missing.")) from None
        return FileResponse(
            handle, as_attachment=True, filename=stored.name, content_type=stored.content_type
        )

    def _get_stored(self, pk) -> StoredFile:
        try:
            return StoredFile.objects.get(pk=uuid.UUID(str(pk)))
        except (ValueError, StoredFile.DoesNotExist):
            raise RecordNotFound(ErrorCode.NOT_FOUND, _("File does not exist.")) from None
