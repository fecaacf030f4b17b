"""Reading import files: CSV (UTF-8 with or without BOM, UTF-16, GBK/GB18030; comma, tab or
semicolon separated) and XLSX, streamed so that memory stays flat whatever the file's size."""

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, a required column missing)."""


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
    """Return the header, an iterator of ``(line_number, cells)`` over the non-blank rows, and
    an estimate of the number of rows (for a progress bar)."""
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
