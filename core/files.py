"""Uploaded files (attachments): storing and erasing them, their names, who may see them.

Files go through Django's storage API (``core.models.attachment_storage``) under a server-chosen
name; ``name`` is the sanitized original users see. A domain record attaches files through a
many-to-many field named ``attachments`` and its service calls :func:`set_attachments`.

Who may see a file (docs/ROLES.md): its uploader, and whoever may see at least one live record
it is attached to (the record's view permission and ownership scope, core.ownership). The
records are found from the many-to-many fields that point at ``StoredFile``, so a new app with
attachments is covered without this module naming it.
"""

import mimetypes
import os
import re
import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from core.exceptions import BusinessError, ErrorCode
from core.models import StoredFile
from core.ownership import visible_to
from core.services import acting_user

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


# --- who may see a file -----------------------------------------------------------------------


def _attachment_relations():
    """The many-to-many fields (``Activity.attachments``, ``Case.attachments``, ...) that
    attach files to records, seen from ``StoredFile`` (their reverse side is hidden)."""
    return [
        relation
        for relation in StoredFile._meta.get_fields(include_hidden=True)
        if relation.many_to_many and relation.auto_created
    ]


def files_visible_to(user) -> QuerySet[StoredFile]:
    """The files ``user`` may see: uploaded by them, or attached to a live record they may see.

    None (a management command, an import without a user) and superusers see every file.
    """
    files = StoredFile.objects.all()
    if user is None or user.is_superuser:
        return files
    if not user.is_authenticated:
        return files.none()
    condition = Q(created_by=user)
    for relation in _attachment_relations():
        model = relation.related_model
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        records = visible_to(model._default_manager.all(), user)
        condition |= Q(pk__in=records.values(relation.field.name))
    return files.filter(condition)


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


def set_attachments(record, attachments: list[StoredFile]) -> bool:
    """Make ``attachments`` the files attached to ``record``; True when the set changed.

    Called inside the record's service transaction; which files the caller may attach is
    checked where their ids are read (core.api.files.AttachmentIdsField).
    """
    wanted = {stored.pk for stored in attachments}
    if wanted == set(record.attachments.values_list("pk", flat=True)):
        return False
    record.attachments.set(attachments)
    return True
