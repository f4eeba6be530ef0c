"""Our fills inside a Polymarket trade: which parts of a trade are ours, at what price, size and fee.

One trade (``/data/trades`` row or user-channel ``trade`` event) matches one taker order against one or
more maker orders, possibly across the two tokens of a market (a BUY of YES against a BUY of NO). Each
of *our* orders in it gets its own fill, keyed ``(trade_id, order hash)`` (R07): the taker part when we
were the taker, one part per maker order of ours otherwise (or as well, on a self-cross).

The fee is the market's published formula (:func:`shared.fees.polymarket_fee`): the taker pays
``size x rate x (p(1-p))**exponent`` at its fill price, the maker nothing on a taker-only schedule.

Settlement (R08): ``MATCHED`` and ``MINED``/``RETRYING`` are provisional exposure, ``CONFIRMED`` final,
``FAILED`` voids the fill. Statuses only move forward (:func:`advances`), so a stale REST row never undoes
what the WebSocket already said, nor the reverse.

References
----------
https://docs.polymarket.com/market-data/websocket/user-channel ; https://docs.polymarket.com/trading/fees ;
reliability.md R06-R08 (nautilus #3450, #3345, #3126; PR #4692).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from markets.polymarket.types import TradeUpdate
from shared.fees import PolymarketFeeSchedule, polymarket_fee

FINAL_TRADE_STATUSES = frozenset({"CONFIRMED", "FAILED"})
_RANK = {"MATCHED": 0, "MINED": 1, "RETRYING": 1, "CONFIRMED": 2, "FAILED": 2}
BPS = Decimal(10_000)


@dataclass(frozen=True, slots=True)
class FillPart:
    """One of our orders' share of one trade."""

    trade_id: str
    order_id: str
    market_id: str
    token_id: str
    side: Literal["buy", "sell"] | None
    price: Decimal
    size: Decimal
    liquidity: Literal["maker", "taker"]
    status: str
    ts: datetime
    fee_rate_bps: Decimal | None

    def fee(self, schedule: PolymarketFeeSchedule | None) -> Decimal:
        """pUSD fee of this part under ``schedule`` (or the trade's ``fee_rate_bps`` with exponent 1)."""
        if schedule is None:
            rate = (self.fee_rate_bps or Decimal(0)) / BPS
            schedule = PolymarketFeeSchedule(rate=rate, exponent=1, taker_only=True)
        return polymarket_fee(self.price, self.size, schedule, maker=self.liquidity == "maker")


def advances(current: str, new: str) -> bool:
    """True when trade status ``new`` may replace ``current`` (forward only; final statuses never move)."""
    if current == new or current in FINAL_TRADE_STATUSES:
        return False
    return _RANK.get(new, 0) >= _RANK.get(current, 0)


def is_provisional(status: str) -> bool:
    """MATCHED / MINED / RETRYING: matched but not yet final on chain."""
    return status not in FINAL_TRADE_STATUSES


def trade_time(trade: TradeUpdate) -> datetime:
    """When the trade matched (``match_time`` seconds, else the event's ms timestamp, else now)."""
    if trade.match_time is not None:
        return datetime.fromtimestamp(trade.match_time, UTC)
    if trade.timestamp_ms is not None:
        return datetime.fromtimestamp(trade.timestamp_ms / 1000, UTC)
    return datetime.now(UTC)


def _lower(side: str | None) -> Literal["buy", "sell"] | None:
    if side == "BUY":
        return "buy"
    if side == "SELL":
        return "sell"
    return None


def our_parts(trade: TradeUpdate, *, api_key: str | None, funder: str | None, known: set[str]) -> list[FillPart]:
    """The parts of ``trade`` that belong to us.

    Parameters
    ----------
    trade
        A parsed trade.
    api_key, funder
        Our API key and funding address: maker orders carrying either are ours.
    known
        Order hashes we placed (a taker or maker order with one of these ids is ours whatever the labels).
    """
    ts = trade_time(trade)
    status = trade.status.upper()
    parts: list[FillPart] = []
    taker_ours = trade.taker_order_id in known or (
        trade.trader_side == "TAKER" and (api_key is None or trade.owner in (None, api_key))
    )
    if trade.taker_order_id and taker_ours:
        parts.append(
            FillPart(
                trade.trade_id,
                trade.taker_order_id,
                trade.market,
                trade.asset_id,
                _lower(trade.side),
                trade.price,
                trade.size,
                "taker",
                status,
                ts,
                trade.fee_rate_bps,
            )  # fmt: skip
        )
    funder_l = funder.lower() if funder else None
    for maker in trade.maker_orders:
        mine = maker.order_id in known or (api_key is not None and maker.owner == api_key)
        mine = mine or (funder_l is not None and (maker.maker_address or "").lower() == funder_l)
        if mine and maker.order_id != trade.taker_order_id:
            parts.append(
                FillPart(
                    trade.trade_id,
                    maker.order_id,
                    trade.market,
                    maker.asset_id or trade.asset_id,
                    _lower(maker.side),
                    maker.price,
                    maker.matched_amount,
                    "maker",
                    status,
                    ts,
                    maker.fee_rate_bps,
                )  # fmt: skip
            )
    return [p for p in parts if p.size > 0]
