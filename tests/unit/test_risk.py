"""The pre-trade risk decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.signal_processor.risk import Approved, Denied, Limits, decide
from shared.messages import SignalGenerated, SignalLeg

D = Decimal
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
LIMITS = Limits(max_trade_notional=D(20), max_game_exposure=D(50), max_contracts_per_order=1000, min_edge=D("0.01"))


def _signal(
    price: str = "0.62", fee: str = "0.02", available: str | None = "500", edge: str = "0.3"
) -> SignalGenerated:
    return SignalGenerated(
        signal_id="s",
        strategy="t",
        kind="model_edge",
        game_id="g",
        legs=(
            SignalLeg(
                venue="kalshi",
                market_id="m",
                outcome_id="yes",
                side="buy",
                limit_price=D(price),
                available_quantity=D(available) if available else None,
                fee_per_contract=D(fee),
                tick_size=D("0.01"),
            ),
        ),
        edge_per_contract=D(edge),
        expires_at=NOW + timedelta(seconds=10),
    )


def _decide(
    signal: SignalGenerated, exposure: str = "0", state: str = "active", now: datetime = NOW
) -> Approved | Denied:
    return decide(signal, signal.legs[0], limits=LIMITS, game_exposure=D(exposure), trading_state=state, now=now)


def test_sizes_to_the_per_trade_limit_including_fees() -> None:
    decision = _decide(_signal())
    assert decision == Approved(quantity=D(31), notional=D("19.840000"))


def test_per_game_limit_shrinks_then_denies() -> None:
    assert _decide(_signal(), exposure="45") == Approved(quantity=D(7), notional=D("4.480000"))
    denied = _decide(_signal(), exposure="50")
    assert isinstance(denied, Denied) and denied.code == "game_limit"
    denied = _decide(_signal(), exposure="49.50")
    assert isinstance(denied, Denied) and denied.code == "game_limit"


def test_size_shown_at_the_price_caps_the_order() -> None:
    assert _decide(_signal(available="5")) == Approved(quantity=D(5), notional=D("3.200000"))


def test_halted_expired_and_thin_edges_are_denied() -> None:
    assert _decide(_signal(), state="halted") == Denied("trading_halted", "trading state is halted")
    expired = _decide(_signal(), now=NOW + timedelta(seconds=11))
    assert isinstance(expired, Denied) and expired.code == "signal_expired"
    thin = _decide(_signal(edge="0.005"))
    assert isinstance(thin, Denied) and thin.code == "edge_below_minimum"


def test_a_price_too_high_for_one_contract_is_denied() -> None:
    tight = Limits(max_trade_notional=D("0.50"), max_game_exposure=D(50), max_contracts_per_order=10, min_edge=D(0))
    signal = _signal()
    decision = decide(signal, signal.legs[0], limits=tight, game_exposure=D(0), trading_state="active", now=NOW)
    assert isinstance(decision, Denied) and decision.code == "trade_limit"
