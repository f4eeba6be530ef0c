"""The legs of an arbitrage are approved for the same number of contracts (the smallest leg's)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.signal_processor.handlers import equal_legs
from services.signal_processor.risk import Approved, Denied
from shared.messages import SignalGenerated, SignalLeg, utc_now


def _signal() -> SignalGenerated:
    legs = tuple(
        SignalLeg(venue=v, market_id=m, outcome_id=o, side="buy", limit_price=Decimal(p), fee_per_contract=Decimal(f),
                  tick_size=Decimal("0.01"), available_quantity=Decimal(30))
        for v, m, o, p, f in (("kalshi", "KX-1", "yes", "0.45", "0.02"), ("polymarket", "0xc", "1", "0.50", "0.0125"))
    )  # fmt: skip
    return SignalGenerated(
        signal_id="s", strategy="arb", kind="arbitrage", game_id="g", legs=legs, edge_per_contract=Decimal("0.0175"),
        expires_at=utc_now() + timedelta(seconds=10),
    )  # fmt: skip


def test_both_legs_are_cut_to_the_smaller_approval_with_their_own_notional() -> None:
    out = equal_legs(_signal(), [Approved(Decimal(30), Decimal("14.1")), Approved(Decimal(12), Decimal("6.15"))])
    assert out == [Approved(Decimal(12), Decimal("5.640000")), Approved(Decimal(12), Decimal("6.150000"))]


def test_a_denied_leg_is_left_to_deny_the_signal() -> None:
    denied = Denied("game_limit", "no budget")
    assert equal_legs(_signal(), [Approved(Decimal(30), Decimal(1)), denied])[1] is denied
