"""The fleet's services by name, built from their own settings (loaded from the environment)."""

from __future__ import annotations

import importlib
from typing import Any

from shared.config import load_settings
from shared.runtime.service import Service

SERVICES: dict[str, str] = {
    "game_shard": "services.game_shard.service:GameShardService",
    "signal_processor": "services.signal_processor.service:SignalProcessorService",
    "execution_service": "services.execution_service.service:ExecutionService",
    "position_tracker": "services.position_tracker.service:PositionTrackerService",
    "api": "services.api.service:ApiService",
    "polymarket_price_shard": "services.polymarket_price_shard.service:PolymarketPriceShardService",
    "discovery_coordinator": "services.discovery_coordinator.service:DiscoveryCoordinatorService",
    "analytics": "services.analytics.service:AnalyticsService",
    "futures_monitor": "services.futures_monitor.service:FuturesMonitorService",
}


def service_class(name: str) -> type[Service]:
    """Import the class of service ``name``."""
    module_name, _, class_name = SERVICES[name].partition(":")
    cls: type[Service] = getattr(importlib.import_module(module_name), class_name)
    return cls


def build_service(name: str, **overrides: Any) -> Service:
    """Load the service's settings (environment plus ``overrides``) and build it.

    Raises
    ------
    shared.config.ConfigError
        When a setting is missing or invalid.
    """
    cls = service_class(name)
    settings = load_settings(cls.settings_class, **overrides)
    return cls(settings)


def build_all(**overrides: Any) -> list[Service]:
    """Every service, in start order (consumers before producers)."""
    return [build_service(name, **overrides) for name in SERVICES]
