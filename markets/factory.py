"""The PAPER_TRADING switch: which execution engine each venue gets.

``PAPER_TRADING=1`` (the default) gives the paper engine for both venues. Real engines need
``PAPER_TRADING=0`` *and* ``LIVE_TRADING_CONFIRMED=1`` (see :class:`shared.config.ArbeesSettings`), the
venue's credentials, and they always sit behind :class:`markets.caps.CappedEngine` (per-order and
per-day caps) with a durable order journal. A venue without credentials in live mode is not traded;
live mode with no venue configured stops start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from markets.base import ExecutionEngine
from markets.caps import CappedEngine, LiveCaps
from markets.journal import FileOrderJournal, OrderJournal
from markets.paper.books import BookSource
from shared.config import ConfigError
from shared.prices import Venue


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Inputs of the switch."""

    mode: Literal["paper", "live"]
    caps: LiveCaps
    journal_dir: Path
    paper_balance: Decimal = Decimal("1000")
    paper_matching_delay_s: float = 0.0
    kalshi: Any = None  # markets.kalshi.config.KalshiSettings
    polymarket: Any = None  # markets.polymarket.config.PolymarketSettings


def _cls(path: str) -> Any:
    module_name, _, name = path.partition(":")
    return getattr(importlib.import_module(module_name), name)


def build_paper(config: EngineConfig, books: Mapping[Venue, BookSource]) -> dict[Venue, ExecutionEngine]:
    """A paper engine per venue, reading the given books."""
    paper_cls = _cls("markets.paper.engine:PaperTradingEngine")
    return {
        venue: paper_cls(
            venue,
            book,
            starting_balance=config.paper_balance,
            matching_delay_s=config.paper_matching_delay_s if venue == "polymarket" else 0.0,
        )
        for venue, book in books.items()
    }


def _journal(config: EngineConfig, name: str) -> OrderJournal:
    return FileOrderJournal(config.journal_dir / f"{name}.jsonl")


def build_live(config: EngineConfig) -> dict[Venue, ExecutionEngine]:
    """Real engines for every venue with credentials, each behind the live caps.

    Raises
    ------
    ConfigError
        When no venue has credentials.
    """
    engines: dict[Venue, ExecutionEngine] = {}
    kalshi = config.kalshi
    if kalshi is not None and kalshi.has_credentials:
        journal = _journal(config, f"kalshi-{kalshi.api_key_id}")
        engine = _cls("markets.kalshi.execution:KalshiExecutionEngine").from_settings(kalshi, journal=journal)
        engines["kalshi"] = CappedEngine(engine, config.caps, journal)
    polymarket = config.polymarket
    if polymarket is not None and polymarket.private_key is not None:
        journal = _journal(config, "polymarket")
        engine = _cls("markets.polymarket.execution:PolymarketExecutionEngine").from_settings(
            polymarket, journal=journal
        )
        engines["polymarket"] = CappedEngine(engine, config.caps, journal)
    if not engines:
        raise ConfigError(
            "PAPER_TRADING: real trading is selected but no venue has credentials; set KALSHI_API_KEY_ID with "
            "KALSHI_PRIVATE_KEY_PATH, and/or POLYMARKET_PRIVATE_KEY (or unset PAPER_TRADING to trade on paper)"
        )
    return engines


def build_engines(config: EngineConfig, books: Mapping[Venue, BookSource]) -> dict[Venue, ExecutionEngine]:
    """Paper engines or capped real engines, as ``config.mode`` says."""
    return build_paper(config, books) if config.mode == "paper" else build_live(config)
