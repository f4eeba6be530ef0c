"""``arbees replay``: the three simulators on recorded real games and the fleet as separate processes.

1. Redis: ``REDIS_URL``, or a private ``redis-server`` (append-only file on) under the run directory.
   PostgreSQL: ``DATABASE_URL``, or a new database on the embedded server (one per run).
2. The fleet starts, one process per service (``arbees run <service>``), pointed at the simulators
   through its normal settings, and the run waits for every heartbeat. Side by side, the ESPN, Kalshi
   and Polymarket simulators start on the same games and clock (``--date``: every game of one day, see
   :mod:`services.cli.replay.day`); replay time 0 is set so the first game starts ``--lead-s`` after
   they are launched. With ``--venues sim`` the execution service starts once they answer.
3. Discovery finds the games and their markets, the shards
   price them, signals are risk-checked and filled on paper (``--venues sim``: sent by the real Kalshi and
   Polymarket engines to the simulators' books, see :mod:`services.cli.replay.venues`), positions settle
   when the venues resolve.
4. When every game is over, every position settled and no money message is waiting, everything stops
   and the summary is printed (``--json``: the last line is one JSON object). Exit 0 only when the
   ledger check holds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from services.cli.parsers.replay import DEFAULT_DATA as DEFAULT_DATA
from services.cli.parsers.replay import VenueMode
from services.cli.replay.dashboard import Dashboard, choose_port, wait_for_interrupt
from services.cli.replay.keys import make_api_key, make_wallet_key
from services.cli.replay.lag import lag_figures
from services.cli.replay.monitor import ProgressPrinter, backlog, finished, progress, quiescent
from services.cli.replay.plan import DRAIN_TIMEOUT_S, Ports, ReplayPlan, fleet_env, venue_env
from services.cli.replay.processes import Child, arbees
from services.cli.replay.redis_server import RedisServer, free_port
from services.cli.replay.summary import summarise, summary_lines
from services.cli.replay.venues import SimAccounts, live_env, wallet_env
from shared.bus.redis_conn import connect_redis
from shared.config import ArbeesSettings, ConfigError, load_settings
from shared.db.migrate import migrate
from shared.db.pool import create_pool
from shared.embedded import embedded_database_url
from shared.logs import configure_logging
from shared.runtime.heartbeat import is_healthy, read_heartbeats

log = logging.getLogger(__name__)
STOP_GRACE_S = 5.0
"""Seconds a fleet process may take past its drain timeout to exit after SIGTERM before it is killed."""
FLEET = ("discovery_coordinator", "polymarket_price_shard", "signal_processor", "execution_service",
         "position_tracker", "api", "futures_monitor")  # fmt: skip


async def run(args: argparse.Namespace) -> int:
    base = load_settings(ArbeesSettings)
    configure_logging("WARNING")
    if args.shards < 1:
        raise ConfigError("--shards: at least one game shard")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = args.run_dir or base.data_dir / "replays" / stamp
    run_dir.mkdir(parents=True, exist_ok=True)
    try:
        if args.date is not None:
            folder = run_dir / f"recorded-{args.date.isoformat()}"
            plan = ReplayPlan.for_day(args.data, args.date, args.sports, args.seed, args.speed, args.lead_s, folder)
        else:
            plan = ReplayPlan.load(args.data, args.sports, args.limit, args.seed, args.speed, args.lead_s)
    except (ValueError, OSError) as e:
        raise ConfigError(f"--data/--sports/--date: {e}") from None
    if not 0 <= args.api_port <= 65535:
        raise ConfigError("--api-port: a TCP port (0-65535; 0 for any free port)")
    replay = Replay(plan, base, run_dir, args.shards, print, api_port=choose_port(args.api_port), venues=args.venues)

    async def report(summary: dict[str, Any]) -> None:
        for line in summary_lines(summary):
            print(line)
        print(f"logs: {run_dir}")
        if args.json:
            print(json.dumps(summary, sort_keys=True))
        if args.hold:
            await replay.hold()

    summary = await replay.run(args.timeout_s, after=report)
    return 0 if summary["ledger_ok"] else 1


def database_name(run_dir: Path) -> str:
    """A new database's name on the embedded server for a run in ``run_dir``: ``arbees_replay_<run dir>_<random>``.

    Random, not only the run directory's name: two runs in directories of the same name (``--run-dir x/run``,
    ``--run-dir y/run``) must not share a database (the second would find the first's games, messages and
    fills, and report them as its own).
    """
    stem = re.sub(r"[^a-z0-9]+", "_", run_dir.name.lower())[:32].strip("_")
    return f"arbees_replay_{stem}_{secrets.token_hex(4)}"


class Replay:
    """One replay run (also used by the end-to-end tests, which reach into its processes)."""

    def __init__(
        self,
        plan: ReplayPlan,
        base: ArbeesSettings,
        run_dir: Path,
        shards: int,
        say: Callable[[str], None],
        *,
        api_port: int = 0,
        venues: VenueMode = "paper",
    ) -> None:
        self.plan = plan
        self.base = base
        self.run_dir = run_dir
        self.shards = shards
        self.say = say
        self.ports = Ports(free_port(), free_port(), free_port(), api_port or free_port())
        self.redis_server: RedisServer | None = None
        self.fleet: dict[str, Child] = {}
        self.sims: dict[str, Child] = {}
        self.redis_url = ""
        self.database_url = ""
        self.env: dict[str, str] = {}
        self.started_at: float | None = None
        self.on_running: Callable[[Replay], Any] | None = None
        self.venues: VenueMode = venues
        self.accounts: SimAccounts | None = None
        self.venue_open_orders: dict[str, int] | None = None
        self.marks: dict[str, float] = {}
        """Wall time (epoch seconds) each phase of the run ended: see :meth:`_timings`."""
        self.settled_in_time = False
        self.backlog_max: dict[str, int] = {}
        """The largest backlog seen on each money stream while the games played (sampled every second)."""

    @property
    def dashboard(self) -> Dashboard:
        """The dashboard served by the fleet's ``api`` process."""
        return Dashboard(self.ports.api, self.run_dir / "data", self.env)

    async def run(
        self, timeout_s: float | None = None, after: Callable[[dict[str, Any]], Awaitable[None]] | None = None
    ) -> dict[str, Any]:
        """Run to the end and return the summary (processes are stopped whatever happens).

        ``after`` runs with the summary while Redis and the database are still up (``--hold`` needs them).
        """
        self.marks = {"begin": time.time()}
        try:
            summary = await self._run(timeout_s)
            if after is not None:
                await after(summary)
            return summary
        finally:
            if self.redis_server is not None:
                await self.redis_server.stop()

    async def _run(self, timeout_s: float | None) -> dict[str, Any]:
        try:
            await self._infrastructure()
            self.marks["infrastructure"] = time.time()
            # Real engines check the venues at start-up: with --venues sim the execution service starts
            # once the simulators answer (intents approved before then wait on their stream). The rest of
            # the fleet and the simulators start side by side: the services retry a venue that is not up yet.
            deferred = ("execution_service",) if self.venues == "sim" else ()
            start_at = await self._start_side_by_side(deferred)
            if deferred:
                await self._start_deferred(deferred)
            self.marks["deferred"] = time.time()
            end_at = self.plan.end_at(start_at)
            self.marks["first_start"] = start_at + min(g.start_offset_s for g in self.plan.games) / self.plan.speed
            self.marks["last_end"] = end_at
            day = f" (every one played on {self.plan.day.isoformat()})" if self.plan.day else ""
            first_in = self.marks["first_start"] - time.time()
            first = f"first starts in {first_in:.0f} s" if first_in >= 0 else f"first started {-first_in:.0f} s ago"
            self.say(
                f"[replay]  {len(self.plan.games)} recorded games of {', '.join(self.plan.leagues)}{day} at "
                f"{self.plan.speed:g}x; {first}, last ends in {end_at - time.time():.0f} s"
            )
            for line in await self.dashboard.announce_lines():
                self.say(line)
            deadline = end_at + (timeout_s if timeout_s is not None else 90.0)
            self.settled_in_time = await self._watch(end_at, deadline)
            self.marks["settled"] = time.time()
        finally:
            await self._stop()
            self.marks["stopped"] = time.time()
        return await self._summary()

    # -- set-up ----------------------------------------------------------------------------------

    async def _infrastructure(self) -> None:
        if self.base.redis_url:
            self.redis_url = self.base.redis_url
        else:
            self.redis_server = RedisServer(self.run_dir / "redis")
            await self.redis_server.start()
            self.redis_url = self.redis_server.url
        if self.base.database_url is not None:
            self.database_url = self.base.database_url.get_secret_value()
        else:
            name = database_name(self.run_dir)
            self.database_url = await embedded_database_url(self.base.data_dir, name)
        pool = await create_pool(self.database_url, max_size=2)
        try:
            async with pool.acquire() as conn:
                await migrate(conn)
        finally:
            await pool.close()
        key = make_api_key(self.run_dir / "keys")
        self.kalshi_key = key
        self.env = {
            **fleet_env(self.plan, self.redis_url, self.database_url, self.run_dir / "data", self.ports.api),
            **venue_env(self.ports, key.key_id, key.private_key_path),
        }
        if self.venues == "sim":
            self.accounts = SimAccounts(self.ports, key, make_wallet_key(self.run_dir / "keys"))
            self.env |= live_env()

    def _child(self, name: str) -> Child:
        env = self.env
        if name == "execution_service" and self.accounts is not None:
            env = {**env, **wallet_env(self.accounts.wallet)}  # the signing key: this process only
        return Child(name, arbees("run", name), env, self.run_dir / "logs" / f"{name}.log")

    async def _start_side_by_side(self, deferred: tuple[str, ...]) -> float:
        """Start the fleet (but ``deferred``) and the simulators together; returns the replay's time 0."""
        fleet = asyncio.ensure_future(self._start_fleet(deferred))
        sims = asyncio.ensure_future(self._start_sims())
        fleet.add_done_callback(lambda _: self.marks.setdefault("fleet", time.time()))
        sims.add_done_callback(lambda _: self.marks.setdefault("sims", time.time()))
        try:
            _, start_at = await asyncio.gather(fleet, sims)
            self.marks["up"] = time.time()
        except BaseException:
            for task in (fleet, sims):
                task.cancel()
            await asyncio.gather(fleet, sims, return_exceptions=True)
            raise
        return start_at

    async def _start_fleet(self, deferred: tuple[str, ...] = ()) -> None:
        logs = self.run_dir / "logs"
        for name in FLEET:
            if name not in deferred:
                self.fleet[name] = self._child(name)
        for shard in range(self.shards):
            name = f"game_shard-{shard}"
            env = {**self.env, "GAME_SHARD_SHARD_ID": str(shard)}
            self.fleet[name] = Child(name, arbees("run", "game_shard"), env, logs / f"{name}.log")
        await asyncio.gather(*(child.start() for child in self.fleet.values()))
        await self._wait_healthy(120.0)
        if not deferred:
            self._say_fleet()

    async def _start_deferred(self, names: tuple[str, ...]) -> None:
        """Fund our simulator accounts, then start the processes that needed the simulators up."""
        if self.accounts is not None:
            await self.accounts.fund_wallet()
        started = {name: self._child(name) for name in names}
        self.fleet |= started
        await asyncio.gather(*(child.start() for child in started.values()))
        await self._wait_healthy(120.0)
        self._say_fleet()

    def _say_fleet(self) -> None:
        how = "paper trading" if self.venues == "paper" else "trading on the simulators' books"
        self.say(f"[fleet]   {len(self.fleet)} processes up: {', '.join(self.fleet)} ({how})")

    async def _wait_healthy(self, timeout_s: float) -> None:
        redis = connect_redis(self.redis_url, single_process=False)
        wanted = {n.split("-")[0]: 0 for n in self.fleet}
        for name in self.fleet:
            wanted[name.split("-")[0]] += 1
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    self._check_alive(self.fleet)
                    beats = [hb for hb in await read_heartbeats(redis) if is_healthy(hb)]
                    have = {name: sum(1 for hb in beats if hb.service == name) for name in wanted}
                    if all(have[n] >= count for n, count in wanted.items()):
                        return
                    await asyncio.sleep(0.2)
        except TimeoutError:
            raise RuntimeError(f"replay: the fleet did not report healthy within {timeout_s:.0f} s") from None
        finally:
            await redis.aclose()

    def _check_alive(self, children: dict[str, Child]) -> None:
        for child in children.values():
            if not child.running:
                raise RuntimeError(
                    f"replay: {child.name} exited with {child.returncode}; its log ends:\n{child.tail()}"
                )

    async def _start_sims(self) -> float:
        start_at = self.plan.start_at()
        data = str(self.plan.data)
        common = self.plan.sim_args(start_at)
        logs = self.run_dir / "logs"
        self.sims = {
            "espn": Child("sim-espn", arbees("sim", "espn", "--port", str(self.ports.espn), "--data", data, *common),
                          {}, logs / "sim-espn.log"),
            "kalshi": Child(
                "sim-kalshi",
                arbees("sim", "kalshi", "--port", str(self.ports.kalshi), "--replay-data", data, *common,
                       "--api-key-id", self.kalshi_key.key_id, "--public-key", str(self.kalshi_key.public_key_path)),
                {}, logs / "sim-kalshi.log"),
            "polymarket": Child(
                "sim-polymarket",
                arbees("sim", "polymarket", "--port", str(self.ports.polymarket), "--replay-data", data, *common),
                {}, logs / "sim-polymarket.log"),
        }  # fmt: skip
        await asyncio.gather(*(child.start() for child in self.sims.values()))
        ports = {"espn": self.ports.espn, "kalshi": self.ports.kalshi, "polymarket": self.ports.polymarket}
        async with httpx.AsyncClient(timeout=2.0) as http:
            for name, port in ports.items():
                await self._wait_answering(http, name, port)
        self.started_at = start_at
        self.say("[sims]    ESPN, Kalshi and Polymarket simulators up on loopback, replaying recorded games")
        return start_at

    async def _wait_answering(self, http: httpx.AsyncClient, name: str, port: int) -> None:
        async with asyncio.timeout(60.0):
            while True:
                self._check_alive(self.sims)
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{port}/_sim/health")).status_code == 200:
                        return
                await asyncio.sleep(0.1)

    # -- running ---------------------------------------------------------------------------------

    async def _watch(self, end_at: float, deadline: float) -> bool:
        """Until every game is over and settled (True), or the deadline (False)."""
        pool = await create_pool(self.database_url, max_size=2)
        redis = connect_redis(self.redis_url, single_process=False)
        printer = ProgressPrinter(self.plan.games, self.say)
        hook_done = False
        try:
            while True:
                current = await progress(pool, self.plan.games)
                printer.update(current)
                for stream, waiting in (await backlog(redis)).items():
                    self.backlog_max[stream] = max(waiting, self.backlog_max.get(stream, 0))
                if not hook_done and self.on_running is not None:
                    hook_done = True
                    result = self.on_running(self)
                    if asyncio.iscoroutine(result):
                        await result
                now = time.time()
                # Done when the games are over, every position settled and no money message in flight;
                # the deadline alone bounds the wait (a loaded machine settles later, not differently).
                if now >= end_at and finished(current) and await quiescent(pool, redis):
                    return True
                if now > deadline:
                    self.say("[replay]  timed out waiting for the games to end and settle")
                    return False
                await asyncio.sleep(1.0)
        finally:
            await redis.aclose()
            await pool.close()

    async def hold(self) -> None:
        """Serve the dashboard on the finished run (the ``api`` process alone) until Ctrl-C."""
        api = Child("api", arbees("run", "api"), self.env, self.run_dir / "logs" / "api-hold.log")
        await api.start()
        try:
            async with httpx.AsyncClient(timeout=2.0) as http:
                await self._wait_api(http, api)
            for line in await self.dashboard.announce_lines():
                self.say(line)
            self.say("[dashboard] the replay is over; the dashboard stays open on its results until Ctrl-C")
            await wait_for_interrupt()
        finally:
            await api.stop(10.0)

    async def _wait_api(self, http: httpx.AsyncClient, api: Child) -> None:
        async with asyncio.timeout(60.0):
            while True:
                self._check_alive({"api": api})
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{self.ports.api}/api/v1/health")).status_code == 200:
                        return
                await asyncio.sleep(0.1)

    async def _stop(self) -> None:
        # The runner cancels what is still running after its drain timeout: a process alive past that and a
        # grace is stuck, and is killed (its exit code is in the summary).
        stop_s = DRAIN_TIMEOUT_S + STOP_GRACE_S
        await asyncio.gather(*(child.stop(stop_s) for child in self.fleet.values()), return_exceptions=True)
        if self.accounts is not None and self.sims and all(child.running for child in self.sims.values()):
            try:  # what of ours still rests on the venues once the fleet is gone (asked before they stop)
                self.venue_open_orders = await self.accounts.open_orders()
            except Exception as e:  # noqa: BLE001 - the summary says it could not be read
                self.say(f"[replay]  could not read the simulators' open orders: {type(e).__name__}: {e}")
        await asyncio.gather(*(child.stop(5.0) for child in self.sims.values()), return_exceptions=True)

    async def _summary(self) -> dict[str, Any]:
        pool = await create_pool(self.database_url, max_size=2)
        redis = connect_redis(self.redis_url, single_process=False)
        try:
            summary = await summarise(pool, redis, [g.game_id for g in self.plan.games])
            if self.started_at is not None:
                summary["lag_s"] = await lag_figures(pool, self.plan, self.started_at)
        finally:
            await redis.aclose()
            await pool.close()
        summary["venues"] = self.venues
        summary["venue_open_orders"] = self.venue_open_orders
        summary["day"] = self.plan.day.isoformat() if self.plan.day else None
        summary["leagues"] = list(self.plan.leagues)
        summary["speed"] = self.plan.speed
        summary["game_span_s"] = round(self.plan.game_span_s, 1)
        summary["timings_s"] = self._timings()
        summary["settled_in_time"] = self.settled_in_time
        summary["fleet_exit_codes"] = {name: child.returncode for name, child in self.fleet.items()}
        summary["stream_backlog_max"] = dict(sorted(self.backlog_max.items()))
        return summary

    def _timings(self) -> dict[str, float]:
        """Wall seconds of each phase: Redis and the database; the fleet and the simulators (started side by
        side, each from the end of the first phase); the deferred services; ``set_up`` from the start of the
        run to the first game's start; the games (first start to last end); settling after the last end;
        stopping. ``total`` (start of the run to the fleet stopped) = set_up + games + settle + stop."""
        m = self.marks
        phases = (
            ("infrastructure", "begin", "infrastructure"),
            ("fleet", "infrastructure", "fleet"),
            ("sims", "infrastructure", "sims"),
            ("deferred", "up", "deferred"),
            ("set_up", "begin", "first_start"),
            ("games", "first_start", "last_end"),
            ("settle", "last_end", "settled"),
            ("stop", "settled", "stopped"),
            ("total", "begin", "stopped"),
        )
        return {name: round(m[b] - m[a], 2) for name, a, b in phases if a in m and b in m}
