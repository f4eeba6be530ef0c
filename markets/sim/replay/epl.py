"""English Premier League: half-time and full-time scores with closing odds."""

from __future__ import annotations

from pathlib import Path

from markets.sim.replay.common import CLOCKS, FOLDERS, Row, _Selection
from markets.sim.replay.reference import reference_probability
from markets.sim.replay.rows import _abbrs, _devig, _int, _num, _point, _prior, _read_csv, _slug, american_from_decimal
from markets.sim.replay_types import ReplayGame

# -- English Premier League -----------------------------------------------------------------------


def _load_epl(folder: Path, selection: _Selection) -> list[ReplayGame]:
    rows: dict[str, Row] = {}
    for row in _read_csv(folder / "epl_matches_ht_ft_odds.csv"):
        home, away = (row.get("HomeTeam") or "").strip(), (row.get("AwayTeam") or "").strip()
        if home and away:
            rows.setdefault(f"epl-{(row.get('Date') or '').replace('-', '')}-{_slug(home)}-{_slug(away)}", row)
    return selection.take(rows, lambda game_id: _epl_game(game_id, rows[game_id]))


def _epl_odds(row: Row) -> tuple[float | None, float | None, float | None]:
    for prefix in ("PSC", "PS", "B365", "Avg"):
        home, draw, away = (_num(row, f"{prefix}{side}") for side in "HDA")
        if _devig(home, draw, away) is not None:
            return home, draw, away
    return None, None, None


def _epl_game(game_id: str, row: Row) -> ReplayGame | None:
    clock = CLOCKS["epl"]
    ht_home, ht_away, ft_home, ft_away = (_int(row, k) for k in ("HTHG", "HTAG", "FTHG", "FTAG"))
    if ht_home is None or ht_away is None or ft_home is None or ft_away is None:
        return None
    ht, ft = (ht_home, ht_away), (ft_home, ft_away)
    if ft_home < ht_home or ft_away < ht_away:
        return None
    odds = _epl_odds(row)
    devigged = _devig(*odds)
    handicap = _num(row, "AHCh") if _num(row, "AHCh") is not None else _num(row, "AHh")
    home_spread = None if handicap is None else 0.0 - handicap
    prior = _prior(clock, devigged[0] if devigged else None, home_spread)
    p0 = round(prior.p_home, 4)
    half = reference_probability(ht[0] - ht[1], 0.5, prior.mu, clock)
    points = (
        _point(0.0, "pre", 0, None, 0, 0, p0, phase="pre", draw_moneyline=american_from_decimal(odds[1])),
        _point(0.0, "in", 1, 0.0, 0, 0, p0, phase="start"),
        _point(2700.0, "in", 1, 2700.0, ht[0], ht[1], half, phase="halftime"),
        _point(5400.0, "post", 2, 5400.0, *ft, 1.0 if ft_home > ft_away else 0.0, phase="final"),
    )  # fmt: skip
    home, away = row["HomeTeam"].strip(), row["AwayTeam"].strip()
    home_abbr, away_abbr = _abbrs(home, away)
    return ReplayGame(
        game_id=game_id,
        sport="soccer",
        league="epl",
        home_team=home,
        away_team=away,
        home_abbr=home_abbr,
        away_abbr=away_abbr,
        start_offset_s=0.0,
        points=points,
        home_won=ft[0] > ft[1],
        home_spread=home_spread,
        home_moneyline=american_from_decimal(odds[0]),
        away_moneyline=american_from_decimal(odds[2]),
        source=f"{FOLDERS['epl']} {row.get('Date', '')}",
    )
