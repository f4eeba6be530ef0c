"""ESPN's JSON shapes for a replayed game at one point of its timeline (scoreboard event, summary).

The shapes mirror the recorded samples (tests/contract/espn/resources/, shared/docs/venues.md §3): scores
as strings, ``status.type.{id,name,state,completed,description,detail,shortDetail}``, ``clock`` a float,
``displayClock``, competitors with ``homeAway`` (home listed first, as ESPN does), ``team{id,uid,
abbreviation,displayName,...}``, ``linescores``, odds in the legacy layout with DraftKings as provider
(as in the 2026 soccer summary sample) while the game has not finished.

Where the replay data is thinner than ESPN: checkpoint sports show the last checkpoint until the next
one ("End of 1st Quarter" for all of the second quarter); no football ``situation`` (the data has no
drives); college basketball ``plays`` carry scores, clock and period but no play text or type (the
recorded play-by-play was stripped of them). Status ids 1, 2, 3 and 28 appear in our recordings; 22 (end
of period) and 23 (halftime) follow third-party captures; soccer halves and baseball half-innings use 2.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from markets.espn.leagues import League
from markets.sim.replay_types import ReplayGame, ReplayPoint

EASTERN = ZoneInfo("America/New_York")
PROVIDER = {"id": "100", "name": "DraftKings", "priority": 1}
# ESPN sport / league ids as they appear in `uid`; NFL (s:20~l:28), WNBA (s:40~l:59) and soccer (s:600) are
# in our recordings, the others are ESPN's public ids as seen in third-party data.
SPORT_IDS = {"football": 20, "basketball": 40, "hockey": 70, "baseball": 1, "soccer": 600}
LEAGUE_IDS = {"nfl": 28, "cfb": 23, "nba": 46, "wnba": 59, "ncaab": 41, "nhl": 90, "mlb": 10, "epl": 700, "mls": 770}
_PERIOD_WORDS = {"ncaab": "Half", "nhl": "Period", "cfb": "Quarter", "nfl": "Quarter", "nba": "Quarter"}
_REGULATION = {"ncaab": 2, "nhl": 3, "nfl": 4, "cfb": 4, "nba": 4, "wnba": 4, "mlb": 9, "epl": 2}


@dataclass(frozen=True)
class Frame:
    """A game at one moment: its point, the index of that point, and its scheduled start (UTC)."""

    game: ReplayGame
    league: League
    index: int
    scheduled: datetime

    @property
    def point(self) -> ReplayPoint:
        """The current point of the timeline."""
        return self.game.points[self.index]


def ordinal(n: int) -> str:
    """``1`` -> ``"1st"``, ``22`` -> ``"22nd"``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def espn_date(when: datetime) -> str:
    """ESPN's event date: ``"2025-10-10T00:15Z"`` (UTC, minutes)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def team_id(league: League, name: str) -> str:
    """A stable numeric team id for a replayed team (ESPN ids are numeric strings)."""
    return str(int(hashlib.sha256(f"{league.key}:{name}".encode()).hexdigest()[:8], 16) % 90000 + 10000)


# -- status -------------------------------------------------------------------------------------------


def _status_type(id_: str, name: str, state: str, description: str, detail: str, short: str) -> dict[str, Any]:
    completed = state == "post"
    return {
        "id": id_,
        "name": name,
        "state": state,
        "completed": completed,
        "description": description,
        "detail": detail,
        "shortDetail": short,
    }


def display_clock(league: League, point: ReplayPoint) -> str:
    """ESPN's ``displayClock`` for ``point`` (``"5:02"``, ``"45.0"`` in a basketball last minute, ``"14'"``)."""
    if league.sport == "soccer":
        return f"{math.ceil((point.clock_seconds or 0.0) / 60)}'" if point.status != "post" else "90'"
    secs = point.clock_seconds or 0.0
    if league.espn_sport == "basketball" and 0 < secs < 60:
        return f"{secs:.1f}"
    if league.espn_sport == "basketball" and point.status == "pre":
        return "0.0"
    whole = int(secs)
    return f"{whole // 60}:{whole % 60:02d}"


def _period_name(league: League, period: int) -> tuple[str, str]:
    """(long, short) names of a period: ("2nd Quarter", "2nd"), ("OT", "OT"), ("2OT", "2OT")."""
    regulation = _REGULATION.get(league.key, 4)
    if period > regulation:
        extra = period - regulation
        name = "OT" if extra == 1 else f"{extra}OT"
        return name, name
    word = _PERIOD_WORDS.get(league.key, "Quarter")
    long = f"{ordinal(period)} {word}"
    return long, (long if league.key == "ncaab" else ordinal(period))


def status_json(frame: Frame) -> dict[str, Any]:
    """``status`` of an event: clock, displayClock, period and type."""
    league, point = frame.league, frame.point
    phase = str(point.extra.get("phase", "play"))
    return {
        "clock": float(point.clock_seconds or 0.0),
        "displayClock": display_clock(league, point),
        "period": point.period,
        "type": _type_for(frame, phase),
    }


def _type_for(frame: Frame, phase: str) -> dict[str, Any]:
    league, point = frame.league, frame.point
    if phase == "pre":
        local = frame.scheduled.astimezone(EASTERN)
        when = f"{local.hour % 12 or 12}:{local:%M %p %Z}"
        detail = f"{local:%a, %B} {ordinal(local.day)} at {when}"
        return _status_type("1", "STATUS_SCHEDULED", "pre", "Scheduled", detail, f"{local.month}/{local.day} - {when}")
    if league.sport == "mlb":
        return _baseball_type(point, phase)
    if league.sport == "soccer":
        return _soccer_type(point, phase)
    long, short = _period_name(league, point.period)
    if phase == "final":
        suffix = "" if point.period <= _REGULATION.get(league.key, 4) else f"/{short}"
        return _status_type("3", "STATUS_FINAL", "post", "Final", f"Final{suffix}", f"Final{suffix}")
    if phase == "halftime":
        return _status_type("23", "STATUS_HALFTIME", "in", "Halftime", "Halftime", "Halftime")
    if phase == "end_period":
        return _status_type("22", "STATUS_END_PERIOD", "in", "End of Period", f"End of {long}", f"End of {short}")
    clock = display_clock(league, point)
    return _status_type("2", "STATUS_IN_PROGRESS", "in", "In Progress", f"{clock} - {long}", f"{clock} - {short}")


def _soccer_type(point: ReplayPoint, phase: str) -> dict[str, Any]:
    if phase == "final":
        return _status_type("28", "STATUS_FULL_TIME", "post", "Full Time", "FT", "FT")
    if phase == "halftime":
        return _status_type("23", "STATUS_HALFTIME", "in", "Halftime", "HT", "HT")
    minute = f"{math.ceil((point.clock_seconds or 0.0) / 60)}'"
    if point.period >= 2:
        return _status_type("2", "STATUS_SECOND_HALF", "in", "Second Half", minute, minute)
    return _status_type("2", "STATUS_FIRST_HALF", "in", "First Half", minute, minute)


def _baseball_type(point: ReplayPoint, phase: str) -> dict[str, Any]:
    inning = ordinal(point.period)
    if phase == "final":
        detail = "Final" if point.period <= 9 else f"Final/{point.period}"
        return _status_type("3", "STATUS_FINAL", "post", "Final", detail, detail)
    if phase in ("mid_inning", "end_inning"):
        long, short = ("Middle", "Mid") if phase == "mid_inning" else ("End", "End")
        return _status_type(
            "2", "STATUS_IN_PROGRESS", "in", "In Progress", f"{long} of {inning} Inning", f"{short} {inning}"
        )
    half = "Top" if point.extra.get("inning_half", "top") == "top" else "Bottom"
    short = "Top" if half == "Top" else "Bot"
    return _status_type("2", "STATUS_IN_PROGRESS", "in", "In Progress", f"{half} {inning}", f"{short} {inning}")


# -- competitors and odds -----------------------------------------------------------------------------


def linescores(game: ReplayGame, index: int) -> tuple[list[int], list[int]]:
    """Points per period so far, ``(home, away)``; a period's total is its last score minus the previous end."""
    ends: dict[int, tuple[int, int]] = {}
    for point in game.points[1 : index + 1]:
        if point.period >= 1:
            ends[point.period] = (point.home_score, point.away_score)
    home: list[int] = []
    away: list[int] = []
    before = (0, 0)
    for period in range(1, max(ends, default=0) + 1):
        end = ends.get(period, before)
        home.append(end[0] - before[0])
        away.append(end[1] - before[1])
        before = end
    return home, away


def team_json(league: League, name: str, abbr: str) -> dict[str, Any]:
    """``competitors[].team`` for a replayed team."""
    tid = team_id(league, name)
    sport = SPORT_IDS.get(league.espn_sport, 0)
    return {
        "id": tid,
        "uid": f"s:{sport}~l:{LEAGUE_IDS.get(league.key, 0)}~t:{tid}",
        "location": name,
        "name": name,
        "abbreviation": abbr,
        "displayName": name,
        "shortDisplayName": name,
        "isActive": True,
    }


def competitors_json(frame: Frame, *, header: bool = False) -> list[dict[str, Any]]:
    """Home then away, with scores as strings and the line score so far."""
    game, point = frame.game, frame.point
    lines = linescores(game, frame.index)
    sides = (
        ("home", game.home_team, game.home_abbr, point.home_score, lines[0], 0),
        ("away", game.away_team, game.away_abbr, point.away_score, lines[1], 1),
    )
    out = []
    for side, name, abbr, score, periods, order in sides:
        team = team_json(frame.league, name, abbr)
        entry: dict[str, Any] = {"id": team["id"], "type": "team", "order": order, "homeAway": side}
        if point.status == "post":
            other = point.away_score if side == "home" else point.home_score
            entry["winner"] = score > other
        entry["team"] = team
        entry["score"] = str(score)
        if header:
            entry["linescores"] = [{"displayValue": str(v)} for v in periods]
            entry["possession"] = False
        else:
            entry["linescores"] = [
                {"value": float(v), "displayValue": str(v), "period": i} for i, v in enumerate(periods, start=1)
            ]
        out.append(entry)
    return out


def odds_json(frame: Frame) -> list[dict[str, Any]] | None:
    """The pre-game line (legacy layout) while the game is not over; ``None`` when the data has none."""
    game = frame.game
    draw = game.points[0].extra.get("draw_moneyline")
    if game.home_spread is None and game.home_moneyline is None:
        return None
    entry: dict[str, Any] = {"provider": dict(PROVIDER)}
    home_favoured = (game.home_spread or 0) > 0 or (game.home_moneyline or 0) < (game.away_moneyline or 0)
    favourite = game.home_abbr if home_favoured else game.away_abbr
    if game.home_spread is not None:
        line = abs(game.home_spread)
        entry["details"] = f"{favourite} -{line:g}" if line else "EVEN"
        entry["spread"] = 0.0 - game.home_spread
    else:
        entry["details"] = f"{favourite} {min(game.home_moneyline or 0, game.away_moneyline or 0):+d}"
    for key, ml, fav in (
        ("homeTeamOdds", game.home_moneyline, home_favoured),
        ("awayTeamOdds", game.away_moneyline, not home_favoured),
    ):
        entry[key] = {"favorite": fav, "underdog": not fav, "moneyLine": ml}
    if isinstance(draw, int):
        entry["drawOdds"] = {"moneyLine": draw}
    return [entry]


# -- documents ----------------------------------------------------------------------------------------


def event_json(frame: Frame) -> dict[str, Any]:
    """One ``events[i]`` of a scoreboard."""
    game, league = frame.game, frame.league
    status = status_json(frame)
    date = espn_date(frame.scheduled)
    competition: dict[str, Any] = {
        "id": game.game_id,
        "date": date,
        "neutralSite": False,
        "competitors": competitors_json(frame),
        "status": status,
    }
    odds = odds_json(frame)
    if odds is not None and frame.point.status != "post":
        competition["odds"] = odds
    return {
        "id": game.game_id,
        "uid": f"s:{SPORT_IDS.get(league.espn_sport, 0)}~l:{LEAGUE_IDS.get(league.key, 0)}~e:{game.game_id}",
        "date": date,
        "name": f"{game.away_team} at {game.home_team}",
        "shortName": f"{game.away_abbr} @ {game.home_abbr}",
        "competitions": [competition],
        "status": status,
    }


def league_json(league: League) -> dict[str, Any]:
    """``leagues[0]`` of a scoreboard (and ``header.league`` of a summary)."""
    lid = LEAGUE_IDS.get(league.key, 0)
    return {
        "id": str(lid),
        "uid": f"s:{SPORT_IDS.get(league.espn_sport, 0)}~l:{lid}",
        "name": league.key.upper(),
        "abbreviation": league.key.upper(),
        "slug": league.espn_league,
    }


def scoreboard_json(league: League, frames: Sequence[Frame], day: datetime) -> dict[str, Any]:
    """A scoreboard document: ``leagues``, ``day`` and the events in start order."""
    return {
        "leagues": [league_json(league)],
        "day": {"date": day.astimezone(EASTERN).strftime("%Y-%m-%d")},
        "events": [event_json(f) for f in sorted(frames, key=lambda f: (f.scheduled, f.game.game_id))],
    }


def summary_json(frame: Frame) -> dict[str, Any]:
    """A summary document: ``header``, odds (``pickcenter``), and plays + win probability for play-by-play."""
    point = frame.point
    status: dict[str, Any] = {"type": _type_for(frame, str(point.extra.get("phase", "play")))}
    if point.status != "post":
        status.update(clock=float(point.clock_seconds or 0.0), displayClock=display_clock(frame.league, point))
        status["period"] = point.period
    header = {
        "id": frame.game.game_id,
        "competitions": [
            {
                "id": frame.game.game_id,
                "date": espn_date(frame.scheduled),
                "neutralSite": False,
                "competitors": competitors_json(frame, header=True),
                "status": status,
            }
        ],
        "league": league_json(frame.league),
    }
    doc: dict[str, Any] = {"header": header}
    odds = odds_json(frame)
    if odds is not None:
        doc["pickcenter"] = odds
        doc["odds"] = odds
    if any(p.extra.get("phase") == "play" for p in frame.game.points[:2]):
        plays = _plays(frame)
        doc["plays"] = plays
        doc["winprobability"] = [
            {"homeWinPercentage": p["_ref"], "tiePercentage": 0.0, "playId": p["id"]} for p in plays
        ]
        for play in plays:
            del play["_ref"]
    return doc


def _plays(frame: Frame) -> list[dict[str, Any]]:
    game = frame.game
    digits = "".join(ch for ch in game.game_id if ch.isdigit())
    plays: list[dict[str, Any]] = []
    before = (0, 0)
    for point in game.points[1 : frame.index + 1]:
        if point.extra.get("phase") != "play":
            continue
        seq = int(str(point.extra.get("play", len(plays))))
        scored = (point.home_score - before[0], point.away_score - before[1])
        long, _short = _period_name(frame.league, point.period)
        play: dict[str, Any] = {
            "id": f"{digits}{seq:05d}",
            "sequenceNumber": str(seq),
            "text": "",
            "awayScore": point.away_score,
            "homeScore": point.home_score,
            "period": {"number": point.period, "displayValue": long},
            "clock": {"displayValue": display_clock(frame.league, point)},
            "scoringPlay": scored != (0, 0),
            "scoreValue": max(scored),
            "_ref": point.reference_home_prob,
        }
        if scored != (0, 0):
            name = game.home_team if scored[0] else game.away_team
            play["team"] = {"id": team_id(frame.league, name)}
        plays.append(play)
        before = (point.home_score, point.away_score)
    return plays
