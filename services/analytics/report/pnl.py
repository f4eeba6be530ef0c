"""Realized P&L event by event, with the position tracker's average-cost arithmetic (``shared.positions``).

A sell realizes ``quantity x price - released cost`` (the average cost of what is sold, to the micro-dollar);
a settlement realizes ``proceeds - cost basis`` (the ``settlements`` row's ``pnl``). Summed over a
position's history these are its ``realized_pnl``; the events that fall in the day are the day's P&L.
A position counts for the sport of its game and the strategy of the intent behind its first fill.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.analytics.report.queries import Row
from shared.positions import PositionState, apply_fill

ZERO = Decimal(0)
_Q = Decimal("0.000001")
PositionKey = tuple[str, str, str, bool]


@dataclass(frozen=True, slots=True)
class PnlEvent:
    """One realizing event: a sell fill or a settlement."""

    ts: datetime
    key: PositionKey
    kind: str  # "sell" or "settlement"
    quantity: Decimal
    realized: Decimal
    client_order_id: str | None


@dataclass(frozen=True, slots=True)
class PositionHistory:
    """A position's realizing events and the value its bought contracts ended at."""

    key: PositionKey
    game_id: str
    strategy: str
    events: tuple[PnlEvent, ...]
    exit_value: Decimal | None  # per contract: sells and settlement, averaged; None while still open


def _key(r: Row) -> PositionKey:
    return (r["venue"], r["market_id"], r["outcome_id"], r["paper"])


def histories(fills: list[Row], settlements: list[Row]) -> dict[PositionKey, PositionHistory]:
    """Each position's events from all its fills (in order) and its settlement."""
    by_key: dict[PositionKey, list[Row]] = defaultdict(list)
    for f in fills:
        by_key[_key(f)].append(f)
    settled = {_key(s): s for s in settlements}
    out: dict[PositionKey, PositionHistory] = {}
    for key in by_key.keys() | settled.keys():
        rows = by_key.get(key, [])
        state = PositionState()
        events: list[PnlEvent] = []
        closed_qty = proceeds = ZERO
        for f in rows:
            price, q = f["price"], f["quantity"]
            before = state.realized_pnl
            state = apply_fill(state, f["side"], price, q, ZERO)  # fees are reported apart
            if f["side"] == "buy":
                continue
            events.append(PnlEvent(f["ts"], key, "sell", q, state.realized_pnl - before, f["client_order_id"]))
            closed_qty, proceeds = closed_qty + q, proceeds + price * q
        qty = state.quantity
        s = settled.get(key)
        if s is not None:
            events.append(PnlEvent(s["settled_at"], key, "settlement", s["quantity"], s["pnl"], None))
            closed_qty, proceeds = closed_qty + s["quantity"], proceeds + s["proceeds"]
            qty = ZERO
        first = rows[0] if rows else None
        out[key] = PositionHistory(
            key=key,
            game_id=first["game_id"] if first else "",
            strategy=(first["strategy"] if first and first["strategy"] else "unknown"),
            events=tuple(events),
            exit_value=(proceeds / closed_qty).quantize(_Q) if closed_qty and qty == 0 else None,
        )
    return out


def day_events(hist: dict[PositionKey, PositionHistory], start: datetime, end: datetime) -> list[PnlEvent]:
    """The realizing events inside ``[start, end)``, in time order."""
    return sorted((e for h in hist.values() for e in h.events if start <= e.ts < end), key=lambda e: e.ts)
