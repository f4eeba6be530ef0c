"""A V2 order (the fields the exchange signs, plus ``expiration``) and its ``POST /order`` wire form.

The wire form is the library's (``order_to_json_v2``), key for key and type for type: ``salt`` and
``signatureType`` are JSON numbers, amounts, ``tokenId``, ``timestamp`` and ``expiration`` are strings,
``side`` is ``"BUY"``/``"SELL"``. The L2 HMAC covers the serialized body, so the key order matters.

References
----------
venues.md §2.5 (``POST /order`` body); py-clob-client-v2 ``order_utils/model/order_data_v2.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markets.polymarket.types import Side


@dataclass(frozen=True, slots=True)
class OrderV2:
    """An unsigned V2 order; numbers are exact ``int`` (amounts in 6-decimal fixed-point units)."""

    salt: int
    maker: str
    signer: str
    token_id: str
    maker_amount: int
    taker_amount: int
    side: Side
    signature_type: int
    timestamp_ms: int
    metadata: str
    builder: str
    expiration: int = 0
    """Unix seconds, 0 for none; sent on the wire but not part of the signed struct."""


@dataclass(frozen=True, slots=True)
class SignedOrderV2:
    """An order, its ``0x`` hex signature, and its EIP-712 hash (the venue's ``orderID``)."""

    order: OrderV2
    signature: str
    order_hash: str

    def wire(self) -> dict[str, Any]:
        """The ``order`` object of a ``POST /order`` body, exactly as py-clob-client-v2 writes it."""
        o = self.order
        return {
            "salt": o.salt,
            "maker": o.maker,
            "signer": o.signer,
            "tokenId": o.token_id,
            "makerAmount": str(o.maker_amount),
            "takerAmount": str(o.taker_amount),
            "side": o.side,
            "expiration": str(o.expiration),
            "signatureType": o.signature_type,
            "timestamp": str(o.timestamp_ms),
            "metadata": o.metadata,
            "builder": o.builder,
            "signature": self.signature,
        }


def post_body(
    order: SignedOrderV2, owner: str, order_type: str, *, post_only: bool = False, defer_exec: bool = False
) -> dict[str, Any]:
    """The ``POST /order`` body for ``order`` posted by API key ``owner`` (same keys, same order as the library)."""
    return {
        "order": order.wire(),
        "owner": owner,
        "orderType": order_type,
        "deferExec": defer_exec,
        "postOnly": post_only,
    }
