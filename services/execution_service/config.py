"""Settings of the execution service (``EXEC_*``): live caps, journals, and the paper engine's account."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class ExecutionSettings(ArbeesSettings):
    """Execution limits and the paper engine's view of the book.

    The live caps apply only to real engines (``PAPER_TRADING=0`` with ``LIVE_TRADING_CONFIRMED=1``): an
    order whose notional is above ``max_order_notional_cents``, or that would take the day's notional
    above ``max_daily_notional_cents``, is refused before it is sent.

    Execution-time checks (every engine): an intent whose latest top of book on the bus is older than
    ``max_book_age_s`` is not sent (``book_stale``), nor one sent while halted (``trading_halted``).
    Each venue call is bounded by ``submit_timeout_s`` (a timed-out submit is ``unknown``, resolved later
    by client order id) and a venue's orders queue behind that venue only. A halt (announced on the bus,
    or seen by the poll every ``halt_poll_interval_s``) cancels every resting order, confirmed within
    ``halt_confirm_timeout_s``.
    """

    model_config = SettingsConfigDict(env_prefix="EXEC_")

    max_book_age_s: float = Field(default=30.0, gt=0)
    max_order_notional_cents: int = Field(default=2_000, gt=0, le=100_000)
    max_daily_notional_cents: int = Field(default=10_000, gt=0)
    journal_dir: Path | None = None
    paper_balance_cents: int = Field(default=100_000, gt=0)
    paper_matching_delay_s: float = Field(default=0.0, ge=0)
    reconcile_interval_s: float = Field(default=2.0, gt=0)
    max_in_flight: int = Field(default=8, ge=1, le=64, description="orders handled at once per venue")
    # Start-up reconciliation and the sweep (R03, R04, R12): fills read back this far; an approved intent
    # without an order is re-published once this old, expired ("not sent") once older than the max age.
    reconcile_fills_lookback_s: float = Field(default=86_400.0, gt=0)
    unsent_intent_max_age_s: float = Field(default=60.0, gt=0)
    republish_after_s: float = Field(default=10.0, ge=0)
    sweep_interval_s: float = Field(default=30.0, gt=0)
    # Venue health circuit (R20): consecutive server failures that open it, back-off before a probe
    # (doubled per failed probe, capped), and how often a closed venue's exchange status is polled.
    circuit_failure_threshold: int = Field(default=3, ge=1)
    circuit_open_s: float = Field(default=5.0, gt=0)
    circuit_open_max_s: float = Field(default=60.0, gt=0)
    circuit_check_interval_s: float = Field(default=5.0, gt=0)
    submit_timeout_s: float = Field(default=10.0, gt=0)
    halt_poll_interval_s: float = Field(default=2.0, gt=0)
    halt_confirm_timeout_s: float = Field(default=5.0, gt=0)
    # Arbitrage legs (services/execution_service/legs.py): how long a leg may stay alone, how much worse a
    # hedge may pay per contract, how many hedges before unwinding, how often the legs are checked.
    legs_bound_s: float = Field(default=5.0, gt=0)
    hedge_cap_cents: int = Field(default=3, ge=0, le=50)
    hedge_attempts: int = Field(default=1, ge=0)
    unwind_attempts: int = Field(default=3, ge=1, description="unwinds tried before a naked leg halts trading")
    legs_interval_s: float = Field(default=1.0, gt=0)

    @property
    def journals(self) -> Path:
        """Where the real engines keep their order journals."""
        return self.journal_dir or self.data_dir / "journal"
