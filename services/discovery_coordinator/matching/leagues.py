"""Where each of our leagues lives on the venues: Kalshi game-winner series, Polymarket sport codes and tags.

Kalshi: one series per league whose events are games and whose markets each pay if one team wins
(venues.md §1.9). Polymarket: ``GET /sports`` lists each sport code with its tag ids; the tags that
every sport shares (``1`` sports, ``100639`` games) are not a league's own tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from markets.polymarket.types import Sport as GammaSport

KALSHI_GAME_SERIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "nba": ("KXNBAGAME",),
        "wnba": ("KXWNBAGAME",),
        "ncaab": ("KXNCAAMBGAME",),
        "nfl": ("KXNFLGAME",),
        "cfb": ("KXNCAAFGAME",),
        "nhl": ("KXNHLGAME",),
        "mlb": ("KXMLBGAME",),
        "epl": ("KXEPLGAME",),
        "mls": ("KXMLSGAME",),
        "ucl": ("KXUCLGAME",),
    }
)
_LEAGUE_OF_SERIES = {s: league for league, series in KALSHI_GAME_SERIES.items() for s in series}

# Our league key -> the codes Polymarket's /sports uses for it (first is the current one).
POLYMARKET_SPORT_CODES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "nba": ("nba",),
        "wnba": ("wnba",),
        "ncaab": ("cbb", "ncaab"),
        "nfl": ("nfl",),
        "cfb": ("cfb", "ncaaf"),
        "nhl": ("nhl",),
        "mlb": ("mlb",),
        "epl": ("epl",),
        "mls": ("mls",),
        "ucl": ("ucl",),
    }
)
_LEAGUE_OF_CODE = {code: league for league, codes in POLYMARKET_SPORT_CODES.items() for code in codes}
SHARED_TAGS = frozenset({"1", "100639", "100350"})


def kalshi_series_for(league: str) -> tuple[str, ...]:
    """The Kalshi game-winner series of ``league`` (none for a league Kalshi does not list)."""
    return KALSHI_GAME_SERIES.get(league, ())


def league_of_series(series_ticker: str) -> str | None:
    """Our league of a Kalshi series ticker."""
    return _LEAGUE_OF_SERIES.get(series_ticker)


def league_of_polymarket_code(code: str) -> str | None:
    """Our league of a Polymarket sport code or slug prefix (``cbb`` → ``ncaab``)."""
    return _LEAGUE_OF_CODE.get(code.lower())


def polymarket_tag_ids(sports: Iterable[GammaSport], leagues: Sequence[str]) -> dict[str, str]:
    """``league -> tag id`` of each of ``leagues`` that Polymarket lists (its own tag, not a shared one)."""
    wanted = set(leagues)
    out: dict[str, str] = {}
    for sport in sports:
        league = league_of_polymarket_code(sport.sport)
        if league is None or league not in wanted or league in out:
            continue
        own = [t for t in sport.tag_ids if t not in SHARED_TAGS]
        if own:
            out[league] = own[0]
    return out
