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


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/abc", "redis://127.0.0.1:abc/0", "rediss://h:70000/0", "redis://h:6379/0?db=x"],
    ids=["db-path", "port", "port-range", "db-query"],
)
def test_a_malformed_redis_url_names_redis_url(clean_env: pytest.MonkeyPatch, url: str) -> None:
    clean_env.setenv("REDIS_URL", url)
    with pytest.raises(ConfigError, match="^REDIS_URL: "):
        load_settings(ArbeesSettings)


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "redis://:pw@[::1]:6380", "redis://h/", "unix:///tmp/redis.sock?db=3"]
)
def test_well_formed_redis_urls_are_accepted(clean_env: pytest.MonkeyPatch, url: str) -> None:
    clean_env.setenv("REDIS_URL", url)
    assert load_settings(ArbeesSettings).redis_url == url


@pytest.mark.parametrize(
    "url",
    ["postgresql://u@h:abc/db", "postgres://u:hunter22@h:5432,h2:x/db", "postgresql://u:hunter22/db"],
    ids=["port", "second-host-port", "password-where-the-port-goes"],
)
def test_a_non_numeric_database_port_names_database_url_without_echoing_it(
    clean_env: pytest.MonkeyPatch, url: str
) -> None:
    clean_env.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError, match="^DATABASE_URL: .*port") as info:
        load_settings(ArbeesSettings)
    assert "hunter22" not in str(info.value)


@pytest.mark.parametrize("url", ["postgresql://u:p@h:5432/db", "postgresql://u@h1:5432,h2:5433/db", "postgres:///db"])
def test_well_formed_database_urls_are_accepted(clean_env: pytest.MonkeyPatch, url: str) -> None:
    clean_env.setenv("DATABASE_URL", url)
    settings = load_settings(ArbeesSettings)
    assert settings.database_url is not None and settings.database_url.get_secret_value() == url


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
