"""Training of the baseball model (`shared.winprob.baseball`): table smoothing, prior shift, calibration.

The win-expectancy table comes from ``mlb_win_expectancy_table.csv`` in the data folder. Per row (half,
inning bucket, outs, bases) and run difference ``-run_cap..run_cap`` (differences beyond are clipped):

1. cells are pooled over innings 10+ (the extra-innings bucket) and over run differences beyond the cap;
2. each cell's win rate is shrunk towards the same (half, inning, run difference) pooled over outs and
   bases: ``(wins + K * pooled) / (n + K)`` with ``K = 25`` situations;
3. unreachable cells (no situations) are filled by linear extrapolation on the log-odds scale from the two
   nearest filled cells of the row, and each row is made non-decreasing in run difference.

The prior-shift knots map a run advantage per game to the first-pitch home-win probability. The
calibration layer is chosen and fitted on the training part of the line scores (there is no pre-game line
there); the table is not fitted on them, so their raw log-odds are already out of sample, and the nested
cross-validation of `shared.winprob.fitting.select_calibration` runs over four blocks of dates.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from shared.winprob.baseball import EXTRA_BUCKET, FAMILY, BaseballModel, RowKey, row_key_text, spec_from_json
from shared.winprob.datasets import PREGAME, LabeledState
from shared.winprob.fitting import OutOfFold, select_calibration
from shared.winprob.types import GameSituation

TABLE_FILE = "mlb_win_expectancy_table.csv"
CALIBRATION_BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.01)
"""Calibration band edges on the share of regulation outs still to come."""
RUN_CAP = 10
SHRINK = 25.0
RETROSHEET_NOTICE = (
    "The information used here was obtained free of charge from and is copyrighted by Retrosheet. "
    "Interested parties may contact Retrosheet at 20 Sunset Rd., Newark, DE 19711."
)

Counts = dict[RowKey, list[list[float]]]


def _empty_cells() -> list[list[float]]:
    return [[0.0, 0.0] for _ in range(2 * RUN_CAP + 1)]


def read_table(path: Path) -> Counts:
    """(situations, batting-team wins) per row key and run difference index ``rd + RUN_CAP``."""
    counts: Counts = defaultdict(_empty_cells)
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            inning = min(int(r["inning"]), EXTRA_BUCKET)
            key: RowKey = (r["half"] == "top", inning, int(r["outs"]), int(r["base_code"]) - 1)
            rd = min(max(int(r["run_diff_batting"]), -RUN_CAP), RUN_CAP)
            cell = counts[key][rd + RUN_CAP]
            cell[0] += float(r["n_situations"])
            cell[1] += float(r["n_batting_team_won"])
    return counts


def _pooled(counts: Counts) -> dict[tuple[bool, int], list[list[float]]]:
    pooled: dict[tuple[bool, int], list[list[float]]] = defaultdict(_empty_cells)
    for (top, inning, _, _), cells in counts.items():
        for i, (n, w) in enumerate(cells):
            pooled[(top, inning)][i][0] += n
            pooled[(top, inning)][i][1] += w
    return pooled


def _fill_row(z: list[float | None]) -> list[float]:
    vals = {i: v for i, v in enumerate(z) if v is not None}
    known = sorted(vals)
    out: list[float] = []
    for i in range(len(z)):
        if i in vals:
            out.append(vals[i])
            continue
        left = [k for k in known if k < i]
        right = [k for k in known if k > i]
        if left and right:
            a, b = left[-1], right[0]
        elif len(left) >= 2:
            a, b = left[-2], left[-1]
        elif len(right) >= 2:
            a, b = right[0], right[1]
        else:
            out.append(vals[known[0]] if known else 0.0)
            continue
        out.append(vals[a] + (vals[b] - vals[a]) * (i - a) / (b - a))
    clipped = [min(max(v, -9.0), 9.0) for v in out]
    return [float(v) for v in np.maximum.accumulate(np.array(clipped))]


def smooth_rows(counts: Counts) -> dict[RowKey, list[float]]:
    """Smoothed batting-team win probabilities per row (see module docstring)."""
    pooled = _pooled(counts)
    rows: dict[RowKey, list[float]] = {}
    for top in (True, False):
        for inning in range(1, EXTRA_BUCKET + 1):
            for outs in range(3):
                for bases in range(8):
                    key: RowKey = (top, inning, outs, bases)
                    cells = counts.get(key, _empty_cells())
                    pool = pooled.get((top, inning), _empty_cells())
                    z: list[float | None] = []
                    for (n, w), (pn, pw) in zip(cells, pool, strict=True):
                        if n <= 0 or pn <= 0:
                            z.append(None)
                            continue
                        p = (w + SHRINK * pw / pn) / (n + SHRINK)
                        p = min(max(p, 1e-4), 1 - 1e-4)
                        z.append(math.log(p / (1 - p)))
                    rows[key] = [round(1.0 / (1.0 + math.exp(-v)), 5) for v in _fill_row(z)]
    return rows


def _shift_knots(model: BaseballModel) -> tuple[list[float], list[float]]:
    start = GameSituation("mlb", 0, 0, 1, top_of_inning=True, outs=0, bases=0)
    ps: list[float] = []
    ds: list[float] = []
    for i in range(-40, 41):
        d = i / 10.0
        z = model.raw_logit(start, d)
        p = 1.0 / (1.0 + math.exp(-(z or 0.0)))
        if not ps or p > ps[-1] + 1e-7:
            ps.append(round(p, 6))
            ds.append(d)
    return ps, ds


def train_mlb(states: Sequence[LabeledState], data_dir: Path) -> dict[str, Any]:
    """Build the baseball artifact body from the table in `data_dir` and the training line scores."""
    rows = smooth_rows(read_table(data_dir / TABLE_FILE))
    body: dict[str, Any] = {
        "format_version": 1,
        "sport": "mlb",
        "family": FAMILY,
        "model_version": "fit",
        "validated": True,
        "table": {
            "run_cap": RUN_CAP,
            "notice": RETROSHEET_NOTICE,
            "rows": {row_key_text(k): v for k, v in sorted(rows.items())},
        },
        "prior": {"shift_p": [0.5], "shift_runs": [0.0], "default_home": 0.5},
        "bounds": {"p_min": 1e-3},
        "calibration": {},
    }
    model = BaseballModel(spec_from_json(body))
    ps, ds = _shift_knots(model)
    start = GameSituation("mlb", 0, 0, 1, top_of_inning=True, outs=0, bases=0)
    z0 = model.raw_logit(start, 0.0) or 0.0
    body["prior"] = {"shift_p": ps, "shift_runs": ds, "default_home": round(1 / (1 + math.exp(-z0)), 6)}
    dates = sorted({s.date for s in states})
    block = {d: min(4 * i // max(len(dates), 1), 3) for i, d in enumerate(dates)}
    oof_rows: list[tuple[float, float, float, int, str]] = []
    for s in states:
        if s.checkpoint == PREGAME:
            continue
        z = model.raw_logit(s.situation, 0.0)
        if z is not None:
            oof_rows.append((z, s.outcome, model.outs_left_share(s.situation), block[s.date], s.game_id))
    layer, report = select_calibration(OutOfFold.from_rows(oof_rows), CALIBRATION_BANDS, symmetric=True)
    body["calibration"] = layer.to_json() | {"selection": report}
    return body
