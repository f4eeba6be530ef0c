"""Kalshi game markets matched to ESPN games: recorded payloads, orientation, refusals with reasons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.discovery_coordinator.catalogue import MarketMatch
from services.discovery_coordinator.matching import match_kalshi
from services.discovery_coordinator.matching.kalshi import parse_event_ticker
from services.discovery_coordinator.matching.names import TeamAliases
from tests.unit.discovery.conftest import game, kalshi_events, kalshi_markets, team, wnba_games_of_jul_9


def by_ticker(matches: list[MarketMatch]) -> dict[str, MarketMatch]:
    return {m.market_id: m for m in matches}


def test_the_recorded_wnba_markets_match_their_games_and_each_yes_is_oriented() -> None:
    matches = by_ticker(match_kalshi(wnba_games_of_jul_9(), kalshi_events(), {}))

    home = matches["KXWNBAGAME-26JUL09INDPHX-PHX"]
    away = matches["KXWNBAGAME-26JUL09INDPHX-IND"]
    assert (home.status, home.game_id, home.home_outcome) == ("matched", "401820001", "yes")
    assert (away.status, away.game_id, away.home_outcome) == ("matched", "401820001", "no")
    assert home.confidence == 1.0
    yes, no = away.instruments
    assert (yes.outcome_id, yes.pays_on, yes.negated) == ("yes", "away", False)
    assert (no.outcome_id, no.pays_on, no.negated) == ("no", "away", True)
    assert yes.tick_size == Decimal("0.01") and yes.fees.schedule == "kalshi"
    assert any("YES is the away team" in r for r in away.reasons)


def test_a_game_found_by_names_alone_matches_with_lower_confidence() -> None:
    # Without the alias table the ticker's PDX is not ESPN's POR: the title's city names still find the game.
    matches = by_ticker(match_kalshi(wnba_games_of_jul_9(), kalshi_events(), {}, TeamAliases({})))
    pdx = matches["KXWNBAGAME-26JUL09LVPDX-PDX"]
    assert (pdx.status, pdx.game_id, pdx.home_outcome) == ("matched", "401820002", "yes")
    assert 0.8 <= pdx.confidence < 1.0


def test_rules_on_regulation_time_are_refused_with_the_reason() -> None:
    raw = kalshi_markets()
    raw[0] = {
        **raw[0],
        "rules_primary": raw[0]["rules_primary"].replace("wins the", "wins in regulation time the"),
    }
    matches = by_ticker(match_kalshi(wnba_games_of_jul_9(), kalshi_events(raw), {}))
    refused = matches["KXWNBAGAME-26JUL09INDPHX-PHX"]
    assert (refused.status, refused.reason_code, refused.instruments) == ("refused", "settlement_terms", ())
    assert refused.game_id == "401820001"
    assert "regulation" in refused.reasons[-1]
    assert matches["KXWNBAGAME-26JUL09INDPHX-IND"].status == "matched"


def test_rules_that_settle_a_postponed_game_at_once_are_refused() -> None:
    raw = kalshi_markets()
    raw[1] = {**raw[1], "rules_secondary": "If the game is postponed, the market resolves to No."}
    refused = by_ticker(match_kalshi(wnba_games_of_jul_9(), kalshi_events(raw), {}))["KXWNBAGAME-26JUL09INDPHX-IND"]
    assert (refused.status, refused.reason_code) == ("refused", "postponement_rule")


def test_unrecognised_rules_are_refused_not_guessed() -> None:
    raw = kalshi_markets()
    raw[0] = {
        **raw[0],
        "rules_primary": "Resolves Yes if Phoenix scores more points than Indiana in the third quarter.",
    }
    refused = by_ticker(match_kalshi(wnba_games_of_jul_9(), kalshi_events(raw), {}))["KXWNBAGAME-26JUL09INDPHX-PHX"]
    assert refused.status == "refused"
    assert refused.reason_code in {"settlement_terms", "settlement_terms_unrecognised"}


def test_the_ticker_date_is_the_us_eastern_day_of_the_game() -> None:
    parsed = parse_event_ticker("KXWNBAGAME-26JUL09INDPHX")
    assert parsed is not None and (parsed.day.isoformat(), parsed.teams) == ("2026-07-09", "INDPHX")
    # The same teams a day later are a different game: no match.
    shifted = [
        game(g.game_id, g.league, g.away, g.home, g.scheduled_start + timedelta(days=1)) for g in wnba_games_of_jul_9()
    ]
    matches = match_kalshi(shifted, kalshi_events(), {})
    assert {m.status for m in matches} == {"refused"}
    assert {m.reason_code for m in matches} == {"no_game"}


def test_a_name_that_fits_both_teams_is_not_oriented() -> None:
    games = [
        game(
            "401830001",
            "nba",
            team("LAC", "LA", "Clippers"),
            team("LAL", "Los Angeles", "Lakers"),
            wnba_games_of_jul_9()[0].scheduled_start,
        )
    ]
    raw = kalshi_markets()[:1]
    raw[0] = {
        **raw[0],
        "ticker": "KXNBAGAME-26JUL09LACLAL-LA",
        "event_ticker": "KXNBAGAME-26JUL09LACLAL",
        "title": "Los Angeles C vs Los Angeles L winner?",
        "yes_sub_title": "Los Angeles",
        "no_sub_title": "Los Angeles",
        "rules_primary": "If Los Angeles wins the Los Angeles C vs Los Angeles L professional basketball game "
        "originally scheduled for Jul 9, 2026, then the market resolves to Yes.",
    }
    (event,) = kalshi_events(raw)
    event = type(event)(event.event_ticker, "KXNBAGAME", event.title, "", True, event.markets)
    (verdict,) = match_kalshi(games, [event], {})
    assert (verdict.status, verdict.reason_code, verdict.game_id) == ("refused", "orientation_unknown", "401830001")


def test_two_games_that_fit_one_event_are_ambiguous() -> None:
    first, _ = wnba_games_of_jul_9()
    twin = game("401820009", "wnba", first.away, first.home, first.scheduled_start - timedelta(hours=3))
    matches = match_kalshi([first, twin], kalshi_events(kalshi_markets()[:2]), {})
    assert {(m.status, m.reason_code) for m in matches} == {("refused", "ambiguous_teams")}
