"""Settings of the signal processor (``SIGNAL_*``): the hard risk limits (R21)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class SignalProcessorSettings(ArbeesSettings):
    """Risk limits: money in integer cents, positions in contracts, the order rate per rolling minute."""

    model_config = SettingsConfigDict(env_prefix="SIGNAL_")

    max_trade_notional_cents: int = Field(default=2_000, gt=0, description="one order, price plus fees")
    max_game_exposure_cents: int = Field(default=5_000, gt=0, description="every approved buy on one game")
    max_sport_exposure_cents: int = Field(default=20_000, gt=0, description="open exposure in one sport")
    max_total_exposure_cents: int = Field(default=50_000, gt=0, description="open exposure, all games")
    max_market_position_contracts: int = Field(
        default=1_000, gt=0, description="held plus pending buys of one outcome of one market"
    )
    max_daily_loss_cents: int = Field(
        default=25_000, gt=0, description="no new entries once today's realized+unrealized loss reaches this"
    )
    max_orders_per_minute: int = Field(default=60, gt=0, description="approved intents per rolling minute")
    max_contracts_per_order: int = Field(default=1_000, gt=0)
    min_edge_cents: int = Field(default=1, ge=0)
    risk_refresh_s: float = Field(
        default=1.0, ge=0, description="re-read positions, fills and P&L this often (0: before every decision)"
    )
    risk_max_age_s: float = Field(
        default=10.0, gt=0, description="a decision first re-reads the figures when they are older than this"
    )
