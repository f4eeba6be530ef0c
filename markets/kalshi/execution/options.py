"""Tuning of :class:`~markets.kalshi.execution.KalshiExecutionEngine`: retries, resolution, caches, polling.

Durations are seconds; counts are requests. The defaults follow reliability.md: an ambiguous create is
re-sent only with the same ``client_order_id`` (R02), resolved by bounded queries (R01/R05), and
reconciliation queries are capped per cycle (R17, nautilus ``max_single_order_queries_per_cycle``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markets.preflight import DEFAULT_MAX_CLOCK_SKEW_S


@dataclass(frozen=True, slots=True)
class ExecutionOptions:
    """Engine knobs (all have safe defaults).

    Attributes
    ----------
    max_clock_skew_s
        Start-up refuses when the venue's clock (HTTP ``Date``) and ours differ by more.
    submit_sends
        Most times one create is sent (always with the same ``client_order_id``) while earlier sends
        were ambiguous (5xx, timeout) and a query found no order.
    resolve_checks, resolve_interval_s
        Queries by ``client_order_id`` (and the wait between them) before an ambiguous submit is
        reported ``Unknown``.
    market_ttl_s, balance_ttl_s
        How long market metadata and the balance are trusted for pre-send checks. A refusal for
        insufficient balance is only ever made on a balance fetched for that order.
    poll_interval_s, fallback_poll_interval_s
        Reconciliation cadence while the WebSocket is healthy (unknown orders only) and while it is
        down (fills and open orders over REST).
    open_check_interval_s
        Even with a healthy WebSocket, open orders and fills are confirmed over REST this often.
    max_queries_per_cycle
        Single-order queries one reconciliation cycle may make.
    lookup_window_s
        Slack before an order's journal time when listing orders to find it by ``client_order_id``.
    unresolved_expiry_s
        At start-up, a journalled order not found at the venue and older than this is closed as expired.
    ws_enabled, ws_ready_timeout_s
        Use the private WebSocket (``fill`` and ``user_orders``); how long ``start()`` waits for its
        subscriptions before carrying on with REST polling alone.
    """

    max_clock_skew_s: float = DEFAULT_MAX_CLOCK_SKEW_S
    submit_sends: int = 3
    resolve_checks: int = 3
    resolve_interval_s: float = 0.25
    market_ttl_s: float = 30.0
    balance_ttl_s: float = 2.0
    poll_interval_s: float = 5.0
    fallback_poll_interval_s: float = 1.0
    open_check_interval_s: float = 15.0
    max_queries_per_cycle: int = 10
    lookup_window_s: float = 300.0
    unresolved_expiry_s: float = 60.0
    ws_enabled: bool = True
    ws_ready_timeout_s: float = 5.0
