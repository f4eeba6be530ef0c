"""A venue settlement that disagrees with ESPN's final score raises an alert (and agreeing ones do not)."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

import pytest

from services.discovery_coordinator import store
from services.discovery_coordinator.catalogue import MarketMatch
from services.position_tracker.crosscheck import alert_on_disagreement
from shared.messages import FeeSpec, InstrumentRef, MarketSettled, utc_now
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
TICKER = "KXNBAGAME-26DEC03LALBOS-LAL"


async def _seed(infra: Infra, status: str) -> None:
    fees = FeeSpec(schedule="kalshi")
    common = {"venue": "kalshi", "market_id": TICKER, "pays_on": "away", "fees": fees}
    match = MarketMatch(
        "g-x", "kalshi", TICKER, "matched", 1.0, ("test",), "KXNBAGAME-26DEC03LALBOS", "", None, "no",
        (InstrumentRef(outcome_id="yes", **common), InstrumentRef(outcome_id="no", negated=True, **common)),
    )  # fmt: skip
    async with infra.pool.acquire() as conn:
        await store.upsert_matches(conn, [match])
        await conn.execute(
            """INSERT INTO game_states (game_id, ts, sport, league, status, period, clock_seconds, home_team,
                   away_team, home_score, away_score, payload)
               VALUES ('g-x', $1, 'nba', 'nba', $2, 4, 0, 'BOS', 'LAL', 101, 99, '{}')""",
            utc_now() - timedelta(seconds=1),
            status,
        )


def _settled(yes: str) -> MarketSettled:
    return MarketSettled(venue="kalshi", market_id=TICKER, payouts={"yes": Decimal(yes), "no": 1 - Decimal(yes)})


async def test_a_payout_against_the_final_score_raises_an_alert(infra: Infra, caplog: pytest.LogCaptureFixture) -> None:
    await _seed(infra, "post")
    with caplog.at_level(logging.ERROR, logger="services.position_tracker.crosscheck"):
        problems = await alert_on_disagreement(infra.pool, _settled("1"))  # YES = away (LAL), but BOS won
    assert len(problems) == 2 and "101-99 (home)" in problems[0]
    assert any(r.getMessage().startswith("ALERT") for r in caplog.records)
    assert await alert_on_disagreement(infra.pool, _settled("0")) == []


async def test_no_alert_before_the_game_is_final(infra: Infra) -> None:
    await _seed(infra, "in")
    assert await alert_on_disagreement(infra.pool, _settled("1")) == []
