"""``KalshiRestClient`` against scripted answers: signing, retry policy per call kind, parsing, paging."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from markets.kalshi.auth import KalshiSigner
from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient, format_count, format_price
from shared.errors import Ambiguous, AuthOrClock, Rejected, Retryable
from shared.prices import PriceError
from tests.unit.kalshi.keys import private_key

BASE = "http://kalshi.test/trade-api/v2"
Handler = Callable[[httpx.Request], httpx.Response]
D2, D3 = Decimal("2"), Decimal("3")
ORDER: dict[str, Any] = {
    "order_id": "o-1", "client_order_id": "cid-1", "ticker": "T", "status": "resting", "book_side": "bid",
    "outcome_side": "yes", "yes_price_dollars": "0.4000", "initial_count_fp": "5.00", "fill_count_fp": "0.00",
    "remaining_count_fp": "5.00",
}  # fmt: skip


class Script:
    """Answers requests in order; records them."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(script: Handler, sleeps: list[float] | None = None, **settings: object) -> KalshiRestClient:
    async def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    return KalshiRestClient(
        KalshiSettings(base_url=BASE, **settings),  # type: ignore[arg-type]
        signer=KalshiSigner("key-1", private_key(), clock=lambda: 1_700_000_000.0),
        transport=httpx.MockTransport(script),
        sleep=sleep,
    )


def ok(body: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


TOO_MANY = httpx.Response(429, json={"error": "too many requests"})


async def test_signed_path_includes_prefix_and_excludes_query() -> None:
    script = Script(ok({"balance": 979, "balance_dollars": "9.7900", "portfolio_value": 0, "updated_ts": 1}))
    async with client(script) as c:
        balance = await c.get_balance()
    assert balance.balance == Decimal("9.79")
    request = script.requests[0]
    assert request.headers["KALSHI-ACCESS-KEY"] == "key-1"
    assert request.headers["KALSHI-ACCESS-TIMESTAMP"] == "1700000000000"
    assert request.url.path == "/trade-api/v2/portfolio/balance"


async def test_429_burst_is_absorbed_with_growing_backoff() -> None:
    status = {"exchange_active": True, "trading_active": False, "exchange_estimated_resume_time": None}
    script = Script(TOO_MANY, TOO_MANY, TOO_MANY, ok(status))
    sleeps: list[float] = []
    async with client(script, sleeps, backoff_base_s=0.1, backoff_cap_s=10) as c:
        result = await c.get_exchange_status()
    assert result.trading_active is False
    assert len(script.requests) == 4 and c.retries == 3 and len(sleeps) == 3
    assert all(0 < s <= 0.1 * 2**n for n, s in enumerate(sleeps))


async def test_reads_give_up_with_retryable() -> None:
    script = Script(*[TOO_MANY] * 3)
    async with client(script, [], max_read_attempts=3) as c:
        with pytest.raises(Retryable):
            await c.get_market("T")
    assert len(script.requests) == 3


async def test_401_is_not_retried() -> None:
    script = Script(httpx.Response(401, json={"error": {"code": "unauthorized", "message": "bad signature"}}))
    async with client(script, []) as c:
        with pytest.raises(AuthOrClock):
            await c.get_balance()
    assert len(script.requests) == 1


async def test_create_sends_fixed_point_strings_and_parses_the_ack() -> None:
    ack = {"order_id": "o-1", "client_order_id": "cid-1", "fill_count": "2.00", "remaining_count": "3.00",
           "average_fill_price": "0.4000", "average_fee_paid": "0.0100", "ts_ms": 1715793600123}  # fmt: skip
    script = Script(ok(ack, 201))
    async with client(script) as c:
        result = await c.create_order(
            ticker="T", side="bid", count=Decimal("5"), price=Decimal("0.4"), client_order_id="cid-1"
        )
    body = json.loads(script.requests[0].content)
    assert script.requests[0].url.path == "/trade-api/v2/portfolio/events/orders"
    assert body == {
        "ticker": "T", "client_order_id": "cid-1", "side": "bid", "count": "5.00", "price": "0.4000",
        "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross",
        "post_only": False, "reduce_only": False, "cancel_order_on_pause": False,
    }  # fmt: skip
    assert (result.fill_count, result.remaining_count, result.average_fill_price) == (D2, D3, Decimal("0.4"))


async def test_create_timeout_after_send_is_ambiguous_and_not_retried() -> None:
    script = Script(httpx.ReadTimeout("no answer"))
    async with client(script, []) as c:
        with pytest.raises(Ambiguous):
            await c.create_order(ticker="T", side="ask", count=D2, price=Decimal("0.6"), client_order_id="cid-9")
    assert len(script.requests) == 1


async def test_create_503_is_ambiguous_and_not_retried() -> None:
    script = Script(httpx.Response(503, json={"error": {"code": "service_unavailable", "message": "x"}}))
    async with client(script, []) as c:
        with pytest.raises(Ambiguous):
            await c.create_order(ticker="T", side="ask", count=D2, price=Decimal("0.6"), client_order_id="cid-9")
    assert len(script.requests) == 1


async def test_create_429_and_refused_connection_retry_with_the_same_client_order_id() -> None:
    ack = {"order_id": "o-1", "client_order_id": "cid-7", "fill_count": "0.00", "remaining_count": "2.00"}
    script = Script(TOO_MANY, httpx.ConnectError("refused"), ok(ack, 201))
    async with client(script, []) as c:
        result = await c.create_order(ticker="T", side="bid", count=D2, price=Decimal("0.5"), client_order_id="cid-7")
    assert result.order_id == "o-1" and len(script.requests) == 3
    assert {json.loads(r.content)["client_order_id"] for r in script.requests} == {"cid-7"}


async def test_duplicate_client_order_id_resolves_to_the_existing_order() -> None:
    conflict = httpx.Response(409, json={"error": {"code": "order_already_exists", "message": "x"}})
    script = Script(conflict, ok({"orders": [ORDER | {"client_order_id": "other"}], "cursor": "c2"}),
                    ok({"orders": [ORDER], "cursor": ""}))  # fmt: skip
    async with client(script, []) as c:
        result = await c.create_order(ticker="T", side="bid", count=D2, price=Decimal("0.4"), client_order_id="cid-1")
    assert result.duplicate and result.order_id == "o-1" and result.remaining_count == Decimal(5)
    assert [r.method for r in script.requests] == ["POST", "GET", "GET"]
    assert script.requests[2].url.params["cursor"] == "c2"


async def test_rejection_carries_the_venue_code() -> None:
    body = {"error": {"code": "insufficient_balance", "message": "insufficient balance"}}
    script = Script(httpx.Response(400, json=body))
    async with client(script, []) as c:
        with pytest.raises(Rejected) as info:
            await c.create_order(ticker="T", side="bid", count=D2, price=Decimal("0.4"), client_order_id="c")
    assert info.value.code == "insufficient_balance"


async def test_cancel_v2_and_legacy_create_body() -> None:
    script = Script(
        ok({"order_id": "o-1", "client_order_id": "cid-1", "reduced_by": "5.00", "ts_ms": 1}),
        ok({"order": ORDER | {"book_side": None, "outcome_side": None, "side": "no", "action": "buy",
                              "yes_price_dollars": "0.6000"}}, 201),
    )  # fmt: skip
    async with client(script, []) as c:
        cancel = await c.cancel_order("o-1", exchange_index=1, market_ticker="T")
        order = await c.create_order_legacy(ticker="T", side="ask", count=D2, price=Decimal("0.6"), client_order_id="x")
    assert cancel.reduced_by == Decimal(5) and script.requests[0].method == "DELETE"
    assert script.requests[0].url.path == "/trade-api/v2/portfolio/events/orders/o-1"
    assert dict(script.requests[0].url.params) == {"exchange_index": "1", "market_ticker": "T", "subaccount": "0"}
    legacy = json.loads(script.requests[1].content)
    assert (legacy["side"], legacy["action"], legacy["no_price_dollars"], legacy["count"]) == ("no", "buy", "0.4000", 2)
    assert order.book_side == "ask" and order.yes_price == Decimal("0.6")


async def test_iter_markets_follows_cursors() -> None:
    market = {"ticker": "A", "event_ticker": "E", "status": "active", "yes_bid_dollars": "0.1000"}
    script = Script(
        ok({"markets": [market], "cursor": "next"}), ok({"markets": [market | {"ticker": "B"}], "cursor": ""})
    )
    async with client(script, []) as c:
        tickers = [m.ticker async for m in c.iter_markets(status="open", limit=1)]
    assert tickers == ["A", "B"]
    assert script.requests[0].url.params["status"] == "open" and script.requests[1].url.params["cursor"] == "next"


def test_formatting_refuses_floats_and_bad_values() -> None:
    assert format_price(Decimal("0.56")) == "0.5600" and format_count(Decimal("10")) == "10.00"
    for bad in (0.5, Decimal("0"), Decimal("1"), Decimal("0.00001")):
        with pytest.raises(PriceError):
            format_price(bad)  # type: ignore[arg-type]
    for bad_count in (1.0, Decimal("0"), Decimal("0.001")):
        with pytest.raises(PriceError):
            format_count(bad_count)  # type: ignore[arg-type]
