"""The production Polymarket engine against the simulator: place, see, fill, cancel; GTD, FAK; refusals."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import Accepted, ExecutionEngine, OrderReport, OrderRequest, Rejected
from markets.polymarket.errors import HeartbeatMismatch
from markets.polymarket.execution.checks import GTD_SECURITY_BUFFER_S
from shared.errors import Rejected as VenueRejected
from shared.fees import PolymarketFeeSchedule, polymarket_fee
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_polymarket import TICK, ExecEnv, execution_env
from tests.support import eventually


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[ExecEnv]:
    async with execution_env(tmp_path) as started:
        yield started


def _coid() -> str:
    return f"it-{uuid.uuid4().hex[:16]}"


async def test_place_limit_order_with_the_issue_signature_places_shows_and_cancels(env: ExecEnv) -> None:
    engine = env.engine
    assert isinstance(engine, ExecutionEngine) and not engine.paper and engine.capabilities.dead_man_switch
    result = await engine.place_limit_order(env.token, "buy", Decimal("0.42"), Decimal("7"))
    assert isinstance(result, Accepted), result
    order_id = result.report.venue_order_id
    venue = env.venue_order(order_id)
    assert venue is not None and venue.status == "LIVE" and venue.price == Decimal("0.42") and venue.size == 7
    assert result.report.market_id == env.condition_id and result.report.venue_status == "live"

    shown = await engine.order_status(result.client_order_id)
    assert shown is not None and shown.status is OrderStatus.ACCEPTED and shown.remaining == 7
    listed = {o.client_order_id: o for o in await engine.open_orders(env.condition_id)}
    assert listed[result.client_order_id].venue_order_id == order_id

    cancelled = await engine.cancel(result.client_order_id)
    assert cancelled is not None and cancelled.status is OrderStatus.CANCELED
    assert venue.status == "CANCELED" and await engine.open_orders() == []
    assert env.posts() == 1


async def test_floats_and_bad_arguments_are_refused_before_anything_is_sent(env: ExecEnv) -> None:
    before = len(env.sim.state.requests)
    price_float = await env.engine.place_limit_order(env.token, "buy", 0.42, Decimal(7))  # type: ignore[arg-type]
    size_float = await env.engine.place_limit_order(env.token, "buy", Decimal("0.42"), 7.0)  # type: ignore[arg-type]
    bad_type = await env.engine.place_limit_order(env.token, "buy", Decimal("0.42"), Decimal(7), order_type="IOC")
    request = OrderRequest(_coid(), env.condition_id, env.token, "buy", 0.42, Decimal(7))  # type: ignore[arg-type]
    via_submit = await env.engine.submit(request)
    for result in (price_float, size_float, bad_type, via_submit):
        assert isinstance(result, Rejected) and not result.sent, result
    assert price_float.code == size_float.code == via_submit.code == "invalid_type"  # type: ignore[union-attr]
    assert "float" in price_float.reason  # type: ignore[union-attr]
    assert env.sim.state.requests[before:] == []  # not even a market lookup


async def test_a_resting_order_partly_fills_then_is_cancelled_with_provisional_then_final_fills(env: ExecEnv) -> None:
    engine = env.engine
    request = OrderRequest(_coid(), env.condition_id, env.token, "buy", Decimal("0.40"), Decimal(10))
    assert isinstance(await engine.submit(request), Accepted)
    await env.counterparty.offer(Decimal("0.40"), Decimal(4))

    async def confirmed() -> OrderReport | None:
        report = await engine.order_status(request.client_order_id)
        done = report is not None and report.fills and not report.fills[0].provisional
        return report if done else None

    report = await eventually(confirmed)
    assert report is not None
    assert report.status is OrderStatus.PARTIALLY_FILLED and report.filled_quantity == 4
    (fill,) = report.fills
    assert fill.liquidity == "maker" and fill.price == Decimal("0.40") and fill.fee == 0  # makers pay nothing
    assert report.avg_fill_price == Decimal("0.40")

    cancelled = await engine.cancel(request.client_order_id)
    assert cancelled is not None and cancelled.status is OrderStatus.CANCELED and cancelled.filled_quantity == 4
    assert await engine.cancel(request.client_order_id) == cancelled  # idempotent, nothing sent
    positions = await engine.positions()
    assert [(p.outcome_id, p.quantity, p.cost) for p in positions] == [(env.token, Decimal(4), Decimal("1.6"))]
    balance = await engine.balance()
    assert balance.currency == "pUSD" and balance.total == balance.available == Decimal("998.4")


async def test_a_taker_fill_carries_the_published_fee(env: ExecEnv) -> None:
    await env.counterparty.offer(Decimal("0.55"), Decimal(10))  # rests: nobody bids
    result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.55"), Decimal(10), order_type="FOK")
    assert isinstance(result, Accepted) and result.report.status is OrderStatus.FILLED
    (fill,) = result.report.fills
    schedule = PolymarketFeeSchedule(rate=Decimal("0.05"), exponent=1, taker_only=True)  # sports since 2026-07-10
    assert fill.liquidity == "taker" and fill.fee == polymarket_fee(Decimal("0.55"), Decimal(10), schedule)
    assert fill.fee == Decimal("0.12375")  # 10 x 0.05 x 0.55 x 0.45


async def test_fak_fills_what_it_can_and_the_rest_is_cancelled(env: ExecEnv) -> None:
    await env.counterparty.offer(Decimal("0.45"), Decimal(5))
    result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.45"), Decimal(10), order_type="FAK")
    assert isinstance(result, Accepted) and result.report.filled_quantity == 5

    async def closed() -> OrderReport | None:
        report = await env.engine.order_status(result.client_order_id)
        return report if report is not None and report.status is OrderStatus.CANCELED else None

    final = await eventually(closed)
    assert final is not None and final.filled_quantity == 5
    nothing = await env.engine.place_limit_order(env.token, "buy", Decimal("0.30"), Decimal(10), order_type="FAK")
    assert isinstance(nothing, Rejected) and nothing.sent and nothing.code == "venue_rejected"
    assert "FAK" in nothing.reason


async def test_a_gtd_order_carries_the_security_buffer_and_a_short_one_is_refused(env: ExecEnv) -> None:
    expires_at = datetime.now(UTC) + timedelta(seconds=200)  # expiration = now + 260 >= the venue's 60 + 180
    result = await env.engine.place_limit_order(
        env.token, "buy", Decimal("0.30"), Decimal(5), order_type="GTD", expires_at=expires_at
    )
    assert isinstance(result, Accepted) and result.report.status is OrderStatus.ACCEPTED
    venue = env.venue_order(result.report.venue_order_id)
    assert venue is not None and venue.order_type == "GTD"
    assert venue.expiration - expires_at.timestamp() == pytest.approx(GTD_SECURITY_BUFFER_S, abs=1)
    short = await env.engine.place_limit_order(
        env.token, "buy", Decimal("0.30"), Decimal(5), order_type="GTD",
        expires_at=datetime.now(UTC) + timedelta(seconds=150),  # 150 s of life: under 3 minutes, refused unsent
    )  # fmt: skip
    assert isinstance(short, Rejected) and not short.sent and short.code == "invalid_expiration"
    past = await env.engine.place_limit_order(
        env.token, "buy", Decimal("0.30"), Decimal(5), order_type="GTD", expires_at=datetime.now(UTC)
    )
    assert isinstance(past, Rejected) and not past.sent
    assert env.posts() == 1


async def test_the_venue_refuses_a_gtd_with_under_three_minutes_beyond_the_buffer(env: ExecEnv) -> None:
    trader = env.engine._trader
    short = int(time.time()) + GTD_SECURITY_BUFFER_S + 170  # 170 s of life beyond the buffer: under 3 minutes
    with pytest.raises(VenueRejected, match="invalid expiration"):
        await trader.place_limit_order(
            env.token, "BUY", Decimal("0.30"), Decimal(5), tick_size=TICK, neg_risk=False, order_type="GTD",
            expiration=short,
        )  # fmt: skip
    ok = int(time.time()) + GTD_SECURITY_BUFFER_S + 200
    signed, answer = await trader.place_limit_order(
        env.token, "BUY", Decimal("0.30"), Decimal(5), tick_size=TICK, neg_risk=False, order_type="GTD",
        expiration=ok,
    )  # fmt: skip
    assert answer.status == "live" and env.venue_order(signed.order_id) is not None


async def test_a_fak_buy_is_signed_with_market_buy_precision_and_the_venue_refuses_finer(env: ExecEnv) -> None:
    await env.counterparty.offer(Decimal("0.57"), Decimal("20"))
    # 7.33 x 0.57 = 4.1781: a limit order would carry 4 pUSD decimals, a market buy may carry only 2.
    result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.57"), Decimal("7.33"), order_type="FAK")
    assert isinstance(result, Accepted) and result.report.filled_quantity > 0, result
    trader = env.engine._trader
    limit_signed = trader.sign_limit_order(
        env.token, "BUY", Decimal("0.57"), Decimal("7.33"), tick_size=TICK, neg_risk=False
    )  # GTC precision: maker 4.1781 pUSD
    with pytest.raises(VenueRejected, match="max accuracy of 2 decimals"):
        await trader.post_order(limit_signed, order_type="FAK")


async def test_post_only_that_would_cross_is_refused_by_the_venue_and_nothing_rests(env: ExecEnv) -> None:
    await env.counterparty.offer(Decimal("0.45"), Decimal(5))
    result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.45"), Decimal(5), post_only=True)
    assert isinstance(result, Rejected) and result.sent and "crosses" in result.reason
    assert await env.engine.open_orders() == []
    status = await env.engine.order_status(result.client_order_id)
    assert status is not None and status.status is OrderStatus.REJECTED


async def test_cancel_all_cancels_every_resting_order_of_the_key(env: ExecEnv) -> None:
    placed = [await env.engine.place_limit_order(env.token, "buy", Decimal(p), Decimal(5)) for p in ("0.30", "0.31")]
    assert all(isinstance(r, Accepted) for r in placed)
    cancelled = await env.engine.cancel_all()
    assert sorted(cancelled) == sorted(r.client_order_id for r in placed)
    for r in placed:
        report = await env.engine.order_status(r.client_order_id)
        assert report is not None and report.status is OrderStatus.CANCELED
    assert ("DELETE", "/cancel-all") in env.sim.state.requests


async def test_concurrent_submits_of_one_client_order_id_post_once(env: ExecEnv) -> None:
    request = OrderRequest(_coid(), env.condition_id, env.token, "buy", Decimal("0.33"), Decimal(5))
    results = await asyncio.gather(*(env.engine.submit(request) for _ in range(5)))
    assert all(isinstance(r, Accepted) for r in results)
    assert len({r.report.venue_order_id for r in results if isinstance(r, Accepted)}) == 1
    assert env.posts() == 1


async def test_a_market_that_stopped_accepting_orders_is_refused_before_sending(env: ExecEnv) -> None:
    await env.control(f"markets/{env.condition_id}/settle", {"winning_index": 0})
    result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.40"), Decimal(5))
    assert isinstance(result, Rejected) and not result.sent and result.code == "market_closed"
    assert "closed" in result.reason and env.posts() == 0


async def test_a_stale_heartbeat_id_is_replaced_by_the_one_the_venue_names_and_orders_keep_resting(
    env: ExecEnv,
) -> None:
    result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.31"), Decimal(5))
    assert isinstance(result, Accepted)
    switch = env.engine._heartbeat

    async def beating() -> bool:
        return switch.stats.sent >= 1

    await eventually(beating)
    switch._heartbeat_id = "stale-after-a-lost-answer"
    sent = switch.stats.sent
    await switch.beat()
    assert switch.stats.resynced >= 1 and switch.stats.sent > sent and switch.stats.failed == 0
    ex = env.sim.state.exchange
    owner = next(iter(ex.heartbeat_ids))
    assert ex.heartbeat_ids[owner] == switch._heartbeat_id  # in step with the venue again
    venue = env.venue_order(result.report.venue_order_id)
    assert venue is not None and venue.status == "LIVE"


async def test_the_venue_refuses_a_stale_heartbeat_and_names_the_expected_id(env: ExecEnv) -> None:
    trader = env.engine._trader
    first = await trader.heartbeat("")
    with pytest.raises(HeartbeatMismatch) as refused:
        await trader.heartbeat("not-the-current-id")
    current = env.sim.state.exchange.heartbeat_ids
    assert refused.value.heartbeat_id in current.values() and refused.value.status == 400
    assert first["heartbeat_id"] != "" and isinstance(first, dict)
