"""Settlement against ESPN's final score: a venue paying out differently from the game's result raises an alert.

The venue's settlement is what pays (positions settle on it regardless); a disagreement with ESPN's
final score means a mismatched market, a rule we misread, or a data error, and someone must look. For
each instrument discovery matched to the market, the payout the final score implies (1 if the game
result it pays on happened, reversed when negated) is compared with what the venue paid.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import asyncpg

from shared.messages import InstrumentRef, MarketSettled

log = logging.getLogger(__name__)
ONE, ZERO = Decimal(1), Decimal(0)


def implied_payout(instrument: InstrumentRef, result: str) -> Decimal:
    """What ``instrument`` pays when the game's result is ``result`` (``home``/``away``/``draw``)."""
    won = instrument.pays_on == result
    return ONE if won != instrument.negated else ZERO


async def espn_disagreements(conn: asyncpg.Connection | asyncpg.Pool, settled: MarketSettled) -> list[str]:
    """Sentences describing each outcome the venue paid differently from ESPN's final (empty: agrees or unknown)."""
    match = await conn.fetchrow(
        "SELECT game_id, instruments FROM market_matches WHERE venue = $1 AND market_id = $2 AND status = 'matched'",
        settled.venue,
        settled.market_id,
    )
    if match is None:
        return []
    final = await conn.fetchrow(
        """SELECT status, home_score, away_score FROM game_states WHERE game_id = $1
           ORDER BY ts DESC LIMIT 1""",
        match["game_id"],
    )
    if final is None or final["status"] != "post":
        return []
    home, away = final["home_score"], final["away_score"]
    result = "home" if home > away else "away" if away > home else "draw"
    problems = []
    for raw in match["instruments"]:
        instrument = InstrumentRef.model_validate(raw)
        paid = settled.payouts.get(instrument.outcome_id)
        if paid is None:
            continue
        expected = implied_payout(instrument, result)
        if paid != expected:
            problems.append(
                f"{settled.venue} {settled.market_id} {instrument.outcome_id} paid {paid} but ESPN's final "
                f"{home}-{away} ({result}) implies {expected}"
            )
    return problems


async def alert_on_disagreement(conn: asyncpg.Connection | asyncpg.Pool, settled: MarketSettled) -> list[str]:
    """Log an alert line for every disagreement; return them."""
    problems = await espn_disagreements(conn, settled)
    for problem in problems:
        log.error("ALERT settlement disagrees with ESPN", extra={"alert": True, "problem": problem})
    return problems
