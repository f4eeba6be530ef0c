"""Team names: normalisation, and every name a team of an ESPN game goes by (ESPN's own forms plus aliases).

The alias table is one data file, ``services/discovery_coordinator/data/team_aliases.json``:
``{league: {ESPN abbreviation: [other names and codes...]}}``. A name resolves to a side of a game only
when it is one of that side's names and not the other's, so a bare "Los Angeles" in a Lakers–Clippers
game resolves to nothing (ambiguous), never to a guess.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from services.discovery_coordinator.catalogue import EspnGame, TeamRef

Side = Literal["home", "away"]
ALIASES_PATH = Path(__file__).resolve().parent.parent / "data" / "team_aliases.json"
_NOISE = frozenset({"fc", "afc", "cf", "sc", "the"})
_CODE_MAX = 4


def normalise(name: str) -> str:
    """Lowercase ASCII letters and digits only: accents dropped, ``&`` → ``and``, club suffixes (FC) dropped."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower().replace("&", " and ")
    tokens = re.findall(r"[a-z0-9]+", plain.replace("'", ""))
    kept = [t for t in tokens if t not in _NOISE]
    return "".join(kept or tokens)


class TeamAliases:
    """The alias table, by league and ESPN abbreviation (normalised)."""

    def __init__(self, table: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
        self._table = {
            league: {
                normalise(abbr): frozenset(normalise(n) for n in names if normalise(n)) for abbr, names in teams.items()
            }
            for league, teams in table.items()
            if not league.startswith("_")
        }

    @classmethod
    def load(cls, path: Path = ALIASES_PATH) -> TeamAliases:
        """Read the table from ``path``."""
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def names(self, league: str, team: TeamRef) -> frozenset[str]:
        """Every normalised name of ``team``: ESPN's forms (full, short, city, nickname, abbreviation) and aliases."""
        own = {normalise(n) for n in team.names}
        if team.location and team.nickname:
            own.add(normalise(f"{team.location} {team.nickname}"))
        own |= self._table.get(league, {}).get(normalise(team.abbreviation), frozenset())
        own.discard("")
        return frozenset(own)

    def codes(self, league: str, team: TeamRef) -> frozenset[str]:
        """The short codes (≤ 4 characters) among the names: what venues put in tickers and slugs."""
        return frozenset(n for n in self.names(league, team) if len(n) <= _CODE_MAX)


@cache
def default_aliases() -> TeamAliases:
    """The table shipped with the service (read once)."""
    return TeamAliases.load()


def side_of(name: str, game: EspnGame, aliases: TeamAliases, *, codes_only: bool = False) -> Side | None:
    """Which side of ``game`` ``name`` is, or ``None`` when it names neither or both."""
    key = normalise(name)
    if not key:
        return None
    pick = aliases.codes if codes_only else aliases.names
    home, away = key in pick(game.league, game.home), key in pick(game.league, game.away)
    if home == away:
        return None
    return "home" if home else "away"


def pair_sides(a: str, b: str, game: EspnGame, aliases: TeamAliases) -> tuple[Side, Side] | None:
    """The sides of two names that together name both teams of ``game`` (one each), else ``None``."""
    sa, sb = side_of(a, game, aliases), side_of(b, game, aliases)
    if sa is None or sb is None or sa == sb:
        return None
    return sa, sb


def split_matchup(title: str) -> tuple[str, str] | None:
    """``"Indiana vs Phoenix winner?"`` / ``"Lakers vs. Celtics"`` / ``"LAL @ BOS"`` → the two names, first first."""
    text = re.sub(r"\b(winner|who will win)\??\s*$", "", title.strip(), flags=re.IGNORECASE).strip(" ?:")
    text = re.sub(r"^[A-Z0-9 ]{2,12}:\s*", "", text)
    parts = re.split(r"\s+(?:vs\.?|v\.?|at|@)\s+", text, maxsplit=1, flags=re.IGNORECASE)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        return None
    return parts[0].strip(), re.sub(r"\s*\(.*\)\s*$", "", parts[1]).strip()
