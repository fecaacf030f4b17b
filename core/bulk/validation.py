"""Row validation: a batch of rows in, the rows that pass the API's rules and the errors of the
others, cell by cell (camelCase field name and message), out. Nothing is written or counted
here, so a preview can show the same errors an import reports."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import reset_queries
from rest_framework.exceptions import ValidationError

from core.bulk.fast_validator import FastRowValidator
from core.bulk.spec import BulkSpec
from core.exceptions import BusinessError
from core.text import camel_key


@dataclass
class Row:
    """A row that passed: its line in the file, its validated values (the serializer's, no
    key-only column) and its natural key (``None`` when it has none)."""

    line: int
    values: dict
    key: tuple | None


@dataclass
class Rejection:
    """A row left out: ``outcome`` is "failed" (it breaks a rule) or "skipped" (it is valid
    but not written, e.g. it exists); ``errors`` are ``(camelCase field, message)`` pairs, the
    field empty for a problem of the whole row."""

    line: int
    outcome: str
    errors: list[tuple[str, str]]


@dataclass
class Checked:
    valid: list[Row] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


class RowValidator:
    """Validates batches of rows by a spec's serializer; related records are looked up once a
    batch (``spec.prepare`` and the fast validator's prefetch), never once a row.

    ``fast=False`` runs the full serializer on every row (the benchmark's comparison)."""

    def __init__(self, spec: BulkSpec, *, fast: bool = True):
        self.spec = spec
        self.serializer = spec.serializer()
        self.fast = FastRowValidator(self.serializer) if fast else None

    def check(self, batch: list[tuple[int, dict]]) -> Checked:
        reset_queries()  # with DEBUG on, Django keeps every query's SQL: memory would grow
        spec = self.spec
        out = Checked()
        rejected = spec.prepare([data for _line, data in batch]) if spec.prepare else {}
        candidates = []
        for index, (line, data) in enumerate(batch):
            if index in rejected:
                out.rejected.append(Rejection(line, "failed", rejected[index]))
            else:
                candidates.append((line, spec.key_of(data), spec.payload(data)))
        if self.fast is not None:
            self.fast.prefetch([payload for _line, _key, payload in candidates])
        for line, key, payload in candidates:
            values = self.fast.validate(payload) if self.fast is not None else None
            if values is None:
                try:
                    values = dict(self.serializer.run_validation(payload))
                except ValidationError as exc:
                    out.rejected.append(Rejection(line, "failed", list(field_errors(exc.detail))))
                    continue
                except BusinessError as exc:  # a field that answers a domain code (campaignId)
                    out.rejected.append(Rejection(line, "failed", list(business_errors(exc))))
                    continue
            out.valid.append(Row(line, values, key))
        return out


def field_errors(detail, prefix="") -> Iterable[tuple[str, str]]:
    """A ValidationError's detail as ``(camelCase field, message)`` pairs."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "nonFieldErrors" if key == "non_field_errors" else camel_key(key)
            yield from field_errors(value, f"{prefix}{name}")
    elif isinstance(detail, list):
        for value in detail:
            yield from field_errors(value, prefix)
    else:
        yield prefix, str(detail)


def business_errors(exc: BusinessError) -> Iterable[tuple[str, str]]:
    if exc.data and isinstance(exc.data, dict):
        yield from field_errors(exc.data)
    else:
        yield "", str(exc.message)
