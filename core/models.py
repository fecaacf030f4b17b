"""The shared kernel's models: the user, the base every CRM record inherits, and sequences."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Staff user; logs in with ``username`` (``createdBy`` / ``updatedBy`` carry it)."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


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

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Sequence(models.Model):
    """One counter per business-number prefix (ACC, CAS, OPP, CMP); values are never reused."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


def next_business_number(prefix: str, *, width: int = 3) -> str:
    """Return the next number for ``prefix``, e.g. ``ACC001``; safe under concurrent creates.

    The UPDATE takes the row lock and holds it until the surrounding transaction ends, so two
    concurrent creators are serialised and each reads back its own value; a rolled-back create
    gives its number back, a committed one never repeats.
    """
    with transaction.atomic():
        Sequence.objects.get_or_create(name=prefix)
        Sequence.objects.filter(name=prefix).update(value=F("value") + 1)
        value = Sequence.objects.values_list("value", flat=True).get(name=prefix)
    return f"{prefix}{value:0{width}d}"


class StoredFile(models.Model):
    """An uploaded file (attachment), stored through Django's storage API."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=500)
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

    def __str__(self) -> str:
        return self.name
