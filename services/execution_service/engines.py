"""Choosing execution engines: paper for both venues unless real trading was explicitly enabled."""

from __future__ import annotations

from markets.base import ExecutionEngine
from markets.paper.engine import PaperTradingEngine
from markets.paper.sources import RedisTopBook
from services.execution_service.config import ExecutionSettings
from shared.bus.pubsub import MarketDataBus
from shared.config import ConfigError
from shared.prices import Venue


def build_engines(settings: ExecutionSettings, bus: MarketDataBus) -> dict[Venue, ExecutionEngine]:
    """One engine per venue, as ``PAPER_TRADING`` and ``LIVE_TRADING_CONFIRMED`` select.

    Raises
    ------
    ConfigError
        When real trading is selected but no real engine is configured.
    """
    if settings.trading_mode == "live":
        raise ConfigError(
            "PAPER_TRADING: real trading selected, but no real execution engine is configured in this "
            "build; unset PAPER_TRADING to trade on paper"
        )
    venues: tuple[Venue, ...] = ("kalshi", "polymarket")
    return {
        venue: PaperTradingEngine(venue, RedisTopBook(bus, venue), max_book_age_s=settings.max_book_age_s)
        for venue in venues
    }
