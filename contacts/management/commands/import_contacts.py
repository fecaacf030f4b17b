from contacts.imports import SPEC
from core.management.bulk_commands import ImportCommand


class Command(ImportCommand):
    spec = SPEC
