"""game_shard service: follows its assignment, reads its games' feeds, prices them and signals.

Feeds: ESPN summaries of the assigned games (:mod:`services.game_shard.espn_feed`), the assigned Kalshi
books over the shard's own WebSocket (:mod:`services.game_shard.kalshi_feed`; their tops are published
to Redis for the paper engine, marks and the dashboard) and Polymarket tops from Redis (published by
the Polymarket price shard). With a feed ``off`` the shard takes that data from the bus instead (the
scripted demo publishes it itself).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import ClassVar

from markets.espn.client import EspnClient
from markets.espn.config import EspnSettings
from markets.kalshi.config import KalshiSettings
from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.espn_feed import SummaryFeed
from services.game_shard.handlers import GameShardHandlers
from services.game_shard.kalshi_feed import KalshiBooks
from services.game_shard.price_store import PriceRecorder
from services.game_shard.signal_outlet import SignalOutlet
from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.config import load_settings
from shared.messages import AssignShard, GameStateUpdated, MarketPriceUpdated, PregameLine, utc_now
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)


class GameShardService(Service):
    """One shard of the game watchers."""

    name: ClassVar[str] = "game_shard"
    settings_class: ClassVar[type[GameShardSettings]] = GameShardSettings

    def __init__(self, settings: GameShardSettings) -> None:
        super().__init__(settings)
        self.shard_settings = settings
        self.book = ShardBook()
        self.handlers: GameShardHandlers | None = None
        self.espn: SummaryFeed | None = None
        self.kalshi: KalshiBooks | None = None
        self.recorder: PriceRecorder | None = None
        self.outlet: SignalOutlet | None = None
        self._state_arrival: dict[str, float] = {}

    async def start(self, ctx: ServiceContext) -> None:
        s = self.shard_settings
        bus = ctx.infra.market_data
        self.recorder = PriceRecorder(ctx.infra.pool, s.price_flush_s)
        if s.espn_feed == "on":
            espn_settings = load_settings(EspnSettings)
            client = EspnClient(espn_settings.base_url, timeout_s=espn_settings.timeout_s)
            self.espn = SummaryFeed(client, self._on_polled_state, interval_s=s.espn_poll_s)
        state_age = self.espn.age_s if self.espn is not None else self._bus_state_age
        self.outlet = SignalOutlet(ctx.infra.pool, ctx.infra.redis, s.price_flush_s)
        self.handlers = GameShardHandlers(
            s, self.book, ctx.infra.store, bus, self.recorder, state_age, outlet=self.outlet
        )
        if s.kalshi_feed != "off":
            self.kalshi = KalshiBooks(
                load_settings(KalshiSettings), self._kalshi_top(bus), mode=s.kalshi_feed, poll_s=s.kalshi_poll_s
            )
        subscribed = asyncio.Event()
        ctx.spawn(self._follow(ctx, subscribed), name="game_shard:follow")
        await subscribed.wait()
        assignment = await bus.latest(keys.SHARD_ASSIGNMENT, s.shard_id)
        if isinstance(assignment, AssignShard):
            self._assign(assignment)
        for message in (await bus.latest_all(keys.PREGAME_LINE)).values():
            if isinstance(message, PregameLine):
                self.book.handed_off_home_prob[message.game_id] = message.home_prob
        for message in (await bus.latest_all(keys.MARKET_PRICE)).values():
            if isinstance(message, MarketPriceUpdated):
                await self._on_bus_price(message)
        if self.espn is None:
            for message in (await bus.latest_all(keys.GAME_STATE)).values():
                if isinstance(message, GameStateUpdated):
                    await self._on_bus_state(message)
        ctx.spawn(self.recorder.run(ctx.stopping), name="game_shard:prices")
        ctx.spawn(self.outlet.run(ctx.stopping), name="game_shard:signals")
        if self.espn is not None:
            ctx.spawn(self._run_espn(ctx), name="game_shard:espn")
        if self.kalshi is not None:
            ctx.spawn(self.kalshi.run(ctx.stopping), name="game_shard:kalshi")
            ctx.spawn(self._refresh_kalshi_tops(ctx, bus), name="game_shard:kalshi-refresh")

    def _assign(self, command: AssignShard) -> None:
        self.book.assign(command)
        if self.espn is not None:
            self.espn.follow(self.book.games)
        if self.kalshi is not None:
            self.kalshi.follow(
                i.market_id for g in self.book.games.values() for i in g.instruments if i.venue == "kalshi"
            )
        log.info("assignment received", extra={"shard_id": command.shard_id, "games": len(command.games)})

    async def _follow(self, ctx: ServiceContext, subscribed: asyncio.Event) -> None:
        topics = [keys.SHARD_ASSIGNMENT, keys.MARKET_PRICE, keys.PREGAME_LINE]
        if self.espn is None:
            topics.append(keys.GAME_STATE)
        stream = ctx.infra.market_data.subscribe(topics, ctx.stopping, subscribed=subscribed)
        async for _topic, message in stream:
            try:
                if isinstance(message, AssignShard):
                    if message.shard_id == self.shard_settings.shard_id:
                        self._assign(message)
                elif isinstance(message, GameStateUpdated):
                    await self._on_bus_state(message)
                elif isinstance(message, MarketPriceUpdated):
                    await self._on_bus_price(message)
                elif isinstance(message, PregameLine):
                    self.book.handed_off_home_prob[message.game_id] = message.home_prob
            except Exception:  # noqa: BLE001 - one bad update must not stop the shard; the next replaces it
                log.exception("market data handling failed", extra={"type": message.type})

    # -- ESPN ------------------------------------------------------------------------------------

    async def _run_espn(self, ctx: ServiceContext) -> None:
        assert self.espn is not None
        await self.espn.run(ctx.stopping)

    async def _on_polled_state(self, state: GameStateUpdated) -> None:
        assert self.handlers is not None
        try:
            await self.handlers.on_game_state(state, publish=True)
        except Exception:  # noqa: BLE001 - the next read of the game brings its state again
            log.exception("game state handling failed", extra={"game_id": state.game_id})

    async def _on_bus_state(self, state: GameStateUpdated) -> None:
        assert self.handlers is not None
        self._state_arrival[state.game_id] = time.monotonic()
        await self.handlers.on_game_state(state)

    def _bus_state_age(self, game_id: str) -> float | None:
        at = self._state_arrival.get(game_id)
        return None if at is None else time.monotonic() - at

    # -- prices ----------------------------------------------------------------------------------

    async def _on_bus_price(self, top: MarketPriceUpdated) -> None:
        assert self.handlers is not None
        if top.venue == "kalshi" and self.kalshi is not None:
            return  # this shard holds its Kalshi books itself (and published this very top)
        await self.handlers.on_price(top)

    def _kalshi_top(self, bus: MarketDataBus) -> Callable[[MarketPriceUpdated], Awaitable[None]]:
        async def on_top(top: MarketPriceUpdated) -> None:
            assert self.handlers is not None
            await bus.publish(keys.MARKET_PRICE, top.key, top)
            await self.handlers.on_price(top)

        return on_top

    async def _refresh_kalshi_tops(self, ctx: ServiceContext, bus: MarketDataBus) -> None:
        assert self.kalshi is not None
        while not ctx.stopping.is_set():
            await wait_event(ctx.stopping, self.shard_settings.top_refresh_s)
            now = utc_now()
            for top in self.kalshi.fresh_tops():
                fresh = top.model_copy(update={"ts_event": now, "message_id": uuid.uuid4()})
                try:
                    await bus.publish(keys.MARKET_PRICE, fresh.key, fresh)
                    self.book.prices[fresh.key] = fresh
                except Exception:  # noqa: BLE001 - the next refresh tries again
                    log.exception("kalshi top refresh failed", extra={"key": fresh.key})

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        details.update(
            shard_id=self.shard_settings.shard_id,
            games=len(self.book.games),
            signals_emitted=self.handlers.signals_emitted if self.handlers else 0,
            stale_skips=self.handlers.stale_skips if self.handlers else 0,
        )
        if self.espn is not None:
            details.update(espn_reads=self.espn.reads, espn_failures=self.espn.failures)
        if self.kalshi is not None:
            details.update(
                kalshi_mode=self.kalshi.mode, kalshi_books=len(self.kalshi.tickers), kalshi_updates=self.kalshi.updates
            )
        if self.recorder is not None:
            details["prices_stored"] = self.recorder.written
        return details
