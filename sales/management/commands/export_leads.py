from core.management.bulk_commands import ExportCommand
from sales.imports import SPEC


class Command(ExportCommand):
    spec = SPEC
