"""Exact V2 limit-order amounts: ``makerAmount`` / ``takerAmount`` in 6-decimal fixed-math integers.

A BUY gives pUSD and takes shares: ``takerAmount = size``, ``makerAmount = size x price``; a SELL gives
shares and takes pUSD: ``makerAmount = size``, ``takerAmount = size x price``. Sizes are floored to
2 decimals and the pUSD leg to the tick's amount precision (py-clob-client ``ROUNDING_CONFIG``). We
refuse an off-tick price instead of rounding it: the caller chose the price and must know it.

With the price on its tick and the size at 2 decimals, ``size x price`` always fits the amount
precision exactly, so ``price == makerAmount / takerAmount`` (BUY) is exact — the venue (and our
simulator) recovers the very price that was signed.

A FAK/FOK BUY is a *market* buy to the venue, which caps its amounts whatever the tick: ``makerAmount``
(pUSD) at 2 decimals and ``takerAmount`` (shares) at 4 — anything finer is refused with "invalid
amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, taker amount a max
of 4 decimals" (:func:`order_amounts` builds those; py-clob-client-v2 issue #99).

References
----------
Polymarket/py-clob-client-v2 ``order_builder/builder.py`` (``ROUNDING_CONFIG``, ``get_order_amounts``,
``get_market_order_amounts``); venues.md §2.5; py-clob-client-v2 issue #99 (market-buy precision).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markets.polymarket.types import Side
from shared.prices import ONE, PriceError, floor_to, is_on_tick

UNIT = Decimal(1_000_000)
SIZE_STEP = Decimal("0.01")
MARKET_BUY_MAKER_STEP = Decimal("0.01")  # pUSD of a FAK/FOK BUY: 2 decimals
MARKET_BUY_TAKER_STEP = Decimal("0.0001")  # shares of a FAK/FOK BUY: 4 decimals
IMMEDIATE_TYPES = frozenset({"FAK", "FOK"})

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


def market_buy_amounts(price: Decimal, size: Decimal, tick: Decimal) -> OrderAmounts:
    """Amounts for a FAK/FOK BUY of up to ``size`` shares at worst ``price``.

    ``makerAmount`` = ``size x price`` floored to 0.01 pUSD (never more than the limit allows);
    ``takerAmount`` = ``makerAmount / price`` floored to 0.0001 shares, so the shares asked for never
    exceed ``size`` and, for orders of at least the venue's minimum size (5 shares), the implied price
    ``maker / taker`` rounds to ``price`` on the tick.

    Raises
    ------
    PriceError
        As :func:`limit_amounts`, or an order worth less than 0.01 pUSD.
    """
    base = limit_amounts("BUY", price, size, tick)
    spend = floor_to(base.size * price, MARKET_BUY_MAKER_STEP)
    if spend <= 0:
        raise PriceError(f"a market buy of {size} at {price} is worth less than {MARKET_BUY_MAKER_STEP} pUSD")
    shares = floor_to(spend / price, MARKET_BUY_TAKER_STEP)
    return OrderAmounts("BUY", int(spend * UNIT), int(shares * UNIT), price, shares)


def order_amounts(side: Side, price: Decimal, size: Decimal, tick: Decimal, order_type: str) -> OrderAmounts:
    """The amounts the venue accepts for ``order_type``: market-buy precision for a FAK/FOK BUY, else limit."""
    if side == "BUY" and order_type in IMMEDIATE_TYPES:
        return market_buy_amounts(price, size, tick)
    return limit_amounts(side, price, size, tick)


def market_buy_precision_ok(maker_amount: int, taker_amount: int) -> bool:
    """True when a FAK/FOK BUY's amounts fit the venue's 2 / 4 decimal caps (6-decimal fixed-math units)."""
    return maker_amount % 10_000 == 0 and taker_amount % 100 == 0
