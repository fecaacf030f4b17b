"""Bulk import and export of CRM records from CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX files.

A resource describes itself with a :class:`BulkSpec` (its columns, its row serializer and the
service functions that write a batch); :func:`run_import` and :func:`write_export` do the rest:
streaming reads (memory stays flat whatever the file size), validation by the API's own rules,
one transaction per batch, a report of every rejected row, and a summary.
"""

import codecs
import csv
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework.exceptions import ValidationError

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

    def to_value(self, cell):
        if self.choices is None or not isinstance(cell, str):
            return cell
        return _choice_lookup(self.choices).get(_norm(cell), cell)

    @property
    def camel(self) -> str:
        return _camel(self.field)

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.field, self.camel, self.label, *self.aliases)}


@dataclass
class BulkSpec:
    """What an app provides to import and export one resource.

    - ``serializer``: validates one row (the API's rules; cheap per row, no queries).
    - ``key_fields``: natural keys in order of preference, e.g. ``[("account_no",), ("tax_no",)]``;
      a row matches an existing record on the first key it has a value for.
    - ``find_existing(keys_by_field)`` returns ``{(field, value): instance}`` in one query a key.
    - ``create_batch(rows, by)`` / ``update_batch(pairs, by)`` are the app's bulk services.
    - ``export_queryset()`` and ``export_row(obj)`` feed exports with the same columns.
    """

    name: str
    columns: list[Column]
    serializer: type
    key_fields: list[tuple[str, ...]]
    find_existing: Callable[[dict[str, set]], dict]
    create_batch: Callable[..., int]
    update_batch: Callable[..., int]
    required: tuple[str, ...] = ()
    export_queryset: Callable | None = None
    export_row: Callable | None = None
    # Columns read as keys or context but not written through the serializer.
    key_only: tuple[str, ...] = ()


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    seconds: float = 0.0

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


def _norm(name: str) -> str:
    return str(name or "").strip().lstrip("\ufeff").replace(" ", "").replace("_", "").lower()


# --- reading ------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the start of the file decodes as such, else GB18030,
    the superset of GBK that spreadsheet programs on Chinese Windows write."""
    with open(path, "rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list]], int | None]:
    """Return the header, an iterator of ``(line_number, cells)`` and an estimate of the rows."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"No such file: {path}")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path):
    encoding = detect_encoding(path)
    with open(path, "rb") as handle:
        estimate = max(
            sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0
        )
    handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by the generator)
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise ImportFileError("The file is empty.") from None
    except UnicodeDecodeError as exc:
        handle.close()
        raise ImportFileError(f"Cannot decode the file as {encoding}: {exc}") from exc

    def rows():
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, cells
        finally:
            handle.close()

    return header, rows(), estimate


def _read_xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(f"Cannot read the workbook: {exc}") from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell) for cell in next(values)]
    except StopIteration:
        workbook.close()
        raise ImportFileError("The workbook's first sheet is empty.") from None
    estimate = (sheet.max_row - 1) if sheet.max_row else None

    def rows():
        try:
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
    missing = [c for c in spec.columns if c.field in spec.required and c.field not in seen]
    if missing:
        names = ", ".join(f"{c.label} ({c.camel})" for c in missing)
        raise ImportFileError(f"Required column missing: {names}")
    return mapping, unknown


# --- importing ----------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # XLSX numbers such as phone 13800138001.0
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
) -> Summary:
    """Import ``path``; every batch commits on its own, so an interruption loses no committed
    batch and never leaves half of one."""
    header, rows, _estimate = read_rows(Path(path))
    mapping, _unknown = map_header(spec, header)
    summary = Summary()
    started = time.perf_counter()
    seen_keys: set = set()

    def report(line: int, field_name: str, message: str):
        if on_reject:
            on_reject(line, field_name, message)

    batch: list[tuple[int, dict]] = []
    try:
        for line, cells in rows:
            summary.rows += 1
            data = {}
            for index, column in mapping.items():
                value = _cell(cells[index]) if index < len(cells) else None
                if value is not None:
                    data[column.field] = column.to_value(value)
            batch.append((line, data))
            if len(batch) >= batch_size:
                _import_batch(spec, batch, summary, seen_keys, report, by, dry_run, update)
                if on_progress:
                    on_progress(len(batch))
                batch = []
        if batch:
            _import_batch(spec, batch, summary, seen_keys, report, by, dry_run, update)
            if on_progress:
                on_progress(len(batch))
    finally:
        summary.seconds = time.perf_counter() - started
    return summary


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
        if len(fields) == 1:
            rows = queryset.filter(**{f"{fields[0]}__in": [value[0] for value in values]})
        else:
            match = Q()
            for value in values:
                match |= Q(**dict(zip(fields, value, strict=True)))
            rows = queryset.filter(match)
        for obj in rows:
            found[(fields, tuple(str(getattr(obj, f)).strip() for f in fields))] = obj
    return found


def _camel(name: str) -> str:
    return camelize_re.sub(underscore_to_camel, name)


def _import_batch(spec, batch, summary, seen_keys, report, by, dry_run, update):
    # One serializer instance validates every row: building a ModelSerializer's fields costs
    # far more than validating a row with them.
    validator = spec.serializer()
    valid: list[tuple[int, dict, tuple | None]] = []
    for line, data in batch:
        key = _row_key(spec, data)
        if key is not None and key in seen_keys:
            summary.skipped += 1
            report(line, _camel(key[0][0]), "duplicate of an earlier row in this file")
            continue
        payload = {k: v for k, v in data.items() if k not in spec.key_only}
        try:
            values = dict(validator.run_validation(payload))
        except ValidationError as exc:
            summary.failed += 1
            for field_name, message in _errors(exc.detail):
                report(line, field_name, message)
            continue
        if key is not None:
            seen_keys.add(key)
        values.update({name: data[name] for name in spec.key_only if name in data})
        valid.append((line, values, key))
    if not valid:
        return
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
        elif update:
            to_update.append((line, (match, values)))
        else:
            summary.skipped += 1
            report(line, _camel(key[0][0]), "already exists (use --update to change it)")
    if dry_run:
        summary.created += len(to_create)
        summary.updated += len(to_update)
        return
    try:
        with transaction.atomic():
            spec.create_batch(rows=[values for _, values in to_create], by=by)
            spec.update_batch(pairs=[pair for _, pair in to_update], by=by)
        summary.created += len(to_create)
        summary.updated += len(to_update)
    except IntegrityError:
        # A row the checks let through still broke a database rule (e.g. a tax number taken
        # by another account): write the batch row by row to find and report it.
        _write_row_by_row(spec, to_create, to_update, summary, report, by)


def _write_row_by_row(spec, to_create, to_update, summary, report, by):
    for line, values in to_create:
        try:
            with transaction.atomic():
                spec.create_batch(rows=[values], by=by)
            summary.created += 1
        except IntegrityError as exc:
            summary.failed += 1
            report(line, "", f"conflicts with an existing record: {exc}".splitlines()[0])
    for line, pair in to_update:
        try:
            with transaction.atomic():
                spec.update_batch(pairs=[pair], by=by)
            summary.updated += 1
        except IntegrityError as exc:
            summary.failed += 1
            report(line, "", f"conflicts with an existing record: {exc}".splitlines()[0])


# --- exporting ----------------------------------------------------------------------------------


def write_export(spec: BulkSpec, path, *, headers: str = "label", chunk_size: int = 2000) -> int:
    """Write every live record to CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) or
    XLSX (by the file's suffix), streaming in chunks; returns the number of rows."""
    path = Path(path)
    titles = [c.label if headers == "label" else c.camel for c in spec.columns]
    rows = (spec.export_row(obj) for obj in spec.export_queryset().iterator(chunk_size=chunk_size))
    count = 0
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(spec.name)
        sheet.append(titles)
        for row in rows:
            sheet.append([row.get(c.field) for c in spec.columns])
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
