"""Password guessing is limited per client address (which a client cannot forge), per username,
and on the admin login as on the API (issue 20, item 1; rules in docs/SECURITY.md)."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from core import login_throttle
from core.api.throttling import client_address

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "pw-Secret-123"


@pytest.fixture
def rates(settings):
    def set_rates(auth: str = "1000/min"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "auth": auth},
        }

    set_rates()
    return set_rates


def attempt(username="alice", password="wrong", address="198.51.100.1", **headers):
    return APIClient().post(
        TOKEN,
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        **headers,
    )


# --- which address is the client's ------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        ([], "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # no proxy trusted: the header is ignored
        (["10.0.0.1"], "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not from our proxy
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # forged left part
        (["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (["10.0.0.0/8"], "10.0.0.2", "10.0.0.7, 10.0.0.1", "10.0.0.7"),  # every hop trusted
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "not-an-address", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, junk", "10.0.0.1"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_client_address_trusts_forwarded_hops_only_from_trusted_proxies(
    settings, trusted, remote, forwarded, client
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(rates, make_user):
    rates(auth="10/min")
    make_user("alice")
    codes = [
        attempt(username=f"user{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
        for i in range(25)
    ]
    assert codes == [401] * 10 + [429] * 15


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(rates, settings):
    rates(auth="3/min")
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    def through_proxy(client, forged):
        return attempt(
            username=f"guess{forged}",
            address="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, {client}",
        ).status_code

    attacker = [through_proxy("203.0.113.66", forged) for forged in range(5)]
    assert attacker == [401, 401, 401, 429, 429]
    assert through_proxy("203.0.113.7", 0) == 401  # another client: not throttled


# --- per username -----------------------------------------------------------------------------


def test_wrong_passwords_lock_the_username_from_that_address_only(rates, settings, make_user):
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    make_user("alice")
    assert [attempt().status_code for _ in range(5)] == [401] * 5
    locked = attempt(password=PASSWORD)  # even the right password: not checked
    assert locked.status_code == 429 and locked.json()["code"] == 429
    assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW_SECONDS
    assert attempt(username="ALICE ").status_code == 429  # the same name, differently typed
    assert attempt(password=PASSWORD, address="198.51.100.2").status_code == 200
    assert attempt(username="bob").status_code == 401  # other names from the same address


def test_the_lock_ends_with_its_window(rates, settings, make_user, monkeypatch):
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    make_user("alice")
    now = 1_000_000 * settings.LOGIN_FAILURE_WINDOW_SECONDS  # the start of a window
    monkeypatch.setattr(login_throttle.time, "time", lambda: now)
    assert [attempt().status_code for _ in range(3)] == [401, 401, 429]
    monkeypatch.setattr(
        login_throttle.time, "time", lambda: now + settings.LOGIN_FAILURE_WINDOW_SECONDS
    )
    assert attempt(password=PASSWORD).status_code == 200


def test_a_success_clears_the_failures_of_its_address(rates, settings, make_user):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    make_user("alice")
    assert [attempt().status_code for _ in range(2)] == [401, 401]
    assert attempt(password=PASSWORD).status_code == 200
    assert [attempt().status_code for _ in range(3)] == [401, 401, 401]
    assert attempt().status_code == 429


def test_guessing_from_many_addresses_locks_the_username_except_where_its_user_logs_in(
    rates, settings, make_user
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    settings.LOGIN_FAILURES_PER_USERNAME = 20
    make_user("alice")
    office = "198.51.100.10"
    assert attempt(password=PASSWORD, address=office).status_code == 200
    # A botnet: 20 addresses, one guess each.
    guesses = [attempt(address=f"203.0.113.{i}").status_code for i in range(20)]
    assert guesses == [401] * 20
    assert attempt(address="203.0.113.200").status_code == 429  # a 21st guesser
    assert attempt(password=PASSWORD, address="192.0.2.50").status_code == 429  # a new place
    # Where alice has logged in before, the guessers cannot lock her out.
    assert attempt(password=PASSWORD, address=office).status_code == 200


# --- the admin login --------------------------------------------------------------------------


def admin_attempt(client, password, address="198.51.100.1"):
    return client.post(
        ADMIN_LOGIN,
        {"username": "root", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_the_admin_login_locks_out_a_password_guesser(rates, make_user):
    make_user("root", superuser=True)
    client = Client()
    wrong = [admin_attempt(client, f"guess-{i}") for i in range(30)]
    assert [r.status_code for r in wrong[:5]] == [200] * 5  # the form again, with its error
    assert {r.status_code for r in wrong[5:]} == {429}
    right = admin_attempt(client, PASSWORD)
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    assert "登录尝试次数过多" in right.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in: back to the login page
    # From another address the superuser still gets in.
    assert admin_attempt(Client(), PASSWORD, address="198.51.100.2").status_code == 302


def test_the_admin_login_shares_the_address_limit_of_the_token_endpoint(rates, make_user):
    rates(auth="3/min")
    make_user("root", superuser=True)
    assert [attempt(username=f"u{i}").status_code for i in range(2)] == [401, 401]
    assert admin_attempt(Client(), "wrong").status_code == 200
    response = admin_attempt(Client(), PASSWORD)
    assert response.status_code == 429
    assert "登录尝试次数过多" in response.content.decode()


def test_a_get_of_the_admin_login_page_is_not_counted(rates, make_user):
    rates(auth="2/min")
    make_user("root", superuser=True)
    client = Client()
    for _ in range(5):
        assert client.get(ADMIN_LOGIN, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert admin_attempt(client, PASSWORD).status_code == 302
