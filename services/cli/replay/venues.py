"""``arbees replay --venues sim``: the real execution engines trade on the simulators' own books.

With ``--venues paper`` (the default) the execution service fills on paper against the tops on the bus,
so nothing of ours ever reaches a simulator's book. With ``--venues sim`` it runs the production Kalshi
and Polymarket engines (``PAPER_TRADING=0``, ``LIVE_TRADING_CONFIRMED=1``) against the simulators: our
orders rest, cross and fill against the simulators' makers, and a halt must cancel them there.

The credentials are throwaway: the Kalshi simulator is given our API key's public half (its account
starts funded) and the Polymarket simulator funds our fresh wallet through its control API (its L2 API
key is derived at engine start-up, as on the real venue). The wallet's private key lives in a 0600 file
of the run directory and in the execution service's environment only; it is never logged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal

import httpx
from pydantic import SecretStr

from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient, paginate
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.geoblock import TradingGate
from markets.polymarket.trading import ClobTrader
from services.cli.replay.keys import ApiKey, WalletKey
from services.cli.replay.plan import Ports
from shared.errors import VenueError

WALLET_USDC = Decimal(10_000)
"""pUSD the Polymarket simulator credits our wallet with (the Kalshi simulator's accounts start with $10,000)."""
MAX_ORDER_NOTIONAL_CENTS = 100_000
MAX_DAILY_NOTIONAL_CENTS = 100_000_000
"""Live caps for a replay: above anything the risk limits let through ($1,000 an order, no daily ceiling that a
compressed replay day could reach); the caps stay in the path, they just do not decide a replay's trades."""


def live_env() -> dict[str, str]:
    """Settings of every fleet process trading for real (on the simulators): the mode and the live caps."""
    return {
        "PAPER_TRADING": "0",
        "LIVE_TRADING_CONFIRMED": "1",
        "EXEC_MAX_ORDER_NOTIONAL_CENTS": str(MAX_ORDER_NOTIONAL_CENTS),
        "EXEC_MAX_DAILY_NOTIONAL_CENTS": str(MAX_DAILY_NOTIONAL_CENTS),
        # Compressed time: a Kalshi order that executes at once is acknowledged without its fills, which the
        # reconciliation sweep then reads from the venue (every 30 s by default).
        "EXEC_SWEEP_INTERVAL_S": "2",
    }


def wallet_env(wallet: WalletKey) -> dict[str, str]:
    """The Polymarket signing key, for the execution service's environment only."""
    return {"POLYMARKET_PRIVATE_KEY": wallet.private_key()}


@dataclass(frozen=True, slots=True)
class SimAccounts:
    """Our accounts on the two simulators, reached through the production clients."""

    ports: Ports
    kalshi: ApiKey
    wallet: WalletKey

    @property
    def polymarket_url(self) -> str:
        """The Polymarket simulator's CLOB base URL."""
        return f"http://127.0.0.1:{self.ports.polymarket}"

    def kalshi_settings(self) -> KalshiSettings:
        """Client settings for our Kalshi key on the simulator."""
        return KalshiSettings(
            base_url=f"http://127.0.0.1:{self.ports.kalshi}/trade-api/v2",
            ws_url=f"ws://127.0.0.1:{self.ports.kalshi}/trade-api/ws/v2",
            api_key_id=self.kalshi.key_id,
            private_key_path=SecretStr(str(self.kalshi.private_key_path)),
        )

    def polymarket_settings(self) -> PolymarketSettings:
        """Client settings for our wallet on the simulator."""
        url = self.polymarket_url
        return PolymarketSettings(
            clob_url=url,
            gamma_url=f"{url}/gamma",
            ws_market_url=f"ws://127.0.0.1:{self.ports.polymarket}/ws/market",
            ws_user_url=f"ws://127.0.0.1:{self.ports.polymarket}/ws/user",
            geoblock_url=f"{url}/api/geoblock",
            private_key=SecretStr(self.wallet.private_key()),
        )

    async def fund_wallet(self, collateral: Decimal = WALLET_USDC) -> None:
        """Credit our wallet on the Polymarket simulator (its control API: ``POST /_sim/accounts/{address}``)."""
        async with httpx.AsyncClient(timeout=5.0) as http:
            url = f"{self.polymarket_url}/_sim/accounts/{self.wallet.address}"
            response = await http.post(url, json={"collateral": str(collateral)})
            response.raise_for_status()

    def reader(self) -> SimOrderReader:
        """Our open orders on both simulators, asked through the production clients (``async with``)."""
        return SimOrderReader(self)

    async def open_orders(self) -> dict[str, int]:
        """How many of our orders rest on each simulator now."""
        async with self.reader() as reader:
            return await reader.open_orders()


class SimOrderReader:
    """Reads our resting orders on the simulators: Kalshi ``GET /portfolio/orders?status=resting`` (signed with
    our key) and Polymarket ``GET /data/orders`` (L2-authenticated with our wallet's derived API key)."""

    def __init__(self, accounts: SimAccounts) -> None:
        self._accounts = accounts
        self._kalshi: KalshiRestClient | None = None
        self._trader: ClobTrader | None = None

    async def __aenter__(self) -> SimOrderReader:
        self._kalshi = KalshiRestClient(self._accounts.kalshi_settings())
        trader = ClobTrader(self._accounts.polymarket_settings(), TradingGate())
        try:  # the engine created the key at start-up: derive it (creating it again is refused, noisily)
            await trader.derive_api_key()
        except VenueError:
            await trader.create_or_derive_api_key()
        self._trader = trader
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._kalshi is not None:
            await self._kalshi.aclose()

    async def kalshi_resting(self) -> list[str]:
        """Client order ids (else venue ids) of our orders resting on the Kalshi simulator."""
        rest = self._kalshi
        if rest is None:
            raise RuntimeError("SimOrderReader is used in async with")
        return [o.client_order_id or o.order_id async for o in paginate(rest.list_orders, status="resting")]

    async def polymarket_open(self) -> list[str]:
        """Order hashes of our open orders on the Polymarket simulator."""
        if self._trader is None:
            raise RuntimeError("SimOrderReader is used in async with")
        return [o.order_id for o in await self._trader.open_orders()]

    async def open_orders(self) -> dict[str, int]:
        """How many of our orders rest on each simulator now."""
        kalshi, polymarket = await asyncio.gather(self.kalshi_resting(), self.polymarket_open())
        return {"kalshi": len(kalshi), "polymarket": len(polymarket)}
