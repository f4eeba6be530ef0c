"""The model's calibration against the games' outcomes, and the market's own price as a benchmark.

Every stored win probability of a finished game is a forecast of a home win (a draw counts as not a home
win). The market's forecast at the same moment is each venue's last mid price (bid and ask averaged, else
the side quoted) of its first matched instrument, turned into the home team's price (``1 - p`` for an
instrument that pays on the away team or is negated). Brier scores are compared on the same moments.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.analytics.report.queries import DayRows, Row
from services.analytics.report.stats import Bin, brier, reliability
from services.analytics.report.window import Window


@dataclass(frozen=True, slots=True)
class Calibration:
    """Calibration on one set of games."""

    label: str
    games: int
    forecasts: int
    model_brier: float | None
    market_brier: dict[str, float | None]  # venue -> Brier on the moments it was quoted
    market_pairs: dict[str, int]
    model_on_market_moments: dict[str, float | None]  # the model's Brier on those same moments
    model_bins: list[Bin]
    market_bins: dict[str, list[Bin]]


def _instruments(raw: Any) -> list[dict[str, Any]]:
    value = json.loads(raw) if isinstance(raw, str) else raw
    return list(value or [])


def _home_series(rows: DayRows) -> dict[tuple[str, str], tuple[list[datetime], list[float]]]:
    """(game, venue) -> time-ordered home-win prices."""
    wanted: dict[tuple[str, str, str], tuple[str, bool]] = {}
    for m in rows.matches:
        inst = _instruments(m["instruments"])
        if inst:
            first = inst[0]
            flip = (first.get("pays_on") == "away") != bool(first.get("negated"))
            wanted[(m["venue"], m["market_id"], str(first["outcome_id"]))] = (m["game_id"], flip)
    series: dict[tuple[str, str], tuple[list[datetime], list[float]]] = defaultdict(lambda: ([], []))
    for p in rows.prices:
        hit = wanted.get((p["venue"], p["market_id"], p["outcome_id"]))
        if hit is None:
            continue
        bid, ask = p["best_bid"], p["best_ask"]
        quotes = [float(x) for x in (bid, ask) if x is not None]
        if not quotes:
            continue
        mid = sum(quotes) / len(quotes)
        ts, values = series[(hit[0], p["venue"])]
        ts.append(p["ts"])
        values.append(1 - mid if hit[1] else mid)
    return dict(series)


def _outcomes(rows: DayRows) -> dict[str, int]:
    return {f["game_id"]: int(f["home_score"] > f["away_score"]) for f in rows.finals}


def calibrations(rows: DayRows, window: Window) -> list[Calibration]:
    """Calibration on the games that ended in the day, and on every game of the season to date."""
    outcomes = _outcomes(rows)
    ended: dict[str, datetime] = {g["game_id"]: g["ended_at"] for g in rows.games if g["completed"] and g["ended_at"]}
    day_games = {g for g, at in ended.items() if window.start <= at < window.end and g in outcomes}
    season_games = {g for g, at in ended.items() if window.season_start <= at < window.end and g in outcomes}
    series = _home_series(rows)
    probs: dict[str, list[Row]] = defaultdict(list)
    for p in rows.probabilities:
        probs[p["game_id"]].append(p)
    return [
        _calibrate(f"Games that ended {window.day.isoformat()}", day_games, probs, outcomes, series),
        _calibrate("Season to date (365 days)", season_games, probs, outcomes, series),
    ]


def _calibrate(
    label: str,
    games: set[str],
    probs: dict[str, list[Row]],
    outcomes: dict[str, int],
    series: dict[tuple[str, str], tuple[list[datetime], list[float]]],
) -> Calibration:
    model_f: list[float] = []
    model_o: list[int] = []
    venue_pairs: dict[str, list[tuple[float, float, int]]] = defaultdict(list)  # (model, market, outcome)
    venues = sorted({v for _, v in series})
    for game in sorted(games):
        outcome = outcomes[game]
        for p in probs.get(game, []):
            model_f.append(float(p["home"]))
            model_o.append(outcome)
            for venue in venues:
                ts, values = series.get((game, venue), ([], []))
                i = bisect.bisect_right(ts, p["ts"]) - 1
                if i >= 0:
                    venue_pairs[venue].append((float(p["home"]), values[i], outcome))
    return Calibration(
        label=label,
        games=len(games),
        forecasts=len(model_f),
        model_brier=brier(model_f, model_o),
        market_brier={v: brier([m for _, m, _ in ps], [o for *_, o in ps]) for v, ps in venue_pairs.items()},
        market_pairs={v: len(ps) for v, ps in venue_pairs.items()},
        model_on_market_moments={v: brier([f for f, _, _ in ps], [o for *_, o in ps]) for v, ps in venue_pairs.items()},
        model_bins=reliability(model_f, model_o),
        market_bins={v: reliability([m for _, m, _ in ps], [o for *_, o in ps]) for v, ps in venue_pairs.items()},
    )
