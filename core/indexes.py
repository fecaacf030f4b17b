"""Index declarations the domain models share: partial indexes over live rows.

Every API read asks for live rows only (``deleted_at IS NULL``), so the models index those.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Upper

LIVE = Q(deleted_at__isnull=True)


def live_index(*fields: str, name: str) -> models.Index:
    """An index over live rows only: smaller than a full index, and usable for index-only
    counts."""
    return models.Index(fields=list(fields), name=name, condition=LIVE)


def trigram_index(field: str, *, name: str) -> GinIndex:
    """A trigram index for ``icontains`` on PostgreSQL, on the very expression Django compares
    (``UPPER(col::text) LIKE UPPER('%term%')``), over live rows. Migrations create it on
    PostgreSQL only (with the pg_trgm extension); SQLite keeps its plain scan."""
    expression = Upper(Cast(field, output_field=models.TextField()))
    return GinIndex(OpClass(expression, name="gin_trgm_ops"), name=name, condition=LIVE)
