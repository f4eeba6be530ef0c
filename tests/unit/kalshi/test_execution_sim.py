"""Simulator support for the execution engine: order-change events for ``user_orders`` and request stats."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.sim.kalshi import wire
from markets.sim.kalshi.exchange import ExchangeEvent, FillExecuted, KalshiExchange, OrderChanged, OrderSpec
from markets.sim.kalshi.seeding import open_game

D = Decimal
T = "KXNBAGAME-26NOV23LALBOS-BOS"


def _exchange() -> KalshiExchange:
    exchange = KalshiExchange(starting_balance=D(100), clock=lambda: 1_790_000_000.0)
    open_game(exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"),
              start=datetime(2026, 11, 24, 0, 30, tzinfo=UTC))  # fmt: skip
    return exchange


def test_every_order_change_is_announced_after_its_fills() -> None:
    ex = _exchange()
    events: list[ExchangeEvent] = []
    seen: list[tuple[str, str, str]] = []  # rendered when announced, as the WebSocket hub does

    def listen(event: ExchangeEvent) -> None:
        events.append(event)
        if isinstance(event, OrderChanged):
            seen.append((event.order.client_order_id, event.order.status, str(event.order.filled)))

    ex.listeners.append(listen)
    maker, _ = ex.create_order("a", OrderSpec(T, "ask", D("0.60"), D(10), client_order_id="m1"))
    ex.create_order("b", OrderSpec(T, "bid", D("0.65"), D(4), client_order_id="t1"))
    ex.cancel_order("a", maker.order_id)
    assert seen == [("m1", "resting", "0"), ("t1", "executed", "4"), ("m1", "resting", "4"), ("m1", "canceled", "4")]
    kinds = [type(e).__name__ for e in events]
    first_fill = kinds.index("FillExecuted")
    assert kinds.index("OrderChanged", first_fill) > kinds.index("FillExecuted", first_fill + 1)
    assert sum(isinstance(e, FillExecuted) for e in events) == 2


def test_the_user_order_message_round_trips_through_the_client_parser() -> None:
    ex = _exchange()
    order, _ = ex.create_order("a", OrderSpec(T, "ask", D("0.60"), D(10), client_order_id="m1"))
    ex.create_order("b", OrderSpec(T, "bid", D("0.65"), D(4), client_order_id="t1"))
    parsed = p.parse_ws_user_order(w.WsUserOrder.model_validate(wire.user_order_json(order)))
    assert (parsed.order_id, parsed.client_order_id, parsed.status, parsed.book_side, parsed.yes_price) == (
        order.order_id, "m1", "resting", "ask", D("0.60"),
    )  # fmt: skip
    assert (parsed.initial_count, parsed.fill_count, parsed.remaining_count) == (D(10), D(4), D(6))
    assert parsed.maker_fill_cost == D("1.60")
