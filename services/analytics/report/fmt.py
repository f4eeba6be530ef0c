"""Cell formatting: money and prices from Decimals, milliseconds and probabilities from floats."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from shared.pnl import EASTERN

CENT = Decimal("0.01")
PRICE = Decimal("0.0001")


def money(value: Decimal) -> str:
    """Dollars to the cent, with a sign for losses: ``-4.48``."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_EVEN))


def price(value: Decimal | None) -> str:
    """A price per contract to 4 places, ``-`` when missing."""
    return "-" if value is None else str(value.quantize(PRICE, rounding=ROUND_HALF_EVEN))


def qty(value: Decimal | None) -> str:
    """Contracts, without trailing zeros."""
    return "-" if value is None else f"{value.normalize():f}"


def ms(value: float | None) -> str:
    """Milliseconds to one decimal."""
    return "-" if value is None else f"{value:.1f}"


def prob(value: float | None) -> str:
    """A probability or Brier score to 4 places."""
    return "-" if value is None else f"{value:.4f}"


def clock(ts: datetime) -> str:
    """US-Eastern wall time of ``ts`` (the trading day's clock)."""
    return ts.astimezone(EASTERN).strftime("%H:%M:%S.%f")[:-3]
