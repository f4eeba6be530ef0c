"""Pre-trade risk: pure decisions on one signal leg given the limits and the current exposure.

Checks, in order: trading state (only ``active`` trades), signal expiry, minimum edge after fees,
then sizing — as many whole contracts as fit under the per-trade notional, the remaining per-game
budget, the contracts cap and the size shown at the price. Fewer than one contract is a denial.
Notional counts price plus fee per contract, in dollars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from shared.messages import SignalGenerated, SignalLeg


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits in dollars / contracts."""

    max_trade_notional: Decimal
    max_game_exposure: Decimal
    max_contracts_per_order: int
    min_edge: Decimal


@dataclass(frozen=True, slots=True)
class Approved:
    """Trade ``quantity`` contracts; ``notional`` is what it may cost, fees included."""

    quantity: Decimal
    notional: Decimal


@dataclass(frozen=True, slots=True)
class Denied:
    """Refused, with a machine code and a sentence for people."""

    code: str
    reason: str


def decide(
    signal: SignalGenerated,
    leg: SignalLeg,
    *,
    limits: Limits,
    game_exposure: Decimal,
    trading_state: str,
    now: datetime,
) -> Approved | Denied:
    """Approve a size for ``leg`` or deny it with a reason."""
    if trading_state != "active":
        return Denied("trading_halted", f"trading state is {trading_state}")
    if now > signal.expires_at:
        return Denied("signal_expired", f"signal expired at {signal.expires_at.isoformat()}")
    if signal.edge_per_contract < limits.min_edge:
        return Denied("edge_below_minimum", f"edge {signal.edge_per_contract} < {limits.min_edge}")
    unit_cost = leg.limit_price + leg.fee_per_contract
    if unit_cost <= 0:
        return Denied("invalid_price", "price plus fee must be positive")
    budget = min(limits.max_trade_notional, limits.max_game_exposure - game_exposure)
    if budget <= 0:
        return Denied(
            "game_limit",
            f"game exposure {game_exposure} already at the limit {limits.max_game_exposure}",
        )
    quantity = (budget / unit_cost).to_integral_value(rounding=ROUND_FLOOR)
    quantity = min(quantity, Decimal(limits.max_contracts_per_order))
    if leg.available_quantity is not None:
        quantity = min(quantity, leg.available_quantity.to_integral_value(rounding=ROUND_FLOOR))
    if quantity < 1:
        code = "trade_limit" if budget == limits.max_trade_notional else "game_limit"
        return Denied(code, f"budget {budget} buys less than one contract at {unit_cost}")
    return Approved(quantity=quantity, notional=(quantity * unit_cost).quantize(Decimal("0.000001")))
