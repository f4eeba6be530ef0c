"""Fail-closed behaviour: the venue's dead-man switch (heartbeats) and geoblocking, against the simulator."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import Accepted, OrderRequest, Rejected
from markets.caps import CappedEngine, LiveCaps
from markets.sim.polymarket.state import SimConfig
from shared.errors import Geoblocked
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_polymarket import ExecEnv, execution_env
from tests.support import eventually

VENUE_TIMEOUT_S = 1.0  # the simulator's dead-man timeout, shortened from the venue's 10 s
BEAT_S = 0.3


def _config() -> SimConfig:
    return SimConfig(mine_delay_s=0.1, confirm_delay_s=0.1, heartbeat_timeout_s=VENUE_TIMEOUT_S)


def _heartbeats(env: ExecEnv) -> int:
    return sum(1 for m, p in env.sim.state.requests if (m, p) == ("POST", "/v1/heartbeats"))


async def test_heartbeats_keep_resting_orders_alive_and_their_absence_gets_them_cancelled(tmp_path: Path) -> None:
    async with execution_env(tmp_path, sim_config=_config(), heartbeat_interval_s=BEAT_S) as env:
        assert _heartbeats(env) == 0  # nothing rests: the switch is not armed
        result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.40"), Decimal(5))
        assert isinstance(result, Accepted)
        venue = env.venue_order(result.report.venue_order_id)
        assert venue is not None
        await asyncio.sleep(2.5 * VENUE_TIMEOUT_S)  # well past the venue's timeout
        assert venue.status == "LIVE" and _heartbeats(env) >= 5

        await env.engine.close()  # the process stops: no more heartbeats
        closed_at = _heartbeats(env)

        async def cancelled_by_the_venue() -> bool:
            return venue.status == "CANCELED"

        await eventually(cancelled_by_the_venue, timeout=4 * VENUE_TIMEOUT_S)
        assert _heartbeats(env) == closed_at


async def test_heartbeats_stop_once_nothing_rests(tmp_path: Path) -> None:
    async with execution_env(tmp_path, sim_config=_config(), heartbeat_interval_s=BEAT_S) as env:
        result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.40"), Decimal(5))
        assert isinstance(result, Accepted)

        async def armed() -> bool:
            return _heartbeats(env) >= 2

        await eventually(armed)
        await env.engine.cancel(result.client_order_id)
        await asyncio.sleep(BEAT_S)  # a beat already in flight may still land
        quiet_from = _heartbeats(env)
        await asyncio.sleep(4 * BEAT_S)
        assert _heartbeats(env) == quiet_from


async def test_a_geoblocked_start_refuses_and_nothing_is_sent(tmp_path: Path) -> None:
    async with execution_env(tmp_path, start=False) as env:
        await env.control("geoblock", {"blocked": True, "country": "US", "region": "NY"})
        await env.control("requests", method="DELETE")
        with pytest.raises(Geoblocked):
            await env.engine.start()
        assert env.engine.gate.tripped
        result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.40"), Decimal(5))
        assert isinstance(result, Rejected) and not result.sent and result.code == "geoblocked"
        assert {p for _, p in env.sim.state.requests} == {"/time", "/api/geoblock"}


async def test_a_region_refusal_mid_session_stops_trading_and_the_heartbeat(tmp_path: Path) -> None:
    async with execution_env(tmp_path, sim_config=_config(), heartbeat_interval_s=BEAT_S) as env:
        resting = await env.engine.place_limit_order(env.token, "buy", Decimal("0.40"), Decimal(5))
        assert isinstance(resting, Accepted)
        await env.control("geoblock", {"blocked": True, "country": "US", "region": "NY"})
        refused = await env.engine.place_limit_order(env.token, "buy", Decimal("0.41"), Decimal(5))
        assert isinstance(refused, Rejected) and refused.sent and refused.code == "geoblocked"
        assert env.engine.gate.tripped
        posts = env.posts()
        again = await env.engine.place_limit_order(env.token, "buy", Decimal("0.41"), Decimal(5))
        assert isinstance(again, Rejected) and not again.sent and env.posts() == posts

        async def cancelled_by_the_venue() -> bool:  # no more heartbeats: the venue's switch fires
            report = await env.engine.order_status(resting.client_order_id)
            return report is not None and report.status is OrderStatus.CANCELED

        await eventually(cancelled_by_the_venue, timeout=4 * VENUE_TIMEOUT_S)
        assert env.engine.heartbeat.stopped


async def test_a_sell_in_close_only_mode_passes_and_a_buy_does_not(tmp_path: Path) -> None:
    async with execution_env(tmp_path, start=False) as env:
        await env.control("geoblock", {"blocked": True, "country": "PL", "region": "14"})  # close-only country
        await env.control(f"accounts/{env.engine.address}", {"tokens": {env.token: "20"}})
        await env.engine.start()
        buy = await env.engine.place_limit_order(env.token, "buy", Decimal("0.40"), Decimal(5))
        assert isinstance(buy, Rejected) and not buy.sent and buy.code == "geoblocked"
        assert env.posts() == 0
        await env.control("geoblock", {"blocked": False, "country": "PL", "region": "14"})  # venue-side check only
        sell = await env.engine.place_limit_order(env.token, "sell", Decimal("0.60"), Decimal(5))
        assert isinstance(sell, Accepted), sell


async def test_behind_the_live_caps_an_order_above_the_cap_is_refused_and_nothing_is_sent(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        capped = CappedEngine(env.engine, LiveCaps(max_order_notional_cents=2_000), env.engine.journal)
        big = OrderRequest("cap-1", env.condition_id, env.token, "buy", Decimal("0.50"), Decimal(50))  # $25
        refused = await capped.submit(big)
        assert isinstance(refused, Rejected) and not refused.sent and refused.code == "cap_per_order"
        small = OrderRequest("cap-2", env.condition_id, env.token, "buy", Decimal("0.50"), Decimal(30))  # $15
        assert isinstance(await capped.submit(small), Accepted)
        assert env.posts() == 1
