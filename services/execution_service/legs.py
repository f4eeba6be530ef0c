"""Legs that must trade together (arbitrage): a leg left alone is hedged or unwound within a bound.

Both legs of an arbitrage are sent at once (each venue has its own queue). When every order of the
signal is final — or ``bound_s`` after the first of them, whichever comes first — the filled quantities
are compared. Equal: done. One leg short: **hedge** — buy the missing contracts of the short leg again
at up to ``hedge_cap`` worse than its original limit, while the latest ask allows it and attempts
remain; otherwise **unwind** — sell the excess of the long leg at its best bid (reduce-only). Each step
is an ordinary approved intent (same signal id, leg index ``100·attempt + leg`` for a hedge, ``900 +
10·attempt + leg`` for an unwind) with its own ``client_order_id``, sent through the submit stream, so
the ledger records it and the halt gate applies (while halted a hedge is refused and the next pass
unwinds). When ``unwind_attempts`` unwinds have not flattened the legs, an ALERT is logged and trading
halted: a naked leg is never left silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.uow import Store, UnitOfWork
from shared.messages import MarketPriceUpdated, SubmitOrder, derive_id, utc_now
from shared.orders.state import TERMINAL, OrderStatus
from shared.trading_state import halt

log = logging.getLogger(__name__)
HEDGE_BASE, UNWIND_BASE = 100, 900


@dataclass(frozen=True, slots=True)
class LegRules:
    """How long a leg may stay alone, how much worse a hedge may pay, how many hedges to try."""

    bound_s: float
    hedge_cap: Decimal
    hedge_attempts: int
    unwind_attempts: int = 3
    lookback: timedelta = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Leg:
    """One order of a multi-leg signal (original leg, hedge or unwind) and where it stands."""

    intent_id: str
    signal_id: str
    leg_index: int
    strategy: str
    game_id: str
    venue: str
    market_id: str
    outcome_id: str
    side: str
    limit_price: Decimal
    quantity: Decimal
    tick_size: Decimal
    status: str | None
    filled: Decimal
    created_at: datetime

    @property
    def base(self) -> int:
        """The original leg this order belongs to (0 or 1)."""
        return self.leg_index % 10

    @property
    def final(self) -> bool:
        """True when the venue will not fill it any further."""
        return self.status is not None and OrderStatus(self.status) in TERMINAL

    @property
    def signed_fill(self) -> Decimal:
        """Contracts held because of this order (sells count negative)."""
        return self.filled if self.side == "buy" else -self.filled


def net_by_leg(legs: list[Leg]) -> dict[int, Decimal]:
    """Contracts held per original leg after every hedge and unwind."""
    net: dict[int, Decimal] = defaultdict(Decimal)
    for leg in legs:
        net[leg.base] += leg.signed_fill
    return dict(net)


def plan_step(
    legs: list[Leg], now: datetime, rules: LegRules, asks: dict[int, Decimal | None], bids: dict[int, Decimal | None]
) -> tuple[str, Leg, Decimal, Decimal] | None:
    """The next action for one signal's legs: ``(kind, template leg, quantity, price)`` or ``None``.

    ``kind`` is ``hedge`` (buy more of the short leg), ``unwind`` (sell the excess of the long leg) or
    ``cancel`` (an order still working past the bound: cancel it, then decide on what it filled) or
    ``stuck`` (every unwind failed too: alert and halt trading).
    """
    working = [leg for leg in legs if not leg.final]
    if working:
        if (now - min(leg.created_at for leg in legs)).total_seconds() < rules.bound_s:
            return None
        # Past the bound an order still working is cancelled first: hedging beside it could double it.
        return "cancel", working[0], Decimal(0), Decimal(0)
    originals = {leg.base: leg for leg in legs if leg.leg_index < HEDGE_BASE}
    if len(originals) < 2:
        return None
    net = net_by_leg(legs)
    long_leg, short_leg = sorted(originals, key=lambda k: net.get(k, Decimal(0)), reverse=True)[:2]
    excess = net.get(long_leg, Decimal(0)) - net.get(short_leg, Decimal(0))
    if excess <= 0:
        return None
    hedges = sum(1 for leg in legs if HEDGE_BASE <= leg.leg_index < UNWIND_BASE and leg.base == short_leg)
    short = originals[short_leg]
    cap = short.limit_price + rules.hedge_cap
    ask = asks.get(short_leg)
    if hedges < rules.hedge_attempts and ask is not None and ask <= cap:
        return "hedge", short, excess, ask
    unwinds = sum(1 for leg in legs if leg.leg_index >= UNWIND_BASE and leg.base == long_leg)
    if unwinds >= rules.unwind_attempts:
        return "stuck", originals[long_leg], excess, Decimal(0)
    bid = bids.get(long_leg)
    if bid is None or bid <= 0:
        return None  # nothing to sell into yet; the next pass tries again
    return "unwind", originals[long_leg], excess, bid


class LegGuard:
    """Watches multi-leg signals and sends the hedge or unwind each needs."""

    def __init__(
        self,
        store: Store,
        bus: MarketDataBus,
        rules: LegRules,
        interval_s: float,
        cancel: Callable[[str, str], Awaitable[object]] | None = None,
    ) -> None:
        self._store = store
        self._cancel = cancel
        self._alerted: set[str] = set()
        self._bus = bus
        self._rules = rules
        self._interval_s = interval_s
        self.actions: list[tuple[str, str]] = []

    async def scan(self, now: datetime | None = None) -> int:
        """One pass over recent multi-leg signals; returns how many steps were sent."""
        now = now or utc_now()
        rows = await self._store.pool.fetch(
            """SELECT i.intent_id, i.signal_id, i.leg_index, i.strategy, i.game_id, i.venue, i.market_id,
                      i.outcome_id, i.side, i.limit_price, i.quantity, i.created_at,
                      (s.payload->'legs'->(i.leg_index % 10)->>'tick_size')::numeric AS tick_size,
                      o.status, COALESCE(o.filled_quantity, 0) AS filled
               FROM order_intents i
               JOIN signals s ON s.signal_id = i.signal_id AND s.kind = 'arbitrage'
               LEFT JOIN orders o ON o.client_order_id = i.client_order_id
               WHERE i.decision = 'approved' AND i.created_at > $1
               ORDER BY i.signal_id, i.leg_index""",
            now - self._rules.lookback,
        )
        groups: dict[str, list[Leg]] = defaultdict(list)
        for r in rows:
            groups[r["signal_id"]].append(_leg(r))
        sent = 0
        for legs in groups.values():
            asks, bids = await self._tops(legs)
            step = plan_step(legs, now, self._rules, asks, bids)
            if step is None:
                continue
            if step[0] == "cancel":
                await self._cancel_working(step[1])
            elif step[0] == "stuck":
                await self._stuck(step[1], step[2])
            else:
                sent += await self._send(legs, *step)
        return sent

    async def _stuck(self, leg: Leg, excess: Decimal) -> None:
        """Neither hedged nor unwound: a naked leg stays, so trading stops until someone looks (once per signal)."""
        if leg.signal_id in self._alerted:
            return
        self._alerted.add(leg.signal_id)
        reason = (
            f"arbitrage {leg.signal_id}: {excess} contracts of {leg.venue} {leg.market_id} "
            "could not be hedged or unwound"
        )
        log.error("ALERT: naked arbitrage leg; halting trading", extra={"alert": True, "reason": reason})
        self.actions.append(("stuck", leg.intent_id))
        async with self._store.pool.acquire() as conn:
            await halt(conn, reason, "execution_service:legs", bus=self._bus)

    async def _cancel_working(self, leg: Leg) -> None:
        log.warning("arbitrage leg still working past the bound: cancelling", extra={"intent_id": leg.intent_id})
        self.actions.append(("cancel", leg.intent_id))
        if self._cancel is not None:
            coid = await self._store.pool.fetchval(
                "SELECT client_order_id FROM order_intents WHERE intent_id = $1", leg.intent_id
            )
            await self._cancel(leg.venue, coid)

    async def _tops(self, legs: list[Leg]) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
        asks: dict[int, Decimal | None] = {}
        bids: dict[int, Decimal | None] = {}
        for leg in legs:
            if leg.leg_index >= HEDGE_BASE:
                continue
            top = await self._bus.latest(keys.MARKET_PRICE, f"{leg.venue}:{leg.market_id}:{leg.outcome_id}")
            asks[leg.base] = top.best_ask if isinstance(top, MarketPriceUpdated) else None
            bids[leg.base] = top.best_bid if isinstance(top, MarketPriceUpdated) else None
        return asks, bids

    async def _send(self, legs: list[Leg], kind: str, template: Leg, quantity: Decimal, price: Decimal) -> int:
        steps = [leg for leg in legs if leg.base == template.base and leg.leg_index >= HEDGE_BASE]
        attempt = 1 + sum(1 for leg in steps if (leg.leg_index >= UNWIND_BASE) == (kind == "unwind"))
        index = (HEDGE_BASE * attempt if kind == "hedge" else UNWIND_BASE + 10 * attempt) + template.base
        side = "buy" if kind == "hedge" else "sell"
        intent_id = str(derive_id("intent", template.signal_id, index))
        client_order_id = f"arb-{derive_id('client-order', intent_id).hex[:24]}"
        async with self._store.unit_of_work() as uow:
            inserted = await _insert_intent(
                uow, template, index, intent_id, client_order_id, side, price, quantity, kind
            )
            if not inserted:
                return 0
            command = SubmitOrder(
                message_id=derive_id("submit", intent_id),
                intent_id=intent_id,
                client_order_id=client_order_id,
                signal_id=template.signal_id,
                strategy=f"{template.strategy}:{kind}",
                game_id=template.game_id,
                venue=template.venue,
                market_id=template.market_id,
                outcome_id=template.outcome_id,
                side=side,
                limit_price=price,
                quantity=quantity,
                time_in_force="ioc",
                tick_size=template.tick_size,
                reduce_only=kind == "unwind",
            )
            await uow.emit(keys.ORDER_SUBMIT, command)
        self.actions.append((kind, intent_id))
        extra = {"signal_id": template.signal_id, "leg": template.base, "quantity": str(quantity), "price": str(price)}
        log.warning("arbitrage leg alone: %s", kind, extra=extra)
        return 1

    async def run(self, stopping: asyncio.Event) -> None:
        """Scan every ``interval_s`` until ``stopping``."""
        while not stopping.is_set():
            try:
                await self.scan()
            except Exception:  # noqa: BLE001 - the next pass retries; a naked leg is logged by the next pass too
                log.exception("leg guard pass failed")
            await wait_event(stopping, self._interval_s)


def _leg(r: Any) -> Leg:
    return Leg(
        intent_id=r["intent_id"], signal_id=r["signal_id"], leg_index=r["leg_index"], strategy=r["strategy"],
        game_id=r["game_id"], venue=r["venue"], market_id=r["market_id"], outcome_id=r["outcome_id"],
        side=r["side"], limit_price=Decimal(r["limit_price"]), quantity=Decimal(r["quantity"]),
        tick_size=Decimal(r["tick_size"] or "0.01"), status=r["status"], filled=Decimal(r["filled"]),
        created_at=r["created_at"],
    )  # fmt: skip


async def _insert_intent(
    uow: UnitOfWork, t: Leg, index: int, intent_id: str, client_order_id: str, side: str, price: Decimal,
    quantity: Decimal, kind: str,
) -> bool:  # fmt: skip
    status = await uow.conn.execute(
        """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id,
               venue, market_id, outcome_id, side, limit_price, quantity, notional, decision, reason_code, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'approved', $14, $15)
           ON CONFLICT DO NOTHING""",
        intent_id, client_order_id, t.signal_id, index, f"{t.strategy}:{kind}", t.game_id, t.venue, t.market_id,
        t.outcome_id, side, price, quantity, (price * quantity).quantize(Decimal("0.000001")), kind,
        f"{kind} of leg {t.base}: {quantity} at {price}",
    )  # fmt: skip
    return bool(status.endswith(" 1"))
