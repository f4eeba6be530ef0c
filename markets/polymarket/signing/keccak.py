"""Keccak-256 (Ethereum's, not SHA3-256) through eth-hash's C backend (pycryptodome).

References
----------
eth-hash ``backends/pycryptodome.py``.
"""

from __future__ import annotations

from eth_hash.auto import keccak as _keccak


def keccak256(data: bytes) -> bytes:
    """The 32-byte Keccak-256 digest of ``data``."""
    return _keccak(data)
