"""Encoding of messages to bytes and back, with a registry of every known type and schema version.

``decode`` never returns a half-understood message: bad JSON, an unknown ``type``, an unsupported
``schema_version`` or a failed validation raise :class:`DecodeError` with a reason fit for the
dead-letter stream.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeAlias

from pydantic import Field, TypeAdapter, ValidationError

from shared.messages.base import Message
from shared.messages.fleet import AssignShard, Heartbeat, TradingStateChanged
from shared.messages.futures import LineMoved, PregameLine
from shared.messages.market_data import GameStateUpdated, MarketPriceUpdated, WinProbabilityUpdated
from shared.messages.orders import OrderDenied, OrderFilled, OrderUpdated, SubmitOrder
from shared.messages.positions import MarketSettled, PositionUpdated
from shared.messages.signals import SignalGenerated

AnyMessage: TypeAlias = Annotated[
    GameStateUpdated
    | MarketPriceUpdated
    | WinProbabilityUpdated
    | SignalGenerated
    | SubmitOrder
    | OrderDenied
    | OrderUpdated
    | OrderFilled
    | PositionUpdated
    | MarketSettled
    | AssignShard
    | Heartbeat
    | TradingStateChanged
    | LineMoved
    | PregameLine,
    Field(discriminator="type"),
]

MESSAGE_TYPES: dict[str, type[Message]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        GameStateUpdated,
        MarketPriceUpdated,
        WinProbabilityUpdated,
        SignalGenerated,
        SubmitOrder,
        OrderDenied,
        OrderUpdated,
        OrderFilled,
        PositionUpdated,
        MarketSettled,
        AssignShard,
        Heartbeat,
        TradingStateChanged,
        LineMoved,
        PregameLine,
    )
}
SUPPORTED_VERSIONS: dict[str, int] = {
    name: int(cls.model_fields["schema_version"].default) for name, cls in MESSAGE_TYPES.items()
}

_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyMessage)


class DecodeError(ValueError):
    """A payload is not a message we understand; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def encode(message: Message) -> bytes:
    """Serialise a message to compact JSON bytes (Decimals as strings, times ISO-8601 UTC)."""
    return message.model_dump_json().encode()


def decode(data: bytes | str) -> Message:
    """Parse and validate bytes into the right message class.

    Raises
    ------
    DecodeError
        For invalid JSON, an unknown type, an unsupported schema version or invalid fields.
    """
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DecodeError(f"invalid JSON: {e}") from None
    if not isinstance(raw, dict):
        raise DecodeError("payload is not a JSON object")
    kind = raw.get("type")
    if kind not in MESSAGE_TYPES:
        raise DecodeError(f"unknown message type {kind!r}")
    version = raw.get("schema_version")
    if version != SUPPORTED_VERSIONS[kind]:
        raise DecodeError(f"unsupported schema_version {version!r} for {kind} (supported: {SUPPORTED_VERSIONS[kind]})")
    try:
        message: Message = _ADAPTER.validate_python(raw)
    except ValidationError as e:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
            for err in e.errors(include_url=False, include_input=False)
        )
        raise DecodeError(f"invalid {kind}: {details}") from None
    return message
