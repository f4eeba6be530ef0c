"""Accounts of the simulated Kalshi exchange: cash, orders, fills and positions per API key.

Kalshi is fully collateralized. Buying YES at ``p`` costs ``p``; buying NO (selling YES at ``p``)
costs ``1 - p``; a YES and a NO contract held together are netted at once and pay $1. So a position
is one signed number (``position_fp``: positive YES, negative NO), a bid first closes NO contracts
(receiving ``1 - p`` each) and an ask first closes YES contracts (receiving ``p`` each). Resting
orders reserve the cash their opening part could cost; ``balance`` is cash minus reservations.

Cash is kept per exchange shard (``exchange_index``, as Kalshi's ``balance_breakdown``): an order, its
reservation, its fills and its market's settlement move only the cash of its market's shard, and an
order is refused when that shard's balance cannot pay for it, whatever the other shards hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from shared.prices import ONE, ZERO

BookSide = Literal["bid", "ask"]
OrderState = Literal["resting", "canceled", "executed"]


def unit_cost(side: BookSide, yes_price: Decimal) -> Decimal:
    """What one contract bought on ``side`` costs: ``p`` for YES, ``1 - p`` for NO."""
    return yes_price if side == "bid" else ONE - yes_price


@dataclass
class SimOrder:
    """One order; ``price`` is the YES-leg limit; counts are contracts."""

    order_id: str
    owner: str
    user_id: str
    client_order_id: str
    ticker: str
    side: BookSide
    price: Decimal
    initial: Decimal
    time_in_force: str
    self_trade_prevention: str
    created: datetime
    updated: datetime
    expiration_ts: int | None = None
    post_only: bool = False
    reduce_only: bool = False
    legacy_side: str | None = None
    legacy_action: str | None = None
    exchange_index: int = 0
    requested_exchange_index: int | None = None  # what the create named (None: omitted, routed by ticker)
    filled: Decimal = ZERO
    remaining: Decimal = ZERO
    status: OrderState = "resting"
    reserved: Decimal = ZERO
    taker_fill_cost: Decimal = ZERO
    maker_fill_cost: Decimal = ZERO
    taker_fees: Decimal = ZERO
    maker_fees: Decimal = ZERO

    def record_fill(self, quantity: Decimal, price: Decimal, fee: Decimal, *, taker: bool, at: datetime) -> None:
        """Account for ``quantity`` contracts filled at YES price ``price``."""
        cost = quantity * unit_cost(self.side, price)
        self.filled += quantity
        self.remaining -= quantity
        if taker:
            self.taker_fill_cost += cost
            self.taker_fees += fee
        else:
            self.maker_fill_cost += cost
            self.maker_fees += fee
        self.reserved = max(ZERO, self.reserved - quantity * unit_cost(self.side, self.price))
        self.updated = at
        if self.remaining <= 0:
            self.remaining = ZERO
            self.status = "executed"
            self.reserved = ZERO

    def close(self, at: datetime) -> Decimal:
        """Cancel what is left; returns the contracts taken off the book."""
        reduced = self.remaining
        self.remaining = ZERO
        self.reserved = ZERO
        self.updated = at
        if self.status == "resting":
            self.status = "canceled" if self.filled < self.initial else "executed"
        return reduced


@dataclass
class SimFill:
    """One side of one execution, as its owner sees it."""

    trade_id: str
    order_id: str
    owner: str
    client_order_id: str
    ticker: str
    side: BookSide
    yes_price: Decimal
    count: Decimal
    is_taker: bool
    fee: Decimal
    created: datetime
    post_position: Decimal
    exchange_index: int = 0


@dataclass
class Position:
    """A market position; ``cost`` is what the open contracts cost (``market_exposure``)."""

    position: Decimal = ZERO
    cost: Decimal = ZERO
    realized_pnl: Decimal = ZERO
    fees_paid: Decimal = ZERO
    total_traded: Decimal = ZERO
    updated: datetime | None = None


@dataclass
class Account:
    """Everything one API key owns. ``unlimited`` accounts (simulated makers) skip balance checks.

    ``shard_cash`` is the cash on each exchange shard; ``cash`` and ``available`` are totals over shards.
    """

    key_id: str
    user_id: str
    shard_cash: dict[int, Decimal]
    unlimited: bool = False
    orders: dict[str, SimOrder] = field(default_factory=dict)
    by_client_id: dict[str, str] = field(default_factory=dict)
    fills: list[SimFill] = field(default_factory=list)
    positions: dict[str, Position] = field(default_factory=dict)

    @property
    def cash(self) -> Decimal:
        """Cash over every shard."""
        return sum(self.shard_cash.values(), ZERO)

    @property
    def reserved(self) -> Decimal:
        """Cash held back for resting orders."""
        return sum((o.reserved for o in self.orders.values() if o.status == "resting"), ZERO)

    @property
    def available(self) -> Decimal:
        """Cash free to trade over every shard (Kalshi's ``balance``)."""
        return self.cash - self.reserved

    def available_on(self, exchange_index: int) -> Decimal:
        """Cash free to trade on one shard (its ``balance_breakdown`` entry)."""
        reserved = sum(
            (o.reserved for o in self.orders.values() if o.status == "resting" and o.exchange_index == exchange_index),
            ZERO,
        )
        return self.shard_cash.get(exchange_index, ZERO) - reserved

    def position(self, ticker: str) -> Position:
        """The position in ``ticker`` (created flat on first use)."""
        return self.positions.setdefault(ticker, Position())

    def closable(self, ticker: str, side: BookSide) -> Decimal:
        """Contracts an order on ``side`` would close rather than open."""
        held = self.position(ticker).position
        return max(ZERO, -held) if side == "bid" else max(ZERO, held)

    def apply_fill(
        self, ticker: str, side: BookSide, yes_price: Decimal, quantity: Decimal, fee: Decimal, exchange_index: int = 0
    ) -> Decimal:
        """Move cash (on the market's shard) and the position for a fill (see the module docstring);
        returns the new position."""
        pos = self.position(ticker)
        closing = min(quantity, self.closable(ticker, side))
        opening = quantity - closing
        close_unit = ONE - yes_price if side == "bid" else yes_price
        if closing > 0:
            average = pos.cost / abs(pos.position)
            pos.realized_pnl += closing * (close_unit - average)
            pos.cost -= closing * average
        pos.cost += opening * unit_cost(side, yes_price)
        moved = closing * close_unit - opening * unit_cost(side, yes_price) - fee
        self.shard_cash[exchange_index] = self.shard_cash.get(exchange_index, ZERO) + moved
        pos.position += quantity if side == "bid" else -quantity
        pos.fees_paid += fee
        pos.total_traded += quantity * unit_cost(side, yes_price)
        if pos.position == 0:
            pos.cost = ZERO
        return pos.position

    def settle(self, ticker: str, result: Literal["yes", "no"], at: datetime, exchange_index: int = 0) -> Decimal:
        """Pay out the position at settlement ($1 per winning contract, on the market's shard); returns the payout."""
        pos = self.positions.get(ticker)
        if pos is None or pos.position == 0:
            return ZERO
        won = pos.position > 0 if result == "yes" else pos.position < 0
        payout = abs(pos.position) if won else ZERO
        self.shard_cash[exchange_index] = self.shard_cash.get(exchange_index, ZERO) + payout
        pos.realized_pnl += payout - pos.cost
        pos.position, pos.cost, pos.updated = ZERO, ZERO, at
        return payout
