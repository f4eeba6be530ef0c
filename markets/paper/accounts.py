"""Paper accounts: cash, reservations for open orders, positions and fees, per venue model.

Kalshi (mirrors the exchange and :mod:`markets.sim.kalshi.accounts`): fully collateralised, one signed
position per market (positive YES, negative NO). Buying YES at ``p`` costs ``p``; buying NO at ``q``
(``sell YES at 1 - q``) costs ``q``; a YES and a NO held together net out at once and pay $1, so an
order first closes the opposite contracts (receiving their value) and only its *opening* part costs
cash. Selling an outcome you do not hold is buying the other one.

Polymarket: pUSD cash and outcome-token shares. A buy costs ``price x size`` plus its fee; a sell needs
the shares (the venue's ``not enough balance / allowance``) and pays ``price x size`` minus its fee.

Open orders reserve what they could still cost (their opening part at the limit price, fees included);
``available = cash - reserved``. Reservations are recomputed from the open orders on every check, so
they can never drift from the orders they cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from markets.base import BalanceReport, OrderRequest, PositionReport
from markets.paper.fees import FeeModel
from markets.paper.orders import PaperOrder
from shared.prices import ONE, ZERO

BookSide = Literal["bid", "ask"]


@dataclass
class _Position:
    quantity: Decimal = ZERO  # signed on Kalshi (YES > 0), shares on Polymarket
    cost: Decimal = ZERO
    realized_pnl: Decimal = ZERO
    fees_paid: Decimal = ZERO


class PaperAccount(Protocol):
    """Cash and positions of one paper engine."""

    def refusal(self, request: OrderRequest, crossing: Decimal, open_orders: Iterable[PaperOrder]) -> str | None:
        """Why ``request`` cannot be afforded (``crossing`` of it fills at once), or ``None``."""
        ...

    def apply_fill(self, request: OrderRequest, price: Decimal, quantity: Decimal, fee: Decimal) -> None:
        """Move cash and the position for one fill of ``request`` at ``price`` (its own outcome leg)."""
        ...

    def balance(self, open_orders: Iterable[PaperOrder]) -> BalanceReport:
        """Cash, and what is free of reservations."""
        ...

    def positions(self) -> list[PositionReport]:
        """Every non-zero position."""
        ...


def _money(value: Decimal) -> str:
    return f"${value:.2f}"


# -- Kalshi --------------------------------------------------------------------------------------------


def kalshi_leg(outcome_id: str, side: str, price: Decimal) -> tuple[BookSide, Decimal]:
    """The YES-book side and YES price of an order on ``outcome_id`` (``yes``/``no``)."""
    if outcome_id == "yes":
        return ("bid" if side == "buy" else "ask"), price
    return ("ask" if side == "buy" else "bid"), ONE - price


def _unit_cost(book_side: BookSide, yes_price: Decimal) -> Decimal:
    return yes_price if book_side == "bid" else ONE - yes_price


class KalshiAccount:
    """A Kalshi paper account (see the module docstring)."""

    currency: Literal["USD"] = "USD"

    def __init__(self, cash: Decimal, fees: FeeModel) -> None:
        self.cash = cash
        self._fees = fees
        self._positions: dict[str, _Position] = {}

    def _closable(self, market_id: str, book_side: BookSide) -> Decimal:
        held = self._positions.get(market_id, _Position()).quantity
        return max(ZERO, -held) if book_side == "bid" else max(ZERO, held)

    def _reserved(self, open_orders: Iterable[PaperOrder]) -> Decimal:
        reserved = ZERO
        claimed: dict[tuple[str, BookSide], Decimal] = {}
        for order in sorted(open_orders, key=lambda o: o.sequence):
            r = order.request
            book_side, yes_price = kalshi_leg(r.outcome_id, r.side, r.limit_price)
            group = (r.market_id, book_side)
            free = max(ZERO, self._closable(r.market_id, book_side) - claimed.get(group, ZERO))
            closing = min(order.remaining, free)
            claimed[group] = claimed.get(group, ZERO) + closing
            liquidity: Literal["maker", "taker"] = "maker" if order.is_resting else "taker"
            fee = self._fees.bound(r.limit_price, order.remaining, liquidity)
            reserved += (order.remaining - closing) * _unit_cost(book_side, yes_price) + fee
        return reserved

    def refusal(self, request: OrderRequest, crossing: Decimal, open_orders: Iterable[PaperOrder]) -> str | None:
        orders = list(open_orders)
        book_side, yes_price = kalshi_leg(request.outcome_id, request.side, request.limit_price)
        claimed = sum(
            (
                o.remaining
                for o in orders
                if o.request.market_id == request.market_id
                and kalshi_leg(o.request.outcome_id, o.request.side, o.request.limit_price)[0] == book_side
            ),
            ZERO,
        )
        free_closing = max(ZERO, self._closable(request.market_id, book_side) - claimed)
        opening = max(ZERO, request.quantity - free_closing)
        price = request.limit_price
        fees = self._fees.bound(price, crossing, "taker") + self._fees.bound(
            price, request.quantity - crossing, "maker"
        )
        needed = opening * _unit_cost(book_side, yes_price) + fees
        available = self.cash - self._reserved(orders)
        if needed > available:
            return (
                f"insufficient balance: the order needs {_money(needed)} (fees included), {_money(available)} available"
            )
        return None

    def apply_fill(self, request: OrderRequest, price: Decimal, quantity: Decimal, fee: Decimal) -> None:
        book_side, yes_price = kalshi_leg(request.outcome_id, request.side, price)
        pos = self._positions.setdefault(request.market_id, _Position())
        closing = min(quantity, self._closable(request.market_id, book_side))
        opening = quantity - closing
        close_unit = ONE - yes_price if book_side == "bid" else yes_price
        if closing > 0:
            average = pos.cost / abs(pos.quantity)
            pos.realized_pnl += closing * (close_unit - average)
            pos.cost -= closing * average
        pos.cost += opening * _unit_cost(book_side, yes_price)
        self.cash += closing * close_unit - opening * _unit_cost(book_side, yes_price) - fee
        pos.quantity += quantity if book_side == "bid" else -quantity
        pos.fees_paid += fee
        if pos.quantity == 0:
            pos.cost = ZERO

    def balance(self, open_orders: Iterable[PaperOrder]) -> BalanceReport:
        return BalanceReport(available=self.cash - self._reserved(open_orders), total=self.cash, currency="USD")

    def positions(self) -> list[PositionReport]:
        return [
            PositionReport(
                market_id=market_id,
                outcome_id="yes" if pos.quantity > 0 else "no",
                quantity=abs(pos.quantity),
                cost=pos.cost,
                realized_pnl=pos.realized_pnl,
                fees_paid=pos.fees_paid,
            )
            for market_id, pos in self._positions.items()
            if pos.quantity != 0
        ]


# -- Polymarket ----------------------------------------------------------------------------------------


class PolymarketAccount:
    """A Polymarket paper account (see the module docstring)."""

    currency: Literal["pUSD"] = "pUSD"

    def __init__(self, cash: Decimal, fees: FeeModel) -> None:
        self.cash = cash
        self._fees = fees
        self._positions: dict[tuple[str, str], _Position] = {}

    def _reserved_cash(self, open_orders: Iterable[PaperOrder]) -> Decimal:
        return sum(
            (
                o.remaining * o.request.limit_price + self._fees.bound(o.request.limit_price, o.remaining, "taker")
                for o in open_orders
                if o.request.side == "buy"
            ),
            ZERO,
        )

    def _held(self, market_id: str, token_id: str) -> Decimal:
        return self._positions.get((market_id, token_id), _Position()).quantity

    def refusal(self, request: OrderRequest, crossing: Decimal, open_orders: Iterable[PaperOrder]) -> str | None:
        orders = list(open_orders)
        if request.side == "sell":
            committed = sum(
                (
                    o.remaining
                    for o in orders
                    if o.request.side == "sell" and o.request.outcome_id == request.outcome_id
                ),
                ZERO,
            )
            free = self._held(request.market_id, request.outcome_id) - committed
            if request.quantity > free:
                return f"not enough balance / allowance: selling {request.quantity} shares, {free} free to sell"
            return None
        price = request.limit_price
        needed = request.quantity * price + self._fees.bound(price, request.quantity, "taker")
        available = self.cash - self._reserved_cash(orders)
        if needed > available:
            return (
                f"not enough balance / allowance: the order needs {_money(needed)} pUSD (fees included), "
                f"{_money(available)} available"
            )
        return None

    def apply_fill(self, request: OrderRequest, price: Decimal, quantity: Decimal, fee: Decimal) -> None:
        pos = self._positions.setdefault((request.market_id, request.outcome_id), _Position())
        if request.side == "buy":
            self.cash -= price * quantity + fee
            pos.quantity += quantity
            pos.cost += price * quantity
        else:
            average = pos.cost / pos.quantity if pos.quantity > 0 else ZERO
            self.cash += price * quantity - fee
            pos.realized_pnl += quantity * (price - average)
            pos.cost -= quantity * average
            pos.quantity -= quantity
        pos.fees_paid += fee
        if pos.quantity == 0:
            pos.cost = ZERO

    def balance(self, open_orders: Iterable[PaperOrder]) -> BalanceReport:
        return BalanceReport(available=self.cash - self._reserved_cash(open_orders), total=self.cash, currency="pUSD")

    def positions(self) -> list[PositionReport]:
        return [
            PositionReport(
                market_id=market_id,
                outcome_id=token_id,
                quantity=pos.quantity,
                cost=pos.cost,
                realized_pnl=pos.realized_pnl,
                fees_paid=pos.fees_paid,
            )
            for (market_id, token_id), pos in self._positions.items()
            if pos.quantity != 0
        ]
