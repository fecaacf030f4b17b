"""The number of live accounts, kept by triggers (PostgreSQL only).

The unfiltered account list answers the exact total of live accounts; counting a million index
entries on every request costs 45-85 ms on two cores. Statement-level triggers keep the number
in a one-row table instead, in the same transaction as the rows (so it is exactly as visible as
they are): inserts and deletes of live rows, soft deletes and restores (``deleted_at`` set or
cleared), bulk loads (COPY fires them too) and TRUNCATE. An UPDATE that leaves liveness alone
does not touch the counter, so ordinary edits never wait on it; creations and (soft) deletions
serialise on its row until they commit. ``accounts.selectors.account_live_total`` reads it.
"""

from django.db import migrations

CREATE = [
    """
    CREATE TABLE accounts_live_count (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        live bigint NOT NULL CHECK (live >= 0)
    )
    """,
    """
    INSERT INTO accounts_live_count (id, live)
    SELECT true, count(*) FROM accounts_account WHERE deleted_at IS NULL
    """,
    """
    CREATE FUNCTION accounts_live_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        delta bigint := 0;
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            delta := delta + (SELECT count(*) FROM new_rows WHERE deleted_at IS NULL);
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            delta := delta - (SELECT count(*) FROM old_rows WHERE deleted_at IS NULL);
        END IF;
        IF delta <> 0 THEN
            UPDATE accounts_live_count SET live = live + delta;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION accounts_live_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE accounts_live_count SET live = 0;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER accounts_live_count_insert AFTER INSERT ON accounts_account
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_live_count_change()
    """,
    """
    CREATE TRIGGER accounts_live_count_update AFTER UPDATE ON accounts_account
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_live_count_change()
    """,
    """
    CREATE TRIGGER accounts_live_count_delete AFTER DELETE ON accounts_account
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_live_count_change()
    """,
    """
    CREATE TRIGGER accounts_live_count_truncate AFTER TRUNCATE ON accounts_account
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_live_count_truncate()
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS accounts_live_count_truncate ON accounts_account",
    "DROP TRIGGER IF EXISTS accounts_live_count_delete ON accounts_account",
    "DROP TRIGGER IF EXISTS accounts_live_count_update ON accounts_account",
    "DROP TRIGGER IF EXISTS accounts_live_count_insert ON accounts_account",
    "DROP FUNCTION IF EXISTS accounts_live_count_truncate()",
    "DROP FUNCTION IF EXISTS accounts_live_count_change()",
    "DROP TABLE IF EXISTS accounts_live_count",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_perf_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
