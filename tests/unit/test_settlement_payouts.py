"""Reading a Polymarket resolution from Gamma's outcome prices."""

from __future__ import annotations

from decimal import Decimal

from services.position_tracker.settlement import polymarket_payouts

D = Decimal


def test_a_resolved_binary_market_pays_one_on_the_winner() -> None:
    assert polymarket_payouts(("a", "b"), (D("0"), D("1"))) == {"a": D("0"), "b": D("1")}


def test_a_fifty_fifty_resolution_pays_half_each() -> None:
    assert polymarket_payouts(("a", "b"), (D("0.5"), D("0.5"))) == {"a": D("0.5"), "b": D("0.5")}


def test_live_prices_are_not_a_resolution() -> None:
    assert polymarket_payouts(("a", "b"), (D("0.97"), D("0.03"))) is None
    assert polymarket_payouts(("a", "b"), (D("1"),)) is None
    assert polymarket_payouts((), ()) is None
