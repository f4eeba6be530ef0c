"""Pre-send checks of the Kalshi engine (pure parts) and the balance gate."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from markets.base import OrderRequest
from markets.kalshi.execution.validate import BalanceGate, check_market, check_request, on_grid, worst_case_cost
from markets.kalshi.models import KalshiBalance, MarketInfo, PriceBand

D = Decimal
TAPERED = (PriceBand(D(0), D("0.1"), D("0.001")), PriceBand(D("0.1"), D("0.9"), D("0.01")),
           PriceBand(D("0.9"), D(1), D("0.001")))  # fmt: skip


def _request(**changes: Any) -> OrderRequest:
    base = OrderRequest("c1", "T", "yes", "buy", D("0.30"), D(10))
    return replace(base, **changes)


def _market(**changes: Any) -> MarketInfo:
    base = MarketInfo(
        ticker="T", event_ticker="E", market_type="binary", title="", yes_sub_title="", no_sub_title="",
        status="active", status_raw="active", result=None, yes_bid=None, yes_ask=None, no_bid=None, no_ask=None,
        last_price=None, yes_bid_size=None, yes_ask_size=None, volume=None, open_interest=None, open_time=None,
        close_time=None, expected_expiration_time=None, price_level_structure="linear_cent",
        price_bands=(PriceBand(D(0), D(1), D("0.01")),), fractional_trading_enabled=True,
    )  # fmt: skip
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"client_order_id": ""}, "invalid_order"),
        ({"client_order_id": "x" * 65}, "invalid_order"),
        ({"outcome_id": "maybe"}, "invalid_order"),
        ({"side": "short"}, "invalid_order"),
        ({"limit_price": 0.3}, "invalid_price"),
        ({"limit_price": D(0)}, "invalid_price"),
        ({"limit_price": D(1)}, "invalid_price"),
        ({"limit_price": D("NaN")}, "invalid_price"),
        ({"limit_price": D("0.305"), "tick_size": D("0.01")}, "off_tick"),
        ({"limit_price": D("0.30001")}, "off_tick"),
        ({"quantity": 10.0}, "invalid_quantity"),
        ({"quantity": D("0.001")}, "below_minimum"),
        ({"quantity": D(4), "min_size": D(5)}, "below_minimum"),
        ({"quantity": D("1.005")}, "invalid_quantity"),
        ({"time_in_force": "day"}, "invalid_order"),
        ({"time_in_force": "gtd"}, "invalid_order"),
        ({"time_in_force": "ioc", "expires_at": datetime.now(UTC) + timedelta(hours=1)}, "invalid_order"),
        ({"expires_at": datetime.now(UTC) - timedelta(seconds=1)}, "invalid_order"),
    ],
)
def test_malformed_requests_are_refused_without_io(changes: dict[str, Any], code: str) -> None:
    refusal = check_request(_request(**changes))
    assert refusal is not None and refusal.code == code and not refusal.sent


def test_a_good_request_passes() -> None:
    assert check_request(_request()) is None
    assert check_request(_request(time_in_force="gtd", expires_at=datetime.now(UTC) + timedelta(hours=1))) is None
    assert check_request(_request(quantity=D("0.01"))) is None


def test_market_checks() -> None:
    assert check_market(_request(), _market()) is None
    inactive = check_market(_request(), _market(status="inactive", status_raw="paused"))
    assert inactive is not None and inactive.code == "market_inactive" and "paused" in inactive.reason
    whole = check_market(_request(quantity=D("1.5")), _market(fractional_trading_enabled=False))
    assert whole is not None and whole.code == "invalid_quantity"
    tapered = _market(price_bands=TAPERED)
    assert check_market(_request(limit_price=D("0.955")), tapered) is None
    off = check_market(_request(limit_price=D("0.505")), tapered)
    assert off is not None and off.code == "off_tick" and "tick" in off.reason
    assert check_market(_request(outcome_id="no", limit_price=D("0.045")), tapered) is None  # YES leg 0.955


def test_on_grid() -> None:
    assert on_grid(D("0.003"), TAPERED) and on_grid(D("0.5"), TAPERED) and not on_grid(D("0.503"), TAPERED)


def test_worst_case_cost_includes_the_taker_fee() -> None:
    assert worst_case_cost(_request(limit_price=D("0.50"), quantity=D(100))) == D(50) + D("1.75")
    assert worst_case_cost(_request(side="sell")) == 0


class _Balances:
    def __init__(self, *values: str) -> None:
        self.values = [D(v) for v in values]
        self.calls = 0

    async def get_balance(self) -> KalshiBalance:
        value = self.values[min(self.calls, len(self.values) - 1)]
        self.calls += 1
        return KalshiBalance(value, None, None)


async def test_balance_gate_refuses_only_on_a_fresh_balance() -> None:
    now = [0.0]
    rest = _Balances("10", "100")
    gate = BalanceGate(rest, ttl_s=5, clock=lambda: now[0])  # type: ignore[arg-type]
    assert await gate.shortfall(D(4)) is None and rest.calls == 1
    assert await gate.shortfall(D(4)) is None and rest.calls == 1  # cached: 6 left after the first
    assert await gate.shortfall(D(50)) is None and rest.calls == 2  # did not fit the cache: fetched again
    now[0] = 10
    assert await gate.shortfall(D(500)) == D(100) and rest.calls == 3  # refused on a fresh read


class _SlowBalances(_Balances):
    """A balance read that waits until released."""

    def __init__(self, *values: str) -> None:
        super().__init__(*values)
        self.release = asyncio.Event()

    async def get_balance(self) -> KalshiBalance:
        if self.calls:
            await self.release.wait()
        return await super().get_balance()


async def test_an_old_balance_is_read_again_in_the_background_while_orders_that_fit_go_on() -> None:
    now = [0.0]
    rest = _SlowBalances("100", "100", "0")
    gate = BalanceGate(rest, ttl_s=5, clock=lambda: now[0])  # type: ignore[arg-type]
    assert await gate.shortfall(D(10)) is None and rest.calls == 1
    now[0] = 10  # past the ttl: a read starts, and this order does not wait for it
    assert await gate.shortfall(D(10)) is None and rest.calls == 1
    gate.invalidate()  # a fill: read again soon, still no waiting
    assert await gate.shortfall(D(10)) is None
    rest.release.set()
    await asyncio.sleep(0)  # the background read completes
    for _ in range(10):
        if rest.calls == 2:
            break
        await asyncio.sleep(0.01)
    assert rest.calls == 2
    # The two orders reserved while the read was on its way still count: 100 - 20 left.
    assert await gate.shortfall(D(80)) is None
    assert await gate.shortfall(D(1)) == D(0) and rest.calls == 3  # nothing left: refused on a fresh read
