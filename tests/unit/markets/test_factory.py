"""The PAPER_TRADING switch picks paper or capped real engines as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from eth_account import Account

from markets.caps import CappedEngine
from markets.kalshi.execution import KalshiExecutionEngine
from markets.paper.engine import PaperTradingEngine
from markets.polymarket.execution import PolymarketExecutionEngine
from services.execution_service.config import ExecutionSettings
from services.execution_service.engines import build
from shared.bus.pubsub import MarketDataBus
from shared.config import ConfigError, load_settings


def _kalshi_key(tmp_path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "kalshi.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


def _live(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    env.setenv("PAPER_TRADING", "0")
    env.setenv("LIVE_TRADING_CONFIRMED", "1")


def test_default_is_paper_for_both_venues(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    engines = build(load_settings(ExecutionSettings), MarketDataBus(None))
    assert {v: type(e) for v, e in engines.items()} == {"kalshi": PaperTradingEngine, "polymarket": PaperTradingEngine}


def test_live_gives_capped_real_engines_for_configured_venues(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _live(clean_env, tmp_path)
    clean_env.setenv("KALSHI_API_KEY_ID", "0c6f8d38-7a4e-4d8a-9d0e-2b1f3c4d5e6f")
    clean_env.setenv("KALSHI_PRIVATE_KEY_PATH", str(_kalshi_key(tmp_path)))
    clean_env.setenv("POLYMARKET_PRIVATE_KEY", Account.create().key.hex())
    clean_env.setenv("EXEC_MAX_ORDER_NOTIONAL_CENTS", "1500")
    engines = build(load_settings(ExecutionSettings), MarketDataBus(None))
    assert set(engines) == {"kalshi", "polymarket"}
    kalshi, polymarket = engines["kalshi"], engines["polymarket"]
    assert isinstance(kalshi, CappedEngine) and isinstance(kalshi.inner, KalshiExecutionEngine)
    assert isinstance(polymarket, CappedEngine) and isinstance(polymarket.inner, PolymarketExecutionEngine)
    assert not kalshi.paper and not polymarket.paper
    assert kalshi.caps.max_order_notional_cents == 1500
    assert (tmp_path / "journal").is_dir()


def test_live_with_one_venue_configured_trades_only_that_venue(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _live(clean_env, tmp_path)
    clean_env.setenv("POLYMARKET_PRIVATE_KEY", Account.create().key.hex())
    engines = build(load_settings(ExecutionSettings), MarketDataBus(None))
    assert set(engines) == {"polymarket"}


def test_a_bad_venue_setting_names_it(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _live(clean_env, tmp_path)
    clean_env.setenv("KALSHI_API_KEY_ID", "0c6f8d38-7a4e-4d8a-9d0e-2b1f3c4d5e6f")
    with pytest.raises(ConfigError, match="KALSHI"):
        build(load_settings(ExecutionSettings), MarketDataBus(None))


def test_real_money_needs_both_opt_ins(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("PAPER_TRADING", "0")
    with pytest.raises(ConfigError, match="LIVE_TRADING_CONFIRMED"):
        load_settings(ExecutionSettings)
