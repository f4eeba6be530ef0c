"""The simulated Polymarket CLOB: markets, one price-time book per market, orders, trades, balances.

All state lives on the event loop (no threads), so every operation is atomic. Each operation that
changes a book publishes, in this order, ``last_trade_price`` for its trades and one ``price_change``
carrying the new level totals of both tokens, each item with that token's book hash after the change
(see :mod:`markets.sim.polymarket.views` for the mirrored per-token books). Private ``order`` and
``trade`` events go to the owners' user channels; trades then move ``MATCHED -> MINED -> CONFIRMED``.

Sports markets with a matching delay answer a marketable order ``delayed`` and match it after the
delay, as the venue does. ``fail_next_trades`` makes the next trades settle ``MATCHED -> RETRYING ->
FAILED`` instead: their balance movements are reversed (the orders keep their ``size_matched``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from markets.sim.common.orderbook import BookOrder, Match, OrderBook
from markets.sim.polymarket.hub import EventHub, MarketMessage, Scheduler, UserMessage
from markets.sim.polymarket.ledger import Ledger
from markets.sim.polymarket.market import SimMarket
from markets.sim.polymarket.records import SimOrder, SimTrade
from markets.sim.polymarket.views import book_payload, token_levels
from markets.sim.polymarket.wire import text
from shared.fees import polymarket_fee

MAKER_OWNER = "sim-maker"
MAKER_ADDRESS = "0x00000000000000000000000000000000000000aa"
HEARTBEAT_TIMEOUT_S = 10.0
GTD_BUFFER_S = 60
GTD_MIN_LIFE_S = 180  # the venue wants 3 minutes of life beyond the buffer: expiration >= now + 60 + 180
MARKET_BUY_PRECISION_ERROR = (
    "invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, "
    "taker amount a max of 4 decimals"
)


class HeartbeatRefused(Exception):
    """A heartbeat with a stale id; ``expected`` is the id the venue wants (sent back in the 400 body)."""

    def __init__(self, expected: str) -> None:
        super().__init__("Invalid Heartbeat ID")
        self.expected = expected


class OrderError(Exception):
    """A refusal in the venue's words (``{"error": message}`` with ``status``)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Exchange:
    """The matching engine and its books, orders, trades and balances."""

    def __init__(
        self,
        *,
        hub: EventHub,
        scheduler: Scheduler,
        ledger: Ledger,
        hash_with_last_trade_price: bool = True,
        mine_delay_s: float = 0.3,
        confirm_delay_s: float = 0.6,
        heartbeat_timeout_s: float = HEARTBEAT_TIMEOUT_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.hub, self.scheduler, self.ledger = hub, scheduler, ledger
        self.hash_with_ltp = hash_with_last_trade_price
        self.mine_delay_s, self.confirm_delay_s = mine_delay_s, confirm_delay_s
        self._clock = clock
        self.markets: dict[str, SimMarket] = {}
        self.tokens: dict[str, tuple[SimMarket, int]] = {}
        self.books: dict[str, OrderBook] = {}
        self.book_ts_ms: dict[str, int] = {}
        self.last_trade: dict[str, str] = {}
        self.orders: dict[str, SimOrder] = {}
        self.trades: dict[str, SimTrade] = {}
        self.heartbeats: dict[str, float] = {}
        self.heartbeat_ids: dict[str, str] = {}
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self.fail_next_trades = 0
        self._settlements: dict[str, list[tuple[str, str, Decimal, Decimal]]] = {}

    # -- markets -------------------------------------------------------------------------------------

    def now_ms(self) -> int:
        """Exchange time in ms."""
        return int(self._clock() * 1000)

    def add_market(self, market: SimMarket) -> SimMarket:
        """Open ``market`` for trading (idempotent on its condition id)."""
        if market.condition_id in self.markets:
            return self.markets[market.condition_id]
        self.markets[market.condition_id] = market
        for i, token in enumerate(market.token_ids):
            self.tokens[token] = (market, i)
            self.last_trade[token] = ""
        self.books[market.condition_id] = OrderBook(market.condition_id)
        self.book_ts_ms[market.condition_id] = self.now_ms()
        return market

    def token(self, token_id: str) -> tuple[SimMarket, int]:
        """The market and outcome index of ``token_id``; ``KeyError`` if unknown."""
        return self.tokens[token_id]

    def book_json(self, token_id: str) -> dict[str, Any]:
        """``GET /book`` for ``token_id``."""
        market, index = self.tokens[token_id]
        bids, asks = token_levels(self.books[market.condition_id], index)
        return book_payload(
            market=market.condition_id,
            asset_id=token_id,
            timestamp_ms=self.book_ts_ms[market.condition_id],
            bids=bids,
            asks=asks,
            min_order_size=market.min_order_size,
            tick_size=market.tick_size,
            neg_risk=market.neg_risk,
            last_trade_price=self.last_trade[token_id],
            with_last_trade_price=self.hash_with_ltp,
        )

    def top(self, token_id: str) -> tuple[Decimal | None, Decimal | None]:
        """Best bid and ask of ``token_id``."""
        market, index = self.tokens[token_id]
        bids, asks = token_levels(self.books[market.condition_id], index)
        return (bids[-1][0] if bids else None), (asks[-1][0] if asks else None)

    # -- orders --------------------------------------------------------------------------------------

    def submit(self, order: SimOrder, *, post_only: bool = False) -> dict[str, Any]:
        """Accept, match and rest ``order``; returns the ``POST /order`` body. Raises :class:`OrderError`."""
        self._validate(order)
        book = self.books[order.market.condition_id]
        side, price = order.canonical()
        available = book.fillable(side, price)
        if post_only and available > 0:
            raise OrderError("invalid post-only order: order crosses book")
        if order.order_type == "FOK" and available < order.size:
            raise OrderError("order couldn't be fully filled. FOK orders are fully filled or killed.")
        if order.order_type == "FAK" and available == 0:
            raise OrderError(
                "no orders found to match with FAK order. "
                "FAK orders are partially filled or killed if no match is found."
            )
        self.orders[order.order_id] = order
        if order.order_type == "GTD" and order.expiration:
            due = order.expiration - GTD_BUFFER_S - self._clock()
            self.scheduler.call_later(max(0.0, due), lambda: self._expire(order))
        if available > 0 and order.market.matching_delay_s > 0 and not order.bot:
            order.status = "DELAYED"
            self._user(order, "PLACEMENT")
            self.scheduler.call_later(order.market.matching_delay_s, lambda: self._run_delayed(order))
            return _response(order, "delayed", [])
        before = self._levels(order.market)
        trades = self._execute(order)
        self._publish_changes(order.market, before, trades)
        return _response(order, "matched" if trades else "live", trades)

    def _validate(self, o: SimOrder) -> None:
        m = o.market
        if m.closed or not m.accepting_orders:
            raise OrderError(f"market {m.condition_id} is not accepting orders")
        if o.order_id in self.orders:
            raise OrderError(f"order {o.order_id} is invalid. Duplicated.")
        if o.order_type in ("GTC", "GTD") and (o.price % m.tick_size) != 0:
            raise OrderError(
                f"order {o.order_id} is invalid. "
                f"Price ({text(o.price)}) breaks minimum tick size rule: {text(m.tick_size)}"
            )
        if o.order_type in ("FOK", "FAK"):
            o.price = (o.price / m.tick_size).to_integral_value(ROUND_HALF_EVEN) * m.tick_size
        if not m.tick_size <= o.price <= 1 - m.tick_size:
            raise OrderError(f"order {o.order_id} is invalid. Price ({text(o.price)}) out of range")
        if o.size < m.min_order_size and not o.bot:
            raise OrderError(
                f"order {o.order_id} is invalid. Size ({text(o.size)}) lower than the minimum: {text(m.min_order_size)}"
            )
        if o.order_type == "GTD" and o.expiration < self._clock() + GTD_BUFFER_S + GTD_MIN_LIFE_S:
            raise OrderError("invalid expiration")
        if not o.bot and not self._funds_ok(o):
            raise OrderError("not enough balance / allowance")

    def _funds_ok(self, o: SimOrder) -> bool:
        open_same = [x for x in self.orders.values() if x.is_open and x.address.lower() == o.address.lower()]
        if o.side == "BUY":
            committed = sum(
                (x.price * x.remaining + self._fee(x, x.remaining) for x in open_same if x.side == "BUY"), Decimal(0)
            )
            return o.price * o.size + self._fee(o, o.size) <= self.ledger.collateral(o.address) - committed
        committed = sum((x.remaining for x in open_same if x.side == "SELL" and x.token_id == o.token_id), Decimal(0))
        return o.size <= self.ledger.position(o.address, o.token_id) - committed

    def _fee(self, o: SimOrder, size: Decimal) -> Decimal:
        return polymarket_fee(o.price, size, o.market.fee) if size > 0 else Decimal(0)

    def _run_delayed(self, order: SimOrder) -> None:
        if order.status != "DELAYED":
            return
        order.status = "LIVE"
        if order.order_type == "FOK":
            side, price = order.canonical()
            if self.books[order.market.condition_id].fillable(side, price) < order.size:
                self._close(order, "CANCELED")
                return
        before = self._levels(order.market)
        trades = self._execute(order)
        self._publish_changes(order.market, before, trades)

    def _execute(self, order: SimOrder) -> list[SimTrade]:
        book = self.books[order.market.condition_id]
        side, price = order.canonical()
        taker = BookOrder(order_id=order.order_id, owner=order.owner, side=side, price=price, quantity=order.remaining)
        trades = [self._fill(order, match) for match in book.match(taker, self_trade="allow")]
        if taker.left > 0 and order.order_type in ("GTC", "GTD"):
            book.rest(taker)
            order.status = "LIVE"
            if not order.bot:
                self._user(order, "UPDATE" if trades else "PLACEMENT")
        elif taker.left > 0:
            self._close(order, "CANCELED")
        else:
            order.status = "MATCHED"
            if not order.bot:
                self._user(order, "UPDATE")
        return trades

    def _fill(self, taker: SimOrder, match: Match) -> SimTrade:
        maker = self.orders[match.maker.order_id]
        now = int(self._clock())
        trade = SimTrade(
            trade_id=str(uuid.uuid4()),
            taker=taker,
            maker=maker,
            size=match.quantity,
            price0=match.price,
            match_time_s=now,
            fee_rate_bps=int(taker.market.fee.rate * 10_000),
        )
        moves = self._settlements.setdefault(trade.trade_id, [])
        for order, is_taker in ((taker, True), (maker, False)):
            order.matched += match.quantity
            order.trades.append(trade.trade_id)
            moves.extend(self._settle_fill(order, match.quantity, trade.price_for(order), is_taker))
        if maker.remaining == 0:
            maker.status = "MATCHED"
        if not maker.bot:
            self._user(maker, "UPDATE")
        self.trades[trade.trade_id] = trade
        price0 = match.price
        self.last_trade[taker.market.token_ids[0]] = text(price0)
        self.last_trade[taker.market.token_ids[1]] = text(Decimal(1) - price0)
        taker.market.volume += match.quantity * trade.price_for(taker)
        self._publish_trade(trade)
        path = ("MINED", "CONFIRMED")
        if self.fail_next_trades > 0 and not (taker.bot and maker.bot):
            path, self.fail_next_trades = ("RETRYING", "FAILED"), self.fail_next_trades - 1
        self.scheduler.call_later(self.mine_delay_s, lambda: self._advance(trade, path[0]))
        self.scheduler.call_later(self.mine_delay_s + self.confirm_delay_s, lambda: self._advance(trade, path[1]))
        return trade

    def _settle_fill(
        self, o: SimOrder, quantity: Decimal, price: Decimal, is_taker: bool
    ) -> list[tuple[str, str, Decimal, Decimal]]:
        if o.bot:
            return []
        fee = polymarket_fee(price, quantity, o.market.fee, maker=not is_taker)
        notional = price * quantity
        sign = Decimal(1) if o.side == "BUY" else Decimal(-1)
        self.ledger.move_collateral(o.address, -sign * notional - fee)
        self.ledger.move_tokens(o.address, o.token_id, sign * quantity)
        return [(o.address, o.token_id, -sign * notional - fee, sign * quantity)]

    def _advance(self, trade: SimTrade, status: str) -> None:
        trade.status = status  # type: ignore[assignment]
        trade.last_update_s = int(self._clock())
        moves = self._settlements.pop(trade.trade_id, []) if status in ("CONFIRMED", "FAILED") else []
        if status == "FAILED":  # the settlement transaction failed: undo the balance movements
            for address, token, collateral, shares in moves:
                self.ledger.move_collateral(address, -collateral)
                self.ledger.move_tokens(address, token, -shares)
        self._publish_trade(trade)

    def _expire(self, order: SimOrder) -> None:
        if order.is_open:
            self._cancel_one(order, "CANCELED")

    # -- cancels -------------------------------------------------------------------------------------

    def cancel(self, owner: str, order_ids: Iterable[str]) -> dict[str, Any]:
        """Cancel ``order_ids`` of ``owner``: ``{"canceled": [...], "not_canceled": {id: reason}}``."""
        canceled: list[str] = []
        not_canceled: dict[str, str] = {}
        for order_id in order_ids:
            order = self.orders.get(order_id)
            if order is None or order.owner != owner:
                not_canceled[order_id] = "order not found"
            elif not order.is_open:
                not_canceled[order_id] = "order can't be canceled: already matched or canceled"
            else:
                self._cancel_one(order, "CANCELED")
                canceled.append(order_id)
        return {"canceled": canceled, "not_canceled": not_canceled}

    def open_orders_of(self, owner: str, market: str | None = None, asset_id: str | None = None) -> list[SimOrder]:
        """Open orders of ``owner`` (optionally in one market / token)."""
        return [
            o
            for o in self.orders.values()
            if o.owner == owner
            and o.is_open
            and (not market or o.market.condition_id == market)
            and (not asset_id or o.token_id == asset_id)
        ]

    def _cancel_one(self, order: SimOrder, status: str) -> None:
        before = self._levels(order.market)
        self.books[order.market.condition_id].cancel(order.order_id)
        self._close(order, status)
        self._publish_changes(order.market, before, [])

    def _close(self, order: SimOrder, status: str) -> None:
        order.status = status
        if not order.bot:
            self._user(order, "CANCELLATION")

    def heartbeat(self, owner: str, heartbeat_id: str = "") -> str:
        """Arm or refresh the dead-man switch of ``owner``; returns the next heartbeat id.

        Like the venue, the id rotates on every beat: once armed, a beat must carry the id the last answer
        gave, else :class:`HeartbeatRefused` names the expected one and the switch is **not** refreshed.
        """
        expected = self.heartbeat_ids.get(owner)
        if owner in self.heartbeats and expected is not None and heartbeat_id != expected:
            raise HeartbeatRefused(expected)
        self.heartbeats[owner] = self._clock()
        self.heartbeat_ids[owner] = str(uuid.uuid4())
        return self.heartbeat_ids[owner]

    def check_heartbeats(self) -> None:
        """Cancel every open order of owners whose heartbeat lapsed (> ``heartbeat_timeout_s``, venue: 10 s)."""
        for owner, seen in list(self.heartbeats.items()):
            if self._clock() - seen > self.heartbeat_timeout_s:
                del self.heartbeats[owner]
                self.heartbeat_ids.pop(owner, None)
                self.cancel(owner, [o.order_id for o in self.open_orders_of(owner)])

    # -- makers, settlement, tick changes ---------------------------------------------------------------

    def replace_quotes(self, market: SimMarket, orders: list[SimOrder]) -> None:
        """Swap the simulated makers' orders in ``market`` for ``orders`` (one ``price_change``)."""
        before = self._levels(market)
        book = self.books[market.condition_id]
        for old in [o for o in self.orders.values() if o.bot and o.is_open and o.market is market]:
            book.cancel(old.order_id)
            old.status = "CANCELED"
            del self.orders[old.order_id]
        trades: list[SimTrade] = []
        for order in orders:
            self.orders[order.order_id] = order
            trades.extend(self._execute(order))
        self._publish_changes(market, before, trades)

    def settle(self, market: SimMarket, winner_index: int) -> None:
        """Resolve ``market``: cancel its orders, pay 1 pUSD per winning share, close it."""
        for order in [o for o in self.orders.values() if o.is_open and o.market is market]:
            self._cancel_one(order, "RESOLVED")
        market.winner_index, market.closed, market.accepting_orders = winner_index, True, False
        for index, token in enumerate(market.token_ids):
            for address, shares in self.ledger.holders(token):
                if index == winner_index:
                    self.ledger.move_collateral(address, shares)
                self.ledger.move_tokens(address, token, -shares)
        winner = market.token_ids[winner_index]
        payload = {
            "event_type": "market_resolved",
            "id": market.id,
            "market": market.condition_id,
            "assets_ids": list(market.token_ids),
            "winning_asset_id": winner,
            "winning_outcome": market.outcomes[winner_index],
            "timestamp": str(self.now_ms()),
        }
        self.hub.publish(MarketMessage(payload, frozenset(market.token_ids), custom_feature=True))

    def set_tick_size(self, market: SimMarket, new_tick: Decimal) -> None:
        """Change the market's tick and announce it on both tokens."""
        old, market.tick_size = market.tick_size, new_tick
        for token in market.token_ids:
            payload = {
                "event_type": "tick_size_change",
                "asset_id": token,
                "market": market.condition_id,
                "old_tick_size": text(old),
                "new_tick_size": text(new_tick),
                "timestamp": str(self.now_ms()),
            }
            self.hub.publish(MarketMessage(payload, frozenset({token})))

    # -- publishing ----------------------------------------------------------------------------------

    def _levels(self, market: SimMarket) -> dict[tuple[str, Decimal], Decimal]:
        book = self.books[market.condition_id]
        return {**{("buy", p): s for p, s in book.levels("buy")}, **{("sell", p): s for p, s in book.levels("sell")}}

    def _publish_changes(
        self, market: SimMarket, before: dict[tuple[str, Decimal], Decimal], trades: list[SimTrade]
    ) -> None:
        after = self._levels(market)
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        if not changed:
            return
        ts = max(self.now_ms(), self.book_ts_ms[market.condition_id] + 1)
        self.book_ts_ms[market.condition_id] = ts
        hashes = {token: self.book_json(token)["hash"] for token in market.token_ids}
        tops = {token: self.top(token) for token in market.token_ids}
        items = []
        for side, price in changed:
            size = text(after.get((side, price), Decimal(0)))
            for token, token_side, token_price in (
                (market.token_ids[0], "BUY" if side == "buy" else "SELL", price),
                (market.token_ids[1], "SELL" if side == "buy" else "BUY", Decimal(1) - price),
            ):
                bid, ask = tops[token]
                items.append(
                    {
                        "asset_id": token,
                        "price": text(token_price),
                        "size": size,
                        "side": token_side,
                        "hash": hashes[token],
                        "best_bid": text(bid) if bid is not None else "0",
                        "best_ask": text(ask) if ask is not None else "1",
                    }
                )
        payload = {
            "event_type": "price_change",
            "market": market.condition_id,
            "price_changes": items,
            "timestamp": str(ts),
        }
        self.hub.publish(MarketMessage(payload, frozenset(market.token_ids)))

    def _publish_trade(self, trade: SimTrade) -> None:
        now = self.now_ms()
        if trade.status == "MATCHED":
            market = trade.taker.market
            for token in market.token_ids:
                payload = {
                    "event_type": "last_trade_price",
                    "asset_id": token,
                    "market": market.condition_id,
                    "price": self.last_trade[token],
                    "size": text(trade.size),
                    "side": trade.taker.side,
                    "fee_rate_bps": str(trade.fee_rate_bps),
                    "timestamp": str(now),
                    "transaction_hash": trade.transaction_hash,
                }
                self.hub.publish(MarketMessage(payload, frozenset({token})))
        for owner in dict.fromkeys((trade.taker.owner, trade.maker.owner)):
            if owner != MAKER_OWNER:
                body = trade.json_for(owner, as_event=True, now_ms=now)
                self.hub.publish(UserMessage(body, owner, trade.taker.market.condition_id))

    def _user(self, order: SimOrder, kind: str) -> None:
        self.hub.publish(UserMessage(order.event_json(kind, self.now_ms()), order.owner, order.market.condition_id))


def _response(order: SimOrder, status: str, trades: list[SimTrade]) -> dict[str, Any]:
    filled = sum((t.size for t in trades), Decimal(0))
    notional = sum((t.size * t.price_for(order) for t in trades), Decimal(0))
    making, taking = (notional, filled) if order.side == "BUY" else (filled, notional)
    return {
        "success": True,
        "errorMsg": "",
        "orderID": order.order_id,
        "status": status,
        "makingAmount": text(making) if trades else "",
        "takingAmount": text(taking) if trades else "",
        "transactionsHashes": [t.transaction_hash for t in trades],
        "tradeIDs": [t.trade_id for t in trades],
    }
