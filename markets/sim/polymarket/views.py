"""Per-token views of a market's single book, and the venue's book hash and JSON.

Both outcome tokens of a market trade against ONE price-time book kept in terms of token 0: buying
token 0 at ``p`` is a bid at ``p``; buying token 1 at ``p`` is an offer of token 0 at ``1 - p`` (the
venue's "mint" match), and so on. Token 1's book is therefore the mirror of token 0's — which is what
the real feed shows (one ``price_change`` carries ``BUY 0.08`` for one token and ``SELL 0.92`` for the
other; see the recorded hash sequence). Levels are listed worst to best, as the venue does.

The hash is written here independently of the client's implementation: sha1 of the compact JSON
``{market, asset_id, timestamp, hash: "", bids, asks, min_order_size, tick_size, neg_risk
[, last_trade_price]}`` (venues.md §2.3).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from markets.sim.common.orderbook import OrderBook
from markets.sim.polymarket.wire import text

Levels = list[tuple[Decimal, Decimal]]
ONE = Decimal(1)


def token_levels(book: OrderBook, index: int) -> tuple[Levels, Levels]:
    """``(bids, asks)`` of token ``index`` in wire order (bids ascending, asks descending)."""
    canon_bids, canon_asks = book.levels("buy"), book.levels("sell")  # best first
    if index == 0:
        bids, asks = canon_bids, canon_asks
    else:
        bids = [(ONE - p, s) for p, s in canon_asks]
        asks = [(ONE - p, s) for p, s in canon_bids]
    return sorted(bids), sorted(asks, reverse=True)


def book_hash(payload: dict[str, Any], *, with_last_trade_price: bool) -> str:
    """The venue's hash of a ``/book`` payload (its ``hash`` field is ignored)."""
    keys = ["market", "asset_id", "timestamp", "hash", "bids", "asks", "min_order_size", "tick_size", "neg_risk"]
    if with_last_trade_price:
        keys.append("last_trade_price")
    body = {k: ("" if k == "hash" else payload[k]) for k in keys}
    serialized = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha1(serialized.encode(), usedforsecurity=False).hexdigest()


def book_payload(
    *,
    market: str,
    asset_id: str,
    timestamp_ms: int,
    bids: Levels,
    asks: Levels,
    min_order_size: Decimal,
    tick_size: Decimal,
    neg_risk: bool,
    last_trade_price: str,
    with_last_trade_price: bool,
) -> dict[str, Any]:
    """``GET /book`` JSON for one token, hash filled in."""
    payload: dict[str, Any] = {
        "market": market,
        "asset_id": asset_id,
        "timestamp": str(timestamp_ms),
        "hash": "",
        "bids": [{"price": text(p), "size": text(s)} for p, s in bids],
        "asks": [{"price": text(p), "size": text(s)} for p, s in asks],
        "min_order_size": text(min_order_size),
        "tick_size": text(tick_size),
        "neg_risk": neg_risk,
        "last_trade_price": last_trade_price,
    }
    payload["hash"] = book_hash(payload, with_last_trade_price=with_last_trade_price)
    return payload
