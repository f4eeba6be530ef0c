"""Signal handler: apply the risk gate under a per-game lock, record the intent, emit the decision."""

from __future__ import annotations

import logging
from decimal import Decimal

from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.risk import Approved, Denied, Limits, decide
from shared.bus import keys
from shared.db.uow import UnitOfWork
from shared.messages import Message, OrderDenied, SignalGenerated, SubmitOrder, derive_id, utc_now

log = logging.getLogger(__name__)


def limits_from(settings: SignalProcessorSettings) -> Limits:
    """Limits in dollars from settings in cents."""
    return Limits(
        max_trade_notional=Decimal(settings.max_trade_notional_cents) / 100,
        max_game_exposure=Decimal(settings.max_game_exposure_cents) / 100,
        max_contracts_per_order=settings.max_contracts_per_order,
        min_edge=Decimal(settings.min_edge_cents) / 100,
    )


async def trading_state(uow: UnitOfWork) -> str:
    """The persisted trading state; anything unreadable counts as halted (fail closed)."""
    value = await uow.conn.fetchval("SELECT value FROM risk_state WHERE key = 'trading_state'")
    if not isinstance(value, dict):
        return "halted"
    return str(value.get("state", "halted"))


async def game_exposure(uow: UnitOfWork, game_id: str) -> Decimal:
    """Notional of every approved intent on ``game_id`` (dollars)."""
    value = await uow.conn.fetchval(
        "SELECT COALESCE(SUM(notional), 0) FROM order_intents WHERE game_id = $1 AND decision = 'approved'",
        game_id,
    )
    return Decimal(value)


class SignalHandler:
    """Turns each signal into approved intents (``SubmitOrder``) or ``OrderDenied``."""

    def __init__(self, settings: SignalProcessorSettings) -> None:
        self.limits = limits_from(settings)

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, SignalGenerated)
        signal = message
        await uow.conn.execute("SELECT pg_advisory_xact_lock(hashtext('game:' || $1))", signal.game_id)
        state = await trading_state(uow)
        exposure = await game_exposure(uow, signal.game_id)
        now = utc_now()
        decisions: list[Approved | Denied] = []
        for leg in signal.legs:
            decision = decide(signal, leg, limits=self.limits, game_exposure=exposure, trading_state=state, now=now)
            if isinstance(decision, Approved):
                exposure += decision.notional
            decisions.append(decision)
        denial = next((d for d in decisions if isinstance(d, Denied)), None)
        for index in range(len(signal.legs)):
            intent_id = str(derive_id("intent", signal.signal_id, index))
            decision = decisions[index]
            if denial is not None:
                # Legs of one signal trade together: one refused leg refuses them all.
                await self._deny(uow, signal, index, intent_id, denial)
            else:
                assert isinstance(decision, Approved)
                await self._approve(uow, signal, index, intent_id, decision)

    async def _approve(
        self, uow: UnitOfWork, signal: SignalGenerated, index: int, intent_id: str, decision: Approved
    ) -> None:
        leg = signal.legs[index]
        client_order_id = f"arb-{derive_id('client-order', intent_id).hex[:24]}"
        inserted = await _insert_intent(
            uow, signal, index, intent_id, client_order_id, decision.quantity, decision.notional, None
        )
        if not inserted:
            return
        command: SubmitOrder = signal.caused(
            SubmitOrder,
            message_id=derive_id("submit", intent_id),
            intent_id=intent_id,
            client_order_id=client_order_id,
            signal_id=signal.signal_id,
            strategy=signal.strategy,
            game_id=signal.game_id,
            venue=leg.venue,
            market_id=leg.market_id,
            outcome_id=leg.outcome_id,
            side=leg.side,
            limit_price=leg.limit_price,
            quantity=decision.quantity,
            time_in_force="ioc",
            tick_size=leg.tick_size,
        )
        await uow.emit(keys.ORDER_SUBMIT, command)
        log.info(
            "intent approved",
            extra={
                "intent_id": intent_id,
                "client_order_id": client_order_id,
                "quantity": str(decision.quantity),
                "correlation_id": str(signal.correlation_id),
            },
        )

    async def _deny(self, uow: UnitOfWork, signal: SignalGenerated, index: int, intent_id: str, denial: Denied) -> None:
        leg = signal.legs[index]
        inserted = await _insert_intent(
            uow, signal, index, intent_id, f"denied-{intent_id}", Decimal(0), Decimal(0), denial
        )
        if not inserted:
            return
        event: OrderDenied = signal.caused(
            OrderDenied,
            message_id=derive_id("denied", intent_id),
            intent_id=intent_id,
            signal_id=signal.signal_id,
            game_id=signal.game_id,
            venue=leg.venue,
            market_id=leg.market_id,
            outcome_id=leg.outcome_id,
            reason_code=denial.code,
            reason=denial.reason,
        )
        await uow.emit(keys.ORDER_EVENTS, event)
        log.info("intent denied", extra={"intent_id": intent_id, "code": denial.code, "reason": denial.reason})


async def _insert_intent(
    uow: UnitOfWork,
    signal: SignalGenerated,
    index: int,
    intent_id: str,
    client_order_id: str,
    quantity: Decimal,
    notional: Decimal,
    denial: Denied | None,
) -> bool:
    leg = signal.legs[index]
    status = await uow.conn.execute(
        """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id,
               venue, market_id, outcome_id, side, limit_price, quantity, notional, decision, reason_code, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT DO NOTHING""",
        intent_id,
        client_order_id,
        signal.signal_id,
        index,
        signal.strategy,
        signal.game_id,
        leg.venue,
        leg.market_id,
        leg.outcome_id,
        leg.side,
        leg.limit_price,
        quantity,
        notional,
        "denied" if denial else "approved",
        denial.code if denial else None,
        denial.reason if denial else None,
    )
    return bool(status.endswith(" 1"))
