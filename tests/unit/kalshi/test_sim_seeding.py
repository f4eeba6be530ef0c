"""Seeding the simulator: demo markets with two-sided liquidity, and one market per replayed game."""

from __future__ import annotations

import argparse
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from markets.sim.common.makers import MakerParams
from markets.sim.kalshi.cli import build_state
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.makers import MakerDesk
from markets.sim.kalshi.seeding import seed_demo, seed_replay
from markets.sim.replay_types import ReplayClock, ReplayGame, ReplayPoint

D = Decimal
TICKER_RE = re.compile(r"^KX[A-Z]+GAME-\d{2}[A-Z]{3}\d{2}[A-Z0-9]+-[A-Z0-9]+$")
WINPROB = Path("/work/shared/data/winprob")


def _game(game_id: str, offset: float) -> ReplayGame:
    points = (
        ReplayPoint(0, "pre", 0, None, 0, 0, 0.60),
        ReplayPoint(100, "in", 2, 300.0, 50, 40, 0.80),
        ReplayPoint(200, "post", 4, 0.0, 101, 90, 1.0),
    )
    return ReplayGame(
        game_id, "basketball", "nba", "Boston Celtics", "Los Angeles Lakers", "BOS", "LAL", offset, points, True
    )


def test_demo_markets_have_two_sided_books_that_mirror_each_other() -> None:
    exchange = KalshiExchange()
    desk = MakerDesk(exchange)
    tickers = seed_demo(exchange, desk, seed=3)
    assert len(tickers) == 6 and all(TICKER_RE.match(t) for t in tickers)
    assert {exchange.events[m.event_ticker].series_ticker for m in exchange.markets.values()} == {
        "KXNBAGAME", "KXNFLGAME", "KXNHLGAME",
    }  # fmt: skip
    for ticker in tickers:
        yes, no = exchange.markets[ticker].aggregated()
        assert yes and no and max(yes) + max(no) < 1, ticker  # both sides, not crossed
    home, away = exchange.markets[tickers[0]], exchange.markets[tickers[1]]
    assert (home.yes_sub_title, away.yes_sub_title) == ("Boston", "Los Angeles L")
    home_bid = max(home.aggregated()[0])
    away_ask = 1 - max(away.aggregated()[1])
    assert abs((1 - home_bid) - away_ask) <= D("0.05")  # the away market quotes the complement


def test_replayed_game_is_quoted_around_its_reference_and_settles_when_over() -> None:
    exchange = KalshiExchange()
    desk = MakerDesk(exchange)
    clock = ReplayClock(start_epoch_s=time.time() - 150, speed=1.0)
    params = MakerParams(lag_s=0.0, noise_sd=0.0, half_spread=D("0.01"), size=D(50), levels=2)
    opened = seed_replay(exchange, desk, [_game("live", 0.0), _game("done", -500.0)], clock, params=params)
    live, done = sorted(opened, key=lambda t: opened[t] != "live")
    assert opened[live] == "live" and TICKER_RE.match(live) and live.endswith("-BOS")
    yes, no = exchange.markets[live].aggregated()
    assert max(yes) == D("0.79") and 1 - max(no) == D("0.81")  # reference 0.80 at t = 150 s
    assert exchange.markets[live].status == "active"
    assert (exchange.markets[done].status, exchange.markets[done].result) == ("finalized", "yes")


@pytest.mark.skipif(not WINPROB.is_dir(), reason="shared winprob data not present")
def test_cli_replay_seeding_from_recorded_games() -> None:
    args = argparse.Namespace(
        api_key_id=[], public_key=[], max_clock_skew_s=5.0, balance_cents=100, demo_markets=False,
        replay_data=WINPROB, speed=60.0, start_at=None, sports=["nba", "nhl"], limit=2, seed=0,
    )  # fmt: skip
    state = build_state(args)
    assert len(state.game_ids) == len(state.exchange.markets) == 4
    assert {t.split("-")[0] for t in state.exchange.markets} == {"KXNBAGAME", "KXNHLGAME"}
    assert all(m.status in ("active", "finalized") for m in state.exchange.markets.values())
    assert any(m.aggregated()[0] for m in state.exchange.markets.values() if m.status == "active")
