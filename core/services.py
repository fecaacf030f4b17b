"""Write helpers every domain service uses: stamping, partial updates, soft delete, restore."""

from django.db import transaction
from django.utils import timezone

from core.exceptions import ErrorCode, RecordNotFound
from core.models import next_business_number

STAMP_UPDATE_FIELDS = ["updated_by", "updated_at"]


def acting_user(by):
    """The user to stamp, or None for anonymous/system writes (imports without a user)."""
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def stamp_new(instance, *, by) -> None:
    """Stamp a new record; an owned record with no owner given belongs to its creator."""
    user = acting_user(by)
    now = timezone.now()
    instance._history_user = user  # the audit trail's author outside a request (admin, imports)
    instance.created_by = instance.updated_by = user
    instance.created_at = instance.updated_at = now
    if hasattr(instance, "owner_id") and instance.owner_id is None:
        instance.owner = user


def insert(instance, *, by, number_field: str | None = None):
    """Stamp a new record and INSERT it. ``number_field`` (e.g. ``"account_no"``) takes the
    next business number of the model's ``NUMBER_PREFIX`` (core.models)."""
    if number_field is not None:
        setattr(instance, number_field, next_business_number(type(instance).NUMBER_PREFIX))
    stamp_new(instance, by=by)
    instance.save(force_insert=True)
    return instance


def model_update(*, instance, data: dict, by) -> list[str]:
    """Set the given fields, stamp ``updatedBy/At`` and save only what changed.

    Returns the names of the fields whose value changed (empty when nothing did).
    """
    changed = [field for field, value in data.items() if getattr(instance, field) != value]
    for field in changed:
        setattr(instance, field, data[field])
    if changed:
        instance._history_user = instance.updated_by = acting_user(by)
        instance.updated_at = timezone.now()
        instance.save(update_fields=[*changed, *STAMP_UPDATE_FIELDS])
    return changed


def lock_live(instance, *, missing: ErrorCode):
    """The row of ``instance`` as committed now, locked until the transaction ends.

    A row soft-deleted (or erased) by a write that committed first answers ``missing``, the
    record's not-found code: a write that lost the race with a DELETE is a 404, not a 500.
    """
    model = type(instance)
    rows = model.all_objects.select_for_update(of=("self",), no_key=True)
    locked = rows.filter(pk=instance.pk).first()
    if locked is None or locked.deleted_at is not None:
        raise RecordNotFound(missing)
    return locked


@transaction.atomic
def soft_delete(*, instance, by, missing: ErrorCode = ErrorCode.NOT_FOUND) -> None:
    """Hide the record from the API; nothing is erased and staff can restore it.

    The row is locked first, so of concurrent deletes exactly one succeeds and the others
    answer ``missing`` (the record's not-found code), as a second DELETE does.
    """
    lock_live(instance, missing=missing)
    user = acting_user(by)
    instance.deleted_at = instance.updated_at = timezone.now()
    instance._history_user = instance.deleted_by = instance.updated_by = user
    instance.save(update_fields=["deleted_at", "deleted_by", *STAMP_UPDATE_FIELDS])


@transaction.atomic
def restore(*, instance, by) -> None:
    instance.deleted_at = None
    instance.deleted_by = None
    instance._history_user = instance.updated_by = acting_user(by)
    instance.updated_at = timezone.now()
    instance.save(update_fields=["deleted_at", "deleted_by", *STAMP_UPDATE_FIELDS])
