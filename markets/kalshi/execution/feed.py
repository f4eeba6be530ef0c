"""The Kalshi engine's private WebSocket feed: ``fill`` and ``user_orders`` pushed into the engine.

:class:`PrivateFeed` owns a :class:`~markets.kalshi.ws.KalshiWebSocket` subscribed to the private
``fill`` and ``user_orders`` channels (docs.kalshi.com/websockets/user-fills, user-orders) and hands
each event to the engine's handlers. The socket reconnects by itself; after a reconnect (or a private
message it could not parse) it yields ``ReconcileRequired`` because the ``fill`` channel does not replay
history — the engine then fetches fills over REST. A handler that fails does not stop the feed: the
failure is logged and a reconciliation requested, so the REST path catches up. A 401 on the handshake
(:class:`~shared.errors.AuthOrClock`) stops the socket but not the engine, which keeps polling.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.kalshi.errors import VENUE
from markets.kalshi.models import KalshiFill, KalshiOrder
from markets.kalshi.ws import KalshiWebSocket, ReconcileRequired, Subscription
from shared.errors import AuthOrClock

log = logging.getLogger(__name__)

FillHandler = Callable[[KalshiFill], Awaitable[None]]
OrderHandler = Callable[[KalshiOrder], Awaitable[None]]
ReconcileHandler = Callable[[str], Awaitable[None]]


class PrivateFeed:
    """Private fills and order updates for one API key.

    Parameters
    ----------
    ws
        The WebSocket client (not yet running).
    on_fill, on_order
        Called for every ``fill`` and ``user_order`` message, in arrival order.
    on_reconcile
        Called with a reason when events may have been missed (reconnect, unparsable message,
        failed handler).
    """

    def __init__(
        self, ws: KalshiWebSocket, on_fill: FillHandler, on_order: OrderHandler, on_reconcile: ReconcileHandler
    ) -> None:
        self.ws = ws
        self._on_fill = on_fill
        self._on_order = on_order
        self._on_reconcile = on_reconcile
        self._subs: list[Subscription] = []
        self.error: AuthOrClock | None = None
        """Set when the handshake was refused (401): the socket is down for good, polling carries on."""

    @property
    def healthy(self) -> bool:
        """True while connected with every private subscription acknowledged."""
        return self.ws.connected.is_set() and self.ready

    @property
    def ready(self) -> bool:
        """True once every subscription has a server id on the current connection (or failed for good)."""
        return bool(self._subs) and all(s.sid is not None or s.failed is not None for s in self._subs)

    async def run(self) -> None:
        """Subscribe (once), connect and dispatch until cancelled."""
        if not self._subs:
            self._subs = [await self.ws.subscribe("fill"), await self.ws.subscribe("user_orders")]
        async with asyncio.TaskGroup() as group:
            group.create_task(self._socket())
            group.create_task(self._consume())

    async def wait_ready(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the subscriptions to be acknowledged; True when they are."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not self.healthy:
            if self.error is not None or loop.time() > deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def close(self) -> None:
        """Close the socket (the running :meth:`run` is cancelled by its owner)."""
        await self.ws.close()

    async def _socket(self) -> None:
        try:
            await self.ws.run()
        except AuthOrClock as e:
            self.error = e
            log.error("kalshi private websocket refused (%s); continuing with REST polling", e, extra={"venue": VENUE})
            await self._on_reconcile("websocket_auth")

    async def _consume(self) -> None:
        while True:
            event = await self.ws.private_events.get()
            try:
                if isinstance(event, KalshiFill):
                    await self._on_fill(event)
                elif isinstance(event, w.WsUserOrder):
                    await self._on_order(p.parse_ws_user_order(event))
                elif isinstance(event, ReconcileRequired):
                    await self._on_reconcile(event.reason)
            except Exception as e:  # noqa: BLE001 - never lose the feed; REST reconciliation catches up
                log.exception("kalshi private event failed: %s", e, extra={"venue": VENUE})
                await self._on_reconcile("handler_failed")
