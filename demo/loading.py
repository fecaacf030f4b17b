"""Loading demo rows fast: COPY on PostgreSQL (the bulk engine's one COPY helper),
``bulk_create`` elsewhere; and, for an empty benchmark database, indexes built after the load."""

import contextlib
import operator
from collections.abc import Iterator

from django.db import connection

from accounts.models import Account
from activities.models import Activity
from campaigns.models import Campaign
from cases.models import Case
from contacts.models import Contact
from core.bulk.writer import copy_rows
from sales.models import Lead, Opportunity


class RowWriter:
    """Writes dict rows of a model: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self):
        self.copy = connection.vendor == "postgresql"
        self._defaults: dict[type, dict[str, object]] = {}

    def _default(self, model, fld):
        cache = self._defaults.setdefault(model, {})
        if fld.attname not in cache:
            cache[fld.attname] = fld.get_default()
        return cache[fld.attname]

    def write(self, model, rows: list[dict]) -> int:
        if not rows:
            return 0
        fields = model._meta.concrete_fields
        if self.copy:
            self._copy(model, fields, rows)
        else:
            objs = [
                model(**{f.attname: row.get(f.attname, self._default(model, f)) for f in fields})
                for row in rows
            ]
            model.all_objects.bulk_create(objs, batch_size=500)
        return len(rows)

    def _copy(self, model, fields, rows: list[dict]) -> None:
        names = [f.attname for f in fields]
        if all(name in rows[0] for name in names):
            values = operator.itemgetter(*names)
        else:
            defaults = {f.attname: self._default(model, f) for f in fields}

            def values(row):
                return [row.get(name, defaults[name]) for name in names]

        copy_rows(model._meta.db_table, [f.column for f in fields], map(values, rows))


GENERATED_MODELS = (Campaign, Account, Contact, Activity, Case, Opportunity, Lead)


@contextlib.contextmanager
def deferred_indexes(model_list=GENERATED_MODELS) -> Iterator[None]:
    """PostgreSQL bulk load: drop the tables' secondary indexes and foreign keys, load, then
    build them again in one pass each (what pg_restore does; several times faster than
    maintaining ten indexes row by row). Primary keys and unique constraints stay, so the data
    is still checked where it matters. Meant for an empty, dedicated database (the benchmark):
    if the process is killed outright, the indexes stay missing until ``migrate`` is rerun on a
    fresh database.
    """
    tables = [model._meta.db_table for model in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for definition, _name in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}"
                )
            cursor.execute("RESET maintenance_work_mem")


# --- the entry point -------------------------------------------------------------------------
