"""Signals with their legs (intents and their orders), and the signal marks of a game's history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from services.api.queries.instruments import matched_instruments
from services.api.queries.paging import page
from services.api.schemas import Page, SignalLegOut, SignalMark, SignalOut

_LEGS = """SELECT i.signal_id, i.leg_index, i.intent_id, i.client_order_id, i.venue, i.market_id, i.outcome_id,
                  i.side, i.limit_price, i.quantity, i.decision, i.reason_code, i.reason,
                  o.status AS order_status, o.filled_quantity, o.avg_fill_price
           FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
           WHERE i.signal_id = ANY($1::text[]) ORDER BY i.signal_id, i.leg_index"""


async def list_signals(
    pool: asyncpg.Pool,
    *,
    game_id: str | None,
    kind: str | None,
    decision: str | None,
    strategy: str | None,
    limit: int,
    offset: int,
    venue: str | None = None,
) -> Page[SignalOut]:
    """Signals newest first; ``decision`` keeps those with at least one leg so decided, ``venue`` those with a
    leg on that venue."""
    rows = await pool.fetch(
        """SELECT s.signal_id, s.ts, s.strategy, s.kind, s.game_id, s.edge_per_contract, s.model_probability
           FROM signals s
           WHERE ($1::text IS NULL OR s.game_id = $1) AND ($2::text IS NULL OR s.kind = $2)
             AND ($3::text IS NULL OR s.strategy = $3)
             AND ($4::text IS NULL OR EXISTS (
                   SELECT 1 FROM order_intents i WHERE i.signal_id = s.signal_id AND i.decision = $4))
             AND ($7::text IS NULL OR EXISTS (
                   SELECT 1 FROM order_intents i WHERE i.signal_id = s.signal_id AND i.venue = $7))
           ORDER BY s.ts DESC, s.signal_id DESC LIMIT $5 OFFSET $6""",
        game_id,
        kind,
        strategy,
        decision,
        limit + 1,
        offset,
        venue,
    )
    return page(await with_legs(pool, rows), limit, offset)


async def signal(pool: asyncpg.Pool, signal_id: str) -> SignalOut | None:
    """One stored signal with its legs."""
    row = await pool.fetchrow(
        """SELECT signal_id, ts, strategy, kind, game_id, edge_per_contract, model_probability
           FROM signals WHERE signal_id = $1""",
        signal_id,
    )
    return (await with_legs(pool, [row]))[0] if row is not None else None


async def legs_of(pool: asyncpg.Pool, signal_ids: Sequence[str]) -> dict[str, list[SignalLegOut]]:
    """The legs (intents and their orders) of ``signal_ids``."""
    legs: dict[str, list[SignalLegOut]] = defaultdict(list)
    for r in await pool.fetch(_LEGS, list(signal_ids)):
        legs[r["signal_id"]].append(SignalLegOut.model_validate(dict(r)))
    return legs


async def with_legs(pool: asyncpg.Pool, rows: Sequence[Any]) -> list[SignalOut]:
    """Signal rows with their legs."""
    legs = await legs_of(pool, [r["signal_id"] for r in rows])
    return [SignalOut.model_validate({**dict(r), "legs": legs.get(r["signal_id"], [])}) for r in rows]


def _decision(decisions: set[str]) -> str | None:
    if not decisions:
        return None
    return decisions.pop() if len(decisions) == 1 else "mixed"


async def signal_marks(pool: asyncpg.Pool, game_id: str, since: datetime | None) -> list[SignalMark]:
    """Every signal of ``game_id`` (since ``since``) with its first leg and the verdict over all legs."""
    rows = await pool.fetch(
        """SELECT signal_id, ts, strategy, kind, edge_per_contract, model_probability, payload FROM signals
           WHERE game_id = $1 AND ($2::timestamptz IS NULL OR ts >= $2) ORDER BY ts, signal_id""",
        game_id,
        since,
    )
    legs = await legs_of(pool, [r["signal_id"] for r in rows])
    instruments = await matched_instruments(pool, [game_id])
    marks = []
    for r in rows:
        decided = legs.get(r["signal_id"], [])
        payload = r["payload"] if isinstance(r["payload"], dict) else {}
        payload_legs = payload.get("legs") or [{}]
        first: dict[str, Any] = decided[0].model_dump() if decided else dict(payload_legs[0])
        key = (first.get("venue"), first.get("market_id"), first.get("outcome_id"))
        matched = instruments.get(key) if None not in key else None  # type: ignore[arg-type]
        denied = next((leg.reason_code for leg in decided if leg.decision == "denied"), None)
        marks.append(
            SignalMark.model_validate(
                {
                    "ts": r["ts"],
                    "signal_id": r["signal_id"],
                    "kind": r["kind"],
                    "strategy": r["strategy"],
                    "venue": first.get("venue"),
                    "market_id": first.get("market_id"),
                    "outcome_id": first.get("outcome_id"),
                    "result": matched.result if matched else None,
                    "side": first.get("side"),
                    "limit_price": first.get("limit_price"),
                    "edge_per_contract": r["edge_per_contract"],
                    "model_probability": r["model_probability"],
                    "decision": _decision({leg.decision for leg in decided}),
                    "reason_code": denied,
                }
            )
        )
    return marks
