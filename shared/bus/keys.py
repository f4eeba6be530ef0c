"""Names of every Redis key, channel and stream, in one place."""

from __future__ import annotations

from typing import Final

# Money-carrying streams (consumer groups, acked after handling).
SIGNALS: Final = "stream:signals"
ORDER_SUBMIT: Final = "stream:orders.submit"
ORDER_EVENTS: Final = "stream:orders.events"
FILLS: Final = "stream:fills"
POSITIONS: Final = "stream:positions"
SETTLEMENTS: Final = "stream:settlements"

MONEY_STREAMS: Final = (SIGNALS, ORDER_SUBMIT, ORDER_EVENTS, FILLS, POSITIONS, SETTLEMENTS)

# Latest-value topics (pub/sub + a key per item).
GAME_STATE: Final = "game_state"
MARKET_PRICE: Final = "market_price"
WIN_PROBABILITY: Final = "win_probability"
SHARD_ASSIGNMENT: Final = "shard_assignment"
TRADING_STATE: Final = "trading_state"
LINE_MOVEMENT: Final = "line_movement"
PREGAME_LINE: Final = "pregame_line"


def dead_letter(stream: str) -> str:
    """The dead-letter stream for ``stream``."""
    return f"dlq:{stream}"


def channel(topic: str) -> str:
    """The pub/sub channel of a latest-value topic."""
    return f"md:{topic}"


def latest(topic: str, key: str) -> str:
    """The key holding the latest value of ``key`` in ``topic``."""
    return f"latest:{topic}:{key}"


def latest_index(topic: str) -> str:
    """A hash of every key seen in ``topic`` -> latest payload (for late readers)."""
    return f"latest:{topic}"


def heartbeat(service: str, instance_id: str) -> str:
    """The key of one service instance's heartbeat."""
    return f"heartbeat:{service}:{instance_id}"


HEARTBEAT_PATTERN: Final = "heartbeat:*"
