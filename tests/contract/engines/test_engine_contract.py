"""One contract, every engine: the same scenarios against Kalshi, Polymarket and the paper engine.

Place, see resting, partially fill, cancel, confirm the final state; refuse what must be refused before
anything is sent; never create a second order for the same client order id.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from markets.base import Accepted, OrderReport, OrderRequest, Rejected
from shared.orders.state import OrderStatus
from tests.contract.engines.harness import EngineHarness
from tests.support import eventually


def _request(
    h: EngineHarness,
    *,
    price: Decimal | None = None,
    quantity: Decimal = Decimal(10),
    market_id: str | None = None,
    tif: str = "gtc",
) -> OrderRequest:
    return OrderRequest(
        client_order_id=f"ct-{uuid.uuid4().hex[:20]}",
        market_id=market_id or h.market_id,
        outcome_id=h.outcome_id,
        side="buy",
        limit_price=price if price is not None else h.rest_price,
        quantity=quantity,
        time_in_force=tif,  # type: ignore[arg-type]
        tick_size=h.tick,
    )


async def test_place_rest_partial_fill_cancel_and_final_state(harness: EngineHarness) -> None:
    h = harness
    request = _request(h)
    result = await h.engine.submit(request)
    assert isinstance(result, Accepted), result
    assert result.report.status == OrderStatus.ACCEPTED and result.report.filled_quantity == 0

    resting = await h.engine.order_status(request.client_order_id)
    assert resting is not None and resting.status == OrderStatus.ACCEPTED
    assert request.client_order_id in {o.client_order_id for o in await h.engine.open_orders(h.market_id)}
    if resting.venue_order_id:
        by_venue = await h.engine.order_status_by_venue_id(resting.venue_order_id)
        assert by_venue is not None and by_venue.client_order_id == request.client_order_id

    await h.counterparty.offer(h.rest_price, Decimal(4))

    async def partly_filled() -> OrderReport | None:
        report = await h.engine.order_status(request.client_order_id)
        return report if report is not None and report.filled_quantity == 4 else None

    partial = await eventually(partly_filled, timeout=15)
    assert partial.status == OrderStatus.PARTIALLY_FILLED

    cancelled = await h.engine.cancel(request.client_order_id)
    assert cancelled is not None and cancelled.status == OrderStatus.CANCELED
    final = await h.engine.order_status(request.client_order_id)
    assert final is not None and final.status == OrderStatus.CANCELED and final.filled_quantity == 4
    assert request.client_order_id not in {o.client_order_id for o in await h.engine.open_orders(h.market_id)}

    fills = [f for f in (await h.engine.fills_since()).fills if f.client_order_id == request.client_order_id]
    assert sum((f.quantity for f in fills), Decimal(0)) == 4
    assert all(f.price == h.rest_price and f.fee >= 0 for f in fills)


async def test_same_client_order_id_never_makes_a_second_order(harness: EngineHarness) -> None:
    h = harness
    request = _request(h)
    first = await h.engine.submit(request)
    second = await h.engine.submit(request)
    assert isinstance(first, Accepted) and isinstance(second, Accepted)
    assert first.report.venue_order_id == second.report.venue_order_id
    mine = [o for o in await h.engine.open_orders(h.market_id) if o.client_order_id == request.client_order_id]
    assert len(mine) == 1
    await h.engine.cancel(request.client_order_id)


async def test_off_tick_price_is_refused_before_sending(harness: EngineHarness) -> None:
    h = harness
    result = await h.engine.submit(_request(h, price=h.rest_price + h.tick / 2))
    assert isinstance(result, Rejected) and not result.sent
    assert "tick" in result.reason.lower()


async def test_size_below_minimum_is_refused_before_sending(harness: EngineHarness) -> None:
    h = harness
    if h.min_size <= Decimal("0.01"):
        small = Decimal("0.001")
    else:
        small = h.min_size - Decimal(1)
    result = await h.engine.submit(_request(h, quantity=small))
    assert isinstance(result, Rejected) and not result.sent
    assert "size" in result.reason.lower() or "minimum" in result.reason.lower() or "quantity" in result.reason.lower()


async def test_unknown_market_is_a_clear_rejection(harness: EngineHarness) -> None:
    h = harness
    result = await h.engine.submit(_request(h, market_id=h.unknown_market_id))
    assert isinstance(result, Rejected)
    assert result.reason


async def test_insufficient_balance_is_a_clear_rejection(harness: EngineHarness) -> None:
    h = harness
    quantity = (h.balance / h.rest_price).to_integral_value() + Decimal(100)
    result = await h.engine.submit(_request(h, quantity=quantity))
    assert isinstance(result, Rejected)
    assert "balance" in result.reason.lower() or "insufficient" in result.reason.lower()
    assert request_not_resting(await h.engine.open_orders(h.market_id), quantity)


def request_not_resting(orders: list[OrderReport], quantity: Decimal) -> bool:
    return all(o.quantity != quantity for o in orders)
