"""Baseball model: the Retrosheet win-expectancy table, shifted by the pre-game prior.

The table (Phil Birnbaum's format, as published in gregstoll/baseballstats ``probs.txt``; data
"obtained free of charge from and is copyrighted by Retrosheet, 20 Sunset Rd., Newark, DE 19711") gives
the share of games the batting team went on to win from each (half, inning, outs, bases, run difference).
Training (`shared.winprob.fitting_mlb`) pools extra innings into one bucket, shrinks sparse cells towards
the same situation pooled over outs and bases, fills unreachable run differences by log-odds
extrapolation, and makes each row monotone in run difference. The cells are stored as probabilities and
turned into log-odds at load time.

Prior shift: a pre-game home-win probability ``p`` (market price or de-vigged moneylines; the data here has
none, so it is unvalidated) is turned into a run advantage ``delta`` per game such that the table at the
first pitch gives ``p``; at a later state the home run difference is shifted by ``delta * f``, ``f`` the
share of regulation outs still to come, and the table is read between integer run differences by
log-odds interpolation. Extra innings are explicit (their own table bucket); a home lead in the bottom of
the ninth or later, or after the top of the ninth or later, ends the game (exact answer).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.winprob.calibration import CalibrationLayer
from shared.winprob.interface import final_result, two_way
from shared.winprob.mathutil import interp, sigmoid
from shared.winprob.priors import market_home_prob
from shared.winprob.types import GameSituation, WinProbability

FAMILY = "mlb_table"
EXTRA_BUCKET = 10
REGULATION_OUTS = 54.0

RowKey = tuple[bool, int, int, int]
"""(top of inning, inning bucket 1..10, outs 0..2, bases bitmask 0..7)."""


def row_key_text(key: RowKey) -> str:
    """JSON key of a table row, e.g. ``"T|9|2|5"`` (top of 9th, two out, runners on first and third)."""
    return f"{'T' if key[0] else 'B'}|{key[1]}|{key[2]}|{key[3]}"


@dataclass(frozen=True, slots=True)
class BaseballSpec:
    """Fitted parameters of a `BaseballModel`.

    Parameters
    ----------
    sport, version
        ``"mlb"`` and the model version.
    run_cap
        Run differences are clipped to ``[-run_cap, run_cap]``.
    rows
        Table rows: batting team's win log-odds for run difference ``-run_cap .. run_cap``.
    shift_p, shift_runs
        Knots mapping a pre-game home-win probability to a run advantage per game.
    default_home
        Home-win probability at the first pitch without a prior (the table's).
    calibration, p_min, validated
        Calibration layer on log-odds (time axis: `BaseballModel.outs_left_share`), probability bound in
        play, validation flag.
    """

    sport: str
    version: str
    run_cap: int
    rows: Mapping[RowKey, tuple[float, ...]]
    shift_p: tuple[float, ...]
    shift_runs: tuple[float, ...]
    default_home: float
    calibration: CalibrationLayer = CalibrationLayer()
    p_min: float = 1e-3
    validated: bool = True


class BaseballModel:
    """Retrosheet table model with prior shift (see module docstring)."""

    def __init__(self, spec: BaseballSpec) -> None:
        self.spec = spec
        self.sport = spec.sport
        self.version = spec.version
        self.validated = spec.validated
        self._name = f"{spec.sport}-{FAMILY}"

    def prior_probability(self, state: GameSituation) -> float:
        """Pre-game home-win probability: the market's when given, else the table's first-pitch value."""
        p = market_home_prob(state)
        return p if p is not None else self.spec.default_home

    def probability(self, state: GameSituation) -> WinProbability:
        """Probability of a home win given `state`; exact once final or decided by rule."""
        if state.is_final:
            return final_result(state, self._name, self.version)
        z = self.raw_logit(state, None)
        if z is None:
            return final_result(state, self._name, self.version)
        p = sigmoid(self.spec.calibration(z, self.outs_left_share(state)))
        return two_way(p, self.spec.p_min, self._name, self.version)

    @staticmethod
    def outs_left_share(state: GameSituation) -> float:
        """Share of the 54 regulation outs still to come (0 in extra innings): the calibration time axis."""
        top = True if state.top_of_inning is None else state.top_of_inning
        made = (max(state.period, 1) - 1) * 6 + (0 if top else 3) + min(state.outs or 0, 3)
        return max(REGULATION_OUTS - made, 0.0) / REGULATION_OUTS

    def raw_logit(self, state: GameSituation, delta: float | None) -> float | None:
        """Home-win log-odds before calibration; ``None`` if the rules have ended the game.

        Parameters
        ----------
        state
            The situation; ``top_of_inning`` defaults to ``True`` and ``outs`` to 0 when unknown.
        delta
            Run advantage per game to apply; ``None`` derives it from the prior fields of `state`.
        """
        inning = state.period if state.period > 0 else 1
        top = True if state.top_of_inning is None else state.top_of_inning
        outs = state.outs or 0
        bases = state.bases_mask
        m = state.home_score - state.away_score
        if outs >= 3:
            if not top and inning >= 9 and m != 0:
                return None
            inning, top, outs, bases = (inning, False, 0, 0) if top else (inning + 1, True, 0, 0)
        if inning >= 9 and m > 0 and not top:
            return None
        if delta is None:
            delta = self._delta(state)
        made = (inning - 1) * 6 + (0 if top else 3) + outs
        left = max(REGULATION_OUTS - made, (6 if top else 3) - outs)
        rd_home = m + delta * left / REGULATION_OUTS
        rd_bat = rd_home if not top else -rd_home
        z_bat = self._lookup((top, inning if inning < EXTRA_BUCKET else EXTRA_BUCKET, outs, bases), rd_bat)
        return z_bat if not top else -z_bat

    def _delta(self, state: GameSituation) -> float:
        p = market_home_prob(state)
        if p is None:
            return 0.0
        return interp(self.spec.shift_p, self.spec.shift_runs, p)

    def _lookup(self, key: RowKey, rd: float) -> float:
        row = self.spec.rows[key]
        cap = self.spec.run_cap
        x = rd + cap
        if x <= 0.0:
            return row[0]
        if x >= 2 * cap:
            return row[-1]
        i = math.floor(x)
        w = x - i
        return row[i] + w * (row[i + 1] - row[i]) if w else row[i]


def spec_from_json(raw: Mapping[str, Any]) -> BaseballSpec:
    """Build a `BaseballSpec` from an artifact mapping (cells as probabilities, kept as log-odds)."""
    rows: dict[RowKey, tuple[float, ...]] = {}
    for text, probs in raw["table"]["rows"].items():
        half, inning, outs, bases = str(text).split("|")
        key: RowKey = (half == "T", int(inning), int(outs), int(bases))
        rows[key] = tuple(math.log(p / (1.0 - p)) for p in (min(max(float(q), 1e-4), 1 - 1e-4) for q in probs))
    shift = raw["prior"]
    return BaseballSpec(
        sport=str(raw["sport"]),
        version=str(raw["model_version"]),
        run_cap=int(raw["table"]["run_cap"]),
        rows=rows,
        shift_p=tuple(float(x) for x in shift["shift_p"]),
        shift_runs=tuple(float(x) for x in shift["shift_runs"]),
        default_home=float(shift["default_home"]),
        calibration=CalibrationLayer.from_json(raw.get("calibration")),
        p_min=float(raw["bounds"]["p_min"]),
        validated=bool(raw["validated"]),
    )
