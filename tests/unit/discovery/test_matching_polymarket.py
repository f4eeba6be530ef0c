"""Polymarket sports markets matched to ESPN games: moneylines, soccer results, futures, refusals."""

from __future__ import annotations

import json
from typing import Any

from markets.polymarket import parsing
from services.discovery_coordinator.matching import match_polymarket
from services.discovery_coordinator.matching.terms import polymarket_terms
from tests.unit.discovery.conftest import GAMMA_DRAW_MARKET, GAMMA_WNBA_EVENTS, espn_wnba_games, game, load, team

MONEYLINE_RULES = (
    "In the upcoming WNBA game, scheduled for August 24 at 8:00PM ET:\n\nIf the Golden State Valkyries win, the "
    "market will resolve to \u201cValkyries\u201d.\n\nIf the Minnesota Lynx win, the market will resolve to "
    "\u201cLynx\u201d.\n\nIf the game is postponed, this market will remain open until the game has been completed. "
    "If the game is canceled entirely, with no make-up game, this market will resolve 50-50."
)


def moneyline_event(
    outcomes: tuple[str, str] = ("Valkyries", "Lynx"), description: str = MONEYLINE_RULES
) -> dict[str, Any]:
    """A Gamma sports event as /events returns it (JSON-string fields, gameStartTime with ``+00``)."""
    return {
        "id": "90001",
        "slug": "wnba-gsv-min-2026-08-24",
        "title": "Valkyries vs. Lynx",
        "active": True,
        "closed": False,
        "negRisk": False,
        "startDate": "2026-08-20T15:00:00Z",
        "tags": [
            {"id": "100254", "label": "WNBA", "slug": "wnba"},
            {"id": "100639", "label": "Games", "slug": "games"},
        ],
        "markets": [
            {
                "id": "700001",
                "question": "Valkyries vs. Lynx",
                "conditionId": "0x" + "ab" * 32,
                "slug": "wnba-gsv-min-2026-08-24",
                "description": description,
                "outcomes": json.dumps(list(outcomes)),
                "outcomePrices": '["0.35", "0.65"]',
                "clobTokenIds": '["1111", "2222"]',
                "active": True,
                "closed": False,
                "acceptingOrders": True,
                "enableOrderBook": True,
                "negRisk": False,
                "orderPriceMinTickSize": 0.01,
                "orderMinSize": 5,
                "sportsMarketType": "moneyline",
                "gameStartTime": "2026-08-25 00:00:00+00",
                "feeSchedule": {"exponent": 1, "rate": 0.03, "takerOnly": True, "rebateRate": 0},
            }
        ],
    }


def test_a_moneyline_matches_the_recorded_espn_game_with_each_token_oriented() -> None:
    games = espn_wnba_games()
    assert [(g.away.abbreviation, g.home.abbreviation) for g in games] == [("GS", "MIN")]
    (verdict,) = match_polymarket(games, [parsing.gamma_event(moneyline_event())])
    assert (verdict.status, verdict.game_id, verdict.home_outcome) == ("matched", games[0].game_id, "Lynx")
    away, home = verdict.instruments
    assert (away.outcome_id, away.pays_on, away.negated) == ("1111", "away", False)
    assert (home.outcome_id, home.pays_on) == ("2222", "home")
    assert str(home.fees.rate) == "0.03" and verdict.confidence == 1.0


def test_outcomes_listed_home_first_are_still_oriented_by_name() -> None:
    (verdict,) = match_polymarket(espn_wnba_games(), [parsing.gamma_event(moneyline_event(("Lynx", "Valkyries")))])
    assert [i.pays_on for i in verdict.instruments] == ["home", "away"]


def test_a_moneyline_on_regulation_time_is_refused() -> None:
    rules = MONEYLINE_RULES.replace("If the game is postponed", "Only regulation time counts. If the game is postponed")
    (verdict,) = match_polymarket(espn_wnba_games(), [parsing.gamma_event(moneyline_event(description=rules))])
    assert (verdict.status, verdict.reason_code) == ("refused", "settlement_terms")
    assert verdict.game_id == espn_wnba_games()[0].game_id


def test_recorded_futures_markets_match_no_game() -> None:
    events = parsing.gamma_events(load(GAMMA_WNBA_EVENTS))
    verdicts = match_polymarket(espn_wnba_games(), events)
    assert verdicts and {m.status for m in verdicts} == {"refused"}
    assert not any(m.instruments for m in verdicts)


def test_the_recorded_draw_market_pays_on_a_draw_of_its_match() -> None:
    (raw,) = load(GAMMA_DRAW_MARKET)
    terms = polymarket_terms(raw["description"], "soccer", market_type=raw.get("sportsMarketType"), has_line=False)
    assert terms.ok and not terms.postponement_stated
    # The archived market has no condition or tokens any more; give it the ones a live market has.
    live = {
        **raw,
        "conditionId": "0x" + "cd" * 32,
        "clobTokenIds": '["31", "32"]',
        "question": "Will the match be a draw?",
    }
    event = {
        "id": "80001",
        "slug": "uefa-rom-ukr-2024-06-17",
        "title": "Romania vs. Ukraine",
        "active": True,
        "closed": False,
        "negRisk": False,
        "startDate": "2024-06-17T03:51:23.112Z",
        "markets": [live],
    }
    match_day = game(
        "700900",
        "ucl",
        team("ROU", "Romania", "Romania"),
        team("UKR", "Ukraine", "Ukraine"),
        parsing.parse_time("2024-06-17T13:00:00Z"),
    )  # type: ignore[arg-type]
    (verdict,) = match_polymarket([match_day], [parsing.gamma_event(event)])
    assert verdict.status == "matched", verdict.reasons
    yes, no = verdict.instruments
    assert (yes.pays_on, yes.negated, no.pays_on, no.negated) == ("draw", False, "draw", True)
    assert verdict.confidence < 1.0


def test_a_two_way_market_on_a_soccer_match_is_refused_as_three_way() -> None:
    match_day = game(
        "700901",
        "epl",
        team("ARS", "Arsenal", "Arsenal"),
        team("CHE", "Chelsea", "Chelsea"),
        parsing.parse_time("2026-08-25T00:00:00Z"),
    )  # type: ignore[arg-type]
    raw = moneyline_event(
        ("Arsenal", "Chelsea"), MONEYLINE_RULES.replace("Valkyries", "Arsenal").replace("Lynx", "Chelsea")
    )
    raw["title"], raw["slug"], raw["tags"] = "Arsenal vs. Chelsea", "epl-ars-che-2026-08-24", []
    (verdict,) = match_polymarket([match_day], [parsing.gamma_event(raw)])
    assert (verdict.status, verdict.reason_code) == ("refused", "three_way")


def test_names_that_fit_both_teams_are_not_matched() -> None:
    start = parsing.parse_time("2026-08-25T00:00:00Z")
    derby = game("401840001", "nba", team("LAC", "LA", "Clippers"), team("LAL", "Los Angeles", "Lakers"), start)  # type: ignore[arg-type]
    raw = moneyline_event(("Los Angeles", "Los Angeles"))
    raw["title"], raw["slug"], raw["tags"] = "Los Angeles vs. Los Angeles", "nba-la-la-2026-08-24", []
    (verdict,) = match_polymarket([derby], [parsing.gamma_event(raw)])
    assert verdict.status == "refused" and verdict.reason_code in {"no_game", "orientation_unknown", "ambiguous_teams"}
    assert not verdict.instruments
