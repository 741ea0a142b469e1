"""Money: Decimal euros, half-up to cents, and how amounts leave the service as JSON numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def to_money(value: int | float | Decimal) -> Decimal:
    """Round an amount half-up to cents (floats via their shortest repr, so 2.675 -> 2.68)."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def money_to_json(amount: Decimal) -> int | float:
    """A JSON number in euro: whole euros as integers (600), else the cents (1466.67).

    Amounts have two decimals and far fewer than 15 significant digits, so the float's shortest
    repr is exactly the decimal text.
    """
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)
