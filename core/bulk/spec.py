"""What a resource tells the bulk engine: its columns (with the header names staff write and
the cell values they use), its row serializer, its natural keys and its bulk services."""

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.bulk.files import ImportFileError
from core.text import camel_key


@dataclass(frozen=True)
class Column:
    """One column: the field, the seed's Chinese label, and other accepted header names."""

    field: str
    label: str
    aliases: tuple[str, ...] = ()
    # For enums: the model's TextChoices, so cells may hold the code ("corporate") or its label
    # in Chinese or English ("企业", "Corporate").
    choices: type | None = None
    # "date": cells such as 1980/1/2, 1980.1.2 or 1980年1月2日 are read as 1980-01-02.
    kind: str | None = None

    def to_value(self, cell):
        if self.kind == "date":
            return _date_cell(cell)
        if self.choices is None or not isinstance(cell, str):
            return cell
        return _choice_value(self.choices, cell)

    @property
    def converts(self) -> bool:
        """Whether :meth:`to_value` may change a cell (the import skips it otherwise)."""
        return self.choices is not None or self.kind is not None

    @property
    def camel(self) -> str:
        return camel_key(self.field)

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.field, self.camel, self.label, *self.aliases)}


@dataclass
class BulkSpec:
    """What an app provides to import and export one resource.

    - ``serializer``: validates one row (the API's rules; no per-row queries of its own: related
      records are looked up once a batch by the fast validator).
    - ``key_fields``: natural keys in order of preference, e.g. ``[("account_no",), ("tax_no",)]``;
      a row matches an existing record on the first key it has a value for.
    - ``key_only``: columns read as keys or context only: the serializer and the services never
      see them (e.g. the account number of a contact row, once resolved into ``account_id``).
    - ``find_existing(keys_by_field)`` returns ``{(fields, values): instance}``, one query a key.
    - ``create_batch(rows, by)`` / ``update_batch(pairs, by)`` are the app's bulk services;
      ``update_batch`` returns how many records it changed (the others already matched).
    - ``prepare(rows)`` (optional) resolves references of a batch in place, e.g. an account
      number into ``account_id``, with one query; returns ``{row index: [(field, message)]}``
      for rows it rejects.
    - ``export_queryset()`` and ``export_row(obj)`` feed exports with the same columns.
    """

    name: str
    columns: list[Column]
    serializer: type
    key_fields: list[tuple[str, ...]]
    find_existing: Callable[[dict[tuple[str, ...], set]], dict]
    create_batch: Callable[..., object]
    update_batch: Callable[..., object]
    required: tuple[str, ...] = ()
    # Groups of columns of which the file must have at least one, e.g. accountNo or accountId.
    required_one_of: tuple[tuple[str, ...], ...] = ()
    prepare: Callable[[list[dict]], dict[int, list[tuple[str, str]]]] | None = None
    export_queryset: Callable | None = None
    export_row: Callable | None = None
    key_only: tuple[str, ...] = ()

    def key_of(self, data: dict) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The row's natural key, ``(fields, values)``: the first of ``key_fields`` it fills."""
        for fields in self.key_fields:
            values = tuple(data.get(f) for f in fields)
            if all(v not in (None, "") for v in values):
                return fields, tuple(str(v).strip() for v in values)
        return None

    def payload(self, data: dict) -> dict:
        """The row's values for the serializer: everything but the key-only columns."""
        if not self.key_only:
            return data
        return {k: v for k, v in data.items() if k not in self.key_only}


def find_by_keys(queryset, wanted: dict[tuple[str, ...], set]) -> dict:
    """``find_existing`` for plain field keys: one query per key kind, exact matches."""
    found = {}
    for fields, values in wanted.items():
        # Each field IN its values (a superset for composite keys), then exact tuples here.
        filters = {f"{name}__in": {value[i] for value in values} for i, name in enumerate(fields)}
        for obj in queryset.filter(**filters):
            key = tuple(str(getattr(obj, f)).strip() for f in fields)
            if key in values:
                found[(fields, key)] = obj
    return found


# --- the header ---------------------------------------------------------------------------------


class HeaderMap:
    """Which position of the file's header became which column, and the headers ignored."""

    def __init__(self, columns: dict[int, Column], ignored: list[str]):
        self.columns = columns
        self.ignored = ignored
        self._readers = [
            (index, column.field, column.to_value if column.converts else None)
            for index, column in columns.items()
        ]

    def values(self, cells: list) -> dict:
        """One row's cells as ``{field: value}``; blank cells are left out."""
        data = {}
        width = len(cells)
        for index, name, to_value in self._readers:
            if index < width:
                value = _cell(cells[index])
                if value is not None:
                    data[name] = value if to_value is None else to_value(value)
        return data


def map_header(spec: BulkSpec, header: list[str]) -> HeaderMap:
    """Map the header's positions to the spec's columns; a required column missing is an error."""
    by_name = {}
    for column in spec.columns:
        for name in column.names():
            by_name[name] = column
    mapping, unknown, seen = {}, [], set()
    for index, title in enumerate(header):
        column = by_name.get(_norm(title))
        if column is None or column.field in seen:
            if str(title).strip():
                unknown.append(str(title))
            continue
        mapping[index] = column
        seen.add(column.field)
    by_field = {c.field: c for c in spec.columns}
    missing = [by_field[name] for name in spec.required if name not in seen]
    if missing:
        names = ", ".join(f"{c.label} ({c.camel})" for c in missing)
        raise ImportFileError(_("Required column missing: %(names)s") % {"names": names})
    for group in spec.required_one_of:
        if not seen.intersection(group):
            names = _(" or ").join(f"{by_field[n].label} ({by_field[n].camel})" for n in group)
            raise ImportFileError(_("Required column missing: %(names)s") % {"names": names})
    return HeaderMap(mapping, unknown)


# --- cells --------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return str(name or "").strip().lstrip("\ufeff").replace(" ", "").replace("_", "").lower()


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # XLSX numbers such as phone 13800138001.0
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()  # an XLSX date cell
    return value


@functools.cache
def _choice_lookup(choices) -> dict[str, str]:
    from django.utils import translation

    lookup = {}
    for value, label in choices.choices:
        lookup[_norm(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[_norm(str(label))] = value
    return lookup


@functools.lru_cache(maxsize=4096)
def _choice_value(choices, cell: str) -> str:
    return _choice_lookup(choices).get(_norm(cell), cell)


_DATE_CELL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date_cell(cell):
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time() else cell
    if isinstance(cell, str) and (match := _DATE_CELL.match(cell)):
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return cell
