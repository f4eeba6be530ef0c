"""Pre-game priors: American odds to probabilities, proportional de-vigging, and the prior of a situation.

The order of preference for a prior is the same in every model: an explicit pre-game probability (e.g. the
market price at kick-off) first, then the moneylines (de-vigged proportionally, i.e. each implied
probability divided by their sum), then the point spread mapped through a normal final margin with the
model's own fitted standard deviation, ``Phi(spread / sigma)`` (Stern 1991, "On the probability of
winning a football game", The American Statistician 45(3)), then the league's default (its home-win
rate). Proportional de-vigging is the simplest standard method; see e.g. Strumbelj (2014), "On
determining probability forecasts from betting odds", IJF 30(4).
"""

from __future__ import annotations

from shared.winprob.mathutil import logit, norm_cdf
from shared.winprob.types import GameSituation

PROB_EPS = 1e-4
"""Probabilities used as priors are clipped to ``[PROB_EPS, 1 - PROB_EPS]`` before taking log-odds."""


def american_to_prob(odds: float) -> float:
    """Implied probability (vig included) of American odds.

    Parameters
    ----------
    odds
        ``-150`` (stake 150 to win 100) or ``+130`` (stake 100 to win 130).

    Raises
    ------
    ValueError
        If ``-100 < odds < 100`` (not valid American odds).
    """
    if odds <= -100.0:
        return -odds / (-odds + 100.0)
    if odds >= 100.0:
        return 100.0 / (odds + 100.0)
    raise ValueError(f"invalid American odds {odds}")


def decimal_to_prob(odds: float) -> float:
    """Implied probability (vig included) of decimal odds such as ``2.10``.

    Raises
    ------
    ValueError
        If ``odds <= 1``.
    """
    if odds <= 1.0:
        raise ValueError(f"invalid decimal odds {odds}")
    return 1.0 / odds


def devig_two_way(home_odds: float, away_odds: float) -> float:
    """Home-win probability from two American moneylines, de-vigged proportionally."""
    h = american_to_prob(home_odds)
    a = american_to_prob(away_odds)
    return h / (h + a)


def devig_three_way(home_odds: float, draw_odds: float, away_odds: float) -> tuple[float, float, float]:
    """(home, draw, away) probabilities from three American moneylines, de-vigged proportionally."""
    h = american_to_prob(home_odds)
    d = american_to_prob(draw_odds)
    a = american_to_prob(away_odds)
    s = h + d + a
    return h / s, d / s, a / s


def market_home_prob(state: GameSituation) -> float | None:
    """Pre-game home-win probability from the price or the moneylines of `state`, else ``None``.

    For three-way markets (soccer) with a draw price this is the home share of the three-way book.
    """
    if state.prior_home_prob is not None:
        return state.prior_home_prob
    h, a = state.home_moneyline, state.away_moneyline
    if h is None or a is None:
        return None
    if state.draw_moneyline is not None:
        return devig_three_way(h, state.draw_moneyline, a)[0]
    return devig_two_way(h, a)


def spread_logit(spread: float, spread_sigma: float) -> float:
    """Home-win log-odds of a point spread under a normal final margin: ``logit(Phi(spread / sigma))``."""
    return logit(norm_cdf(spread / spread_sigma), PROB_EPS)


def prior_logit(state: GameSituation, spread_sigma: float, default_logit: float) -> float:
    """Pre-game home-win log-odds of `state` (see module docstring for the order of preference).

    Parameters
    ----------
    state
        The situation; only its prior fields are read.
    spread_sigma
        Standard deviation (points) of the final margin around the spread, fitted per sport; the spread
        maps to ``Phi(spread / spread_sigma)`` (Stern 1991).
    default_logit
        Log-odds used when the situation carries no prior (the league's home-win rate).
    """
    p = market_home_prob(state)
    if p is not None:
        return logit(p, PROB_EPS)
    if state.home_spread is not None:
        return spread_logit(state.home_spread, spread_sigma)
    return default_logit
