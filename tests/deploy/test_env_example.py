""".env.example documents every variable: each ${VAR} the compose files use and each setting of the fleet."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from pydantic import AliasChoices
from pydantic_settings import BaseSettings

import services
from shared.config import ArbeesSettings
from tests.deploy.support import COMPOSE, COMPOSE_AWS, ROOT

ENV_EXAMPLE = ROOT / ".env.example"
MARKET_CONFIGS = ("markets.kalshi.config", "markets.polymarket.config", "markets.espn.config")


def _documented() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE))


def _settings_variables() -> set[str]:
    modules = ["shared.config", *MARKET_CONFIGS]
    modules += [
        f"services.{m.name}.config"
        for m in pkgutil.iter_modules(services.__path__)
        if m.ispkg and (ROOT / "services" / m.name / "config.py").is_file()
    ]
    names: set[str] = set()
    for module_name in modules:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, BaseSettings) or cls.__module__ != module_name:
                continue
            prefix = str(cls.model_config.get("env_prefix", ""))
            for field, info in cls.model_fields.items():
                if cls is not ArbeesSettings and field in ArbeesSettings.model_fields:
                    continue
                alias = info.validation_alias
                names.add(str(alias.choices[0]) if isinstance(alias, AliasChoices) else f"{prefix}{field}".upper())
    return names


def test_every_compose_variable_is_documented() -> None:
    used: set[str] = set()
    for path in (COMPOSE, COMPOSE_AWS):
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        used |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", code))
    missing = sorted(used - _documented())
    assert not missing, f".env.example does not document {missing}"


def test_every_setting_of_the_fleet_is_documented() -> None:
    settings = _settings_variables()
    assert {"PAPER_TRADING", "GAME_SHARD_SHARD_ID", "EXEC_MAX_ORDER_NOTIONAL_CENTS"} <= settings
    missing = sorted(settings - _documented())
    assert not missing, f".env.example does not document {missing}"


def test_defaults_are_paper_and_the_vpn_profile() -> None:
    text = ENV_EXAMPLE.read_text()
    assert re.search(r"^PAPER_TRADING=1$", text, flags=re.MULTILINE)
    assert re.search(r"^LIVE_TRADING_CONFIRMED=0$", text, flags=re.MULTILINE)
    assert re.search(r"^COMPOSE_PROFILES=vpn$", text, flags=re.MULTILINE)
    # Secrets are left empty in the example.
    for name in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "API_TOKEN", "API_CONTROL_TOKEN", "WIREGUARD_PRIVATE_KEY"):
        assert re.search(rf"^{name}=$", text, flags=re.MULTILINE), name


def test_env_files_are_git_ignored_and_kept_out_of_the_image() -> None:
    ignored = (ROOT / ".gitignore").read_text().split()
    assert {".env", ".env.venues", ".env.fleet", ".venv-checkov/"} <= set(ignored)
    docker_ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".env.*", "*.pem", "*.key"} <= set(docker_ignored)
