"""Everything one running Kalshi simulator holds, shared by its REST, WebSocket and control routes."""

from __future__ import annotations

from dataclasses import dataclass, field

from markets.sim.common.faults import FaultInjector
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.makers import MakerDesk
from markets.sim.kalshi.stats import RequestStats
from markets.sim.kalshi.ws import KalshiWsHub


@dataclass
class SimState:
    """The exchange, the accepted keys, the makers, the WebSocket hub, the fault injector and request stats."""

    exchange: KalshiExchange
    keys: KeyRegistry
    injector: FaultInjector = field(default_factory=FaultInjector)
    stats: RequestStats = field(default_factory=RequestStats)
    desk: MakerDesk = field(init=False)
    hub: KalshiWsHub = field(init=False)
    run_makers: bool = True
    game_ids: dict[str, str] = field(default_factory=dict)
    """``ticker -> replayed game id`` for markets seeded from a replay."""

    def __post_init__(self) -> None:
        self.desk = MakerDesk(self.exchange)
        self.hub = KalshiWsHub(self.exchange, self.keys, self.injector)
