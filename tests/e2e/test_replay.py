"""`arbees replay` end to end: recorded real games, the three simulators and the fleet as separate processes.

Each test runs a short replay on loopback (paper trading) and checks what a user would: every game
discovered and matched on both venues, states and probabilities stored, paper fills, every position
settled when its game ended, and the ledger check (nothing lost, nothing doubled). The first test
also halts trading (the kill switch) after the first fill: from then on only reduce-only sells may
leave (the ledger's L4 fails the run otherwise). The second test
kills Redis (SIGKILL) in the middle of the run and starts it again on its append-only file: every
service must survive and the ledger must still hold.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from services.cli.replay.command import DEFAULT_DATA, Replay
from services.cli.replay.plan import ReplayPlan
from services.cli.replay.redis_server import RedisServer
from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import connect_redis
from shared.config import ArbeesSettings, load_settings
from shared.db.pool import create_pool
from shared.trading_state import halt, read_trading_state
from tests.support import eventually

pytestmark = [
    pytest.mark.e2e,
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


async def test_replay_of_recorded_games_is_discovered_matched_traded_and_settled(
    clean_env: pytest.MonkeyPatch, redis_url: str, database_url: str, tmp_path: Path
) -> None:
    clean_env.setenv("REDIS_URL", redis_url)
    clean_env.setenv("DATABASE_URL", database_url)
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    plan = ReplayPlan.load(DEFAULT_DATA, ["nba", "nhl"], 2, 0, 150.0, 12.0)
    lines: list[str] = []
    replay = Replay(plan, load_settings(ArbeesSettings), tmp_path / "run", 1, lines.append)
    tasks: list[asyncio.Task[None]] = []
    pool = await create_pool(database_url, max_size=2)
    redis = connect_redis(redis_url, single_process=False)

    async def halt_after_the_first_fill() -> None:
        # The kill switch in the middle of a live replay: from then on nothing but reduce-only sells leaves.
        await eventually(lambda: pool.fetchval("SELECT count(*) FROM fills"), timeout=120, interval=0.2)
        async with pool.acquire() as conn:
            await halt(conn, "e2e: operator halt during the replay", "test", bus=MarketDataBus(redis))

    replay.on_running = lambda run: tasks.append(asyncio.create_task(halt_after_the_first_fill()))
    try:
        summary = await replay.run(timeout_s=90)
        await asyncio.gather(*tasks)
        _check(summary, lines)
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
    finally:
        await redis.aclose()
        await pool.close()


async def test_services_survive_a_redis_restart_in_the_middle_of_a_replay_and_lose_nothing(
    clean_env: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path / "redis")
    await server.start()
    try:
        clean_env.setenv("REDIS_URL", server.url)
        clean_env.setenv("DATABASE_URL", database_url)
        clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
        plan = ReplayPlan.load(DEFAULT_DATA, ["nba", "nhl"], 1, 0, 150.0, 12.0)
        lines: list[str] = []
        replay = Replay(plan, load_settings(ArbeesSettings), tmp_path / "run", 1, lines.append)
        restarted = asyncio.Event()
        tasks: list[asyncio.Task[None]] = []

        async def restart_after_the_first_approved_intent() -> None:
            pool = await create_pool(database_url, max_size=1)
            try:
                await eventually(
                    lambda: pool.fetchval("SELECT count(*) FROM order_intents WHERE decision = 'approved'"),
                    timeout=120,
                    interval=0.2,
                )
            finally:
                await pool.close()
            await server.kill()
            await server.start()
            restarted.set()

        def on_running(run: Replay) -> None:
            tasks.append(asyncio.create_task(restart_after_the_first_approved_intent()))

        replay.on_running = on_running
        summary = await replay.run(timeout_s=90)
        await asyncio.gather(*tasks)
        assert restarted.is_set()
        assert all(child.returncode == 0 for child in replay.fleet.values()), {
            n: (c.returncode, c.tail()) for n, c in replay.fleet.items() if c.returncode != 0
        }
        # The restart came after the first approved intent; whether a paper order then fills is the
        # market's business, so this run checks what the restart could break, not that it traded.
        _check(summary, lines, filled=False)
    finally:
        await server.stop()
