"""Seeding the simulator: demo markets and one market per replayed game, following its reference."""

from __future__ import annotations

import json
from decimal import Decimal

from markets.polymarket import parsing
from markets.sim.polymarket.routes_gamma import _market_json
from markets.sim.polymarket.seeding import seed_demo, seed_replay
from markets.sim.polymarket.state import build_state
from markets.sim.replay_types import ReplayClock, ReplayGame, ReplayPoint


def _game() -> ReplayGame:
    points = (
        ReplayPoint(0, "pre", 0, None, 0, 0, 0.60),
        ReplayPoint(0, "in", 1, 720, 0, 0, 0.60),
        ReplayPoint(1440, "in", 2, 720, 40, 60, 0.20),
        ReplayPoint(2880, "post", 4, 0, 90, 110, 0.0),
    )
    return ReplayGame(
        game_id="nba-20260101-bos-lal", sport="basketball", league="nba", home_team="Boston Celtics",
        away_team="Los Angeles Lakers", home_abbr="BOS", away_abbr="LAL", start_offset_s=100.0,
        points=points, home_won=False,
    )  # fmt: skip


def test_a_replayed_game_gets_a_market_that_follows_it_and_settles_at_the_end() -> None:
    now = [0.0]
    state = build_state(timeline=lambda: now[0])
    clock = ReplayClock(start_epoch_s=1_800_000_000, speed=10)
    (market,) = seed_replay(state, [_game()], clock)
    assert market.slug == "nba-lal-bos-2027-01-15" and market.outcomes == ("Los Angeles Lakers", "Boston Celtics")
    assert market.event.game_id == "nba-20260101-bos-lal"
    assert market.game_start_time is not None and market.game_start_time.timestamp() == 1_800_000_010
    gamma = parsing.gamma_market(parsing.loads(json.dumps(_market_json(state, market), default=str)))
    assert gamma.sports_market_type == "moneyline" and gamma.token_ids == market.token_ids

    def mid() -> Decimal:
        bid, ask = state.exchange.top(market.token_ids[0])
        assert bid is not None and ask is not None
        return (bid + ask) / 2

    assert abs(mid() - Decimal("0.40")) <= Decimal("0.05")  # away = 1 - P(home) = 0.40, with noise and lag
    now[0] = 100 + 1440 + 60  # past the lag: P(home) = 0.20
    state.makers.refresh(state.makers.books[market.condition_id])
    assert abs(mid() - Decimal("0.80")) <= Decimal("0.05")
    now[0] = 100 + 2880
    state.makers.refresh(state.makers.books[market.condition_id])
    assert market.closed and market.winner_index == 0  # the Lakers (away) won


def test_demo_markets_open_with_both_sides_quoted() -> None:
    state = build_state()
    markets = seed_demo(state)
    assert len(markets) == 5 and len({m.slug for m in markets}) == 5
    for market in markets:
        for token in market.token_ids:
            bid, ask = state.exchange.top(token)
            assert bid is not None and ask is not None and bid < ask
