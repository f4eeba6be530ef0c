"""A pre-game line moved through the simulators' ``/_sim`` routes is stored and raises a movement event; a move
under the threshold is stored but raises none. The monitor's clock is driven explicitly (``tick(now)``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shared.bus import keys
from shared.messages import LineMoved
from tests.integration.futures.conftest import GAME, START, Rig

pytestmark = pytest.mark.integration
T0 = START - timedelta(hours=2)
D = Decimal


async def test_a_move_beyond_the_threshold_is_an_event_and_one_under_it_is_not(rig: Rig) -> None:
    first = await rig.monitor.tick(T0)
    assert first.points == 2 and first.read_failures == 0 and first.movements == []
    mids = {r["venue"]: r["home_mid"] for r in await rig.rows("line_history")}
    assert mids == {"kalshi": D("0.55"), "polymarket": D("0.55")}

    await rig.move_kalshi("0.57")  # two points: under the 0.03 threshold
    await rig.move_polymarket(0.56)
    small = await rig.monitor.tick(T0 + timedelta(seconds=60))
    assert small.points == 2 and small.movements == []
    assert await rig.rows("line_movements") == []
    assert await rig.infra.market_data.latest_all(keys.LINE_MOVEMENT) == {}

    await rig.move_kalshi("0.62")  # seven points from the first reading, within the window
    big = await rig.monitor.tick(T0 + timedelta(seconds=120))
    assert [(m.venue, m.from_price, m.to_price) for m in big.movements] == [("kalshi", D("0.55"), D("0.62"))]
    moved = big.movements[0]
    assert moved.change == D("0.07") and moved.from_ts == T0 and moved.ts_event == T0 + timedelta(seconds=120)
    published = await rig.infra.market_data.latest(keys.LINE_MOVEMENT, moved.key)
    assert isinstance(published, LineMoved) and published.to_price == D("0.62") and published.game_id == GAME
    stored = await rig.rows("line_movements")
    assert [(r["venue"], r["from_price"], r["to_price"], r["change"]) for r in stored] == [
        ("kalshi", D("0.55"), D("0.62"), D("0.07"))
    ]

    held = await rig.monitor.tick(T0 + timedelta(seconds=180))  # the line holds: no second event for the same move
    assert held.movements == []
    history = await rig.rows("line_history")
    assert len(history) == 8
    assert [r["home_mid"] for r in history if r["venue"] == "kalshi"] == [D("0.55"), D("0.57"), D("0.62"), D("0.62")]
    assert [r["home_mid"] for r in history if r["venue"] == "polymarket"] == [D("0.55"), D("0.56")] + [D("0.56")] * 2


async def test_a_polymarket_move_down_is_an_event_on_that_venue(rig: Rig) -> None:
    await rig.monitor.tick(T0)
    await rig.move_polymarket(0.50)
    result = await rig.monitor.tick(T0 + timedelta(seconds=30))
    assert [(m.venue, m.change) for m in result.movements] == [("polymarket", D("-0.05"))]


async def test_a_move_outside_the_window_is_not_an_event(rig: Rig) -> None:
    await rig.monitor.tick(T0)
    await rig.move_kalshi("0.60")
    result = await rig.monitor.tick(T0 + timedelta(seconds=601))  # the window is 600 s: the first point has aged out
    assert result.movements == [] and result.points == 2
