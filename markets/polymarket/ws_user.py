"""The CLOB user channel: our ``order`` and ``trade`` events, with REST catch-up after every reconnect.

Subscribe with ``{"auth": {"apiKey", "secret", "passphrase"}, "markets": [condition ids], "type": "user"}``
(an empty ``markets`` list means every market). The channel replays nothing: what happened while we
were disconnected is only visible over REST, so after each reconnect (once the new subscription is in
place, so nothing falls in between) the feed fetches open orders and the trades since shortly before
the last trade it saw, and delivers them as one :class:`UserResync`. Events can therefore arrive
twice (a trade on the socket and again in a resync; each status of a trade is its own event):
consumers key fills on ``(trade_id, order_id)`` and apply statuses idempotently.

References
----------
https://docs.polymarket.com/market-data/websocket/user-channel ; Polymarket/polymarket-us-python PR #3;
reliability.md R15.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from websockets.exceptions import WebSocketException

from markets.polymarket import parsing
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.retry import Backoff
from markets.polymarket.trading import ClobTrader
from markets.polymarket.types import ApiCredentials, OrderUpdate, TradeUpdate, UserEvent
from markets.polymarket.ws_common import Clock, FeedDead, KeepAlive, open_connection, recv_text
from markets.polymarket.ws_market import Connector
from shared.errors import VenueError

log = logging.getLogger(__name__)
RESYNC_OVERLAP_S = 60


@dataclass(frozen=True, slots=True)
class UserResync:
    """What REST says after a reconnect: every open order and the recent trades."""

    open_orders: tuple[OrderUpdate, ...]
    trades: tuple[TradeUpdate, ...]


UserHandler = Callable[[UserEvent | UserResync], Awaitable[None]]


class UserFeed:
    """Our order and trade events for ``markets`` (condition ids; empty = all).

    Parameters
    ----------
    settings
        ``ws_user_url`` and timing.
    trader
        Supplies the API credentials and the REST catch-up (open orders, trades).
    markets
        Condition ids to follow.
    on_event
        Async callback for each :class:`OrderUpdate`, :class:`TradeUpdate` and :class:`UserResync`.
    """

    def __init__(
        self,
        settings: PolymarketSettings,
        trader: ClobTrader,
        markets: Sequence[str],
        on_event: UserHandler,
        *,
        connector: Connector = open_connection,
        clock: Clock = time.monotonic,
        backoff: Backoff | None = None,
    ) -> None:
        self._settings = settings
        self._trader = trader
        self._markets = list(markets)
        self._on_event = on_event
        self._connector = connector
        self._clock = clock
        self._backoff = backoff or Backoff(base_s=settings.ws_reconnect_base_s, cap_s=settings.ws_reconnect_cap_s)
        self._tick_s = min(1.0, settings.ws_ping_interval_s / 4)
        self._last_trade_s: int | None = None
        self.sessions = 0
        self.subscribed = asyncio.Event()

    async def run(self) -> None:
        """Follow the channel until cancelled, reconnecting with back-off and catching up over REST."""
        attempt = 0
        while True:
            started = self._clock()
            try:
                await self._session()
            except (FeedDead, OSError, WebSocketException, TimeoutError, VenueError) as e:
                log.warning("polymarket user feed session ended: %s", e, extra={"venue": "polymarket"})
            self.subscribed.clear()
            attempt = 0 if self._clock() - started > self._backoff.cap_s else attempt + 1
            await asyncio.sleep(self._backoff.delay(attempt))

    async def _session(self) -> None:
        creds = self._trader.credentials
        if creds is None:
            raise VenueError("user channel needs API credentials", venue="polymarket")
        async with self._connector(self._settings.ws_user_url) as ws:
            await ws.send(_subscription(creds, self._markets))
            self.sessions += 1
            self.subscribed.set()
            if self.sessions > 1:
                await self._resync()
            keepalive = KeepAlive(self._settings.ws_ping_interval_s, self._settings.ws_pong_timeout_s, self._clock)
            while True:
                frame = await recv_text(ws, self._tick_s)
                if frame == "PONG":
                    keepalive.saw_pong()
                elif frame is not None:
                    await self._handle(frame)
                await keepalive.tick(ws)

    async def _handle(self, frame: str) -> None:
        try:
            events = parsing.user_frame(frame)
        except parsing.WireError as e:
            log.warning("polymarket user frame skipped: %s", e, extra={"venue": "polymarket"})
            return
        for event in events:
            if isinstance(event, TradeUpdate) and event.match_time is not None:
                self._last_trade_s = max(self._last_trade_s or 0, event.match_time)
            if event.market in self._markets or not self._markets:
                await self._on_event(event)

    async def _resync(self) -> None:
        after = None if self._last_trade_s is None else self._last_trade_s - RESYNC_OVERLAP_S
        orders = await self._trader.open_orders()
        trades = await self._trader.trades(after=after)
        if self._markets:
            orders = [o for o in orders if o.market in self._markets]
            trades = [t for t in trades if t.market in self._markets]
        await self._on_event(UserResync(tuple(orders), tuple(trades)))


def _subscription(creds: ApiCredentials, markets: list[str]) -> str:
    return json.dumps(
        {
            "auth": {
                "apiKey": creds.api_key,
                "secret": creds.secret.get_secret_value(),
                "passphrase": creds.passphrase.get_secret_value(),
            },
            "markets": markets,
            "type": "user",
        }
    )
