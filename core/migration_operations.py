"""Operations the apps' migrations share (imported by them, so keep these names stable)."""

from django.db import migrations


def postgres_only_index(app_label: str, model_name: str, index):
    """The index in the model state everywhere, in the schema on PostgreSQL only: a GIN
    trigram index has no SQLite equivalent (there ``icontains`` stays a plain scan)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(app_label, model_name), index)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(app_label, model_name), index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model_name, index=index)],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )
