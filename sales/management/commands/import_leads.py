from core.management.bulk_commands import ImportCommand
from sales.imports import SPEC


class Command(ImportCommand):
    spec = SPEC
