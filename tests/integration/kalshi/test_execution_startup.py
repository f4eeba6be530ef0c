"""Start-up checks of the Kalshi execution engine and refusals made before anything is sent."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import OrderRequest, Rejected
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.options import ExecutionOptions
from shared.errors import AuthOrClock, Retryable
from tests.contract.engines.harness_kalshi import TEST_MAX_CLOCK_SKEW_S, build_engine
from tests.integration.kalshi.conftest import KEY_A, TICKER, Sim

D = Decimal
SIGNED_BALANCE = "GET /trade-api/v2/portfolio/balance"
CREATE = "POST /trade-api/v2/portfolio/events/orders"


def _engine(sim: Sim, tmp_path: Path, **kwargs: object) -> KalshiExecutionEngine:
    return build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, **kwargs)  # type: ignore[arg-type]


def _request(cid: str, *, market: str = TICKER, price: str = "0.30", quantity: str = "5") -> OrderRequest:
    return OrderRequest(
        client_order_id=cid, market_id=market, outcome_id="yes", side="buy", limit_price=D(price),
        quantity=D(quantity),
    )  # fmt: skip


@pytest.mark.parametrize("skew_s", [-600.0, 300.0, 3600.0])  # far beyond the tests' limit under any load
async def test_start_refuses_a_skewed_clock_before_any_signed_request(sim: Sim, tmp_path: Path, skew_s: float) -> None:
    engine = _engine(sim, tmp_path, clock=lambda: time.time() + skew_s)
    try:
        with pytest.raises(AuthOrClock) as caught:
            await engine.start()
        assert caught.value.code == "clock_skew"
        stats = await sim.control("GET", "/_sim/stats")
        assert SIGNED_BALANCE not in stats  # refused on the venue's Date header, not by a 401
    finally:
        await engine.close()


async def test_start_passes_and_reports_the_skew(sim: Sim, tmp_path: Path) -> None:
    engine = _engine(sim, tmp_path, options=ExecutionOptions(ws_enabled=False))
    try:
        await engine.start()
        assert engine.preflight is not None and abs(engine.preflight.skew_s) <= TEST_MAX_CLOCK_SKEW_S
        assert engine.preflight.balance.balance == D(1000)
    finally:
        await engine.close()


async def test_start_refuses_when_trading_is_paused(sim: Sim, tmp_path: Path) -> None:
    await sim.control("POST", "/_sim/exchange", {"trading_active": False})
    engine = _engine(sim, tmp_path)
    try:
        with pytest.raises(Retryable) as caught:
            await engine.start()
        assert caught.value.code == "trading_inactive"
        await sim.control("POST", "/_sim/exchange", {"trading_active": True})
        await engine.start()
    finally:
        await engine.close()


async def test_start_refuses_an_unknown_key(sim: Sim, tmp_path: Path) -> None:
    from tests.unit.kalshi.keys import private_key

    engine = build_engine(sim.rest_url, sim.ws_url, "key-nobody", private_key(2), tmp_path)
    try:
        with pytest.raises(AuthOrClock) as caught:
            await engine.start()
        assert caught.value.status == 401
    finally:
        await engine.close()


@pytest.mark.parametrize(
    ("request_", "code", "words"),
    [
        (_request("bad-1", market="KXNBAGAME-26NOV23XXXYYY-YYY"), "unknown_market", "unknown market"),
        (_request("bad-2", price="0.305"), "off_tick", "tick"),
        (_request("bad-3", quantity="0.001"), "below_minimum", "minimum"),
        (_request("bad-4", quantity="0.015"), "invalid_quantity", "steps"),
        (_request("bad-5", quantity="4000"), "insufficient_balance", "insufficient balance"),
        (_request("bad-6", price="1.00"), "invalid_price", "inside (0, 1)"),
    ],
)
async def test_refusals_before_sending(sim: Sim, tmp_path: Path, request_: OrderRequest, code: str, words: str) -> None:
    engine = _engine(sim, tmp_path, options=ExecutionOptions(ws_enabled=False))
    await engine.start()
    try:
        result = await engine.submit(request_)
        assert isinstance(result, Rejected) and not result.sent, result
        assert result.code == code and words in result.reason
        assert CREATE not in await sim.control("GET", "/_sim/stats")
        assert await engine.journal.get(request_.client_order_id) is None
    finally:
        await engine.close()


async def test_an_inactive_market_is_refused_before_sending(sim: Sim, tmp_path: Path) -> None:
    await sim.control("POST", f"/_sim/markets/{TICKER}/status", {"status": "inactive"})
    engine = _engine(sim, tmp_path, options=ExecutionOptions(ws_enabled=False))
    await engine.start()
    try:
        result = await engine.submit(_request("inactive-1"))
        assert isinstance(result, Rejected) and not result.sent and result.code == "market_inactive"
        assert "not open" in result.reason
        assert CREATE not in await sim.control("GET", "/_sim/stats")
    finally:
        await engine.close()


async def test_a_venue_refusal_is_rejected_as_sent_with_the_venue_code(sim: Sim, tmp_path: Path) -> None:
    engine = _engine(sim, tmp_path, options=ExecutionOptions(ws_enabled=False, market_ttl_s=60))
    await engine.start()
    try:
        assert (await engine.submit(_request("warm-1"))).__class__.__name__ == "Accepted"  # caches the market
        await sim.control("POST", f"/_sim/markets/{TICKER}/status", {"status": "inactive"})
        result = await engine.submit(_request("venue-no-1", price="0.31"))
        assert isinstance(result, Rejected) and result.sent and result.code == "MARKET_INACTIVE"
        entry = await engine.journal.get("venue-no-1")
        assert entry is not None and entry.state == "refused"
        again = await engine.submit(_request("venue-no-1", price="0.31"))  # same id: stays refused, not re-sent
        assert isinstance(again, Rejected) and again.code == "duplicate_refused"
        stats = await sim.control("GET", "/_sim/stats")
        assert stats[CREATE]["statuses"] == {"201": 1, "400": 1}
    finally:
        await engine.close()


def test_from_settings_needs_a_key(sim: Sim) -> None:
    from markets.kalshi.execution.settings import ExplicitKalshiSettings

    with pytest.raises(ValueError, match="KALSHI_API_KEY_ID"):
        KalshiExecutionEngine.from_settings(ExplicitKalshiSettings(base_url=sim.rest_url))
