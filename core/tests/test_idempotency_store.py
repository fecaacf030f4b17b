"""Idempotency records live in the database with the write they answer (core/idempotency.py):
what is kept, what is not, and for how long."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Account
from core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/crm/accounts"


def post(client, body, key):
    return client.post(ACCOUNTS, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_answer_is_stored_with_the_record_it_answers(admin_client):
    response = post(admin_client, {"name": "存库"}, "k1")
    assert response.status_code == 200
    record = IdempotencyRecord.objects.get()
    assert bytes(record.body) == response.content
    assert "k1" not in record.key_hash  # only a hash of the client's key is kept
    assert Account.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_the_corrected_retry_runs(admin_client):
    refused = post(admin_client, {"name": ""}, "k2")
    assert refused.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    corrected = post(admin_client, {"name": "改正"}, "k2")
    assert corrected.status_code == 200 and "Idempotent-Replayed" not in corrected
    assert Account.objects.count() == 1


def test_a_key_older_than_a_day_runs_again(admin_client):
    post(admin_client, {"name": "过期"}, "k3")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = post(admin_client, {"name": "过期"}, "k3")
    assert again.status_code == 200 and "Idempotent-Replayed" not in again
    assert Account.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1  # the old record was replaced


def test_purge_deletes_only_records_older_than_a_day(admin_client):
    post(admin_client, {"name": "旧"}, "old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    post(admin_client, {"name": "新"}, "new")
    out = StringIO()
    call_command("purge_idempotency_records", stdout=out)
    assert IdempotencyRecord.objects.count() == 1
    assert "1" in out.getvalue()
    assert post(admin_client, {"name": "新"}, "new")["Idempotent-Replayed"] == "true"
