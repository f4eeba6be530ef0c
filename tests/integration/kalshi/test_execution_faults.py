"""The Kalshi execution engine under venue faults: retries keep one order, timeouts are never rejections.

Faults are injected at the simulator (``/_sim/faults``); requests are counted there (``/_sim/stats``).
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from markets.base import Accepted, OrderReport, OrderRequest, Rejected, Unknown
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.options import ExecutionOptions
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_kalshi import build_engine
from tests.integration.kalshi.conftest import KEY_A, KEY_B, QUIET, TICKER, Sim
from tests.support import eventually

D = Decimal
CREATE = "POST /trade-api/v2/portfolio/events/orders"


def _request(cid: str, price: str = "0.30", quantity: str = "5") -> OrderRequest:
    return OrderRequest(
        client_order_id=cid, market_id=TICKER, outcome_id="yes", side="buy", limit_price=D(price),
        quantity=D(quantity),
    )  # fmt: skip


async def _venue_orders(sim: Sim, client_order_id: str) -> list[dict[str, Any]]:
    orders = (await sim.control("GET", f"/_sim/orders?key_id={KEY_A}"))["orders"]
    return [o for o in orders if o["client_order_id"] == client_order_id]


async def _creates(sim: Sim) -> dict[str, int]:
    """HTTP status -> count of create requests that reached the simulator."""
    stats = await sim.control("GET", "/_sim/stats")
    return dict(stats.get(CREATE, {}).get("statuses", {}))


async def _settled_creates(sim: Sim, expected: dict[str, int]) -> None:
    """Wait until the create requests counted at the simulator are ``expected`` (a hung one counts late)."""

    async def probe() -> bool:
        return await _creates(sim) == expected

    await eventually(probe, timeout=5)


async def _started(
    sim: Sim, tmp_path: Path, options: ExecutionOptions = QUIET, **settings: Any
) -> KalshiExecutionEngine:
    engine = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, options=options, **settings)
    await engine.start()
    return engine


async def test_503_then_success_on_create_makes_exactly_one_order(sim: Sim, tmp_path: Path) -> None:
    engine = await _started(sim, tmp_path)
    try:
        await sim.fault(kind="http_status", method="POST", path="/portfolio/events/orders", status=503, count=1)
        result = await engine.submit(_request("r503-1"))
        assert isinstance(result, Accepted) and result.report.status == OrderStatus.ACCEPTED
        assert await _creates(sim) == {"201": 1, "503": 1}  # sent twice, with the same client_order_id
        assert len(await _venue_orders(sim, "r503-1")) == 1
        entry = await engine.journal.get("r503-1")
        assert entry is not None and entry.state == "acked"
    finally:
        await engine.close()


async def test_429_on_create_is_retried_with_the_same_client_order_id(sim: Sim, tmp_path: Path) -> None:
    engine = await _started(sim, tmp_path)
    try:
        await sim.fault(kind="http_status", method="POST", path="/portfolio/events/orders", status=429, count=2)
        result = await engine.submit(_request("r429-1"))
        assert isinstance(result, Accepted)
        assert await _creates(sim) == {"201": 1, "429": 2}
        assert len(await _venue_orders(sim, "r429-1")) == 1
    finally:
        await engine.close()


async def test_accept_then_timeout_is_resolved_to_the_real_order_without_a_second_one(sim: Sim, tmp_path: Path) -> None:
    engine = await _started(sim, tmp_path, request_timeout_s=0.4)
    try:
        await sim.fault(kind="accept_then_timeout", method="POST", path="/portfolio/events/orders", hang_s=0.8)
        result = await engine.submit(_request("att-1"))
        assert not isinstance(result, Rejected)
        (venue,) = await _venue_orders(sim, "att-1")
        assert isinstance(result, Accepted) and result.report.venue_order_id == venue["order_id"]
        await _settled_creates(sim, {"0": 1})  # found by the look-up, not sent again (0: the answer never came)
        status = await engine.order_status("att-1")
        assert status is not None and status.status == OrderStatus.ACCEPTED
    finally:
        await engine.close()


async def test_unknown_submit_stays_unknown_until_the_venue_shows_the_order(sim: Sim, tmp_path: Path) -> None:
    options = ExecutionOptions(  # no WebSocket: its user_order push would resolve the order at once
        ws_enabled=False, submit_sends=2, resolve_checks=2, resolve_interval_s=0.05, fallback_poll_interval_s=0.1,
        open_check_interval_s=600,
    )  # fmt: skip
    engine = await _started(sim, tmp_path, options, request_timeout_s=0.3, max_read_attempts=1)
    updates = engine.updates()
    try:
        await sim.fault(kind="accept_then_timeout", method="POST", path="/portfolio/events/orders", hang_s=0.6, count=2)
        await sim.fault(kind="http_status", method="GET", path="/portfolio/orders$", status=503, count=None)
        result = await engine.submit(_request("unk-1"))
        assert isinstance(result, Unknown) and result.client_order_id == "unk-1"
        entry = await engine.journal.get("unk-1")
        assert entry is not None and entry.state == "unknown"
        assert engine.tracker.orders["unk-1"].status == OrderStatus.UNKNOWN

        await sim.control("DELETE", "/_sim/faults")

        async def resolved() -> OrderReport:
            while True:
                update = await asyncio.wait_for(anext(updates), 5)
                if isinstance(update, OrderReport) and update.status == OrderStatus.ACCEPTED:
                    return update

        report = await resolved()  # the engine's reconciliation found it by client_order_id
        (venue,) = await _venue_orders(sim, "unk-1")
        assert report.client_order_id == "unk-1" and report.venue_order_id == venue["order_id"]
        status = await engine.order_status("unk-1")
        assert status is not None and status.status == OrderStatus.ACCEPTED
        await _settled_creates(sim, {"0": 2})  # both sends carried the same id: one order
        entry = await engine.journal.get("unk-1")
        assert entry is not None and entry.state == "acked"
    finally:
        await engine.close()


async def test_an_ambiguous_submit_is_resolved_from_the_websocket_when_look_ups_fail(sim: Sim, tmp_path: Path) -> None:
    engine = await _started(sim, tmp_path, request_timeout_s=0.3, max_read_attempts=1)
    try:
        await sim.fault(kind="accept_then_timeout", method="POST", path="/portfolio/events/orders", hang_s=0.6)
        await sim.fault(kind="http_status", method="GET", path="/portfolio/orders$", status=503, count=None)
        result = await engine.submit(_request("wsr-1"))
        (venue,) = await _venue_orders(sim, "wsr-1")
        assert isinstance(result, Accepted) and result.report.venue_order_id == venue["order_id"]
        await _settled_creates(sim, {"0": 1})  # the user_order push settled it: never sent twice
    finally:
        await sim.control("DELETE", "/_sim/faults")
        await engine.close()


async def test_a_401_for_a_skewed_clock_is_auth_or_clock_and_not_retried(sim: Sim, tmp_path: Path) -> None:
    offset = [0.0]

    def clock() -> float:
        return time.time() + offset[0]

    options = ExecutionOptions(
        market_ttl_s=60, balance_ttl_s=60, poll_interval_s=60, fallback_poll_interval_s=60, open_check_interval_s=600
    )
    engine = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, clock=clock, options=options)
    await engine.start()
    try:
        assert isinstance(await engine.submit(_request("clk-1")), Accepted)
        offset[0] = 600.0  # our clock jumps: every signature is now far outside the venue's window
        refused = await engine.submit(_request("clk-2"))
        assert isinstance(refused, Rejected) and refused.sent and refused.code == "auth_or_clock"
        assert "timestamp" in refused.reason
        assert await _creates(sim) == {"201": 1, "401": 1}  # the 401 was not retried
        latched = await engine.submit(_request("clk-3"))
        assert isinstance(latched, Rejected) and not latched.sent and latched.code == "auth_or_clock"
        assert await _creates(sim) == {"201": 1, "401": 1}
        entry = await engine.journal.get("clk-2")
        assert entry is not None and entry.state == "refused"

        offset[0] = 0.0
        await engine.start()  # checks pass again: the latch is cleared
        assert isinstance(await engine.submit(_request("clk-4")), Accepted)
    finally:
        await engine.close()


async def test_the_background_resolution_of_fills_survives_a_websocket_drop(sim: Sim, tmp_path: Path) -> None:
    options = ExecutionOptions(poll_interval_s=60, fallback_poll_interval_s=0.1, open_check_interval_s=600)
    engine = await _started(sim, tmp_path, options)
    try:
        assert isinstance(await engine.submit(_request("drop-1")), Accepted)
        assert engine.feed is not None
        await sim.fault(kind="ws_drop", channel="fill")
        bob = sim.rest(KEY_B)
        await bob.create_order(ticker=TICKER, side="ask", count=D(5), price=D("0.30"), client_order_id="bob-d")

        async def filled() -> bool:
            return engine.tracker.orders["drop-1"].status == OrderStatus.FILLED

        deadline = asyncio.get_running_loop().time() + 5
        while not await filled():
            assert asyncio.get_running_loop().time() < deadline, engine.tracker.orders["drop-1"]
            await asyncio.sleep(0.05)
        assert engine.tracker.stats.fills_applied == 1
    finally:
        await engine.close()
