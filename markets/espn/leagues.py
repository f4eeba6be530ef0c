"""The leagues Arbees follows on ESPN: their site-API paths and our ``Sport`` for each.

References
----------
ESPN site API paths: ``/apis/site/v2/sports/{sport}/{league}/scoreboard`` (shared/docs/venues.md §3.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from shared.messages.market_data import Sport


@dataclass(frozen=True, slots=True)
class League:
    """One ESPN league.

    Parameters
    ----------
    key
        Our league key; it is also ``GameStateUpdated.league`` (``"nfl"``, ``"epl"``, ...).
    sport
        Our sport (``shared.messages.market_data.Sport``).
    espn_sport, espn_league
        The two path segments of ESPN's site API (``football``/``nfl``).
    scoreboard_params
        Query parameters every scoreboard request of this league carries.
    """

    key: str
    sport: Sport
    espn_sport: str
    espn_league: str
    scoreboard_params: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """``"{espn_sport}/{espn_league}"``, e.g. ``"basketball/nba"``."""
        return f"{self.espn_sport}/{self.espn_league}"

    @property
    def has_clock_running_down(self) -> bool:
        """False for soccer (ESPN's clock counts elapsed seconds) and baseball (no clock)."""
        return self.sport not in ("soccer", "mlb")


def _league(key: str, sport: Sport, path: str, **params: str) -> League:
    espn_sport, espn_league = path.split("/")
    return League(key, sport, espn_sport, espn_league, MappingProxyType(dict(params)))


# College scoreboards list only featured games by default; `groups` selects the whole division
# (50 = Division I basketball, 80 = FBS football) — third-party usage, see venues.md §3.1 "verify".
LEAGUES: Mapping[str, League] = MappingProxyType(
    {
        lg.key: lg
        for lg in (
            _league("nfl", "nfl", "football/nfl"),
            _league("cfb", "cfb", "football/college-football", groups="80", limit="300"),
            _league("nba", "nba", "basketball/nba"),
            _league("wnba", "wnba", "basketball/wnba"),
            _league("ncaab", "ncaab", "basketball/mens-college-basketball", groups="50", limit="400"),
            _league("nhl", "nhl", "hockey/nhl"),
            _league("mlb", "mlb", "baseball/mlb"),
            _league("epl", "soccer", "soccer/eng.1"),
            _league("mls", "soccer", "soccer/usa.1"),
            _league("ucl", "soccer", "soccer/uefa.champions"),
        )
    }
)

_BY_PATH: Mapping[tuple[str, str], League] = MappingProxyType(
    {(lg.espn_sport, lg.espn_league): lg for lg in LEAGUES.values()}
)


def get_league(key: str | League) -> League:
    """The :class:`League` for our key (a ``League`` is returned unchanged).

    Raises
    ------
    KeyError
        ``key`` is not one of :data:`LEAGUES`.
    """
    if isinstance(key, League):
        return key
    try:
        return LEAGUES[key]
    except KeyError:
        raise KeyError(f"unknown league {key!r}; known: {', '.join(sorted(LEAGUES))}") from None


def league_for_path(espn_sport: str, espn_league: str) -> League | None:
    """The league served at ``/sports/{espn_sport}/{espn_league}``, or ``None``."""
    return _BY_PATH.get((espn_sport, espn_league))
