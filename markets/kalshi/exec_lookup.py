"""REST look-ups the Kalshi engine resolves orders and fills with (all reads: retried, idempotent).

Kalshi cannot be asked for an order by ``client_order_id`` directly, so :meth:`VenueLookup.find_by_client_id`
pages ``GET /portfolio/orders`` of the order's market from shortly before the order was journalled
(``min_ts``), which keeps the scan short however many orders the market holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from markets.kalshi.models import KalshiFill, KalshiOrder
from markets.kalshi.rest import KalshiRestClient
from shared.errors import Rejected as VenueRejected

PAGE_LIMIT = 1000


class VenueLookup:
    """Order and fill queries on one REST client."""

    def __init__(self, rest: KalshiRestClient) -> None:
        self.rest = rest

    async def find_by_client_id(self, ticker: str, client_order_id: str, since: datetime | None) -> KalshiOrder | None:
        """Our order with ``client_order_id`` in ``ticker`` created at or after ``since``, or ``None``."""
        min_ts = None if since is None else int(since.timestamp())
        cursor: str | None = None
        while True:
            page = await self.rest.list_orders(ticker=ticker, cursor=cursor, limit=PAGE_LIMIT, min_ts=min_ts)
            for order in page.items:
                if order.client_order_id == client_order_id:
                    return order
            if page.cursor is None:
                return None
            cursor = page.cursor

    async def get(self, venue_order_id: str) -> KalshiOrder | None:
        """The order the venue calls ``venue_order_id``; ``None`` when the venue does not know it."""
        try:
            return await self.rest.get_order(venue_order_id)
        except VenueRejected as e:
            if e.status == 404:
                return None
            raise

    async def resting(self, ticker: str | None = None) -> list[KalshiOrder]:
        """Every resting order (of ``ticker`` when given)."""
        orders: list[KalshiOrder] = []
        cursor: str | None = None
        while True:
            page = await self.rest.list_orders(ticker=ticker, status="resting", cursor=cursor, limit=PAGE_LIMIT)
            orders.extend(page.items)
            if page.cursor is None:
                return orders
            cursor = page.cursor

    async def fills(
        self, *, since: datetime | None = None, order_id: str | None = None, max_pages: int = 100
    ) -> AsyncIterator[KalshiFill]:
        """Fills newest first (Kalshi's order), from ``since`` (whole seconds, inclusive) or of one order."""
        min_ts = None if since is None else int(since.timestamp())
        cursor: str | None = None
        for _ in range(max_pages):
            page = await self.rest.list_fills(order_id=order_id, min_ts=min_ts, cursor=cursor, limit=PAGE_LIMIT)
            for fill in page.items:
                yield fill
            if page.cursor is None:
                return
            cursor = page.cursor
