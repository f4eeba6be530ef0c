"""Benchmark: game_shard's price path against one database transaction per tick, on the same servers.

Baseline (the old hot path): each top written to ``market_prices`` in its own transaction. Measured:
:meth:`GameShardHandlers.on_price` for the same tops — book update, the recorder's sample, edges of the
game computed in memory (a live game, no edge, so no signal) — with the recorder flushed once per
second of ticks in one ``executemany``. Prints ticks per second for both and the speed-up; the fleet
needs the measured path well above the venues' peak tick rate (Redis drops a subscriber whose buffer
overflows at about 1.7k updates/s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import timedelta
from decimal import Decimal

import asyncpg
import redis.asyncio as aioredis

from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.handlers import GameShardHandlers
from services.game_shard.price_store import PriceRecorder
from shared.bus.pubsub import MarketDataBus
from shared.db.migrate import migrate
from shared.db.pool import create_pool
from shared.db.uow import Store
from shared.messages import (
    AssignShard,
    FeeSpec,
    GameAssignment,
    GameStateUpdated,
    InstrumentRef,
    MarketPriceUpdated,
    utc_now,
)

PG_ADMIN = os.environ.get("ARBEES_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("ARBEES_TEST_REDIS_URL", "redis://127.0.0.1:6379") + "/14"
TICKERS = [f"KXNBAGAME-26DEC03G{i:02d}-HOME" for i in range(10)]


def _tops(n: int) -> list[MarketPriceUpdated]:
    start = utc_now()
    return [
        MarketPriceUpdated(
            venue="kalshi",
            market_id=TICKERS[i % len(TICKERS)],
            outcome_id="yes",
            best_bid=Decimal("0.49") + Decimal(i % 3) / 100,
            best_ask=Decimal("0.52") + Decimal(i % 3) / 100,
            bid_size=Decimal(100),
            ask_size=Decimal(100),
            ts_event=start + timedelta(microseconds=i),
        )
        for i in range(n)
    ]


async def _baseline(pool: asyncpg.Pool, tops: list[MarketPriceUpdated]) -> float:
    start = time.perf_counter()
    for t in tops:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """INSERT INTO market_prices (venue, market_id, outcome_id, ts, best_bid, best_ask, bid_size, ask_size)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
                t.venue, t.market_id, t.outcome_id, t.ts_event, t.best_bid, t.best_ask, t.bid_size, t.ask_size,
            )  # fmt: skip
    return time.perf_counter() - start


async def _handlers(pool: asyncpg.Pool, redis: aioredis.Redis) -> tuple[GameShardHandlers, PriceRecorder]:
    fees = FeeSpec(schedule="kalshi", fee_type="quadratic")
    games = tuple(
        GameAssignment(
            game_id=f"g{i}", sport="nba", league="nba", home_team="BOS", away_team="LAL",
            instruments=(InstrumentRef(venue="kalshi", market_id=t, outcome_id="yes", pays_on="home", fees=fees),),
        )
        for i, t in enumerate(TICKERS)
    )  # fmt: skip
    book = ShardBook()
    book.assign(AssignShard(shard_id="bench", games=games))
    recorder = PriceRecorder(pool, 1.0)
    settings = GameShardSettings(min_edge_cents=99, max_state_age_s=3600, max_book_age_s=3600)
    handlers = GameShardHandlers(settings, book, Store(pool), MarketDataBus(redis), recorder, lambda _g: 0.0)
    for g in games:
        state = GameStateUpdated(
            game_id=g.game_id, sport="nba", league="nba", home_team="BOS", away_team="LAL", status="in",
            period=2, clock_seconds=300.0, home_score=50, away_score=48,
        )  # fmt: skip
        await handlers.on_game_state(state)
    return handlers, recorder


async def _measured(handlers: GameShardHandlers, recorder: PriceRecorder, tops: list[MarketPriceUpdated]) -> float:
    flush_every = 500
    start = time.perf_counter()
    for i, top in enumerate(tops, 1):
        await handlers.on_price(top)
        if i % flush_every == 0:
            await recorder.flush()
    await recorder.flush()
    return time.perf_counter() - start


async def main(n: int) -> None:
    db = f"arbees_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{db}"')
    dsn = PG_ADMIN.rsplit("/", 1)[0] + f"/{db}"
    redis = aioredis.from_url(REDIS)
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn:
            await migrate(conn)
        base = await _baseline(pool, _tops(n))
        handlers, recorder = await _handlers(pool, redis)
        measured = await _measured(handlers, recorder, _tops(n))
        signals = handlers.signals_emitted
    finally:
        await pool.close()
        await redis.aclose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        await admin.close()
    print(f"ticks: {n} over {len(TICKERS)} markets (signals emitted: {signals})")
    print(f"baseline one transaction per tick : {n / base:9.0f} ticks/s  {base / n * 1e6:8.1f} us/tick")
    print(f"game_shard on_price + batched rows: {n / measured:9.0f} ticks/s  {measured / n * 1e6:8.1f} us/tick")
    print(f"speed-up                          : {base / measured:9.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ticks", type=int, default=5000, help="price updates per run")
    asyncio.run(main(parser.parse_args().ticks))
