"""One short replay per session into a template database; each test gets its own clone of it.

The replay (one recorded NBA game at 300x, paper trading, the whole fleet as processes on loopback)
takes ~40 s, so it runs once: :func:`replayed_template` fills a database, which is then only used as a
``CREATE DATABASE ... TEMPLATE`` source, and :func:`replayed_database_url` clones it for each test so a
test may change its database freely. Skipped when the recorded games are not on this machine.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from services.cli.replay.command import DEFAULT_DATA, Replay
from services.cli.replay.plan import ReplayPlan
from shared.config import ArbeesSettings, load_settings
from tests.conftest import _admin, _db_url

ENV_PREFIXES = ("ARBEES_", "GAME_SHARD_", "SIGNAL_", "EXEC_", "POSITIONS_", "API_")
ENV_KEYS = ("REDIS_URL", "DATABASE_URL", "PAPER_TRADING", "LIVE_TRADING_CONFIRMED", "LOG_LEVEL")


@dataclass(frozen=True, slots=True)
class ReplayedTemplate:
    """The template database filled by the session's replay and the replay's summary."""

    name: str
    summary: dict[str, Any]
    lines: tuple[str, ...]


@pytest.fixture(scope="session")
def replayed_template(pg_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplayedTemplate]:
    """Run one replay (nba, one game, seed 0, 300x, 12 s lead) into a new database, once per session."""
    if not DEFAULT_DATA.is_dir():
        pytest.skip(f"recorded games not found at {DEFAULT_DATA}")
    name = f"arbees_replay_tpl_{os.getpid()}"
    root = tmp_path_factory.mktemp("analytics-replay")
    lines: list[str] = []

    async def fill() -> dict[str, Any]:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
        plan = ReplayPlan.load(DEFAULT_DATA, ["nba"], 1, 0, 300.0, 12.0)
        replay = Replay(plan, load_settings(ArbeesSettings), root / "run", 1, lines.append)
        summary = await replay.run(timeout_s=90)
        # Nothing may stay connected to a template; the fleet has stopped, this closes any straggler.
        await _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        return summary

    with pytest.MonkeyPatch.context() as env:
        for key in list(os.environ):
            if key.startswith(ENV_PREFIXES) or key in ENV_KEYS:
                env.delenv(key, raising=False)
        # No REDIS_URL: the replay starts its own private redis-server under its run directory.
        env.setenv("DATABASE_URL", _db_url(name))
        env.setenv("ARBEES_DATA_DIR", str(root / "data"))
        summary = asyncio.run(fill())
    assert summary["fills"] >= 1 and summary["ledger_ok"], (summary, lines[-20:])
    yield ReplayedTemplate(name, summary, tuple(lines))
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def replayed_database_url(replayed_template: ReplayedTemplate) -> AsyncIterator[str]:
    """A fresh database cloned from the replay-filled template, dropped after the test."""
    clone = f"arbees_t_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{clone}" TEMPLATE "{replayed_template.name}"')
    yield _db_url(clone)
    await _admin(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')
