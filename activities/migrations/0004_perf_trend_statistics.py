"""Expression statistics for the monthly activity trend (PostgreSQL only).

Without them the planner guesses that ``date_trunc('month', start_time)`` has as many values as
there are rows, so it plans the monthly grouping of millions of activities as a huge hash
aggregate with no parallel workers; with them it knows there are a few dozen months and splits
the scan between workers.
"""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS activity_start_month_stx "
    "ON (date_trunc('month', start_time AT TIME ZONE 'UTC')) FROM activities_activity"
)
DROP = "DROP STATISTICS IF EXISTS activity_start_month_stx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE activities_activity")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_perf_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
