"""MLB: inning line scores with the Retrosheet win-expectancy table as reference."""

from __future__ import annotations

from pathlib import Path

from markets.sim.replay.common import (
    _TABLE_MIN_SITUATIONS,
    CLOCKS,
    FOLDERS,
    MLB_HALF_INNING_S,
    Row,
    _Selection,
)
from markets.sim.replay.reference import _final_probability, _won, mu_from_prior, reference_probability
from markets.sim.replay.rows import _int, _num, _point, _read_csv, _slug
from markets.sim.replay_types import ReplayGame

# -- MLB ------------------------------------------------------------------------------------------

_Table = dict[tuple[str, int, int], float]


def _load_mlb_table(folder: Path) -> _Table:
    """(batting side, inning, run diff of the batting side) -> P(batting side wins), 0 outs, bases empty."""
    path = folder / "mlb_win_expectancy_table.csv"
    table: _Table = {}
    if not path.exists():
        return table
    for row in _read_csv(path):
        n, pct = _num(row, "n_situations"), _num(row, "win_pct_batting")
        inning, diff = _num(row, "inning"), _num(row, "run_diff_batting")
        if row.get("outs") != "0" or row.get("base_code") != "1" or None in (n, pct, inning, diff):
            continue
        if n is not None and pct is not None and n >= _TABLE_MIN_SITUATIONS:
            table[(row["batting_team"], int(inning or 0), int(diff or 0))] = pct
    return table


def _load_mlb(folder: Path, selection: _Selection) -> list[ReplayGame]:
    rows: dict[str, Row] = {}
    for row in _read_csv(folder / "mlb_2019_game_linescores.csv"):
        gid = f"mlb-{row.get('date', '')}-{_slug(row.get('home', ''))}-{_slug(row.get('visitor', ''))}"
        rows.setdefault(f"{gid}-{row.get('game_num', '0')}", row)
    table = _load_mlb_table(folder) if rows and selection.limit != 0 else {}
    return selection.take(rows, lambda game_id: _mlb_game(game_id, rows[game_id], table))


def _innings(line: str) -> list[int | None] | None:
    runs: list[int | None] = []
    for cell in line.split():
        if cell.lower() == "x":
            runs.append(None)
        elif cell.isdigit():
            runs.append(int(cell))
        else:
            return None
    return runs


def _mlb_reference(table: _Table, batting: str, inning: int, home: int, away: int) -> float:
    """P(home wins) as the next half inning starts (0 outs, bases empty)."""
    diff = home - away if batting == "home" else away - home
    pct = table.get((batting, min(inning, 25), diff))
    if pct is not None:
        return pct if batting == "home" else round(1.0 - pct, 4)
    clock = CLOCKS["mlb"]
    halves_left = max(1, 18 - (2 * (inning - 1) + (1 if batting == "home" else 0)))
    return reference_probability(home - away, halves_left / 18, mu_from_prior(clock.home_rate, clock), clock)


def _mlb_game(game_id: str, row: Row, table: _Table) -> ReplayGame | None:
    away_runs, home_runs = _innings(row.get("visitor_line", "")), _innings(row.get("home_line", ""))
    final = (_int(row, "home_runs"), _int(row, "visitor_runs"))
    if not away_runs or not home_runs or len(away_runs) != len(home_runs) or final[0] is None or final[1] is None:
        return None
    start = _mlb_reference(table, "visitor", 1, 0, 0)
    points = [
        _point(0.0, "pre", 0, None, 0, 0, start, phase="pre"),
        _point(0.0, "in", 1, None, 0, 0, start, phase="start", inning_half="top"),
    ]
    home = away = halves = 0
    innings = len(away_runs)
    for inning, (top, bottom) in enumerate(zip(away_runs, home_runs, strict=True), start=1):
        if top is None:
            return None
        away, halves = away + top, halves + 1
        if bottom is None and inning == innings:
            break  # "x": the home side led and did not bat
        ref = _mlb_reference(table, "home", inning, home, away)
        points.append(_point(halves * MLB_HALF_INNING_S, "in", inning, None, home, away, ref, phase="mid_inning"))
        if bottom is None:
            return None
        home, halves = home + bottom, halves + 1
        if inning == innings:
            break
        ref = _mlb_reference(table, "visitor", inning + 1, home, away)
        points.append(_point(halves * MLB_HALF_INNING_S, "in", inning, None, home, away, ref, phase="end_inning"))
    if (home, away) != final:
        return None  # the line score does not add up to the final
    t_end = halves * MLB_HALF_INNING_S
    points.append(_point(t_end, "post", innings, None, *final, _final_probability(*final), phase="final"))
    return ReplayGame(
        game_id=game_id,
        sport="mlb",
        league="mlb",
        home_team=row["home"],
        away_team=row["visitor"],
        home_abbr=row["home"],
        away_abbr=row["visitor"],
        start_offset_s=0.0,
        points=tuple(points),
        home_won=_won(*final),
        source=f"{FOLDERS['mlb']}/mlb_2019_game_linescores.csv {row.get('date', '')}",
    )
