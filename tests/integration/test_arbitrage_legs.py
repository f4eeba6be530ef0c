"""An arbitrage leg left alone is hedged, then unwound, within the bound; every step is an approved intent.

The legs' orders are written as execution would have recorded them (leg 0 filled, leg 1 not); the
guard's steps go out as SubmitOrder commands through the outbox, with their own client order ids.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.execution_service.legs import LegGuard, LegRules
from shared.bus import keys
from shared.messages import MarketPriceUpdated, SubmitOrder, decode
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
SIGNAL = "arb-signal-1"
LEGS = [
    {"venue": "kalshi", "market_id": "KX-1", "outcome_id": "yes", "limit_price": "0.45", "tick_size": "0.01"},
    {"venue": "polymarket", "market_id": "0xc", "outcome_id": "111", "limit_price": "0.50", "tick_size": "0.01"},
]
RULES = LegRules(bound_s=5.0, hedge_cap=Decimal("0.03"), hedge_attempts=1)


async def _seed(infra: Infra) -> None:
    payload = {"legs": LEGS}
    await infra.pool.execute(
        """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract, payload)
           VALUES ($1, gen_random_uuid(), now(), 'arb', 'arbitrage', 'g1', 0.02, $2)""",
        SIGNAL,
        payload,
    )
    for index, leg in enumerate(LEGS):
        await _order(infra, index, "buy", leg, Decimal(10), Decimal(10) if index == 0 else Decimal(0))


async def _order(infra: Infra, index: int, side: str, leg: dict[str, str], qty: Decimal, filled: Decimal) -> None:
    intent, coid = f"i-{index}", f"c-{index}"
    await infra.pool.execute(
        """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id, venue,
               market_id, outcome_id, side, limit_price, quantity, notional, decision)
           VALUES ($1, $2, $3, $4, 'arb', 'g1', $5, $6, $7, $8, $9, $10, 1, 'approved')""",
        intent, coid, SIGNAL, index, leg["venue"], leg["market_id"], leg["outcome_id"], side,
        Decimal(leg["limit_price"]), qty,
    )  # fmt: skip
    await _record(infra, coid, intent, leg, side, qty, filled)


async def _record(
    infra: Infra, coid: str, intent: str, leg: dict[str, Any], side: str, qty: Decimal, filled: Decimal
) -> None:
    await infra.pool.execute(
        """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side, limit_price,
               quantity, filled_quantity, status, paper)
           VALUES ($1, $2, $3, 'g1', $4, $5, $6, $7, $8, $9, $10, true)""",
        coid, intent, leg["venue"], leg["market_id"], leg["outcome_id"], side, Decimal(leg["limit_price"]), qty,
        filled, "filled" if filled == qty else "canceled",
    )  # fmt: skip


async def _top(infra: Infra, leg: dict[str, str], bid: str, ask: str) -> None:
    top = MarketPriceUpdated(
        venue=leg["venue"], market_id=leg["market_id"], outcome_id=leg["outcome_id"], best_bid=Decimal(bid),
        best_ask=Decimal(ask), ask_size=Decimal(100),
    )  # fmt: skip
    await infra.market_data.publish(keys.MARKET_PRICE, top.key, top)


async def _commands(infra: Infra) -> list[SubmitOrder]:
    rows = await infra.pool.fetch("SELECT payload FROM outbox WHERE stream = $1 ORDER BY id", keys.ORDER_SUBMIT)
    out = []
    for r in rows:
        message = decode(bytes(r["payload"]))
        assert isinstance(message, SubmitOrder)
        out.append(message)
    return out


async def test_a_leg_alone_is_hedged_then_unwound_and_every_step_is_an_intent(infra: Infra) -> None:
    await _seed(infra)
    await _top(infra, LEGS[0], "0.40", "0.46")
    await _top(infra, LEGS[1], "0.50", "0.52")  # within the 0.03 cap of the 0.50 limit
    guard = LegGuard(infra.store, infra.market_data, RULES, 60)
    assert await guard.scan() == 1
    (hedge,) = await _commands(infra)
    assert (hedge.venue, hedge.side, hedge.quantity, hedge.limit_price) == (
        "polymarket",
        "buy",
        Decimal(10),
        Decimal("0.52"),
    )
    assert await guard.scan() == 0  # the hedge is still working: wait for it
    row = await infra.pool.fetchrow(
        "SELECT intent_id, leg_index FROM order_intents WHERE client_order_id = $1", hedge.client_order_id
    )
    assert row["leg_index"] == 101
    await _record(infra, hedge.client_order_id, row["intent_id"], LEGS[1], "buy", Decimal(10), Decimal(0))
    assert await guard.scan() == 1  # the hedge did not fill either and attempts are used up: unwind
    unwind = (await _commands(infra))[-1]
    assert (unwind.venue, unwind.side, unwind.quantity, unwind.limit_price) == (
        "kalshi",
        "sell",
        Decimal(10),
        Decimal("0.40"),
    )
    assert unwind.reduce_only and not (await _commands(infra))[0].reduce_only
    row = await infra.pool.fetchrow(
        "SELECT intent_id FROM order_intents WHERE client_order_id = $1", unwind.client_order_id
    )
    await _record(infra, unwind.client_order_id, row["intent_id"], LEGS[0], "sell", Decimal(10), Decimal(10))
    assert await guard.scan() == 0  # flat again: nothing left alone
    assert [a for a, _ in guard.actions] == ["hedge", "unwind"]


async def test_a_hedge_beyond_the_cap_unwinds_at_once(infra: Infra) -> None:
    await _seed(infra)
    await _top(infra, LEGS[0], "0.41", "0.46")
    await _top(infra, LEGS[1], "0.55", "0.60")  # 0.60 > 0.50 + 0.03
    guard = LegGuard(infra.store, infra.market_data, RULES, 60)
    assert await guard.scan() == 1
    (unwind,) = await _commands(infra)
    assert (unwind.venue, unwind.side, unwind.limit_price) == ("kalshi", "sell", Decimal("0.41"))


async def test_a_leg_still_working_past_the_bound_is_cancelled_before_anything_else(infra: Infra) -> None:
    await _seed(infra)
    await infra.pool.execute("UPDATE orders SET status = 'accepted' WHERE client_order_id = 'c-1'")
    cancelled: list[tuple[str, str]] = []

    async def cancel(venue: str, client_order_id: str) -> None:
        cancelled.append((venue, client_order_id))

    guard = LegGuard(infra.store, infra.market_data, RULES, 60, cancel=cancel)
    await _top(infra, LEGS[1], "0.50", "0.51")
    assert await guard.scan() == 0 and cancelled == []  # inside the bound: let it work
    later = await infra.pool.fetchval("SELECT now() + interval '6 seconds'")
    assert await guard.scan(now=later) == 0 and cancelled == [("polymarket", "c-1")]
    await infra.pool.execute("UPDATE orders SET status = 'canceled' WHERE client_order_id = 'c-1'")
    assert await guard.scan(now=later) == 1  # final and unfilled: now it is hedged
    assert (await _commands(infra))[0].side == "buy"
