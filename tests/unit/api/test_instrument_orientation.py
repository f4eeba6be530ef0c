"""How the API shows a matched instrument's result: a negated one pays on the other team where no draw exists."""

from __future__ import annotations

from decimal import Decimal

from services.api.queries.instruments import Matched, _matched, oriented

NO_OF_HOME = {"venue": "kalshi", "market_id": "KX-BOS", "outcome_id": "no", "pays_on": "home", "negated": True}


def test_the_no_of_the_home_market_is_the_away_result_where_there_are_no_draws() -> None:
    assert _matched(NO_OF_HOME, "g1", "nba") == Matched("g1", "away", False)
    assert _matched(NO_OF_HOME, "g1", "nhl") == Matched("g1", "away", False)


def test_in_soccer_not_home_is_away_or_draw_so_it_stays_a_negated_home_contract() -> None:
    matched = _matched(NO_OF_HOME, "g1", "soccer")
    assert matched == Matched("g1", "home", True)
    assert oriented(Decimal("0.30"), Decimal("0.32"), matched.negated) == (
        Decimal("0.68"), Decimal("0.70"), Decimal("0.69"),
    )  # fmt: skip


def test_an_unknown_sport_keeps_the_instrument_as_discovery_stored_it() -> None:
    assert _matched(NO_OF_HOME, "g1", None) == Matched("g1", "home", True)
    plain = NO_OF_HOME | {"outcome_id": "yes", "negated": False}
    assert _matched(plain, "g1", "nba") == Matched("g1", "home", False)
