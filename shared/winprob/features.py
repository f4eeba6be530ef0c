"""Which inputs each sport's model uses, which the data here validates, and what was tried and dropped.

Copied into every artifact (``features``). ``validated`` inputs are measured on held-out games of the
sport; ``unvalidated`` ones come from a published source or an assumption (named); ``tested_not_used``
records candidate inputs fitted on the training split and scored on the held-out split (or by
cross-validation over training seasons) that did not improve the held-out Brier score, with the figures,
so that nobody has to redo the experiment. Held-out Brier scores below are on in-game states of the
validation split of `shared.winprob.training.split_dataset`, with the model fitted on the training split.
"""

from __future__ import annotations

from typing import Any

FEATURES: dict[str, dict[str, Any]] = {
    "nba": {
        "validated": ["score margin", "time left (end of Q1-Q3 states)", "overtime start", "closing moneyline prior"],
        "unvalidated": {
            "possession": "0.55 points for the team with the ball (half of NBA ~1.1 points per possession)",
            "timeouts": "not used (no timeouts in this data)",
            "within-quarter time": "coefficients interpolated between quarter knots (shape checked on NCAAB pbp)",
        },
        "tested_not_used": {
            "per-quarter logistic variants": "held-out Brier (Q1-Q3 states): margin + prior 0.15690; + home "
            "intercept 0.15702; with it, + margin x points so far 0.15700, + margin x prior 0.15711",
        },
    },
    "ncaab": {
        "validated": ["score margin", "time left (every play)", "overtime", "pre-game spread"],
        "unvalidated": {"possession": "0.5 points for the team with the ball (half of ~1.0 points per possession)"},
        "tested_not_used": {
            "possession derived from the plays": "opponent of the last scorer within 15 s of the score: "
            "held-out Brier 0.14016 vs 0.14018 (difference -0.00002, 95% CI [-0.00005, 0.00003])",
            "pace": "margin x log(points so far / league rate, 600 s pseudo-count): 0.14022",
            "timeouts": "timeout difference: 0.14021",
            "spread as a linear drift beside its probit log-odds": "0.14048",
            "margin x prior": "0.14025",
            "ceiling": "the same model fitted on the held-out games themselves scores 0.13990 there",
        },
    },
    "nfl": {
        "validated": ["score margin", "time left (end of Q1-Q3 states)", "overtime start", "closing moneyline prior"],
        "unvalidated": {
            "possession, down, distance, yards_to_goal": "nflfastR 2.1.0 expected-points table (football.py)",
            "timeouts": "not used",
        },
        "tested_not_used": {
            "per-quarter logistic variants": "leave-one-season-out CV Brier on 2011-2016 / held-out Brier "
            "(Q1-Q3 states): margin + prior 0.15674 / 0.14242; + home intercept 0.15671 / 0.14231; "
            "+ spread beside the moneyline 0.15697 / 0.14245; + two-score-lead indicator 0.15693 / 0.14281; "
            "margin / sqrt(points so far) 0.15664 / 0.14191 (CV gain 0.0001, within noise; not adopted)",
        },
    },
    "nhl": {
        "validated": ["goal margin", "time left (end of P1, P2)", "overtime start", "closing moneyline prior"],
        "unvalidated": {
            "overtime goal rate": "assumed: 60% of 3-on-3 overtimes decided before the shoot-out",
            "pulled goalie": "not modelled",
        },
    },
    "soccer": {
        "validated": ["goal margin", "half-time state", "three-way closing odds prior", "draws"],
        "unvalidated": {
            "red cards": "opponent rate x1.88 per red card (Ridder, Cramer & Hopstaken 1994, JASA)",
            "stoppage time": "at least 2 minutes of second-half scoring while play goes on",
            "leagues other than the EPL": "not measured",
        },
        "tested_not_used": {
            "half-time logistic variants": "leave-one-season-out CV Brier over 17 training seasons / held-out "
            "Brier (home win): Poisson model 0.15833 / 0.15345; margin + home odds 0.15839 / 0.15376; "
            "+ away odds 0.15837 / 0.15386; score-state cells (lead 1, lead 2+, trail 1, trail 2+) "
            "0.15839 / 0.15378; + margin x prior 0.15841 / 0.15374",
        },
    },
    "mlb": {
        "validated": ["run difference", "inning and half (half-inning starts)", "extra innings"],
        "unvalidated": {
            "pre-game prior shift": "no pre-game line in this data",
            "outs and bases": "from the Retrosheet table; line scores only test 0 outs, bases empty",
        },
    },
}
"""Inputs per sport (see module docstring)."""
