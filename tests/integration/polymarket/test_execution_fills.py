"""Fills through the production engine: counted once across socket and REST, voided when settlement fails,
and a ``delayed`` sports order that is pending and later matched."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import Accepted, FillReport, OrderReport, OrderRequest
from shared.fees import PolymarketFeeSchedule, polymarket_fee
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_polymarket import ExecEnv, execution_env
from tests.support import eventually


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[ExecEnv]:
    async with execution_env(tmp_path) as started:
        yield started


class Collector:
    """Everything ``engine.updates()`` yields, gathered in the background."""

    def __init__(self, env: ExecEnv) -> None:
        self.items: list[OrderReport | FillReport] = []
        self._stream = env.engine.updates()
        self._task = asyncio.create_task(self._collect())

    async def _collect(self) -> None:
        async for item in self._stream:
            self.items.append(item)

    def fills(self, coid: str) -> list[FillReport]:
        return [i for i in self.items if isinstance(i, FillReport) and i.client_order_id == coid]

    def orders(self, coid: str) -> list[OrderReport]:
        return [i for i in self.items if isinstance(i, OrderReport) and i.client_order_id == coid]

    async def stop(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


async def _rest(env: ExecEnv, size: int = 10) -> OrderRequest:
    request = OrderRequest(
        f"fl-{uuid.uuid4().hex[:16]}", env.condition_id, env.token, "buy", Decimal("0.40"), Decimal(size)
    )
    assert isinstance(await env.engine.submit(request), Accepted)
    return request


async def test_the_same_fill_on_the_socket_and_by_polling_is_counted_once(env: ExecEnv) -> None:
    stream = Collector(env)
    request = await _rest(env)
    await env.counterparty.offer(Decimal("0.40"), Decimal(4))

    async def confirmed_on_socket() -> bool:
        return any(not f.provisional for f in stream.fills(request.client_order_id))

    await eventually(confirmed_on_socket)
    duplicates_before = env.engine.tracker.duplicates
    page = await env.engine.fills_since()  # the same trade again, over REST
    status = await env.engine.order_status(request.client_order_id)  # and again
    mine = [f for f in page.fills if f.client_order_id == request.client_order_id]
    assert len(mine) == 1 and mine[0].quantity == 4 and not mine[0].provisional
    assert status is not None and status.filled_quantity == 4 and len(status.fills) == 1
    assert env.engine.tracker.duplicates > duplicates_before  # seen again, not counted again
    seen = stream.fills(request.client_order_id)
    assert {(f.venue_trade_id, f.client_order_id) for f in seen} == {(mine[0].venue_trade_id, request.client_order_id)}
    assert [f.provisional for f in seen] == [True, False]  # first seen MATCHED, then CONFIRMED; nothing else
    assert [o.filled_quantity for o in stream.orders(request.client_order_id)] == [0, 4]
    assert (await env.engine.fills_since(cursor=page.cursor)).fills == ()  # the cursor moves past it
    await stream.stop()


async def test_a_matched_trade_that_fails_voids_its_provisional_fill(env: ExecEnv) -> None:
    stream = Collector(env)
    request = await _rest(env)
    await env.control("settlement", {"fail_next": 1})
    await env.counterparty.offer(Decimal("0.40"), Decimal(4))

    async def provisional() -> bool:
        return any(f.provisional for f in stream.fills(request.client_order_id))

    await eventually(provisional)

    async def voided() -> OrderReport | None:
        order = env.engine.tracker.get(request.client_order_id)
        failed = order is not None and any(f.failed for f in order.fills.values())
        return order.report() if failed and order is not None else None

    report = await eventually(voided)
    assert report is not None
    assert report.status is OrderStatus.ACCEPTED and report.filled_quantity == 0 and report.fills == ()
    assert report.reason is not None and "failed" in report.reason
    assert not [f for f in (await env.engine.fills_since()).fills if f.client_order_id == request.client_order_id]
    assert await env.engine.positions() == []
    assert (await env.engine.balance()).total == Decimal(1000)  # the venue reversed the settlement
    last = stream.orders(request.client_order_id)[-1]
    assert last.filled_quantity == 0 and last.fills == ()
    assert env.engine.tracker.voids == 1
    await stream.stop()


async def test_a_delayed_sports_order_is_pending_then_matched(tmp_path: Path) -> None:
    market = {"makers": True, "price": 0.5, "half_spread": "0.05", "levels": 1, "noise_sd": 0.0,
              "refresh_s": 3600, "matching_delay_s": 0.5}  # fmt: skip
    async with execution_env(tmp_path, market=market) as env:
        result = await env.engine.place_limit_order(env.token, "buy", Decimal("0.55"), Decimal(10))
        assert isinstance(result, Accepted), result
        assert result.report.status is OrderStatus.ACCEPTED and result.report.venue_status == "delayed"
        assert result.report.filled_quantity == 0  # pending: not rejected, not unfilled
        pending = await env.engine.order_status(result.client_order_id)
        assert pending is not None and pending.venue_status == "delayed" and pending.status is OrderStatus.ACCEPTED

        async def filled() -> OrderReport | None:
            report = await env.engine.order_status(result.client_order_id)
            return report if report is not None and report.status is OrderStatus.FILLED else None

        report = await eventually(filled)
        assert report is not None
        (fill,) = report.fills
        schedule = PolymarketFeeSchedule(rate=Decimal("0.05"), exponent=1, taker_only=True)  # sports since 2026-07-10
        assert fill.price == Decimal("0.55") and fill.quantity == 10 and fill.liquidity == "taker"
        assert fill.fee == polymarket_fee(Decimal("0.55"), Decimal(10), schedule)
        assert env.posts() == 1
