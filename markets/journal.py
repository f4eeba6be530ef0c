"""The order journal: every order an engine sends is written down *before* it is sent.

A ``client_order_id`` is derived, journalled as ``pending`` and only then sent; the journal then
follows it (``sent`` → ``acked``/``unknown`` → ``final``). After a crash, :meth:`OrderJournal.unresolved`
lists what may be at the venue without our knowing, so the engine resolves it from venue evidence
instead of sending it again. The journal also answers the day's committed notional for live caps.

:class:`FileOrderJournal` appends JSON lines, fsyncing each new order before it may be sent (durable across
restarts; later changes ride on the next fsync, see :meth:`FileOrderJournal.mark`; one file per
engine account); :class:`MemoryOrderJournal` is for paper trading and tests. The execution service
keeps its own ledger in PostgreSQL on top.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal, Protocol

from markets.base import OrderRequest

JournalState = Literal["pending", "sent", "acked", "unknown", "final", "refused"]
_OPEN: frozenset[JournalState] = frozenset({"pending", "sent", "unknown"})


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """The journal's view of one order."""

    client_order_id: str
    venue: str
    market_id: str
    outcome_id: str
    side: str
    limit_price: Decimal
    quantity: Decimal
    state: JournalState
    created_at: datetime
    venue_order_id: str | None = None
    note: str | None = None

    @property
    def notional(self) -> Decimal:
        """Dollars the order can commit: price x quantity for a buy, (1 - price) x quantity for a sell."""
        unit = self.limit_price if self.side == "buy" else Decimal(1) - self.limit_price
        return unit * self.quantity


class OrderJournal(Protocol):
    """Durable record of orders an engine has sent or is about to send."""

    async def record(self, venue: str, request: OrderRequest, venue_order_id: str | None = None) -> JournalEntry:
        """Write ``request`` as ``pending`` (idempotent: an existing entry is returned unchanged)."""
        ...

    async def mark(
        self, client_order_id: str, state: JournalState, venue_order_id: str | None = None, note: str | None = None
    ) -> JournalEntry:
        """Move an entry to ``state`` (and remember the venue's id)."""
        ...

    async def get(self, client_order_id: str) -> JournalEntry | None:
        """The entry for ``client_order_id``."""
        ...

    async def unresolved(self, venue: str) -> list[JournalEntry]:
        """Entries that may be at the venue without a known outcome (pending, sent, unknown)."""
        ...

    async def committed_notional(self, venue: str, day: date) -> Decimal:
        """Notional of every order of ``day`` (UTC) that was or may have been sent (not refused)."""
        ...


class MemoryOrderJournal:
    """An in-memory journal (paper trading, tests)."""

    def __init__(self) -> None:
        self._entries: dict[str, JournalEntry] = {}
        self._committed: dict[tuple[str, date], Decimal] = {}  # (venue, UTC day) -> notional not refused

    async def record(self, venue: str, request: OrderRequest, venue_order_id: str | None = None) -> JournalEntry:
        existing = self._entries.get(request.client_order_id)
        if existing is not None:
            return existing
        entry = JournalEntry(
            client_order_id=request.client_order_id,
            venue=venue,
            market_id=request.market_id,
            outcome_id=request.outcome_id,
            side=request.side,
            limit_price=request.limit_price,
            quantity=request.quantity,
            state="pending",
            created_at=datetime.now(UTC),
            venue_order_id=venue_order_id,
        )
        self._store(entry)
        return entry

    async def mark(
        self, client_order_id: str, state: JournalState, venue_order_id: str | None = None, note: str | None = None
    ) -> JournalEntry:
        entry = self._entries.get(client_order_id)
        if entry is None:
            raise KeyError(f"no journal entry for {client_order_id}")
        updated = replace(
            entry, state=state, venue_order_id=venue_order_id or entry.venue_order_id, note=note or entry.note
        )
        self._store(updated)
        return updated

    async def get(self, client_order_id: str) -> JournalEntry | None:
        return self._entries.get(client_order_id)

    async def unresolved(self, venue: str) -> list[JournalEntry]:
        return [e for e in self._entries.values() if e.venue == venue and e.state in _OPEN]

    async def committed_notional(self, venue: str, day: date) -> Decimal:
        return self._committed.get((venue, day), Decimal(0))

    def _store(self, entry: JournalEntry) -> None:
        old = self._entries.get(entry.client_order_id)
        if old is not None:
            self._count(old, -1)
        self._entries[entry.client_order_id] = entry
        self._count(entry, 1)

    def _count(self, entry: JournalEntry, sign: int) -> None:
        """Keep the day's committed notional as entries come and change (an order read once, not per check)."""
        if entry.state != "refused":
            key = (entry.venue, entry.created_at.date())
            self._committed[key] = self._committed.get(key, Decimal(0)) + sign * entry.notional


class FileOrderJournal(MemoryOrderJournal):
    """A journal persisted as JSON lines (one line per change; new orders fsynced), replayed on open.

    New orders are group-committed: those recorded while a write is on its way to the disk go together
    in the next write and share its fsync, so orders placed side by side do not queue behind one fsync each.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            for line in path.read_text().splitlines():
                if line.strip():
                    super()._store(_decode(line))
        self._lock = asyncio.Lock()
        self._batch: list[str] = []
        self._batch_done: asyncio.Future[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._fd: int | None = None
        self.fsyncs = 0

    async def record(self, venue: str, request: OrderRequest, venue_order_id: str | None = None) -> JournalEntry:
        """Write the new entry down and fsync it before returning: only then may the order be sent."""
        async with self._lock:
            existing = await MemoryOrderJournal.get(self, request.client_order_id)
            if existing is not None:
                return existing
            entry = await super().record(venue, request, venue_order_id)
            durable = self._enqueue(_encode(entry) + "\n")
        await durable
        return entry

    async def mark(
        self, client_order_id: str, state: JournalState, venue_order_id: str | None = None, note: str | None = None
    ) -> JournalEntry:
        """Write a change down without waiting for the disk (the next ``record``'s fsync takes it along).

        A process crash loses nothing written (it is in the page cache); a machine crash may lose a mark,
        which is safe: the entry is then still open at start-up and the engine resolves it from the venue,
        as it does any order whose answer it never saw.
        """
        async with self._lock:
            entry = await super().mark(client_order_id, state, venue_order_id, note)
            # On the loop: an append to the page cache takes microseconds, less than a hop to a thread.
            self._write([_encode(entry) + "\n"], False)
            return entry

    def _enqueue(self, line: str) -> asyncio.Future[None]:
        self._batch.append(line)
        if self._batch_done is None:
            self._batch_done = asyncio.get_running_loop().create_future()
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush(), name="journal-fsync")
        return self._batch_done

    async def _flush(self) -> None:
        try:
            while self._batch:
                lines, done = self._batch, self._batch_done
                self._batch, self._batch_done = [], None
                assert done is not None
                try:
                    await asyncio.to_thread(self._write, lines, True)
                except BaseException as e:  # every order of the batch fails to record: none is sent
                    done.set_exception(e)
                    if not isinstance(e, Exception):
                        raise
                else:
                    done.set_result(None)
        finally:
            self._flusher = None

    def _write(self, lines: list[str], durable: bool) -> None:
        if self._fd is None:  # opened once, appended to ever after (O_APPEND: each write lands whole at the end)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        data = "".join(lines).encode("utf-8")
        while data:
            data = data[os.write(self._fd, data) :]
        if durable:
            os.fdatasync(self._fd)  # an append: the data and the new size reach the disk
            self.fsyncs += 1


def _encode(entry: JournalEntry) -> str:
    raw = asdict(entry)
    raw["limit_price"] = str(entry.limit_price)
    raw["quantity"] = str(entry.quantity)
    raw["created_at"] = entry.created_at.isoformat()
    return json.dumps(raw, sort_keys=True)


def _decode(line: str) -> JournalEntry:
    raw = json.loads(line)
    raw["limit_price"] = Decimal(raw["limit_price"])
    raw["quantity"] = Decimal(raw["quantity"])
    raw["created_at"] = datetime.fromisoformat(raw["created_at"])
    return JournalEntry(**raw)
