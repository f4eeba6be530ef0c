"""Response models of the read API (money and prices as exact decimal strings), one module per concern."""

from services.api.schemas.common import HealthOut, Page, StateChangeIn, TradingStateOut
from services.api.schemas.fleet import CircuitOut, FleetOut, ServiceOut, ShardOut
from services.api.schemas.games import (
    GameHistory,
    GameStateOut,
    GameSummary,
    MatchOut,
    PriceOut,
    ProbabilityOut,
    SignalMark,
)
from services.api.schemas.pnl import PnlBreakdown, PnlFigures, PnlPoint, PnlSummary
from services.api.schemas.risk import DenialCount, GaugeOut, RiskOut
from services.api.schemas.stream import GameStateEvent, HelloEvent, PriceEvent, ProbabilityEvent
from services.api.schemas.trading import FillOut, OrderOut, PositionOut, SettlementOut, SignalLegOut, SignalOut

__all__ = [
    "CircuitOut",
    "DenialCount",
    "FillOut",
    "FleetOut",
    "GameHistory",
    "GameStateEvent",
    "GameStateOut",
    "GameSummary",
    "GaugeOut",
    "HealthOut",
    "HelloEvent",
    "MatchOut",
    "OrderOut",
    "Page",
    "PnlBreakdown",
    "PnlFigures",
    "PnlPoint",
    "PnlSummary",
    "PositionOut",
    "PriceEvent",
    "PriceOut",
    "ProbabilityEvent",
    "ProbabilityOut",
    "RiskOut",
    "ServiceOut",
    "SettlementOut",
    "ShardOut",
    "SignalLegOut",
    "SignalMark",
    "SignalOut",
    "StateChangeIn",
    "TradingStateOut",
]
