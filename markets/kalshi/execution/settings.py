"""Settings and signer of the Kalshi engine, built from explicit arguments only.

``KalshiSettings`` is a pydantic-settings class that also reads ``KALSHI_*`` from the environment.
The engine's constructor arguments must be the whole truth (a stray ``KALSHI_PRIVATE_KEY_PEM`` in the
environment must not mix with an explicit key path), so :class:`ExplicitKalshiSettings` validates the
same fields from the given values alone. The signer takes the engine's clock, so the clock that signs
is the clock that start-up checks against the venue's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from markets.kalshi.auth import KalshiSigner, load_private_key, load_private_key_file
from markets.kalshi.config import (
    DEMO_REST_URL,
    DEMO_WS_URL,
    PRODUCTION_REST_URL,
    PRODUCTION_WS_URL,
    KalshiSettings,
)

_KNOWN_WS = {PRODUCTION_REST_URL: PRODUCTION_WS_URL, DEMO_REST_URL: DEMO_WS_URL}


class ExplicitKalshiSettings(KalshiSettings):
    """:class:`KalshiSettings` validated from init arguments only (no environment, no dotenv)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def ws_url_for(base_url: str) -> str:
    """The WebSocket URL paired with a REST root (``http://h/trade-api/v2`` → ``ws://h/trade-api/ws/v2``)."""
    base = base_url.rstrip("/")
    if base in _KNOWN_WS:
        return _KNOWN_WS[base]
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    path = parts.path.removesuffix("/trade-api/v2") + "/trade-api/ws/v2"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def engine_settings(
    base_url: str,
    api_key_id: str,
    private_key_path: str | Path | None,
    *,
    ws_url: str | None = None,
    settings: KalshiSettings | None = None,
) -> KalshiSettings:
    """``settings`` (or the defaults) with the explicit endpoint and key applied.

    Raises
    ------
    pydantic.ValidationError
        No key at all, a placeholder value, or both a key path and a PEM.
    """
    values: dict[str, Any] = settings.model_dump() if settings is not None else {}
    values["base_url"] = base_url
    values["api_key_id"] = api_key_id
    if private_key_path is not None:
        values["private_key_path"] = SecretStr(str(private_key_path))
        values["private_key_pem"] = None
    if ws_url is not None:
        values["ws_url"] = ws_url
    elif settings is None or settings.base_url.rstrip("/") != base_url.rstrip("/"):
        values["ws_url"] = ws_url_for(base_url)
    return ExplicitKalshiSettings(**values)


def signer_for(settings: KalshiSettings, clock: Callable[[], float]) -> KalshiSigner:
    """The request signer for ``settings``' key, stamping times from ``clock``.

    Raises
    ------
    markets.kalshi.auth.KeyLoadError
        The key cannot be loaded (the message carries no key material).
    ValueError
        ``settings`` has no key.
    """
    if settings.api_key_id is None:
        raise ValueError("no Kalshi API key configured")
    if settings.private_key_pem is not None:
        key = load_private_key(settings.private_key_pem.get_secret_value())
    elif settings.private_key_path is not None:
        key = load_private_key_file(Path(settings.private_key_path.get_secret_value()))
    else:
        raise ValueError("no Kalshi private key configured")
    return KalshiSigner(settings.api_key_id, key, clock=clock)
