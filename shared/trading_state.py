"""The fleet's trading state (kill switch, R18): ``active`` or ``halted``, persisted, failing closed.

The truth is the ``risk_state('trading_state')`` row; every change is also appended to
``trading_state_log`` in the same transaction (so a check can tell whether an order was sent while
halted) and announced on the bus as :class:`TradingStateChanged` (latest value kept), so services react
at once instead of at their next read. A missing or unreadable row reads as halted.

Writers: ``arbees halt`` / ``arbees resume``, the API's control scope, and the automatic triggers
(drawdown, an exception in P&L or risk code, a dead-lettered execution message, a failed venue
reconciliation). Readers: every stage that could send money.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import asyncpg

from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import TradingStateChanged

log = logging.getLogger(__name__)
State = Literal["active", "halted"]
STATE_KEY = "trading_state"
BUS_KEY = "fleet"


@dataclass(frozen=True, slots=True)
class TradingState:
    """The state, why, who set it and when (``None`` when unknown)."""

    state: State
    reason: str
    source: str
    changed_at: datetime | None

    @property
    def halted(self) -> bool:
        """True unless trading is explicitly active."""
        return self.state != "active"


def _parse(value: object, updated_at: datetime | None) -> TradingState:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict) or value.get("state") not in ("active", "halted"):
        return TradingState("halted", "trading state unreadable: treated as halted", "fail-closed", updated_at)
    return TradingState(value["state"], str(value.get("reason", "")), str(value.get("source", "")), updated_at)


async def read_trading_state(conn: asyncpg.Connection | asyncpg.Pool) -> TradingState:
    """The current state; a missing or unreadable row, or a database error, is halted."""
    try:
        row = await conn.fetchrow("SELECT value, updated_at FROM risk_state WHERE key = $1", STATE_KEY)
    except (asyncpg.PostgresError, OSError) as e:
        return TradingState(
            "halted", f"trading state unreadable ({type(e).__name__}): treated as halted", "fail-closed", None
        )
    if row is None:
        return TradingState("halted", "trading state missing: treated as halted", "fail-closed", None)
    return _parse(row["value"], row["updated_at"])


async def set_trading_state(
    conn: asyncpg.Connection, state: State, reason: str, source: str, *, bus: MarketDataBus | None = None
) -> TradingState:
    """Persist ``state`` (row and log in one transaction) and announce it on ``bus`` when given.

    Idempotent: setting the state it already has with the same reason changes nothing and logs nothing.
    """
    if not reason.strip():
        raise ValueError("a trading-state change needs a reason")
    async with conn.transaction():
        current = await conn.fetchrow("SELECT value, updated_at FROM risk_state WHERE key = $1 FOR UPDATE", STATE_KEY)
        before = _parse(current["value"], current["updated_at"]) if current is not None else None
        if before is not None and before.state == state and before.reason == reason:
            return before
        value = {"state": state, "reason": reason, "source": source}
        changed_at = await conn.fetchval(
            """INSERT INTO risk_state (key, value, updated_at) VALUES ($1, $2, clock_timestamp())
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
               RETURNING updated_at""",
            STATE_KEY,
            value,
        )
        await conn.execute(
            "INSERT INTO trading_state_log (state, reason, source, changed_at) VALUES ($1, $2, $3, $4)",
            state,
            reason,
            source,
            changed_at,
        )
    result = TradingState(state, reason, source, changed_at)
    level = logging.WARNING if state == "halted" else logging.INFO
    log.log(
        level, "trading %s", "halted" if state == "halted" else "resumed", extra={"reason": reason, "source": source}
    )
    if bus is not None:
        await announce(bus, result)
    return result


async def halt(conn: asyncpg.Connection, reason: str, source: str, *, bus: MarketDataBus | None = None) -> TradingState:
    """Stop trading (see :func:`set_trading_state`)."""
    return await set_trading_state(conn, "halted", reason, source, bus=bus)


async def resume(
    conn: asyncpg.Connection, reason: str, source: str, *, bus: MarketDataBus | None = None
) -> TradingState:
    """Allow trading again (see :func:`set_trading_state`)."""
    return await set_trading_state(conn, "active", reason, source, bus=bus)


async def announce(bus: MarketDataBus, state: TradingState) -> None:
    """Publish ``state`` as the latest :class:`TradingStateChanged` (topic ``trading_state``, key ``fleet``)."""
    message = TradingStateChanged(state=state.state, reason=state.reason, source=state.source)
    await bus.publish(keys.TRADING_STATE, BUS_KEY, message)
