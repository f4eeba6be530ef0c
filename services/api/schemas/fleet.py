"""The fleet: service heartbeats, shard assignments and venue circuits."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class ServiceOut(BaseModel):
    """One service instance's latest heartbeat; ``healthy`` = fresh and ``ok``."""

    service: str
    instance_id: str
    status: str
    healthy: bool
    started_at: datetime
    last_beat: datetime
    details: dict[str, str | int | float | bool]


class ShardOut(BaseModel):
    """A game shard and the games assigned to it."""

    shard_id: str
    games: list[str]


class CircuitOut(BaseModel):
    """A venue's circuit as the execution service last reported it."""

    venue: str
    state: Literal["closed", "open", "half_open"]
    reason: str | None
    since: datetime | None


class FleetOut(BaseModel):
    """Services, shards and circuits."""

    services: list[ServiceOut]
    shards: list[ShardOut]
    circuits: list[CircuitOut]
