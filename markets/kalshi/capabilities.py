"""What the Kalshi venue supports, as data (house style §2: one capability table per venue).

The execution engine reads this instead of branching on the venue name: whether a retry may reuse an
idempotency key, whether contracts are fractional, which WebSocket channels exist, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class KalshiCapabilities:
    """Kalshi Trade API v2 (2026): fixed-point prices and counts, V2 order endpoints."""

    venue: str = "kalshi"
    idempotent_client_order_id: bool = True
    """A create retried with the same ``client_order_id`` never makes a second order."""
    fractional_contracts: bool = True
    min_count: Decimal = Decimal("0.01")
    default_tick_size: Decimal = Decimal("0.01")
    price_grid_from_market: bool = True
    """Tick sizes come from each market's ``price_ranges``, not a constant."""
    batch_submit: bool = True
    amend: bool = True
    decrease: bool = True
    order_groups: bool = True
    """Order groups: a venue-side contracts limit and a manual trigger (kill switch)."""
    post_only: bool = True
    reduce_only: bool = True
    time_in_force: tuple[str, ...] = ("good_till_canceled", "immediate_or_cancel", "fill_or_kill")
    self_trade_prevention: tuple[str, ...] = ("taker_at_cross", "maker")
    ws_channels: tuple[str, ...] = ("orderbook_delta", "ticker", "trade", "fill", "user_orders", "market_positions")
    ws_sequenced_channels: tuple[str, ...] = ("orderbook_delta",)
    ws_replays_private_history: bool = False
    """After a reconnect, missed fills must be fetched over REST."""
    retry_after_header: bool = False
    """429 answers carry no ``Retry-After``: back off exponentially with jitter."""
    max_page_limit: int = 1000


CAPABILITIES = KalshiCapabilities()
