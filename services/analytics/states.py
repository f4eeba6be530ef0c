"""Labelled game states from our own database: the hot ``game_states`` table plus its archived Parquet files.

A game counts once it has a final state (``status = 'post'``); its in-game states (``status = 'in'``) are
labelled with that final result (home win 1, loss 0, tie 0.5) and turned into the models' `GameSituation`
the way a game shard sees them (soccer's running clock becomes seconds left in the half).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from shared.winprob.datasets import LabeledState
from shared.winprob.datasets.base import result_of
from shared.winprob.types import GameSituation

SOCCER_HALF_S = 45 * 60
LIVE = "live"
"""Checkpoint name of every in-game state read from the database."""


def _seconds_left(p: Mapping[str, Any]) -> float | None:
    clock = p.get("clock_seconds")
    if clock is None:
        return None
    if p["sport"] == "soccer":
        return max(0.0, SOCCER_HALF_S * max(1, min(int(p["period"]), 2)) - float(clock))
    return float(clock)


def situation(p: Mapping[str, Any]) -> GameSituation:
    """The models' view of one stored ``GameStateUpdated`` payload."""
    half = p.get("inning_half")
    return GameSituation(
        sport=p["sport"],
        home_score=int(p["home_score"]),
        away_score=int(p["away_score"]),
        period=max(1, int(p["period"])),
        seconds_left_in_period=_seconds_left(p),
        home_spread=p.get("home_spread"),
        home_moneyline=p.get("home_moneyline"),
        away_moneyline=p.get("away_moneyline"),
        draw_moneyline=p.get("draw_moneyline"),
        home_timeouts=p.get("home_timeouts"),
        away_timeouts=p.get("away_timeouts"),
        possession=p.get("possession"),
        down=p.get("down"),
        distance=p.get("distance"),
        yards_to_goal=p.get("yards_to_goal"),
        outs=p.get("outs"),
        bases=p.get("bases"),
        top_of_inning=None if half is None else half == "top",
        home_red_cards=p.get("home_red_cards") or 0,
        away_red_cards=p.get("away_red_cards") or 0,
    )


def label(rows: Iterable[tuple[datetime, Mapping[str, Any]]], zone: ZoneInfo) -> list[LabeledState]:
    """Labelled in-game states of every finished game among ``rows`` (``(ts, payload)`` of one sport)."""
    games: dict[str, list[tuple[datetime, Mapping[str, Any]]]] = {}
    for ts, payload in rows:
        games.setdefault(str(payload["game_id"]), []).append((ts, payload))
    out: list[LabeledState] = []
    for game_id, states in games.items():
        states.sort(key=lambda r: r[0])
        finals = [p for _, p in states if p["status"] == "post"]
        if not finals:
            continue
        final = finals[-1]
        margin = int(final["home_score"]) - int(final["away_score"])
        outcome = 1.0 if margin > 0 else 0.0 if margin < 0 else 0.5
        for ts, p in states:
            if p["status"] != "in":
                continue
            day = ts.astimezone(zone).date()
            out.append(
                LabeledState(
                    situation=situation(p),
                    outcome=outcome,
                    result=result_of(outcome),
                    checkpoint=LIVE,
                    season=f"db-{day.year}",
                    date=day.isoformat(),
                    game_id=f"db:{game_id}",
                    final_score=(int(final["home_score"]), int(final["away_score"])),
                )
            )
    return out


def _archived_rows(paths: Iterable[str], sport: str) -> list[tuple[datetime, dict[str, Any]]]:
    rows: list[tuple[datetime, dict[str, Any]]] = []
    for path in paths:
        table = pq.read_table(Path(path), columns=["ts", "sport", "payload"])
        for ts, s, payload in zip(*(table.column(c).to_pylist() for c in ("ts", "sport", "payload")), strict=True):
            if s == sport:
                rows.append((ts, json.loads(payload)))
    return rows


async def database_states(pool: asyncpg.Pool, sport: str, zone: ZoneInfo) -> list[LabeledState]:
    """Labelled states of ``sport`` from the hot table and the archived files (blocking reads in a thread)."""
    async with pool.acquire() as conn:
        hot = await conn.fetch("SELECT ts, payload::text AS payload FROM game_states WHERE sport = $1", sport)
        files = [r["path"] for r in await conn.fetch(
            "SELECT path FROM archive_files WHERE table_name = 'game_states' ORDER BY ts_from")]  # fmt: skip
    archived = await asyncio.to_thread(_archived_rows, files, sport)
    rows = [(r["ts"], json.loads(r["payload"])) for r in hot] + archived
    return await asyncio.to_thread(label, rows, zone)
