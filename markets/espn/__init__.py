"""ESPN's public site API: game state for every league Arbees trades (scoreboards, summaries, a polled feed).

Modules: :mod:`~markets.espn.leagues` (paths), :mod:`~markets.espn.schemas` (wire models),
:mod:`~markets.espn.parsing` (wire -> :class:`~shared.messages.market_data.GameStateUpdated`),
:mod:`~markets.espn.client` (async HTTP with retries) and :mod:`~markets.espn.poller` (the change feed).
"""

from markets.espn.client import EspnClient, RetryPolicy
from markets.espn.leagues import LEAGUES, League, get_league
from markets.espn.parsing import EspnParseError, GameSummary
from markets.espn.poller import GameStatePoller, LeagueHealth

__all__ = [
    "LEAGUES",
    "EspnClient",
    "EspnParseError",
    "GameStatePoller",
    "GameSummary",
    "League",
    "LeagueHealth",
    "RetryPolicy",
    "get_league",
]
