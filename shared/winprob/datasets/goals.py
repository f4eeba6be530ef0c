"""Loaders for the goal-sport layouts: ``nhl_periods_lines`` and ``epl_ht_ft_odds``.

NHL: states at the ends of periods 1 and 2, the start of overtime when regulation ended level (the
regular-season rule is assumed), and a pre-game state; the prior is the closing moneyline pair.

Soccer (football-data.co.uk columns, any league in the same layout): a half-time state and a pre-game
state. The two-outcome score is for "home wins" (a draw counts as not winning, outcome 0); the
three-outcome result is kept separately. The prior is the first available of Pinnacle closing
(de-vigged ``p_pinn_close_*``), Bet365 (``p_b365_*``), and the market-average or Betbrain-average
decimal odds de-vigged proportionally. Red-card columns are full-match totals without timing, so they are
not put into the half-time state.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from shared.winprob.datasets.base import OVERTIME, PREGAME, Dataset, LabeledState, fnum, inum, moneyline, result_of
from shared.winprob.types import GameSituation

NHL_FILE = "nhl_games_periods_lines.csv"
EPL_FILE = "epl_matches_ht_ft_odds.csv"
NHL_CHECKPOINTS = (PREGAME, "p1", "p2", OVERTIME)
EPL_CHECKPOINTS = (PREGAME, "halftime")

Row = dict[str, str]


def _nhl_game(r: Row, gid: str) -> list[LabeledState]:
    goals = [inum(r.get(f"{side}_p{p}")) for side in ("home", "away") for p in (1, 2, 3)]
    outcome = fnum(r.get("home_win"))
    if outcome is None or any(g is None for g in goals):
        return []
    h = [g or 0 for g in goals[:3]]
    a = [g or 0 for g in goals[3:]]
    season, date = r.get("season", "").strip(), r.get("date", "").strip()
    res = result_of(outcome)
    base = GameSituation(
        "nhl",
        0,
        0,
        1,
        seconds_left_in_period=1200.0,
        home_moneyline=moneyline(r.get("home_ml_close")),
        away_moneyline=moneyline(r.get("away_ml_close")),
    )
    fin = (sum(h), sum(a))
    out = [LabeledState(base, outcome, res, PREGAME, season, date, gid, final_score=fin)]
    for p in (1, 2):
        st = replace(base, home_score=sum(h[:p]), away_score=sum(a[:p]), period=p + 1)
        out.append(LabeledState(st, outcome, res, f"p{p}", season, date, gid, final_score=fin))
    if sum(h) == sum(a):
        st = replace(base, home_score=sum(h), away_score=sum(a), period=4, seconds_left_in_period=300.0)
        out.append(LabeledState(st, outcome, res, OVERTIME, season, date, gid, final_score=fin))
    return out


def load_nhl_layout(data_dir: Path, sport: str = "nhl") -> Dataset:
    """Load a folder in the ``nhl_periods_lines`` layout."""
    ds = Dataset(sport, "nhl_periods_lines", str(data_dir), checkpoints=NHL_CHECKPOINTS)
    with open(data_dir / NHL_FILE, newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            ds.states.extend(_nhl_game(r, f"{r.get('date', '')}-{i}"))
    return ds


def soccer_prior(r: Row) -> tuple[float, float] | None:
    """Pre-match (home, draw) probabilities of a football-data.co.uk row (see module docstring)."""
    for h, d in (("p_pinn_close_home", "p_pinn_close_draw"), ("p_b365_home", "p_b365_draw")):
        ph, pd = fnum(r.get(h)), fnum(r.get(d))
        if ph is not None and pd is not None:
            return ph, pd
    for h, d, a in (("AvgCH", "AvgCD", "AvgCA"), ("AvgH", "AvgD", "AvgA"), ("BbAvH", "BbAvD", "BbAvA")):
        oh, od, oa = fnum(r.get(h)), fnum(r.get(d)), fnum(r.get(a))
        if oh and od and oa and min(oh, od, oa) > 1.0:
            s = 1 / oh + 1 / od + 1 / oa
            return (1 / oh) / s, (1 / od) / s
    return None


def _epl_game(r: Row, gid: str) -> list[LabeledState]:
    fh, fa, hh, ha = (inum(r.get(c)) for c in ("FTHG", "FTAG", "HTHG", "HTAG"))
    if fh is None or fa is None or hh is None or ha is None:
        return []
    outcome = 1.0 if fh > fa else 0.0
    prior = soccer_prior(r)
    base = GameSituation(
        "soccer",
        0,
        0,
        1,
        seconds_left_in_period=2700.0,
        prior_home_prob=prior[0] if prior else None,
        prior_draw_prob=prior[1] if prior else None,
    )
    season, date = r.get("season", "").strip(), r.get("Date", "").strip()
    res = 0 if fh > fa else 1 if fh == fa else 2
    half = replace(base, home_score=hh, away_score=ha, period=2)
    return [
        LabeledState(base, outcome, res, PREGAME, season, date, gid, final_score=(fh, fa)),
        LabeledState(half, outcome, res, "halftime", season, date, gid, final_score=(fh, fa)),
    ]


def load_epl_layout(data_dir: Path, sport: str = "soccer") -> Dataset:
    """Load a folder in the ``epl_ht_ft_odds`` layout (any football-data.co.uk league in that layout)."""
    ds = Dataset(sport, "epl_ht_ft_odds", str(data_dir), checkpoints=EPL_CHECKPOINTS)
    with open(data_dir / EPL_FILE, newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            ds.states.extend(_epl_game(r, f"{r.get('Date', '')}-{i}"))
    return ds
