"""The message envelope every bus message carries, and helpers to build messages.

All messages are frozen pydantic models with ``extra="forbid"``, a ``type`` tag (``Literal``) and a
``schema_version`` (``Literal``), so a payload of an unknown type or version fails validation and goes to
the dead-letter stream instead of being half-understood. A handler never mutates a message; it derives a
new one with :meth:`Message.caused` so ``correlation_id`` follows the flow and ``causation_id`` points to
the parent.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def utc_now() -> datetime:
    """Timezone-aware current UTC time."""
    return datetime.now(UTC)


def _require_tz(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware (UTC)")
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_require_tz)]

# Deterministic ids (uuid5) let a re-run derive the same id for the same logical event, so replays dedupe.
ARBEES_NAMESPACE = uuid.UUID("6f1c2a4e-8d7b-5e3a-9c1f-0a2b3c4d5e6f")


def derive_id(*parts: object) -> uuid.UUID:
    """A stable UUID for a logical event named by ``parts`` (same parts, same id)."""
    return uuid.uuid5(ARBEES_NAMESPACE, "|".join(str(p) for p in parts))


M = TypeVar("M", bound="Message")


class Message(BaseModel):
    """Envelope: identity, causality and the two timestamps.

    ``ts_event`` is when the thing happened (venue or game time, UTC); ``ts_init`` is when we built
    this object.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_timedelta="float")

    type: str
    schema_version: int
    message_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    correlation_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    causation_id: uuid.UUID | None = None
    ts_event: UtcDatetime = Field(default_factory=utc_now)
    ts_init: UtcDatetime = Field(default_factory=utc_now)

    SCHEMA_VERSION: ClassVar[int] = 1

    def caused(self, cls: builtins.type[M], **fields: Any) -> M:
        """Build a message of ``cls`` caused by this one (same correlation, causation = this id)."""
        fields.setdefault("correlation_id", self.correlation_id)
        fields.setdefault("causation_id", self.message_id)
        return cls(**fields)
