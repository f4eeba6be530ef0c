"""The simulated exchange without HTTP: mirrored books, matching, balances, delays, settlement, hashes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from markets.polymarket import parsing
from markets.polymarket.book import LocalBook
from markets.sim.polymarket.exchange import Exchange, OrderError
from markets.sim.polymarket.hub import EventHub, MarketMessage, Scheduler, UserMessage
from markets.sim.polymarket.ledger import Ledger
from markets.sim.polymarket.market import SimMarket, new_event, new_market
from markets.sim.polymarket.records import Side, SimOrder
from shared.fees import PolymarketFeeSchedule

_ids = itertools.count(1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def world(clock: FakeClock) -> tuple[Exchange, list[object]]:
    hub = EventHub()
    messages: list[object] = []
    hub.publish = messages.append  # type: ignore[method-assign,assignment]  # capture, do not fan out
    ex = Exchange(hub=hub, scheduler=Scheduler(clock), ledger=Ledger(Decimal(100)), clock=clock)
    return ex, messages


def _address(owner: str) -> str:
    return "0x" + owner.rjust(40, "0")


def _market(ex: Exchange, *, delay: float = 0.0, fee: Decimal = Decimal(0)) -> SimMarket:
    event = new_event(slug=f"nba-a-b-{next(_ids)}", title="A vs. B", start=datetime.now(UTC))
    market = new_market(
        seed=event.slug, question="A vs. B", slug=event.slug, outcomes=("A", "B"), event=event,
        matching_delay_s=delay, fee=PolymarketFeeSchedule(rate=fee),
    )  # fmt: skip
    return ex.add_market(market)


def _order(market: SimMarket, index: int, side: Side, price: str, size: str, owner: str, **kw: object) -> SimOrder:
    return SimOrder(
        order_id=f"0x{next(_ids):064x}", owner=owner, address=_address(owner), market=market, index=index,
        side=side, price=Decimal(price), size=Decimal(size), order_type=str(kw.get("order_type", "GTC")),
        created_at_s=0,
    )  # fmt: skip


def test_the_two_tokens_are_mirrored_views_of_one_book(world: tuple[Exchange, list[object]]) -> None:
    ex, messages = world
    m = _market(ex)
    ex.submit(_order(m, 0, "BUY", "0.40", "10", "a"))
    yes, no = parsing.book(ex.book_json(m.token_ids[0])), parsing.book(ex.book_json(m.token_ids[1]))
    assert [(lv.price_text, lv.size_text) for lv in yes.bids] == [("0.4", "10")] and not yes.asks
    assert [(lv.price_text, lv.size_text) for lv in no.asks] == [("0.6", "10")] and not no.bids
    (change,) = [m for m in messages if isinstance(m, MarketMessage)]
    items = change.payload["price_changes"]
    assert {(i["asset_id"], i["side"], i["price"], i["size"]) for i in items} == {
        (m.token_ids[0], "BUY", "0.4", "10"),
        (m.token_ids[1], "SELL", "0.6", "10"),
    }
    # Each item carries the hash of its token's book after the change, which our client reproduces.
    for item in items:
        snapshot = parsing.book(ex.book_json(item["asset_id"]))
        local = LocalBook(item["asset_id"])
        assert local.load(snapshot) is True and item["hash"] == snapshot.hash


def test_buying_both_tokens_mints_a_match_and_balances_move(world: tuple[Exchange, list[object]]) -> None:
    ex, messages = world
    m = _market(ex)
    ex.submit(_order(m, 0, "BUY", "0.40", "10", "a"))
    answer = ex.submit(_order(m, 1, "BUY", "0.65", "10", "b"))  # crosses: 0.65 >= 1 - 0.40
    assert answer["status"] == "matched" and len(answer["tradeIDs"]) == 1
    assert answer["makingAmount"] == "6" and answer["takingAmount"] == "10"  # taker improved to 0.60
    a, b = _address("a"), _address("b")
    assert ex.ledger.collateral(a) == Decimal(96) and ex.ledger.position(a, m.token_ids[0]) == 10
    assert ex.ledger.collateral(b) == Decimal(94) and ex.ledger.position(b, m.token_ids[1]) == 10
    trade_events = [u for u in messages if isinstance(u, UserMessage) and u.payload["event_type"] == "trade"]
    assert {(u.owner, u.payload["trader_side"], u.payload["price"]) for u in trade_events} == {
        ("b", "TAKER", "0.6"),
        ("a", "MAKER", "0.6"),
    }


def test_refusals_in_the_venues_words(world: tuple[Exchange, list[object]]) -> None:
    ex, _ = world
    m = _market(ex)
    cases = [
        (_order(m, 0, "BUY", "0.405", "10", "a"), "breaks minimum tick size rule"),
        (_order(m, 0, "BUY", "0.40", "2", "a"), "lower than the minimum"),
        (_order(m, 0, "BUY", "0.50", "1000", "a"), "not enough balance / allowance"),
        (_order(m, 0, "SELL", "0.50", "10", "a"), "not enough balance / allowance"),
        (_order(m, 0, "BUY", "0.50", "10", "a", order_type="FOK"), "FOK orders are fully filled or killed"),
        (_order(m, 0, "BUY", "0.50", "10", "a", order_type="FAK"), "no orders found to match with FAK order"),
    ]
    for order, message in cases:
        with pytest.raises(OrderError, match=message):
            ex.submit(order)
    ex.submit(_order(m, 0, "BUY", "0.40", "10", "b"))
    with pytest.raises(OrderError, match="order crosses book"):
        ex.submit(_order(m, 1, "BUY", "0.60", "10", "c"), post_only=True)


def test_open_orders_commit_funds(world: tuple[Exchange, list[object]]) -> None:
    ex, _ = world
    m = _market(ex)
    ex.submit(_order(m, 0, "BUY", "0.50", "150", "a"))  # 75 of 100 committed
    with pytest.raises(OrderError, match="not enough balance"):
        ex.submit(_order(m, 0, "BUY", "0.50", "60", "a"))
    assert ex.cancel("a", [o.order_id for o in ex.open_orders_of("a")])["canceled"]
    ex.submit(_order(m, 0, "BUY", "0.50", "60", "a"))


def test_sports_delay_answers_delayed_then_matches(world: tuple[Exchange, list[object]], clock: FakeClock) -> None:
    ex, messages = world
    m = _market(ex, delay=2.0)
    ex.submit(_order(m, 0, "BUY", "0.40", "10", "a"))  # not marketable: rests at once
    answer = ex.submit(_order(m, 1, "BUY", "0.60", "10", "b"))  # marketable: delayed
    assert answer["status"] == "delayed" and answer["tradeIDs"] == []
    assert not ex.trades
    clock.now += 1.0
    ex.scheduler.run_due()
    assert not ex.trades
    clock.now += 1.5
    ex.scheduler.run_due()
    assert len(ex.trades) == 1 and ex.orders[answer["orderID"]].status == "MATCHED"
    clock.now += 2
    ex.scheduler.run_due()
    (trade,) = ex.trades.values()
    assert trade.status == "CONFIRMED"
    statuses = [u.payload["status"] for u in messages if isinstance(u, UserMessage) and u.owner == "b"]
    assert statuses[-3:] == ["MATCHED", "MINED", "CONFIRMED"]


def test_settlement_pays_winners_and_cancels_orders(world: tuple[Exchange, list[object]]) -> None:
    ex, _ = world
    m = _market(ex)
    ex.submit(_order(m, 0, "BUY", "0.40", "10", "a"))
    ex.submit(_order(m, 1, "BUY", "0.60", "10", "b"))
    ex.submit(_order(m, 0, "BUY", "0.30", "10", "a"))
    ex.settle(m, 0)
    a, b = _address("a"), _address("b")
    assert ex.ledger.collateral(a) == Decimal(106) and ex.ledger.positions(a) == {}
    assert ex.ledger.collateral(b) == Decimal(94) and not ex.open_orders_of("a")
    with pytest.raises(OrderError, match="not accepting orders"):
        ex.submit(_order(m, 0, "BUY", "0.40", "10", "a"))


def test_heartbeat_lapse_cancels_everything(world: tuple[Exchange, list[object]], clock: FakeClock) -> None:
    ex, _ = world
    m = _market(ex)
    ex.heartbeat("a")
    ex.submit(_order(m, 0, "BUY", "0.40", "10", "a"))
    clock.now += 9
    ex.check_heartbeats()
    assert ex.open_orders_of("a")
    clock.now += 2
    ex.check_heartbeats()
    assert not ex.open_orders_of("a")
