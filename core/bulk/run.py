"""The import run: a file read in batches, each batch validated, planned and written in one
transaction, with a summary, a report of every rejected row, and progress between batches.

The steps, each in its own module: :mod:`core.bulk.files` reads the file,
:mod:`core.bulk.spec` maps its header to the resource's columns, :mod:`core.bulk.validation`
checks a batch, :mod:`core.bulk.plan` decides what each row does, and this module applies the
plan through the resource's bulk services (:mod:`core.bulk.writer` underneath).
"""

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, reset_queries, transaction
from django.utils.translation import gettext as _

from core.bulk.files import read_rows
from core.bulk.plan import Plan, plan_batch
from core.bulk.spec import BulkSpec, map_header
from core.bulk.validation import Rejection, Row, RowValidator, business_errors
from core.exceptions import BusinessError


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
    stopped: bool = False  # ``should_stop`` ended the run before the end of the file

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class ImportRun:
    """One import's state. Validation (this thread) and writing (maybe a writer thread) both
    count and report, so counts and the report go through a lock."""

    def __init__(self, spec, *, by, update, dry_run, on_reject=None, on_progress=None):
        self.spec = spec
        self.by = by
        self.update = update
        self.dry_run = dry_run
        self.summary = Summary()
        self._on_reject = on_reject or (lambda line, field_name, message: None)
        self._on_progress = on_progress or (lambda rows: None)
        self._lock = threading.Lock()

    def count(self, outcome: str, n: int = 1) -> None:
        with self._lock:
            setattr(self.summary, outcome, getattr(self.summary, outcome) + n)

    def reject(self, rejections: Iterable[Rejection]) -> None:
        """Count each row as failed or skipped and report each of its errors."""
        with self._lock:
            for rejection in rejections:
                outcome = rejection.outcome
                setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
                for field_name, message in rejection.errors:
                    self._on_reject(rejection.line, field_name, message)

    def write(self, work: tuple[int, list[Row]]) -> None:
        """Plan and apply one batch's valid rows, then report the batch's rows as done."""
        rows, valid = work
        if valid:
            reset_queries()
            plan = plan_batch(self.spec, valid, update=self.update)
            self.reject(plan.skipped)
            self.count("unchanged", len(plan.unchanged))
            if self.dry_run:
                self.count("created", len(plan.create))
                self.count("updated", len(plan.update))
            else:
                self._apply(plan)
        self._on_progress(rows)

    def _apply(self, plan: Plan) -> None:
        """Write the batch in one transaction (row by row only when the batch breaks a rule,
        to find the culprits)."""
        spec = self.spec
        pairs = [(u.record, u.values) for u in plan.update]
        try:
            with transaction.atomic():
                spec.create_batch(rows=[row.values for row in plan.create], by=self.by)
                changed = spec.update_batch(pairs=pairs, by=self.by)
        except (IntegrityError, BusinessError):
            # A row the checks let through still broke a rule (e.g. a tax number taken by another
            # account, a converted lead's status): write the batch row by row to find it.
            self._apply_row_by_row(plan)
            return
        self.count("created", len(plan.create))
        self.count("updated", changed)
        self.count("unchanged", len(pairs) - changed)

    def _apply_row_by_row(self, plan: Plan) -> None:
        spec = self.spec
        writes = [(row.line, None, row.values) for row in plan.create]
        writes += [(u.line, u.record, u.values) for u in plan.update]
        for line, record, values in writes:
            try:
                with transaction.atomic():
                    if record is None:
                        spec.create_batch(rows=[values], by=self.by)
                        outcome = "created"
                    else:
                        record.refresh_from_db()  # the failed batch left its new values on it
                        changed = spec.update_batch(pairs=[(record, values)], by=self.by)
                        outcome = "updated" if changed else "unchanged"
            except IntegrityError as exc:
                message = _("conflicts with an existing record: %(error)s") % {
                    "error": str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
                }
                self.reject([Rejection(line, "failed", [("", message)])])
            except BusinessError as exc:
                self.reject([Rejection(line, "failed", list(business_errors(exc)))])
            else:
                self.count(outcome)


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
    should_stop: Callable[[], bool] | None = None,
    fast_validation: bool = True,
) -> Summary:
    """Import ``path``; every batch commits on its own, so an interruption loses no committed
    batch and never leaves half of one.

    - ``on_start(estimate)``: once the header is read, with an estimate of the rows.
    - ``on_progress(rows)``: after each batch is written (committed), with its number of rows,
      on the thread that wrote it.
    - ``on_reject(line, field, message)``: each error of each rejected row.
    - ``should_stop()``: asked before each batch is read; True ends the run there (the batches
      already read are still written whole) with ``summary.stopped`` set.

    Memory stays flat: only a batch or two are held. Duplicates inside a batch are reported
    as such; a row repeating a key of an earlier batch finds the record that batch committed,
    so it is skipped as existing (or, with ``update``, applied to it), never created twice.

    On PostgreSQL, outside a transaction, batches are written by a writer thread on its own
    connection while this thread reads and validates the next one (the database's work then
    overlaps Python's). Inside a transaction (tests, callers' atomic blocks) another connection
    could not see its rows, so everything runs here, in order.
    """
    header, lines, estimate = read_rows(Path(path))
    columns = map_header(spec, header)
    if on_start:
        on_start(estimate)
    run = ImportRun(
        spec,
        by=by,
        update=update,
        dry_run=dry_run,
        on_reject=on_reject,
        on_progress=on_progress,
    )
    run.summary.ignored_columns = columns.ignored
    validator = RowValidator(spec, fast=fast_validation)
    background = (
        connection.vendor == "postgresql" and not connection.in_atomic_block and not dry_run
    )
    writer = _Writer(run) if background else None
    write = writer.put if writer else run.write
    started = time.perf_counter()
    try:
        for batch in _batches(lines, batch_size, columns.values, should_stop):
            if batch is None:
                run.summary.stopped = True
                break
            run.summary.rows += len(batch)
            checked = validator.check(batch)
            run.reject(checked.rejected)
            write((len(batch), checked.valid))
        if writer:
            writer.finish()
    except BaseException:
        if writer:
            writer.stop()  # lets the batch being written commit whole, writes no other
        raise
    finally:
        run.summary.seconds = time.perf_counter() - started
    return run.summary


def _batches(lines, size: int, values, should_stop):
    """``[(line, {field: value})]`` lists of ``size`` rows; ``None`` when told to stop."""
    batch = []
    for line, cells in lines:
        if not batch and should_stop is not None and should_stop():
            yield None
            return
        batch.append((line, values(cells)))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Writer:
    """Writes validated batches in order on a thread of its own (and so its own connection)."""

    def __init__(self, run: ImportRun):
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
                work = self.queue.get()
                if work is None or self.stopping.is_set():
                    return
                self.run.write(work)
        except BaseException as exc:  # handed to the reading thread, which raises it
            self.error = exc
        finally:
            connections.close_all()  # this thread's connection

    def _check(self):
        if self.error is not None:
            raise self.error

    def put(self, work) -> None:
        while True:
            self._check()
            try:
                self.queue.put(work, timeout=0.2)
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
