"""Start-up reconciliation on Polymarket (R04): the in-process Polymarket simulator, real PostgreSQL and Redis.

While the engine is down, the venue moves on: our resting BUY is filled, cancelled, or partly filled then
cancelled; an order we never placed rests on our key; or the ledger holds fills the venue never had. A new
engine (same key, same journal) starts and one reconciliation pass makes the local state follow the venue; a
second pass changes nothing (synthetic and backfilled fills have deterministic ids). A reconciliation that
cannot read the venue (5xx) stops the execution service before it trades.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.polymarket.execution import PolymarketExecutionEngine
from markets.polymarket.geoblock import TradingGate, check_geoblock
from markets.polymarket.trading import ClobTrader
from markets.sim.polymarket.state import SimConfig
from services.execution_service import engines as engine_setup
from services.execution_service.handlers import SubmitHandler
from services.execution_service.recovery import Policy, Reconciler, ReconciliationFailed
from services.execution_service.service import ExecutionService
from shared.errors import VenueError
from shared.messages import SubmitOrder, derive_id
from shared.runtime.infra import Infra
from shared.runtime.runner import ServiceStartFailed, run_services
from tests.contract.engines.harness_polymarket import (
    FAST,
    REST_PRICE,
    TICK,
    ExecEnv,
    build_engine,
    execution_env,
    sim_settings,
)
from tests.integration.helpers.reconciliation import exec_settings, ledger_problems, snapshot

pytestmark = pytest.mark.integration
D = Decimal
CID = "arb-pm-r04"
QUIET = SimConfig(mine_delay_s=0.1, confirm_delay_s=0.1, heartbeat_timeout_s=3600)
"""Trades settle quickly; the venue's dead-man switch never cancels our order while the engine is down."""


def _key(env: ExecEnv) -> str:
    key = env.engine.settings.private_key
    assert key is not None
    return key.get_secret_value()


def _restarted(env: ExecEnv, folder: Path) -> PolymarketExecutionEngine:
    """A new engine on the same key and the same journal file (a restarted process)."""
    return build_engine(env.sim, folder, _key(env))


def _restarted_elsewhere(env: ExecEnv, folder: Path) -> PolymarketExecutionEngine:
    """A new engine on the same key with an empty journal (the data directory was lost; the database was not)."""
    return build_engine(env.sim, folder / "new-data-dir", _key(env))


async def _same_key_trader(env: ExecEnv) -> ClobTrader:
    """Another client on our key (a second process, or a person on the website)."""
    settings = sim_settings(env.sim, _key(env))
    gate = TradingGate()
    await check_geoblock(env.http, settings.geoblock_url, gate)
    trader = ClobTrader(settings, gate, FAST)
    await trader.create_or_derive_api_key()
    return trader


async def _approve(infra: Infra, env: ExecEnv, cid: str, *, qty: str = "10") -> SubmitOrder:
    """An approved intent (and its signal) as signal_processor stores it; returns its command."""
    intent_id, signal_id = f"i-{cid}", f"s-{cid}"
    expires = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await infra.pool.execute(
        """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract, payload)
           VALUES ($1, $2, now(), 't', 'model_edge', 'g1', 0.05, $3)""",
        signal_id,
        uuid.uuid4(),
        {"expires_at": expires, "legs": [{"tick_size": str(TICK)}]},
    )
    await infra.pool.execute(
        """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id, venue,
               market_id, outcome_id, side, limit_price, quantity, notional, decision)
           VALUES ($1, $2, $3, 0, 't', 'g1', 'polymarket', $4, $5, 'buy', $6, $7, $8, 'approved')""",
        intent_id,
        cid,
        signal_id,
        env.condition_id,
        env.token,
        REST_PRICE,
        D(qty),
        REST_PRICE * D(qty),
    )
    return SubmitOrder(
        message_id=derive_id("submit", intent_id),
        intent_id=intent_id,
        client_order_id=cid,
        signal_id=signal_id,
        strategy="t",
        game_id="g1",
        venue="polymarket",
        market_id=env.condition_id,
        outcome_id=env.token,
        side="buy",
        limit_price=REST_PRICE,
        quantity=D(qty),
        time_in_force="gtc",
        tick_size=TICK,
    )


async def _ghost_fills(infra: Infra, env: ExecEnv) -> None:
    """The ledger holds 3 shares (a filled order and its fill) the venue never had."""
    await _approve(infra, env, "arb-ghost", qty="3")
    await infra.pool.execute(
        """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side,
               limit_price, quantity, filled_quantity, status, paper)
           VALUES ('arb-ghost', 'i-arb-ghost', 'polymarket', 'g1', $1, $2, 'buy', 0.40, 3, 3, 'filled', false)""",
        env.condition_id,
        env.token,
    )
    await infra.pool.execute(
        """INSERT INTO fills (venue, venue_trade_id, client_order_id, game_id, market_id, outcome_id, side,
               price, quantity, fee, liquidity, paper, ts)
           VALUES ('polymarket', 'ghost-t1', 'arb-ghost', 'g1', $1, $2, 'buy', 0.40, 3, 0, 'taker', false, now())""",
        env.condition_id,
        env.token,
    )


def _venue_orders(env: ExecEnv, owner: str) -> list[Any]:
    return [o for o in env.sim.state.exchange.orders.values() if o.address.lower() == owner.lower()]


@contextlib.asynccontextmanager
async def _down_then(infra: Infra, folder: Path, case: str) -> AsyncIterator[tuple[ExecEnv, PolymarketExecutionEngine]]:
    """Rest one BUY of ours, stop the engine, let ``case`` happen at the venue, start a new engine."""
    async with execution_env(folder, sim_config=QUIET) as env:
        async with infra.store.unit_of_work() as uow:
            await SubmitHandler({"polymarket": env.engine}, infra.pool, {})(await _approve(infra, env, CID), uow)
        await env.engine.close()
        venue_id = await infra.pool.fetchval("SELECT venue_order_id FROM orders WHERE client_order_id = $1", CID)
        assert venue_id and env.venue_order(venue_id) is not None
        if case in ("filled", "filled_journal_lost"):
            await env.counterparty.offer(REST_PRICE, D(10))
        elif case == "partly_filled_journal_lost":
            await env.counterparty.offer(REST_PRICE, D(4))
        elif case == "cancelled":
            await (await _same_key_trader(env)).cancel(venue_id)
        elif case in ("partly_filled_then_cancelled", "partly_filled_then_cancelled_journal_lost"):
            await env.counterparty.offer(REST_PRICE, D(4))
            await (await _same_key_trader(env)).cancel(venue_id)
        elif case == "external":
            trader = await _same_key_trader(env)
            await trader.place_limit_order(env.token, "BUY", D("0.20"), D(3), tick_size=TICK, neg_risk=False)
        elif case == "position_mismatch":
            await _ghost_fills(infra, env)
        engine = (_restarted_elsewhere if case.endswith("journal_lost") else _restarted)(env, folder)
        await engine.start()
        try:
            yield env, engine
        finally:
            await engine.close()


EXPECTED = {
    "filled": ("filled", D(10)),
    "cancelled": ("canceled", D(0)),
    "partly_filled_then_cancelled": ("canceled", D(4)),
    "external": ("accepted", D(0)),
    "position_mismatch": ("accepted", D(0)),
    # Without the journal only the database knows the order's hash: the venue's trades still bind to it.
    "filled_journal_lost": ("filled", D(10)),
    "partly_filled_journal_lost": ("partially_filled", D(4)),
    # Gone from the venue with 4 of 10 filled: the fills are recorded, the cancel is not assumed (R05).
    "partly_filled_then_cancelled_journal_lost": ("partially_filled", D(4)),
}


@pytest.mark.parametrize("case", list(EXPECTED))
async def test_start_up_reconciliation_follows_the_venue(infra: Infra, tmp_path: Path, case: str) -> None:
    async with _down_then(infra, tmp_path, case) as (env, engine):
        reconciler = Reconciler(infra.pool, infra.store, {"polymarket": engine}, Policy())
        found = await reconciler.run(at_start=True)
        before = await snapshot(infra)
        again = await reconciler.run(at_start=True)
        assert await snapshot(infra) == before  # deterministic: a second run changes nothing
        ours = [o for o in _venue_orders(env, engine.address) if o.price == REST_PRICE]
        assert len(ours) == 1  # nothing was posted again
    row = await infra.pool.fetchrow("SELECT status, filled_quantity FROM orders WHERE client_order_id = $1", CID)
    assert (row["status"], row["filled_quantity"]) == EXPECTED[case]
    fills = await infra.pool.fetchval("SELECT COALESCE(SUM(quantity), 0) FROM fills WHERE client_order_id = $1", CID)
    assert fills == EXPECTED[case][1]
    problems = await ledger_problems(infra)
    if case == "external":
        external = await infra.pool.fetchrow(
            "SELECT client_order_id, intent_id, reason, status, quantity FROM orders WHERE client_order_id <> $1", CID
        )
        assert external["intent_id"] is None and external["reason"].startswith("EXTERNAL")
        assert (external["status"], external["quantity"]) == ("accepted", D(3))
        assert found.external == [external["client_order_id"]] and again.external == []
        assert problems == [f"L1 order {external['client_order_id']} has no approved intent (external)"]
        return
    if case == "position_mismatch":
        assert len(found.position_mismatches) == 1 and env.token in found.position_mismatches[0]
        assert "venue holds 0" in found.position_mismatches[0]
    else:
        assert found.position_mismatches == [] and found.external == []
    if case == "partly_filled_then_cancelled_journal_lost":
        assert found.unresolved == [CID] and again.unresolved == [CID]
    assert problems == []


# -- R04: a failing reconciliation stops the start -----------------------------------------------


async def _start_fails(infra: Infra, env: ExecEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Exception:
    """Run the execution service on ``env``'s engine; return what stopped it (it must not run)."""
    monkeypatch.setattr(engine_setup, "build", lambda settings, bus: {"polymarket": env.engine})
    await _approve(infra, env, "arb-never")
    posts_before = env.posts()
    service = ExecutionService(exec_settings(infra, tmp_path))
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the type is asserted by the callers
        await asyncio.wait_for(run_services([service], infra, install_signals=False, serve_health=False), 60)
    assert not service.consumers  # the submit consumer was never started
    assert await infra.pool.fetchval("SELECT count(*) FROM orders") == 0
    assert env.posts() == posts_before  # nothing was sent to the venue
    return raised.value


@pytest.mark.parametrize("path", ["^/data/trades$", "^/data/orders$"])
async def test_a_failing_reconciliation_stops_the_service_before_trading(
    infra: Infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: pytest.MonkeyPatch, path: str
) -> None:
    async with execution_env(tmp_path, sim_config=QUIET, start=False) as env:
        await env.control(
            "faults", {"kind": "http_status", "method": "GET", "path": path, "status": 503, "count": None}
        )
        error = await _start_fails(infra, env, tmp_path, monkeypatch)
        assert isinstance(error, ReconciliationFailed) and "start-up reconciliation failed" in str(error)


async def test_an_unreachable_venue_stops_the_service_before_trading(
    infra: Infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: pytest.MonkeyPatch
) -> None:
    async with execution_env(tmp_path, sim_config=QUIET, start=False) as env:
        await env.control("faults", {"kind": "http_status", "path": "^/(?!_sim)", "status": 502, "count": None})
        error = await _start_fails(infra, env, tmp_path, monkeypatch)
        # The engine's start failed: named, with the venue's errors, and the process exits non-zero.
        assert isinstance(error, ServiceStartFailed) and error.service == "execution_service", repr(error)
        cause = error.__cause__
        venue_errors = cause.split(VenueError)[0] if isinstance(cause, BaseExceptionGroup) else cause
        assert isinstance(venue_errors, BaseExceptionGroup | VenueError), repr(cause)
        assert "VenueError" in str(error) or "502" in str(error), str(error)
