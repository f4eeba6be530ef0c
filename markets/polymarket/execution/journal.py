"""The Polymarket engine's order journal: where it lives, how statuses are written, restart recovery.

Every order is journalled *before* it is posted, with its expected order hash (``venue_order_id``): an
entry with a hash may be at the venue, one without was never sent (the hash is computed, and written,
before the post). Polymarket has no idempotency key, so after a restart such an entry is resolved by
its hash — never posted again.

======================================  ===================
order status                            journal state
======================================  ===================
UNKNOWN                                 ``unknown``
ACCEPTED, PARTIALLY_FILLED, PENDING_CANCEL  ``acked``
FILLED, CANCELED, EXPIRED, REJECTED     ``final`` (note: the status and reason)
======================================  ===================
"""

from __future__ import annotations

import os
from pathlib import Path

from markets.base import OrderRequest, Side, TimeInForce
from markets.journal import FileOrderJournal, JournalEntry, JournalState
from markets.polymarket.execution.tracker import OrderTracker, TrackedOrder
from shared.orders.state import TERMINAL, OrderStatus

VENUE = "polymarket"
DATA_DIR_ENV = "ARBEES_DATA_DIR"
DEFAULT_DATA_DIR = Path("~/.local/share/arbees")
_S = OrderStatus


def default_journal_path(address: str) -> Path:
    """``$ARBEES_DATA_DIR/journal/polymarket-<signer address>.jsonl`` (default ``~/.local/share/arbees``)."""
    base = Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser()
    return base / "journal" / f"{VENUE}-{address.lower()}.jsonl"


def default_journal(address: str) -> FileOrderJournal:
    """The durable journal of one signer."""
    return FileOrderJournal(default_journal_path(address))


def journal_state(status: OrderStatus) -> JournalState | None:
    """The journal state for an order status (``None``: nothing to write yet)."""
    if status is _S.UNKNOWN:
        return "unknown"
    if status in (_S.ACCEPTED, _S.PARTIALLY_FILLED, _S.PENDING_CANCEL):
        return "acked"
    if status in TERMINAL:
        return "final"
    return None


def request_of(entry: JournalEntry) -> OrderRequest:
    """The request an entry recorded (time in force and options are not journalled: ``gtc`` assumed)."""
    side: Side = "buy" if entry.side == "buy" else "sell"
    tif: TimeInForce = "gtc"
    return OrderRequest(
        client_order_id=entry.client_order_id,
        market_id=entry.market_id,
        outcome_id=entry.outcome_id,
        side=side,
        limit_price=entry.limit_price,
        quantity=entry.quantity,
        time_in_force=tif,
    )


def was_refused_by_venue(entry: JournalEntry) -> bool:
    """A final entry whose note says the venue refused the order."""
    return entry.state == "final" and (entry.note or "").startswith(str(_S.REJECTED))


def may_be_at_venue(entry: JournalEntry) -> bool:
    """The entry has an order hash and was not refused before sending: the order may exist at the venue."""
    return entry.venue_order_id is not None and entry.state != "refused"


def bind(tracker: OrderTracker, entry: JournalEntry) -> TrackedOrder:
    """Track a journalled order again (after a restart): its state is unknown until the venue shows it."""
    if entry.venue_order_id is None:
        raise ValueError(f"journal entry {entry.client_order_id} has no order hash: it was never sent")
    order = tracker.add(request_of(entry), entry.venue_order_id, entry.created_at.timestamp())
    order.status, order.ambiguous = _S.UNKNOWN, True
    order.seen = entry.state in ("acked", "final")
    if was_refused_by_venue(entry):
        order.word = "rejected"
    return order
