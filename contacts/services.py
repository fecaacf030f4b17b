"""Every write to a contact goes through here: API, admin, lead conversion and imports."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.services import restore_under_live_account
from contacts.models import Contact
from core import services
from core.bulk import writer as bulk
from core.exceptions import BusinessError, ErrorCode


def _require_live_account(account: Account) -> None:
    if account.is_deleted:
        raise BusinessError(
            ErrorCode.ACCOUNT_NOT_FOUND,
            _("A contact can only belong to a live account."),
            data={"accountId": [_("Account does not exist.")]},
        )


@transaction.atomic
def contact_create(*, account: Account, by, **fields) -> Contact:
    """Create a contact under a live account."""
    _require_live_account(account)
    return services.insert(Contact(account=account, **fields), by=by)


@transaction.atomic
def contact_update(*, contact: Contact, data: dict, by) -> Contact:
    """Partial update; a new ``account`` must be live (a contact may move between accounts)."""
    if "account" in data:
        _require_live_account(data["account"])
    contact = Contact.all_objects.select_for_update().get(pk=contact.pk)
    services.model_update(instance=contact, data=data, by=by)
    return contact


def contact_delete(*, contact: Contact, by) -> None:
    """Soft delete: the contact leaves the API; activities that name it keep their history."""
    services.soft_delete(instance=contact, by=by, missing=ErrorCode.CONTACT_NOT_FOUND)


@transaction.atomic
def contact_restore(*, contact: Contact, by) -> Contact:
    """Bring a soft-deleted contact back; its account must be live first."""
    restore_under_live_account(instance=contact, by=by)
    return contact


@transaction.atomic
def contact_bulk_create(*, rows: list[dict], by) -> list[Contact]:
    """Create many contacts at once (imports), each under a live account as ``contact_create``
    requires, with an audit-trail entry each."""
    contacts = []
    for fields in rows:
        _require_live_account(fields["account"])
        contact = Contact(**fields)
        services.stamp_new(contact, by=by)
        contacts.append(contact)
    return bulk.insert_with_history(Contact, contacts, user=services.acting_user(by))


@transaction.atomic
def contact_bulk_update(*, pairs: list[tuple[Contact, dict]], by) -> int:
    """Apply many partial updates at once with ``contact_update``'s rules; only contacts that
    change are written (with an audit-trail entry). Returns how many changed."""
    for _contact, data in pairs:
        if "account" in data:
            _require_live_account(data["account"])
    user = services.acting_user(by)
    changed, fields = bulk.apply_changes(pairs, user=user)
    bulk.update_with_history(Contact, changed, fields, user=user)
    return len(changed)
