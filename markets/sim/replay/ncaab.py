"""NCAA men's basketball play-by-play: every play, with the recorded win probability as reference."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from markets.sim.replay.common import CLOCKS, FOLDERS, Row, _Selection
from markets.sim.replay.reference import _final_probability, _won
from markets.sim.replay.rows import _abbrs, _int, _num, _point, _prior, _read_csv
from markets.sim.replay_types import ReplayGame, ReplayPoint

# -- NCAA basketball play-by-play -----------------------------------------------------------------


def _load_ncaab(folder: Path, selection: _Selection) -> list[ReplayGame]:
    meta = {row["game_id"]: row for row in _read_csv(folder / "games.csv") if _num(row, "home_win") is not None}
    # The play-by-play is read for the chosen games only (1.2 M rows); a chosen game without plays is dropped.
    chosen = selection.order(f"ncaab-{gid}" for gid in meta)[: selection.limit]
    raw_ids = {gid.removeprefix("ncaab-") for gid in chosen}
    plays: dict[str, list[Row]] = {gid: [] for gid in raw_ids}
    with gzip.open(folder / "states.csv.gz", "rt", newline="", encoding="utf-8") as fh:
        header = next(csv.reader([fh.readline()]))
        for line in fh:  # ~1.2 M rows: look at the game id before parsing the line
            bucket = plays.get(line[: line.find(",")])
            if bucket is not None:
                bucket.append(dict(zip(header, next(csv.reader([line])), strict=False)))
    games = [_ncaab_game(meta[gid], plays[gid]) for gid in sorted(raw_ids)]
    return [g for g in games if g is not None]


def _ncaab_elapsed(half: int, secs_remaining: float) -> tuple[float, float]:
    """``(game seconds elapsed, seconds left in the period)`` from ncaahoopR's half and game clock."""
    if half <= 2:
        left = secs_remaining - (1200 if half == 1 else 0)
        return 2400 - secs_remaining, max(0.0, left)
    left = min(secs_remaining, 300)
    return 2400 + (half - 3) * 300 + (300 - left), left


def _ncaab_game(meta: Row, rows: list[Row]) -> ReplayGame | None:
    clock = CLOCKS["ncaab"]
    final_home, final_away = _int(meta, "final_home"), _int(meta, "final_away")
    if not rows or final_home is None or final_away is None:
        return None
    final = (final_home, final_away)
    favored_by = _num(meta, "home_favored_by")
    prior = _prior(clock, None, favored_by)
    first = _num(rows[0], "win_prob")
    ref = first if first is not None else round(prior.p_home, 4)
    points = [_point(0.0, "pre", 0, None, 0, 0, ref, phase="pre")]
    t_prev, previous = 0.0, None
    for seq, row in enumerate(rows):
        key = tuple(row.values())
        half, secs = _int(row, "half"), _num(row, "secs_remaining")
        home, away = _int(row, "home_score"), _int(row, "away_score")
        if key == previous or half is None or secs is None or home is None or away is None:
            continue
        previous = key
        t, left = _ncaab_elapsed(half, secs)
        t_prev = max(t_prev, t)
        recorded = _num(row, "win_prob")
        if recorded is not None:
            ref = recorded
        extra: dict[str, object] = {"phase": "play", "play": seq}
        for side in ("home", "away"):
            timeouts = _int(row, f"{side}_time_out_remaining")
            if timeouts is not None:
                extra[f"{side}_timeouts"] = timeouts
        points.append(ReplayPoint(t_prev, "in", half, left, home, away, ref, extra))
    last_period = max(points[-1].period, 2)
    points.append(_point(t_prev, "post", last_period, 0.0, *final, _final_probability(*final), phase="final"))
    home_name, away_name = meta["home"], meta["away"]
    home_abbr, away_abbr = _abbrs(home_name, away_name)
    return ReplayGame(
        game_id=f"ncaab-{meta['game_id']}",
        sport="ncaab",
        league="ncaab",
        home_team=home_name,
        away_team=away_name,
        home_abbr=home_abbr,
        away_abbr=away_abbr,
        start_offset_s=0.0,
        points=tuple(points),
        home_won=_won(*final),
        home_spread=favored_by,
        source=f"{FOLDERS['ncaab']} {meta.get('date', '')}",
    )
