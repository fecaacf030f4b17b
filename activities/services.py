"""Every write to an activity goes through here: API and admin alike.

The rules that span fields live here, so every writer obeys them: the contact must belong to the
activity's account (else 4002, the contact does not exist under that account) and ``endTime``
may not be before ``startTime``.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.services import restore_under_live_account
from activities.models import Activity
from contacts.models import Contact
from core import services
from core.exceptions import BusinessError, ErrorCode
from core.files import set_attachments
from core.models import StoredFile


def activity_check(
    *,
    account: Account,
    contact: Contact | None,
    start_time: datetime.datetime | None,
    end_time: datetime.datetime | None,
) -> None:
    """Raise a ``BusinessError`` naming the field when the activity's fields disagree."""
    if account.is_deleted:
        raise BusinessError(
            ErrorCode.ACCOUNT_NOT_FOUND,
            data={"accountId": [_("Account does not exist.")]},
        )
    if contact is not None and (contact.is_deleted or contact.account_id != account.pk):
        message = _("The contact does not exist under this account.")
        raise BusinessError(ErrorCode.CONTACT_NOT_FOUND, message, data={"contactId": [message]})
    if start_time is not None and end_time is not None and end_time < start_time:
        message = _("The end time cannot be before the start time.")
        raise BusinessError(ErrorCode.BAD_REQUEST, message, data={"endTime": [message]})


@transaction.atomic
def activity_create(
    *,
    account: Account,
    by,
    contact: Contact | None = None,
    attachments: list[StoredFile] | None = None,
    **fields,
) -> Activity:
    activity = Activity(account=account, contact=contact, **fields)
    activity_check(
        account=account,
        contact=contact,
        start_time=activity.start_time,
        end_time=activity.end_time,
    )
    services.insert(activity, by=by)
    if attachments:
        activity.attachments.set(attachments)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: dict, by) -> Activity:
    """Partial update; the cross-field rules are checked against the resulting values.

    ``attachments`` (a list of files), when given, replaces the attached files.
    """
    data = dict(data)
    attachments = data.pop("attachments", None)
    activity = Activity.all_objects.select_for_update().get(pk=activity.pk)
    moved = "account" in data and data["account"].pk != activity.account_id
    if "contact" in data or moved:
        # A new account re-checks the contact it keeps; a new contact is checked against it.
        activity_check(
            account=data.get("account", activity.account),
            contact=data.get("contact", activity.contact),
            start_time=None,
            end_time=None,
        )
    activity_check(
        account=data.get("account", activity.account),
        contact=None,
        start_time=data.get("start_time", activity.start_time),
        end_time=data.get("end_time", activity.end_time),
    )
    changed = services.model_update(instance=activity, data=data, by=by)
    if attachments is not None and set_attachments(activity, attachments) and not changed:
        activity.updated_by = services.acting_user(by)
        activity.updated_at = timezone.now()
        activity.save(update_fields=services.STAMP_UPDATE_FIELDS)
    return activity


def activity_delete(*, activity: Activity, by) -> None:
    """Soft delete; attachments stay linked, so a restore brings them back too."""
    services.soft_delete(instance=activity, by=by, missing=ErrorCode.ACTIVITY_NOT_FOUND)


@transaction.atomic
def activity_restore(*, activity: Activity, by) -> Activity:
    """Bring a soft-deleted activity back; its account must be live first."""
    restore_under_live_account(instance=activity, by=by)
    return activity
