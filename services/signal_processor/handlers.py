"""Signal handler: apply the risk gate in memory, record the signal and its intents, emit the decision.

The figures come from the :class:`~services.signal_processor.risk_book.RiskBook` (a database snapshot
plus this gate's own approvals), so a decision reads nothing from the database: the signal's one
transaction writes the signal, the intents and their outgoing messages, and is the only commit between a
price tick and the order (the intent is persisted once, here, before anything can be sent). Decisions
are serialized by the one active gate (the service holds the gate's lock, see ``service``). An exception
inside the risk code halts trading (fail closed, R18) and denies the signal's intents with
``risk_error``; nothing is left to be retried into the dead letters.
"""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal

from services.signal_processor import exposure as queries
from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.risk import Approved, Denied, Exposure, Limits, decide, is_reduce_only
from services.signal_processor.risk_book import OwnApproval, RiskBook, dup_key, leg_key
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.uow import UnitOfWork
from shared.messages import (
    Message,
    OrderDenied,
    SignalGenerated,
    SignalLeg,
    SubmitOrder,
    derive_id,
    encode,
    utc_now,
)
from shared.tracing import TRACE
from shared.trading_state import TradingState, halt

log = logging.getLogger(__name__)
HALT_SOURCE = "signal_processor:risk_error"


def limits_from(settings: SignalProcessorSettings) -> Limits:
    """Limits in dollars from settings in cents."""
    return Limits(
        max_trade_notional=Decimal(settings.max_trade_notional_cents) / 100,
        max_game_exposure=Decimal(settings.max_game_exposure_cents) / 100,
        max_contracts_per_order=settings.max_contracts_per_order,
        min_edge=Decimal(settings.min_edge_cents) / 100,
        max_sport_exposure=Decimal(settings.max_sport_exposure_cents) / 100,
        max_total_exposure=Decimal(settings.max_total_exposure_cents) / 100,
        max_market_position=Decimal(settings.max_market_position_contracts),
        max_daily_loss=Decimal(settings.max_daily_loss_cents) / 100,
        max_orders_per_minute=settings.max_orders_per_minute,
    )


def equal_legs(signal: SignalGenerated, decisions: list[Approved | Denied]) -> list[Approved | Denied]:
    """The legs of an arbitrage trade the same number of contracts: each approved leg cut to the smallest."""
    sizes = [d.quantity for d in decisions if isinstance(d, Approved)]
    if len(sizes) != len(decisions) or not sizes:
        return decisions
    size = min(sizes)
    return [
        Approved(
            quantity=size, notional=(size * (leg.limit_price + leg.fee_per_contract)).quantize(Decimal("0.000001"))
        )
        for leg in signal.legs
    ]


class SignalHandler:
    """Turns each signal into approved intents (``SubmitOrder``) or ``OrderDenied``."""

    def __init__(self, settings: SignalProcessorSettings, *, bus: MarketDataBus | None = None) -> None:
        self.limits = limits_from(settings)
        self.paper = settings.trading_mode == "paper"
        self.bus = bus
        self.book = RiskBook(self.paper, settings.risk_refresh_s, settings.risk_max_age_s)

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, SignalGenerated)
        signal = message
        try:
            if self.book.stale():
                async with uow.conn.transaction():  # a savepoint: a failed read leaves the unit of work usable
                    await self.book.refresh(uow.conn, utc_now())
            decisions = await self._decide_all(uow, signal)
        except Exception as e:  # noqa: BLE001 - fail closed: an exception in risk code halts trading
            decisions = await self._fail_closed(uow, signal, e)
        if signal.kind == "arbitrage":
            decisions = equal_legs(signal, decisions)
        denial = next((d for d in decisions if isinstance(d, Denied)), None)
        if denial is None:
            self._count(uow, signal, decisions)
        for index in range(len(signal.legs)):
            intent_id = str(derive_id("intent", signal.signal_id, index))
            decision = decisions[index]
            if denial is not None:
                # Legs of one signal trade together: one refused leg refuses them all.
                await self._deny(uow, signal, index, intent_id, denial)
            else:
                assert isinstance(decision, Approved)
                await self._approve(uow, signal, index, intent_id, decision)

    def _count(self, uow: UnitOfWork, signal: SignalGenerated, decisions: list[Approved | Denied]) -> None:
        """Count the approved legs in the book now; their commit (or rollback) settles them."""
        if self.book.snapshot is None:  # no figures were read: the decision was a denial
            return
        now = utc_now()
        sport = self.book.sport_of(signal.game_id) or "unknown"
        own = [
            OwnApproval(
                game_id=signal.game_id,
                sport=sport,
                key=leg_key(leg),
                side=leg.side,
                quantity=d.quantity,
                notional=d.notional if leg.side == "buy" and not is_reduce_only(signal, leg) else Decimal(0),
                dup=dup_key(signal, leg),
                intent_id=str(derive_id("intent", signal.signal_id, index)),
                signal_id=signal.signal_id,
                decided_at=now,
            )  # fmt: skip
            for index, (leg, d) in enumerate(zip(signal.legs, decisions, strict=True))
            if isinstance(d, Approved)
        ]
        if not own:
            return
        for approval in own:
            self.book.add(approval)
        uow.on_commit(lambda: self.book.committed(own))
        uow.on_rollback(lambda: self.book.rolled_back(own))

    async def _decide_all(self, uow: UnitOfWork, signal: SignalGenerated) -> list[Approved | Denied]:
        book = self.book
        sport = book.sport_of(signal.game_id)
        if sport is None:
            sport = await queries.sport_of(uow.conn, signal.game_id)
            book.learn_sport(signal.game_id, sport)
        game = book.game_exposure(signal.game_id)
        state = book.trading
        now = utc_now()
        decisions: list[Approved | Denied] = []
        approved: list[tuple[SignalLeg, Approved]] = []
        for leg in signal.legs:
            ex = _with_approved(book.exposure(signal, leg, sport, now), leg, approved)
            decision = decide(
                signal, leg, limits=self.limits, game_exposure=game, trading_state=state.state, now=now,
                exposure=ex, halt_reason=state.reason,
            )  # fmt: skip
            if isinstance(decision, Approved):
                approved.append((leg, decision))
                if leg.side == "buy" and not is_reduce_only(signal, leg):
                    game += decision.notional
            decisions.append(decision)
        return decisions

    async def _fail_closed(self, uow: UnitOfWork, signal: SignalGenerated, error: Exception) -> list[Approved | Denied]:
        reason = f"exception in risk code ({type(error).__name__}: {error}) on signal {signal.signal_id}"
        log.critical(
            "ALERT: risk check failed; halting trading",
            exc_info=error,
            extra={"signal_id": signal.signal_id, "correlation_id": str(signal.correlation_id)},
        )
        await halt(uow.conn, reason, HALT_SOURCE, bus=self.bus)
        if self.book.snapshot is not None:  # halted for the next decision already, before the bus says so
            self.book.set_trading(TradingState("halted", reason, HALT_SOURCE, None))
        denied = Denied("risk_error", f"{reason}; trading halted")
        return [denied for _ in signal.legs]

    async def _approve(
        self, uow: UnitOfWork, signal: SignalGenerated, index: int, intent_id: str, decision: Approved
    ) -> None:
        leg = signal.legs[index]
        client_order_id = f"arb-{derive_id('client-order', intent_id).hex[:24]}"
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
            reduce_only=is_reduce_only(signal, leg),
            expires_at=signal.expires_at,
        )
        inserted = await _record(
            uow, signal, index, intent_id, client_order_id, decision.quantity, decision.notional, None,
            (keys.ORDER_SUBMIT, command),
        )  # fmt: skip
        if not inserted:
            return
        TRACE.link("signal->submit", signal.message_id, command.message_id)
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
        inserted = await _record(
            uow, signal, index, intent_id, f"denied-{intent_id}", Decimal(0), Decimal(0), denial,
            (keys.ORDER_EVENTS, event),
        )  # fmt: skip
        if not inserted:
            return
        log.info("intent denied", extra={"intent_id": intent_id, "code": denial.code, "reason": denial.reason})


# One statement (one round trip): the signal (once), the intent, and its outgoing message only if the intent
# is new (a redelivered signal writes and sends nothing).
_RECORD = """
WITH sig AS (
    INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract, model_probability,
                         payload)
    VALUES ($3, $17, $18, $5, $19, $6, $20, $21, $22) ON CONFLICT DO NOTHING
), intent AS (
    INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id,
           venue, market_id, outcome_id, side, limit_price, quantity, notional, decision, reason_code, reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT DO NOTHING RETURNING intent_id
), out AS (
    INSERT INTO outbox (stream, msg_type, message_id, payload)
    SELECT $23, $24, $25, $26 WHERE EXISTS (SELECT 1 FROM intent)
    ON CONFLICT (message_id) DO NOTHING
)
SELECT count(*) FROM intent
"""


async def _record(
    uow: UnitOfWork,
    signal: SignalGenerated,
    index: int,
    intent_id: str,
    client_order_id: str,
    quantity: Decimal,
    notional: Decimal,
    denial: Denied | None,
    outgoing: tuple[str, Message],
) -> bool:
    """Store the signal, the intent and its outgoing message; False when the intent was stored already."""
    leg = signal.legs[index]
    stream, message = outgoing
    payload = encode(message)
    inserted = await uow.conn.fetchval(
        _RECORD,
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
        signal.message_id,
        signal.ts_event,
        signal.kind,
        signal.edge_per_contract,
        signal.model_probability,
        signal.model_dump(mode="json"),
        stream,
        message.type,
        message.message_id,
        payload,
    )
    if not inserted:
        return False
    uow.emitted_by_caller(stream, message, payload)
    return True


def _with_approved(ex: Exposure, leg: SignalLeg, approved: list[tuple[SignalLeg, Approved]]) -> Exposure:
    """``ex`` plus the legs of the same signal approved before ``leg`` (not stored yet)."""
    key = (leg.venue, leg.market_id, leg.outcome_id)
    same = [
        (other.side, d.quantity) for other, d in approved if (other.venue, other.market_id, other.outcome_id) == key
    ]
    added = sum((d.notional for other, d in approved if other.side == "buy"), Decimal(0))
    return dataclasses.replace(
        ex,
        sport=ex.sport + added,
        total=ex.total + added,
        market_contracts=ex.market_contracts + sum((q for side, q in same if side == "buy"), Decimal(0)),
        reducible=ex.reducible - sum((q for side, q in same if side == "sell"), Decimal(0)),
        recent_submits=ex.recent_submits + len(approved),
    )
