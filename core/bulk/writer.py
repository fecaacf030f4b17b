"""Writing many records at once with their audit trail: the part of the bulk engine that the
domain services call (``account_bulk_create`` and the like), and the one COPY helper.

On PostgreSQL new records and their "created" audit-trail entries go through COPY, at a
fraction of the cost of INSERT statements; elsewhere through simple_history's own
``bulk_create_with_history``. Updates write only the records whose values differ.
"""

import operator
from collections.abc import Callable, Iterable

from django.db import connection, models
from django.utils import timezone

# Field kinds whose Python values PostgreSQL's COPY takes as they are: for these Django's own
# get_db_prep_save returns the value unchanged on PostgreSQL (or converts it to the text COPY
# parses anyway). Exact types only: a custom subclass may prepare values its own way.
_AS_IS = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.EmailField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
    models.URLField,
    models.UUIDField,
}


def copy_rows(table: str, columns: list[str], rows: Iterable) -> None:
    """Stream ``rows`` (sequences of Python values in ``columns`` order) into ``table`` with
    PostgreSQL's COPY, on the default connection and in its current transaction."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _db_value(field, conn) -> Callable | None:
    """None when the attribute's value goes to COPY as is, else a converter."""
    target = field.target_field if field.is_relation else field
    if type(target) in _AS_IS:
        return None
    return lambda value: field.get_db_prep_save(value, conn)


def _row_getter(fields) -> Callable[[object], tuple | list]:
    """obj -> the values of ``fields`` for COPY, read straight from the instance's __dict__."""
    names = [f.attname for f in fields]
    preps = [_db_value(f, connection) for f in fields]
    if all(prep is None for prep in preps):
        if len(names) == 1:
            return lambda obj: (obj.__dict__[names[0]],)
        pick = operator.itemgetter(*names)
        return lambda obj: pick(obj.__dict__)
    plan = list(zip(names, preps, strict=True))
    return lambda obj: [
        obj.__dict__[name] if prep is None else prep(obj.__dict__[name]) for name, prep in plan
    ]


def insert_with_history(model, objs: list, *, user, history_date=None) -> list:
    """INSERT new records and one "created" audit-trail entry for each, in the caller's
    transaction; returns ``objs``.

    On PostgreSQL both go through COPY and write the rows simple_history's
    ``bulk_create_with_history`` writes (a test compares the two), at a fraction of its cost;
    elsewhere ``bulk_create_with_history`` itself. Records must carry their primary key.
    """
    from simple_history.utils import bulk_create_with_history

    if not objs:
        return objs
    date = history_date or timezone.now()
    if connection.vendor != "postgresql":
        return bulk_create_with_history(
            objs, model, batch_size=500, default_user=user, default_date=date
        )
    fields = model._meta.concrete_fields
    values = _row_getter(fields)
    copy_rows(model._meta.db_table, [f.column for f in fields], (values(obj) for obj in objs))

    # The audit trail: the record's tracked fields, then simple_history's own columns.
    history = model.history.model
    tracked = {f.attname for f in history.tracked_fields}
    own = [f for f in history._meta.concrete_fields if f.attname in tracked]
    extra = [
        f for f in history._meta.concrete_fields if f.attname not in tracked and not f.primary_key
    ]
    known = {"history_date", "history_change_reason", "history_type", "history_user_id"}
    known.add("history_relation_id")
    unknown = [f.attname for f in extra if f.attname not in known]
    if unknown:
        raise NotImplementedError(f"Audit-trail columns not filled by COPY: {unknown}")
    tracked_values = _row_getter(own)
    user_id = user.pk if user is not None else None

    def extras(obj):
        author = getattr(obj, "_history_user", user)
        found = {
            "history_date": getattr(obj, "_history_date", date),
            "history_change_reason": getattr(obj, "_change_reason", None) or None,
            "history_type": "+",
            "history_user_id": author.pk if author is not None else user_id,
            "history_relation_id": obj.pk,
        }
        return tuple(found[f.attname] for f in extra)

    copy_rows(
        history._meta.db_table,
        [f.column for f in own] + [f.column for f in extra],
        (tuple(tracked_values(obj)) + extras(obj) for obj in objs),
    )
    return objs


def _differs(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.many_to_one:  # compare ids: reading the related record would cost a query
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def changed_fields(obj, data: dict) -> list[str]:
    """The fields of ``data`` whose value differs from the record's (no query)."""
    return [name for name, value in data.items() if _differs(obj, name, value)]


def apply_changes(pairs: list[tuple[object, dict]], *, user, now=None) -> tuple[list, list[str]]:
    """Set each record's new values as ``core.services.model_update`` does for one: only
    records whose values differ are stamped and returned, with every field that changed."""
    now = now or timezone.now()
    changed, names = [], set()
    for obj, data in pairs:
        fields = changed_fields(obj, data)
        if not fields:
            continue
        for name in fields:
            setattr(obj, name, data[name])
        obj.updated_by, obj.updated_at = user, now
        obj._history_user = user
        names.update(fields)
        changed.append(obj)
    return changed, [*sorted(names), "updated_by", "updated_at"]


def update_with_history(model, objs: list, fields: list[str], *, user) -> int:
    """UPDATE changed records and add a "changed" audit-trail entry for each."""
    from simple_history.utils import bulk_update_with_history

    if not objs:
        return 0
    return bulk_update_with_history(
        objs, model, fields, batch_size=500, default_user=user, default_date=timezone.now()
    )
