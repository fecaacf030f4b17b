"""The rounding rule of every reported figure (CONTRACT.md): two decimals, half up, and a ratio
over zero is 0. Analytics and campaign analytics both answer through these functions."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(value) -> Decimal:
    """Two decimals, half up; ``None`` (an empty sum) is 0."""
    return (Decimal(value) if value is not None else ZERO).quantize(CENT, ROUND_HALF_UP)


def ratio(numerator, denominator) -> Decimal:
    """``numerator / denominator`` to two decimals, half up; a division by zero gives 0."""
    if not denominator:
        return ZERO.quantize(CENT)
    return (Decimal(numerator or 0) / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def percentage(part, whole) -> Decimal:
    """``part`` as a percentage of ``whole``, rounded as :func:`ratio`."""
    return ratio(Decimal(part or 0) * 100, whole)
