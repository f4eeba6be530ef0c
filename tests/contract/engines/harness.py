"""The harness every execution-engine contract test runs through.

Each engine (Kalshi, Polymarket, paper on either venue's book) provides a fixture named
``<name>_harness`` (module ``harness_<venue>.py`` in this folder) that starts what it needs (a
simulator over loopback), builds the production engine, and yields an :class:`EngineHarness`. The
scenarios in ``test_engine_contract.py`` then run unchanged against every engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from markets.base import ExecutionEngine


class Counterparty(Protocol):
    """Another account on the same venue (or the book the paper engine reads)."""

    async def offer(self, price: Decimal, quantity: Decimal) -> None:
        """Make ``quantity`` available to buy at ``price`` (a resting sell that crosses our resting buy)."""
        ...


@dataclass
class EngineHarness:
    """A started engine and a quiet market to trade in.

    ``market_id``/``outcome_id`` name an instrument whose best ask is well above ``rest_price`` (so a buy
    at ``rest_price`` rests) and where ``counterparty.offer`` can cross it. ``tick`` and ``min_size`` are the
    market's; ``balance`` is the engine's cash (an order above it must be refused).
    """

    name: str
    engine: ExecutionEngine
    counterparty: Counterparty
    market_id: str
    outcome_id: str
    rest_price: Decimal
    tick: Decimal
    min_size: Decimal
    balance: Decimal
    unknown_market_id: str
