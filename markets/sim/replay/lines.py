"""Checkpoint sports (NBA, NHL, NFL): quarter/period line scores and closing lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markets.sim.replay.common import CLOCKS, FOLDERS, LeagueClock, Row, _Selection
from markets.sim.replay.reference import _final_probability, _won, reference_probability
from markets.sim.replay.rows import _abbrs, _flag, _int, _num, _point, _Prior, _prior, _read_csv, _slug, display_name
from markets.sim.replay_types import ReplayGame, ReplayPoint

# -- checkpoint sports (NBA, NHL, NFL) ------------------------------------------------------------


@dataclass(frozen=True)
class _LinesFormat:
    league: str
    file: str
    date: str
    home: str
    away: str
    home_periods: tuple[str, ...]
    away_periods: tuple[str, ...]
    home_final: str
    away_final: str
    home_ml: str
    away_ml: str
    spread: Callable[[Row], float | None]


def _checkpoints(
    clock: LeagueClock, periods: list[tuple[int, int]], final: tuple[int, int], prior: _Prior
) -> tuple[ReplayPoint, ...] | None:
    """Pre-game, start, the end of every regulation period but the last, then the final."""
    points = [_point(0.0, "pre", 0, None, 0, 0, round(prior.p_home, 4), phase="pre")]
    points.append(_point(0.0, "in", 1, clock.period_s, 0, 0, round(prior.p_home, 4), phase="start"))
    home = away = 0
    for number, (h, a) in enumerate(periods, start=1):
        home, away = home + h, away + a
        if number == clock.periods:
            break
        tau = (clock.periods - number) / clock.periods
        ref = reference_probability(home - away, tau, prior.mu, clock)
        phase = "halftime" if clock.periods == 4 and number == 2 else "end_period"
        points.append(_point(number * clock.period_s, "in", number, 0.0, home, away, ref, phase=phase))
    if final[0] < home or final[1] < away:
        return None  # the line score exceeds the final: a bad row
    end = clock.regulation_s
    period = clock.periods
    if (home, away) != final:  # overtime (or a shoot-out goal)
        ref = reference_probability(home - away, clock.overtime_s / clock.regulation_s, prior.mu, clock)
        points.append(_point(end, "in", period, 0.0, home, away, ref, phase="end_period"))
        end, period = end + clock.overtime_s, period + 1
    points.append(_point(end, "post", period, 0.0, *final, _final_probability(*final), phase="final"))
    return tuple(points)


def _load_lines(fmt: _LinesFormat, folder: Path, selection: _Selection) -> list[ReplayGame]:
    clock = CLOCKS[fmt.league]
    rows: dict[str, Row] = {}
    for row in _read_csv(folder / fmt.file):
        home, away = (row.get(fmt.home) or "").strip(), (row.get(fmt.away) or "").strip()
        if not (home[:1].isalpha() and away[:1].isalpha()):
            continue
        game_id = f"{fmt.league}-{(row.get(fmt.date) or '').replace('-', '')}-{_slug(home)}-{_slug(away)}"
        rows.setdefault(game_id, row)
    return selection.take(rows, lambda game_id: _lines_game(fmt, clock, game_id, rows[game_id]))


def _lines_game(fmt: _LinesFormat, clock: LeagueClock, game_id: str, row: Row) -> ReplayGame | None:
    home_p = [_int(row, k) for k in fmt.home_periods]
    away_p = [_int(row, k) for k in fmt.away_periods]
    final = (_int(row, fmt.home_final), _int(row, fmt.away_final))
    if final[0] is None or final[1] is None:
        return None
    if any(v is None for v in home_p + away_p):
        return None
    spread = fmt.spread(row)
    home_spread = None if spread is None else 0.0 - spread
    prior = _prior(clock, _num(row, "home_prob_devig"), home_spread)
    periods = [(h, a) for h, a in zip(home_p, away_p, strict=True) if h is not None and a is not None]
    points = _checkpoints(clock, periods, (final[0], final[1]), prior)
    if points is None:
        return None
    home, away = display_name(row[fmt.home]), display_name(row[fmt.away])
    home_abbr, away_abbr = _abbrs(home, away)
    ml_home, ml_away = _num(row, fmt.home_ml), _num(row, fmt.away_ml)
    return ReplayGame(
        game_id=game_id,
        sport=clock.sport,
        league=fmt.league,
        home_team=home,
        away_team=away,
        home_abbr=home_abbr,
        away_abbr=away_abbr,
        start_offset_s=0.0,
        points=points,
        home_won=_won(final[0], final[1]),
        home_spread=home_spread,
        home_moneyline=int(ml_home) if ml_home is not None and abs(ml_home) >= 100 else None,
        away_moneyline=int(ml_away) if ml_away is not None and abs(ml_away) >= 100 else None,
        source=f"{FOLDERS[fmt.league]}/{fmt.file} {row.get(fmt.date, '')}",
    )


def _checked_spread(row: Row, *keys: str) -> float | None:
    """The first plausible home line among ``keys`` (|line| <= 30 and on the moneyline favourite's side)."""
    prob = _num(row, "home_prob_devig")
    for key in keys:
        line = _num(row, key)
        if line is None or abs(line) > 30:
            continue
        if prob is not None and line != 0 and (line < 0) != (prob > 0.5):
            continue
        return line
    return None


_NBA = _LinesFormat(
    "nba", "nba_games_quarters_lines.csv", "date", "home", "away",
    ("home_1q", "home_2q", "home_3q", "home_4q"), ("away_1q", "away_2q", "away_3q", "away_4q"),
    "home_final", "away_final", "home_ml", "away_ml",
    lambda r: None if _flag(r, "spread_suspect") else _checked_spread(r, "home_spread_close", "home_spread_open"),
)  # fmt: skip
_NHL = _LinesFormat(
    "nhl", "nhl_games_periods_lines.csv", "date", "home", "away",
    ("home_p1", "home_p2", "home_p3"), ("away_p1", "away_p2", "away_p3"),
    "home_final", "away_final", "home_ml_close", "away_ml_close",
    lambda r: None,
)  # fmt: skip
_NFL = _LinesFormat(
    "nfl", "nfl_games_quarters_lines.csv", "date", "home_team", "away_team",
    ("home_q1", "home_q2", "home_q3", "home_q4"), ("away_q1", "away_q2", "away_q3", "away_q4"),
    "home_final", "away_final", "home_close_ml", "away_close_ml",
    # Known bad rows carry a total in the closing spread (PROVENANCE.md): prefer the opening line then.
    lambda r: _checked_spread(r, "home_open_spread" if _flag(r, "spread_suspect") else "home_close_spread"),
)  # fmt: skip
