"""Models for sports without data here, derived from the closest validated model (marked unvalidated).

The margin model works on the fraction of regulation left, so a league with a different clock only needs
its clock (see `shared.winprob.leagues`); what differs is how much a point is worth, i.e. the spread of
the final margin around the expectation. Each derived model multiplies the margin by ``margin_scale`` =
(base league margin sd) / (derived league margin sd) and divides the spread-mapping sd by it:

- college football from the NFL: NFL sd 13.86 points (Stern 1991, "On the probability of winning a football
  game", The American Statistician 45(3)); college sd about 15.9, from a mean absolute error of the closing
  spread of 12.7 points over FBS games (gamblersanalytics.com, "College Football Spreads", 2019-08-25) and
  ``sd = MAE * sqrt(pi / 2)`` for a normal error. Ratio 13.86 / 15.9.
- WNBA from the NBA: margin variance taken proportional to points scored (a sum of possessions), with about
  111 points per team per game in the NBA (2018-19) and about 80 in the WNBA (2019), per the
  basketball-reference.com league averages; ratio sqrt(111 / 80). Possession is worth half of about 1.0
  WNBA points per possession.

Neither is validated here (no in-game data for these leagues); the artifacts say so.
"""

from __future__ import annotations

import copy
import math
from datetime import UTC, datetime
from typing import Any

DERIVATIONS: dict[str, dict[str, Any]] = {
    "cfb": {
        "base": "nfl",
        "margin_scale": 13.86 / 15.9,
        "sources": [
            "Stern (1991), The American Statistician 45(3): NFL margin sd 13.86 around the spread",
            "gamblersanalytics.com/2019/08/25/college-football-spreads: FBS spread MAE 12.7 -> sd ~15.9",
        ],
    },
    "wnba": {
        "base": "nba",
        "margin_scale": math.sqrt(111.0 / 80.0),
        "possession_points": 0.5,
        "sources": [
            "basketball-reference.com league averages: ~111 pts/team/game NBA 2018-19, ~80 WNBA 2019",
            "margin variance taken proportional to points scored (assumption)",
        ],
    },
}


def derive_artifact(base: dict[str, Any], sport: str) -> dict[str, Any]:
    """Artifact for `sport` derived from the base league's trained artifact (see module docstring).

    Raises
    ------
    ValueError
        If `sport` has no derivation or `base` is not the artifact of its base league.
    """
    if sport not in DERIVATIONS:
        raise ValueError(f"no derivation for {sport!r}; derivable: {sorted(DERIVATIONS)}")
    d = DERIVATIONS[sport]
    if base.get("sport") != d["base"]:
        raise ValueError(f"{sport} derives from {d['base']}, not {base.get('sport')!r}")
    out = copy.deepcopy(base)
    scale = float(d["margin_scale"])
    out["sport"] = sport
    out["margin_scale"] = round(scale, 6)
    out["prior"]["spread_sigma"] = round(float(base["prior"]["spread_sigma"]) / scale, 6)
    if "possession_points" in d:
        out["possession"] = dict(out.get("possession", {}), points=d["possession_points"])
    out["validated"] = False
    out["validation_note"] = (
        f"No {sport} in-game data here: coefficients, calibration and prior mapping are the validated "
        f"{d['base']} model's, with the margin and spread rescaled by {scale:.4f} from published figures."
    )
    out["model_version"] = f"{sport}-derived-from-{base['model_version']}"
    out["training_run"] = {
        "derived_from": {"sport": d["base"], "model_version": base["model_version"]},
        "adjustments": {"margin_scale": round(scale, 6), "spread_sigma_divided_by": round(scale, 6)},
        "sources": d["sources"],
        "derived_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "base_training_run": base.get("training_run"),
    }
    out["features"] = {
        "validated": [],
        "unvalidated": {
            "all": f"derived from the {d['base']} model; no {sport} data here",
            **base.get("features", {}).get("unvalidated", {}),
        },
    }
    out["validation"] = None
    return out
