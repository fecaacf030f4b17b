"""Attachments over HTTP: ``POST /api/v1/files`` uploads, ``GET /api/v1/files/{id}`` downloads,
and the serializer pieces of every resource with attachments.

The file services (storing, names, who may see a file) are in ``core.files``. A domain record
attaches files by id: its input serializer declares
``attachment_ids = AttachmentIdsField(source="attachments", required=False)``, its service calls
``core.files.set_attachments(...)`` and its detail lists ``AttachmentSerializer(many=True)``.

Size limit (``settings.FILE_UPLOAD_MAX_SIZE``, read per request): a body whose declared length
is already too large is refused before it is read; otherwise the upload is counted while it
streams and stopped as soon as it passes the limit, so an oversized file never reaches storage.
"""

import uuid

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import BusinessError, ErrorCode, PayloadTooLarge, RecordNotFound
from core.files import DEFAULT_CONTENT_TYPE, files_visible_to, max_upload_size, stored_file_create
from core.models import StoredFile
from core.text import camel_key

# Room for the multipart envelope (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


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


# The ids of files uploaded through POST /api/v1/files.
@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uuid"}})
class AttachmentIdsField(serializers.ListField):
    """A list of uploaded file ids in, the list of ``StoredFile`` out (duplicates dropped).

    An unknown or malformed id, or the id of a file the caller may not see (core.files), answers
    HTTP 400 with body code 404 (the file's not-found code, CONTRACT.md §1), exactly alike, so
    the answer does not tell that someone else's file exists. An empty list detaches everything.
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
        request = self.context.get("request")
        found = files_visible_to(request.user if request is not None else None).in_bulk(ids)
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
    """``GET /api/v1/files/{id}``: raw bytes, for a valid token with ``core.view_storedfile``,
    of a file the caller uploaded or that is attached to a record the caller may see; any other
    id answers 404."""

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
            return files_visible_to(self.request.user).get(pk=uuid.UUID(str(pk)))
        except (ValueError, StoredFile.DoesNotExist):
            raise RecordNotFound(ErrorCode.NOT_FOUND, _("File does not exist.")) from None
