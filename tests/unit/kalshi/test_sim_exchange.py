"""The simulated exchange: price-time matching on one YES book, idempotency, collateral, fees, settlement."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from markets.sim.kalshi.exchange import BookChanged, ExchangeError, ExchangeEvent, KalshiExchange, OrderSpec
from markets.sim.kalshi.seeding import open_game

D = Decimal


@pytest.fixture
def ex() -> KalshiExchange:
    exchange = KalshiExchange(starting_balance=D(100), clock=lambda: 1_790_000_000.0)
    open_game(exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"),
              start=datetime(2026, 11, 24, 0, 30, tzinfo=UTC))  # fmt: skip
    return exchange


T = "KXNBAGAME-26NOV23LALBOS-BOS"


def spec(side: str, price: str, count: str, cid: str = "", **kw: object) -> OrderSpec:
    return OrderSpec(T, side, D(price), D(count), client_order_id=cid, **kw)  # type: ignore[arg-type]


def test_ticker_and_empty_book(ex: KalshiExchange) -> None:
    assert list(ex.markets) == [T] and ex.events["KXNBAGAME-26NOV23LALBOS"].series_ticker == "KXNBAGAME"
    assert ex.markets[T].aggregated() == ({}, {})


def test_ask_shows_as_no_bid_and_crossing_bid_matches_at_maker_price(ex: KalshiExchange) -> None:
    events: list[ExchangeEvent] = []
    ex.listeners.append(events.append)
    maker, _ = ex.create_order("a", spec("ask", "0.60", "10", "m1"))
    assert ex.markets[T].aggregated() == ({}, {D("0.40"): D(10)})
    taker, _ = ex.create_order("b", spec("bid", "0.65", "4", "t1"))
    assert (taker.status, taker.filled, taker.taker_fill_cost) == ("executed", D(4), D("2.40"))
    assert (maker.remaining, maker.maker_fill_cost) == (D(6), D("1.60"))  # maker bought NO at 0.40
    assert ex.accounts["b"].positions[T].position == D(4) and ex.accounts["a"].positions[T].position == D(-4)
    fee = D("0.07")  # ceil(0.07 * 4 * 0.6 * 0.4, cent) = ceil(0.0672)
    assert taker.taker_fees == fee and maker.maker_fees == 0
    assert ex.accounts["b"].cash == D(100) - D("2.40") - fee and ex.accounts["a"].cash == D(100) - D("1.60")
    deltas = [e for e in events if isinstance(e, BookChanged)]
    assert [(e.side, e.price, e.delta) for e in deltas] == [("no", D("0.40"), D(10)), ("no", D("0.40"), D(-4))]
    assert deltas[1].owner == "b" and deltas[1].client_order_id == "t1"


def test_price_time_priority(ex: KalshiExchange) -> None:
    first, _ = ex.create_order("a", spec("bid", "0.50", "5"))
    second, _ = ex.create_order("c", spec("bid", "0.50", "5"))
    better, _ = ex.create_order("d", spec("bid", "0.51", "1"))
    ex.create_order("b", spec("ask", "0.50", "3"))
    assert (better.filled, first.filled, second.filled) == (D(1), D(2), D(0))


def test_client_order_id_is_idempotent_per_key(ex: KalshiExchange) -> None:
    order, duplicate = ex.create_order("a", spec("bid", "0.30", "2", "same"))
    again, duplicate_again = ex.create_order("a", spec("bid", "0.31", "9", "same"))
    other, other_dup = ex.create_order("b", spec("bid", "0.30", "2", "same"))
    assert (duplicate, duplicate_again, other_dup) == (False, True, False)
    assert again is order and other is not order
    assert len(ex.accounts["a"].orders) == 1 and ex.markets[T].aggregated()[0] == {D("0.30"): D(4)}


def test_refusals(ex: KalshiExchange) -> None:
    cases = [
        (spec("bid", "0.305", "1"), "invalid_price"),
        (spec("bid", "1", "1"), "invalid_price"),
        (spec("bid", "0.5", "0.001"), "invalid_order"),
        (spec("bid", "0.50", "300"), "insufficient_balance"),  # 300 x 0.50 > $100
        (OrderSpec("NOPE", "bid", D("0.5"), D(1)), "market_not_found"),
    ]
    for order, code in cases:
        with pytest.raises(ExchangeError) as info:
            ex.create_order("a", order)
        assert info.value.code == code
    ex.create_order("b", spec("ask", "0.50", "1"))
    with pytest.raises(ExchangeError, match="post_only"):
        ex.create_order("a", spec("bid", "0.55", "1", post_only=True))
    ex.set_status(T, "closed")
    with pytest.raises(ExchangeError, match="MARKET_INACTIVE"):
        ex.create_order("a", spec("bid", "0.10", "1"))


def test_resting_orders_reserve_collateral_and_cancel_releases_it(ex: KalshiExchange) -> None:
    order, _ = ex.create_order("a", spec("ask", "0.20", "50"))  # buying NO at 0.80 reserves $40
    assert ex.accounts["a"].available == D(60)
    with pytest.raises(ExchangeError, match="insufficient_balance"):
        ex.create_order("a", spec("bid", "0.10", "700"))
    cancelled, reduced = ex.cancel_order("a", order.order_id)
    assert (cancelled.status, reduced, ex.accounts["a"].available) == ("canceled", D(50), D(100))
    with pytest.raises(ExchangeError, match="not_found"):
        ex.cancel_order("a", order.order_id)


def test_ioc_fok_and_self_trade_prevention(ex: KalshiExchange) -> None:
    ex.create_order("a", spec("ask", "0.50", "2"))
    ioc, _ = ex.create_order("b", spec("bid", "0.50", "5", time_in_force="immediate_or_cancel"))
    assert (ioc.status, ioc.filled, ioc.remaining) == ("canceled", D(2), D(0))
    ex.create_order("a", spec("ask", "0.50", "2"))
    fok, _ = ex.create_order("b", spec("bid", "0.50", "5", time_in_force="fill_or_kill"))
    assert (fok.status, fok.filled) == ("canceled", D(0))
    own, _ = ex.create_order("a", spec("bid", "0.55", "1"))  # would trade against a's own ask
    assert (own.status, own.filled) == ("canceled", D(0))
    maker_stp, _ = ex.create_order("a", spec("bid", "0.55", "1", self_trade_prevention="maker"))
    assert maker_stp.status == "resting" and ex.markets[T].aggregated()[1] == {}


def test_closing_a_position_releases_cash_and_settlement_pays(ex: KalshiExchange) -> None:
    ex.create_order("a", spec("ask", "0.40", "10"))
    ex.create_order("b", spec("bid", "0.40", "10"))  # b: +10 YES for $4.00 + fee
    ex.create_order("c", spec("bid", "0.55", "4"))
    ex.create_order("b", spec("ask", "0.55", "4"))  # b sells 4 YES at 0.55: closes, +$2.20
    pos = ex.accounts["b"].positions[T]
    assert pos.position == D(6) and pos.realized_pnl == D("0.60") and pos.cost == D("2.40")
    cash_before = ex.accounts["b"].cash
    payouts = ex.settle(T, "yes")
    assert payouts["b"] == D(6) and payouts["c"] == D(4) and "a" not in payouts
    assert ex.accounts["b"].cash == cash_before + 6 and ex.markets[T].status == "finalized"
    assert ex.markets[T].result == "yes" and ex.accounts["a"].positions[T].position == 0


def test_cash_and_cancels_are_per_exchange_shard(ex: KalshiExchange) -> None:
    (mlb,) = open_game(ex, league="mlb", away=("NYY", "New York Y"), home=("BOS", "Boston"),
                       start=datetime(2026, 11, 24, 0, 30, tzinfo=UTC))  # fmt: skip
    assert (ex.markets[T].exchange_index, mlb.exchange_index) == (0, 1)
    account = ex.account("a")
    assert account.shard_cash == {0: D(50), 1: D(50)} and account.available == D(100)
    order, _ = ex.create_order("a", OrderSpec(mlb.ticker, "bid", D("0.40"), D(100)))  # $40 of shard 1's $50
    assert order.exchange_index == 1 and (account.available_on(0), account.available_on(1)) == (D(50), D(10))
    with pytest.raises(ExchangeError, match="insufficient_balance"):  # $20 fits the total ($60), not shard 1
        ex.create_order("a", OrderSpec(mlb.ticker, "bid", D("0.40"), D(50)))
    with pytest.raises(ExchangeError, match="not_found"):
        ex.cancel_order("a", order.order_id, exchange_index=0)
    with pytest.raises(ExchangeError, match="not_found"):
        ex.cancel_order("a", order.order_id, exchange_index=1, market_ticker=T)
    assert order.status == "resting"
    _, reduced = ex.cancel_order("a", order.order_id, exchange_index=1, market_ticker=mlb.ticker)
    assert reduced == D(100) and account.available_on(1) == D(50)
