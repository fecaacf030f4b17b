"""A refresh token is spent by its first use, also when several uses race (issue 20, item 2):
SECURITY.md promises that a stolen refresh token works at most once."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/token/refresh"
PARALLEL = 8


def login(username) -> dict:
    body = {"username": username, "password": "pw-Secret-123"}
    response = APIClient().post(TOKEN, body, format="json")
    assert response.status_code == 200
    return response.json()["data"]


def refresh(token):
    return APIClient().post(REFRESH, {"refresh": token}, format="json")


def test_a_used_refresh_token_answers_401(make_user):
    make_user("alice")
    first = login("alice")["refresh"]
    rotated = refresh(first)
    assert rotated.status_code == 200
    again = refresh(first)
    assert again.status_code == 401 and again.json()["code"] == 401
    assert refresh(rotated.json()["data"]["refresh"]).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_of_parallel_refreshes_of_one_token_exactly_one_wins(make_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "auth": "1000/min"},
    }
    make_user("alice")
    token = login("alice")["refresh"]
    start = threading.Barrier(PARALLEL, timeout=30)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def redeem():
        try:
            client = APIClient()
            start.wait()  # every thread sends at the same moment
            response = client.post(REFRESH, {"refresh": token}, format="json")
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=redeem) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == PARALLEL

    statuses = sorted(status for status, _body in answers)
    assert statuses == [200] + [401] * (PARALLEL - 1), statuses
    assert all(body["code"] == status for status, body in answers)
    winner = next(body["data"] for status, body in answers if status == 200)
    assert refresh(winner["refresh"]).status_code == 200  # the winner's new token works
    assert refresh(token).status_code == 401
