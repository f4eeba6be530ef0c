"""The CLOB order-book hash, exactly as the venue computes it.

``hash = sha1(compact_json(payload))`` where ``payload`` has exactly this key order: ``market``,
``asset_id``, ``timestamp`` (a string), ``hash`` (the empty string), ``bids``, ``asks`` (each a list
of ``{"price", "size"}`` with the venue's own text, in wire order: worst to best), ``min_order_size``,
``tick_size``, ``neg_risk`` — and, in the newer form (py-clob-client ``generate_orderbook_summary_hash``,
Jan 2026), ``last_trade_price`` after ``neg_risk``. The older form is verified against recorded REST
books (Oct 2025); a client should accept either. The hash on a WS ``price_change`` item is the hash of
that token's book after the change, stamped with the message's timestamp.

References
----------
venues.md §2.3; Polymarket/py-clob-client ``utilities.generate_orderbook_summary_hash``;
hbr-l/polypy ``tests/orderbook/data/messages_hash.txt`` (recorded sequence used in our contract tests).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

TextLevel = tuple[str, str]
"""A level as the venue writes it: ``(price_text, size_text)``."""


def book_hash(
    *,
    market: str,
    asset_id: str,
    timestamp: str,
    bids: Sequence[TextLevel],
    asks: Sequence[TextLevel],
    min_order_size: str,
    tick_size: str,
    neg_risk: bool,
    last_trade_price: str | None = None,
) -> str:
    """The 40-hex SHA-1 book hash; pass ``last_trade_price`` for the newer form, ``None`` for the older.

    ``bids`` and ``asks`` must be in wire order (worst to best). Pure and deterministic.
    """
    payload: dict[str, Any] = {
        "market": market,
        "asset_id": asset_id,
        "timestamp": timestamp,
        "hash": "",
        "bids": [{"price": p, "size": s} for p, s in bids],
        "asks": [{"price": p, "size": s} for p, s in asks],
        "min_order_size": min_order_size,
        "tick_size": tick_size,
        "neg_risk": neg_risk,
    }
    if last_trade_price is not None:
        payload["last_trade_price"] = last_trade_price
    serialized = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha1(serialized.encode("utf-8"), usedforsecurity=False).hexdigest()


def candidate_hashes(
    *,
    market: str,
    asset_id: str,
    timestamp: str,
    bids: Sequence[TextLevel],
    asks: Sequence[TextLevel],
    min_order_size: str,
    tick_size: str,
    neg_risk: bool,
    last_trade_price: str | None,
) -> tuple[str, ...]:
    """Both accepted hash forms (older without, newer with ``last_trade_price`` when it is known)."""
    common: dict[str, Any] = {
        "market": market,
        "asset_id": asset_id,
        "timestamp": timestamp,
        "bids": bids,
        "asks": asks,
        "min_order_size": min_order_size,
        "tick_size": tick_size,
        "neg_risk": neg_risk,
    }
    older = book_hash(**common)
    if last_trade_price is None:
        return (older,)
    return older, book_hash(**common, last_trade_price=last_trade_price)
