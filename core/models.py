"""The shared kernel's models: the user, the base every CRM record inherits, and sequences."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import default_storage, storages
from django.db import models, transaction
from django.db.models import F, Q, Transform, Value
from django.db.models.functions import Concat, Right
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """Staff user; logs in with ``username`` (``createdBy`` / ``updatedBy`` carry it)."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # Every token carries the version it was minted under (core.tokens); raising it revokes them.
    token_version = models.PositiveIntegerField(_("token version"), default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    _loaded_active = None
    _password_disabled = False

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_active = user.__dict__.get("is_active")
        return user

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_disabled = True

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def _ends_sessions(self) -> bool:
        """A new password (``_password`` is set by set_password and cleared again for Django's
        own hash upgrades), an unusable one, or deactivation: every token must stop working."""
        if self._state.adding:
            return False
        deactivated = self._loaded_active is True and not self.is_active
        return self._password is not None or self._password_disabled or deactivated

    def save(self, *args, **kwargs):
        revoke = self._ends_sessions()
        if revoke:
            # F(): a concurrent change cannot write back the version this instance loaded.
            self.token_version = models.F("token_version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "token_version"}
        super().save(*args, **kwargs)
        self._loaded_active, self._password_disabled = self.is_active, False
        if revoke:
            self.refresh_from_db(fields=["token_version"])


class LiveManager(models.Manager):
    """The default manager: soft-deleted rows are invisible unless asked for via ``all_objects``."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class CrmModel(models.Model):
    """Base of every CRM record: opaque id, who/when stamps, and soft delete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes the first manager for a field)
    # Audit trail: every create, update, soft delete and restore, with who and what changed.
    history = HistoricalRecords(inherit=True, related_name="+", cascade_delete_history=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class OwnedModel(models.Model):
    """A record with an owner (defaults to its creator, reassignable). Users without the model's
    ``view_all_<model>`` permission see only what they own (see core.ownership)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Sequence(models.Model):
    """One counter per business-number prefix (ACC, CAS, OPP, CMP); values are never reused."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


def reserve_business_numbers(prefix: str, count: int, *, width: int = 3) -> list[str]:
    """Reserve ``count`` consecutive numbers for ``prefix``, e.g. ``["ACC001", "ACC002"]``.

    The UPDATE takes the row lock and holds it until the surrounding transaction ends, so
    concurrent creators are serialised and each reads back its own range; a rolled-back create
    gives its numbers back, a committed one never repeats. Bulk imports reserve a whole batch
    with one statement.
    """
    with transaction.atomic():
        Sequence.objects.get_or_create(name=prefix)
        Sequence.objects.filter(name=prefix).update(value=F("value") + count)
        last = Sequence.objects.values_list("value", flat=True).get(name=prefix)
    return [f"{prefix}{value:0{width}d}" for value in range(last - count + 1, last + 1)]


def next_business_number(prefix: str, *, width: int = 3) -> str:
    """The next number for ``prefix`` (``ACC001``, ..., ``ACC999``, ``ACC1000``)."""
    return reserve_business_numbers(prefix, 1, width=width)[0]


class NumberSortKey(Transform):
    """Sorts business numbers as numbers: ``ACC999`` before ``ACC1000``.

    The number left-padded with zeros to a fixed width (``0…0ACC999`` < ``0…ACC1000``, a zero
    sorting before any letter), i.e. shorter numbers first, then the text. Ordering by it uses
    :func:`number_sort_index`, an index on the same expression; no stored column, so imports
    and bulk inserts need not know about it. Lists order by ``<number field>__number_sort``
    (see :func:`sortable_number`).
    """

    lookup_name = "number_sort"
    width = 32  # wider than any business number column

    @property
    def output_field(self):
        return models.CharField(max_length=self.width)

    def as_sql(self, compiler, connection, **extra_context):
        padded = Right(Concat(Value("0" * self.width), self.lhs), self.width)
        return compiler.compile(padded.resolve_expression(compiler.query))


def sortable_number(model, field: str) -> None:
    """Let ``model``'s ``field`` order as a number: ``order_by("<field>__number_sort")``."""
    model._meta.get_field(field).register_lookup(NumberSortKey)


def number_sort_index(field: str, *, name: str) -> models.Index:
    """The index :class:`NumberSortKey` orders by, over live rows (the ones lists show)."""
    return models.Index(
        NumberSortKey(field), F("id"), name=name, condition=Q(deleted_at__isnull=True)
    )


def attachment_storage():
    """Where attachments live: ``STORAGES["attachments"]`` when configured, else the default.

    Any Django storage backend works (a local media folder by default, a django-storages bucket
    by setting); files are only ever served through the authenticated files API.
    """
    if "attachments" in settings.STORAGES:
        return storages["attachments"]
    return default_storage


class StoredFile(models.Model):
    """An uploaded file (attachment), stored through Django's storage API.

    ``name`` is the sanitized original name shown to users; ``file`` holds a server-chosen
    storage name (the record's id), so user input never becomes a storage path.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(
        _("file"), upload_to="attachments/%Y/%m/", storage=attachment_storage, max_length=500
    )
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.BigIntegerField(_("size"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=0), name="stored_file_size_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The answer to a ``POST`` sent with an ``Idempotency-Key`` (core.idempotency).

    Written in the same transaction as the records the request created, so the key and its
    answer commit with them or not at all: a request that died or failed leaves no key.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    # SHA-256 of the client's key: fixed width, and the client's text is never stored.
    key_hash = models.CharField(_("key hash"), max_length=64)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    content_type = models.CharField(_("content type"), max_length=255)
    body = models.BinaryField(_("body"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key_hash"], name="idempotency_user_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key_hash[:12]}"
