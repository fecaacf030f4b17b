"""Which field a unique violation is about, so a race the validation could not see still
answers the 400 the contract names.

Serializers check uniqueness (``taxNo`` among live accounts) before writing, but two requests
can pass that check together; the database constraint then refuses the second INSERT or UPDATE
with an ``IntegrityError``. This module reads which constraint it was (PostgreSQL names it,
SQLite names the table and columns) and returns the field errors a validation would have given.
"""

import re

from django.apps import apps
from django.db import IntegrityError
from django.db.models import UniqueConstraint
from django.utils.translation import gettext as _

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
_PG_KEY = re.compile(r"Key \((?P<columns>[^)]*)\)=")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)")


def _where(exc: IntegrityError) -> tuple[str, str | None, list[str]] | None:
    """``(table, constraint name or None, columns)`` of a unique violation, else None."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        if diag.sqlstate != UNIQUE_VIOLATION:
            return None
        key = _PG_KEY.search(diag.message_detail or "")
        columns = [c.strip() for c in key.group("columns").split(",")] if key else []
        return diag.table_name, diag.constraint_name, columns
    found = _SQLITE_UNIQUE.match(str(exc))
    if found is None:
        return None
    pairs = [item.strip().rsplit(".", 1) for item in found.group("columns").split(",")]
    return pairs[0][0], None, [column for _table, column in pairs]


def unique_violation_errors(exc: IntegrityError) -> dict[str, list[str]] | None:
    """``{field_name: [message]}`` for a unique violation on a known model, else None."""
    where = _where(exc)
    if where is None:
        return None
    table, name, columns = where
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return None
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or not constraint.fields:
            continue
        constrained = [model._meta.get_field(field).column for field in constraint.fields]
        if constraint.name == name or (name is None and constrained == columns):
            message = constraint.get_violation_error_message()
            return {field: [message] for field in constraint.fields}
    fields = [field.name for field in model._meta.concrete_fields if field.column in columns]
    if not fields:
        return None
    return {field: [_("This value is already in use.")] for field in fields}
