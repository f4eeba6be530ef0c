"""Which game shards are alive: their heartbeats (``details.shard_id``) read from Redis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.runtime.heartbeat import is_healthy, read_heartbeats

GAME_SHARD = "game_shard"


async def healthy_shards(redis: Any, now: datetime) -> set[str]:
    """Shard ids of game_shard instances whose heartbeat is fresh (within two intervals) and ``ok``."""
    found: set[str] = set()
    for hb in await read_heartbeats(redis):
        if hb.service == GAME_SHARD and is_healthy(hb, now):
            shard = hb.details.get("shard_id")
            if shard is not None:
                found.add(str(shard))
    return found
