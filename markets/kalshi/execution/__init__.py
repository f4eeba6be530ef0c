"""Kalshi order execution: :class:`KalshiExecutionEngine` and the pieces it is built from.

The engine lives in :mod:`~markets.kalshi.execution.engine` (its docstring describes the flow); the other
modules each hold one concern: ``submit``, ``tracker``, ``intake``, ``feed``, ``reconcile``, ``queries``,
``preflight``, ``validate``, ``mapping``, ``lookup``, ``options`` and ``settings``.
"""

from markets.kalshi.execution.engine import KalshiExecutionEngine, default_journal, new_client_order_id
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.execution.settings import ExplicitKalshiSettings

__all__ = [
    "ExecutionOptions",
    "ExplicitKalshiSettings",
    "KalshiExecutionEngine",
    "default_journal",
    "new_client_order_id",
]
