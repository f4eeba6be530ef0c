"""429 bursts absorbed on reads; a geoblock answer stops Polymarket trading with no further request sent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from markets.polymarket.clob import ClobReader
from markets.polymarket.errors import AmbiguousSubmit
from markets.polymarket.geoblock import TradingGate, check_geoblock
from markets.polymarket.retry import Backoff
from markets.polymarket.trading import ClobTrader
from shared.errors import Geoblocked, Rejected, Retryable
from tests.integration.polymarket.conftest import FAST, Sim

TICK = Decimal("0.01")


async def test_a_429_burst_is_absorbed_by_back_off_on_reads(sim: Sim) -> None:
    market = await sim.market()
    token = market["token_ids"][0]
    await sim.control("faults", {"kind": "http_status", "status": 429, "path": "^/book$", "count": 3})
    await sim.control("requests", method="DELETE")
    book = await ClobReader(sim.http, sim.url, FAST).book(token)
    assert book.asset_id == token and book.bids
    assert await sim.requests() == [("GET", "/book")] * 4
    await sim.control("faults", {"kind": "http_status", "status": 429, "path": "^/midpoint$", "count": None})
    with pytest.raises(Retryable):
        await ClobReader(sim.http, sim.url, Backoff(base_s=0.01, cap_s=0.02, attempts=3)).midpoint(token)


async def test_a_blocked_probe_stops_trading_before_anything_is_sent(sim: Sim) -> None:
    market = await sim.market()
    await sim.control("geoblock", {"blocked": True, "country": "US", "region": "NY"})
    settings = sim.settings()
    gate = TradingGate()
    with pytest.raises(Geoblocked):
        await check_geoblock(sim.http, settings.geoblock_url, gate)
    assert gate.tripped
    trader = ClobTrader(settings, gate)
    await sim.control("requests", method="DELETE")
    with pytest.raises(Geoblocked):
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
        )
    for call in (trader.cancel_all(), trader.heartbeat(), trader.cancel("0x01")):
        with pytest.raises(Geoblocked):
            await call
    assert await sim.requests() == []


async def test_a_403_region_answer_on_post_order_trips_the_gate_for_every_later_call(sim: Sim) -> None:
    market = await sim.market()
    trader = await sim.trader()  # probe passed, key created
    await sim.control("geoblock", {"blocked": True, "country": "US", "region": "NY"})
    with pytest.raises(Geoblocked, match="Trading restricted in your region"):
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
        )
    await sim.control("geoblock", {"blocked": False, "country": "IE", "region": "L"})  # even if it lifts
    await sim.control("requests", method="DELETE")
    with pytest.raises(Geoblocked):
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
        )
    with pytest.raises(Geoblocked):
        await trader.cancel_all()
    assert await sim.requests() == []
    assert await trader.open_orders() == []  # reads (reconciliation) still work


async def test_a_cloudflare_403_page_is_a_geoblock_too(sim: Sim) -> None:
    market = await sim.market()
    trader = await sim.trader()
    page = "<!DOCTYPE html><html><title>Attention Required! | Cloudflare</title></html>"
    await sim.control("faults", {"kind": "http_status", "status": 403, "path": "^/order$", "body": page})
    with pytest.raises(Geoblocked):
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
        )
    assert trader.gate.tripped


async def test_a_refused_order_is_rejected_and_a_503_is_ambiguous(sim: Sim) -> None:
    market = await sim.market()
    trader = await sim.trader()
    with pytest.raises(Rejected, match="lower than the minimum"):
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(1), tick_size=TICK, neg_risk=False
        )
    await sim.control("faults", {"kind": "http_status", "status": 503, "path": "^/order$"})
    with pytest.raises(AmbiguousSubmit) as unknown:  # the venue may have taken it before failing
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
        )
    assert unknown.value.status == 503 and unknown.value.order_id.startswith("0x")
    assert await trader.open_orders() == []


async def test_accept_then_timeout_is_ambiguous_and_resolves_by_the_expected_order_hash(sim: Sim) -> None:
    market = await sim.market()
    trader = await sim.trader()
    await sim.control("faults", {"kind": "accept_then_timeout", "path": "^/order$", "method": "POST", "hang_s": 5.5})
    with pytest.raises(AmbiguousSubmit) as unknown:
        await trader.place_limit_order(
            market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
        )
    # The venue did accept it: the hash we computed before posting finds it; nothing was re-posted.
    found = await trader.order(unknown.value.order_id)
    assert found is not None and found.status == "LIVE"
    assert [p for m, p in await sim.requests() if m == "POST" and p == "/order"] == ["/order"]
