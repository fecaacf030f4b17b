"""How staff read values: choice labels instead of codes, money in yuan, local times.

One place for the back office, the audit trail (core.history) and exports: a code such as
``corporate`` reads ``企业`` in the language of the request (Simplified Chinese by default).
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext

DATETIME_FORMAT = "Y-m-d H:i:s"  # local time to the second: 2026-12-02 07:41:38
DATE_FORMAT = "Y-m-d"


def choice_label(choices, value):
    """The label of ``value`` among ``choices`` (a TextChoices class, a field or a list of
    pairs), translated now; a value that is not a code comes back unchanged."""
    if value is None or value == "":
        return value
    if isinstance(choices, models.Field):
        pairs = choices.flatchoices
    elif hasattr(choices, "choices"):
        pairs = choices.choices
    else:
        pairs = choices
    return str(dict(pairs).get(value, value))


def format_money(value) -> str:
    """``Decimal("1234567.89")`` → ``¥1,234,567.89`` (zh-CN: yuan sign, thousands separators,
    two decimals); None stays empty."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"-¥{-amount:,.2f}" if amount < 0 else f"¥{amount:,.2f}"


def format_money_text(text):
    """``format_money`` for an amount the admin has already rendered as text (read-only
    fields); anything that is not an amount (the empty-value dash) comes back unchanged."""
    try:
        return format_money(Decimal(str(text).replace(",", "")))
    except (ArithmeticError, ValueError):
        return text


def format_datetime(value) -> str:
    """A stored (UTC) time in the staff's time zone, to the second."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, DATETIME_FORMAT)


def field_value_label(field: models.Field, value):
    """``value`` of ``field`` as staff read it (a string), or None when there is no value.

    Choices become their labels, booleans 是/否, money ``¥1,234.00``, times local to the
    second. Related records are labelled by the caller, who has them (core.history).
    """
    if value is None or value == "":
        return None
    if field.choices:
        return choice_label(field, value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, models.DecimalField) and field.decimal_places == 2:
        return format_money(value)
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, DATE_FORMAT)
    return str(value)
