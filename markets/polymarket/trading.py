"""Authenticated CLOB calls (API keys, orders, cancels, open orders, trades, heartbeat) via py-clob-client-v2.

The library is synchronous, so every call runs in a worker thread (``asyncio.to_thread``) and the event
loop never blocks. The library does the L1 auth signature, the L2 HMAC headers and the HTTP. V2 orders
are built and signed by our own signer (:mod:`markets.polymarket.signing`): about 50 µs against the
library's 0.5 ms (4 ms with pure-Python ECDSA; ``bench/bench_signing.py``), with byte-for-byte the same
signature, order hash and ``POST /order`` body. We choose the amounts exactly
(:mod:`markets.polymarket.amounts`, no float ever reaches an order), compute the order hash *before*
posting, and map every failure onto the shared taxonomy:

- an order post is **never** retried: a status-less ``PolyApiException`` (timeout after send) becomes
  :class:`~markets.polymarket.errors.AmbiguousSubmit` carrying the expected order hash, to be resolved
  from the user channel or ``GET /data/order/{hash}`` / ``/data/trades``;
- reads and cancels (idempotent) are retried on :class:`~shared.errors.Retryable` with back-off;
- every trading call first asks the :class:`~markets.polymarket.geoblock.TradingGate`, and a geoblock
  answer from any call trips it, so no further trading request leaves the process.

``post_order`` posts with the library's own header builder and pooled HTTP client rather than
``ClobClient.post_order``, which after a match polls ``/data/trades`` for up to 30 s to fill in
transaction hashes (a FAK/FOK answer has none since 2026-07-24) — a latency we do not want on submit —
and with our timeout (``order_timeout_s``) rather than the library's fixed 5 s.

References
----------
Polymarket/py-clob-client-v2 ``client.py``, ``headers/headers.py``, ``order_utils/exchange_order_builder_v2.py``;
venues.md §2.4–2.5; reliability.md B2 (py-clob-client #261, #273); issue 13 (order build + sign <= 1 ms).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

import httpx
from py_clob_client_v2 import ApiCreds, ClobClient, OpenOrderParams, OrderMarketCancelParams, OrderPayload, TradeParams
from py_clob_client_v2.clob_types import AssetType, BalanceAllowanceParams, RequestArgs
from py_clob_client_v2.config import get_contract_config
from py_clob_client_v2.exceptions import PolyApiException
from py_clob_client_v2.headers.headers import create_level_2_headers
from py_clob_client_v2.http_helpers import helpers as library_http
from pydantic import SecretStr

from markets.polymarket import parsing
from markets.polymarket.amounts import OrderAmounts, order_amounts
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.errors import VENUE, AmbiguousSubmit, map_library_exception
from markets.polymarket.geoblock import TradingGate
from markets.polymarket.retry import Backoff, retry_reads
from markets.polymarket.signing import FastOrderSigner, SignedOrderV2, post_body
from markets.polymarket.types import ApiCredentials, CancelResult, OrderUpdate, PostOrderResult, Side, TradeUpdate
from shared.errors import Ambiguous, Rejected, VenueError
from shared.logs import register_secret

T = TypeVar("T")
OrderType = Literal["GTC", "GTD", "FOK", "FAK"]


@dataclass(frozen=True, slots=True)
class SignedOrder:
    """A V2 order signed for one exchange, and the hash the venue will use as its ``orderID``."""

    order_id: str
    token_id: str
    amounts: OrderAmounts
    neg_risk: bool
    signed: SignedOrderV2


class ClobTrader:
    """Authenticated Polymarket CLOB access for one signer.

    Parameters
    ----------
    settings
        Hosts, chain, private key, funder, signature type and (optionally) API credentials.
    gate
        The venue's trading gate; shared with every other Polymarket component of the process.
    backoff
        Retry policy for reads and cancels.
    """

    def __init__(self, settings: PolymarketSettings, gate: TradingGate, backoff: Backoff | None = None) -> None:
        if settings.private_key is None:
            raise ValueError("POLYMARKET_PRIVATE_KEY is required for authenticated calls")
        self._settings = settings
        self._gate = gate
        self._backoff = backoff or Backoff()
        self._host = settings.clob_url.rstrip("/")
        creds = None
        if settings.api_key and settings.api_secret and settings.api_passphrase:
            creds = ApiCreds(
                api_key=settings.api_key.get_secret_value(),
                api_secret=settings.api_secret.get_secret_value(),
                api_passphrase=settings.api_passphrase.get_secret_value(),
            )
        self._client = ClobClient(
            host=self._host,
            chain_id=settings.chain_id,
            key=settings.private_key.get_secret_value(),
            creds=creds,
            signature_type=settings.signature_type,
            funder=settings.funder,
        )
        contracts = get_contract_config(settings.chain_id)
        self._signer = FastOrderSigner(
            settings.private_key.get_secret_value(),
            settings.chain_id,
            {False: contracts.exchange_v2, True: contracts.neg_risk_exchange_v2},
            signature_type=settings.signature_type,
            funder=settings.funder,
        )

    # -- plumbing --------------------------------------------------------------------------------------

    @property
    def gate(self) -> TradingGate:
        """The venue's trading gate this trader obeys."""
        return self._gate

    @property
    def settings(self) -> PolymarketSettings:
        """The settings this trader was built with."""
        return self._settings

    @property
    def address(self) -> str:
        """The signer's address (checksummed)."""
        return str(self._client.get_address())

    @property
    def funder(self) -> str:
        """The address holding the funds (``maker`` of every order)."""
        return self._settings.funder or self.address

    @property
    def api_key(self) -> str | None:
        """The L2 API key in use, if any."""
        creds = self._client.creds
        return str(creds.api_key) if creds is not None else None

    @property
    def credentials(self) -> ApiCredentials | None:
        """The L2 credentials in use (secret and passphrase as ``SecretStr``)."""
        c = self._client.creds
        if c is None:
            return None
        return ApiCredentials(api_key=c.api_key, secret=SecretStr(c.api_secret), passphrase=SecretStr(c.api_passphrase))

    async def _library(self, fn: Callable[[], T], *, mutation: bool) -> T:
        try:
            return await asyncio.to_thread(fn)
        except VenueError:
            raise
        except Exception as e:  # noqa: BLE001 - the library raises PolyApiException/PolyException/ValueError
            raise self._gate.observe(map_library_exception(e, mutation=mutation)) from e

    async def _read(self, fn: Callable[[], T]) -> T:
        async def once() -> T:
            return await self._library(fn, mutation=False)

        return await retry_reads(once, self._backoff)

    # -- API keys --------------------------------------------------------------------------------------

    async def create_or_derive_api_key(self, nonce: int | None = None) -> ApiCredentials:
        """L1: create the API key for ``nonce`` (default: the settings' nonce), or derive it if it exists.

        Idempotent: the same address and nonce always give the same credentials. The credentials are
        then used for every L2 call of this trader.
        """
        n = self._settings.api_nonce if nonce is None else nonce
        creds = await self._library(lambda: self._client.create_or_derive_api_key(nonce=n), mutation=False)
        return self._adopt(creds)

    async def derive_api_key(self, nonce: int | None = None) -> ApiCredentials:
        """L1: derive (never create) the API key for ``nonce``; fails if it was never created."""
        n = self._settings.api_nonce if nonce is None else nonce
        creds = await self._library(lambda: self._client.derive_api_key(nonce=n), mutation=False)
        return self._adopt(creds)

    def _adopt(self, creds: Any) -> ApiCredentials:
        if not getattr(creds, "api_key", None):
            raise Rejected("the venue returned no API credentials", venue=VENUE)
        register_secret(creds.api_secret, creds.api_passphrase)
        self._client.set_api_creds(creds)
        return ApiCredentials(
            api_key=creds.api_key, secret=SecretStr(creds.api_secret), passphrase=SecretStr(creds.api_passphrase)
        )

    # -- orders ----------------------------------------------------------------------------------------

    def sign_limit_order(
        self,
        token_id: str,
        side: Side,
        price: Decimal,
        size: Decimal,
        *,
        tick_size: Decimal,
        neg_risk: bool,
        expiration: int = 0,
        order_type: OrderType = "GTC",
    ) -> SignedOrder:
        """Build and sign a V2 limit order (CPU only, no I/O; about 50 µs).

        A fresh random salt and the current time (ms) make every call a distinct order.

        ``order_type`` decides the amount precision: a FAK/FOK BUY gets the venue's market-buy amounts
        (pUSD at 2 decimals, shares at 4; :func:`~markets.polymarket.amounts.market_buy_amounts`).

        Raises
        ------
        shared.prices.PriceError
            Off-tick price, unsupported tick, size under 0.01.
        """
        amounts = order_amounts(side, price, size, tick_size, order_type)
        signed = self._signer.sign(
            token_id, side, amounts.maker_amount, amounts.taker_amount, neg_risk=neg_risk, salt=_salt(),
            timestamp_ms=time.time_ns() // 1_000_000, expiration=expiration,
        )  # fmt: skip
        return SignedOrder(signed.order_hash, token_id, amounts, neg_risk, signed)

    async def post_order(
        self, order: SignedOrder, *, order_type: OrderType = "GTC", post_only: bool = False, reduces: bool = False
    ) -> PostOrderResult:
        """``POST /order`` once. Never retried.

        Parameters
        ----------
        order
            From :meth:`sign_limit_order`.
        order_type
            ``GTC`` / ``GTD`` rest; ``FOK`` / ``FAK`` do not.
        post_only
            Refuse to cross the book (GTC/GTD only).
        reduces
            True when the order only reduces a position (allowed in close-only jurisdictions).

        Raises
        ------
        Geoblocked
            The gate is closed, or the venue answered with the region refusal (the gate trips).
        Rejected
            The venue refused the order (``success: false`` or a 400); nothing rests.
        AmbiguousSubmit
            Timeout / transport failure / any 5xx (503 included) after the request may have arrived;
            ``order_id`` is the hash to resolve it by.
        Retryable
            429/425: the order was not accepted; the caller may post a NEW order.
        """
        self._gate.check(opening=not reduces)
        try:
            raw = await self._library(lambda: self._post_sync(order, order_type, post_only), mutation=True)
        except Ambiguous as e:
            raise AmbiguousSubmit(str(e), order_id=order.order_id, venue=VENUE, status=e.status) from e
        result = parsing.post_order(parsing.from_library_number(raw))
        if not result.success:
            raise Rejected(result.error_msg or "order refused", venue=VENUE, code="order_refused")
        return result

    def _post_sync(self, order: SignedOrder, order_type: OrderType, post_only: bool) -> Any:
        creds = self._client.creds
        if creds is None:
            raise Rejected("no API credentials: call create_or_derive_api_key first", venue=VENUE)
        payload = post_body(order.signed, creds.api_key, order_type, post_only=post_only)
        serialized = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        headers = create_level_2_headers(
            self._client.signer,
            creds,
            RequestArgs(method="POST", request_path="/order", body=payload, serialized_body=serialized),
        )
        return _post_once(f"{self._host}/order", headers, serialized, self._settings.order_timeout_s)

    async def place_limit_order(
        self,
        token_id: str,
        side: Side,
        price: Decimal,
        size: Decimal,
        *,
        tick_size: Decimal,
        neg_risk: bool,
        order_type: OrderType = "GTC",
        post_only: bool = False,
        reduces: bool = False,
        expiration: int = 0,
    ) -> tuple[SignedOrder, PostOrderResult]:
        """Sign and post one limit order; see :meth:`post_order` for failure semantics.

        Signing runs on the event loop: it takes about 50 µs of CPU, less than a hop to a worker thread.
        """
        self._gate.check(opening=not reduces)
        signed = self.sign_limit_order(
            token_id, side, price, size, tick_size=tick_size, neg_risk=neg_risk, expiration=expiration,
            order_type=order_type,
        )  # fmt: skip
        return signed, await self.post_order(signed, order_type=order_type, post_only=post_only, reduces=reduces)

    # -- cancels (idempotent: retried) -----------------------------------------------------------------

    async def cancel(self, order_id: str) -> CancelResult:
        """``DELETE /order``: cancel one order by hash."""
        self._gate.check(opening=False)
        raw = await self._read(lambda: self._client.cancel_order(OrderPayload(orderID=order_id)))
        return parsing.cancel(parsing.from_library_number(raw))

    async def cancel_orders(self, order_ids: list[str]) -> CancelResult:
        """``DELETE /orders``: cancel several orders (up to 1000)."""
        self._gate.check(opening=False)
        raw = await self._read(lambda: self._client.cancel_orders(order_ids))
        return parsing.cancel(parsing.from_library_number(raw))

    async def cancel_all(self) -> CancelResult:
        """``DELETE /cancel-all``: cancel every open order of this API key."""
        self._gate.check(opening=False)
        raw = await self._read(self._client.cancel_all)
        return parsing.cancel(parsing.from_library_number(raw))

    async def cancel_market_orders(self, market: str = "", asset_id: str = "") -> CancelResult:
        """``DELETE /cancel-market-orders``: cancel this key's orders in one market (or one token)."""
        self._gate.check(opening=False)
        params = OrderMarketCancelParams(market=market, asset_id=asset_id)
        raw = await self._read(lambda: self._client.cancel_market_orders(params))
        return parsing.cancel(parsing.from_library_number(raw))

    async def heartbeat(self, heartbeat_id: str = "") -> Any:
        """``POST /v1/heartbeats``: keep the dead-man switch armed (the venue cancels all after 10 s of silence).

        Refused once the gate is tripped, so the venue's switch then cancels whatever still rests.
        """
        self._gate.check(opening=False)
        return parsing.from_library_number(
            await self._library(lambda: self._client.post_heartbeat(heartbeat_id), mutation=False)
        )

    # -- reads -----------------------------------------------------------------------------------------

    async def balance(self, token_id: str | None = None) -> Decimal:
        """``GET /balance-allowance``: the funder's pUSD (``token_id=None``) or its shares of ``token_id``.

        Exact ``Decimal`` (the wire counts 6-decimal fixed-point units). This is the wallet balance: funds
        committed to open orders are not subtracted.
        """
        params = BalanceAllowanceParams(
            asset_type=AssetType.CONDITIONAL if token_id else AssetType.COLLATERAL, token_id=token_id
        )
        raw = await self._read(lambda: self._client.get_balance_allowance(params))
        return parsing.balance_allowance(parsing.from_library_number(raw))

    async def closed_only(self) -> bool:
        """``GET /auth/ban-status/closed-only``: True when this account may only reduce positions.

        An L2 call, so it also proves the API credentials (and our clock) are accepted.
        """
        raw = await self._read(self._client.get_closed_only_mode)
        return parsing.closed_only(parsing.from_library_number(raw))

    async def open_orders(self, market: str | None = None, asset_id: str | None = None) -> list[OrderUpdate]:
        """Every open order of this key (all pages of ``GET /data/orders``)."""
        params = OpenOrderParams(market=market, asset_id=asset_id)
        rows = await self._read(lambda: self._client.get_open_orders(params))
        return [parsing.order(parsing.from_library_number(r)) for r in rows]

    async def order(self, order_id: str) -> OrderUpdate | None:
        """``GET /data/order/{hash}``; ``None`` when the venue has no live order with that hash.

        The venue answers only for live orders: a filled or cancelled order is found in :meth:`trades`.
        """
        raw = await self._read(lambda: self._client.get_order(order_id))
        if not raw or not isinstance(raw, dict):
            return None
        return parsing.order(parsing.from_library_number(raw))

    async def trades(
        self,
        *,
        market: str | None = None,
        asset_id: str | None = None,
        after: int | None = None,
        trade_id: str | None = None,
    ) -> list[TradeUpdate]:
        """Trades of this key (all pages of ``GET /data/trades``); ``after`` is Unix seconds."""
        params = TradeParams(id=trade_id, market=market, asset_id=asset_id, after=after)
        rows = await self._read(lambda: self._client.get_trades(params))
        return [parsing.trade(parsing.from_library_number(r)) for r in rows]


_POST_HEADERS = {
    "User-Agent": "py_clob_client_v2",
    "Accept": "*/*",
    "Connection": "keep-alive",
    "Content-Type": "application/json",
}


def _post_once(url: str, headers: dict[str, Any], body: str, timeout_s: float) -> Any:
    """POST as py-clob-client-v2's helper does (same headers, same exceptions), with our timeout.

    The library's pooled client is reused (keep-alive connections); its helper has no timeout argument,
    and its default (5 s) would fix how long an order may stay ambiguous.
    """
    client = library_http._http_client
    try:
        response = client.post(url, headers=headers | _POST_HEADERS, content=body.encode(), timeout=timeout_s)
    except httpx.RequestError as e:
        raise PolyApiException(error_msg="Request exception!") from e
    if response.status_code != 200:
        raise PolyApiException(response)
    try:
        return response.json()
    except ValueError:
        return response.text


def _salt() -> int:
    return secrets.randbelow(2**53)
