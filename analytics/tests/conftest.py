"""Analytics fixtures: a pinned "today"."""

import datetime

import pytest


@pytest.fixture
def today(monkeypatch):
    """Pin the UTC date the API calls today: ``today("2023-03-15")``."""

    def pin(value: str) -> None:
        monkeypatch.setattr(
            "analytics.periods.utc_today", lambda: datetime.date.fromisoformat(value)
        )

    return pin
