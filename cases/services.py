"""Every write to a case goes through here: the API, the admin and its actions alike.

The status flow (CONTRACT.md, Cases) lives in this module only:

    new -> in_progress -> resolved -> closed, and resolved -> in_progress to reopen.

``case_close`` (POST /cases/{id}/close) may also close a case that is still new or in progress
(a duplicate, a withdrawn request). A closed case is final: any update, comment or second close
answers 4008. Each write locks the case row first, so the state it checks is the state it changes.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from cases.models import Case, CaseComment, CaseStatus
from contacts.models import Contact
from core import services
from core.exceptions import BusinessError, ErrorCode, RecordNotFound
from core.files import set_attachments
from core.models import StoredFile

# The status changes an update may make; closing from any open state is case_close's own verb.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NEW: frozenset({CaseStatus.IN_PROGRESS}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.RESOLVED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


def check_transition(current: str, target: str) -> None:
    """Raise 4008 unless ``current -> target`` is a step of the flow (same status: no step)."""
    if target == current:
        return
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or _("none")
        message = _(
            "A case cannot go from %(current)s to %(target)s. Allowed next statuses: %(allowed)s."
        ) % {"current": current, "target": target, "allowed": allowed}
        if target == CaseStatus.CLOSED:
            message = "{} {}".format(
                message, _("Use POST /cases/{id}/close to close a case that is not resolved.")
            )
        raise BusinessError(ErrorCode.CASE_STATUS_INVALID, message, data={"status": [message]})


def ensure_open(case: Case) -> None:
    if case.is_closed:
        raise BusinessError(
            ErrorCode.CASE_STATUS_INVALID,
            _("Case %(case_no)s is closed and can no longer be changed or commented on.")
            % {"case_no": case.case_no},
        )


def check_contact(*, account: Account, contact: Contact | None) -> None:
    """A case's contact must be a person at the case's account (4002, HTTP 400 otherwise)."""
    if contact is not None and contact.account_id != account.pk:
        message = _("The contact does not belong to the case's account.")
        raise BusinessError(ErrorCode.CONTACT_NOT_FOUND, message, data={"contactId": [message]})


def check_account(account: Account) -> None:
    """A case belongs to a live account (4001 otherwise, e.g. one picked in the back office)."""
    if account.is_deleted:
        message = _("Account does not exist.")
        raise BusinessError(ErrorCode.ACCOUNT_NOT_FOUND, message, data={"accountId": [message]})


def check_update(*, case: Case, data: dict) -> None:
    """Every rule an update must satisfy, checked against ``case`` as stored (see case_update).

    The admin form calls this too, so the back office refuses exactly what the API refuses.
    """
    ensure_open(case)
    if "status" in data:
        check_transition(case.status, data["status"])
    if "account" in data:
        check_account(data["account"])
    if "account" in data or "contact" in data:
        check_contact(
            account=data.get("account", case.account), contact=data.get("contact", case.contact)
        )


def _status_stamps(case: Case, status: str, now) -> dict:
    """The fields entering ``status`` sets: each service time is stamped once, never moved."""
    stamps = {"status": status}
    if status != CaseStatus.NEW and case.response_time is None:
        stamps["response_time"] = now
    if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and case.resolution_time is None:
        stamps["resolution_time"] = now
    if status == CaseStatus.CLOSED:
        stamps["closed_at"] = now
    return stamps


def _locked(case: Case) -> Case:
    """The case row, locked until the surrounding transaction ends, as it is now stored."""
    locked = (
        Case.all_objects.select_for_update(of=("self",)).select_related("account").get(pk=case.pk)
    )
    if locked.is_deleted or locked.account.is_deleted:
        raise RecordNotFound(ErrorCode.CASE_NOT_FOUND)
    return locked


def _touch(case: Case, *, by) -> None:
    case.updated_by = services.acting_user(by)
    case.updated_at = timezone.now()
    case.save(update_fields=services.STAMP_UPDATE_FIELDS)


@transaction.atomic
def case_create(
    *,
    account: Account,
    by,
    contact: Contact | None = None,
    attachments: list[StoredFile] | None = None,
    **fields,
) -> Case:
    """Open a case: numbered CAS..., status ``new``, no service times yet."""
    check_account(account)
    check_contact(account=account, contact=contact)
    fields.pop("status", None)  # every case starts new
    case = Case(account=account, contact=contact, status=CaseStatus.NEW, **fields)
    services.insert(case, by=by, number_field="case_no")
    if attachments:
        case.attachments.set(attachments)
    return case


@transaction.atomic
def case_update(*, case: Case, data: dict, by) -> Case:
    """Partial update; a ``status`` in ``data`` moves the case along the flow or answers 4008."""
    case = _locked(case)
    check_update(case=case, data=data)
    data = dict(data)
    attachments = data.pop("attachments", None)
    status = data.pop("status", case.status)
    if status != case.status:
        data.update(_status_stamps(case, status, timezone.now()))
    changed = services.model_update(instance=case, data=data, by=by)
    if attachments is not None and set_attachments(case, attachments) and not changed:
        _touch(case, by=by)
    return case


@transaction.atomic
def case_close(
    *, case: Case, resolution: str | None = None, satisfaction: int | None = None, by
) -> Case:
    """Close an open case (from new, in progress or resolved) with its resolution.

    A resolution is required unless the case already has one; ``satisfaction`` is 1-5 or None.
    """
    case = _locked(case)
    ensure_open(case)
    resolution = (resolution or "").strip() or case.resolution
    if not resolution:
        message = _("A resolution is required to close a case.")
        raise BusinessError(ErrorCode.BAD_REQUEST, message, data={"resolution": [message]})
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        message = _("Satisfaction must be an integer from 1 to 5.")
        raise BusinessError(ErrorCode.BAD_REQUEST, message, data={"satisfaction": [message]})
    data = {
        "resolution": resolution,
        "satisfaction": satisfaction,
        **_status_stamps(case, CaseStatus.CLOSED, timezone.now()),
    }
    services.model_update(instance=case, data=data, by=by)
    return case


@transaction.atomic
def case_add_comment(*, case: Case, content: str, by) -> CaseComment:
    """Add a comment; the first comment on a case is its response (``responseTime``)."""
    case = _locked(case)
    ensure_open(case)
    content = (content or "").strip()
    if not content:
        message = _("A comment may not be blank.")
        raise BusinessError(ErrorCode.BAD_REQUEST, message, data={"content": [message]})
    comment = CaseComment.objects.create(
        case=case, content=content, created_by=services.acting_user(by), created_at=timezone.now()
    )
    data = {"response_time": comment.created_at} if case.response_time is None else {}
    if not services.model_update(instance=case, data=data, by=by):
        _touch(case, by=by)  # the thread moved: the case's updatedBy/At say so
    return comment


def case_delete(*, case: Case, by) -> None:
    """Soft delete (back office only); staff can restore the case."""
    services.soft_delete(instance=case, by=by, missing=ErrorCode.CASE_NOT_FOUND)


def case_restore(*, case: Case, by) -> None:
    services.restore(instance=case, by=by)
