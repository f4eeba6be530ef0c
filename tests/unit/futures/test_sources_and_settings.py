"""Which outcome gives a market's home-win price, the quote's orientation, and the monitor's settings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.futures_monitor.config import FuturesSettings
from services.futures_monitor.quotes import _quote
from services.futures_monitor.sources import LineSource, home_source
from shared.config import ConfigError, load_settings
from shared.messages import FeeSpec, InstrumentRef

FEES = FeeSpec(schedule="kalshi")
D = Decimal


def _i(outcome: str, pays_on: str, negated: bool = False) -> InstrumentRef:
    return InstrumentRef(venue="kalshi", market_id="M", outcome_id=outcome, pays_on=pays_on, negated=negated, fees=FEES)


def test_the_home_outcome_is_preferred_then_a_negated_one_then_the_away_one_in_two_way_sports() -> None:
    assert home_source("kalshi", "M", [_i("no", "home", True), _i("yes", "home")], "nba") == LineSource(
        "kalshi", "M", "yes", flip=False
    )
    assert home_source("kalshi", "M", [_i("no", "home", True)], "nba") == LineSource("kalshi", "M", "no", flip=True)
    assert home_source("kalshi", "M", [_i("yes", "away")], "nhl") == LineSource("kalshi", "M", "yes", flip=True)
    assert home_source("kalshi", "M", [_i("yes", "away")], "soccer") is None
    assert home_source("kalshi", "M", [_i("yes", "draw")], "soccer") is None


def test_a_flipped_quote_is_the_complement_and_a_one_sided_book_gives_none() -> None:
    quote = _quote(LineSource("kalshi", "M", "yes", flip=True), D("0.40"), D("0.44"))
    assert quote is not None and (quote.bid, quote.ask, quote.mid) == (D("0.56"), D("0.60"), D("0.58"))
    assert _quote(LineSource("kalshi", "M", "yes", flip=False), None, D("0.44")) is None
    assert _quote(LineSource("kalshi", "M", "yes", flip=False), D("0.50"), D("0.40")) is None  # crossed


def test_settings_have_the_issue_defaults_and_a_bad_value_names_the_variable(clean_env: pytest.MonkeyPatch) -> None:
    s = load_settings(FuturesSettings)
    assert s.lookahead_h == 48 and s.movement_threshold == D("0.03") and s.poll_interval_s == 60
    clean_env.setenv("FUTURES_MOVEMENT_THRESHOLD", "1.5")
    with pytest.raises(ConfigError, match="FUTURES_MOVEMENT_THRESHOLD"):
        load_settings(FuturesSettings)
