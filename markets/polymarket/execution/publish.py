"""Where the engine's order and fill changes go: the order journal and the ``updates()`` subscribers.

Each :class:`~markets.base.OrderReport` moves the order's journal entry (``unknown`` / ``acked`` /
``final``, see :mod:`markets.polymarket.execution.journal`); a repeat of the same state is not written again.
Every change is put on each subscriber's queue. The queues are unbounded: private events are never
dropped (R16), so a subscriber must keep consuming.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from markets.base import FillReport, OrderReport
from markets.journal import OrderJournal
from markets.polymarket.execution.journal import journal_state
from markets.polymarket.execution.tracker import Update


class Publisher:
    """Journals order changes and fans every change out to subscribers.

    Parameters
    ----------
    journal
        The engine's order journal (entries are created by the submit path before sending).
    """

    def __init__(self, journal: OrderJournal) -> None:
        self._journal = journal
        self._written: dict[str, tuple[str, str]] = {}
        self._subscribers: list[asyncio.Queue[Update]] = []

    async def publish(self, updates: Sequence[Update]) -> None:
        """Journal and deliver ``updates`` in order."""
        for update in updates:
            if isinstance(update, OrderReport):
                await self._journal_report(update)
            for queue in self._subscribers:
                queue.put_nowait(update)

    def subscribe(self) -> AsyncIterator[OrderReport | FillReport]:
        """A new stream of every change from now on (registered at once, before the first iteration)."""
        queue: asyncio.Queue[Update] = asyncio.Queue()
        self._subscribers.append(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[Update]) -> AsyncIterator[OrderReport | FillReport]:
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.remove(queue)

    async def _journal_report(self, report: OrderReport) -> None:
        state = journal_state(report.status)
        if state is None:
            return
        note = f"{report.status}: {report.reason}" if report.reason else str(report.status)
        if self._written.get(report.client_order_id) == (state, note):
            return
        try:
            await self._journal.mark(report.client_order_id, state, venue_order_id=report.venue_order_id, note=note)
        except KeyError:
            return  # an order this engine did not journal (not one of ours)
        self._written[report.client_order_id] = (state, note)
