"""People at a customer account."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import account_is_live
from core.indexes import live_index, trigram_index
from core.models import CrmModel, LiveManager
from core.ownership import Ownership


class LiveContactManager(LiveManager):
    """A contact is live only while its account is: soft-deleting an account hides its contacts
    and restoring the account brings them back, without touching the contact rows."""

    def get_queryset(self):
        return super().get_queryset().filter(account_is_live())


class Contact(CrmModel):
    ownership = Ownership(view_all="accounts.view_all_account", owner=None, via_account="account")
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, null=True, blank=True)
    email = models.EmailField(_("email"), max_length=254, null=True, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, null=True, blank=True)
    fax = models.CharField(_("fax"), max_length=30, null=True, blank=True)
    address = models.CharField(_("address"), max_length=500, null=True, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    preferences = models.TextField(_("preferences"), null=True, blank=True)

    objects = LiveContactManager()
    all_objects = models.Manager()

    class Meta(CrmModel.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            live_index("account", "-created_at", "-id", name="contact_account_created_idx"),
            live_index("-created_at", "-id", name="contact_live_created_idx"),
            # The substring filters (PostgreSQL), then the other orderings.
            trigram_index("name", name="contact_name_trgm_idx"),
            trigram_index("phone", name="contact_phone_trgm_idx"),
            trigram_index("email", name="contact_email_trgm_idx"),
            trigram_index("position", name="contact_position_trgm_idx"),
            live_index("updated_at", "id", name="contact_live_updated_idx"),
            live_index("name", "id", name="contact_live_name_idx"),
            live_index("position", "id", name="contact_live_position_idx"),
        ]

    def __str__(self) -> str:
        return self.name
