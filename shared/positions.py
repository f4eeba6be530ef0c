"""Position arithmetic, pure and exact: average cost, realized P&L, marks and settlement.

Shared by the position tracker (which keeps positions) and the analytics report (which replays them).

A position holds ``quantity`` contracts of one outcome bought for ``cost_basis`` dollars (fees kept
apart in ``fees_paid``). Selling realizes ``quantity x (price - average cost)``; settlement pays
``payout`` per contract and realizes the rest. Net P&L = realized + unrealized - fees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from shared.prices import ZERO

_Q = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class PositionState:
    """One position's numbers."""

    quantity: Decimal = ZERO
    cost_basis: Decimal = ZERO
    fees_paid: Decimal = ZERO
    realized_pnl: Decimal = ZERO

    @property
    def avg_price(self) -> Decimal | None:
        """Average cost per contract, or ``None`` when flat."""
        if self.quantity == 0:
            return None
        return (self.cost_basis / self.quantity).quantize(_Q)


def apply_fill(state: PositionState, side: str, price: Decimal, quantity: Decimal, fee: Decimal) -> PositionState:
    """The position after a fill (buy adds at cost; sell realizes against the average cost)."""
    fees = state.fees_paid + fee
    if side == "buy":
        return replace(
            state,
            quantity=state.quantity + quantity,
            cost_basis=state.cost_basis + price * quantity,
            fees_paid=fees,
        )
    if quantity > state.quantity:
        raise ValueError(f"sell of {quantity} exceeds position {state.quantity} (short positions are not held)")
    avg = state.cost_basis / state.quantity
    released = (avg * quantity).quantize(_Q)
    return replace(
        state,
        quantity=state.quantity - quantity,
        cost_basis=state.cost_basis - released,
        fees_paid=fees,
        realized_pnl=state.realized_pnl + price * quantity - released,
    )


def unrealized(state: PositionState, mark: Decimal | None) -> Decimal | None:
    """Mark-to-market gain of what is held, or ``None`` without a mark."""
    if mark is None:
        return None
    return (state.quantity * mark - state.cost_basis).quantize(_Q)


def settle(state: PositionState, payout: Decimal) -> tuple[PositionState, Decimal, Decimal]:
    """Settle at ``payout`` per contract: (new state, proceeds, P&L of the settlement)."""
    proceeds = (state.quantity * payout).quantize(_Q)
    pnl = proceeds - state.cost_basis
    return (
        replace(state, quantity=ZERO, cost_basis=ZERO, realized_pnl=state.realized_pnl + pnl),
        proceeds,
        pnl,
    )
