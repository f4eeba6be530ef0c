"""Polymarket order execution: :class:`PolymarketExecutionEngine` and the pieces it is built from.

The engine lives in :mod:`~markets.polymarket.execution.engine` (its docstring describes the flow); the other
modules each hold one concern: ``checks``, ``submit``, ``tracker``, ``sync``, ``account``, ``fills``,
``heartbeat``, ``journal``, ``markets``, ``preflight`` and ``publish``.
"""

from markets.polymarket.execution.engine import PolymarketExecutionEngine, new_client_order_id

__all__ = ["PolymarketExecutionEngine", "new_client_order_id"]
