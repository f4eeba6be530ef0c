"""Matched instruments (from ``market_matches``) and orienting their prices to a game result."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from services.api.schemas import PriceOut

InstrumentKey = tuple[str, str, str]  # venue, market_id, outcome_id


@dataclass(frozen=True, slots=True)
class Matched:
    """Which game and result an instrument pays on."""

    game_id: str
    result: str
    negated: bool


def oriented(
    best_bid: Decimal | None, best_ask: Decimal | None, negated: bool
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(bid, ask, mid) of the contract paying on the instrument's result (flipped when ``negated``)."""
    if negated:
        best_bid, best_ask = (
            (1 - best_ask) if best_ask is not None else None,
            (1 - best_bid) if best_bid is not None else None,
        )
    mid = (best_bid + best_ask) / 2 if best_bid is not None and best_ask is not None else None
    return best_bid, best_ask, mid


def price_out(key: InstrumentKey, matched: Matched, ts: datetime, bid: Any, ask: Any) -> PriceOut:
    """A stored or published quote of ``key``, oriented to ``matched.result``."""
    best_bid, best_ask, mid = oriented(
        Decimal(bid) if bid is not None else None, Decimal(ask) if ask is not None else None, matched.negated
    )
    return PriceOut.model_validate(
        {
            "ts": ts,
            "venue": key[0],
            "market_id": key[1],
            "outcome_id": key[2],
            "result": matched.result,
            "best_bid": best_bid,
            "best_ask": best_ask,
            "mid": mid,
        }
    )


def _instruments(rows: Iterable[Any]) -> dict[InstrumentKey, Matched]:
    out: dict[InstrumentKey, Matched] = {}
    for r in rows:
        for ref in r["instruments"] or []:
            key = (str(ref["venue"]), str(ref["market_id"]), str(ref["outcome_id"]))
            out[key] = Matched(r["game_id"], str(ref["pays_on"]), bool(ref.get("negated", False)))
    return out


async def matched_instruments(
    conn: asyncpg.Pool | asyncpg.Connection, game_ids: Sequence[str] | None = None
) -> dict[InstrumentKey, Matched]:
    """Every matched instrument (of ``game_ids`` when given) -> the game and result it pays on."""
    rows = await conn.fetch(
        """SELECT game_id, instruments FROM market_matches
           WHERE status = 'matched' AND ($1::text[] IS NULL OR game_id = ANY($1::text[]))""",
        list(game_ids) if game_ids is not None else None,
    )
    return _instruments(rows)


def key_arrays(keys: Iterable[InstrumentKey]) -> tuple[list[str], list[str], list[str]]:
    """Three parallel arrays for ``unnest($1::text[], $2::text[], $3::text[])``."""
    venues, markets, outcomes = [], [], []
    for venue, market, outcome in keys:
        venues.append(venue)
        markets.append(market)
        outcomes.append(outcome)
    return venues, markets, outcomes
