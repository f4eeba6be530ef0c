"""Message contracts: every message that crosses the bus, with envelope and codec."""

from shared.messages.base import Message, derive_id, utc_now
from shared.messages.codec import MESSAGE_TYPES, AnyMessage, DecodeError, decode, encode
from shared.messages.fleet import (
    AssignShard,
    FeeSpec,
    GameAssignment,
    Heartbeat,
    InstrumentRef,
    TradingStateChanged,
)
from shared.messages.futures import LineMoved, PregameLine
from shared.messages.market_data import GameStateUpdated, MarketPriceUpdated, WinProbabilityUpdated
from shared.messages.orders import OrderDenied, OrderFilled, OrderUpdated, SubmitOrder
from shared.messages.positions import MarketSettled, PositionUpdated
from shared.messages.signals import SignalGenerated, SignalLeg

__all__ = [
    "MESSAGE_TYPES",
    "AnyMessage",
    "AssignShard",
    "DecodeError",
    "FeeSpec",
    "GameAssignment",
    "GameStateUpdated",
    "Heartbeat",
    "InstrumentRef",
    "LineMoved",
    "MarketPriceUpdated",
    "MarketSettled",
    "Message",
    "OrderDenied",
    "OrderFilled",
    "OrderUpdated",
    "PositionUpdated",
    "PregameLine",
    "SignalGenerated",
    "SignalLeg",
    "SubmitOrder",
    "TradingStateChanged",
    "WinProbabilityUpdated",
    "decode",
    "derive_id",
    "encode",
    "utc_now",
]
