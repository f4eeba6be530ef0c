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


OTHER_SIDE = {"home": "away", "away": "home"}
DRAWS_POSSIBLE = frozenset({"soccer"})


def _matched(ref: dict[str, Any], game_id: str, sport: str | None) -> Matched:
    """Where a negated instrument pays on the other team (no draw possible), say so: its own price, not flipped.

    Kalshi's "BOS wins" ``no`` pays when Boston does not win; in a sport without draws that is the away team
    winning, so it is shown as the away result. In soccer "not home" is away *or* draw: it stays home-negated.
    """
    result, negated = str(ref["pays_on"]), bool(ref.get("negated", False))
    if negated and result in OTHER_SIDE and sport is not None and sport not in DRAWS_POSSIBLE:
        return Matched(game_id, OTHER_SIDE[result], False)
    return Matched(game_id, result, negated)


def _instruments(rows: Iterable[Any]) -> dict[InstrumentKey, Matched]:
    out: dict[InstrumentKey, Matched] = {}
    for r in rows:
        for ref in r["instruments"] or []:
            key = (str(ref["venue"]), str(ref["market_id"]), str(ref["outcome_id"]))
            out[key] = _matched(ref, r["game_id"], r["sport"])
    return out


async def matched_instruments(
    conn: asyncpg.Pool | asyncpg.Connection, game_ids: Sequence[str] | None = None
) -> dict[InstrumentKey, Matched]:
    """Every matched instrument (of ``game_ids`` when given) -> the game and result it pays on."""
    rows = await conn.fetch(
        """SELECT m.game_id, m.instruments, g.sport FROM market_matches m LEFT JOIN games g USING (game_id)
           WHERE m.status = 'matched' AND ($1::text[] IS NULL OR m.game_id = ANY($1::text[]))""",
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
