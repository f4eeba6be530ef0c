"""``KalshiSettings``: secrets stay secret, placeholders and half-configured keys are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from markets.kalshi.config import KalshiSettings
from tests.unit.kalshi.keys import pkcs8_pem, private_key


def test_pem_is_secret_and_builds_a_signer() -> None:
    pem = pkcs8_pem(private_key()).decode()
    settings = KalshiSettings(api_key_id="key-1", private_key_pem=pem)
    assert "PRIVATE KEY" not in repr(settings) and "PRIVATE KEY" not in str(settings.model_dump())
    signer = settings.signer()
    assert signer is not None and signer.key_id == "key-1"
    assert settings.base_url == "https://external-api.kalshi.com/trade-api/v2"


def test_key_file_path(tmp_path: Path) -> None:
    path = tmp_path / "kalshi.key"
    path.write_bytes(pkcs8_pem(private_key()))
    signer = KalshiSettings(api_key_id="key-1", private_key_path=str(path)).signer()
    assert signer is not None


def test_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KALSHI_BASE_URL", "http://127.0.0.1:1/trade-api/v2/")
    monkeypatch.setenv("KALSHI_WRITE_TOKENS_PER_S", "300")
    settings = KalshiSettings()
    assert settings.base_url == "http://127.0.0.1:1/trade-api/v2" and settings.write_tokens_per_s == 300
    assert settings.signer() is None and not settings.has_credentials


@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_key_id": "changeme", "private_key_pem": "x"},
        {"api_key_id": "key-1"},
        {"private_key_pem": "x"},
        {"api_key_id": "key-1", "private_key_pem": "x", "private_key_path": "/k"},
        {"read_tokens_per_s": 0},
    ],
)
def test_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        KalshiSettings(**kwargs)  # type: ignore[arg-type]
