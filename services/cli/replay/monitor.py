"""Progress of a replay: one line per game whenever what we know of it changes, and the end condition."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from markets.sim.replay_types import ReplayGame
from shared.bus import keys


@dataclass(frozen=True, slots=True)
class GameProgress:
    """What the fleet has done with one game so far."""

    discovered: bool
    kalshi: bool
    polymarket: bool
    status: str
    score: str
    fills: int
    open_positions: int
    settled_positions: int

    def line(self, game: ReplayGame) -> str:
        """One line for people."""
        venues = " ".join(
            f"{v}:{'matched' if ok else '-'}" for v, ok in (("kalshi", self.kalshi), ("polymarket", self.polymarket))
        )
        found = "discovered" if self.discovered else "not discovered"
        return (
            f"[game] {game.league:<5} {game.away_abbr} @ {game.home_abbr} ({game.game_id}): {found}, {venues}, "
            f"{self.status} {self.score}, fills {self.fills}, positions open {self.open_positions} "
            f"settled {self.settled_positions}"
        )


async def progress(pool: asyncpg.Pool, games: Sequence[ReplayGame]) -> dict[str, GameProgress]:
    """The progress of every game, read from the database."""
    ids = [g.game_id for g in games]
    async with pool.acquire() as conn:
        found = {r["game_id"] for r in await conn.fetch("SELECT game_id FROM games WHERE game_id = ANY($1)", ids)}
        matched = {
            (r["game_id"], r["venue"])
            for r in await conn.fetch(
                "SELECT DISTINCT game_id, venue FROM market_matches WHERE status = 'matched' AND game_id = ANY($1)", ids
            )
        }
        states = {
            r["game_id"]: r
            for r in await conn.fetch(
                """SELECT DISTINCT ON (game_id) game_id, status, home_score, away_score, period
                   FROM game_states WHERE game_id = ANY($1) ORDER BY game_id, ts DESC""",
                ids,
            )
        }
        fills = dict(
            await conn.fetch("SELECT game_id, count(*) FROM fills WHERE game_id = ANY($1) GROUP BY game_id", ids)
        )
        positions: dict[str, dict[str, int]] = {}
        for r in await conn.fetch(
            "SELECT game_id, status, count(*) AS n FROM positions WHERE game_id = ANY($1) GROUP BY game_id, status",
            ids,
        ):
            positions.setdefault(r["game_id"], {})[r["status"]] = int(r["n"])
    out = {}
    for game_id in ids:
        state = states.get(game_id)
        out[game_id] = GameProgress(
            discovered=game_id in found,
            kalshi=(game_id, "kalshi") in matched,
            polymarket=(game_id, "polymarket") in matched,
            status=state["status"] if state else "unseen",
            score=f"{state['away_score']}-{state['home_score']} (P{state['period']})" if state else "",
            fills=int(fills.get(game_id, 0)),
            open_positions=positions.get(game_id, {}).get("open", 0),
            settled_positions=positions.get(game_id, {}).get("settled", 0),
        )
    return out


class ProgressPrinter:
    """Prints a game's line when its progress changes."""

    def __init__(self, games: Sequence[ReplayGame], say: Callable[[str], None]) -> None:
        self._games = {g.game_id: g for g in games}
        self._say = say
        self._last: dict[str, GameProgress] = {}

    def update(self, current: dict[str, GameProgress]) -> None:
        """Print every game whose progress changed since the last update."""
        for game_id, now in current.items():
            if self._last.get(game_id) != now:
                self._last[game_id] = now
                self._say(now.line(self._games[game_id]))


ORDERS_AHEAD_OF_FILLS = """SELECT count(*) FROM orders o WHERE o.filled_quantity <> COALESCE(
    (SELECT SUM(f.quantity) FROM fills f WHERE f.client_order_id = o.client_order_id), 0)"""
"""Orders the venue reports filled further than the fills we hold: their fills are still to be read."""


async def backlog(redis: Any) -> dict[str, int]:
    """Per money stream, the entries its slowest consumer group has not yet acknowledged (pending + unread)."""
    out: dict[str, int] = {}
    for stream in keys.MONEY_STREAMS:
        if await redis.exists(stream):
            groups = await redis.xinfo_groups(stream)
            out[stream] = max((int(g["pending"] or 0) + int(g.get("lag") or 0) for g in groups), default=0)
    return out


async def quiescent(pool: asyncpg.Pool, redis: Any) -> bool:
    """True when no money message is waiting anywhere: outbox sent, no pending stream entries, and no order
    whose fills are still to be read from the venue (a real engine's acknowledgement can come before them)."""
    if await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL"):
        return False
    if await pool.fetchval(ORDERS_AHEAD_OF_FILLS):
        return False
    return not any((await backlog(redis)).values())


def finished(current: dict[str, GameProgress]) -> bool:
    """Every game over and no position left open."""
    return all(p.status == "post" and p.open_positions == 0 for p in current.values())
