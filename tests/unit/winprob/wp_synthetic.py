"""Writers of small synthetic data folders in the exact file layouts of ../shared/data/winprob.

Games are drawn from simple generative models (normal quarter margins, Poisson goals and runs) with a fair
pre-game price, so the trained models have something real to find; nothing is copied from the real data.
"""

from __future__ import annotations

import csv
import gzip
import math
import random
from collections.abc import Iterable
from pathlib import Path

from shared.winprob.datasets.goals import EPL_FILE, NHL_FILE
from shared.winprob.datasets.pbp import MLB_LINES, NCAAB_GAMES, NCAAB_STATES
from shared.winprob.datasets.quarters import NBA_FILE, NFL_FILE
from shared.winprob.training_mlb import TABLE_FILE

Row = dict[str, object]


def write_csv(path: Path, rows: list[Row], gz: bool = False) -> None:
    """Write dict rows with the first row's keys as the header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", newline="") if gz else open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def moneyline(p: float) -> int:
    """American moneyline of a fair probability."""
    return int(-100 * p / (1 - p)) if p >= 0.5 else int(100 * (1 - p) / p)


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw by inversion."""
    k, p = 0, math.exp(-lam)
    c, u = p, rng.random()
    while u > c:
        k += 1
        p *= lam / k
        c += p
    return k


def _game(rng: random.Random, sd: float, base: float) -> tuple[float, float, list[int], list[int]]:
    mu = rng.gauss(2.5, 6.0)
    p = 0.5 * (1 + math.erf(mu / (12.0 * math.sqrt(2))))
    home, away = [], []
    for _ in range(4):
        d = rng.gauss(mu / 4, sd / 2)
        home.append(max(0, round(base + d / 2)))
        away.append(max(0, round(base - d / 2)))
    return mu, p, home, away


def _nba_row(rng: random.Random, season: str, g: int) -> Row:
    mu, p, h, a = _game(rng, 12.0, 26)
    if sum(h) == sum(a):
        h[3] += 1
    row: Row = {"season": season, "date": f"{season[:4]}-11-{g % 28 + 1:02d}", "away": "A", "home": "H"}
    for q in range(4):
        row[f"away_{q + 1}q"], row[f"home_{q + 1}q"] = float(a[q]), float(h[q])
    spread = -round(mu * 2) / 2
    row |= {"away_final": sum(a), "home_final": sum(h), "home_spread_close": spread, "total_close": 210.0}
    row |= {"home_spread_open": spread, "total_open": 210.0, "away_ml": moneyline(1 - p), "home_ml": moneyline(p)}
    return row | {
        "ot": False,
        "home_prob_devig": round(p, 4),
        "home_win": int(sum(h) > sum(a)),
        "spread_suspect": False,
    }


def write_nba(folder: Path) -> Path:
    rng = random.Random(1)
    rows = [_nba_row(rng, s, g) for s in ("2014-15", "2015-16", "2016-17") for g in range(90)]
    write_csv(folder / NBA_FILE, rows)
    return folder


def _nfl_row(rng: random.Random, season: str, g: int) -> Row:
    mu, p, h, a = _game(rng, 13.0, 6)
    y = 1.0 if sum(h) > sum(a) else 0.0 if sum(h) < sum(a) else 0.5
    row: Row = {"season": season, "date": f"{season}-10-{g % 28 + 1:02d}", "home_team": "H", "away_team": "A"}
    for q in range(4):
        row[f"home_q{q + 1}"], row[f"away_q{q + 1}"] = h[q], a[q]
    row |= {
        "home_final": sum(h),
        "away_final": sum(a),
        "home_close_ml": moneyline(p),
        "away_close_ml": moneyline(1 - p),
    }
    row |= {"home_open_spread": -mu, "away_open_spread": mu, "home_close_spread": -mu, "away_close_spread": mu}
    row |= {"home_2H_spread": 0, "away_2H_spread": 0, "2H_total": 0, "open_over_under": 44, "close_over_under": 44}
    return row | {"ot": False, "home_prob_devig": round(p, 4), "home_win": y, "spread_suspect": False}


def write_nfl(folder: Path) -> Path:
    rng = random.Random(2)
    rows = [_nfl_row(rng, s, g) for s in ("2011", "2012", "2013", "2014") for g in range(60)]
    write_csv(folder / NFL_FILE, rows)
    return folder


def _nhl_row(rng: random.Random, season: str, g: int) -> Row:
    sup = rng.gauss(0.1, 0.25)
    goals = [(poisson(rng, 0.9 * math.exp(sup)), poisson(rng, 0.9 * math.exp(-sup))) for _ in range(3)]
    h, a = sum(x[0] for x in goals), sum(x[1] for x in goals)
    tie = h == a
    hw = int(h > a or (tie and rng.random() < 0.5))
    p = 1 / (1 + math.exp(-2.2 * sup))
    row: Row = {"season": season, "source_file": "f.csv", "date": f"{season[:4]}-11-{g % 28 + 1:02d}"}
    row |= {"away": "A", "home": "H"}
    for i, (gh, ga) in enumerate(goals, start=1):
        row[f"away_p{i}"], row[f"home_p{i}"] = ga, gh
    row |= {"away_final": a + int(tie and not hw), "home_final": float(h + int(tie and hw))}
    row |= {"away_ml_open": moneyline(1 - p), "home_ml_open": moneyline(p)}
    row |= {"away_ml_close": moneyline(1 - p), "home_ml_close": moneyline(p)}
    return row | {"ot_or_so": tie, "home_win": hw, "home_prob_devig": round(p, 4)}


def write_nhl(folder: Path) -> Path:
    rng = random.Random(3)
    rows = [_nhl_row(rng, s, g) for s in ("2012-13", "2013-14", "2014-15") for g in range(120)]
    write_csv(folder / NHL_FILE, rows)
    return folder


def _epl_row(rng: random.Random, season: str, g: int) -> Row:
    sup = rng.gauss(0.2, 0.35)
    lh, la = 1.35 * math.exp(sup / 2), 1.35 * math.exp(-sup / 2)
    h1, a1 = poisson(rng, lh * 0.45), poisson(rng, la * 0.45)
    fh, fa = h1 + poisson(rng, lh * 0.55), a1 + poisson(rng, la * 0.55)
    ph = min(max(0.45 + 0.35 * sup, 0.08), 0.85)
    pd = 0.27 - 0.1 * abs(sup)
    row: Row = {"season": season, "Date": f"{season[:4]}-09-{g % 28 + 1:02d}", "Time": "", "HomeTeam": "H"}
    row |= {"AwayTeam": "A", "FTHG": fh, "FTAG": fa, "FTR": "H" if fh > fa else "A" if fh < fa else "D"}
    row |= {"HTHG": h1, "HTAG": a1, "HTR": "D", "HR": 0, "AR": 0, "p_pinn_close_home": round(ph, 4)}
    return row | {"p_pinn_close_draw": round(pd, 4), "p_pinn_close_away": round(1 - ph - pd, 4)}


def write_epl(folder: Path) -> Path:
    rng = random.Random(4)
    rows = [_epl_row(rng, s, g) for s in ("2015-16", "2016-17", "2017-18") for g in range(110)]
    write_csv(folder / EPL_FILE, rows)
    return folder


def _ncaab_game(rng: random.Random, g: int) -> tuple[Row, list[Row]]:
    gid = 401000000 + g
    spread = round(rng.gauss(3.0, 8.0) * 2) / 2
    hs = aw = 0
    states: list[Row] = []
    for secs in range(2400, -1, -40):
        wp = round(1 / (1 + math.exp(-(hs - aw + spread * secs / 2400) / 4)), 4)
        states.append(
            {
                "game_id": gid,
                "half": 1 if secs > 1200 else 2,
                "secs_remaining": secs,
                "home_score": hs,
                "away_score": aw,
                "home_time_out_remaining": 4,
                "away_time_out_remaining": 3,
                "win_prob": wp,
            }
        )
        d = rng.gauss(spread / 60, 2.5)
        hs += max(0, round(1.5 + d / 2))
        aw += max(0, round(1.5 - d / 2))
    hs += int(hs == aw)
    game: Row = {"game_id": gid, "date": f"2018-{11 + g // 80:02d}-{g % 28 + 1:02d}", "home": "H", "away": "A"}
    game |= {"home_favored_by": spread if g % 9 else "NA", "final_home": hs, "final_away": aw, "max_half": 2}
    return game | {"n_events": len(states), "home_win": float(hs > aw)}, states


def write_ncaab(folder: Path) -> Path:
    rng = random.Random(5)
    games = [_ncaab_game(rng, g) for g in range(160)]
    write_csv(folder / NCAAB_GAMES, [g for g, _ in games])
    write_csv(folder / NCAAB_STATES, [s for _, states in games for s in states], gz=True)
    return folder


def _table_rows() -> Iterable[Row]:
    for half, team in (("top", "visitor"), ("bottom", "home")):
        for inning in range(1, 13):
            for outs in range(3):
                for code in range(1, 9):
                    for rd in range(-6, 7):
                        if half == "bottom" and inning >= 9 and rd > 0:
                            continue
                        edge = rd + 0.1 * (code - 1) - 0.1 * outs + (0.15 if team == "home" else -0.15)
                        p = 1 / (1 + math.exp(-edge / math.sqrt(max(9 - inning, 0.5))))
                        yield {
                            "batting_team": team,
                            "half": half,
                            "inning": inning,
                            "outs": outs,
                            "runner_1b": code & 1,
                            "runner_2b": (code >> 1) & 1,
                            "runner_3b": (code >> 2) & 1,
                            "base_code": code,
                            "run_diff_batting": rd,
                            "n_situations": 400,
                            "n_batting_team_won": round(400 * p),
                            "win_pct_batting": round(p, 4),
                        }


def _mlb_game(rng: random.Random, g: int) -> Row:
    v: list[int] = [poisson(rng, 0.5) for _ in range(9)]
    h: list[int | str] = [poisson(rng, 0.52) for _ in range(9)]
    home8 = sum(int(x) for x in h[:8])
    if home8 > sum(v):
        h[8] = "x"
    home = sum(x for x in h if isinstance(x, int))
    if home == sum(v):
        v.append(1)
        h.append(0)
    row: Row = {"date": f"2019{4 + g // 40:02d}{g % 28 + 1:02d}", "game_num": 0, "visitor": "VIS", "home": "HOM"}
    row |= {"visitor_runs": sum(v), "home_runs": home, "outs_in_game": 54, "n_innings": len(v)}
    return row | {
        "visitor_line": " ".join(map(str, v)),
        "home_line": " ".join(map(str, h)),
        "home_win": int(home > sum(v)),
    }


def write_mlb(folder: Path) -> Path:
    rng = random.Random(6)
    write_csv(folder / TABLE_FILE, list(_table_rows()))
    write_csv(folder / MLB_LINES, [_mlb_game(rng, g) for g in range(120)])
    return folder
