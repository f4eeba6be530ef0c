"""The paper engine's push stream: every order and fill report, in the order they happened, never dropped.

Each call of :meth:`UpdateHub.stream` subscribes at once (nothing published after the call is missed,
even before the first ``await``) to an unbounded queue: private order and fill events are never dropped
for a slow reader (reliability R16). :meth:`UpdateHub.close` ends every stream.
"""

from __future__ import annotations

import asyncio

from markets.base import FillReport, OrderReport

Update = OrderReport | FillReport


class UpdateStream:
    """One subscriber's stream; an async iterator that ends when the hub closes or :meth:`aclose` is called."""

    def __init__(self, hub: UpdateHub) -> None:
        self._hub = hub
        self._queue: asyncio.Queue[Update | None] = asyncio.Queue()

    def _push(self, item: Update | None) -> None:
        self._queue.put_nowait(item)

    def __aiter__(self) -> UpdateStream:
        return self

    async def __anext__(self) -> Update:
        item = await self._queue.get()
        if item is None:
            self._hub.discard(self)
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        """Unsubscribe (idempotent); the stream then ends."""
        self._hub.discard(self)
        self._push(None)


class UpdateHub:
    """Fans reports out to every open stream."""

    def __init__(self) -> None:
        self._streams: set[UpdateStream] = set()

    def stream(self) -> UpdateStream:
        """A new stream, subscribed now."""
        stream = UpdateStream(self)
        self._streams.add(stream)
        return stream

    def discard(self, stream: UpdateStream) -> None:
        """Forget ``stream`` (idempotent)."""
        self._streams.discard(stream)

    def publish(self, item: Update) -> None:
        """Deliver ``item`` to every open stream."""
        for stream in self._streams:
            stream._push(item)

    def close(self) -> None:
        """End every open stream (idempotent)."""
        streams, self._streams = self._streams, set()
        for stream in streams:
            stream._push(None)
