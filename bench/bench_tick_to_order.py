"""Benchmark: a price change to an order on the venue's wire, through the whole fleet, beside the Redis floor.

The fleet runs as separate processes on the local Redis and PostgreSQL (game_shard, signal_processor,
execution_service trading for real on the Kalshi simulator, position_tracker), with ``--games`` games and
``--rate`` price updates a second for ``--duration`` seconds, a ``--signal-share`` of them an edge the
shard signals on. Every order's path is stamped (see :mod:`shared.tracing`): the update published → the
signal on its stream → the approved intent on its stream → the request reaching the simulator (stamped
inside the simulator). Printed: p50/p99/max per stage and in total, how many updates the shard heard
(none may be dropped), the rate held, the ledger check (L1-L4) after the run, and in the same run the
floor: the same three Redis hops (pub/sub, two streams) relayed by processes doing no work.

Needs the local Redis (db ``--redis-db``, flushed) and PostgreSQL (a new database per run).
``--json`` prints the figures as one JSON object on the last line.

    .venv/bin/python bench/bench_tick_to_order.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import redis.asyncio as aioredis
from tick_to_order import floor
from tick_to_order.analyse import DETAIL, STAGES, Traces, chains, stage_figures, summary_ms
from tick_to_order.driver import Driver, game_id
from tick_to_order.fleet import SERVICES, Fleet

from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.migrate import migrate
from shared.db.pool import create_pool
from shared.ledger_check import check_ledger
from shared.runtime.heartbeat import is_healthy, read_heartbeats
from shared.runtime.loop import install_event_loop
from shared.trading_state import set_trading_state

PG_ADMIN = os.environ.get("ARBEES_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_BASE = os.environ.get("ARBEES_TEST_REDIS_URL", "redis://127.0.0.1:6379")
TARGET_P50_MS, TARGET_P99_MS = 2.0, 5.0


async def _database(name: str) -> str:
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return url


async def _drop_database(name: str) -> None:
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def run_floor(redis_url: str, run_dir: Path, rate: float, duration_s: float, share: float) -> dict[str, Any]:
    """The three hops with no work, at the same rate and share."""
    out = run_dir / "floor.json"
    script = Path(floor.__file__)
    env = {**os.environ, "PYTHONPATH": str(script.parent.parent)}
    procs = [
        await asyncio.create_subprocess_exec(sys.executable, str(script), role, redis_url, str(out), env=env)
        for role in ("stream2", "stream1", "pubsub")
    ]
    redis = aioredis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while await redis.exists(*(floor.ready_key(r) for r in ("stream2", "stream1", "pubsub"))) < 3:
        if time.monotonic() > deadline:
            raise RuntimeError("the floor's relays did not start")
        await asyncio.sleep(0.05)
    rng = random.Random(1)
    batch = max(1, int(rate / 200))
    interval_ns, total, sent = int(batch / rate * 1e9), int(rate * duration_s), 0
    start = time.monotonic_ns()
    while sent < total:
        wait = start + (sent // batch) * interval_ns - time.monotonic_ns()
        if wait > 0:
            await asyncio.sleep(wait / 1e9)
        for _ in range(min(batch, total - sent)):
            await redis.publish(floor.CHANNEL, floor.tick(rng.random() < share))
            sent += 1
    await redis.publish(floor.CHANNEL, b"STOP")
    for proc in procs:
        await proc.wait()
    await redis.aclose()
    return summary_ms(json.loads(out.read_text()))


async def _wait_healthy(redis: aioredis.Redis, fleet: Fleet, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        healthy = {hb.service for hb in await read_heartbeats(redis) if is_healthy(hb)}
        if healthy >= set(SERVICES):
            return
        if fleet.dead():
            raise RuntimeError(f"processes ended during start-up: {fleet.dead()} (logs in {fleet.run_dir})")
        await asyncio.sleep(0.2)
    raise RuntimeError(f"the fleet did not report healthy within {timeout_s}s (logs in {fleet.run_dir})")


async def _quiet(fleet: Fleet, pool: asyncpg.Pool, redis: aioredis.Redis, timeout_s: float = 120.0) -> bool:
    """Wait until nothing is waiting: no unsent outbox row, no pending or unread stream entry, no order in flight,
    every order's fill count read back from the venue and its fills stored (the ledger check holds), so no fill
    is still to come."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        outbox = await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        inflight = await pool.fetchval("SELECT count(*) FROM orders WHERE status IN ('submitted', 'unknown')")
        waiting = 0
        for stream in keys.MONEY_STREAMS:
            if not await redis.exists(stream):
                continue
            for group in await redis.xinfo_groups(stream):
                waiting += int(group["pending"]) + int(group.get("lag") or 0)
        if outbox == 0 and inflight == 0 and waiting == 0 and not await venue_problems(fleet, pool):
            if (await check_ledger(pool, redis)).ok:
                return True
        await asyncio.sleep(0.5)
    return False


def _cpu_seconds(fleet: Fleet) -> dict[str, float]:
    """CPU time (user + system) of each process of the run so far, this one included (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = {"driver (this process)": os.getpid()}
    pids.update({c.name: c.process.pid for c in fleet.children if c.process is not None and c.running})
    out = {}
    for name, pid in pids.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = (int(fields[11]) + int(fields[12])) / ticks
    return out


async def venue_problems(fleet: Fleet, pool: asyncpg.Pool) -> list[str]:
    """Our orders against the simulator's own record: each order sent is there exactly once under its client
    order id, each order there has our row, and each filled quantity agrees (L1/L2 against the venue)."""
    async with httpx.AsyncClient(timeout=30.0) as http:
        response = await http.get(f"{fleet.kalshi_url}/_sim/orders", params={"key_id": fleet.key.key_id})
        response.raise_for_status()
    at_venue: dict[str, list[dict[str, Any]]] = {}
    for order in response.json()["orders"]:
        at_venue.setdefault(str(order.get("client_order_id") or ""), []).append(order)
    local = {r["client_order_id"]: r for r in await pool.fetch("SELECT * FROM orders WHERE venue = 'kalshi'")}
    problems = [f"{cid}: {len(orders)} orders at the venue" for cid, orders in at_venue.items() if len(orders) > 1]
    problems += [f"{cid}: at the venue, no local row" for cid in at_venue if cid not in local]
    for cid, row in local.items():
        orders = at_venue.get(cid, [])
        if row["venue_order_id"] and not orders:
            problems.append(f"{cid}: has a venue order id locally, not at the venue")
        for order in orders:
            filled = Decimal(str(order.get("fill_count_fp") or order.get("fill_count") or 0))
            if filled != Decimal(row["filled_quantity"]):
                problems.append(f"{cid}: venue filled {filled}, local {row['filled_quantity']}")
    return problems


async def run_fleet(args: argparse.Namespace, run_dir: Path, redis_url: str) -> dict[str, Any]:
    """The fleet under load; figures, throughput and the ledger check."""
    db_name = f"arbees_bench_{os.getpid()}"
    database_url = await _database(db_name)
    fleet = Fleet.plan(run_dir, redis_url, database_url)
    redis = aioredis.from_url(redis_url)
    pool = await create_pool(database_url)
    try:
        await fleet.start_simulator()
        tickers = await fleet.open_markets(args.games, fair=args.venue_fair)
        async with pool.acquire() as conn:
            for i in range(args.games):
                await conn.execute(
                    """INSERT INTO games (game_id, league, sport, scheduled_start, status, home_team, away_team,
                           home_name, away_name, payload)
                       VALUES ($1, 'nba', 'nba', now(), 'in', $2, $3, $2, $3, '{}')""",
                    game_id(i), f"H{i:02d}", f"A{i:02d}",
                )  # fmt: skip
            await set_trading_state(conn, "active", "benchmark", "bench")
        await fleet.start_services(args.cooldown_s)
        await _wait_healthy(redis, fleet)
        driver = Driver(MarketDataBus(redis), tickers, args.signal_share)
        await driver.set_up()
        before, started = _cpu_seconds(fleet), time.monotonic()
        achieved = await driver.run(args.rate, args.duration_s)
        cpu = {
            name: round((spent - before.get(name, 0.0)) / (time.monotonic() - started) * 100, 1)
            for name, spent in _cpu_seconds(fleet).items()
        }
        quiet = await _quiet(fleet, pool, redis)
        alive = not fleet.dead()
        codes = await fleet.stop_services()
        report = await check_ledger(pool, redis)
        venue = await venue_problems(fleet, pool)
        codes.update(await fleet.stop())
        traces = Traces.load(fleet.trace_dir)
        found = chains(traces, driver.published)
        heard = traces.stage("tick.received")
        dropped = sum(1 for mid in driver.published if mid not in heard)
        local = await pool.fetch("SELECT client_order_id, venue_order_id, status FROM orders")
        statuses: dict[str, int] = {}
        for row in local:
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
        return {
            "rate_target": args.rate,
            "rate_achieved": round(achieved, 1),
            "duration_s": args.duration_s,
            "games": args.games,
            "updates_published": len(driver.published),
            "updates_dropped": dropped,
            "edge_updates": len(driver.edges),
            "orders_traced": len(found),
            "orders": statuses,
            "cpu_percent_of_one_core": cpu,
            "stages": stage_figures(found, STAGES),
            "detail": stage_figures(found, DETAIL),
            "quiet_after_run": quiet,
            "fleet_alive_during_run": alive,
            "exit_codes": codes,
            "ledger_ok": report.ok,
            "ledger_problems": (report.orders + report.fills + report.messages + report.gates)[:10],
            "venue_problems": venue[:10],
            "venue_ok": not venue,
        }
    finally:
        if fleet.children:
            await fleet.stop()
        await pool.close()
        await redis.aclose()
        if not args.keep:
            await _drop_database(db_name)


def _print(result: dict[str, Any]) -> None:
    floor_f, fleet_f = result["floor"], result["fleet"]
    print(f"fleet: {fleet_f['games']} games, {fleet_f['rate_achieved']}/s of {fleet_f['rate_target']}/s target for "
          f"{fleet_f['duration_s']}s; updates published {fleet_f['updates_published']}, dropped "
          f"{fleet_f['updates_dropped']}; edge updates {fleet_f['edge_updates']}, orders traced "
          f"{fleet_f['orders_traced']}; orders {fleet_f['orders']}")  # fmt: skip
    print(
        "CPU during the load, % of one core: "
        + ", ".join(f"{k} {v}" for k, v in fleet_f["cpu_percent_of_one_core"].items())
    )
    print(f"{'stage':40s} {'count':>7s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}")
    for name, f in {**fleet_f["stages"], **{"  " + k: v for k, v in fleet_f["detail"].items()}}.items():
        print(f"{name:40s} {f['count']:7d} {f['p50_ms']:8.3f} {f['p99_ms']:8.3f} {f['max_ms']:8.3f}")
    print(f"{'floor: 3 Redis hops, no work':40s} {floor_f['count']:7d} {floor_f['p50_ms']:8.3f} "
          f"{floor_f['p99_ms']:8.3f} {floor_f['max_ms']:8.3f}")  # fmt: skip
    total = fleet_f["stages"]["total: published -> venue"]
    if floor_f["p50_ms"]:
        print(f"total / floor: p50 {total['p50_ms'] / floor_f['p50_ms']:.2f}x, p99 "
              f"{total['p99_ms'] / max(floor_f['p99_ms'], 1e-9):.2f}x")  # fmt: skip
    print(f"targets (p50 <= {TARGET_P50_MS} ms, p99 <= {TARGET_P99_MS} ms, nothing dropped): "
          f"{'met' if result['targets_met'] else 'NOT met'}; ledger check: "
          f"{'holds' if fleet_f['ledger_ok'] else 'FAILS ' + str(fleet_f['ledger_problems'])}; venue check: "
          f"{'holds' if fleet_f['venue_ok'] else 'FAILS ' + str(fleet_f['venue_problems'])}")  # fmt: skip


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run the floor, then the fleet; the figures."""
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="arbees-tick-to-order-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    redis_url = f"{REDIS_BASE}/{args.redis_db}"
    redis = aioredis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    try:
        floor_figures = await run_floor(redis_url, run_dir, args.rate, args.floor_duration_s, args.signal_share)
        fleet_figures = await run_fleet(args, run_dir, redis_url)
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)
    total = fleet_figures["stages"]["total: published -> venue"]
    met = (
        total["count"] > 0
        and total["p50_ms"] <= TARGET_P50_MS
        and total["p99_ms"] <= TARGET_P99_MS
        and fleet_figures["updates_dropped"] == 0
        and fleet_figures["rate_achieved"] >= 0.98 * args.rate
    )
    return {"floor": floor_figures, "fleet": fleet_figures, "targets_met": met, "run_dir": str(run_dir)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--games", type=int, default=50)
    p.add_argument("--rate", type=float, default=1000.0, help="price updates a second")
    p.add_argument("--duration-s", type=float, default=60.0)
    p.add_argument("--floor-duration-s", type=float, default=15.0)
    p.add_argument("--signal-share", type=float, default=0.05, help="share of updates that are an edge")
    p.add_argument("--cooldown-s", type=float, default=0.2, help="the shard's signal cool-down per market")
    p.add_argument("--venue-fair", default="0.30", help="where the simulator's makers quote")
    p.add_argument("--redis-db", type=int, default=3)
    p.add_argument("--run-dir", type=Path, default=None)
    p.add_argument("--keep", action="store_true", help="keep the run directory and the database")
    p.add_argument("--json", action="store_true")
    return p.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    install_event_loop()
    result = asyncio.run(main(arguments))
    _print(result)
    if arguments.json:
        print(json.dumps(result))
