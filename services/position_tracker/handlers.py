"""Position-tracker handlers: fills and settlements change positions; prices change marks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.uow import UnitOfWork
from shared.messages import (
    MarketPriceUpdated,
    MarketSettled,
    Message,
    OrderFilled,
    PositionUpdated,
    derive_id,
)
from shared.positions import PositionState, apply_fill, settle, unrealized

log = logging.getLogger(__name__)


async def _load(uow: UnitOfWork, venue: str, market_id: str, outcome_id: str, paper: bool) -> Any:
    return await uow.conn.fetchrow(
        """SELECT * FROM positions WHERE venue = $1 AND market_id = $2 AND outcome_id = $3 AND paper = $4
           FOR UPDATE""",
        venue,
        market_id,
        outcome_id,
        paper,
    )


def _state(row: Any) -> PositionState:
    if row is None:
        return PositionState()
    return PositionState(row["quantity"], row["cost_basis"], row["fees_paid"], row["realized_pnl"])


async def mark_for(bus: MarketDataBus, venue: str, market_id: str, outcome_id: str) -> Decimal | None:
    """What a long position could be sold for now: the best bid."""
    top = await bus.latest(keys.MARKET_PRICE, f"{venue}:{market_id}:{outcome_id}")
    return top.best_bid if isinstance(top, MarketPriceUpdated) else None


class FillHandler:
    """Applies each fill once to its position."""

    def __init__(self, bus: MarketDataBus, on_applied: Callable[[], None] | None = None) -> None:
        self._bus = bus
        self._on_applied = on_applied

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, OrderFilled)
        fill = message
        row = await _load(uow, fill.venue, fill.market_id, fill.outcome_id, fill.paper)
        state = apply_fill(_state(row), fill.side, fill.price, fill.quantity, fill.fee)
        mark = await mark_for(self._bus, fill.venue, fill.market_id, fill.outcome_id)
        status = "open" if state.quantity > 0 else "closed"
        await uow.conn.execute(
            """INSERT INTO positions (venue, market_id, outcome_id, game_id, paper, quantity, cost_basis, fees_paid,
                   realized_pnl, mark_price, unrealized_pnl, status)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
               ON CONFLICT (venue, market_id, outcome_id, paper) DO UPDATE SET
                   quantity = EXCLUDED.quantity, cost_basis = EXCLUDED.cost_basis, fees_paid = EXCLUDED.fees_paid,
                   realized_pnl = EXCLUDED.realized_pnl, mark_price = EXCLUDED.mark_price,
                   unrealized_pnl = EXCLUDED.unrealized_pnl, status = EXCLUDED.status, updated_at = now()""",
            fill.venue,
            fill.market_id,
            fill.outcome_id,
            fill.game_id,
            fill.paper,
            state.quantity,
            state.cost_basis,
            state.fees_paid,
            state.realized_pnl,
            mark,
            unrealized(state, mark),
            status,
        )
        await uow.emit(keys.POSITIONS, _update(fill, fill.game_id, state, mark, status, fill.paper))
        if self._on_applied is not None:
            self._on_applied()


class SettlementHandler:
    """Settles every position in a resolved market at its payout."""

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, MarketSettled)
        rows = await uow.conn.fetch(
            "SELECT * FROM positions WHERE venue = $1 AND market_id = $2 AND status <> 'settled' FOR UPDATE",
            message.venue,
            message.market_id,
        )
        for row in rows:
            payout = message.payouts.get(row["outcome_id"])
            if payout is None:
                log.error(
                    "settlement has no payout for a held outcome",
                    extra={"market_id": message.market_id, "outcome_id": row["outcome_id"]},
                )
                continue
            state, proceeds, pnl = settle(_state(row), payout)
            await uow.conn.execute(
                """INSERT INTO settlements (venue, market_id, outcome_id, paper, payout, quantity, proceeds, pnl,
                       settled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""",
                row["venue"],
                row["market_id"],
                row["outcome_id"],
                row["paper"],
                payout,
                row["quantity"],
                proceeds,
                pnl,
                message.ts_event,
            )
            await uow.conn.execute(
                """UPDATE positions SET quantity = 0, cost_basis = 0, realized_pnl = $5, mark_price = $6,
                       unrealized_pnl = 0, status = 'settled', updated_at = now()
                   WHERE venue = $1 AND market_id = $2 AND outcome_id = $3 AND paper = $4""",
                row["venue"],
                row["market_id"],
                row["outcome_id"],
                row["paper"],
                state.realized_pnl,
                payout,
            )
            await uow.emit(
                keys.POSITIONS,
                _update(
                    message,
                    row["game_id"],
                    state,
                    payout,
                    "settled",
                    row["paper"],
                    market=(row["venue"], row["market_id"], row["outcome_id"]),
                ),
            )
            log.info("position settled", extra={"market_id": row["market_id"], "pnl": str(pnl)})


def _update(
    cause: Message,
    game_id: str,
    state: PositionState,
    mark: Decimal | None,
    status: str,
    paper: bool,
    market: tuple[str, str, str] | None = None,
) -> PositionUpdated:
    if market is None:
        assert isinstance(cause, OrderFilled)
        market = (cause.venue, cause.market_id, cause.outcome_id)
    venue, market_id, outcome_id = market
    update: PositionUpdated = cause.caused(
        PositionUpdated,
        message_id=derive_id("position", cause.message_id, venue, market_id, outcome_id, paper),
        venue=venue,
        market_id=market_id,
        outcome_id=outcome_id,
        game_id=game_id,
        quantity=state.quantity,
        avg_price=state.avg_price,
        cost_basis=state.cost_basis,
        fees_paid=state.fees_paid,
        realized_pnl=state.realized_pnl,
        mark_price=mark,
        unrealized_pnl=unrealized(state, mark) if status != "settled" else Decimal(0),
        status=status,
        paper=paper,
    )
    return update
