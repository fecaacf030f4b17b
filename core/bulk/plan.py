"""The plan of a batch: what each valid row will do, decided before anything is written.

A row creates a record, updates the record its natural key matches (with the fields that
change), leaves that record unchanged, or is skipped (a duplicate of an earlier row of the
batch; a match while updating is not allowed). Applying the plan is the import run's job; a
preview can show the plan as it is.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.bulk.spec import BulkSpec
from core.bulk.validation import Rejection, Row
from core.bulk.writer import changed_fields
from core.text import camel_key


@dataclass
class Update:
    line: int
    record: object
    values: dict
    changes: list[str]  # the fields whose values differ from the record's


@dataclass
class Plan:
    create: list[Row] = field(default_factory=list)
    update: list[Update] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    skipped: list[Rejection] = field(default_factory=list)


def plan_batch(spec: BulkSpec, rows: list[Row], *, update: bool) -> Plan:
    """Match ``rows`` to existing records by natural key (one query a key kind) and decide.

    Run it right before writing: a row repeating a key of an earlier batch then finds the
    record that batch committed, so it is never created twice."""
    plan = Plan()
    seen: dict[tuple, int] = {}
    wanted: dict[tuple[str, ...], set] = {}
    unique = []
    for row in rows:
        if row.key is not None and row.key in seen:
            message = _("duplicate of line %(line)s in this file") % {"line": seen[row.key]}
            plan.skipped.append(Rejection(row.line, "skipped", [(_key_field(row), message)]))
            continue
        if row.key is not None:
            seen[row.key] = row.line
            wanted.setdefault(row.key[0], set()).add(row.key[1])
        unique.append(row)
    existing = spec.find_existing(wanted) if wanted else {}
    for row in unique:
        match = existing.get(row.key) if row.key is not None else None
        if match is None:
            plan.create.append(row)
        elif not update:
            message = _("already exists (use --update to change it)")
            plan.skipped.append(Rejection(row.line, "skipped", [(_key_field(row), message)]))
        elif changes := changed_fields(match, row.values):
            plan.update.append(Update(row.line, match, row.values, changes))
        else:
            plan.unchanged.append(row)
    return plan


def _key_field(row: Row) -> str:
    """The column a key problem is reported on: the key's last field (email of account+email)."""
    return camel_key(row.key[0][-1])
