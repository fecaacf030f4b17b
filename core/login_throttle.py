"""Password guessing: limits per client address and per username, for the API and the admin.

Three rules (docs/SECURITY.md states them for staff):

1. Per address: ``POST /api/v1/auth/token``, ``/auth/token/refresh`` and the admin login
   together allow ``THROTTLE_AUTH_RATE`` (10/min) per client address (core.api.throttling).
2. Per username and address: ``LOGIN_FAILURES_PER_ADDRESS`` (5) wrong passwords for one
   username from one address lock that pair until the 15-minute window
   (``LOGIN_FAILURE_WINDOW_SECONDS``) ends. Only the guessing address is locked out.
3. Per username: ``LOGIN_FAILURES_PER_USERNAME`` (20) wrong passwords for one username from
   any addresses lock that username until the window ends, except from addresses the user has
   logged in from successfully within ``LOGIN_KNOWN_ADDRESS_DAYS`` (30): a guesser elsewhere
   cannot lock the user out where they usually work, and from a new address for at most one
   window at a time.

A locked attempt is refused before the password is checked (so it cannot confirm a guess) and is
not counted. Usernames are compared case-insensitively, existing or not. A successful login
clears its address's failures for that username. Keys hold hashes, not names or addresses.
"""

import hashlib
import math
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.api.throttling import client_address, count_request, rate_for
from core.cache import shared

T = TypeVar("T")


class LoginLocked(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class _Keys:
    def __init__(self, request, username: str) -> None:
        name = username.strip().casefold()
        pair = _digest(name, client_address(request))
        seconds = settings.LOGIN_FAILURE_WINDOW_SECONDS
        now = time.time()
        window = int(now // seconds)
        self.seconds = seconds
        self.reset = max(1, math.ceil((window + 1) * seconds - now))
        self.pair = f"login_fail:{pair}:{window}"
        self.name = f"login_fail:{_digest(name)}:{window}"
        self.known = f"login_known:{pair}"


def _locked_for(keys: _Keys) -> int:
    """Seconds until the username may try again from this address; 0: now."""
    found = shared.get_many([keys.pair, keys.name, keys.known])
    if found.get(keys.pair, 0) >= settings.LOGIN_FAILURES_PER_ADDRESS:
        return keys.reset
    if found.get(keys.name, 0) >= settings.LOGIN_FAILURES_PER_USERNAME and not found.get(
        keys.known
    ):
        return keys.reset
    return 0


def attempt(request, username: str, check: Callable[[], T], *, failure: type[Exception]) -> T:
    """``check()`` (which raises ``failure`` for wrong credentials) unless ``username`` is
    locked from this address (LoginLocked); counts the failure or remembers the success."""
    keys = _Keys(request, username)
    wait = _locked_for(keys)
    if wait:
        raise LoginLocked(wait)
    try:
        result = check()
    except failure:
        shared.count_hits([keys.pair, keys.name], keys.seconds)
        raise
    shared.delete(keys.pair)
    shared.set(keys.known, 1, settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400)
    return result


def address_wait(request) -> int:
    """Count a login request against the per-address rate; seconds to wait when over it."""
    rate = rate_for("auth")
    window = count_request("auth", client_address(request), rate) if rate else None
    return 0 if window is None or window.allowed else window.reset


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form under the same limits as the API's token endpoint."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": _("Too many login attempts. Try again in %(seconds)s seconds."),
    }

    def clean(self):
        wait = address_wait(self.request)
        username = self.cleaned_data.get("username")
        try:
            if wait:
                raise LoginLocked(wait)
            if not username or not self.cleaned_data.get("password"):
                return super().clean()  # a missing field is its own error; nothing to guess
            return attempt(self.request, username, super().clean, failure=ValidationError)
        except LoginLocked as locked:
            self.request.login_retry_after = locked.wait
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"seconds": locked.wait},
            ) from None


def admin_login(request, extra_context=None):
    """``admin.site.login`` answering 429 with ``Retry-After`` when the form was refused."""
    response = admin.site.login(request, extra_context)
    wait = getattr(request, "login_retry_after", None)
    if wait:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response
