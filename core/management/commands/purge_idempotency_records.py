"""Delete idempotency records older than the 24 hours a key is kept (core.idempotency).

Run it daily (cron or the task queue); expired records are also ignored and replaced when their
key comes back, so a late run never replays an expired answer.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.idempotency import purge_expired


class Command(BaseCommand):
    help = gettext_lazy("Delete idempotency records older than 24 hours.")

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(_("Deleted %(count)d expired idempotency records.") % {"count": deleted})
