"""REST look-ups the Kalshi engine resolves orders and fills with (all reads: retried, idempotent).

Kalshi cannot be asked for an order by ``client_order_id`` directly, so :meth:`VenueLookup.find_by_client_id`
pages ``GET /portfolio/orders`` of the order's market from shortly before the order was journalled
(``min_ts``), which keeps the scan short however many orders the market holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from markets.kalshi.models import KalshiFill, KalshiOrder
from markets.kalshi.rest import KalshiRestClient, paginate
from shared.errors import Rejected as VenueRejected

PAGE_LIMIT = 1000


class VenueLookup:
    """Order and fill queries on one REST client."""

    def __init__(self, rest: KalshiRestClient) -> None:
        self.rest = rest

    async def find_by_client_id(self, ticker: str, client_order_id: str, since: datetime | None) -> KalshiOrder | None:
        """Our order with ``client_order_id`` in ``ticker`` created at or after ``since``, or ``None``."""
        min_ts = None if since is None else int(since.timestamp())
        return await self.rest.find_order_by_client_order_id(ticker, client_order_id, min_ts=min_ts)

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
        return [o async for o in paginate(self.rest.list_orders, ticker=ticker, status="resting", limit=PAGE_LIMIT)]

    async def fills(
        self, *, since: datetime | None = None, order_id: str | None = None, max_pages: int = 100
    ) -> AsyncIterator[KalshiFill]:
        """Fills newest first (Kalshi's order), from ``since`` (whole seconds, inclusive) or of one order."""
        min_ts = None if since is None else int(since.timestamp())
        pages = paginate(self.rest.list_fills, max_pages=max_pages, order_id=order_id, min_ts=min_ts, limit=PAGE_LIMIT)
        async for fill in pages:
            yield fill
