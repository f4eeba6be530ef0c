"""R12 with a Redis that keeps nothing: killed (SIGKILL) mid-flow and started again empty, nothing is lost.

A private ``redis-server`` runs without an append-only file or snapshots, so a restart comes back with no
streams, no consumer groups and no latest values. The signal processor and the execution service run for
real (each with its own connections, as separate processes would) over the Kalshi simulator:

1. a signal is approved and its order placed (the path works);
2. with the execution service down, a second signal is approved: its ``SubmitOrder`` is published from the
   outbox onto ``orders.submit`` (the outbox row is sent) and waits there, unread;
3. Redis is killed and started again empty: that entry is gone, and so are both consumer groups;
4. the execution service starts again: it re-creates its group, and reconciliation (at start-up, or the
   periodic sweep) finds the approved intent without an order and re-publishes it from the outbox;
5. the signal processor, which ran throughout, re-creates its group and approves a third signal.

Every approved intent ends with exactly one order, placed at the venue once; the ledger check holds.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.base import ExecutionEngine
from services.cli.replay.redis_server import RedisServer
from services.execution_service import engines as engine_setup
from services.execution_service.config import ExecutionSettings
from services.execution_service.service import ExecutionService
from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.service import SignalProcessorService
from shared.bus import keys
from shared.bus.streams import StreamProducer
from shared.config import ArbeesSettings, load_settings
from shared.ledger_check import check_ledger
from shared.messages import MarketPriceUpdated, SignalGenerated, SignalLeg
from shared.prices import Venue
from shared.runtime.infra import Infra, open_infra
from shared.runtime.runner import run_services
from shared.runtime.service import Service
from tests.contract.engines import harness_kalshi as hk
from tests.integration.helpers.execution_fleet import KALSHI_PRICE, kalshi_sim
from tests.support import eventually

pytestmark = pytest.mark.integration
D = Decimal
GENEROUS_S = 120.0  # an overall bound for each wait; only a failure gets near it


@contextlib.asynccontextmanager
async def _running(services: list[Service], settings: ArbeesSettings) -> AsyncIterator[Infra]:
    """``services`` on their own connections (one process), stopped and drained on exit."""
    async with open_infra(settings, single_process=False) as infra:
        stopping, ready = asyncio.Event(), asyncio.Event()
        run = asyncio.create_task(
            run_services(services, infra, stopping=stopping, ready=ready, install_signals=False, serve_health=False)
        )
        started = asyncio.create_task(ready.wait())
        try:
            await asyncio.wait({started, run}, timeout=GENEROUS_S, return_when=asyncio.FIRST_COMPLETED)
            if run.done():
                await run  # start-up failed: raise why
            assert ready.is_set(), "services not ready in time"
            yield infra
        finally:
            stopping.set()
            started.cancel()
            await asyncio.wait_for(run, GENEROUS_S)


def _signal(signal_id: str, ticker: str) -> SignalGenerated:
    now = datetime.now(UTC)
    leg = SignalLeg(
        venue="kalshi", market_id=ticker, outcome_id="yes", side="buy", limit_price=KALSHI_PRICE,
        available_quantity=D(10), fee_per_contract=D("0.02"), tick_size=D("0.01"),
    )  # fmt: skip
    return SignalGenerated(
        signal_id=signal_id, strategy="t", kind="model_edge", game_id="g1", legs=(leg,),
        edge_per_contract=D("0.10"), ts_event=now, expires_at=now + timedelta(seconds=GENEROUS_S),
    )  # fmt: skip


async def _price(infra: Infra, ticker: str) -> None:
    top = MarketPriceUpdated(
        venue="kalshi", market_id=ticker, outcome_id="yes", best_bid=KALSHI_PRICE - D("0.05"), best_ask=KALSHI_PRICE,
        bid_size=D(100), ask_size=D(100), ts_event=datetime.now(UTC),
    )  # fmt: skip
    await infra.market_data.publish(keys.MARKET_PRICE, top.key, top)


async def _intent(infra: Infra, signal_id: str) -> Any:
    return await infra.pool.fetchrow(
        """SELECT i.decision, i.client_order_id, o.status, o.reason FROM order_intents i
           LEFT JOIN orders o ON o.client_order_id = i.client_order_id WHERE i.signal_id = $1""",
        signal_id,
    )


def _placed(infra: Infra, signal_id: str) -> Any:
    async def check() -> Any:
        row = await _intent(infra, signal_id)
        return row if row is not None and row["status"] not in (None, "submitted") else None

    return check


async def test_an_empty_redis_after_a_kill_loses_no_approved_intent(
    database_url: str, tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    server = RedisServer(tmp_path / "redis", persist=False)
    await server.start()
    base = load_settings(
        ArbeesSettings, redis_url=server.url, database_url=database_url, data_dir=tmp_path, health_port=0,
        heartbeat_interval_s=0.5, stream_block_ms=100, stream_claim_idle_ms=500,
    )  # fmt: skip
    exec_settings = load_settings(
        ExecutionSettings, data_dir=tmp_path, stream_block_ms=100, republish_after_s=2.0, sweep_interval_s=0.5,
        reconcile_interval_s=0.5, halt_poll_interval_s=0.5,
    )  # fmt: skip
    sp_settings = load_settings(SignalProcessorSettings, data_dir=tmp_path, stream_block_ms=100)
    try:
        async with kalshi_sim() as (ksim, ticker, key):

            def build(*_: Any) -> dict[Venue, ExecutionEngine]:  # a new engine per start, same journal directory
                return {"kalshi": hk.build_engine(ksim.rest_url, ksim.ws_url, hk.OURS, key, tmp_path / "kalshi")}

            (tmp_path / "kalshi").mkdir()
            clean_env.setattr(engine_setup, "build", build)
            async with _running([SignalProcessorService(sp_settings)], base) as sp:
                signals = StreamProducer(sp.redis)
                await _price(sp, ticker)
                async with _running([ExecutionService(exec_settings)], base):
                    await signals.publish(keys.SIGNALS, _signal("s-1", ticker))
                    first = await eventually(_placed(sp, "s-1"), timeout=GENEROUS_S)

                await signals.publish(keys.SIGNALS, _signal("s-2", ticker))  # the execution service is down
                await eventually(lambda: _published(sp, "s-2"), timeout=GENEROUS_S)
                assert await sp.redis.xlen(keys.ORDER_SUBMIT) == 2  # the second order waits in the stream

                await server.kill()  # mid-flow: an approved intent whose only message is in Redis
                await server.start()  # the same port, nothing kept
                assert not await sp.redis.exists(keys.ORDER_SUBMIT, keys.SIGNALS)
                await _price(sp, ticker)  # the latest values went too; the price feed publishes again

                async with _running([ExecutionService(exec_settings)], base) as ex:
                    second = await eventually(_placed(sp, "s-2"), timeout=GENEROUS_S)
                    await signals.publish(keys.SIGNALS, _signal("s-3", ticker))
                    third = await eventually(_placed(sp, "s-3"), timeout=GENEROUS_S)
                    assert await _groups(sp) == {
                        keys.SIGNALS: ["signal_processor"],
                        keys.ORDER_SUBMIT: ["execution_service"],
                    }
                    report = await eventually(lambda: _ledger_ok(ex), timeout=GENEROUS_S)
                    assert report.ok, report.problems

            for row in (first, second, third):
                assert row["decision"] == "approved" and row["status"] != "rejected", row
            venue_cids = [o.client_order_id for o in ksim.state.exchange.orders.values()]
            assert sorted(venue_cids) == sorted(r["client_order_id"] for r in (first, second, third))  # each once
    finally:
        await server.stop()


async def _published(infra: Infra, signal_id: str) -> bool:
    row = await _intent(infra, signal_id)
    unsent = await infra.pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    return row is not None and row["decision"] == "approved" and unsent == 0


async def _groups(infra: Infra) -> dict[str, list[str]]:
    groups = {}
    for stream in (keys.SIGNALS, keys.ORDER_SUBMIT):
        names = [g["name"] for g in await infra.redis.xinfo_groups(stream)]
        groups[stream] = sorted(n.decode() if isinstance(n, bytes) else n for n in names)
    return groups


async def _ledger_ok(infra: Infra) -> Any:
    report = await check_ledger(infra.pool, infra.redis)
    return report if report.ok else None
