"""Bus messages as the stream's event payloads (the same shapes as the read routes).

Prices are oriented like :class:`~services.api.schemas.PriceOut` and carry the game they belong to,
looked up in the matched instruments (cached, refreshed every ``refresh_s`` and at most every
``miss_refresh_s`` on an unknown instrument). Orders and positions are read back from the database,
so they carry what the routes show; an order event without a stored order is sent as the event itself.
"""

from __future__ import annotations

import time
from typing import Any

import asyncpg

from services.api.queries import signals, trading, trading_state
from services.api.queries.instruments import InstrumentKey, Matched, matched_instruments, oriented
from services.api.schemas import (
    FillOut,
    GameStateEvent,
    PositionOut,
    PriceEvent,
    ProbabilityEvent,
    SignalOut,
)
from shared.bus import keys
from shared.messages import (
    GameStateUpdated,
    MarketPriceUpdated,
    Message,
    OrderDenied,
    OrderFilled,
    OrderUpdated,
    PositionUpdated,
    SignalGenerated,
    TradingStateChanged,
    WinProbabilityUpdated,
)

Event = tuple[str, dict[str, Any]]


class Instruments:
    """Which game and result each matched instrument pays on (cached from ``market_matches``)."""

    def __init__(self, pool: asyncpg.Pool, refresh_s: float = 30.0, miss_refresh_s: float = 5.0) -> None:
        self._pool = pool
        self._refresh_s = refresh_s
        self._miss_refresh_s = miss_refresh_s
        self._known: dict[InstrumentKey, Matched] = {}
        self._loaded_at = float("-inf")

    async def get(self, key: InstrumentKey) -> Matched | None:
        """The instrument's game and result, ``None`` when it is not matched."""
        age = time.monotonic() - self._loaded_at
        if age > self._refresh_s or (key not in self._known and age > self._miss_refresh_s):
            self._known = await matched_instruments(self._pool)
            self._loaded_at = time.monotonic()
        return self._known.get(key)


class EventBuilder:
    """Builds the stream's events from bus messages."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self.instruments = Instruments(pool)

    async def from_topic(self, message: Message) -> Event | None:
        """A latest-value topic's message as ``(event name, payload)``, ``None`` when not shown."""
        if isinstance(message, GameStateUpdated):
            return "game_state", GameStateEvent(
                game_id=message.game_id,
                ts=message.ts_event,
                status=message.status,
                period=message.period,
                clock_seconds=message.clock_seconds,
                home_score=message.home_score,
                away_score=message.away_score,
            ).model_dump(mode="json")
        if isinstance(message, MarketPriceUpdated):
            return "price", (await self._price(message)).model_dump(mode="json")
        if isinstance(message, TradingStateChanged):
            return "trading_state", (await trading_state.current(self._pool)).model_dump(mode="json")
        if isinstance(message, WinProbabilityUpdated):
            return "probability", ProbabilityEvent.model_validate(
                {**message.model_dump(), "ts": message.ts_event}
            ).model_dump(mode="json")
        return None

    async def _price(self, message: MarketPriceUpdated) -> PriceEvent:
        key = (message.venue, message.market_id, message.outcome_id)
        matched = await self.instruments.get(key)
        bid, ask, mid = oriented(message.best_bid, message.best_ask, matched.negated if matched else False)
        return PriceEvent.model_validate(
            {
                "ts": message.ts_event,
                "venue": message.venue,
                "market_id": message.market_id,
                "outcome_id": message.outcome_id,
                "result": matched.result if matched else None,
                "best_bid": bid,
                "best_ask": ask,
                "mid": mid,
                "game_id": matched.game_id if matched else None,
            }
        )

    async def from_stream(self, stream: str, message: Message) -> Event | None:
        """A money stream's message as ``(event name, payload)``, ``None`` when not shown."""
        if isinstance(message, OrderFilled):
            return "fill", FillOut.model_validate({**message.model_dump(), "ts": message.ts_event}).model_dump(
                mode="json"
            )
        if isinstance(message, SignalGenerated):
            return "signal", (await self._signal(message)).model_dump(mode="json")
        if isinstance(message, PositionUpdated):
            return "position", (await self._position(message)).model_dump(mode="json")
        if stream == keys.ORDER_EVENTS:
            order = None
            if isinstance(message, OrderUpdated):
                order = await trading.order(self._pool, message.client_order_id)
            elif isinstance(message, OrderDenied):
                order = await trading.order_of_intent(self._pool, message.intent_id)
            return "order", order.model_dump(mode="json") if order is not None else message.model_dump(mode="json")
        return None

    async def _signal(self, message: SignalGenerated) -> SignalOut:
        stored = await signals.signal(self._pool, message.signal_id)
        if stored is not None:
            return stored
        return SignalOut.model_validate(
            {**message.model_dump(), "ts": message.ts_event, "legs": []}
        )  # not decided by the risk gate yet

    async def _position(self, message: PositionUpdated) -> PositionOut:
        stored = await trading.position(self._pool, message.venue, message.market_id, message.outcome_id, message.paper)
        if stored is not None:
            return stored
        net = message.realized_pnl + (message.unrealized_pnl or 0) - message.fees_paid
        return PositionOut.model_validate(
            {
                **message.model_dump(),
                "net_pnl": net,
                "opened_at": message.ts_event,
                "updated_at": message.ts_event,
                "settlement": None,
            }
        )
