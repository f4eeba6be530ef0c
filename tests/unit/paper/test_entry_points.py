"""The entry points others call: the PAPER_TRADING switch and the execution service's engines."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import fakeredis.aioredis
import pytest

from markets.base import Accepted, ExecutionEngine, OrderRequest
from markets.caps import LiveCaps
from markets.factory import EngineConfig, build_engines
from markets.paper.engine import PaperTradingEngine
from services.execution_service.config import ExecutionSettings
from services.execution_service.engines import build as service_engines
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import MarketPriceUpdated
from shared.orders.state import OrderStatus
from tests.unit.paper.support import Books, Clock

D = Decimal


async def test_the_switch_builds_paper_engines_with_the_sports_delay_on_polymarket_only(tmp_path: Path) -> None:
    config = EngineConfig(mode="paper", caps=LiveCaps(), journal_dir=tmp_path, paper_matching_delay_s=3.0)
    books = Books(Clock(datetime.now(UTC)))  # the switch's engines run on the wall clock
    books.set("m", "yes", asks=[("0.50", "10")])
    engines = build_engines(config, {"kalshi": books, "polymarket": books})
    assert set(engines) == {"kalshi", "polymarket"}
    statuses = {}
    for venue, engine in engines.items():
        assert isinstance(engine, PaperTradingEngine) and isinstance(engine, ExecutionEngine)
        assert engine.paper and engine.venue == venue
        result = await engine.submit(OrderRequest("c", "m", "yes", "buy", D("0.50"), D(5)))
        assert isinstance(result, Accepted)
        statuses[venue] = (result.report.status, result.report.venue_status)
    assert statuses == {"kalshi": (OrderStatus.FILLED, None), "polymarket": (OrderStatus.ACCEPTED, "delayed")}


async def test_the_execution_service_trades_paper_on_the_redis_tops(clean_env: pytest.MonkeyPatch) -> None:
    redis = fakeredis.aioredis.FakeRedis()
    bus = MarketDataBus(redis)
    engines = service_engines(ExecutionSettings(), bus)
    kalshi = engines["kalshi"]
    assert isinstance(kalshi, PaperTradingEngine) and kalshi.paper
    top = MarketPriceUpdated(
        venue="kalshi", market_id="KX-1", outcome_id="yes", best_bid=D("0.60"), best_ask=D("0.62"),
        bid_size=D(500), ask_size=D(500),
    )  # fmt: skip
    await bus.publish(keys.MARKET_PRICE, top.key, top)
    request = OrderRequest("c1", "KX-1", "yes", "buy", D("0.62"), D(10), time_in_force="ioc", tick_size=D("0.01"))
    result = await kalshi.submit(request)
    assert isinstance(result, Accepted) and result.report.status == OrderStatus.FILLED
    assert result.report.fills[0].fee == D("0.17")  # ceil(0.07 x 10 x 0.62 x 0.38 = 0.16492)
    await redis.aclose()
