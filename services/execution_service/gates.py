"""Execution-time checks, made immediately before an order leaves for its venue (R18, L4).

An intent approved earlier may no longer be safe to send: trading was halted since (the persisted state
decides, read now; missing or unreadable is halted), its signal expired while it waited, the book it was
priced on is stale, or the market moved beyond its limit. Each refusal has a code; the order is then
stored as rejected with ``"<code>: <reason>"`` and nothing reaches the venue.

Codes: ``trading_halted``, ``reduce_only_invalid`` (a reduce-only order that would not only sell down a
position we hold), ``intent_expired``, ``book_stale`` (no top of book, or older than ``max_book_age_s``)
and ``price_moved`` (buy: best ask above the limit; sell: best bid below it). A reduce-only order is
exempt from the halt only; every other check still applies to it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import asyncpg

from markets.base import ExecutionEngine
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import MarketPriceUpdated, SubmitOrder, utc_now
from shared.trading_state import read_trading_state

TRADING_HALTED = "trading_halted"
REDUCE_ONLY_INVALID = "reduce_only_invalid"
INTENT_EXPIRED = "intent_expired"
BOOK_STALE = "book_stale"
PRICE_MOVED = "price_moved"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an intent is not sent: a stable code and a sentence."""

    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


class ExecutionGates:
    """The checks of one execution service.

    Parameters
    ----------
    pool
        The database (trading state, the signal's expiry).
    bus
        The latest-value bus (top of book, topic :data:`shared.bus.keys.MARKET_PRICE`).
    max_book_age_s
        Oldest acceptable top of book, in seconds.
    clock
        Wall clock (UTC).
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        bus: MarketDataBus,
        max_book_age_s: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.pool = pool
        self.bus = bus
        self.max_book_age_s = max_book_age_s
        self.clock = clock

    async def refusal(self, cmd: SubmitOrder, engine: ExecutionEngine) -> Refusal | None:
        """The first check ``cmd`` fails now, or ``None`` when it may be sent (read-only; no side effect)."""
        key = f"{cmd.venue}:{cmd.market_id}:{cmd.outcome_id}"
        if cmd.reduce_only:
            invalid = await _reduce_only_problem(cmd, engine)
            if invalid is not None:
                return Refusal(REDUCE_ONLY_INVALID, invalid)
            top = await self.bus.latest(keys.MARKET_PRICE, key)
        else:  # both reads at once: the state row (fresh from the database) and the top (from Redis)
            state, top = await asyncio.gather(read_trading_state(self.pool), self.bus.latest(keys.MARKET_PRICE, key))
            if state.halted:
                return Refusal(TRADING_HALTED, f"{state.reason} (set by {state.source or 'unknown'})")
        return await self._expired(cmd) or self._book(cmd, key, top)

    async def _expired(self, cmd: SubmitOrder) -> Refusal | None:
        expires_at = cmd.expires_at or await self._signal_expiry(cmd.signal_id)
        now = self.clock()
        if expires_at is not None and now > expires_at:
            return Refusal(INTENT_EXPIRED, f"signal expired at {expires_at.isoformat()}, now {now.isoformat()}")
        return None

    async def _signal_expiry(self, signal_id: str) -> datetime | None:
        payload = await self.pool.fetchval("SELECT payload FROM signals WHERE signal_id = $1", signal_id)
        if isinstance(payload, str):
            payload = json.loads(payload)
        if not isinstance(payload, dict) or not payload.get("expires_at"):
            return None
        return datetime.fromisoformat(str(payload["expires_at"]))

    def _book(self, cmd: SubmitOrder, key: str, top: object) -> Refusal | None:
        if not isinstance(top, MarketPriceUpdated):
            return Refusal(BOOK_STALE, f"no top of book for {key}")
        age_s = (self.clock() - top.ts_event).total_seconds()
        if age_s > self.max_book_age_s:
            return Refusal(BOOK_STALE, f"top of book {key} is {age_s:.1f}s old (limit {self.max_book_age_s}s)")
        if cmd.side == "buy" and top.best_ask is not None and top.best_ask > cmd.limit_price:
            return Refusal(PRICE_MOVED, f"best ask {top.best_ask} above the buy limit {cmd.limit_price}")
        if cmd.side == "sell" and top.best_bid is not None and top.best_bid < cmd.limit_price:
            return Refusal(PRICE_MOVED, f"best bid {top.best_bid} below the sell limit {cmd.limit_price}")
        return None


async def _reduce_only_problem(cmd: SubmitOrder, engine: ExecutionEngine) -> str | None:
    if cmd.side != "sell":
        return "a reduce-only order must sell"
    wanted = (cmd.market_id, cmd.outcome_id)
    positions = await engine.positions(cmd.market_id)
    held = sum((p.quantity for p in positions if (p.market_id, p.outcome_id) == wanted), Decimal(0))
    if cmd.quantity > held:
        return f"sells {cmd.quantity} of {cmd.market_id}/{cmd.outcome_id} but the venue shows {held} held"
    return None
