"""Win-probability models per sport behind one interface, plus market blending and edge after costs.

Usage in a game shard::

    from shared.winprob import GameSituation, load_model

    model = load_model("nba")                      # once, at start-up (reads the JSON artifact)
    wp = model.probability(GameSituation("nba", 88, 80, 4, seconds_left_in_period=300.0,
                                         home_moneyline=-150, away_moneyline=130))
    wp.home, wp.away, wp.draw                      # pure, a few microseconds, no I/O

Families: `margin` (basketball and American football), `poisson` (hockey and soccer), `baseball` (MLB
win-expectancy table). See `blend` for combining with the live market and computing the edge in Decimal.
"""

from shared.winprob.blend import blend_with_market, edge_after_costs
from shared.winprob.interface import WinProbModel
from shared.winprob.registry import load_model
from shared.winprob.types import SPORTS, GameSituation, WinProbability

__all__ = [
    "SPORTS",
    "GameSituation",
    "WinProbModel",
    "WinProbability",
    "blend_with_market",
    "edge_after_costs",
    "load_model",
]
