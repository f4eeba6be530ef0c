"""Pre-send checks, the fill cursor, the journal mapping and the dead-man switch, without a venue."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import SecretStr

from markets.base import OrderRequest, Rejected
from markets.journal import MemoryOrderJournal
from markets.polymarket import parsing
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.execution import PolymarketExecutionEngine
from markets.polymarket.execution.account import decode_cursor, encode_cursor, fill_page
from markets.polymarket.execution.checks import (
    check_funds,
    check_market,
    check_shape,
    gtd_expiration,
    order_cost,
)
from markets.polymarket.execution.heartbeat import DeadManSwitch
from markets.polymarket.execution.journal import default_journal_path, journal_state
from markets.polymarket.execution.markets import MarketInfo
from markets.polymarket.execution.tracker import OrderTracker
from shared.errors import Geoblocked, Retryable
from shared.fees import PolymarketFeeSchedule
from shared.orders.state import OrderStatus

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
MARKET = "0x" + "cc" * 32
TOKEN = "1234567"
FEE = PolymarketFeeSchedule(rate=Decimal("0.03"), exponent=1, taker_only=True)


def _info(**overrides: Any) -> MarketInfo:
    values: dict[str, Any] = {
        "token_id": TOKEN, "condition_id": MARKET, "tick": Decimal("0.01"), "min_size": Decimal(5),
        "neg_risk": False, "fee": FEE, "tradable": True, "why_not": "", "fetched_at": 0.0,
    }  # fmt: skip
    return MarketInfo(**(values | overrides))


def _req(price: Any = Decimal("0.40"), size: Any = Decimal(10), **kw: Any) -> OrderRequest:
    return OrderRequest("c1", kw.pop("market_id", MARKET), TOKEN, kw.pop("side", "buy"), price, size, **kw)


def _code(result: Rejected | None) -> str | None:
    assert result is None or not result.sent
    return None if result is None else result.code


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (_req(price=0.4), "invalid_type"),
        (_req(size=10), "invalid_type"),
        (_req(tick_size=0.01), "invalid_type"),
        (_req(size=Decimal(0)), "invalid_order"),
        (_req(side="hold"), "invalid_order"),
        (_req(time_in_force="ioc", post_only=True), "invalid_order"),
        (_req(time_in_force="gtd"), "invalid_order"),
        (_req(time_in_force="gtd", expires_at=NOW - timedelta(seconds=1)), "invalid_order"),
        (_req(time_in_force="gtd", expires_at=NOW.replace(tzinfo=None) + timedelta(hours=1)), "invalid_order"),
        (_req(expires_at=NOW + timedelta(hours=1)), "invalid_order"),
        (_req(time_in_force="gtd", expires_at=NOW + timedelta(hours=1)), None),
        (_req(time_in_force="gtd", expires_at=NOW + timedelta(seconds=30)), "invalid_expiration"),
        (_req(time_in_force="gtd", expires_at=NOW + timedelta(seconds=184)), "invalid_expiration"),
        (_req(time_in_force="gtd", expires_at=NOW + timedelta(seconds=185)), None),  # 180 s + 5 s margin
        (_req(time_in_force="fok"), None),
    ],
)
def test_shape(request_: OrderRequest, code: str | None) -> None:
    assert _code(check_shape(request_, NOW)) == code


@pytest.mark.parametrize(
    ("request_", "info", "code"),
    [
        (_req(), _info(), None),
        (_req(market_id=""), _info(), None),
        (_req(market_id="0x" + "ab" * 32), _info(), "unknown_market"),
        (_req(), _info(tradable=False, why_not="market x is closed"), "market_closed"),
        (_req(price=Decimal("0.405")), _info(), "off_tick"),
        (_req(price=Decimal("0.405")), _info(tick=Decimal("0.001")), None),
        (_req(price=Decimal("0.41"), tick_size=Decimal("0.02")), _info(), "off_tick"),
        (_req(price=Decimal("0.995")), _info(tick=Decimal("0.001")), None),
        (_req(price=Decimal("1.00")), _info(), "off_tick"),
        (_req(price=Decimal("0")), _info(), "off_tick"),
        (_req(), _info(tick=Decimal("0.02")), "off_tick"),
        (_req(size=Decimal("4.99")), _info(), "below_min_size"),
        (_req(size=Decimal("10.005")), _info(), "below_min_size"),
        (_req(size=Decimal(6), min_size=Decimal(8)), _info(), "below_min_size"),
    ],
)
def test_market_rules(request_: OrderRequest, info: MarketInfo, code: str | None) -> None:
    result = check_market(request_, info)
    assert _code(result) == code
    words = {"off_tick": "tick", "below_min_size": "size", "unknown_market": "unknown", "market_closed": "closed"}
    if result is not None and code is not None:
        assert words[code] in result.reason


def test_funds_count_the_taker_fee_and_what_open_orders_commit() -> None:
    buy = _req(price=Decimal("0.50"), size=Decimal(100))
    assert order_cost(buy, FEE) == Decimal("50.75")  # 100 x 0.5 + 100 x 0.03 x 0.25
    assert check_funds(buy, Decimal("50.75"), Decimal(0), FEE) is None
    refused = check_funds(buy, Decimal("60"), Decimal("9.26"), FEE)
    assert refused is not None and refused.code == "insufficient_balance" and "50.74" in refused.reason
    sell = _req(side="sell", size=Decimal(10))
    assert check_funds(sell, Decimal(10), Decimal(0), FEE) is None
    assert check_funds(sell, Decimal(12), Decimal(3), FEE) is not None


def test_gtd_expiration_adds_the_venue_security_buffer() -> None:
    assert gtd_expiration(NOW + timedelta(seconds=30)) == int(NOW.timestamp()) + 30 + 60
    assert gtd_expiration(NOW + timedelta(seconds=30.2)) == int(NOW.timestamp()) + 31 + 60


def test_journal_states_follow_the_order_status() -> None:
    assert journal_state(OrderStatus.SUBMITTED) is None
    assert journal_state(OrderStatus.UNKNOWN) == "unknown"
    assert journal_state(OrderStatus.PARTIALLY_FILLED) == "acked"
    assert {journal_state(s) for s in (OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.REJECTED)} == {"final"}


def _trade(trade_id: str, match_time: int, status: str = "CONFIRMED") -> Any:
    return parsing.trade(
        {"id": trade_id, "taker_order_id": "0x" + "11" * 32, "market": MARKET, "asset_id": TOKEN, "side": "BUY",
         "size": "5", "price": "0.4", "status": status, "match_time": match_time, "owner": "k", "trader_side": "TAKER"}
    )  # fmt: skip


def test_the_fill_cursor_pages_without_gaps_or_repeats() -> None:
    tracker = OrderTracker(lambda _t: FEE)
    tracker.api_key = "k"
    trades = [_trade("b", 100), _trade("a", 100), _trade("c", 101), _trade("x", 102, "FAILED")]
    tracker.on_trades(trades)
    page = fill_page(tracker, trades, None, None)
    assert [f.venue_trade_id for f in page.fills] == ["a", "b", "c"]  # time order; failed left out
    assert page.cursor is not None
    middle = encode_cursor(page.fills[0])
    assert [f.venue_trade_id for f in fill_page(tracker, trades, None, decode_cursor(middle)).fills] == ["b", "c"]
    assert fill_page(tracker, trades, None, decode_cursor(page.cursor)).fills == ()
    since = datetime.fromtimestamp(101, UTC)
    assert [f.venue_trade_id for f in fill_page(tracker, trades, since, None).fills] == ["c"]
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor("not-a-cursor")


class FakeTrader:
    def __init__(self, fail_with: list[Exception] | None = None) -> None:
        self.beats: list[str] = []
        self.fail_with = fail_with or []

    async def heartbeat(self, heartbeat_id: str = "") -> Any:
        self.beats.append(heartbeat_id)
        if self.fail_with:
            raise self.fail_with.pop(0)
        return {"status": "ok", "heartbeat_id": f"hb{len(self.beats)}"}


async def test_the_switch_beats_only_while_orders_rest_and_chains_heartbeat_ids() -> None:
    trader = FakeTrader()
    resting = {"now": False}
    switch = DeadManSwitch(trader, lambda: resting["now"], interval_s=0.05)  # type: ignore[arg-type]
    task = asyncio.create_task(switch.run())
    await asyncio.sleep(0.15)
    assert trader.beats == []
    resting["now"] = True
    switch.kick()
    await asyncio.sleep(0.2)
    resting["now"] = False
    await asyncio.sleep(0.1)
    count = len(trader.beats)
    await asyncio.sleep(0.15)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert count >= 3 and len(trader.beats) == count
    assert trader.beats[:3] == ["", "hb1", "hb2"]


async def test_the_switch_retries_failures_and_stops_for_good_on_a_geoblock() -> None:
    trader = FakeTrader([Retryable("503"), Geoblocked("region")])
    switch = DeadManSwitch(trader, lambda: True, interval_s=0.05)  # type: ignore[arg-type]
    await switch.beat()
    assert switch.stats.failed == 1 and not switch.stopped
    await switch.beat()
    assert switch.stopped
    await asyncio.wait_for(switch.run(), timeout=1)  # returns at once: stopped
    with pytest.raises(ValueError):
        DeadManSwitch(trader, lambda: True, interval_s=10)


def test_the_default_journal_is_per_signer_under_the_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("ARBEES_DATA_DIR", str(tmp_path))
    path = default_journal_path("0xAbC0000000000000000000000000000000000001")
    assert path == tmp_path / "journal" / "polymarket-0xabc0000000000000000000000000000000000001.jsonl"
    monkeypatch.delenv("ARBEES_DATA_DIR")
    assert default_journal_path("0xab").parts[-5:] == (".local", "share", "arbees", "journal", "polymarket-0xab.jsonl")


def test_from_settings_builds_the_engine_without_reading_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("POLYMARKET_GAMMA_URL", "http://from-env.invalid")
    key = "0x" + "7" * 64
    settings = PolymarketSettings.model_construct(private_key=SecretStr(key))
    settings = PolymarketSettings.model_validate(settings.model_dump() | {"gamma_url": "http://given"})
    engine = PolymarketExecutionEngine.from_settings(settings, journal=MemoryOrderJournal())
    assert engine.settings.gamma_url == "http://given" and engine.address.startswith("0x")
    direct = PolymarketExecutionEngine("http://clob.invalid", key, journal=MemoryOrderJournal())
    assert direct.settings.gamma_url == "https://gamma-api.polymarket.com"  # the default, not the environment
    assert key not in repr(direct) and key[2:] not in repr(direct.settings)
    with pytest.raises(ValueError, match="PRIVATE_KEY"):
        PolymarketExecutionEngine.from_settings(PolymarketSettings.model_construct())
