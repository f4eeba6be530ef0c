"""Exact V2 limit-order amounts: ``makerAmount`` / ``takerAmount`` in 6-decimal fixed-math integers.

A BUY gives pUSD and takes shares: ``takerAmount = size``, ``makerAmount = size x price``; a SELL gives
shares and takes pUSD: ``makerAmount = size``, ``takerAmount = size x price``. Sizes are floored to
2 decimals and the pUSD leg to the tick's amount precision (py-clob-client ``ROUNDING_CONFIG``). We
refuse an off-tick price instead of rounding it: the caller chose the price and must know it.

With the price on its tick and the size at 2 decimals, ``size x price`` always fits the amount
precision exactly, so ``price == makerAmount / takerAmount`` (BUY) is exact — the venue (and our
simulator) recovers the very price that was signed.

References
----------
Polymarket/py-clob-client-v2 ``order_builder/builder.py`` (``ROUNDING_CONFIG``, ``get_order_amounts``);
venues.md §2.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markets.polymarket.types import Side
from shared.prices import ONE, PriceError, floor_to, is_on_tick

UNIT = Decimal(1_000_000)
SIZE_STEP = Decimal("0.01")

# tick -> decimals of the pUSD amount (price and size precisions follow from the tick and SIZE_STEP).
AMOUNT_DECIMALS: dict[Decimal, int] = {
    Decimal("0.1"): 3,
    Decimal("0.01"): 4,
    Decimal("0.005"): 5,
    Decimal("0.0025"): 6,
    Decimal("0.001"): 5,
    Decimal("0.0001"): 6,
}


@dataclass(frozen=True, slots=True)
class OrderAmounts:
    """What goes into the signed order, plus the exact price and size it encodes."""

    side: Side
    maker_amount: int
    taker_amount: int
    price: Decimal
    size: Decimal


def limit_amounts(side: Side, price: Decimal, size: Decimal, tick: Decimal) -> OrderAmounts:
    """Amounts for a limit order of ``size`` shares at ``price`` (probability scale, pUSD per share).

    Raises
    ------
    PriceError
        Unknown tick, price off the tick grid or outside ``[tick, 1 - tick]``, or a size under 0.01.
    """
    if tick not in AMOUNT_DECIMALS:
        raise PriceError(f"unsupported tick size {tick}")
    if not is_on_tick(price, tick) or not tick <= price <= ONE - tick:
        raise PriceError(f"price {price} is off the {tick} grid or outside [{tick}, {ONE - tick}]")
    shares = floor_to(size, SIZE_STEP)
    if shares <= 0:
        raise PriceError(f"size {size} is below the 0.01 share granularity")
    notional = floor_to(shares * price, Decimal(1).scaleb(-AMOUNT_DECIMALS[tick]))
    shares_units, notional_units = int(shares * UNIT), int(notional * UNIT)
    if side == "BUY":
        return OrderAmounts(side, notional_units, shares_units, price, shares)
    return OrderAmounts(side, shares_units, notional_units, price, shares)
