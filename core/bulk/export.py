"""Exports: the live records of a resource, as CSV or XLSX, with the columns its import reads."""

import csv
import datetime
import os
from pathlib import Path

from core.bulk.spec import BulkSpec
from core.ownership import visible_to


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
