"""The import and export commands every resource shares (see core.bulk)."""

import csv
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.bulk.export import write_export
from core.bulk.files import ImportFileError
from core.bulk.run import run_import
from core.bulk.spec import BulkSpec


def _user(username: str | None):
    """The user named ``username`` (None for no name)."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"No user named {username!r}") from exc


class ImportCommand(BaseCommand):
    spec: BulkSpec

    @property
    def help(self):
        return (
            f"Import {self.spec.name} from CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX. Headers may "
            "be the API's camelCase names or the Chinese labels. Each batch commits on its own."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--update",
            action="store_true",
            help="update records that match a natural key instead of skipping them",
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--report",
            type=Path,
            help="where to list rejected rows (default: FILE.errors.csv next to the file)",
        )
        parser.add_argument("--user", help="username recorded as createdBy/updatedBy")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        by = _user(options["user"])
        report_path = Path(options["report"] or file.with_name(file.name + ".errors.csv"))

        rejected = 0
        with open(report_path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "field", "message"])

            def on_reject(line, field, message):
                nonlocal rejected
                rejected += 1
                writer.writerow([line, field, message])

            bar = tqdm(
                unit="rows",
                unit_scale=True,
                file=sys.stderr,
                disable=options["no_progress"],
                desc=f"import {self.spec.name}",
            )

            def on_start(estimate):
                bar.total = estimate
                bar.refresh()

            try:
                summary = run_import(
                    self.spec,
                    file,
                    by=by,
                    dry_run=options["dry_run"],
                    update=options["update"],
                    batch_size=batch_size,
                    on_reject=on_reject,
                    on_progress=bar.update,
                    on_start=on_start,
                )
            except ImportFileError as exc:
                bar.close()
                handle.close()
                report_path.unlink(missing_ok=True)
                raise CommandError(str(exc)) from exc
            except KeyboardInterrupt:
                bar.close()
                self.stderr.write(
                    "Interrupted: every batch written so far is committed whole, nothing of the "
                    "rest was written. Rerun with --update to continue without duplicates."
                )
                sys.exit(130)
            finally:
                bar.close()

        if summary.ignored_columns:
            self.stdout.write(
                f"Ignored columns (unknown for {self.spec.name}): "
                + ", ".join(summary.ignored_columns)
            )
        mode = " (dry run: nothing written)" if options["dry_run"] else ""
        self.stdout.write(
            f"{self.spec.name}{mode}: {summary.rows} rows in {summary.seconds:.1f}s "
            f"({summary.rows_per_second:,.0f} rows/s); created {summary.created}, "
            f"updated {summary.updated}, unchanged {summary.unchanged}, "
            f"skipped {summary.skipped}, failed {summary.failed}"
        )
        if rejected:
            self.stdout.write(f"Rejected rows are listed in {report_path}")
        else:
            report_path.unlink(missing_ok=True)


class ExportCommand(BaseCommand):
    spec: BulkSpec

    @property
    def help(self):
        return (
            f"Export live {self.spec.name} to CSV or XLSX with headers the import understands: "
            "every record, or with --user only those that user may see."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="output file; .xlsx for Excel, else CSV")
        parser.add_argument(
            "--headers",
            choices=["label", "camel"],
            default="label",
            help="Chinese labels (default) or the API's camelCase names",
        )
        parser.add_argument(
            "--user",
            help="export only the records this user may see (record ownership, as in the API); "
            "default: every record",
        )

    def handle(self, *args, file: Path, headers: str, **options):
        user = _user(options["user"])
        count = write_export(self.spec, file, headers=headers, user=user)
        scope = f" visible to {user.username}" if user is not None else ""
        self.stdout.write(f"Exported {count} {self.spec.name}{scope} to {file}")
