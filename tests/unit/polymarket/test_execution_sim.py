"""Simulator pieces the execution engine relies on: failed settlements, the heartbeat timeout, handling stats."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from markets.sim.polymarket.exchange import Exchange
from markets.sim.polymarket.hub import EventHub, Scheduler, UserMessage
from markets.sim.polymarket.ledger import Ledger
from markets.sim.polymarket.market import SimMarket, new_event, new_market
from markets.sim.polymarket.records import SimOrder
from markets.sim.polymarket.stats import HandlingStats, endpoint, percentile


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _world(clock: FakeClock, heartbeat_timeout_s: float = 10.0) -> tuple[Exchange, list[object], SimMarket]:
    hub = EventHub()
    messages: list[object] = []
    hub.publish = messages.append  # type: ignore[method-assign,assignment]
    ex = Exchange(
        hub=hub, scheduler=Scheduler(clock), ledger=Ledger(Decimal(100)), clock=clock,
        heartbeat_timeout_s=heartbeat_timeout_s,
    )  # fmt: skip
    event = new_event(slug="nba-x-y-1", title="X vs. Y", start=datetime.now(UTC))
    market = ex.add_market(new_market(seed="x", question="X vs. Y", slug="x", outcomes=("X", "Y"), event=event))
    return ex, messages, market


def _order(market: SimMarket, side: str, price: str, owner: str, n: int) -> SimOrder:
    return SimOrder(
        order_id=f"0x{n:064x}", owner=owner, address=f"0x{owner:0>40}", market=market, index=0,
        side=side, price=Decimal(price), size=Decimal(10), order_type="GTC", created_at_s=0,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_failed_settlement_goes_retrying_then_failed_and_reverses_the_balances() -> None:
    clock = FakeClock()
    ex, messages, market = _world(clock)
    ex.ledger.set_balance("0x" + "b".rjust(40, "0"), None, {market.token_ids[0]: Decimal(10)})
    ex.fail_next_trades = 1
    ex.submit(_order(market, "BUY", "0.40", "a", 1))
    ex.submit(_order(market, "SELL", "0.40", "b", 2))
    buyer = "0x" + "a".rjust(40, "0")
    assert ex.ledger.collateral(buyer) == Decimal(96) and ex.ledger.position(buyer, market.token_ids[0]) == 10
    clock.now += 10
    ex.scheduler.run_due()
    statuses = [m.payload["status"] for m in messages if isinstance(m, UserMessage) and m.owner == "a"
                and m.payload["event_type"] == "trade"]  # fmt: skip
    assert statuses == ["MATCHED", "RETRYING", "FAILED"]
    assert ex.ledger.collateral(buyer) == Decimal(100) and ex.ledger.position(buyer, market.token_ids[0]) == 0
    assert ex.fail_next_trades == 0


def test_the_heartbeat_timeout_is_configurable() -> None:
    clock = FakeClock()
    ex, _, market = _world(clock, heartbeat_timeout_s=1.0)
    ex.heartbeat("a")
    ex.submit(_order(market, "BUY", "0.40", "a", 3))
    clock.now += 0.9
    ex.check_heartbeats()
    assert ex.open_orders_of("a")
    clock.now += 0.2
    ex.check_heartbeats()
    assert not ex.open_orders_of("a")


def test_handling_stats_fold_ids_and_report_median_and_p99() -> None:
    assert endpoint("get", "/data/order/0xabc123") == "GET /data/order/{id}"
    assert endpoint("GET", "/book") == "GET /book"
    assert percentile([], 0.99) == 0.0 and percentile([1.0, 2.0, 3.0], 0.5) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 0.99) == 99.0
    stats = HandlingStats()
    for ms in (1, 2, 3, 4, 100):
        stats.record("POST /order", ms / 1000)
    summary = stats.summary()["POST /order"]
    assert summary["count"] == 5 and summary["median_ms"] == 3.0 and summary["p99_ms"] == 100.0
    stats.clear()
    assert stats.summary() == {}
