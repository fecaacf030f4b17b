from contacts.imports import SPEC
from core.management.bulk_commands import ExportCommand


class Command(ExportCommand):
    spec = SPEC
