"""Account reads for the Polymarket engine: fill pages with a cursor, positions, balance, foreign orders.

- **Fills** come from ``/data/trades`` (``after`` = Unix seconds), each trade split into our parts
  (:mod:`markets.polymarket.execution.fills`) and deduplicated through the tracker, failed ones left out.
  The cursor is ours, opaque: the ``(time, trade id, client order id)`` key of the last fill returned;
  the next page re-reads from one second before it and skips everything up to and including it.
- **Positions**: the tokens we have traded (from ``/data/trades``), each with the venue's
  ``CONDITIONAL`` balance (``/balance-allowance``) as the quantity held, and the net pUSD paid and the
  fees from our fills. The Data API's ``/positions`` is not used: it is another host, not simulated,
  and the balance endpoint is what the venue itself checks orders against.
- **Balance**: ``COLLATERAL`` balance, less what the account's open BUY orders can still consume.

References
----------
venues.md §2.5 (``/data/trades``, ``/balance-allowance``).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from markets.base import BalanceReport, FillPage, FillReport, OrderReport, PositionReport
from markets.polymarket.execution.tracker import EXTERNAL, OrderTracker, Update
from markets.polymarket.trading import ClobTrader
from markets.polymarket.types import OrderUpdate, TradeUpdate
from shared.orders.state import OrderStatus

CursorKey = tuple[float, str, str]
BALANCE_QUERIES_IN_FLIGHT = 8


def encode_cursor(fill: FillReport) -> str:
    """The opaque cursor positioned just after ``fill``."""
    raw = json.dumps([fill.ts.timestamp(), fill.venue_trade_id, fill.client_order_id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> CursorKey:
    """The key a cursor encodes; ``ValueError`` when it is not one of ours."""
    try:
        ts, trade_id, coid = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(ts), str(trade_id), str(coid)
    except (ValueError, TypeError) as e:
        raise ValueError(f"not a Polymarket fill cursor: {cursor!r}") from e


def _key(fill: FillReport) -> CursorKey:
    return fill.ts.timestamp(), fill.venue_trade_id, fill.client_order_id


def fill_page(
    tracker: OrderTracker, trades: list[TradeUpdate], since: datetime | None, after_key: CursorKey | None
) -> FillPage:
    """Our valid fills in ``trades`` after ``since`` / the cursor key, oldest first, with the next cursor."""
    unique = {(f.venue_trade_id, f.client_order_id): f for f in tracker.fills_of(trades)}
    fills = sorted(unique.values(), key=_key)
    if since is not None:
        fills = [f for f in fills if f.ts >= since]
    if after_key is not None:
        fills = [f for f in fills if _key(f) > after_key]
    cursor = encode_cursor(fills[-1]) if fills else None
    return FillPage(tuple(fills), cursor)


async def read_fills(
    trader: ClobTrader, tracker: OrderTracker, since: datetime | None, cursor: str | None
) -> tuple[FillPage, list[Update]]:
    """One page of fills (see the module docstring) and the tracker changes the trades caused."""
    key = decode_cursor(cursor) if cursor else None
    after: int | None = None
    if key is not None:
        after = int(key[0]) - 1
    elif since is not None:
        after = int(since.timestamp())
    trades = await trader.trades(after=after)
    updates = tracker.on_trades(trades)
    page = fill_page(tracker, trades, since, key)
    return (page if page.fills or cursor is None else FillPage((), cursor)), updates


async def read_positions(trader: ClobTrader, tracker: OrderTracker) -> tuple[list[PositionReport], list[Update]]:
    """Positions in every token we have traded (see the module docstring)."""
    trades = await trader.trades()
    updates = tracker.on_trades(trades)
    cost: defaultdict[str, Decimal] = defaultdict(Decimal)
    fees: defaultdict[str, Decimal] = defaultdict(Decimal)
    markets: dict[str, str] = {}
    for fill in tracker.fills_of(trades):
        sign = Decimal(1) if fill.side == "buy" else Decimal(-1)
        cost[fill.outcome_id] += sign * fill.price * fill.quantity
        fees[fill.outcome_id] += fill.fee
        markets[fill.outcome_id] = fill.market_id
    limit = asyncio.Semaphore(BALANCE_QUERIES_IN_FLIGHT)

    async def held(token: str) -> Decimal:
        async with limit:
            return await trader.balance(token)

    tokens = sorted(markets)
    amounts = await asyncio.gather(*(held(t) for t in tokens))
    positions = [
        PositionReport(market_id=markets[t], outcome_id=t, quantity=q, cost=cost[t], fees_paid=fees[t])
        for t, q in zip(tokens, amounts, strict=True)
        if q != 0
    ]
    return positions, updates


async def read_balance(trader: ClobTrader) -> BalanceReport:
    """pUSD: the wallet balance and what is left after the account's open BUY orders."""
    total, orders = await asyncio.gather(trader.balance(), trader.open_orders())
    committed = sum((o.price * o.remaining for o in orders if o.side == "BUY"), Decimal(0))
    return BalanceReport(available=total - committed, total=total, currency="pUSD")


def foreign_report(row: OrderUpdate) -> OrderReport:
    """A venue order this engine did not place (another process on the same key, or lost in a restart)."""
    status = OrderStatus.ACCEPTED if row.size_matched == 0 else OrderStatus.PARTIALLY_FILLED
    if row.status not in ("LIVE", "DELAYED"):
        status = OrderStatus.FILLED if row.size_matched >= row.original_size else OrderStatus.CANCELED
    return OrderReport(
        client_order_id=f"{EXTERNAL}{row.order_id}",
        venue_order_id=row.order_id,
        status=status,
        quantity=row.original_size,
        filled_quantity=row.size_matched,
        avg_fill_price=None,
        market_id=row.market,
        outcome_id=row.asset_id,
        side="buy" if row.side == "BUY" else "sell",
        limit_price=row.price,
        venue_status=row.status.lower(),
    )
