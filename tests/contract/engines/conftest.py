"""Collects the engine harness fixtures that exist (each engine adds ``harness_<venue>.py``)."""

from __future__ import annotations

import importlib

import pytest

HARNESS_MODULES = ("harness_kalshi", "harness_polymarket", "harness_paper")
AVAILABLE: list[str] = []

for _module_name in HARNESS_MODULES:
    try:
        _module = importlib.import_module(f"tests.contract.engines.{_module_name}")
    except ModuleNotFoundError as e:
        if e.name != f"tests.contract.engines.{_module_name}":
            raise
        continue
    for _name in getattr(_module, "HARNESSES", ()):
        globals()[f"{_name}_harness"] = getattr(_module, f"{_name}_harness")
        AVAILABLE.append(_name)


@pytest.fixture(params=AVAILABLE)
def harness(request: pytest.FixtureRequest) -> object:
    """Every available engine harness in turn."""
    return request.getfixturevalue(f"{request.param}_harness")
