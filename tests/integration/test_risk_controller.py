"""R21 risk controller through the signal handler (real PostgreSQL): each limit denies with its code and the
denial is stored; a halt lets only reduce-only exits through; an exception in risk code halts (R18)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from markets.paper.engine import PaperTradingEngine
from services.execution_service.handlers import SubmitHandler
from services.signal_processor import handlers as signal_handlers
from services.signal_processor import risk_book
from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.handlers import SignalHandler
from shared.bus import keys
from shared.config import load_settings
from shared.ledger_check import check_ledger
from shared.messages import OrderDenied, SignalGenerated, SignalLeg, SubmitOrder, utc_now
from shared.runtime.infra import Infra
from shared.trading_state import halt, read_trading_state
from tests.integration.test_execution_service import MovableBook

pytestmark = pytest.mark.integration
D = Decimal


def _signal(
    signal_id: str,
    *,
    game: str = "g1",
    market: str = "m",
    strategy: str = "t",
    ts: datetime | None = None,
    kind: str = "model_edge",
    side: str = "buy",
    available: str = "10",
) -> SignalGenerated:
    now = utc_now()
    leg = SignalLeg(
        venue="kalshi",
        market_id=market,
        outcome_id="yes",
        side=side,  # type: ignore[arg-type]
        limit_price=D("0.40"),
        available_quantity=D(available),
        fee_per_contract=D("0.02"),
        tick_size=D("0.01"),
    )
    return SignalGenerated(
        signal_id=signal_id,
        strategy=strategy,
        kind=kind,  # type: ignore[arg-type]
        game_id=game,
        legs=(leg,),
        edge_per_contract=D("0.10"),
        ts_event=ts or now,
        expires_at=now + timedelta(seconds=30),
    )


def _handler(clean_env: pytest.MonkeyPatch, **limits: float) -> SignalHandler:
    return SignalHandler(load_settings(SignalProcessorSettings, **limits))


async def _decide(infra: Infra, handler: SignalHandler, signal: SignalGenerated) -> list[Any]:
    async with infra.store.unit_of_work() as uow:
        await handler(signal, uow)
        emitted = list(uow.emitted)
    return [message for _stream, message in emitted]


async def _intent(infra: Infra, signal_id: str) -> tuple[str, str | None, str | None]:
    row = await infra.pool.fetchrow(
        "SELECT decision, reason_code, reason FROM order_intents WHERE signal_id = $1", signal_id
    )
    assert row is not None, f"no intent stored for {signal_id}"
    return row["decision"], row["reason_code"], row["reason"]


async def _code(infra: Infra, signal_id: str) -> str | None:
    decision, code, reason = await _intent(infra, signal_id)
    assert (decision == "denied") == (code is not None) and (code is None or reason)
    return code


async def _game(infra: Infra, game_id: str, sport: str) -> None:
    await infra.pool.execute(
        """INSERT INTO games (game_id, league, sport, scheduled_start, status, home_team, away_team, home_name,
               away_name, payload) VALUES ($1, $2, $2, now(), 'in', 'H', 'A', 'Home', 'Away', '{}')""",
        game_id,
        sport,
    )


async def _position(
    infra: Infra, game_id: str, market: str, *, quantity: str = "10", cost: str = "4", realized: str = "0"
) -> None:
    await infra.pool.execute(
        """INSERT INTO positions (venue, market_id, outcome_id, game_id, paper, quantity, cost_basis, realized_pnl)
           VALUES ('kalshi', $1, 'yes', $2, true, $3, $4, $5)""",
        market,
        game_id,
        D(quantity),
        D(cost),
        D(realized),
    )


async def test_per_trade_limit(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    await _decide(infra, _handler(clean_env, max_trade_notional_cents=30), _signal("s1"))
    assert await _code(infra, "s1") == "trade_limit"


async def test_per_game_limit(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    handler = _handler(clean_env, max_game_exposure_cents=450)
    await _decide(infra, handler, _signal("s1", market="m1"))  # 10 x 0.42 = 4.20
    await _decide(infra, handler, _signal("s2", market="m2"))
    assert [await _code(infra, s) for s in ("s1", "s2")] == [None, "game_limit"]


async def test_per_sport_limit(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    for game, sport in (("g1", "nba"), ("g2", "nba"), ("g3", "nhl")):
        await _game(infra, game, sport)
    await _position(infra, "g2", "held", cost="9.80")
    handler = _handler(clean_env, max_sport_exposure_cents=1_000)
    await _decide(infra, handler, _signal("nba", game="g1"))
    await _decide(infra, handler, _signal("nhl", game="g3"))
    assert await _code(infra, "nba") == "sport_limit" and await _code(infra, "nhl") is None


async def test_total_open_exposure_limit(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    await _position(infra, "g2", "held", cost="10")
    await _decide(infra, _handler(clean_env, max_total_exposure_cents=1_000), _signal("s1"))
    assert await _code(infra, "s1") == "total_exposure_limit"


async def test_per_market_position_limit(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    await _position(infra, "g1", "m", quantity="100", cost="40")
    handler = _handler(clean_env, max_market_position_contracts=100)
    await _decide(infra, handler, _signal("same", market="m"))
    await _decide(infra, handler, _signal("other", market="m2"))
    assert await _code(infra, "same") == "market_limit" and await _code(infra, "other") is None


async def test_daily_loss_limit_counts_only_today(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    await _position(infra, "g2", "lost", quantity="0", cost="0", realized="-300")
    handler = _handler(clean_env, max_daily_loss_cents=25_000, risk_refresh_s=0)  # the P&L is re-read each time
    await _decide(infra, handler, _signal("today"))
    assert await _code(infra, "today") == "daily_loss_limit"
    await infra.pool.execute(
        """INSERT INTO pnl_snapshots (ts, paper, realized_pnl, unrealized_pnl, fees_paid, open_positions)
           VALUES (now() - interval '2 days', true, -300, 0, 0, 0)"""
    )
    await _decide(infra, handler, _signal("after_baseline"))
    assert await _code(infra, "after_baseline") is None


async def test_order_rate_per_rolling_minute(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    handler = _handler(clean_env, max_orders_per_minute=2)
    for i in range(3):
        await _decide(infra, handler, _signal(f"s{i}", market=f"m{i}"))
    assert [await _code(infra, f"s{i}") for i in range(3)] == [None, None, "order_rate"]


async def test_duplicate_intent_key_is_denied_and_the_ledger_holds(infra: Infra, clean_env: pytest.MonkeyPatch) -> None:
    handler = _handler(clean_env)
    ts = utc_now()
    first = await _decide(infra, handler, _signal("first", ts=ts))
    again = await _decide(infra, handler, _signal("again", ts=ts))  # another id, same strategy/market/time
    later = await _decide(infra, handler, _signal("later", ts=ts + timedelta(seconds=1), market="m2"))
    assert [await _code(infra, s) for s in ("first", "again", "later")] == [None, "duplicate_intent", None]
    assert isinstance(again[0], OrderDenied) and again[0].reason_code == "duplicate_intent"

    engine = PaperTradingEngine("kalshi", MovableBook(ask="0.40"), starting_balance=D(100))
    execution = SubmitHandler({"kalshi": engine}, infra.pool, {})
    for command in (*first, *later):
        assert isinstance(command, SubmitOrder)
        async with infra.store.unit_of_work() as uow:
            await execution(command, uow)
    await infra.relay.flush()
    report = await check_ledger(infra.pool, infra.redis)
    assert report.ok, report.problems


async def test_halted_denies_entries_but_lets_a_reduce_only_exit_through(
    infra: Infra, clean_env: pytest.MonkeyPatch
) -> None:
    await _position(infra, "g1", "m", quantity="6", cost="2.40")
    async with infra.pool.acquire() as conn:
        await halt(conn, "operator: test", "test")
    handler = _handler(clean_env)
    await _decide(infra, handler, _signal("entry", market="m2"))
    exit_orders = await _decide(infra, handler, _signal("exit", kind="exit", side="sell", available="50"))
    decision, code, reason = await _intent(infra, "entry")
    assert (decision, code) == ("denied", "trading_halted") and reason and "operator: test" in reason
    assert await _code(infra, "exit") is None
    (order,) = exit_orders
    assert isinstance(order, SubmitOrder) and order.side == "sell" and order.quantity == 6  # capped at the position
    if "reduce_only" in SubmitOrder.model_fields:
        assert order.model_dump()["reduce_only"] is True
    if "expires_at" in SubmitOrder.model_fields:
        assert order.model_dump()["expires_at"] is not None

    await _decide(infra, handler, _signal("exit_again", kind="exit", side="sell", available="50"))
    assert await _code(infra, "exit_again") == "nothing_to_reduce"  # the pending sell already covers it


async def test_an_exception_in_risk_code_halts_and_denies(
    infra: Infra, clean_env: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("risk maths")

    monkeypatch.setattr(risk_book, "daily_pnl", broken)  # the snapshot of the figures fails to compute
    emitted = await _decide(infra, _handler(clean_env), _signal("s1"))
    state = await read_trading_state(infra.pool)
    assert state.halted and "ZeroDivisionError" in state.reason and state.source == signal_handlers.HALT_SOURCE
    assert await _code(infra, "s1") == "risk_error"
    assert [type(m) for m in emitted] == [OrderDenied]
    await infra.relay.flush()
    report = await check_ledger(infra.pool, infra.redis)
    assert report.ok, report.problems
    assert await infra.redis.xlen(keys.ORDER_EVENTS) == 1
