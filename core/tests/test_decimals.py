"""The rounding rule of reported figures, on plain values (analytics and campaigns use it)."""

from decimal import Decimal

import pytest

from core.decimals import money, percentage, ratio


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 8, "0.13"),  # 0.125: half up, where banker's rounding would give 0.12
        (-1, 8, "-0.13"),  # a loss rounds away from zero like a gain
        (2, 3, "0.67"),
        (Decimal("10.00"), 4, "2.50"),
        (5, 0, "0.00"),  # x/0 is 0
        (None, 3, "0.00"),
    ],
)
def test_a_ratio_has_two_decimals_rounded_half_up_and_x_over_0_is_0(
    numerator, denominator, expected
):
    assert ratio(numerator, denominator) == Decimal(expected)
    assert str(ratio(numerator, denominator)) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, "33.33"), (2, 3, "66.67"), (1, 8, "12.50"), (1, 800, "0.13"), (3, 0, "0.00")],
)
def test_a_percentage_is_rounded_once_like_a_ratio(part, whole, expected):
    assert str(percentage(part, whole)) == expected


def test_money_is_two_decimals_half_up_and_an_empty_sum_is_0():
    assert (str(money(Decimal("2.005"))), str(money(None)), str(money(7))) == (
        "2.01",
        "0.00",
        "7.00",
    )
