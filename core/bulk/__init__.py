"""Bulk import and export of CRM records from CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX files.

A resource describes itself with a :class:`~core.bulk.spec.BulkSpec` (its columns, its row
serializer and the service functions that write a batch); :func:`core.bulk.run.run_import` and
:func:`core.bulk.export.write_export` do the rest: streaming reads (memory stays flat whatever
the file size), validation by the API's own rules, one transaction per batch, a report of every
rejected row, and a summary. One module per job:

- ``files``: reading CSV and XLSX files, detecting encodings;
- ``spec``: a resource's columns, natural keys and services; mapping a header to columns;
- ``validation`` (with ``fast_validator``): a batch's valid rows and the others' errors;
- ``plan``: what each valid row will do (create, update, unchanged, skipped);
- ``run``: the import run (batches, the writer thread, progress, the summary);
- ``export``: writing files;
- ``writer``: records and their audit trail in bulk (COPY on PostgreSQL), for the services.

The package imports nothing itself, so a service importing ``core.bulk.writer`` loads only that.
"""
