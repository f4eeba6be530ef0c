"""Exits of open positions: take-profit, stop-loss and model flip, as exit signals through the risk gate.

For each open long position marked at its best bid: take profit when the bid is ``take_profit`` above
the average cost, stop the loss when it is ``stop_loss`` below, and exit on a model flip when our
model's probability of the outcome (discovery's orientation applied to the game's latest
``WinProbabilityUpdated``) has fallen ``model_flip`` below the bid — the market now pays more for the
contract than we think it is worth. An exit is a ``SignalGenerated`` of kind ``exit``: one reduce-only
sell leg of the position's whole quantity at the bid, gated by signal_processor like any other signal.
Its id is derived from the position's state, so scanning again before anything changed emits nothing new.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.signals import insert_signal
from shared.db.uow import Store
from shared.fees import taker_fee_per_contract
from shared.messages import InstrumentRef, SignalGenerated, SignalLeg, WinProbabilityUpdated, derive_id, utc_now

log = logging.getLogger(__name__)
STRATEGY = "exit_v1"


@dataclass(frozen=True, slots=True)
class ExitRules:
    """Thresholds in dollars per contract; ``ttl`` is how long an exit signal is good for."""

    take_profit: Decimal
    stop_loss: Decimal
    model_flip: Decimal
    ttl: timedelta


def exit_reason(avg_cost: Decimal, bid: Decimal, model_p: float | None, rules: ExitRules) -> tuple[str, str] | None:
    """``(code, sentence)`` when the position should be closed at ``bid``, else ``None``."""
    if bid - avg_cost >= rules.take_profit:
        return "take_profit", f"bid {bid} is {bid - avg_cost} above the cost {avg_cost:.4f}"
    if avg_cost - bid >= rules.stop_loss:
        return "stop_loss", f"bid {bid} is {avg_cost - bid:.4f} below the cost {avg_cost:.4f}"
    if model_p is not None and Decimal(str(round(model_p, 6))) <= bid - rules.model_flip:
        return "model_flip", f"model {model_p:.4f} is at least {rules.model_flip} below the bid {bid}"
    return None


def _probability(instrument: InstrumentRef, wp: WinProbabilityUpdated) -> float:
    p = {"home": wp.home, "away": wp.away, "draw": wp.draw}[instrument.pays_on]
    return 1.0 - p if instrument.negated else p


class ExitWatcher:
    """Scans open positions every ``interval_s`` (or when poked) and emits exit signals."""

    def __init__(self, store: Store, bus: MarketDataBus, rules: ExitRules, interval_s: float) -> None:
        self._store = store
        self._bus = bus
        self._rules = rules
        self._interval_s = interval_s
        self._wake = asyncio.Event()
        self.emitted = 0

    def poke(self) -> None:
        """Scan again now."""
        self._wake.set()

    async def scan(self) -> list[SignalGenerated]:
        """Emit an exit signal for every open position that meets a rule; return those emitted."""
        rows = await self._store.pool.fetch(
            """SELECT p.venue, p.market_id, p.outcome_id, p.game_id, p.quantity, p.cost_basis, p.mark_price,
                      p.updated_at, m.instruments
               FROM positions p LEFT JOIN market_matches m ON m.venue = p.venue AND m.market_id = p.market_id
               WHERE p.status = 'open' AND p.quantity > 0 AND p.mark_price IS NOT NULL"""
        )
        signals = [s for r in rows if (s := await self._signal_for(r)) is not None]
        emitted = []
        if signals:
            async with self._store.unit_of_work() as uow:
                for signal in signals:
                    if await insert_signal(uow.conn, signal):
                        await uow.emit(keys.SIGNALS, signal)
                        emitted.append(signal)
        for signal in emitted:
            log.info("exit signal", extra={"signal_id": signal.signal_id, "strategy": signal.strategy})
        self.emitted += len(emitted)
        return emitted

    async def _signal_for(self, row: Any) -> SignalGenerated | None:
        instrument = next(
            (
                InstrumentRef.model_validate(i)
                for i in (row["instruments"] or [])
                if i.get("outcome_id") == row["outcome_id"]
            ),
            None,
        )
        wp = await self._bus.latest(keys.WIN_PROBABILITY, row["game_id"])
        model_p = _probability(instrument, wp) if instrument and isinstance(wp, WinProbabilityUpdated) else None
        quantity, bid = Decimal(row["quantity"]), Decimal(row["mark_price"])
        avg_cost = Decimal(row["cost_basis"]) / quantity
        reason = exit_reason(avg_cost, bid, model_p, self._rules)
        if reason is None or not Decimal(0) < bid < Decimal(1):
            return None
        code, sentence = reason
        fee = (
            taker_fee_per_contract(instrument.fees.schedule, bid, fee_type=instrument.fees.fee_type,
                                   rate=instrument.fees.rate, exponent=instrument.fees.exponent)
            if instrument is not None
            else Decimal(0)
        )  # fmt: skip
        now = utc_now()
        leg = SignalLeg(
            venue=row["venue"],
            market_id=row["market_id"],
            outcome_id=row["outcome_id"],
            side="sell",
            limit_price=bid,
            available_quantity=quantity,
            reduce_only=True,
            fee_per_contract=fee,
            tick_size=instrument.tick_size if instrument is not None else Decimal("0.01"),
        )
        key = (row["venue"], row["market_id"], row["outcome_id"], str(quantity), row["updated_at"].isoformat(), code)
        log.info("exit rule met", extra={"market_id": row["market_id"], "rule": code, "why": sentence})
        return SignalGenerated(
            signal_id=str(derive_id("exit", *key)),
            message_id=derive_id("exit-message", *key),
            strategy=f"{STRATEGY}:{code}",
            kind="exit",
            game_id=row["game_id"],
            legs=(leg,),
            model_probability=model_p,
            market_probability=bid,
            edge_per_contract=bid - avg_cost - fee,
            ts_event=now,
            expires_at=now + self._rules.ttl,
        )

    async def run(self, stopping: asyncio.Event) -> None:
        """Scan every ``interval_s`` (or when poked) until ``stopping``."""
        while not stopping.is_set():
            await wait_event(self._wake, self._interval_s)
            self._wake.clear()
            try:
                await self.scan()
            except Exception:  # noqa: BLE001 - the next scan retries
                log.exception("exit scan failed")
