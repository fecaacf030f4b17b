"""Format checks for contact details, shared by every resource that stores them."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\- ()]{4,28}[0-9]$",
    _("Enter a valid phone number (digits, optionally with +, -, spaces or parentheses)."),
    code="invalid",
)

# A site address with or without its scheme, as people type it: "www.example.com".
website_validator = RegexValidator(
    r"^(https?://)?([A-Za-z0-9\u00a1-\uffff]([A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+"
    r"[A-Za-z\u00a1-\uffff]{2,63}(:[0-9]{1,5})?(/[^\s]*)?$",
    _("Enter a valid website address."),
    code="invalid",
)
