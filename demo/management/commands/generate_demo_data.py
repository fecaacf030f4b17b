"""``manage.py generate_demo_data --accounts N``: a realistic CRM population in minutes.

See demo.generate for what is generated and how. ``--if-empty`` makes it safe to run on every start
(``make run``): it does nothing once any account exists.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import Account
from demo import generate as demo


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--end-date must be YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Generate demo data: N accounts with 2 contacts, 5 activities, 0.3 cases, 0.5 leads and "
        "0.5 opportunities each, and 1 campaign per 1000 accounts (at least 3)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, required=True, help="number of accounts")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--end-date",
            type=_date,
            default=None,
            help="dates fall in the two years before this UTC date (default: today)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any account exists"
        )
        parser.add_argument(
            "--chunk", type=int, default=demo.CHUNK_ACCOUNTS, help="accounts per transaction"
        )
        parser.add_argument(
            "--fast-load",
            action="store_true",
            help="PostgreSQL, empty tables only: build indexes after loading (benchmark datasets)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self, *args, accounts, seed, end_date, if_empty, chunk, fast_load, no_progress, **opts
    ):
        if accounts < 0:
            raise CommandError("--accounts must be 0 or more.")
        if chunk < 1:
            raise CommandError("--chunk must be 1 or more.")
        if if_empty and Account.all_objects.exists():
            self.stdout.write("Accounts already exist; no demo data generated (--if-empty).")
            return
        plan = demo.DemoPlan.for_accounts(accounts)
        bar = tqdm(
            total=plan.total(),
            unit="rows",
            unit_scale=True,
            disable=no_progress or None,
            file=self.stderr._out,
        )
        started = time.perf_counter()
        try:
            demo.generate(
                accounts=accounts,
                seed=seed,
                end_date=end_date,
                chunk_accounts=chunk,
                fast_load=fast_load,
                progress=lambda table, rows: bar.update(rows),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{name} {value:,}" for name, value in vars(plan).items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts} ({plan.total():,} rows in {elapsed:.1f} s, "
                f"{plan.total() / max(elapsed, 1e-9):,.0f} rows/s)."
            )
        )
