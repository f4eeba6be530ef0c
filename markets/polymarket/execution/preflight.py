"""Start-up of the Polymarket engine: the checks before any trading, and taking journalled orders back.

Order of the checks (each raises, and trading does not start):

1. venue clock (``GET /time``) against ours, :func:`markets.preflight.check_clock` — signed requests carry
   our timestamp and a skewed clock gives a stream of 401s (R22);
2. the geoblock probe — blocked: :class:`~shared.errors.Geoblocked` and the gate trips; close-only: the
   gate admits only position-reducing orders (R23);
3. API credentials created or derived (L1) and proved by an L2 call, which also says whether the account
   is in close-only mode.

Then every journalled order that may be at the venue (an order hash was written, the outcome never
was) is tracked again as ``UNKNOWN`` and resolved by its hash; one journalled without a hash was never
sent and is marked ``refused``.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import httpx

from markets.journal import OrderJournal
from markets.polymarket.clob import ClobReader
from markets.polymarket.execution import journal as jn
from markets.polymarket.execution.tracker import OrderTracker, TrackedOrder
from markets.polymarket.geoblock import TradingGate, check_geoblock
from markets.polymarket.trading import ClobTrader
from markets.preflight import check_clock
from shared.errors import VenueError

log = logging.getLogger(__name__)
VENUE = "polymarket"


async def check_venue_clock(reader: ClobReader, max_skew_s: float) -> float:
    """The venue's clock minus ours, in seconds; :class:`~shared.errors.AuthOrClock` beyond ``max_skew_s``."""
    before = time.time()
    venue_s = await reader.server_time()
    local = (before + time.time()) / 2
    # /time has whole seconds: the venue's clock read somewhere in [venue_s, venue_s + 1).
    venue = datetime.fromtimestamp(venue_s + 0.5, UTC)
    return check_clock(VENUE, venue, datetime.fromtimestamp(local, UTC), max_skew_s)


async def preflight(
    http: httpx.AsyncClient, reader: ClobReader, trader: ClobTrader, gate: TradingGate, geoblock_url: str,
    max_skew_s: float,
) -> bool:  # fmt: skip
    """Clock, geoblock, credentials (see the module docstring); returns True when the account is close-only."""
    await check_venue_clock(reader, max_skew_s)
    await check_geoblock(http, geoblock_url, gate)
    await trader.create_or_derive_api_key()
    return await trader.closed_only()


async def recover(
    journal: OrderJournal, tracker: OrderTracker, refresh: Callable[[Sequence[TrackedOrder]], Awaitable[None]]
) -> list[TrackedOrder]:
    """Track the journal's unresolved orders again and try to resolve them once (the loop continues)."""
    bound: list[TrackedOrder] = []
    for entry in await journal.unresolved(VENUE):
        if jn.may_be_at_venue(entry):
            bound.append(jn.bind(tracker, entry))
        else:
            await journal.mark(entry.client_order_id, "refused", note="never sent (no order hash journalled)")
    if bound:
        log.warning("polymarket: resolving %d journalled orders by hash", len(bound), extra={"venue": VENUE})
        with contextlib.suppress(VenueError):
            await refresh(bound)
    return bound
