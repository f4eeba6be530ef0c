"""The fleet from Redis heartbeats and the shard assignments table.

Venue circuits come from the execution service's heartbeat details: ``circuit.<venue>`` is ``closed``,
``open: <reason>`` or ``half_open: <reason>``, and ``circuit.<venue>.since`` when the state was first
reported (ISO-8601).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from services.api.schemas import CircuitOut, FleetOut, ServiceOut, ShardOut
from shared.messages import Heartbeat, utc_now
from shared.runtime.heartbeat import is_healthy, read_heartbeats

_STATES = ("closed", "open", "half_open")


def circuits(heartbeats: Sequence[Heartbeat]) -> list[CircuitOut]:
    """Each venue's circuit from the freshest execution-service heartbeat that reports it."""
    found: dict[str, CircuitOut] = {}
    for beat in sorted(heartbeats, key=lambda h: h.ts_event):
        if beat.service != "execution_service":
            continue
        for key, value in beat.details.items():
            if not key.startswith("circuit.") or key.count(".") != 1:
                continue
            venue = key.removeprefix("circuit.")
            state, _, reason = str(value).partition(": ")
            if state not in _STATES:
                continue
            since = beat.details.get(f"{key}.since")
            found[venue] = CircuitOut.model_validate(
                {
                    "venue": venue,
                    "state": state,
                    "reason": reason or None,
                    "since": _when(since),
                }
            )
    return [found[v] for v in sorted(found)]


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


async def fleet(pool: asyncpg.Pool, redis: Any) -> FleetOut:
    """Live services, the games of each shard, and the venue circuits."""
    beats = await read_heartbeats(redis)
    now = utc_now()
    rows = await pool.fetch(
        "SELECT shard_id, array_agg(game_id ORDER BY game_id) AS games FROM shard_assignments GROUP BY 1 ORDER BY 1"
    )
    return FleetOut(
        services=[
            ServiceOut(
                service=b.service,
                instance_id=b.instance_id,
                status=b.status,
                healthy=is_healthy(b, now),
                started_at=b.started_at,
                last_beat=b.ts_event,
                details=b.details,
            )
            for b in beats
        ],
        shards=[ShardOut(shard_id=r["shard_id"], games=list(r["games"])) for r in rows],
        circuits=circuits(beats),
    )
