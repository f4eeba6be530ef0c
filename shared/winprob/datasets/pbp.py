"""Loaders for the play-by-play and line-score layouts: ``ncaab_pbp_2018_19`` and ``mlb``.

NCAAB: every play event of ``states.csv.gz`` joined to ``games.csv`` (pre-game spread
``home_favored_by``, result ``home_win``; games without a result are skipped). ``secs_remaining`` is
regulation time left (2400 at tip) in halves 1-2 and overtime time left in half 3+. Timeouts left are
clipped to 0..5 (the feed has a few negative or inflated counts). ``win_prob`` is the recorded ncaahoopR
model. Checkpoints are bands of regulation time left.

MLB: Retrosheet game logs split into half-innings (``x`` = bottom half not played). A state is the start
of every half-inning that was played (0 outs, bases empty); the top of the first is the pre-game state.
There is no pre-game line in this layout.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from shared.winprob.datasets.base import OVERTIME, PREGAME, Dataset, LabeledState, fnum, inum, result_of
from shared.winprob.types import GameSituation

NCAAB_GAMES = "games.csv"
NCAAB_STATES = "states.csv.gz"
MLB_LINES = "mlb_2019_game_linescores.csv"
NCAAB_BANDS: tuple[tuple[float, str], ...] = (
    (1800.0, "t>1800"),
    (1200.0, "1200<t<=1800"),
    (600.0, "600<t<=1200"),
    (300.0, "300<t<=600"),
    (60.0, "60<t<=300"),
    (-1.0, "t<=60"),
)
NCAAB_CHECKPOINTS = tuple(name for _, name in NCAAB_BANDS) + (OVERTIME,)
MLB_CHECKPOINTS = (PREGAME,) + tuple(f"inning_{i}" for i in range(1, 10)) + ("extra",)


def _band(secs: float, half: int) -> str:
    if half >= 3:
        return OVERTIME
    for lo, name in NCAAB_BANDS:
        if secs > lo:
            return name
    return NCAAB_BANDS[-1][1]


def _timeouts(text: str | None) -> int | None:
    v = inum(text)
    return None if v is None else min(max(v, 0), 5)


def _ncaab_games(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return {r["game_id"]: r for r in csv.DictReader(f) if fnum(r.get("home_win")) is not None}


def load_ncaab_layout(data_dir: Path, sport: str = "ncaab") -> Dataset:
    """Load a folder in the ``ncaab_pbp_2018_19`` layout (states.csv.gz may also be plain states.csv)."""
    games = _ncaab_games(data_dir / NCAAB_GAMES)
    ds = Dataset(sport, "ncaab_pbp", str(data_dir), checkpoints=NCAAB_CHECKPOINTS, recorded_name="win_prob")
    path = data_dir / NCAAB_STATES
    opener = gzip.open if path.exists() else open
    if not path.exists():
        path = data_dir / "states.csv"
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            g = games.get(r["game_id"])
            if g is None:
                continue
            ds.states.append(_ncaab_state(r, g, sport))
    return ds


def _ncaab_state(r: dict[str, str], g: dict[str, str], sport: str) -> LabeledState:
    half = inum(r["half"]) or 1
    secs = fnum(r["secs_remaining"]) or 0.0
    outcome = fnum(g["home_win"]) or 0.0
    if half >= 3:
        in_period, game_left = min(secs, 300.0), None
    else:
        in_period, game_left = (secs - 1200.0 if half == 1 else secs), secs
    st = GameSituation(
        sport,
        inum(r["home_score"]) or 0,
        inum(r["away_score"]) or 0,
        half,
        seconds_left_in_period=in_period,
        game_seconds_left=game_left,
        home_spread=fnum(g.get("home_favored_by")),
        home_timeouts=_timeouts(r.get("home_time_out_remaining")),
        away_timeouts=_timeouts(r.get("away_time_out_remaining")),
    )
    date = g.get("date", "")
    return LabeledState(
        st,
        outcome,
        result_of(outcome),
        _band(secs, half),
        winter_season(date),
        date,
        r["game_id"],
        fnum(r.get("win_prob")),
    )


def winter_season(date: str) -> str:
    """Season label of a winter sport from an ISO date: ``2019-01-14`` -> ``2018-19``."""
    try:
        year, month = int(date[:4]), int(date[5:7])
    except ValueError:
        return date[:4]
    start = year if month >= 7 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _innings(line: str) -> list[int | None]:
    return [None if t.lower() == "x" else int(t) for t in line.split()]


def _mlb_game(r: dict[str, str], gid: str) -> list[LabeledState]:
    vis, home = _innings(r["visitor_line"]), _innings(r["home_line"])
    outcome = fnum(r.get("home_win"))
    if outcome is None:
        return []
    d = r["date"].strip()
    date = f"{d[:4]}-{d[4:6]}-{d[6:8]}" if len(d) == 8 else d
    res = result_of(outcome)
    out: list[LabeledState] = []
    v_runs = h_runs = 0
    for i in range(1, len(vis) + 1):
        name = PREGAME if i == 1 else f"inning_{i}" if i <= 9 else "extra"
        st = GameSituation("mlb", h_runs, v_runs, i, top_of_inning=True, outs=0, bases=0)
        out.append(LabeledState(st, outcome, res, name, date[:4], date, gid))
        v_runs += vis[i - 1] or 0
        if i > len(home) or home[i - 1] is None or (i >= 9 and h_runs > v_runs):
            break
        name = f"inning_{i}" if i <= 9 else "extra"
        st = GameSituation("mlb", h_runs, v_runs, i, top_of_inning=False, outs=0, bases=0)
        out.append(LabeledState(st, outcome, res, name, date[:4], date, gid))
        h_runs += home[i - 1] or 0
    return out


def load_mlb_layout(data_dir: Path, sport: str = "mlb") -> Dataset:
    """Load the line scores of a folder in the ``mlb`` layout."""
    ds = Dataset(sport, "mlb", str(data_dir), checkpoints=MLB_CHECKPOINTS)
    with open(data_dir / MLB_LINES, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ds.states.extend(_mlb_game(r, f"{r['date']}-{r.get('game_num', '0')}-{r['home']}"))
    return ds
