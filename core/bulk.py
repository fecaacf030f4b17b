"""Bulk import and export of CRM records from CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX files.

A resource describes itself with a :class:`BulkSpec` (its columns, its row serializer and the
service functions that write a batch); :func:`run_import` and :func:`write_export` do the rest:
streaming reads (memory stays flat whatever the file size), validation by the API's own rules,
one transaction per batch, a report of every rejected row, and a summary.

Speed (see docs/BACKOFFICE.md for the figures): rows are validated by :class:`FastRowValidator`,
which runs each serializer field's own checks without DRF's per-row machinery and hands any row
it cannot accept to the full serializer, so rejected rows get exactly the API's messages; and
:func:`insert_with_history` writes a batch and its audit trail with PostgreSQL's COPY.
"""

import codecs
import contextlib
import csv
import datetime
import functools
import operator
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
)
from django.db import IntegrityError, connection, models, reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty
from rest_framework.serializers import Serializer
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from core.exceptions import BusinessError
from core.ownership import visible_to

SNIFF_BYTES = 256 * 1024


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
    def camel(self) -> str:
        return _camel(self.field)

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.field, self.camel, self.label, *self.aliases)}


@dataclass
class BulkSpec:
    """What an app provides to import and export one resource.

    - ``serializer``: validates one row (the API's rules; no per-row queries of its own: related
      records are looked up once a batch by :class:`FastRowValidator`).
    - ``key_fields``: natural keys in order of preference, e.g. ``[("account_no",), ("tax_no",)]``;
      a row matches an existing record on the first key it has a value for.
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
    find_existing: Callable[[dict[str, set]], dict]
    create_batch: Callable[..., object]
    update_batch: Callable[..., object]
    required: tuple[str, ...] = ()
    # Groups of columns of which the file must have at least one, e.g. accountNo or accountId.
    required_one_of: tuple[tuple[str, ...], ...] = ()
    prepare: Callable[[list[dict]], dict[int, list[tuple[str, str]]]] | None = None
    export_queryset: Callable | None = None
    export_row: Callable | None = None
    # Columns read as keys or context but not written through the serializer.
    key_only: tuple[str, ...] = ()


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # matched a record with --update, and already held these values
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    seconds: float = 0.0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, a required column missing)."""


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


def _norm(name: str) -> str:
    return str(name or "").strip().lstrip("\ufeff").replace(" ", "").replace("_", "").lower()


_DATE_CELL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date_cell(cell):
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time() else cell
    if isinstance(cell, str) and (match := _DATE_CELL.match(cell)):
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return cell


# --- reading ------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, UTF-16 with its BOM,
    else GB18030, the superset of GBK that spreadsheet programs on Chinese Windows write."""
    with open(path, "rb") as handle:
        start = handle.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list]], int | None]:
    """Return the header, an iterator of ``(line_number, cells)`` and an estimate of the rows."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(_("No such file: %(path)s") % {"path": path})
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise ImportFileError(_("Old .xls workbooks are not supported: save as .xlsx or CSV."))
    return _read_csv(path)


def _sniff_delimiter(line: str) -> str:
    """Comma unless the header clearly uses tabs or semicolons (spreadsheet "text" exports)."""
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _read_csv(path: Path):
    encoding = detect_encoding(path)
    with open(path, "rb") as handle:
        estimate = max(
            sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0
        )
    with open(path, encoding=encoding, newline="") as handle:
        try:
            delimiter = _sniff_delimiter(handle.readline())
            handle.seek(0)
            header = next(csv.reader(handle, delimiter=delimiter))
        except StopIteration:
            raise ImportFileError(_("The file is empty.")) from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ImportFileError(_("Cannot read the header: %(error)s") % {"error": exc}) from exc

    def rows():
        # Opened here, so a generator that is never started holds no file open.
        with open(path, encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                next(reader)
                for cells in reader:
                    if any(cell.strip() for cell in cells):
                        yield reader.line_num, cells
            except (csv.Error, UnicodeDecodeError) as exc:
                message = _("Line %(line)s: %(error)s") % {
                    "line": reader.line_num + 1,
                    "error": exc,
                }
                raise ImportFileError(message) from exc

    return header, rows(), estimate


def _open_workbook(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("Cannot read the workbook: %(error)s") % {"error": exc}) from exc


def _read_xlsx(path: Path):
    workbook = _open_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(values_only=True, max_row=1), None)
        estimate = (sheet.max_row - 1) if sheet.max_row else None
    finally:
        workbook.close()
    if first is None:
        raise ImportFileError(_("The workbook's first sheet is empty."))
    header = ["" if cell is None else str(cell) for cell in first]

    def rows():
        workbook = _open_workbook(path)
        try:
            values = workbook.worksheets[0].iter_rows(values_only=True, min_row=2)
            for number, cells in enumerate(values, start=2):
                cells = ["" if cell is None else cell for cell in cells]
                if any(str(cell).strip() for cell in cells):
                    yield number, cells
        finally:
            workbook.close()

    return header, rows(), estimate


def map_header(spec: BulkSpec, header: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Map column positions to the spec's columns; return the mapping and unknown headers."""
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
    return mapping, unknown


# --- validating ---------------------------------------------------------------------------------


class _Unsure(Exception):
    """The fast path cannot accept this value; the full serializer decides."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _compiled(lazy_pattern) -> re.Pattern:
    """A plain compiled copy of a (lazily compiled) validator regex."""
    return re.compile(lazy_pattern.pattern, lazy_pattern.flags)


def _fast_check(validator) -> Callable | None:
    """A check equivalent to ``validator`` (raises _Unsure instead of the validator's error)."""
    kind = type(validator)
    limit = getattr(validator, "limit_value", None)
    if callable(limit):
        return None
    if kind is MaxLengthValidator:

        def check(value):
            if len(value) > limit:
                raise _Unsure

    elif kind is MinLengthValidator:

        def check(value):
            if len(value) < limit:
                raise _Unsure

    elif kind is MaxValueValidator:

        def check(value):
            if value > limit:
                raise _Unsure

    elif kind is MinValueValidator:

        def check(value):
            if value < limit:
                raise _Unsure

    elif kind is ProhibitNullCharactersValidator:

        def check(value):
            if "\x00" in str(value):
                raise _Unsure

    elif kind is ProhibitSurrogateCharactersValidator:

        def check(value):
            if _SURROGATE.search(str(value)):
                raise _Unsure

    elif kind is EmailValidator:
        # Accept here what plainly passes the validator's own regexes; anything else (literal
        # IP domains, failures) is left to the validator.
        user = _compiled(validator.user_regex).match
        domain = _compiled(validator.domain_regex).match
        allowlist = validator.domain_allowlist

        def check(value):
            if isinstance(value, str) and value and "@" in value and len(value) <= 320:
                user_part, domain_part = value.rsplit("@", 1)
                if user(user_part) and (domain_part in allowlist or domain(domain_part)):
                    return
            validator(value)

    elif kind is RegexValidator:
        # The validator's pattern compiled once more: its own is a lazy object, whose every
        # use costs more than the search itself.
        search = _compiled(validator.regex).search
        inverse = validator.inverse_match

        def check(value):
            if (search(str(value)) is None) != inverse:
                raise _Unsure

    else:
        return None
    return check


def _validators_check(validators, field) -> Callable | None:
    """Run ``validators`` (a field's) as the field would, raising _Unsure on any failure;
    None when there are none."""
    checks = []
    for validator in validators:
        fast = _fast_check(validator)
        if fast is not None:
            checks.append(fast)
        elif getattr(validator, "requires_context", False):
            checks.append(functools.partial(lambda v, value, f: v(value, f), validator, f=field))
        else:
            checks.append(validator)
    if not checks:
        return None

    def run(value):
        try:
            for check in checks:
                check(value)
        except (ValidationError, DjangoValidationError) as exc:
            raise _Unsure from exc

    return run


def _text_checks(field) -> tuple[int | None, Callable | None]:
    """A CharField's validators as (max length, the others): the length, NUL and surrogate
    checks every CharField has are done inline, the rest (regexes, email) by the validators."""
    max_length, others = None, []
    for validator in field.validators:
        kind = type(validator)
        if kind is MaxLengthValidator and not callable(validator.limit_value):
            max_length = validator.limit_value if max_length is None else max_length
            if validator.limit_value != max_length:
                others.append(validator)
        elif kind in (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator):
            continue  # inline: _NUL_OR_SURROGATE
        else:
            others.append(validator)
    return max_length, _validators_check(others, field)


_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def _same_method(field, base, *names) -> bool:
    return all(getattr(type(field), name) is getattr(base, name) for name in names)


class FastRowValidator:
    """Validates rows with a serializer's own fields, validators and ``validate_<field>``
    methods, without DRF's per-row machinery; related records are fetched once a batch.

    ``validate(payload)`` returns the serializer's validated data, or ``None`` when the row is
    not accepted here: the caller then runs the full serializer, so every rejected row gets the
    API's exact messages. Only acceptance is decided here, and it must match the serializer's
    (tests compare both on many valid and invalid rows). Fields of kinds it does not know are
    validated by the field's own ``run_validation``, which is what the serializer calls too.
    """

    def __init__(self, serializer: Serializer):
        self.serializer = serializer
        self.related: list[tuple[str, relations.RelatedField]] = []
        self.lookups: dict[str, dict] = {}
        self.steps = [self._compile(f) for f in serializer._writable_fields]
        cls = type(serializer)
        self.validate_all = serializer.validate if cls.validate is not Serializer.validate else None
        self.serializer_validators = bool(serializer.validators)

    def _compile(self, f):
        name = f.field_name
        method = getattr(self.serializer, "validate_" + name, None)
        sources = f.source_attrs
        run_validators = _validators_check(f.validators, f) or (lambda value: None)
        convert = None
        if isinstance(f, relations.RelatedField) and (
            isinstance(f, relations.PrimaryKeyRelatedField | relations.SlugRelatedField)
            and _same_method(f, relations.RelatedField, "run_validation")
            and (f.pk_field is None if isinstance(f, relations.PrimaryKeyRelatedField) else True)
        ):
            self.related.append((name, f))
            lookup = self.lookups.setdefault(name, {})

            def convert(value, lookup=lookup):
                if not isinstance(value, str) or value not in lookup:
                    raise _Unsure
                return lookup[value]

        elif isinstance(f, drf_fields.CharField) and _same_method(
            f, drf_fields.CharField, "run_validation", "to_internal_value"
        ):
            allow_blank, trim = f.allow_blank, f.trim_whitespace
            max_length, others = _text_checks(f)
            max_length = max_length if max_length is not None else float("inf")
            forbidden = _NUL_OR_SURROGATE.search

            def convert(value):
                if value.__class__ is not str:
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        raise _Unsure
                    value = str(value)
                if trim:
                    text = value.strip()
                    if text == "":
                        if not allow_blank:
                            raise _Unsure
                        return ""  # DRF returns blanks unvalidated
                elif value == "":
                    if not allow_blank:
                        raise _Unsure
                    return ""
                else:
                    text = value
                if len(text) > max_length or forbidden(text):
                    raise _Unsure
                if others is not None:
                    others(text)
                return text

        elif isinstance(f, drf_fields.ChoiceField) and _same_method(
            f, drf_fields.ChoiceField, "run_validation", "to_internal_value"
        ):
            allow_blank, table = f.allow_blank, f.choice_strings_to_values

            def convert(value):
                if value == "" and allow_blank:
                    result = ""
                else:
                    try:
                        result = table[str(value)]
                    except KeyError:
                        raise _Unsure from None
                run_validators(result)
                return result

        if convert is None:  # any other field: its own run_validation, as the serializer does

            def convert(value):
                try:
                    return f.run_validation(value)
                except (ValidationError, DjangoValidationError) as exc:
                    raise _Unsure from exc

            generic = True
        else:
            generic = False
        return (name, f, sources, convert, method, generic)

    def prefetch(self, payloads: list[dict]) -> None:
        """Fetch, with one query a related field, every record the batch refers to."""
        for name, f in self.related:
            lookup = self.lookups[name]
            lookup.clear()
            wanted = {p[name] for p in payloads if isinstance(p.get(name), str) and p[name]}
            if not wanted:
                continue
            queryset = f.get_queryset()
            if isinstance(f, relations.SlugRelatedField):
                if "__" in f.slug_field:
                    continue
                found: dict[str, list] = {}
                for obj in queryset.filter(**{f"{f.slug_field}__in": wanted}):
                    found.setdefault(str(getattr(obj, f.slug_field)), []).append(obj)
                lookup.update({k: v[0] for k, v in found.items() if len(v) == 1 and k in wanted})
                continue
            pk_field = queryset.model._meta.pk
            parsed = {}
            for value in wanted:
                try:
                    parsed[value] = pk_field.to_python(value)
                except (DjangoValidationError, TypeError, ValueError):
                    continue
            by_pk = {obj.pk: obj for obj in queryset.filter(pk__in=set(parsed.values()))}
            lookup.update({raw: by_pk[pk] for raw, pk in parsed.items() if pk in by_pk})

    def validate(self, payload: dict) -> dict | None:
        ret = {}
        try:
            for name, f, sources, convert, method, generic in self.steps:
                if generic:
                    value = f.get_value(payload)
                    try:
                        value = convert(value)
                    except SkipField:
                        continue
                else:
                    value = payload.get(name, empty)
                    if value is empty:
                        if f.required:
                            raise _Unsure
                        if f.default is empty:
                            continue
                        value = f.get_default()
                    elif value is None:
                        if not f.allow_null:
                            raise _Unsure
                    else:
                        value = convert(value)
                if method is not None:
                    value = method(value)
                if len(sources) == 1:
                    ret[sources[0]] = value
                else:
                    drf_fields.set_value(ret, sources, value)
            if self.serializer_validators:
                self.serializer.run_validators(ret)
            if self.validate_all is not None:
                ret = self.validate_all(ret)
        except (_Unsure, ValidationError, DjangoValidationError, BusinessError, SkipField):
            return None
        return ret


# --- importing ----------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # XLSX numbers such as phone 13800138001.0
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()  # an XLSX date cell
    return value


def _errors(detail, prefix="") -> Iterable[tuple[str, str]]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "nonFieldErrors" if key == "non_field_errors" else _camel(key)
            yield from _errors(value, f"{prefix}{name}")
    elif isinstance(detail, list):
        for value in detail:
            yield from _errors(value, prefix)
    else:
        yield prefix, str(detail)


def _business_errors(exc: BusinessError) -> Iterable[tuple[str, str]]:
    if exc.data and isinstance(exc.data, dict):
        yield from _errors(exc.data)
    else:
        yield "", str(exc.message)


class _Run:
    """One import's state. Validation (this thread) and writing (maybe a writer thread) both
    count and report, so counts and the report go through a lock."""

    def __init__(self, spec, report, by, dry_run, update):
        self.spec = spec
        self.summary = Summary()
        self._report = report or (lambda line, field_name, message: None)
        self._lock = threading.Lock()
        self.by = by
        self.dry_run = dry_run
        self.update = update
        self.serializer = spec.serializer()
        self.fast = FastRowValidator(self.serializer)

    def count(self, outcome: str, n: int = 1) -> None:
        with self._lock:
            setattr(self.summary, outcome, getattr(self.summary, outcome) + n)

    def reject(self, line: int, outcome: str, errors: Iterable[tuple[str, str]]) -> None:
        """Count a row as failed or skipped and report each of its errors."""
        with self._lock:
            setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
            for field_name, message in errors:
                self._report(line, field_name, message)


def run_import(
    spec: BulkSpec,
    path,
    *,
    by=None,
    dry_run: bool = False,
    update: bool = False,
    batch_size: int = 1000,
    on_reject: Callable[[int, str, str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_start: Callable[[int | None], None] | None = None,
) -> Summary:
    """Import ``path``; every batch commits on its own, so an interruption loses no committed
    batch and never leaves half of one.

    Memory stays flat: only a batch or two are held. Duplicates inside a batch are reported
    as such; a row repeating a key of an earlier batch finds the record that batch committed,
    so it is skipped as existing (or, with ``update``, applied to it), never created twice.

    On PostgreSQL, outside a transaction, batches are written by a writer thread on its own
    connection while this thread reads and validates the next one (the database's work then
    overlaps Python's). Inside a transaction (tests, callers' atomic blocks) another connection
    could not see its rows, so everything runs here, in order.
    """
    header, rows, estimate = read_rows(Path(path))
    mapping, unknown = map_header(spec, header)
    if on_start:
        on_start(estimate)
    run = _Run(spec, on_reject, by, dry_run, update)
    run.summary.ignored_columns = unknown
    # Per column: its position, its field and how a cell becomes a value.
    readers = [
        (index, column.field, column.to_value if (column.choices or column.kind) else None)
        for index, column in mapping.items()
    ]
    background = (
        connection.vendor == "postgresql" and not connection.in_atomic_block and not dry_run
    )
    writer = _Writer(run) if background else None
    write = writer.put if writer else (lambda valid: _write_batch(run, valid))
    started = time.perf_counter()
    batch: list[tuple[int, dict]] = []
    try:
        for line, cells in rows:
            run.summary.rows += 1
            data = {}
            width = len(cells)
            for index, name, to_value in readers:
                if index < width:
                    value = _cell(cells[index])
                    if value is not None:
                        data[name] = value if to_value is None else to_value(value)
            batch.append((line, data))
            if len(batch) >= batch_size:
                write(_validate_batch(run, batch))
                if on_progress:
                    on_progress(len(batch))
                batch = []
        if batch:
            write(_validate_batch(run, batch))
            if on_progress:
                on_progress(len(batch))
        if writer:
            writer.finish()
    except BaseException:
        if writer:
            writer.stop()  # lets the batch being written commit whole, writes no other
        raise
    finally:
        run.summary.seconds = time.perf_counter() - started
    return run.summary


class _Writer:
    """Writes validated batches in order on a thread of its own (and so its own connection)."""

    def __init__(self, run: _Run):
        self.run = run
        self.queue: queue.Queue = queue.Queue(maxsize=1)  # memory: at most two batches waiting
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._work, name="bulk-import-writer", daemon=True)
        self.thread.start()

    def _work(self):
        from django.db import connections

        try:
            while True:
                valid = self.queue.get()
                if valid is None or self.stopping.is_set():
                    return
                _write_batch(self.run, valid)
        except BaseException as exc:  # handed to the reading thread, which raises it
            self.error = exc
        finally:
            connections.close_all()  # this thread's connection

    def _check(self):
        if self.error is not None:
            raise self.error

    def put(self, valid) -> None:
        while True:
            self._check()
            try:
                self.queue.put(valid, timeout=0.2)
                return
            except queue.Full:
                if not self.thread.is_alive():
                    self._check()
                    raise RuntimeError("The import's writer thread stopped.") from None

    def finish(self) -> None:
        self.put(None)
        self.thread.join()
        self._check()

    def stop(self) -> None:
        self.stopping.set()
        with contextlib.suppress(queue.Full):
            self.queue.put_nowait(None)
        self.thread.join()


def _row_key(spec: BulkSpec, data: dict):
    for fields in spec.key_fields:
        values = tuple(data.get(f) for f in fields)
        if all(v not in (None, "") for v in values):
            return fields, tuple(str(v).strip() for v in values)
    return None


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


def _camel(name: str) -> str:
    return camelize_re.sub(underscore_to_camel, name)


def _validate_batch(run: _Run, batch: list[tuple[int, dict]]) -> list:
    """The batch's rows that pass the API's rules, as ``(line, values, natural key)``; the
    others are reported. Related records are looked up once for the whole batch."""
    reset_queries()  # with DEBUG on, Django keeps every query's SQL: memory would grow
    spec = run.spec
    rejected = spec.prepare([data for _line, data in batch]) if spec.prepare else {}
    candidates = []
    for index, (line, data) in enumerate(batch):
        if index in rejected:
            run.reject(line, "failed", rejected[index])
            continue
        candidates.append((line, data, {k: v for k, v in data.items() if k not in spec.key_only}))
    run.fast.prefetch([payload for _line, _data, payload in candidates])

    seen: dict[tuple, int] = {}
    valid: list[tuple[int, dict, tuple | None]] = []
    for line, data, payload in candidates:
        key = _row_key(spec, data)
        if key is not None and key in seen:
            message = _("duplicate of line %(line)s in this file") % {"line": seen[key]}
            run.reject(line, "skipped", [(_camel(key[0][-1]), message)])
            continue
        values = run.fast.validate(payload)
        if values is None:
            try:
                values = dict(run.serializer.run_validation(payload))
            except ValidationError as exc:
                run.reject(line, "failed", _errors(exc.detail))
                continue
            except BusinessError as exc:  # a field that answers a domain code (e.g. campaignId)
                run.reject(line, "failed", _business_errors(exc))
                continue
        if key is not None:
            seen[key] = line
        values.update({name: data[name] for name in spec.key_only if name in data})
        valid.append((line, values, key))
    return valid


def _write_batch(run: _Run, valid: list) -> None:
    """Match the rows to existing records by natural key, then create and update them in one
    transaction (row by row only when the batch breaks a rule, to find the culprits)."""
    if not valid:
        return
    reset_queries()
    spec = run.spec
    wanted: dict[tuple[str, ...], set] = {}
    for _line, _values, key in valid:
        if key is not None:
            wanted.setdefault(key[0], set()).add(key[1])
    existing = spec.find_existing(wanted) if wanted else {}
    to_create, to_update = [], []
    for line, values, key in valid:
        match = existing.get(key) if key is not None else None
        if match is None:
            to_create.append((line, values))
        elif run.update:
            to_update.append((line, (match, values)))
        else:
            message = _("already exists (use --update to change it)")
            run.reject(line, "skipped", [(_camel(key[0][-1]), message)])
    if run.dry_run:
        run.count("created", len(to_create))
        run.count("updated", len(to_update))
        return
    try:
        with transaction.atomic():
            spec.create_batch(rows=[values for _line, values in to_create], by=run.by)
            changed = spec.update_batch(pairs=[pair for _line, pair in to_update], by=run.by)
        run.count("created", len(to_create))
        run.count("updated", changed)
        run.count("unchanged", len(to_update) - changed)
    except (IntegrityError, BusinessError):
        # A row the checks let through still broke a rule (e.g. a tax number taken by another
        # account, a converted lead's status): write the batch row by row to find and report it.
        _write_row_by_row(run, to_create, to_update)


def _write_row_by_row(run: _Run, to_create, to_update):
    spec = run.spec
    writes = [(line, "create", values) for line, values in to_create]
    writes += [(line, "update", pair) for line, pair in to_update]
    for line, kind, item in writes:
        try:
            with transaction.atomic():
                if kind == "create":
                    spec.create_batch(rows=[item], by=run.by)
                    outcome = "created"
                else:
                    item[0].refresh_from_db()  # the failed batch left its new values on it
                    changed = spec.update_batch(pairs=[item], by=run.by)
                    outcome = "updated" if changed else "unchanged"
        except IntegrityError as exc:
            message = _("conflicts with an existing record: %(error)s") % {
                "error": str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            }
            run.reject(line, "failed", [("", message)])
        except BusinessError as exc:
            run.reject(line, "failed", _business_errors(exc))
        else:
            run.count(outcome)


# --- writing ------------------------------------------------------------------------------------

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


def _db_value(field, conn) -> Callable | None:
    """None when the attribute's value goes to COPY as is, else a converter."""
    target = field.target_field if field.is_relation else field
    if type(target) in _AS_IS:
        return None
    return lambda value: field.get_db_prep_save(value, conn)


def _copy(table: str, columns: list[str], rows: Iterable[list]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


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
    _copy(model._meta.db_table, [f.column for f in fields], (values(obj) for obj in objs))

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

    _copy(
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


def apply_changes(pairs: list[tuple[object, dict]], *, user, now=None) -> tuple[list, list[str]]:
    """Set each record's new values as ``core.services.model_update`` does for one: only
    records whose values differ are stamped and returned, with every field that changed."""
    now = now or timezone.now()
    changed, names = [], set()
    for obj, data in pairs:
        fields = [name for name, value in data.items() if _differs(obj, name, value)]
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


# --- exporting ----------------------------------------------------------------------------------


def write_export(
    spec: BulkSpec, path, *, headers: str = "label", chunk_size: int = 2000, user=None
) -> int:
    """Write the live records to CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) or
    XLSX (by the file's suffix), streaming in chunks; returns the number of rows.

    Every record by default (an operator's command); with ``user``, only the records that user
    may see under record ownership (core.ownership), exactly the API's scope."""
    path = Path(path)
    titles = [c.label if headers == "label" else c.camel for c in spec.columns]
    queryset = spec.export_queryset()
    if user is not None:
        queryset = visible_to(queryset, user)
    rows = (spec.export_row(obj) for obj in queryset.iterator(chunk_size=chunk_size))
    count = 0
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(spec.name)
        sheet.append(titles)
        for row in rows:
            sheet.append([_xlsx_value(row.get(c.field)) for c in spec.columns])
            count += 1
        workbook.save(path)
        return count
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(titles)
        for row in rows:
            writer.writerow(
                ["" if row.get(c.field) is None else row.get(c.field) for c in spec.columns]
            )
            count += 1
    os.replace(tmp, path)
    return count


def _xlsx_value(value):
    # Identifiers stay text in Excel (a UUID object is not a cell value; long digit strings
    # such as phone numbers are already strings).
    if value is None or isinstance(value, str | int | float | datetime.date):
        return value
    return str(value)
