"""discovery_coordinator service: the catalogue loop (read, match, persist) and the assignment loop.

Every ``interval_s`` it reads ESPN scoreboards and both venues' game markets, matches them
(:mod:`services.discovery_coordinator.matching`) and stores games and verdicts. Every
``assign_interval_s`` (and right after a catalogue round) it spreads the tradable games over the healthy
game shards and publishes each shard's :class:`AssignShard` as a latest value (key: the shard id), so a
shard that starts late or reconnects reads its games at once. The Polymarket price shard follows the
union of these assignments.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import httpx

from markets.espn.client import EspnClient
from markets.espn.config import EspnSettings
from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.gamma import GammaClient
from services.discovery_coordinator import store
from services.discovery_coordinator.assign import plan
from services.discovery_coordinator.catalogue import MarketMatch
from services.discovery_coordinator.config import DiscoverySettings
from services.discovery_coordinator.matching import match_kalshi, match_polymarket
from services.discovery_coordinator.shards import healthy_shards
from services.discovery_coordinator.sources import Catalogue, Sources
from shared.aio import wait_event
from shared.bus import keys
from shared.config import load_settings
from shared.messages import AssignShard, GameAssignment, utc_now
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)
EASTERN = ZoneInfo("America/New_York")
REPUBLISH_S = 60.0


class DiscoveryCoordinatorService(Service):
    """Finds games and markets, matches them and assigns them to game shards."""

    name: ClassVar[str] = "discovery_coordinator"
    settings_class: ClassVar[type[DiscoverySettings]] = DiscoverySettings

    def __init__(self, settings: DiscoverySettings) -> None:
        super().__init__(settings)
        self.config = settings
        self.espn_settings = load_settings(EspnSettings)
        self.kalshi_settings = load_settings(KalshiSettings)
        self.polymarket_settings = load_settings(PolymarketSettings)
        self._assign_now = asyncio.Event()
        self._published: dict[str, tuple[tuple[str, ...], float]] = {}
        self.rounds = 0
        self.games_seen = 0
        self.matched: dict[str, int] = {"kalshi": 0, "polymarket": 0}
        self.refused = 0
        self.assigned = 0
        self.healthy: set[str] = set()
        self.last_failures: dict[str, str] = {}

    async def start(self, ctx: ServiceContext) -> None:
        http = httpx.AsyncClient(timeout=self.polymarket_settings.http_timeout_s)
        espn = EspnClient(self.espn_settings.base_url, timeout_s=self.espn_settings.timeout_s)
        kalshi = KalshiRestClient(self.kalshi_settings)
        gamma = GammaClient(http, self.polymarket_settings.gamma_url)
        sources = Sources(espn, kalshi, gamma, self.config.leagues)
        ctx.spawn(self._discover_loop(ctx, sources), name="discovery:catalogue")
        ctx.spawn(self._assign_loop(ctx), name="discovery:assign")

        async def close_on_stop() -> None:
            await ctx.stopping.wait()
            await asyncio.gather(espn.aclose(), kalshi.aclose(), http.aclose(), return_exceptions=True)

        ctx.spawn(close_on_stop(), name="discovery:close")

    # -- catalogue -------------------------------------------------------------------------------

    async def _discover_loop(self, ctx: ServiceContext, sources: Sources) -> None:
        while not ctx.stopping.is_set():
            try:
                await self.discover_once(ctx, sources)
            except Exception:  # noqa: BLE001 - one failed round must not stop discovery; the next retries
                log.exception("discovery round failed")
            await wait_event(ctx.stopping, self.config.interval_s)

    async def discover_once(self, ctx: ServiceContext, sources: Sources) -> Catalogue:
        """One round: read, match, store; then ask the assignment loop to run."""
        catalogue = await sources.read(utc_now().astimezone(EASTERN).date())
        matches = match_kalshi(catalogue.games, catalogue.kalshi_events, catalogue.kalshi_series)
        matches += match_polymarket(catalogue.games, catalogue.polymarket_events)
        if any(k.startswith("espn") for k in catalogue.failures):
            # Without every scoreboard a market's game may just be missing: keep its previous verdict.
            matches = [m for m in matches if m.game_id]
        async with ctx.infra.pool.acquire() as conn, conn.transaction():
            await store.upsert_games(conn, catalogue.games)
            await store.upsert_matches(conn, matches)
        self._count(catalogue, matches)
        self._assign_now.set()
        return catalogue

    def _count(self, catalogue: Catalogue, matches: list[MarketMatch]) -> None:
        self.rounds += 1
        self.games_seen = len(catalogue.games)
        self.matched = {
            venue: len({m.game_id for m in matches if m.venue == venue and m.status == "matched"})
            for venue in ("kalshi", "polymarket")
        }
        self.refused = sum(1 for m in matches if m.status == "refused")
        if catalogue.failures != self.last_failures and catalogue.failures:
            log.warning("discovery sources failed this round", extra={"failures": catalogue.failures})
        self.last_failures = dict(catalogue.failures)
        log.info(
            "discovery round",
            extra={
                "games": self.games_seen,
                "kalshi_events": len(catalogue.kalshi_events),
                "polymarket_events": len(catalogue.polymarket_events),
                "matched_games": self.matched,
                "refused_markets": self.refused,
            },
        )

    # -- assignment ------------------------------------------------------------------------------

    async def _assign_loop(self, ctx: ServiceContext) -> None:
        while not ctx.stopping.is_set():
            await wait_event(self._assign_now, self.config.assign_interval_s)
            self._assign_now.clear()
            if ctx.stopping.is_set():
                return
            try:
                await self.assign_once(ctx)
            except Exception:  # noqa: BLE001 - the next tick retries
                log.exception("shard assignment failed")

    async def assign_once(self, ctx: ServiceContext) -> dict[str, str]:
        """Assign the tradable games over the healthy shards and publish every shard's games."""
        now = utc_now()
        self.healthy = await healthy_shards(ctx.infra.redis, now)
        async with ctx.infra.pool.acquire() as conn:
            games = await store.tradable_games(
                conn,
                now=now,
                lookahead=timedelta(hours=self.config.lookahead_h),
                post_grace=timedelta(seconds=self.config.post_grace_s),
                min_confidence=self.config.min_confidence,
            )
            current = await store.load_assignments(conn)
            result = plan((g.game_id for g in games), current, self.healthy)
            await store.save_assignments(conn, result.assignment, result.moved)
        for game_id, why in result.moved.items():
            log.info("game assigned", extra={"game_id": game_id, "shard_id": result.assignment[game_id], "why": why})
        if not self.healthy and games:
            log.warning("no healthy game shard: games stay where they were", extra={"games": len(games)})
        by_id = {g.game_id: g for g in games}
        shards = self.healthy | set(current.values()) | set(self._published)
        for shard in sorted(shards):
            mine = tuple(by_id[g] for g, s in sorted(result.assignment.items()) if s == shard)
            await self._publish(ctx, shard, mine, now)
        self.assigned = len(result.assignment)
        return result.assignment

    async def _publish(self, ctx: ServiceContext, shard: str, games: tuple[GameAssignment, ...], now: datetime) -> None:
        fingerprint = tuple(g.model_dump_json() for g in games)
        previous = self._published.get(shard)
        clock = asyncio.get_running_loop().time()
        if previous is not None and previous[0] == fingerprint and clock - previous[1] < REPUBLISH_S:
            return
        await ctx.infra.market_data.publish(keys.SHARD_ASSIGNMENT, shard, AssignShard(shard_id=shard, games=games))
        self._published[shard] = (fingerprint, clock)

    def health_details(self) -> dict[str, str | int | float | bool]:
        details: dict[str, Any] = super().health_details()
        details.update(
            rounds=self.rounds,
            games=self.games_seen,
            matched_kalshi=self.matched["kalshi"],
            matched_polymarket=self.matched["polymarket"],
            refused_markets=self.refused,
            assigned=self.assigned,
            healthy_shards=",".join(sorted(self.healthy)),
            source_failures=len(self.last_failures),
        )
        return details
