"""game_shard service: follows its assignment, the games' states and the instruments' prices."""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.handlers import GameShardHandlers
from shared.bus import keys
from shared.messages import AssignShard, GameStateUpdated, MarketPriceUpdated
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

    async def start(self, ctx: ServiceContext) -> None:
        bus = ctx.infra.market_data
        self.handlers = GameShardHandlers(self.shard_settings, self.book, ctx.infra.store, bus)
        subscribed = asyncio.Event()
        ctx.spawn(self._follow(ctx, subscribed), name="game_shard:follow")
        await subscribed.wait()
        assignment = await bus.latest(keys.SHARD_ASSIGNMENT, self.shard_settings.shard_id)
        if isinstance(assignment, AssignShard):
            self.book.assign(assignment)
        for message in (await bus.latest_all(keys.MARKET_PRICE)).values():
            if isinstance(message, MarketPriceUpdated):
                await self.handlers.on_price(message)
        for message in (await bus.latest_all(keys.GAME_STATE)).values():
            if isinstance(message, GameStateUpdated):
                await self.handlers.on_game_state(message)

    async def _follow(self, ctx: ServiceContext, subscribed: asyncio.Event) -> None:
        assert self.handlers is not None
        topics = (keys.SHARD_ASSIGNMENT, keys.GAME_STATE, keys.MARKET_PRICE)
        stream = ctx.infra.market_data.subscribe(topics, ctx.stopping, subscribed=subscribed)
        async for _topic, message in stream:
            try:
                if isinstance(message, AssignShard) and message.shard_id == self.shard_settings.shard_id:
                    self.book.assign(message)
                    log.info("assignment received", extra={"games": len(message.games)})
                elif isinstance(message, GameStateUpdated):
                    await self.handlers.on_game_state(message)
                elif isinstance(message, MarketPriceUpdated):
                    await self.handlers.on_price(message)
            except Exception:  # noqa: BLE001 - one bad update must not stop the shard; the next replaces it
                log.exception("market data handling failed", extra={"type": message.type})

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        details.update(
            shard_id=self.shard_settings.shard_id,
            games=len(self.book.games),
            signals_emitted=self.handlers.signals_emitted if self.handlers else 0,
        )
        return details
