"""Cross-venue arbitrage detection: complementary pairs by orientation, costs after both venues' fees."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.game_shard.arbitrage import arbitrage_signal, complementary, complementary_pairs
from shared.messages import FeeSpec, GameAssignment, InstrumentRef, MarketPriceUpdated, SignalGenerated, utc_now

KALSHI = FeeSpec(schedule="kalshi", fee_type="quadratic")
POLY = FeeSpec(schedule="polymarket", fee_type="taker", rate=Decimal("0.05"))
K_YES = InstrumentRef(venue="kalshi", market_id="KX-1", outcome_id="yes", pays_on="home", fees=KALSHI)
K_NO = InstrumentRef(venue="kalshi", market_id="KX-1", outcome_id="no", pays_on="home", negated=True, fees=KALSHI)
P_AWAY = InstrumentRef(venue="polymarket", market_id="0xc", outcome_id="111", pays_on="away", fees=POLY)
P_HOME = InstrumentRef(venue="polymarket", market_id="0xc", outcome_id="222", pays_on="home", fees=POLY)
P_HOME_NO = InstrumentRef(
    venue="polymarket", market_id="0xd", outcome_id="333", pays_on="home", negated=True, fees=POLY
)


def _top(i: InstrumentRef, ask: str, size: str = "40") -> MarketPriceUpdated:
    return MarketPriceUpdated(
        venue=i.venue, market_id=i.market_id, outcome_id=i.outcome_id, best_bid=Decimal(ask) - Decimal("0.02"),
        best_ask=Decimal(ask), ask_size=Decimal(size),
    )  # fmt: skip


def test_complements_follow_orientation_and_the_draw() -> None:
    assert complementary(K_YES, P_AWAY, "nba") and complementary(K_NO, P_HOME, "nba")
    assert not complementary(K_YES, P_HOME, "nba")
    # A match can be drawn: home YES and away win do not cover it; home YES and "not home" do.
    assert not complementary(K_YES, P_AWAY, "soccer") and complementary(K_YES, P_HOME_NO, "soccer")
    game = GameAssignment(
        game_id="g",
        sport="nba",
        league="nba",
        home_team="BOS",
        away_team="LAL",
        instruments=(K_YES, K_NO, P_AWAY, P_HOME),
    )
    assert {(a.key, b.key) for a, b in complementary_pairs(game)} == {(K_YES.key, P_AWAY.key), (K_NO.key, P_HOME.key)}


def _signal(ask_a: str, ask_b: str, size_b: str = "25") -> SignalGenerated | None:
    game = GameAssignment(
        game_id="g", sport="nba", league="nba", home_team="BOS", away_team="LAL", instruments=(K_YES, P_AWAY)
    )
    return arbitrage_signal(
        strategy="arb", game=game, pair=(K_YES, P_AWAY), tops=(_top(K_YES, ask_a), _top(P_AWAY, ask_b, size_b)),
        min_edge=Decimal("0.01"), now=utc_now(), ttl=timedelta(seconds=10),
    )  # fmt: skip


def test_an_arbitrage_after_both_fees_is_signalled_sized_to_the_smaller_book() -> None:
    signal = _signal("0.45", "0.50")
    assert signal is not None
    # Kalshi fee ceil(0.07 * 0.45 * 0.55) = 0.02; Polymarket 0.05 * 0.5 * 0.5 = 0.0125.
    assert signal.kind == "arbitrage" and signal.edge_per_contract == Decimal("0.0175")
    assert [leg.available_quantity for leg in signal.legs] == [Decimal(25), Decimal(25)]
    assert [leg.venue for leg in signal.legs] == ["kalshi", "polymarket"]


def test_fees_can_eat_the_whole_edge() -> None:
    assert _signal("0.47", "0.50") is None  # 0.97 + 0.02 + 0.0125 > 0.99
    assert _signal("0.55", "0.50") is None
