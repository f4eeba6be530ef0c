"""When the game starts the monitor hands it off once: its last pre-game line, averaged over venues, is
published as a ``PregameLine`` and recorded; the game is no longer polled. Started means ESPN says so, or
(ESPN silent) the start grace after the scheduled time: games often start late. The clock is driven by the test."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shared.bus import keys
from shared.messages import PregameLine
from tests.integration.futures.conftest import GAME, START, Rig

pytestmark = pytest.mark.integration


async def test_a_game_espn_never_reports_is_handed_off_after_the_start_grace(rig: Rig) -> None:
    grace = timedelta(seconds=rig.monitor.settings.start_grace_s)
    await rig.monitor.tick(START - timedelta(minutes=10))
    await rig.move_kalshi("0.60")
    await rig.move_polymarket(0.58)
    late = await rig.monitor.tick(START + timedelta(minutes=5))  # scheduled time passed, ESPN still says pre
    assert late.handoffs == [] and late.points == 2
    assert await rig.infra.market_data.latest(keys.PREGAME_LINE, GAME) is None

    silent = await rig.monitor.tick(START + grace)
    assert silent.points == 0 and len(silent.handoffs) == 1
    line = await rig.infra.market_data.latest(keys.PREGAME_LINE, GAME)
    assert isinstance(line, PregameLine)
    assert line.home_prob == pytest.approx(0.59) and line.venues == ("kalshi", "polymarket")
    assert line.line_ts == START + timedelta(minutes=5) and line.scheduled_start == START
    rows = await rig.rows("pregame_lines")
    assert [(r["home_prob"], r["venues"]) for r in rows] == [(Decimal("0.59"), ["kalshi", "polymarket"])]

    later = await rig.monitor.tick(START + grace + timedelta(minutes=5))
    assert later.handoffs == [] and later.points == 0 and later.watched == 0
    assert len(await rig.rows("line_history")) == 4


async def test_espn_saying_in_play_hands_off_before_the_scheduled_time(rig: Rig) -> None:
    await rig.monitor.tick(START - timedelta(minutes=30))
    await rig.infra.pool.execute("UPDATE games SET status = 'in' WHERE game_id = $1", GAME)
    result = await rig.monitor.tick(START - timedelta(minutes=29))
    assert [line.home_prob for line in result.handoffs] == [pytest.approx(0.55)]
