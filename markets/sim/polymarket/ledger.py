"""Simulated balances: pUSD collateral and outcome-token positions per funder address.

Every new address starts with ``starting_balance`` pUSD (so a fresh client can trade at once); the
control API can set any balance. Funds committed to open orders are not moved: availability is
computed as balance minus what open orders of the address could still consume, which is what the
venue's ``not enough balance / allowance`` check enforces.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal


class Ledger:
    """Balances and positions (addresses compared case-insensitively)."""

    def __init__(self, starting_balance: Decimal) -> None:
        self.starting_balance = starting_balance
        self._collateral: dict[str, Decimal] = {}
        self._tokens: defaultdict[str, defaultdict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    def collateral(self, address: str) -> Decimal:
        """pUSD balance of ``address``."""
        return self._collateral.setdefault(address.lower(), self.starting_balance)

    def position(self, address: str, token_id: str) -> Decimal:
        """Shares of ``token_id`` held by ``address``."""
        return self._tokens[address.lower()][token_id]

    def positions(self, address: str) -> dict[str, Decimal]:
        """Every non-zero position of ``address``."""
        return {t: q for t, q in self._tokens[address.lower()].items() if q != 0}

    def move_collateral(self, address: str, amount: Decimal) -> None:
        """Add (or, negative, remove) pUSD."""
        self._collateral[address.lower()] = self.collateral(address) + amount

    def move_tokens(self, address: str, token_id: str, amount: Decimal) -> None:
        """Add (or, negative, remove) shares."""
        self._tokens[address.lower()][token_id] += amount

    def set_balance(self, address: str, collateral: Decimal | None, tokens: dict[str, Decimal]) -> None:
        """Control API: set collateral and positions outright."""
        if collateral is not None:
            self._collateral[address.lower()] = collateral
        for token, amount in tokens.items():
            self._tokens[address.lower()][token] = amount

    def holders(self, token_id: str) -> list[tuple[str, Decimal]]:
        """``(address, shares)`` of everyone holding ``token_id``."""
        return [(a, t[token_id]) for a, t in self._tokens.items() if t.get(token_id)]
