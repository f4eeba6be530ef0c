"""Exact price, quantity and money types shared by both venues.

Every price in Arbees is a probability-scale ``Decimal`` in [0, 1] (dollars per $1 contract or share):
Kalshi's integer cents and Polymarket's decimal ticks both convert to it exactly, and back. A ``float``
is refused at every boundary: it cannot represent 0.1 and must never reach an order.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer

ONE = Decimal(1)
ZERO = Decimal(0)
CENT = Decimal("0.01")


class PriceError(ValueError):
    """A price or quantity is not representable exactly (float input, off tick, out of range)."""


def to_decimal(value: Any) -> Decimal:
    """Convert wire or Python input to ``Decimal``, refusing floats and non-finite values.

    Raises
    ------
    PriceError
        For a ``float``, a ``bool``, an unparsable string or a non-finite number.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise PriceError(f"refusing {type(value).__name__} {value!r}: send prices and sizes as strings")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise PriceError(f"not a decimal number: {value!r}") from None
    else:
        raise PriceError(f"not a decimal number: {value!r}")
    if not result.is_finite():
        raise PriceError(f"not a finite number: {value!r}")
    return result


_as_str = PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json")

Price = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=1), _as_str]
"""A probability-scale price in [0, 1], exact."""

Quantity = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0), _as_str]
"""A number of contracts or shares (Kalshi allows fractional contracts in 0.01 steps)."""

Money = Annotated[Decimal, BeforeValidator(to_decimal), _as_str]
"""A signed amount of US dollars (or pUSD), exact."""

Venue = Literal["kalshi", "polymarket"]


def cents_to_price(cents: int) -> Decimal:
    """Kalshi integer cents (1-99) to a probability-scale price."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise PriceError(f"cents must be an int, not {type(cents).__name__}")
    if not 0 <= cents <= 100:
        raise PriceError(f"cents out of range 0..100: {cents}")
    return (Decimal(cents) / 100).quantize(CENT)


def price_to_cents(price: Decimal) -> int:
    """Probability-scale price to integer cents; the price must sit on the cent grid."""
    cents = price * 100
    if cents != cents.to_integral_value():
        raise PriceError(f"price {price} is not a whole number of cents")
    return int(cents)


def is_on_tick(price: Decimal, tick: Decimal) -> bool:
    """True when ``price`` is an exact multiple of ``tick``."""
    return (price % tick) == 0


def snap_to_tick(price: Decimal, tick: Decimal, direction: Literal["down", "up"]) -> Decimal:
    """Round a price to the tick grid, down (for a bid) or up (for an ask)."""
    rounding = ROUND_FLOOR if direction == "down" else ROUND_CEILING
    steps = (price / tick).to_integral_value(rounding=rounding)
    return (steps * tick).quantize(tick)


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    """Round ``value`` down to a multiple of ``step`` (sizes, fees floored by the venue)."""
    return ((value / step).to_integral_value(rounding=ROUND_DOWN) * step).quantize(step)


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    """Round ``value`` up to a multiple of ``step`` (fees rounded up by the venue)."""
    return ((value / step).to_integral_value(rounding=ROUND_CEILING) * step).quantize(step)
