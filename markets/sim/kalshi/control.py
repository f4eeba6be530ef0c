"""Kalshi-specific ``/_sim`` control routes: create markets, move prices, set a book, settle, inspect.

Next to the shared ``/_sim/health`` and ``/_sim/faults`` (:func:`markets.sim.common.control.control_router`):

- ``POST /_sim/markets`` — open a market (and its series/event when new), optionally quoted by makers
  around ``fair``;
- ``GET /_sim/markets`` — tickers with their replayed game ids;
- ``POST /_sim/markets/{ticker}/fair`` — pin the makers' fair price and requote now;
- ``POST /_sim/markets/{ticker}/book`` — replace the makers' resting orders with exact YES/NO bid levels;
- ``POST /_sim/markets/{ticker}/status`` — change the market status (``active``, ``inactive``, ``closed``);
  closing cancels the orders resting there as the venue does (``cancel_resting: false`` holds that back);
- ``POST /_sim/markets/{ticker}/cancel_resting`` — the venue's own cancellation of what rests on a closed market;
- ``POST /_sim/markets/{ticker}/settle`` — determine the result and pay out positions;
- ``GET /_sim/orders`` — every order (optionally of one ``key_id`` / ``ticker``), in the REST shape;
- ``GET /_sim/accounts`` — balances and positions per key;
- ``POST /_sim/exchange`` — switch ``trading_active``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from markets.sim.common.makers import MakerParams
from markets.sim.kalshi import wire
from markets.sim.kalshi.exchange import CLOSED_STATUSES, ExchangeError
from markets.sim.kalshi.makers import Quoter
from markets.sim.kalshi.seeding import SERIES, open_game
from markets.sim.kalshi.state import SimState
from shared.prices import to_decimal


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MarketIn(_In):
    """Body of ``POST /_sim/markets``: a game market, ticker derived Kalshi-style unless ``ticker`` is given."""

    league: str = "nba"
    away: tuple[str, str] = ("AWY", "Away")
    home: tuple[str, str] = ("HOM", "Home")
    start: datetime | None = None
    teams: tuple[Literal["home", "away"], ...] = ("home",)
    fair: str | None = None
    maker_size: str = "100"
    maker_levels: int = Field(default=3, ge=1, le=20)
    half_spread: str = "0.01"


class FairIn(_In):
    """Body of ``POST /_sim/markets/{ticker}/fair``."""

    fair: str


class BookIn(_In):
    """Body of ``POST /_sim/markets/{ticker}/book``: ``[[price, size], ...]`` strings, NO on the NO leg."""

    yes: list[tuple[str, str]] = Field(default_factory=list)
    no: list[tuple[str, str]] = Field(default_factory=list)


class SettleIn(_In):
    """Body of ``POST /_sim/markets/{ticker}/settle``."""

    result: Literal["yes", "no"]


class StatusIn(_In):
    """Body of ``POST /_sim/markets/{ticker}/status``."""

    status: Literal["initialized", "inactive", "active", "closed", "determined"]
    cancel_resting: bool = True
    """Past close: the venue cancels the resting orders now (false: later, ``/cancel_resting``)."""


class ExchangeIn(_In):
    """Body of ``POST /_sim/exchange``."""

    trading_active: bool


def _levels(rows: list[tuple[str, str]]) -> list[tuple[Decimal, Decimal]]:
    return [(to_decimal(p), to_decimal(s)) for p, s in rows]


class SimControl:
    """Handlers of the Kalshi ``/_sim`` routes."""

    def __init__(self, state: SimState) -> None:
        self.state = state
        self.ex = state.exchange
        self.desk = state.desk

    def router(self) -> APIRouter:
        """The routes under ``/_sim``."""
        router = APIRouter(prefix="/_sim", tags=["sim-control"])
        router.add_api_route("/markets", self.create_market, methods=["POST"], status_code=201)
        router.add_api_route("/markets", self.list_markets, methods=["GET"])
        router.add_api_route("/markets/{ticker}/fair", self.set_fair, methods=["POST"])
        router.add_api_route("/markets/{ticker}/book", self.set_book, methods=["POST"])
        router.add_api_route("/markets/{ticker}/status", self.set_status, methods=["POST"])
        router.add_api_route("/markets/{ticker}/cancel_resting", self.cancel_resting, methods=["POST"])
        router.add_api_route("/markets/{ticker}/settle", self.settle, methods=["POST"])
        router.add_api_route("/orders", self.orders, methods=["GET"])
        router.add_api_route("/accounts", self.accounts, methods=["GET"])
        router.add_api_route("/exchange", self.set_exchange, methods=["POST"])
        return router

    async def create_market(self, body: MarketIn) -> dict[str, Any]:
        """Open a game market (event and series created when new); quoted around ``fair`` when given."""
        if body.league not in SERIES and not body.league.isalnum():
            raise ExchangeError(400, "bad_request", "bad request", "league must be alphanumeric")
        start = body.start or datetime.now(UTC) + timedelta(hours=2)
        markets = open_game(self.ex, league=body.league, away=body.away, home=body.home, start=start, teams=body.teams)
        if body.fair is not None:
            params = MakerParams(
                lag_s=0.0, noise_sd=0.0, half_spread=to_decimal(body.half_spread),
                size=to_decimal(body.maker_size), levels=body.maker_levels,
            )  # fmt: skip
            fair = to_decimal(body.fair)
            for team, market in zip(body.teams, markets, strict=True):
                quoter = Quoter(market.ticker, lambda _t: 0.5, lambda: 0.0, params)
                quoter.fixed_fair = fair if team == "home" else Decimal(1) - fair
                self.desk.add(quoter)
                self.desk.refresh(market.ticker)
        return {"markets": [wire.market_json(m) for m in markets]}

    async def list_markets(self) -> dict[str, Any]:
        """Every market with its status and, for replay-seeded markets, the replayed game id."""
        game_ids = self.state.game_ids
        return {
            "markets": [
                {"ticker": t, "game_id": game_ids.get(t), "status": m.status} for t, m in self.ex.markets.items()
            ]
        }

    async def set_fair(self, ticker: str, body: FairIn) -> dict[str, Any]:
        """Pin the makers' fair price of ``ticker`` and requote now; returns the book."""
        self.ex.market(ticker)
        self.desk.set_fair(ticker, to_decimal(body.fair))
        return wire.orderbook_fp(self.ex.market(ticker))

    async def set_book(self, ticker: str, body: BookIn) -> dict[str, Any]:
        """Replace the makers' orders of ``ticker`` with exactly these levels; returns the book."""
        self.ex.market(ticker)
        self.desk.set_book(ticker, _levels(body.yes), _levels(body.no))
        return wire.orderbook_fp(self.ex.market(ticker))

    async def set_status(self, ticker: str, body: StatusIn) -> dict[str, Any]:
        """Change the market status (orders are accepted only while ``active``; past close nothing is
        cancellable and what rests is cancelled by the venue)."""
        market = self.ex.set_status(ticker, body.status, cancel_resting=body.cancel_resting)
        return {"market": wire.market_json(market)}

    async def cancel_resting(self, ticker: str) -> dict[str, Any]:
        """Cancel every order resting on a closed market (the venue's sweep "shortly after close")."""
        market = self.ex.market(ticker)
        if market.status not in CLOSED_STATUSES:
            raise ExchangeError(400, "bad_request", "bad request", f"{ticker} is {market.status}, not closed")
        cancelled = self.ex.cancel_closed_market(ticker)
        return {"cancelled": [o.order_id for o in cancelled]}

    async def settle(self, ticker: str, body: SettleIn) -> dict[str, Any]:
        """Determine the result, cancel resting orders and pay $1 per winning contract."""
        payouts = self.ex.settle(ticker, body.result)
        market = wire.market_json(self.ex.market(ticker))
        return {"market": market, "payouts": {k: wire.dollars(v) for k, v in payouts.items()}}

    async def orders(self, key_id: str | None = None, ticker: str | None = None) -> dict[str, Any]:
        """Every order (of ``key_id`` / in ``ticker`` when given), in the REST shape plus ``key_id``."""
        orders = self.ex.orders.values()
        selected = [o for o in orders if key_id in (None, o.owner) and ticker in (None, o.ticker)]
        return {"orders": [{"key_id": o.owner, **wire.order_json(o)} for o in selected]}

    async def accounts(self) -> dict[str, Any]:
        """Balance, cash and open positions per API key."""
        rows = [
            {
                "key_id": a.key_id,
                "balance_dollars": wire.dollars(a.available),
                "cash_dollars": wire.dollars(a.cash),
                "positions": {t: wire.fp(p.position) for t, p in a.positions.items() if p.position},
            }
            for a in self.ex.accounts.values()
        ]
        return {"accounts": rows}

    async def set_exchange(self, body: ExchangeIn) -> dict[str, Any]:
        """Switch ``trading_active`` (orders are refused while false)."""
        self.ex.trading_active = body.trading_active
        return {"exchange_active": True, "trading_active": self.ex.trading_active}


def sim_router(state: SimState) -> APIRouter:
    """The Kalshi routes under ``/_sim``."""
    return SimControl(state).router()
