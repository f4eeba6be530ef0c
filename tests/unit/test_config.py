"""Settings: bad values stop start-up naming the setting; real money needs two opt-ins."""

from __future__ import annotations

import pytest

from services.api.config import ApiSettings
from services.signal_processor.config import SignalProcessorSettings
from shared.config import ArbeesSettings, ConfigError, load_settings


def test_defaults_are_paper(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings(ArbeesSettings)
    assert settings.paper_trading is True
    assert settings.trading_mode == "paper"


def test_bad_value_names_the_environment_variable(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SIGNAL_MAX_TRADE_NOTIONAL_CENTS", "twenty dollars")
    with pytest.raises(ConfigError, match="SIGNAL_MAX_TRADE_NOTIONAL_CENTS"):
        load_settings(SignalProcessorSettings)


def test_shared_settings_keep_their_names_under_a_service_prefix(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ARBEES_HEARTBEAT_INTERVAL_S", "-1")
    with pytest.raises(ConfigError, match="ARBEES_HEARTBEAT_INTERVAL_S"):
        load_settings(SignalProcessorSettings)
    clean_env.setenv("ARBEES_HEARTBEAT_INTERVAL_S", "2.5")
    assert load_settings(SignalProcessorSettings).heartbeat_interval_s == 2.5


def test_redis_url_scheme_is_checked(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("REDIS_URL", "http://localhost:6379")
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_settings(ArbeesSettings)


def test_live_trading_needs_the_second_opt_in(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PAPER_TRADING", "0")
    with pytest.raises(ConfigError, match="LIVE_TRADING_CONFIRMED"):
        load_settings(ArbeesSettings)
    clean_env.setenv("LIVE_TRADING_CONFIRMED", "1")
    assert load_settings(ArbeesSettings).trading_mode == "live"


def test_confirmation_alone_stays_paper(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LIVE_TRADING_CONFIRMED", "1")
    assert load_settings(ArbeesSettings).trading_mode == "paper"


def test_settings_are_frozen(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings(ArbeesSettings)
    with pytest.raises(Exception, match="frozen"):
        settings.paper_trading = False  # type: ignore[misc]


def test_placeholder_api_token_is_refused_without_echoing_it(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("API_TOKEN", "changeme")
    with pytest.raises(ConfigError) as info:
        load_settings(ApiSettings)
    assert "API_TOKEN" in str(info.value)
    assert "changeme" not in str(info.value)
