"""The ESPN simulator: ESPN's site API serving replayed real games, plus a ``/_sim`` control API.

Routes (ESPN's paths and shapes, see :mod:`markets.sim.espn.render`):

- ``GET /apis/site/v2/sports/{sport}/{league}/scoreboard[?dates=YYYYMMDD[-YYYYMMDD]&limit=N]`` — the
  league's replayed games as they stand at the current replay time. Without ``dates`` every loaded game
  of the league is listed (the replay is one "day"); with ``dates`` the games whose start falls on those
  US-Eastern days (ESPN's scoreboard day). Other ESPN parameters (``groups``...) are accepted and ignored.
- ``GET /apis/site/v2/sports/{sport}/{league}/summary?event=ID`` — the summary of one game.
- ``GET /_sim/health``, ``GET|POST|DELETE /_sim/faults`` (shared control router), ``GET /_sim/games``
  (every game's current state), ``GET /_sim/clock`` and ``POST /_sim/clock`` (jump replay time, change
  speed, pause). Moving this clock desynchronises this simulator from venue simulators started with the
  same ``--start-at``/``--speed``; use it in tests, not in a synchronised demo.

Errors use ``{"code": <status>, "message": ...}`` (ESPN's error body for an unknown event or league was
not captured; this shape is an assumption). Injected HTTP faults (:class:`FaultMiddleware`) use it too.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from markets.espn.leagues import LEAGUES, League, league_for_path
from markets.sim.common.control import control_router
from markets.sim.common.faults import FaultInjector, FaultMiddleware
from markets.sim.espn.render import EASTERN, Frame, scoreboard_json, summary_json
from markets.sim.replay_types import ReplayGame


def error_body(status: int) -> dict[str, Any]:
    """The simulator's error JSON for ``status``."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {"code": status, "message": phrase}


class ReplayTimeline:
    """Replay time on the wall clock, like :class:`ReplayClock`, but movable and pausable (thread-safe).

    Replay time is ``anchor_t + (wall - anchor_wall) * speed`` (negative before the replay begins), or
    ``anchor_t`` while paused. Initially ``anchor_t = 0`` at ``anchor_wall = start_epoch_s``.
    """

    def __init__(self, start_epoch_s: float, speed: float = 1.0, *, wall: Callable[[], float] = time.time) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._wall = wall
        self._lock = threading.Lock()
        self._anchor_wall = start_epoch_s
        self._anchor_t = 0.0
        self._speed = speed
        self._paused = False

    def now(self) -> float:
        """Replay seconds at this moment."""
        with self._lock:
            return self._at(self._wall())

    def _at(self, wall: float) -> float:
        if self._paused:
            return self._anchor_t
        return self._anchor_t + (wall - self._anchor_wall) * self._speed

    def wall_time_of(self, replay_t: float) -> float:
        """The wall time (epoch seconds) at which the replay reaches ``replay_t`` at the current speed."""
        with self._lock:
            wall = self._wall()
            return wall + (replay_t - self._at(wall)) / self._speed

    def set(
        self,
        *,
        t_s: float | None = None,
        advance_s: float | None = None,
        speed: float | None = None,
        paused: bool | None = None,
    ) -> None:
        """Move to ``t_s`` (or forward by ``advance_s``), change ``speed``, pause or resume."""
        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive")
        with self._lock:
            wall = self._wall()
            current = self._at(wall)
            if t_s is not None:
                current = max(0.0, t_s)
            if advance_s is not None:
                current = max(0.0, current + advance_s)
            self._anchor_wall, self._anchor_t = wall, current
            self._speed = speed if speed is not None else self._speed
            self._paused = paused if paused is not None else self._paused

    def snapshot(self) -> dict[str, Any]:
        """``{"t_s", "speed", "paused"}``."""
        with self._lock:
            return {"t_s": self._at(self._wall()), "speed": self._speed, "paused": self._paused}


class ClockIn(BaseModel):
    """Body of ``POST /_sim/clock``: any of a new replay time, a step, a speed, pause/resume."""

    t_s: float | None = Field(default=None, ge=0)
    advance_s: float | None = None
    speed: float | None = Field(default=None, gt=0)
    paused: bool | None = None


class EspnReplay:
    """The loaded games, indexed for serving (game id, league, point times)."""

    def __init__(self, games: Sequence[ReplayGame], timeline: ReplayTimeline) -> None:
        unknown = sorted({g.league for g in games if g.league not in LEAGUES})
        if unknown:
            raise ValueError(f"games of leagues ESPN paths are not known for: {unknown}")
        self.timeline = timeline
        self.by_id = {g.game_id: g for g in games}
        self._times = {g.game_id: [p.t_s for p in g.points] for g in games}

    def games_of(self, league: League) -> list[ReplayGame]:
        """The games of ``league``."""
        return [g for g in self.by_id.values() if g.league == league.key]

    def frame(self, game: ReplayGame, replay_t: float) -> Frame:
        """``game`` at replay time ``replay_t``."""
        index = max(0, bisect.bisect_right(self._times[game.game_id], replay_t - game.start_offset_s) - 1)
        scheduled = datetime.fromtimestamp(self.timeline.wall_time_of(game.start_offset_s), UTC)
        return Frame(game, LEAGUES[game.league], index, scheduled)


def _days(raw: str | None) -> tuple[date, date] | None:
    if raw is None:
        return None
    first, _, last = raw.partition("-")
    start = datetime.strptime(first, "%Y%m%d").date()
    return start, (datetime.strptime(last, "%Y%m%d").date() if last else start)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"code": status, "message": message}, status_code=status)


def create_app(
    games: Sequence[ReplayGame], timeline: ReplayTimeline, injector: FaultInjector | None = None
) -> FaultMiddleware:
    """The simulator as an ASGI app (FastAPI wrapped in the fault middleware).

    Raises
    ------
    ValueError
        A game's league has no ESPN path in :data:`markets.espn.leagues.LEAGUES`.
    """
    replay = EspnReplay(games, timeline)
    faults = injector or FaultInjector()
    app = FastAPI(title="ESPN simulator", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(control_router(faults))
    _add_site_routes(app, replay)
    _add_control_routes(app, replay)
    return FaultMiddleware(app, faults, error_body)


def _add_site_routes(app: FastAPI, replay: EspnReplay) -> None:
    @app.get("/apis/site/v2/sports/{sport}/{league}/scoreboard")
    async def scoreboard(sport: str, league: str, request: Request) -> JSONResponse:
        lg = league_for_path(sport, league)
        if lg is None:
            return _error(404, f"unknown league {sport}/{league}")
        try:
            days = _days(request.query_params.get("dates"))
            limit = int(request.query_params.get("limit", "1000"))
        except ValueError:
            return _error(400, "invalid dates or limit")
        now = replay.timeline.now()
        frames = [replay.frame(g, now) for g in replay.games_of(lg)]
        if days is not None:
            frames = [f for f in frames if days[0] <= f.scheduled.astimezone(EASTERN).date() <= days[1]]
        doc = scoreboard_json(lg, frames, datetime.now(UTC))
        doc["events"] = doc["events"][: max(0, limit)]
        return JSONResponse(doc)

    @app.get("/apis/site/v2/sports/{sport}/{league}/summary")
    async def summary(sport: str, league: str, request: Request) -> JSONResponse:
        lg = league_for_path(sport, league)
        event_id = request.query_params.get("event")
        if lg is None:
            return _error(404, f"unknown league {sport}/{league}")
        if not event_id:
            return _error(400, "missing event parameter")
        game = replay.by_id.get(event_id)
        if game is None or game.league != lg.key:
            return _error(404, f"event {event_id} not found")
        return JSONResponse(summary_json(replay.frame(game, replay.timeline.now())))


def _add_control_routes(app: FastAPI, replay: EspnReplay) -> None:
    @app.get("/_sim/games")
    async def games(league: str | None = None) -> list[dict[str, Any]]:
        now = replay.timeline.now()
        out = []
        for game in replay.by_id.values():
            if league is not None and game.league != league:
                continue
            frame = replay.frame(game, now)
            p = frame.point
            lg = frame.league
            out.append(
                {
                    "game_id": game.game_id,
                    "league": game.league,
                    "path": f"/apis/site/v2/sports/{lg.path}",
                    "home": game.home_abbr,
                    "away": game.away_abbr,
                    "start_offset_s": game.start_offset_s,
                    "duration_s": game.points[-1].t_s,
                    "status": p.status,
                    "period": p.period,
                    "clock_seconds": p.clock_seconds,
                    "home_score": p.home_score,
                    "away_score": p.away_score,
                    "reference_home_prob": p.reference_home_prob,
                }
            )
        return sorted(out, key=lambda g: (g["start_offset_s"], g["game_id"]))

    @app.get("/_sim/clock")
    async def get_clock() -> dict[str, Any]:
        return replay.timeline.snapshot()

    @app.post("/_sim/clock")
    async def set_clock(body: ClockIn) -> dict[str, Any]:
        replay.timeline.set(t_s=body.t_s, advance_s=body.advance_s, speed=body.speed, paused=body.paused)
        return replay.timeline.snapshot()
