"""Loaders for the quarter-score layouts: ``nba_quarters_lines`` and ``nfl_quarters_lines``.

Both come from the Sportsbook Reviews Online archives (see each folder's PROVENANCE.md). States are the
start of quarters 2-4 (i.e. the ends of Q1-Q3), the start of overtime when regulation ended level, and a
pre-game state. Spreads in the files are negative when the home team is favoured; `GameSituation` wants
the home team's expected margin, so the sign is flipped. NFL rows flagged ``spread_suspect`` get no spread
(their moneyline still gives the prior).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from shared.winprob.datasets.base import OVERTIME, PREGAME, Dataset, LabeledState, fnum, moneyline, result_of
from shared.winprob.leagues import clock_for
from shared.winprob.types import GameSituation

NBA_FILE = "nba_games_quarters_lines.csv"
NFL_FILE = "nfl_games_quarters_lines.csv"
CHECKPOINTS = (PREGAME, "q1", "q2", "q3", OVERTIME)

Row = dict[str, str]
Fields = Callable[[Row], tuple[list[float | None], list[float | None], GameSituation]]


def _nba_fields(r: Row) -> tuple[list[float | None], list[float | None], GameSituation]:
    home = [fnum(r.get(f"home_{q}q")) for q in range(1, 5)]
    away = [fnum(r.get(f"away_{q}q")) for q in range(1, 5)]
    spread = fnum(r.get("home_spread_close"))
    base = GameSituation(
        "nba",
        0,
        0,
        1,
        home_spread=-spread if spread is not None else None,
        home_moneyline=moneyline(r.get("home_ml")),
        away_moneyline=moneyline(r.get("away_ml")),
    )
    return home, away, base


def _nfl_fields(r: Row) -> tuple[list[float | None], list[float | None], GameSituation]:
    home = [fnum(r.get(f"home_q{q}")) for q in range(1, 5)]
    away = [fnum(r.get(f"away_q{q}")) for q in range(1, 5)]
    spread = None if r.get("spread_suspect", "").strip() == "True" else fnum(r.get("home_close_spread"))
    base = GameSituation(
        "nfl",
        0,
        0,
        1,
        home_spread=-spread if spread is not None else None,
        home_moneyline=moneyline(r.get("home_close_ml")),
        away_moneyline=moneyline(r.get("away_close_ml")),
    )
    return home, away, base


def _game_states(sport: str, r: Row, gid: str, fields: Fields) -> list[LabeledState]:
    home, away, base = fields(r)
    outcome = fnum(r.get("home_win"))
    if outcome is None or any(v is None for v in home + away):
        return []
    h = [int(v) for v in home if v is not None]
    a = [int(v) for v in away if v is not None]
    clock = clock_for(sport)
    season, date = r.get("season", "").strip(), r.get("date", "").strip()
    res = result_of(outcome)
    base = replace(base, sport=sport, seconds_left_in_period=clock.period_seconds)
    out = [LabeledState(base, outcome, res, PREGAME, season, date, gid)]
    for q in (1, 2, 3):
        st = replace(base, home_score=sum(h[:q]), away_score=sum(a[:q]), period=q + 1)
        out.append(LabeledState(st, outcome, res, f"q{q}", season, date, gid))
    if r.get("ot", "").strip() == "True" and sum(h) == sum(a):
        st = replace(
            base, home_score=sum(h), away_score=sum(a), period=5, seconds_left_in_period=clock.overtime_seconds
        )
        out.append(LabeledState(st, outcome, res, OVERTIME, season, date, gid))
    return out


def _load(sport: str, layout: str, path: Path, fields: Fields) -> Dataset:
    ds = Dataset(sport, layout, str(path.parent), checkpoints=CHECKPOINTS)
    with open(path, newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            gid = f"{r.get('date', '')}-{i}"
            ds.states.extend(_game_states(sport, r, gid, fields))
    return ds


def load_nba_layout(data_dir: Path, sport: str = "nba") -> Dataset:
    """Load a folder in the ``nba_quarters_lines`` layout (NBA, or WNBA in the same layout)."""
    return _load(sport, "nba_quarters_lines", data_dir / NBA_FILE, _nba_fields)


def load_nfl_layout(data_dir: Path, sport: str = "nfl") -> Dataset:
    """Load a folder in the ``nfl_quarters_lines`` layout (NFL, or college football in the same layout)."""
    return _load(sport, "nfl_quarters_lines", data_dir / NFL_FILE, _nfl_fields)
