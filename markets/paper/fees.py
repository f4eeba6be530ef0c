"""The fee each paper fill pays, by the venue's published formula (:mod:`shared.fees`).

Kalshi charges ``multiplier x C x P x (1 - P)`` rounded up to the next cent *per order*: the exchange's
fee accumulator makes an order's total converge to what one equivalent fill would cost
(docs.kalshi.com/getting_started/fee_rounding). A fill therefore pays the order's rounded-up running
total minus what the order's earlier fills already paid; a one-fill order pays exactly
:func:`shared.fees.kalshi_fee`. Takers pay 0.07; makers pay nothing unless the series' fee type is
``quadratic_with_maker_fees`` (0.0175); ``flat`` pays nothing.

Polymarket charges each fill ``C x rate x (P x (1 - P)) ** exponent`` floored to 5 dp from the market's
fee schedule (docs.polymarket.com/trading/fees); makers pay nothing (``takerOnly``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Protocol

from markets.paper.orders import PaperOrder
from shared.fees import (
    KALSHI_MAKER_MULTIPLIER,
    KALSHI_TAKER_MULTIPLIER,
    PolymarketFeeSchedule,
    kalshi_fee,
    polymarket_fee,
)
from shared.prices import CENT, ONE, ZERO, ceil_to

Liquidity = Literal["maker", "taker"]


class FeeModel(Protocol):
    """Fees of one venue."""

    def charge(self, order: PaperOrder, price: Decimal, quantity: Decimal, liquidity: Liquidity) -> Decimal:
        """The fee of one fill of ``order`` (updates the order's fee accumulators)."""
        ...

    def bound(self, price: Decimal, quantity: Decimal, liquidity: Liquidity) -> Decimal:
        """The most ``quantity`` filled at ``price`` can pay (for balance checks and reservations)."""
        ...


class KalshiFees:
    """Kalshi's quadratic fee, rounded up per order.

    Parameters
    ----------
    fee_type
        The series' ``fee_type``: ``quadratic`` (makers free), ``quadratic_with_maker_fees`` or ``flat``.
    """

    def __init__(self, fee_type: str = "quadratic") -> None:
        self.fee_type = fee_type

    def _rate(self, liquidity: Liquidity) -> Decimal:
        if self.fee_type == "flat":
            return ZERO
        if liquidity == "maker":
            return KALSHI_MAKER_MULTIPLIER if self.fee_type == "quadratic_with_maker_fees" else ZERO
        return KALSHI_TAKER_MULTIPLIER

    def charge(self, order: PaperOrder, price: Decimal, quantity: Decimal, liquidity: Liquidity) -> Decimal:
        exact = order.exact_fees.get(liquidity, ZERO) + self._rate(liquidity) * quantity * price * (ONE - price)
        charged = order.charged_fees.get(liquidity, ZERO)
        fee = ceil_to(exact, CENT) - charged
        order.exact_fees[liquidity] = exact
        order.charged_fees[liquidity] = charged + fee
        return fee

    def bound(self, price: Decimal, quantity: Decimal, liquidity: Liquidity) -> Decimal:
        return kalshi_fee(price, quantity, maker=liquidity == "maker", fee_type=self.fee_type)


class PolymarketFees:
    """Polymarket's per-fill fee from one fee schedule."""

    def __init__(self, schedule: PolymarketFeeSchedule | None = None) -> None:
        self.schedule = schedule or PolymarketFeeSchedule()

    def charge(self, order: PaperOrder, price: Decimal, quantity: Decimal, liquidity: Liquidity) -> Decimal:
        fee = polymarket_fee(price, quantity, self.schedule, maker=liquidity == "maker")
        order.charged_fees[liquidity] = order.charged_fees.get(liquidity, ZERO) + fee
        return fee

    def bound(self, price: Decimal, quantity: Decimal, liquidity: Liquidity) -> Decimal:
        return polymarket_fee(price, quantity, self.schedule, maker=liquidity == "maker")
