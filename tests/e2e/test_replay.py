"""`arbees replay` end to end: recorded real games, the three simulators and the fleet as separate processes.

Each test runs a short replay on loopback (paper trading) and checks what a user would: every game
discovered and matched on both venues, states and probabilities stored, paper fills, every position
settled when its game ended, and the ledger check (nothing lost, nothing doubled). In the first test a
user watches it in the dashboard (Chromium): logs in, sees a game's chart with the model against both
venues' prices, sees the first fill and position arrive live, and halts trading from the page (the kill
switch): from then on only reduce-only sells may leave (the ledger's L4 fails the run otherwise). The second test
trades on the simulators' books (``--venues sim``: the real engines), kills Redis (SIGKILL) in the middle of
the run and starts it again on its append-only file: every service must survive and the ledger must still
hold; then it rests one order on each venue through the fleet and halts: within 5 s nothing of ours may
rest on either simulator, and nothing but reduce-only sells may be sent after.
"""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.api.app import create_app
from services.cli.replay.command import DEFAULT_DATA, Replay
from services.cli.replay.plan import ReplayPlan
from services.cli.replay.redis_server import RedisServer
from services.cli.replay.venues import SimOrderReader
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import connect_redis
from shared.config import ArbeesSettings, load_settings
from shared.db.pool import create_pool
from shared.db.uow import Store
from shared.ledger_check import UNSENT_REASONS
from shared.messages import InstrumentRef, MarketPriceUpdated, SubmitOrder, derive_id
from shared.trading_state import halt, read_trading_state
from tests.e2e.browser import PHONE, chromium, logged_in_page, require_browser
from tests.support import eventually

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("replays"),  # one worker runs every replay; the other worker takes the rest
    pytest.mark.skipif(not DEFAULT_DATA.is_dir(), reason=f"recorded games not found at {DEFAULT_DATA}"),
]


def _check(summary: dict[str, Any], lines: list[str], *, filled: bool = True) -> None:
    games = summary["games"]
    assert summary["games_discovered"] == games, lines
    assert summary["matched"] == {"kalshi": games, "polymarket": games}, lines
    assert summary["game_states"] >= 3 * games and summary["probabilities"] >= 3 * games
    assert summary["intents_approved"] >= 1 and summary["orders"] == summary["intents_approved"], summary
    if filled:
        assert summary["fills"] >= 1, lines
        assert summary["positions_opened"] >= 1
    # Every position ends: sold by an exit, or settled when its game ended; none left open.
    assert summary["positions_open"] == 0, lines
    assert summary["positions_settled"] + summary["positions_closed"] == summary["positions_opened"], lines
    assert summary["ledger_ok"], summary["ledger_problems"]
    assert any(line.startswith("[game]") and "kalshi:matched polymarket:matched" in line for line in lines)


READ_TOKEN = "e2e-read-token-0123456789abcdef"
CONTROL_TOKEN = "e2e-control-token-0123456789abcdef"
HALT_REASON = "e2e: operator halt from the dashboard"
POINTS_AT_LEAST_3 = "() => Number(document.querySelector('[data-testid=game-chart]')?.dataset.pointsSERIES ?? 0) >= 3"
SHOWS_HALTED = "() => document.querySelector('[data-testid=trading-state-badge]')?.dataset.state === 'HALTED'"


async def _watch_in_the_dashboard_and_halt(run: Replay, pool: Any) -> None:
    """A user's session during the replay: log in, watch a game's chart, see a fill and a position arrive
    live (no reload), then halt trading from the overview page; screenshots of every step."""
    async with chromium("replay-dashboard") as (browser, shots):
        url = run.dashboard.url
        trades = await logged_in_page(browser, url, READ_TOKEN, None)
        await trades.get_by_test_id("nav-trades").click()
        await trades.get_by_test_id("trades-tab-fills").click()
        positions = await logged_in_page(browser, url, READ_TOKEN, None)
        await positions.get_by_test_id("nav-positions").click()
        watcher = await logged_in_page(browser, url, READ_TOKEN, CONTROL_TOKEN)
        for page in (trades, positions):
            await page.evaluate("window.__arbeesNoReload = true")
        await shots.take(watcher, "overview-before-games")

        await watcher.get_by_test_id("nav-games").click()
        card = watcher.get_by_test_id("game-card").first
        await card.wait_for(timeout=120_000)
        await card.click()
        chart = watcher.get_by_test_id("game-chart")
        await chart.wait_for(timeout=60_000)
        legend = watcher.get_by_test_id("game-chart-legend")
        for series in ("model", "kalshi", "polymarket"):
            assert (await legend.get_by_test_id(f"legend-{series}").inner_text()).strip() == series.title()
        # Both venues' prices and the model's line are drawn (points counted by the chart, live).
        for series in ("model", "kalshi", "polymarket"):
            await watcher.wait_for_function(POINTS_AT_LEAST_3.replace("SERIES", series.title()), timeout=120_000)
        await shots.take(watcher, "game-chart")

        await trades.get_by_test_id("fill-row").first.wait_for(timeout=150_000)
        await positions.get_by_test_id("position-row").first.wait_for(timeout=60_000)
        for page in (trades, positions):  # arrived from the stream: the page was never reloaded
            assert await page.evaluate("window.__arbeesNoReload === true")
        await shots.take(trades, "trades-first-fill")
        await shots.take(positions, "positions-first-position")

        await watcher.get_by_test_id("nav-overview").click()
        await watcher.get_by_test_id("halt-button").click()
        await watcher.get_by_test_id("confirm-reason-input").fill(HALT_REASON)
        await shots.take(watcher, "halt-confirmation")
        await watcher.get_by_test_id("confirm-button").click()
        await watcher.wait_for_function(SHOWS_HALTED, timeout=30_000)
        await shots.take(watcher, "overview-halted")
        state = await read_trading_state(pool)  # the API confirms it: persisted, with the reason given
        assert state.halted and state.reason == HALT_REASON and state.source.startswith("api"), state
        await watcher.set_viewport_size(PHONE)
        await shots.take(watcher, "overview-halted-phone")
        # Phone width: nothing wider than the screen (tables scroll inside their cards).
        assert await watcher.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def _every_route_has_the_replay(pool: Any, redis: Any, summary: dict[str, Any]) -> None:
    """The read API over what the replay left: every list and summary has the run's content."""
    app = create_app(pool, redis, READ_TOKEN, CONTROL_TOKEN)
    auth = {"Authorization": f"Bearer {READ_TOKEN}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as api:

        async def get(path: str, **params: Any) -> Any:
            answer = await api.get(f"/api/v1{path}", headers=auth, params=params)
            assert answer.status_code == 200, (path, answer.text)
            assert (await api.get(f"/api/v1{path}", params=params)).status_code == 401, path
            return answer.json()

        games = (await get("/games", limit=100))["items"]
        assert len(games) == summary["games"] and all(g["state"] and g["probability"] for g in games), games
        history = await get(f"/games/{games[0]['game_id']}/history")
        assert history["probabilities"] and {p["venue"] for p in history["prices"]} == {"kalshi", "polymarket"}
        matched = (await get("/matches", status="matched", limit=1000))["items"]
        assert {m["venue"] for m in matched} == {"kalshi", "polymarket"}
        signals = (await get("/signals", limit=1000))["items"]
        assert len(signals) == summary["signals"] and any(leg["order_status"] for s in signals for leg in s["legs"])
        assert len((await get("/orders", limit=1000))["items"]) == summary["orders"]
        assert len((await get("/fills", limit=1000))["items"]) == summary["fills"]
        positions = (await get("/positions", limit=1000))["items"]
        assert len(positions) == summary["positions_opened"] and all(p["status"] != "open" for p in positions)
        pnl = await get("/pnl/summary")
        assert pnl["by_venue"] and pnl["series"], pnl
        risk = await get("/risk")
        assert risk["trading"]["halted"] and risk["limits"] and risk["gauges"], risk
        # Still halted; a later automatic halt (a lonely arbitrage leg, say) may have replaced the reason,
        # but the page's halt is in the log with its reason and the API as its source.
        assert (await get("/trading-state"))["halted"]
        page_halts = await pool.fetch(
            "SELECT source FROM trading_state_log WHERE state = 'halted' AND reason = $1", HALT_REASON
        )
        assert [r["source"][:3] for r in page_halts] == ["api"], page_halts
        # The fleet has stopped: no service is healthy (its last "stopping" heartbeats may not have expired yet).
        assert not [s for s in (await get("/fleet"))["services"] if s["healthy"] or s["status"] != "stopping"]


async def test_replay_watched_in_the_dashboard_traded_halted_from_the_page_and_settled(
    clean_env: pytest.MonkeyPatch, redis_url: str, database_url: str, tmp_path: Path
) -> None:
    require_browser()
    clean_env.setenv("REDIS_URL", redis_url)
    clean_env.setenv("DATABASE_URL", database_url)
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    clean_env.setenv("API_TOKEN", READ_TOKEN)
    clean_env.setenv("API_CONTROL_TOKEN", CONTROL_TOKEN)
    plan = ReplayPlan.load(DEFAULT_DATA, ["nba", "nhl"], 2, 0, 150.0, 12.0)
    lines: list[str] = []
    replay = Replay(plan, load_settings(ArbeesSettings), tmp_path / "run", 1, lines.append)
    tasks: list[asyncio.Task[None]] = []
    pool = await create_pool(database_url, max_size=2)
    replay.on_running = lambda run: tasks.append(asyncio.create_task(_watch_in_the_dashboard_and_halt(run, pool)))
    try:
        summary = await replay.run(timeout_s=90)
        await asyncio.gather(*tasks)
        assert any(line.startswith("[dashboard] open http://127.0.0.1:") for line in lines), lines
        _check(summary, lines)
        assert summary["line_history"] >= 1, summary  # futures_monitor followed the games' pre-game lines
        assert all(child.returncode == 0 for child in replay.fleet.values()), {
            n: c.returncode for n, c in replay.fleet.items()
        }
        halted_at = await pool.fetchval("SELECT max(changed_at) FROM trading_state_log WHERE state = 'halted'")
        after = await pool.fetch(
            "SELECT side, status, COALESCE(reason, '') AS reason FROM orders WHERE created_at > $1", halted_at
        )
        # The ledger check's L4 already failed the run for anything else; say what happened for people.
        assert all(r["side"] == "sell" or r["reason"].startswith("trading_halted") for r in after), after
        assert (await read_trading_state(pool)).halted
        redis = connect_redis(redis_url, single_process=False)
        try:
            await _every_route_has_the_replay(pool, redis, summary)
        finally:
            await redis.aclose()
    finally:
        for task in tasks:
            task.cancel()
        await pool.close()


REST_PRICE = Decimal("0.01")
REST_QUANTITY = Decimal(10)
HALT_LIMIT_S = 5.0


async def _rest_one_order_per_venue(pool: Any, store: Store, bus: MarketDataBus, game_id: str) -> list[SubmitOrder]:
    """One approved intent and its SubmitOrder (through the outbox) per venue: a GTC buy at the lowest price,
    far below the book, so it rests. The execution-time gate prices takers (a buy below the best ask is
    ``price_moved``), so while the orders go out their outcomes' tops are held on the bus as empty books,
    as ``Fleet.price`` does in ``tests/integration/helpers/execution_fleet.py``."""
    rows = await pool.fetch(
        "SELECT venue, instruments FROM market_matches WHERE game_id = $1 AND status = 'matched' ORDER BY venue",
        game_id,
    )
    commands = []
    for row in rows:
        raw = row["instruments"]
        instrument = InstrumentRef.model_validate((json.loads(raw) if isinstance(raw, str) else raw)[0])
        intent_id = f"e2e-rest-{instrument.venue}-{game_id}"
        commands.append(
            SubmitOrder(
                intent_id=intent_id, client_order_id=f"arb-{derive_id('e2e-rest', intent_id).hex[:20]}",
                signal_id=intent_id, strategy="e2e", game_id=game_id, venue=instrument.venue,
                market_id=instrument.market_id, outcome_id=instrument.outcome_id, side="buy",
                limit_price=REST_PRICE, quantity=REST_QUANTITY, time_in_force="gtc", tick_size=instrument.tick_size,
            )
        )  # fmt: skip
    assert sorted(c.venue for c in commands) == ["kalshi", "polymarket"], rows
    held = asyncio.Event()

    async def hold_empty_tops() -> None:
        while not held.is_set():
            for cmd in commands:
                top = MarketPriceUpdated(
                    venue=cmd.venue, market_id=cmd.market_id, outcome_id=cmd.outcome_id, tick_size=cmd.tick_size,
                    ts_event=datetime.now(UTC),
                )  # fmt: skip
                await bus.publish(keys.MARKET_PRICE, top.key, top)
            await asyncio.sleep(0.02)

    holder = asyncio.create_task(hold_empty_tops())
    try:
        async with store.unit_of_work() as uow:
            for cmd in commands:
                await uow.conn.execute(
                    """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id,
                           venue, market_id, outcome_id, side, limit_price, quantity, notional, decision)
                       VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'approved')""",
                    cmd.intent_id, cmd.client_order_id, cmd.signal_id, cmd.strategy, cmd.game_id, cmd.venue,
                    cmd.market_id, cmd.outcome_id, cmd.side, cmd.limit_price, cmd.quantity,
                    cmd.limit_price * cmd.quantity,
                )  # fmt: skip
                await uow.emit(keys.ORDER_SUBMIT, cmd)
        for cmd in commands:
            row = await eventually(functools.partial(_answered, pool, cmd), timeout=60, interval=0.1)
            assert row["status"] == "accepted", dict(row)
    finally:
        held.set()
        await holder
    return commands


async def _answered(pool: Any, cmd: SubmitOrder) -> Any:
    row = await pool.fetchrow("SELECT * FROM orders WHERE client_order_id = $1", cmd.client_order_id)
    return row if row is not None and row["status"] != "submitted" else None


async def _resting_on_the_sims(reader: SimOrderReader, pool: Any, commands: list[SubmitOrder]) -> bool:
    hashes = {
        r["venue_order_id"]
        for r in await pool.fetch(
            "SELECT venue_order_id FROM orders WHERE client_order_id = ANY($1::text[])",
            [c.client_order_id for c in commands],
        )
    }
    kalshi, polymarket = await reader.kalshi_resting(), await reader.polymarket_open()
    return any(c.client_order_id in kalshi for c in commands) and bool(hashes & set(polymarket))


async def test_services_survive_a_redis_restart_in_the_middle_of_a_replay_and_lose_nothing(
    clean_env: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    """Trading on the simulators' books (``--venues sim``): Redis is killed after the first approved intent
    and started again; then one GTC buy rests on each venue, sent through the fleet, and a halt must leave
    nothing of ours resting on either simulator within 5 s, and nothing but reduce-only sells sent after."""
    server = RedisServer(tmp_path / "redis")
    await server.start()
    try:
        clean_env.setenv("REDIS_URL", server.url)
        clean_env.setenv("DATABASE_URL", database_url)
        clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
        plan = ReplayPlan.load(DEFAULT_DATA, ["nba", "nhl"], 1, 0, 150.0, 12.0)
        # The game still to be played longest: its markets stay open while the orders rest.
        last = max(plan.games, key=lambda g: g.start_offset_s + g.points[-1].t_s)
        lines: list[str] = []
        replay = Replay(plan, load_settings(ArbeesSettings), tmp_path / "run", 1, lines.append, venues="sim")
        restarted = asyncio.Event()
        tasks: list[asyncio.Task[Any]] = []

        async def restart_then_rest_an_order_on_each_venue_and_halt(run: Replay) -> dict[str, Any]:
            pool = await create_pool(database_url, max_size=2)
            redis = None
            try:
                await eventually(
                    lambda: pool.fetchval("SELECT count(*) FROM order_intents WHERE decision = 'approved'"),
                    timeout=120,
                    interval=0.2,
                )
                await server.kill()
                await server.start()
                restarted.set()
                redis = connect_redis(server.url, single_process=False)
                bus = MarketDataBus(redis)
                await eventually(
                    lambda: pool.fetchval(
                        "SELECT count(DISTINCT venue) = 2 FROM market_matches "
                        "WHERE game_id = $1 AND status = 'matched'",
                        last.game_id,
                    ),
                    timeout=60,
                    interval=0.2,
                )
                commands = await _rest_one_order_per_venue(pool, Store(pool), bus, last.game_id)
                assert run.accounts is not None
                async with run.accounts.reader() as reader:
                    await eventually(lambda: _resting_on_the_sims(reader, pool, commands), timeout=30, interval=0.1)
                    async with pool.acquire() as conn:
                        state = await halt(conn, "e2e: halt with an order resting on each venue", "e2e", bus=bus)
                    # Wait on the condition (the sims show nothing of ours), then compare the timestamps.
                    await eventually(lambda: _nothing_rests(reader), timeout=HALT_LIMIT_S * 4, interval=0.05)
                    cleared_at = datetime.now(UTC)
                for cmd in commands:
                    await eventually(functools.partial(_status_is, pool, cmd, "canceled"), timeout=30, interval=0.1)
                assert state.changed_at is not None
                return {"commands": commands, "halted_at": state.changed_at, "cleared_at": cleared_at}
            finally:
                if redis is not None:
                    await redis.aclose()
                await pool.close()

        def on_running(run: Replay) -> None:
            tasks.append(asyncio.create_task(restart_then_rest_an_order_on_each_venue_and_halt(run)))

        replay.on_running = on_running
        summary = await replay.run(timeout_s=90)
        (halt_result,) = await asyncio.gather(*tasks)
        assert restarted.is_set()
        assert all(child.returncode == 0 for child in replay.fleet.values()), {
            n: (c.returncode, c.tail()) for n, c in replay.fleet.items() if c.returncode != 0
        }
        assert any("(trading on the simulators' books)" in line for line in lines), lines
        elapsed_s = (halt_result["cleared_at"] - halt_result["halted_at"]).total_seconds()
        assert elapsed_s < HALT_LIMIT_S, f"resting orders still on a simulator {elapsed_s:.2f} s after the halt"
        pool = await create_pool(database_url, max_size=1)
        try:
            after = await pool.fetch(
                "SELECT client_order_id, side, status, COALESCE(reason, '') AS reason FROM orders "
                "WHERE created_at > $1",
                halt_result["halted_at"],
            )
            assert (await read_trading_state(pool)).halted
        finally:
            await pool.close()
        # Nothing sent after the halt but reduce-only sells (the ledger's L4 fails the run otherwise).
        assert all(r["side"] == "sell" or r["reason"].startswith(UNSENT_REASONS) for r in after), after
        assert summary["venues"] == "sim"
        assert summary["venue_open_orders"] == {"kalshi": 0, "polymarket": 0}, summary
        # The restart came after the first approved intent; whether an order then fills is the market's
        # business, so this run checks what the restart and the halt could break, not that it traded.
        _check(summary, lines, filled=False)
    finally:
        await server.stop()


async def _nothing_rests(reader: SimOrderReader) -> bool:
    return await reader.open_orders() == {"kalshi": 0, "polymarket": 0}


async def _status_is(pool: Any, cmd: SubmitOrder, status: str) -> bool:
    return bool(
        await pool.fetchval("SELECT status = $2 FROM orders WHERE client_order_id = $1", cmd.client_order_id, status)
    )
