"""Money-carrying messages over Redis Streams: producing, dead-lettering and safe trimming.

Entries carry ``type``, ``message_id`` and the JSON ``payload``. Trimming uses ``MINID`` at or below the
oldest entry any consumer group still needs (its oldest pending entry, or the first one it has not
been delivered yet), so an unacknowledged entry is never dropped, whatever the retention.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from shared.bus import keys, stream_ids
from shared.messages import Message, encode, utc_now
from shared.metrics import STREAM_TRIMMED

log = logging.getLogger(__name__)


def entry_fields(message: Message) -> dict[str, bytes | str]:
    """The fields of a stream entry carrying ``message``."""
    return {"type": message.type, "message_id": str(message.message_id), "payload": encode(message)}


class StreamProducer:
    """Append messages to streams (directly; transactional writers use the outbox instead)."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis

    async def publish(self, stream: str, message: Message) -> str:
        """XADD ``message`` to ``stream``; return the entry id."""
        entry_id = await self._redis.xadd(stream, entry_fields(message))
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


async def dead_letter(
    redis: Any, stream: str, group: str, consumer: str, entry_id: str, payload: bytes | None, reason: str
) -> None:
    """Copy an entry to ``dlq:<stream>`` with the reason (the caller then acks the original)."""
    await redis.xadd(
        keys.dead_letter(stream),
        {
            "stream": stream,
            "group": group,
            "consumer": consumer,
            "entry_id": entry_id,
            "reason": reason,
            "payload": payload if payload is not None else b"",
            "ts": utc_now().isoformat(),
        },
    )
    log.error(
        "message dead-lettered",
        extra={"stream": stream, "group": group, "entry_id": entry_id, "reason": reason},
    )


async def oldest_needed_id(redis: Any, stream: str) -> tuple[int, int] | None:
    """The smallest id some group still needs, or ``None`` when no group reads the stream."""
    try:
        groups = await redis.xinfo_groups(stream)
    except Exception as e:  # noqa: BLE001 - a missing stream is answered with an error
        if "no such key" in str(e).lower():
            return None
        raise
    if not groups:
        return None
    floor: tuple[int, int] | None = None
    for group in groups:
        name = group["name"]
        summary = await redis.xpending(stream, name)
        if summary["pending"]:
            needed = stream_ids.parse(summary["min"])
        else:
            needed = stream_ids.successor(group["last-delivered-id"])
        floor = needed if floor is None or needed < floor else floor
    return floor


async def trim_stream(redis: Any, stream: str, retention_ms: int, now_ms: int | None = None) -> int:
    """Drop entries older than ``retention_ms`` that every group has acknowledged; return how many."""
    needed = await oldest_needed_id(redis, stream)
    if needed is None:
        return 0
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    cutoff = min(needed, (now - retention_ms, 0))
    removed = int(await redis.xtrim(stream, minid=stream_ids.fmt(cutoff), approximate=False))
    if removed:
        STREAM_TRIMMED.labels(stream).inc(removed)
    return removed
