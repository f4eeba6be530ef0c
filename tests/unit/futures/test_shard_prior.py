"""The game shard's prior: the futures monitor's hand-off line wins over the mid the shard saw itself, and it
moves the model's probability of a game without ESPN odds."""

from __future__ import annotations

from decimal import Decimal

from services.game_shard.book import ShardBook
from services.game_shard.pricing import price
from shared.messages import AssignShard, FeeSpec, GameAssignment, GameStateUpdated, InstrumentRef, MarketPriceUpdated

GAME, TICKER = "nba-prior-1", "KXNBAGAME-26NOV23LALBOS-BOS"
YES = InstrumentRef(venue="kalshi", market_id=TICKER, outcome_id="yes", pays_on="home", fees=FeeSpec(schedule="kalshi"))


def _book() -> ShardBook:
    book = ShardBook()
    game = GameAssignment(game_id=GAME, sport="nba", league="nba", home_team="BOS", away_team="LAL", instruments=(YES,))
    book.assign(AssignShard(shard_id="0", games=(game,)))
    return book


def _state() -> GameStateUpdated:
    return GameStateUpdated(
        game_id=GAME, sport="nba", league="nba", home_team="BOS", away_team="LAL", status="in",
        period=1, clock_seconds=600.0, home_score=2, away_score=2,
    )  # fmt: skip


def test_the_handed_off_line_is_the_prior_over_the_shards_own_pre_game_mid() -> None:
    book = _book()
    assert book.prior_home_prob(GAME) is None
    top = MarketPriceUpdated(venue="kalshi", market_id=TICKER, outcome_id="yes", best_bid="0.40", best_ask="0.42")
    book.note_pregame_price(top)
    assert book.prior_home_prob(GAME) == float(Decimal("0.41"))
    book.handed_off_home_prob[GAME] = 0.72
    assert book.prior_home_prob(GAME) == 0.72


def test_the_prior_moves_the_models_probability_of_a_game_without_espn_odds() -> None:
    low, high = price(_state(), 0.30), price(_state(), 0.80)
    assert low.home < 0.45 < 0.6 < high.home
    assert price(_state(), None).home != high.home
