"""Orders and trades held by the simulated exchange, and their JSON in the venue's shapes.

REST ``OpenOrder`` rows use ``ORDER_STATUS_*`` (current docs); user-channel events use ``LIVE`` /
``MATCHED`` / ``CANCELED`` and numeric timestamps, as in recorded captures. Sizes are written in shares
(as the captures show), not the 6-decimal fixed-math some doc examples use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from markets.sim.polymarket.market import SimMarket
from markets.sim.polymarket.wire import text

Side = Literal["BUY", "SELL"]
TradeStatus = Literal["MATCHED", "MINED", "CONFIRMED", "RETRYING", "FAILED"]


@dataclass
class SimOrder:
    """One order: its own token, side and price (the book keeps the canonical token-0 equivalent)."""

    order_id: str
    owner: str
    address: str
    market: SimMarket
    index: int
    side: Side
    price: Decimal
    size: Decimal
    order_type: str
    created_at_s: int
    expiration: int = 0
    matched: Decimal = Decimal(0)
    status: str = "LIVE"
    trades: list[str] = field(default_factory=list)
    bot: bool = False

    @property
    def token_id(self) -> str:
        """The order's token."""
        return self.market.token_ids[self.index]

    @property
    def remaining(self) -> Decimal:
        """Shares still open."""
        return self.size - self.matched

    @property
    def is_open(self) -> bool:
        """Live or waiting out the matching delay."""
        return self.status in ("LIVE", "DELAYED")

    def canonical(self) -> tuple[Literal["buy", "sell"], Decimal]:
        """The token-0 side and price this order takes in the market's single book."""
        if self.index == 0:
            return ("buy" if self.side == "BUY" else "sell"), self.price
        return ("sell" if self.side == "BUY" else "buy"), Decimal(1) - self.price

    def rest_json(self) -> dict[str, Any]:
        """``GET /data/orders`` / ``/data/order/{id}`` row."""
        status = "CANCELED_MARKET_RESOLVED" if self.status == "RESOLVED" else self.status
        return {
            "id": self.order_id,
            "status": f"ORDER_STATUS_{'LIVE' if status == 'DELAYED' else status}",
            "owner": self.owner,
            "maker_address": self.address,
            "market": self.market.condition_id,
            "asset_id": self.token_id,
            "side": self.side,
            "original_size": text(self.size),
            "size_matched": text(self.matched),
            "price": text(self.price),
            "outcome": self.market.outcomes[self.index],
            "expiration": str(self.expiration),
            "order_type": self.order_type,
            "associate_trades": list(self.trades),
            "created_at": self.created_at_s,
        }

    def event_json(self, kind: str, now_ms: int) -> dict[str, Any]:
        """User-channel ``order`` event of type ``kind`` (PLACEMENT, UPDATE, CANCELLATION)."""
        status = {"DELAYED": "LIVE", "RESOLVED": "CANCELED"}.get(self.status, self.status)
        return {
            "event_type": "order",
            "type": kind,
            "id": self.order_id,
            "owner": self.owner,
            "order_owner": self.owner,
            "market": self.market.condition_id,
            "asset_id": self.token_id,
            "side": self.side,
            "original_size": text(self.size),
            "size_matched": text(self.matched),
            "price": text(self.price),
            "outcome": self.market.outcomes[self.index],
            "order_type": self.order_type,
            "status": status,
            "maker_address": self.address,
            "associate_trades": list(self.trades) or None,
            "created_at": self.created_at_s,
            "expiration": self.expiration,
            "timestamp": now_ms,
        }


@dataclass
class SimTrade:
    """One match between a taker order and one maker order."""

    trade_id: str
    taker: SimOrder
    maker: SimOrder
    size: Decimal
    price0: Decimal
    match_time_s: int
    fee_rate_bps: int
    status: TradeStatus = "MATCHED"
    last_update_s: int = 0

    @property
    def transaction_hash(self) -> str:
        """A deterministic stand-in for the settlement transaction hash."""
        return "0x" + hashlib.sha256(f"tx|{self.trade_id}".encode()).hexdigest()

    def price_for(self, order: SimOrder) -> Decimal:
        """The execution price in ``order``'s own token (the maker's price; the taker gets any improvement)."""
        return self.price0 if order.index == 0 else Decimal(1) - self.price0

    def involves(self, owner: str) -> bool:
        """True when ``owner`` was taker or maker."""
        return owner in (self.taker.owner, self.maker.owner)

    def json_for(self, owner: str, *, as_event: bool, now_ms: int) -> dict[str, Any]:
        """The trade as ``owner`` sees it (``trader_side`` TAKER or MAKER)."""
        t, m = self.taker, self.maker
        body: dict[str, Any] = {
            "id": self.trade_id,
            "taker_order_id": t.order_id,
            "market": t.market.condition_id,
            "asset_id": t.token_id,
            "side": t.side,
            "size": text(self.size),
            "fee_rate_bps": str(self.fee_rate_bps),
            "price": text(self.price_for(t)),
            "status": self.status,
            "match_time": self.match_time_s,
            "last_update": self.last_update_s or self.match_time_s,
            "outcome": t.market.outcomes[t.index],
            "bucket_index": 0,
            "owner": owner,
            "trade_owner": owner,
            "maker_address": t.address,
            "transaction_hash": self.transaction_hash,
            "maker_orders": [
                {
                    "order_id": m.order_id,
                    "owner": m.owner,
                    "maker_address": m.address,
                    "matched_amount": text(self.size),
                    "price": text(self.price_for(m)),
                    "fee_rate_bps": "0",
                    "asset_id": m.token_id,
                    "outcome": m.market.outcomes[m.index],
                    "side": m.side,
                }
            ],
            "trader_side": "TAKER" if owner == t.owner else "MAKER",
        }
        if as_event:
            body = {"event_type": "trade", "type": "TRADE", **body, "timestamp": now_ms}
        return body
