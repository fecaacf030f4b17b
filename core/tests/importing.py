"""Helpers for the import/export command tests of every app."""

import csv
from io import StringIO
from pathlib import Path

from django.core.management import call_command


def write(tmp_path: Path, text: str, encoding="utf-8", name="data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(command: str, path: Path, *args) -> str:
    out = StringIO()
    call_command(command, str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def report_rows(path: Path) -> list[list[str]]:
    """The rejected rows of the import of ``path``: [line, field, message] each."""
    report = path.with_name(path.name + ".errors.csv")
    if not report.exists():
        return []
    with open(report, encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))[1:]


def rejected(path: Path) -> set[tuple[str, str]]:
    """(line, field) of each rejection in the report of the import of ``path``."""
    return {(line, field) for line, field, _message in report_rows(path)}
