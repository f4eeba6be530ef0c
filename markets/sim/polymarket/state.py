"""Everything one Polymarket simulator holds, built once and shared by its routes and WebSockets."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markets.sim.common.faults import FaultInjector
from markets.sim.polymarket.auth import ApiKeys
from markets.sim.polymarket.exchange import Exchange
from markets.sim.polymarket.hub import EventHub, Scheduler
from markets.sim.polymarket.ledger import Ledger
from markets.sim.polymarket.makers import Makers
from markets.sim.polymarket.stats import HandlingStats

GEOBLOCK_ERROR = (
    "Trading restricted in your region, please refer to available regions - "
    "https://docs.polymarket.com/developers/CLOB/geoblock"
)


@dataclass(frozen=True)
class SimConfig:
    """Simulator options (the CLI maps its flags onto these)."""

    chain_id: int = 137
    seed: str = "arbees-polymarket-sim"
    starting_balance: Decimal = Decimal(10_000)
    hash_with_last_trade_price: bool = True
    auth_max_skew_s: float = 30.0
    mine_delay_s: float = 0.3
    confirm_delay_s: float = 0.6
    geoblocked: bool = False
    ws_subscribe_timeout_s: float = 10.0
    heartbeat_timeout_s: float = 10.0


class VenueClock:
    """The venue's wall clock: ours plus ``offset_s`` (tests skew it to exercise clock checks, R22)."""

    def __init__(self, offset_s: float = 0.0) -> None:
        self.offset_s = offset_s

    def __call__(self) -> float:
        return time.time() + self.offset_s


@dataclass
class Geoblock:
    """What ``/api/geoblock`` answers, and whether order posts get the region 403."""

    blocked: bool = False
    country: str = "IE"
    region: str = "L"
    ip: str = "127.0.0.1"

    def answer(self) -> dict[str, Any]:
        """The probe's JSON."""
        return {"blocked": self.blocked, "ip": self.ip, "country": self.country, "region": self.region}


@dataclass
class SimState:
    """The simulator: exchange, keys, makers, faults, geoblock answer and a log of client requests.

    ``clock`` is the venue's wall clock (``/time`` and auth freshness); ``stats`` the handling time per endpoint.
    """

    config: SimConfig
    hub: EventHub
    scheduler: Scheduler
    exchange: Exchange
    keys: ApiKeys
    makers: Makers
    injector: FaultInjector
    geoblock: Geoblock
    started_at: float
    requests: list[tuple[str, str]] = field(default_factory=list)
    clock: VenueClock = field(default_factory=VenueClock)
    stats: HandlingStats = field(default_factory=HandlingStats)


def build_state(config: SimConfig | None = None, *, timeline: Callable[[], float] | None = None) -> SimState:
    """A fresh simulator state; ``timeline`` is the makers' time axis (default: seconds since start)."""
    cfg = config or SimConfig()
    started = time.time()
    hub, scheduler = EventHub(), Scheduler()
    exchange = Exchange(
        hub=hub,
        scheduler=scheduler,
        ledger=Ledger(cfg.starting_balance),
        hash_with_last_trade_price=cfg.hash_with_last_trade_price,
        mine_delay_s=cfg.mine_delay_s,
        confirm_delay_s=cfg.confirm_delay_s,
        heartbeat_timeout_s=cfg.heartbeat_timeout_s,
    )
    clock = VenueClock()
    keys = ApiKeys(cfg.chain_id, cfg.seed.encode(), max_skew_s=cfg.auth_max_skew_s, clock=clock)
    makers = Makers(exchange, timeline or (lambda: time.time() - started))
    geo = Geoblock(blocked=True, country="US", region="NY") if cfg.geoblocked else Geoblock()
    return SimState(cfg, hub, scheduler, exchange, keys, makers, FaultInjector(), geo, started, clock=clock)
