"""Serializer building blocks shared by every domain app."""

from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import ISO_8601, empty
from rest_framework.settings import api_settings

from core.api.validators import phone_validator
from core.exceptions import DEFAULT_MESSAGES, ErrorCode
from core.ownership import visible_to

# SQLite (the zero-setup default) keeps a decimal column as a binary float: 15 significant
# digits survive a round trip, and larger values even fail to read back as Decimal(18, 2).
SQLITE_MONEY_DIGITS = 15


def fits_the_database(value: Decimal) -> None:
    """Refuse money the database would round (CONTRACT.md §6): PostgreSQL keeps all 18 digits
    of ``Decimal(18, 2)``, SQLite only 15 significant ones."""
    if value is None or connection.vendor != "sqlite":
        return
    if len(value.normalize().as_tuple().digits) > SQLITE_MONEY_DIGITS:
        raise serializers.ValidationError(
            _("This database keeps at most %(digits)d significant digits of an amount.")
            % {"digits": SQLITE_MONEY_DIGITS}
        )


# Decimal(18, 2) in the database: up to 9999999999999999.99; more digits answer 400.
MONEY = {"max_digits": 18, "decimal_places": 2, "validators": [fits_the_database]}
# A field a body may leave out or send as null.
OPTIONAL = {"required": False, "allow_null": True}


def phone_field(**kwargs) -> serializers.CharField:
    """An optional phone or fax number, as people write them (core.api.validators)."""
    return serializers.CharField(
        max_length=30,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[phone_validator],
        **kwargs,
    )


def username_field() -> serializers.SlugRelatedField:
    """A user named by username in an answer (createdBy, owner...; CONTRACT.md §3)."""
    return serializers.SlugRelatedField(slug_field="username", read_only=True)


class RelatedIdField(serializers.PrimaryKeyRelatedField):
    """A reference by id; a missing or soft-deleted record answers its not-found code (HTTP 400)."""

    def __init__(self, *, not_found_code: ErrorCode, **kwargs):
        self.not_found_code = not_found_code
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        if key in {"does_not_exist", "incorrect_type"}:
            raise serializers.ValidationError(
                DEFAULT_MESSAGES[self.not_found_code], code=self.not_found_code
            )
        super().fail(key, **kwargs)

    def get_queryset(self):
        """Only records the caller may see can be referenced (core.ownership)."""
        request = self.context.get("request")
        queryset = super().get_queryset()
        return visible_to(queryset, request.user) if request is not None else queryset

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:  # a malformed UUID names no record either
            self.fail("does_not_exist")


class DomainChoiceField(serializers.ChoiceField):
    """An enum whose invalid values answer a domain code (4007-4010) instead of plain 400."""

    def __init__(self, *, error_code: ErrorCode, **kwargs):
        self.error_code = error_code
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            message = _("%(message)s Allowed: %(choices)s.") % {
                "message": DEFAULT_MESSAGES[self.error_code],
                "choices": ", ".join(str(choice) for choice in self.choices),
            }
            raise serializers.ValidationError(message, code=self.error_code)
        super().fail(key, **kwargs)


def _has_json_type(field, value) -> bool:
    if isinstance(field, serializers.CharField):
        return isinstance(value, str)
    if isinstance(field, serializers.BooleanField):
        return isinstance(value, bool)
    if isinstance(
        field, serializers.IntegerField | serializers.DecimalField | serializers.FloatField
    ):
        # JSON numbers arrive as int, or Decimal (core.api.parsers); float from other parsers.
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return True


def _too_long(field, value) -> bool:
    return (
        isinstance(field, serializers.CharField)
        and field.max_length is not None
        and len(value) > field.max_length
    )


class JsonTypesMixin(serializers.Serializer):
    """In an API request, a value has the JSON type the schema gives its field: text is a
    string, a number a number, a flag true or false. DRF alone would also read ``12`` as the
    text "12", ``"12"`` as a number and ``0`` as false; such a body is refused with the field's
    usual message instead. Text is held to its ``maxLength`` as sent, like the schema says: DRF
    would measure it after trimming, and accept 500 characters of padding around a short name.
    Imports (no request in the context) keep DRF's reading: a spreadsheet cell holds what it
    holds."""

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping) and self.context.get("request") is not None:
            for field in self._writable_fields:
                value = field.get_value(data)
                if value is empty or value is None:
                    continue
                if not _has_json_type(field, value):
                    key, message = "invalid", field.error_messages["invalid"]
                elif _too_long(field, value):
                    key = "max_length"
                    message = field.error_messages[key].format(max_length=field.max_length)
                else:
                    continue
                errors[field.field_name] = [serializers.ErrorDetail(message, code=key)]
        try:
            validated = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                exc.detail.update(errors)
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return validated


def _strftime(value, output_format: str) -> str:
    # glibc's %Y writes the year 327 as "327"; the contract's YYYY has four digits.
    return value.strftime(output_format.replace("%Y", f"{value.year:04d}"))


class DateField(serializers.DateField):
    """A date written YYYY-MM-DD in every year, years before 1000 included."""

    def to_representation(self, value):
        output_format = getattr(self, "format", api_settings.DATE_FORMAT)
        if not value or isinstance(value, str) or output_format in (None, ISO_8601):
            return super().to_representation(value)
        return _strftime(value, output_format)


class DateTimeField(serializers.DateTimeField):
    """A timestamp written YYYY-MM-DDThh:mm:ssZ in every year, years before 1000 included."""

    def to_representation(self, value):
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if not value or isinstance(value, str) or output_format in (None, ISO_8601):
            return super().to_representation(value)
        return _strftime(self.enforce_timezone(value), output_format)


class DatesOutputMixin(serializers.Serializer):
    # Model dates and timestamps use the four-digit-year fields above. A comment, not a
    # docstring: the schema would otherwise describe every output serializer with this text.

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }


class StampsOutputMixin(DatesOutputMixin):
    # createdBy / updatedBy are usernames (CONTRACT.md §3). A comment, not a docstring: the
    # schema would otherwise describe every output serializer with this text.

    created_by = username_field()
    updated_by = username_field()
    created_at = DateTimeField(read_only=True)
    updated_at = DateTimeField(read_only=True)


STAMP_FIELDS = ("created_by", "created_at", "updated_by", "updated_at")


class OwnerInputMixin(serializers.Serializer):
    """``owner``: the username of the user the record is assigned to (defaults to its creator)."""

    owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="Username of the owner; defaults to the creator.",
    )


class OwnerOutputMixin(serializers.Serializer):
    owner = username_field()
