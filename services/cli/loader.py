"""Registering command modules that may be absent from a build (a venue or tool not installed)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterable


def register_modules(modules: Iterable[str], subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Call ``register(subparsers)`` of each module that exists; a module missing entirely is skipped."""
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name is None or not module_name.startswith(e.name):
                raise
            continue
        module.register(subparsers)
