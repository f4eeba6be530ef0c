"""Choosing and starting execution engines: paper for both venues unless real trading was explicitly enabled.

Real engines read their credentials from ``KALSHI_*`` / ``POLYMARKET_*`` and always run behind the live
caps. Each engine's start-up checks run before the service takes orders; a venue that answers with a
geoblock is disabled (its orders are rejected with the reason, nothing retries it) while any other
start-up failure stops the service.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from markets.base import ExecutionEngine
from markets.caps import LiveCaps
from markets.factory import EngineConfig, build_engines
from markets.paper.books import BookSource
from markets.paper.sources import RedisTopBook
from services.execution_service.config import ExecutionSettings
from shared.bus.pubsub import MarketDataBus
from shared.config import load_settings
from shared.errors import Geoblocked
from shared.prices import Venue

log = logging.getLogger(__name__)
VENUES: tuple[Venue, ...] = ("kalshi", "polymarket")
CREDENTIALS: dict[Venue, str] = {
    "kalshi": "KALSHI_API_KEY_ID with KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY_PEM",
    "polymarket": "POLYMARKET_PRIVATE_KEY",
}
"""The settings that enable a venue's real engine in live mode (paper mode trades both venues on paper)."""


def engine_config(settings: ExecutionSettings) -> EngineConfig:
    """The switch's inputs from the service settings (venue credentials only in live mode).

    Raises
    ------
    shared.config.ConfigError
        When a venue setting is invalid.
    """
    kalshi = polymarket = None
    if settings.trading_mode == "live":
        from markets.kalshi.config import KalshiSettings
        from markets.polymarket.config import PolymarketSettings

        kalshi = load_settings(KalshiSettings)
        polymarket = load_settings(PolymarketSettings)
    return EngineConfig(
        mode=settings.trading_mode,
        caps=LiveCaps(settings.max_order_notional_cents, settings.max_daily_notional_cents),
        journal_dir=settings.journals,
        paper_balance=Decimal(settings.paper_balance_cents) / 100,
        paper_matching_delay_s=settings.paper_matching_delay_s,
        kalshi=kalshi,
        polymarket=polymarket,
    )


def build(settings: ExecutionSettings, bus: MarketDataBus) -> dict[Venue, ExecutionEngine]:
    """One engine per venue, as ``PAPER_TRADING`` and ``LIVE_TRADING_CONFIRMED`` select."""
    books: dict[Venue, BookSource] = {venue: RedisTopBook(bus, venue) for venue in VENUES}
    return build_engines(engine_config(settings), books)


async def start_all(engines: dict[Venue, ExecutionEngine]) -> dict[Venue, str]:
    """Start every engine; drop (and return, with the reason) the venues that answered with a geoblock."""
    disabled: dict[Venue, str] = {}
    for venue, engine in list(engines.items()):
        try:
            await engine.start()
        except Geoblocked as e:
            log.error("venue disabled: geoblocked; not retried", extra={"venue": venue, "reason": str(e)})
            disabled[venue] = f"geoblocked: {e}"
            del engines[venue]
    return disabled


async def close_all(engines: dict[Venue, ExecutionEngine]) -> None:
    """Close every engine (resting orders stay at the venue)."""
    for venue, engine in engines.items():
        try:
            await engine.close()
        except Exception:  # noqa: BLE001 - closing one engine must not stop closing the others
            log.exception("engine close failed", extra={"venue": venue})


def venues_off(engines: dict[Venue, ExecutionEngine], disabled: dict[Venue, str]) -> dict[Venue, str]:
    """Why each venue without an engine is not traded: its geoblock, or the credentials that are not set."""
    return {
        venue: disabled.get(venue, f"no credentials: set {CREDENTIALS[venue]}")
        for venue in VENUES
        if venue not in engines
    }


def log_trading_mode(mode: str, engines: dict[Venue, ExecutionEngine], disabled: dict[Venue, str]) -> None:
    """The one start-up line saying how and where this process trades (fields ``trading_mode``, ``venues``)."""
    enabled = [venue for venue in VENUES if venue in engines]
    off = venues_off(engines, disabled)
    reasons = "".join(f"; {venue} off ({why})" for venue, why in off.items())
    log.info(
        "trading mode %s; venues: %s%s",
        mode,
        ", ".join(enabled) or "none",
        reasons,
        extra={"trading_mode": mode, "venues": enabled, "venues_off": off},
    )
