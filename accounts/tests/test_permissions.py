"""Django model permissions guard every account endpoint (403 without them)."""

import pytest

from accounts.tests.factories import make_account

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/accounts"
# These tests are about model permissions; ownership scoping is tested in test_ownership.py.
SEES_ALL = "accounts.view_all_account"


def test_reading_needs_view_permission(user_client):
    account = make_account()
    nobody = user_client(SEES_ALL, username="nobody")
    for path in (URL, f"{URL}/{account.pk}", f"{URL}/{account.pk}/status-history"):
        response = nobody.get(path)
        assert response.status_code == 403 and response.json()["code"] == 403
    reader = user_client(SEES_ALL, "accounts.view_account", username="reader")
    assert reader.get(URL).status_code == 200
    assert reader.get(f"{URL}/{account.pk}").status_code == 200


def test_create_needs_add_permission(user_client):
    reader = user_client(SEES_ALL, "accounts.view_account")
    assert reader.post(URL, {"name": "x"}, format="json").status_code == 403
    writer = user_client(SEES_ALL, "accounts.add_account", username="writer")
    assert writer.post(URL, {"name": "x"}, format="json").status_code == 200


def test_update_and_status_need_change_permission(user_client):
    account = make_account()
    reader = user_client(SEES_ALL, "accounts.view_account")
    assert reader.put(f"{URL}/{account.pk}", {"name": "y"}, format="json").status_code == 403
    status = {"status": "inactive"}
    assert reader.put(f"{URL}/{account.pk}/status", status, format="json").status_code == 403
    editor = user_client(SEES_ALL, "accounts.change_account", username="editor")
    assert editor.put(f"{URL}/{account.pk}", {"name": "y"}, format="json").status_code == 200
    assert editor.put(f"{URL}/{account.pk}/status", status, format="json").status_code == 200


def test_delete_needs_delete_permission(user_client):
    account = make_account()
    assert (
        user_client(SEES_ALL, "accounts.view_account").delete(f"{URL}/{account.pk}").status_code
        == 403
    )
    deleter = user_client(SEES_ALL, "accounts.delete_account", username="deleter")
    assert deleter.delete(f"{URL}/{account.pk}").status_code == 200


def test_credit_assessments_have_their_own_permissions(user_client):
    account = make_account()
    post = f"{URL}/{account.pk}/credit-assessment"
    editor = user_client(SEES_ALL, "accounts.view_account", "accounts.change_account")
    assert editor.post(post, {"creditScore": 5}, format="json").status_code == 403
    assert editor.get(f"{URL}/{account.pk}/credit-assessments").status_code == 403
    assessor = user_client(
        SEES_ALL,
        "accounts.add_creditassessment",
        "accounts.view_creditassessment",
        username="assessor",
    )
    assert assessor.post(post, {"creditScore": 5}, format="json").status_code == 200
    assert assessor.get(f"{URL}/{account.pk}/credit-assessments").status_code == 200


def test_a_forbidden_write_changes_nothing(user_client):
    account = make_account(name="原名")
    user_client(SEES_ALL, "accounts.view_account").put(
        f"{URL}/{account.pk}", {"name": "新名"}, format="json"
    )
    account.refresh_from_db()
    assert account.name == "原名"
