"""Per-venue queues for approved intents: a slow venue delays only its own orders.

:class:`VenueQueuedConsumer` reads ``orders.submit`` like any stream consumer (one group, pending entries
first, idle entries claimed, Redis outages waited out) but hands each entry to its venue's worker instead
of handling it in line. Each entry is handled exactly as the plain consumer does (inbox row, handler and
commit in one unit of work, then XACK), so an entry is acked only after its order
is recorded: a crash leaves it pending and it is delivered again (nothing lost), and the inbox and the
order row make the redelivery a no-op or a reconciliation (nothing doubled). An entry already queued or in
hand is not queued twice when it is read again (a retry pass or a claim of our own idle entries).

Within a venue, up to ``max_in_flight`` orders are handled at once (a venue's round trip no longer holds
up the orders behind it), but orders on one market are handled one after another, in the order read:
what one order's answer changes for its market (a market found closed, say) is known before the next is
sent there.

Entries that cannot be decoded, or that are not an order for a venue, are handled in line (they are
dead-lettered by the base consumer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from services.execution_service.engines import VENUES
from shared.bus import keys
from shared.bus.consumer import ConsumerConfig, Handler, StreamConsumer, _Entry
from shared.messages import DecodeError, SubmitOrder, decode
from shared.prices import Venue
from shared.runtime.service import Service, ServiceContext, halt_on_dead_letter

log = logging.getLogger(__name__)


class VenueQueuedConsumer(StreamConsumer):
    """A stream consumer with one worker (and queue) per venue; see the module docstring."""

    def __init__(self, *args: Any, venues: tuple[Venue, ...], max_in_flight: int = 8, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venues = venues
        self.max_in_flight = max_in_flight
        self._queues: dict[Venue, asyncio.Queue[_Entry]] = {v: asyncio.Queue() for v in venues}
        self._queued: set[str] = set()
        self._markets: dict[tuple[Venue, str], asyncio.Lock] = {}

    def queued(self, venue: Venue) -> int:
        """Entries waiting for or in ``venue``'s worker."""
        return self._queues[venue].qsize()

    async def run(self, stopping: asyncio.Event) -> None:
        """Read and dispatch until ``stopping``; each worker finishes (and acks) the entry in hand first."""
        async with asyncio.TaskGroup() as tasks:
            for venue in self.venues:
                tasks.create_task(self._work(venue, stopping), name=f"{self.config.consumer}:{venue}")
            try:
                await super().run(stopping)
            finally:
                for queue in self._queues.values():
                    queue.put_nowait(_STOP)

    async def _process_all(self, entries: list[_Entry], stopping: asyncio.Event) -> None:
        for entry in entries:
            if stopping.is_set():
                return
            if entry.entry_id in self._queued:
                continue
            command = _command_of(entry)
            if command is None or command.venue not in self._queues:
                await self._process(entry)
                continue
            entry.decoded = command
            self._queued.add(entry.entry_id)
            self._queues[command.venue].put_nowait(entry)

    async def _work(self, venue: Venue, stopping: asyncio.Event) -> None:
        queue = self._queues[venue]
        slots = asyncio.Semaphore(self.max_in_flight)
        async with asyncio.TaskGroup() as in_flight:  # leaving it waits for the orders in hand
            while True:
                entry = await queue.get()
                if entry is _STOP or stopping.is_set():
                    return  # what is left stays pending in Redis and is delivered again on restart
                assert isinstance(entry.decoded, SubmitOrder)
                lock = self._markets.setdefault((venue, entry.decoded.market_id), asyncio.Lock())
                await slots.acquire()
                in_flight.create_task(self._handle(venue, entry, lock, slots))

    async def _handle(self, venue: Venue, entry: _Entry, lock: asyncio.Lock, slots: asyncio.Semaphore) -> None:
        try:
            async with lock:
                await self._process(entry)
        except Exception:  # noqa: BLE001 - Redis failed on the XACK: the entry stays pending, retried
            log.exception("venue worker failed on an entry", extra={"venue": venue, "entry_id": entry.entry_id})
        finally:
            self._queued.discard(entry.entry_id)
            slots.release()


_STOP = _Entry("stop", None)


def _command_of(entry: _Entry) -> SubmitOrder | None:
    if entry.payload is None:
        return None
    with contextlib.suppress(DecodeError):
        message = decode(entry.payload)
        if isinstance(message, SubmitOrder):
            return message
    return None


def consume_by_venue(
    service: Service,
    ctx: ServiceContext,
    handler: Handler,
    venues: tuple[Venue, ...] = VENUES,
    *,
    max_in_flight: int = 8,
) -> VenueQueuedConsumer:
    """Start the ``orders.submit`` consumer of ``service`` with one queue per venue (as ``Service.consume``)."""
    s = service.settings
    config = ConsumerConfig(
        stream=keys.ORDER_SUBMIT,
        group=service.name,
        consumer=f"{service.name}:{s.instance_id}",
        accepts=(SubmitOrder,),
        block_ms=s.stream_block_ms,
        batch_size=s.stream_batch_size,
        claim_idle_ms=s.stream_claim_idle_ms,
        max_deliveries=s.stream_max_deliveries,
    )
    consumer = VenueQueuedConsumer(
        ctx.infra.redis,
        ctx.infra.store,
        config,
        handler,
        fault_hook=ctx.fault_hook,
        on_dead_letter=halt_on_dead_letter(ctx.infra, service.name),
        venues=venues,
        max_in_flight=max_in_flight,
    )
    service.consumers.append(consumer)
    service.consumer_tasks.append(ctx.spawn(consumer.run(ctx.stopping), name=f"{service.name}:{keys.ORDER_SUBMIT}"))
    return consumer
