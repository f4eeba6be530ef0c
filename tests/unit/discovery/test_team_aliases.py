"""The team alias table: every league is there with its teams, and no name can point at two teams of one league.

``services/discovery_coordinator/data/team_aliases.json`` maps ``{league: {ESPN abbreviation: [other names]}}``.
A name that fits two teams (a bare "Los Angeles" in the NBA) must stay out, or matching would guess.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

ALIASES = Path(__file__).resolve().parents[3] / "services" / "discovery_coordinator" / "data" / "team_aliases.json"

# League -> the fewest teams it may have (NBA, NFL, MLB and EPL are fixed; the others grow by expansion).
MIN_TEAMS = {"nba": 30, "wnba": 12, "nfl": 32, "nhl": 32, "mlb": 30, "epl": 20, "mls": 29}
EXACT_TEAMS = {"nba": 30, "nfl": 32, "mlb": 30, "epl": 20}


def norm(name: str) -> str:
    """Accents dropped, lowercase, ``&`` -> ``and``, every non-alphanumeric character removed."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]", "", plain)


def table() -> dict[str, Any]:
    """The alias file as JSON."""
    data: dict[str, Any] = json.loads(ALIASES.read_text(encoding="utf-8"))
    return data


def leagues() -> dict[str, dict[str, list[str]]]:
    """The league objects (keys starting with ``_`` are notes, not leagues)."""
    return {k: v for k, v in table().items() if not k.startswith("_")}


def test_about_says_what_the_file_is() -> None:
    about = table().get("_about")
    assert isinstance(about, str) and about.strip()


@pytest.mark.parametrize("league", sorted(MIN_TEAMS))
def test_every_league_has_its_teams(league: str) -> None:
    teams = leagues().get(league)
    assert isinstance(teams, dict), f"{league} missing"
    assert len(teams) >= MIN_TEAMS[league]
    if league in EXACT_TEAMS:
        assert len(teams) == EXACT_TEAMS[league]


def test_keys_are_uppercase_espn_abbreviations() -> None:
    for league, teams in leagues().items():
        for key in teams:
            assert re.fullmatch(r"[A-Z0-9]{2,5}", key), f"{league}: bad key {key!r}"


def test_every_value_is_a_non_empty_list_of_strings() -> None:
    for league, teams in leagues().items():
        for key, names in teams.items():
            assert isinstance(names, list) and names, f"{league}/{key}: no aliases"
            for name in names:
                assert isinstance(name, str) and norm(name), f"{league}/{key}: bad alias {name!r}"
            normalised = [norm(n) for n in names]
            assert len(set(normalised)) == len(normalised), f"{league}/{key}: an alias is listed twice"


def test_no_alias_names_two_teams_of_one_league() -> None:
    for league, teams in leagues().items():
        keys = {norm(k): k for k in teams}
        owner: dict[str, str] = {}
        for key, names in teams.items():
            for name in names:
                n = norm(name)
                other = keys.get(n)
                assert other in (None, key), f"{league}: {name!r} of {key} is the key of {other}"
                assert owner.setdefault(n, key) == key, f"{league}: {name!r} names both {owner[n]} and {key}"


def test_norm_folds_accents_ampersands_and_punctuation() -> None:
    assert norm("CF Montréal") == norm("CF Montreal") == "cfmontreal"
    assert norm("Brighton & Hove Albion") == norm("Brighton and Hove Albion")
    assert norm("Nott'm Forest") == norm("Nottm Forest") == "nottmforest"
