"""Ambiguous and failed submits: never a second post; resolved from the venue; definitive refusals stay refusals."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import Accepted, OrderReport, OrderRequest, Rejected, Unknown
from markets.journal import FileOrderJournal
from shared.errors import AuthOrClock
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_polymarket import ExecEnv, build_engine, execution_env, sim_settings
from tests.support import eventually

HANG = {"kind": "accept_then_timeout", "path": "^/order$", "method": "POST", "hang_s": 2}  # client times out at 1 s
MUTE_USER_CHANNEL = {"kind": "ws_freeze", "channel": "user", "hang_s": 60}  # only REST can resolve it


async def _mute_user_channel(env: ExecEnv) -> None:
    await env.control("faults", MUTE_USER_CHANNEL)

    async def taken() -> bool:
        return not any(f["kind"] == "ws_freeze" for f in await env.control("faults", method="GET"))

    await eventually(taken)


def _request(condition_id: str, token: str, price: str = "0.40", size: int = 10) -> OrderRequest:
    coid = f"amb-{uuid.uuid4().hex[:16]}"
    return OrderRequest(coid, condition_id, token, "buy", Decimal(price), Decimal(size))


async def test_accept_then_timeout_is_unknown_never_reposted_and_resolved_from_the_venue(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        await _mute_user_channel(env)
        await env.control("faults", HANG)
        request = _request(env.condition_id, env.token)
        result = await env.engine.submit(request)
        assert isinstance(result, Unknown), result
        assert result.venue_order_id is not None and env.venue_order(result.venue_order_id) is not None

        async def resolved() -> OrderReport | None:
            order = env.engine.tracker.get(request.client_order_id)
            return order.report() if order is not None and order.status is OrderStatus.ACCEPTED else None

        report = await eventually(resolved)  # by the background reconciliation: GET /data/order/{hash}
        assert report is not None
        assert report.status is OrderStatus.ACCEPTED and report.filled_quantity == 0
        assert report.venue_order_id == result.venue_order_id
        again = await env.engine.submit(request)
        assert isinstance(again, Accepted) and again.report.venue_order_id == result.venue_order_id
        assert env.posts() == 1
        assert ("GET", f"/data/order/{result.venue_order_id}") in env.sim.state.requests


async def test_an_unknown_submit_survives_a_restart_and_is_resolved_by_its_journalled_hash(tmp_path: Path) -> None:
    async with execution_env(tmp_path, sync_interval_s=60) as env:  # no reconciliation before the "crash"
        await _mute_user_channel(env)
        await env.control("faults", HANG)
        request = _request(env.condition_id, env.token)
        first = await env.engine.submit(request)
        assert isinstance(first, Unknown)
        await env.engine.close()  # the process dies before resolving it
        key = env.engine.settings.private_key
        assert key is not None
        journal = FileOrderJournal(next(tmp_path.glob("pm-*.jsonl")))  # reopened from disk
        assert [e.client_order_id for e in await journal.unresolved("polymarket")] == [request.client_order_id]
        restarted = build_engine(env.sim, tmp_path, key.get_secret_value(), journal=journal)
        await restarted.start()
        try:
            again = await restarted.submit(request)
            assert isinstance(again, Accepted) and again.report.venue_order_id == first.venue_order_id
            assert again.report.status is OrderStatus.ACCEPTED
            assert env.posts() == 1
            entry = await journal.get(request.client_order_id)
            assert entry is not None and entry.state == "acked"
        finally:
            await restarted.close()


async def test_an_answer_lost_after_the_user_channel_showed_the_order_is_accepted(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        await env.control("faults", HANG)
        result = await env.engine.submit(_request(env.condition_id, env.token))
        assert isinstance(result, Accepted) and result.report.status is OrderStatus.ACCEPTED  # seen on the socket
        assert env.posts() == 1


async def test_a_503_on_post_is_unknown_not_a_rejection_and_is_never_reposted(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        await env.control("faults", {"kind": "http_status", "status": 503, "path": "^/order$", "method": "POST"})
        request = _request(env.condition_id, env.token)
        result = await env.engine.submit(request)
        assert isinstance(result, Unknown) and result.venue_order_id is not None, result
        order = env.engine.tracker.get(request.client_order_id)
        assert order is not None and order.status is OrderStatus.UNKNOWN  # resolved later by its hash
        assert env.posts() == 1 and env.venue_order(result.venue_order_id) is None


async def test_a_500_after_the_venue_took_the_order_resolves_to_accepted_by_the_order_hash(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        await _mute_user_channel(env)
        fault = {"kind": "accept_then_status", "status": 500, "path": "^/order$", "method": "POST"}
        await env.control("faults", fault | {"body": {"error": "order timed out"}})
        request = _request(env.condition_id, env.token)
        result = await env.engine.submit(request)
        assert isinstance(result, Unknown) and result.venue_order_id is not None, result
        assert env.venue_order(result.venue_order_id) is not None  # the venue did take it

        async def resolved() -> OrderReport | None:
            order = env.engine.tracker.get(request.client_order_id)
            return order.report() if order is not None and order.status is OrderStatus.ACCEPTED else None

        report = await eventually(resolved)
        assert report is not None and report.venue_order_id == result.venue_order_id
        assert env.posts() == 1


async def test_a_401_on_post_is_auth_or_clock_and_not_retried(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        body = {"error": "Unauthorized/Invalid api key"}
        await env.control("faults", {"kind": "http_status", "status": 401, "path": "^/order$", "body": body})
        result = await env.engine.submit(_request(env.condition_id, env.token))
        assert isinstance(result, Rejected) and result.sent and result.code == "auth_or_clock"
        assert "Invalid api key" in result.reason
        assert env.posts() == 1


async def test_a_skewed_venue_clock_stops_start_up_before_any_signed_call(tmp_path: Path) -> None:
    async with execution_env(tmp_path, start=False) as env:
        await env.control("clock", {"offset_s": 3600})  # far beyond the limit, however loaded the machine
        await env.control("requests", method="DELETE")
        with pytest.raises(AuthOrClock) as refused:
            await env.engine.start()
        assert refused.value.code == "clock_skew" and "clock differs" in str(refused.value)
        assert env.sim.state.requests == [("GET", "/time")]
        result = await env.engine.submit(_request(env.condition_id, env.token))
        assert isinstance(result, Rejected) and not result.sent and result.code == "not_started"
        assert env.posts() == 0


async def test_settings_construction_keeps_the_private_key_out_of_reprs(tmp_path: Path) -> None:
    async with execution_env(tmp_path, start=False) as env:
        key = sim_settings(env.sim).private_key
        assert key is not None
        engine = build_engine(env.sim, tmp_path, key.get_secret_value())
        secret = key.get_secret_value()
        assert secret not in repr(engine) and secret not in repr(engine.settings)
        assert secret.removeprefix("0x") not in repr(engine) and engine.address in repr(engine)


async def test_a_cancel_sent_before_the_venue_has_the_order_is_repeated_once_it_shows_up(tmp_path: Path) -> None:
    async with execution_env(tmp_path) as env:
        await env.control("faults", {"kind": "latency", "path": "^/order$", "method": "POST", "latency_ms": 600})
        request = _request(env.condition_id, env.token)
        submitting = asyncio.create_task(env.engine.submit(request))

        async def in_flight() -> bool:
            return env.engine.tracker.get(request.client_order_id) is not None

        await eventually(in_flight)
        early = await env.engine.cancel(request.client_order_id)  # the venue does not know it yet
        assert early is not None and early.status is OrderStatus.SUBMITTED
        result = await submitting
        assert isinstance(result, Accepted) and result.report.status is OrderStatus.PENDING_CANCEL

        async def cancelled() -> bool:
            venue = env.venue_order(result.report.venue_order_id)
            return venue is not None and venue.status == "CANCELED"

        await eventually(cancelled)  # re-sent by the reconciliation loop once the order was seen live
        final = await env.engine.order_status(request.client_order_id)
        assert final is not None and final.status is OrderStatus.CANCELED and env.posts() == 1
