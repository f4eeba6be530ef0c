"""Pre-trade risk (R21): pure decisions on one signal leg given the limits and the current exposure.

Checks, in order: a duplicate intent key (strategy, market, signal time), trading state (only ``active``
trades new risk; a reduce-only exit passes a halt), signal expiry, the order rate per rolling minute;
then, for an exit, the position it may reduce; for an entry, today's loss, the minimum edge after fees
and sizing — as many whole contracts as fit under the per-trade notional and the remaining per-game,
per-sport and total budgets, the per-market position, the contracts cap and the size shown at the
price. Fewer than one contract is a denial naming the limit that bound. Notional counts price plus fee
per contract, in dollars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from shared.messages import SignalGenerated, SignalLeg

_MICRO = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits in dollars / contracts; ``None`` is no limit."""

    max_trade_notional: Decimal
    max_game_exposure: Decimal
    max_contracts_per_order: int
    min_edge: Decimal
    max_sport_exposure: Decimal | None = None
    max_total_exposure: Decimal | None = None
    max_market_position: Decimal | None = None
    max_daily_loss: Decimal | None = None
    max_orders_per_minute: int | None = None


@dataclass(frozen=True, slots=True)
class Exposure:
    """What is already at risk when a leg is decided (dollars unless named otherwise).

    ``sport`` and ``total`` are open exposure (cost of open positions plus unfilled approved buys);
    ``market_contracts`` is held plus pending buys of the leg's outcome; ``reducible`` is held less
    pending sells; ``duplicate_of`` names an approved intent with the same key.
    """

    sport: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    market_contracts: Decimal = Decimal(0)
    reducible: Decimal = Decimal(0)
    daily_pnl: Decimal = Decimal(0)
    recent_submits: int = 0
    duplicate_of: str | None = None


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


def is_reduce_only(signal: SignalGenerated, leg: SignalLeg) -> bool:
    """True for a leg that may only reduce a position: marked so, or a sell of an exit signal."""
    return leg.reduce_only or (signal.kind == "exit" and leg.side == "sell")


def decide(
    signal: SignalGenerated,
    leg: SignalLeg,
    *,
    limits: Limits,
    game_exposure: Decimal,
    trading_state: str,
    now: datetime,
    exposure: Exposure | None = None,
    halt_reason: str = "",
) -> Approved | Denied:
    """Approve a size for ``leg`` or deny it with a reason."""
    ex = exposure or Exposure()
    reduce_only = is_reduce_only(signal, leg)
    if ex.duplicate_of is not None:
        return Denied("duplicate_intent", f"same strategy, market and signal time as intent {ex.duplicate_of}")
    if trading_state != "active" and not reduce_only:
        return Denied(
            "trading_halted", f"trading state is {trading_state}" + (f": {halt_reason}" if halt_reason else "")
        )
    if now > signal.expires_at:
        return Denied("signal_expired", f"signal expired at {signal.expires_at.isoformat()}")
    if limits.max_orders_per_minute is not None and ex.recent_submits >= limits.max_orders_per_minute:
        return Denied(
            "order_rate", f"{ex.recent_submits} orders in the last minute (limit {limits.max_orders_per_minute})"
        )
    if reduce_only:
        return _reduce(leg, limits, ex)
    if limits.max_daily_loss is not None and ex.daily_pnl <= -limits.max_daily_loss:
        return Denied("daily_loss_limit", f"today's P&L {ex.daily_pnl} at or beyond -{limits.max_daily_loss}")
    if signal.edge_per_contract < limits.min_edge:
        return Denied("edge_below_minimum", f"edge {signal.edge_per_contract} < {limits.min_edge}")
    return _size(leg, limits, game_exposure, ex)


def _reduce(leg: SignalLeg, limits: Limits, ex: Exposure) -> Approved | Denied:
    if leg.side != "sell":
        return Denied("invalid_reduce_only", "a reduce-only leg must sell")
    quantity = min(ex.reducible, Decimal(limits.max_contracts_per_order))
    if leg.available_quantity is not None:
        quantity = min(quantity, leg.available_quantity)
    quantity = quantity.to_integral_value(rounding=ROUND_FLOOR)
    if quantity < 1:
        return Denied("nothing_to_reduce", f"held less pending sells is {ex.reducible} contracts")
    return Approved(quantity=quantity, notional=(quantity * leg.limit_price).quantize(_MICRO))


def _size(leg: SignalLeg, limits: Limits, game_exposure: Decimal, ex: Exposure) -> Approved | Denied:
    unit_cost = leg.limit_price + leg.fee_per_contract
    if unit_cost <= 0:
        return Denied("invalid_price", "price plus fee must be positive")
    budgets: dict[str, tuple[Decimal, str]] = {
        "trade_limit": (limits.max_trade_notional, f"per-trade limit {limits.max_trade_notional}"),
        "game_limit": (
            limits.max_game_exposure - game_exposure,
            f"game exposure {game_exposure} of the limit {limits.max_game_exposure}",
        ),
    }
    if limits.max_sport_exposure is not None:
        budgets["sport_limit"] = (
            limits.max_sport_exposure - ex.sport,
            f"sport exposure {ex.sport} of the limit {limits.max_sport_exposure}",
        )
    if limits.max_total_exposure is not None:
        budgets["total_exposure_limit"] = (
            limits.max_total_exposure - ex.total,
            f"open exposure {ex.total} of the limit {limits.max_total_exposure}",
        )
    code, (budget, what) = min(budgets.items(), key=lambda item: item[1][0])
    if budget <= 0:
        return Denied(code, f"{what}: no budget left")
    caps: dict[str, Decimal] = {code: (budget / unit_cost).to_integral_value(rounding=ROUND_FLOOR)}
    if limits.max_market_position is not None:
        caps["market_limit"] = limits.max_market_position - ex.market_contracts
    caps["contracts_cap"] = Decimal(limits.max_contracts_per_order)
    if leg.available_quantity is not None:
        caps["size_shown"] = leg.available_quantity.to_integral_value(rounding=ROUND_FLOOR)
    binding, quantity = min(caps.items(), key=lambda item: item[1])
    if quantity < 1:
        if binding == "market_limit":
            return Denied(
                "market_limit",
                f"position {ex.market_contracts} contracts of the per-market limit {limits.max_market_position}",
            )
        if binding == "size_shown":
            return Denied("no_size", "less than one contract shown at the price")
        return Denied(code, f"{what}: budget {budget} buys less than one contract at {unit_cost}")
    return Approved(quantity=quantity, notional=(quantity * unit_cost).quantize(_MICRO))
