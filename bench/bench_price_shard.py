"""Benchmark: the Polymarket price shard's hot path — receive, parse, update the book, publish the top.

A forked process serves the market channel on loopback (a plain ``websockets`` server: the simulator
sends one message per exchange event and cannot be driven at this rate). It answers the subscription
with the initial ``book`` dump and then replays ``price_change`` messages in the 2026 format (two
items per message, one per outcome token, each with the venue's book hash, ``best_bid`` and
``best_ask``), with a few ``last_trade_price`` and ``book`` refreshes, as fast as the client reads them
(TCP flow control). The books start from the depth and level sizes of the recorded frames under
``shared/data/api-samples/polymarket/clob_ws_polypy``; every hash is computed with the reference
:func:`markets.polymarket.hashing.book_hash`, so a client that checks hashes has to agree with it.

Measured, in one run on the same frames:

* ``decode``: ``json.loads`` alone (and ``orjson.loads``) over the frames in memory;
* ``recv``: the raw websocket receive loop alone (our ``open_connection``, no parsing);
* ``shard``: the price shard's own path — :class:`markets.polymarket.ws_market.MarketFeed` with the
  REST snapshot read by the real :class:`~markets.polymarket.clob.ClobReader` (an in-memory transport
  answers ``POST /books``), the service's publisher and :class:`shared.bus.pubsub.MarketDataBus` on the
  local Redis (db 9 unless ``--redis-url`` says otherwise). Counted: tops published; checked: no hash
  mismatch, no bad frame, and every token's latest value in Redis equals its final local top.

``--json`` prints one JSON object on the last line. ``--profile FILE`` runs the shard pass under cProfile.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from markets.polymarket.book import BookState  # noqa: E402
from markets.polymarket.clob import ClobReader  # noqa: E402
from markets.polymarket.config import PolymarketSettings  # noqa: E402
from markets.polymarket.hashing import book_hash  # noqa: E402
from markets.polymarket.ws_common import open_connection  # noqa: E402
from services.polymarket_price_shard.publisher import TopPublisher, build_feed  # noqa: E402
from shared.bus import keys  # noqa: E402
from shared.bus.pubsub import MarketDataBus  # noqa: E402
from shared.bus.redis_conn import connect_redis  # noqa: E402
from shared.messages import MarketPriceUpdated  # noqa: E402

SAMPLES = Path(os.environ.get("ARBEES_SHARED", "/work/shared")) / "data/api-samples/polymarket/clob_ws_polypy/jsonl"
REDIS = os.environ.get("ARBEES_TEST_REDIS_URL", "redis://127.0.0.1:6379") + "/9"
TICK = "0.01"

# -- workload --------------------------------------------------------------------------------------------


def _recorded_sizes() -> list[str]:
    """Level sizes as the venue writes them, from the recorded book frames (fallback: a few of them)."""
    sizes: list[str] = []
    for path in sorted(SAMPLES.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            for item in (lambda d: d if isinstance(d, list) else [d])(json.loads(line)):
                for lv in item.get("bids", []) + item.get("asks", []):
                    sizes.append(str(lv["size"]))
    return sizes or ["110000", "7.52", "30", "1260", "5.11", "95", "120", "50", "5.42", "20", "38.46"]


@dataclass
class _Token:
    market: str
    asset_id: str
    bids: dict[int, str] = field(default_factory=dict)  # price in ticks -> size text
    asks: dict[int, str] = field(default_factory=dict)
    last_trade: str = "0.5"

    def hash(self, ts: str) -> str:
        bids = [(_px(p), self.bids[p]) for p in sorted(self.bids)]
        asks = [(_px(p), self.asks[p]) for p in sorted(self.asks, reverse=True)]
        return book_hash(
            market=self.market, asset_id=self.asset_id, timestamp=ts, bids=bids, asks=asks,
            min_order_size="5", tick_size=TICK, neg_risk=False, last_trade_price=self.last_trade,
        )  # fmt: skip

    def book(self, ts: str, event: bool) -> dict[str, Any]:
        body: dict[str, Any] = {"event_type": "book"} if event else {}
        return body | {
            "market": self.market,
            "asset_id": self.asset_id,
            "timestamp": ts,
            "hash": self.hash(ts),
            "bids": [{"price": _px(p), "size": self.bids[p]} for p in sorted(self.bids)],
            "asks": [{"price": _px(p), "size": self.asks[p]} for p in sorted(self.asks, reverse=True)],
            "min_order_size": "5",
            "tick_size": TICK,
            "neg_risk": False,
            "last_trade_price": self.last_trade,
        }


def _px(ticks: int) -> str:
    return f"{ticks / 100:.2f}".rstrip("0").rstrip(".") if ticks % 10 == 0 else f"{ticks / 100:.2f}"


@dataclass
class Workload:
    """Initial books (REST and WS dump) and the replayed frames, one market-channel message per frame."""

    books: list[dict[str, Any]]
    frames: list[str]
    tokens: dict[str, str]  # token -> condition id


def build_workload(markets: int, depth: int, messages: int, seed: int = 7) -> Workload:
    """``markets`` binary markets (two mirrored tokens each), ``depth`` levels a side, ``messages`` frames."""
    rng = random.Random(seed)
    sizes = _recorded_sizes()
    pairs: list[tuple[_Token, _Token]] = []
    for m in range(markets):
        condition = "0x" + rng.randbytes(32).hex()
        yes = _Token(condition, str(rng.getrandbits(252)))
        no = _Token(condition, str(rng.getrandbits(252)))
        mid = rng.randint(20, 80)
        for i in range(depth):
            if mid - 1 - i >= 1:
                yes.bids[mid - 1 - i] = rng.choice(sizes)
            if mid + 1 + i <= 99:
                yes.asks[mid + 1 + i] = rng.choice(sizes)
        no.bids = {100 - p: s for p, s in yes.asks.items()}
        no.asks = {100 - p: s for p, s in yes.bids.items()}
        pairs.append((yes, no))
        del m
    ts = 1_767_225_600_000  # 2026-01-01
    books = [t.book(str(ts), event=False) for pair in pairs for t in pair]
    frames = [_next_message(rng, pairs, sizes, str(ts + n)) for n in range(messages)]
    return Workload(books, frames, {t.asset_id: t.market for pair in pairs for t in pair})


def _next_message(rng: random.Random, pairs: Sequence[tuple[_Token, _Token]], sizes: list[str], ts: str) -> str:
    yes, no = rng.choice(pairs)
    roll = rng.random()
    if roll < 0.01:
        return json.dumps(rng.choice((yes, no)).book(ts, event=True), separators=(",", ":"))
    if roll < 0.05:
        token = rng.choice((yes, no))
        token.last_trade = _px(max(token.bids)) if token.bids else token.last_trade
        trade = {"event_type": "last_trade_price", "asset_id": token.asset_id, "market": token.market,
                 "price": token.last_trade, "size": rng.choice(sizes), "side": "SELL", "fee_rate_bps": "0",
                 "timestamp": ts, "transaction_hash": "0x" + rng.randbytes(32).hex()}  # fmt: skip
        return json.dumps(trade, separators=(",", ":"))
    side = rng.choice(("BUY", "SELL"))
    price, size = _change(rng, yes, side, sizes)
    mirror_side, mirror_price = ("SELL" if side == "BUY" else "BUY"), 100 - price
    _set(no.asks if side == "BUY" else no.bids, mirror_price, size)
    items = [_item(yes, side, price, size, ts), _item(no, mirror_side, mirror_price, size, ts)]
    message = {"event_type": "price_change", "market": yes.market, "price_changes": items, "timestamp": ts}
    return json.dumps(message, separators=(",", ":"))


def _change(rng: random.Random, token: _Token, side: str, sizes: list[str]) -> tuple[int, str]:
    book = token.bids if side == "BUY" else token.asks
    roll = rng.random()
    if roll < 0.15 and len(book) > 3:
        price, size = rng.choice(list(book)), "0"
    elif roll < 0.30:
        low = (max(token.bids) + 1) if side == "SELL" and token.bids else 1
        high = (min(token.asks) - 1) if side == "BUY" and token.asks else 99
        if side == "BUY":
            low = max(1, high - 30)
        else:
            high = min(99, low + 30)
        price, size = rng.randint(low, max(low, high)), rng.choice(sizes)
    else:
        price, size = rng.choice(list(book)), rng.choice(sizes)
    _set(book, price, size)
    return price, size


def _set(book: dict[int, str], price: int, size: str) -> None:
    if size == "0":
        book.pop(price, None)
    else:
        book[price] = size


def _item(token: _Token, side: str, price: int, size: str, ts: str) -> dict[str, Any]:
    best_bid = _px(max(token.bids)) if token.bids else "0"
    best_ask = _px(min(token.asks)) if token.asks else "0"
    return {"asset_id": token.asset_id, "price": _px(price), "size": size, "side": side,
            "hash": token.hash(ts), "best_bid": best_bid, "best_ask": best_ask}  # fmt: skip


# -- server ----------------------------------------------------------------------------------------------


def _serve(workload: Workload, ready: Connection) -> None:
    dump = json.dumps([b | {"event_type": "book"} for b in workload.books], separators=(",", ":"))

    async def handler(ws: ServerConnection) -> None:
        try:
            await ws.recv()  # the subscription
            await ws.send(dump)
            async with asyncio.TaskGroup() as tg:
                tg.create_task(_pongs(ws))
                for frame in workload.frames:
                    await ws.send(frame)
        except* ConnectionClosed:
            pass  # the client leaves when it has counted enough

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0, compression=None, ping_interval=None, max_queue=None) as server:
            ready.send(server.sockets[0].getsockname()[1])
            await asyncio.Future()

    asyncio.run(main())


async def _pongs(ws: ServerConnection) -> None:
    async for text in ws:
        if text == "PING":
            await ws.send("PONG")


# -- measured passes -------------------------------------------------------------------------------------


def decode_rates(frames: Sequence[str]) -> tuple[float, float]:
    """Frames per second through ``json.loads`` and ``orjson.loads`` alone."""
    start = time.perf_counter()
    for frame in frames:
        json.loads(frame)
    middle = time.perf_counter()
    for frame in frames:
        orjson.loads(frame)
    end = time.perf_counter()
    return len(frames) / (middle - start), len(frames) / (end - middle)


@dataclass
class Rate:
    """Frames per wall-clock second, and this process's CPU time per frame."""

    per_s: float
    cpu_us: float


async def recv_rate(url: str, tokens: Sequence[str], n: int) -> Rate:
    """The raw receive loop (after the initial dump), no parsing."""
    async with open_connection(url) as ws:
        await ws.send(json.dumps({"assets_ids": list(tokens), "type": "market", "initial_dump": True, "level": 2}))
        await ws.recv()
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            await ws.recv()
        return Rate(n / (time.perf_counter() - start), (time.process_time() - cpu) / n * 1e6)


@dataclass
class ShardResult:
    """One shard pass: rate, tops published and the checks."""

    rate: Rate
    tops: int
    batches: int
    hash_mismatches: int
    bad_frames: int
    redis_matches: bool


def _rest(books: list[dict[str, Any]]) -> httpx.AsyncClient:
    by_token = {b["asset_id"]: b for b in books}

    def answer(request: httpx.Request) -> httpx.Response:
        wanted = [item["token_id"] for item in json.loads(request.content)]
        return httpx.Response(200, json=[by_token[t] for t in wanted])

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


async def shard_rate(url: str, workload: Workload, redis_url: str) -> ShardResult:
    """Frames per second through the price shard's feed and publisher, until every frame was handled."""
    settings = PolymarketSettings(clob_url="http://clob.bench", ws_market_url=url, ws_stale_after_s=60.0)
    redis = connect_redis(redis_url, single_process=False)
    bus = MarketDataBus(redis)
    await redis.delete(keys.latest_index(keys.MARKET_PRICE))
    n = len(workload.frames)
    async with _rest(workload.books) as http:
        publisher, stopping = TopPublisher(bus), asyncio.Event()
        feed = build_feed(settings, ClobReader(http, settings.clob_url), workload.tokens, publisher)
        async with asyncio.TaskGroup() as tg:
            tg.create_task(publisher.run(stopping))
            running = tg.create_task(feed.run())
            # Polling the feed's counter keeps the measured path free of bench hooks.
            while feed.stats.frames < 1:  # noqa: ASYNC110 - the initial dump (one frame) is not timed
                await asyncio.sleep(0.0005)
            start, cpu = time.perf_counter(), time.process_time()
            while feed.stats.frames < n + 1:  # noqa: ASYNC110
                await asyncio.sleep(0.002)
            await publisher.flushed()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            running.cancel()
            stopping.set()
    latest = await bus.latest_all(keys.MARKET_PRICE)
    matches = all(_same_top(latest.get(b.to_market_price().key), b) for b in feed.books.values())
    await redis.aclose()
    stats = feed.stats
    rate = Rate(n / elapsed, cpu / n * 1e6)
    return ShardResult(rate, publisher.published, publisher.batches, stats.hash_mismatches, stats.bad_frames, matches)


def _same_top(stored: Any, book: Any) -> bool:
    if book.state is not BookState.FRESH or not isinstance(stored, MarketPriceUpdated):
        return False
    top = book.to_market_price()
    return (stored.best_bid, stored.best_ask, stored.bid_size, stored.ask_size) == (
        top.best_bid, top.best_ask, top.bid_size, top.ask_size,
    )  # fmt: skip


# -- main ------------------------------------------------------------------------------------------------


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--markets", type=int, default=20, help="binary markets (two tokens each)")
    parser.add_argument("--depth", type=int, default=25, help="levels a side at the start")
    parser.add_argument("--redis-url", default=REDIS)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the shard pass here")
    parser.add_argument("--rounds", type=int, default=3, help="passes of each kind; the best is reported")
    parser.add_argument("--shard-only", action="store_true", help="skip the baselines (for an outside profiler)")
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


async def _round(args: argparse.Namespace, url: str, workload: Workload) -> dict[str, Any]:
    json_rate, orjson_rate = (0.0, 0.0) if args.shard_only else decode_rates(workload.frames)
    raw = Rate(0.0, 0.0) if args.shard_only else await recv_rate(url, list(workload.tokens), len(workload.frames))
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    shard = await shard_rate(url, workload, args.redis_url)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    return {
        "json_loads_per_s": round(json_rate),
        "orjson_loads_per_s": round(orjson_rate),
        "recv_per_s": round(raw.per_s),
        "recv_cpu_us": round(raw.cpu_us, 1),
        "shard_per_s": round(shard.rate.per_s),
        "shard_cpu_us": round(shard.rate.cpu_us, 1),
        "tops_published": shard.tops,
        "publish_batches": shard.batches,
        "hash_mismatches": shard.hash_mismatches,
        "bad_frames": shard.bad_frames,
        "redis_latest_matches_books": shard.redis_matches,
    }


async def _measure(args: argparse.Namespace, url: str, workload: Workload) -> dict[str, Any]:
    """``--rounds`` rounds of the three passes; the best of each pass, the ratios of the bests."""
    rounds = [await _round(args, url, workload) for _ in range(args.rounds)]
    best = {k: max(r[k] for r in rounds) for k in ("json_loads_per_s", "orjson_loads_per_s", "recv_per_s")}
    best_shard = max(rounds, key=lambda r: r["shard_per_s"])
    recv = max(rounds, key=lambda r: r["recv_per_s"])
    result: dict[str, Any] = {"messages": len(workload.frames), "tokens": len(workload.tokens), "depth": args.depth}
    result |= best | {"recv_cpu_us": recv["recv_cpu_us"]} | {k: v for k, v in best_shard.items() if k not in best}
    result["checks_ok"] = all(
        r["hash_mismatches"] == 0 and r["bad_frames"] == 0 and r["redis_latest_matches_books"] for r in rounds
    )
    result["shard_vs_recv"] = round(result["shard_per_s"] / max(result["recv_per_s"], 1), 3)
    result["shard_vs_json_loads"] = round(result["shard_per_s"] / max(result["json_loads_per_s"], 1), 3)
    result["rounds_shard_per_s"] = [r["shard_per_s"] for r in rounds]
    return result


def main() -> None:
    """Build the workload, start the server, run the three passes, print the figures."""
    args = _args()
    built = time.perf_counter()
    workload = build_workload(args.markets, args.depth, args.messages)
    took = time.perf_counter() - built
    print(f"workload: {len(workload.frames)} frames, {len(workload.tokens)} tokens, built in {took:.1f}s")
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    server = context.Process(target=_serve, args=(workload, theirs), daemon=True)
    server.start()
    try:
        url = f"ws://127.0.0.1:{ours.recv()}"
        result = asyncio.run(_measure(args, url, workload))
    finally:
        server.terminate()
        server.join()
    print(f"json.loads alone             : {result['json_loads_per_s']:9d} msg/s")
    print(f"orjson.loads alone           : {result['orjson_loads_per_s']:9d} msg/s")
    print(f"raw websocket receive loop   : {result['recv_per_s']:9d} msg/s  {result['recv_cpu_us']:6.1f} us CPU/msg")
    print(f"price shard (parse+book+pub) : {result['shard_per_s']:9d} msg/s  {result['shard_cpu_us']:6.1f} us CPU/msg")
    print(f"tops published               : {result['tops_published']:9d} in {result['publish_batches']} pipelines")
    print(f"ratio shard / raw receive    : {result['shard_vs_recv']:9.3f}")
    print(f"ratio shard / json.loads     : {result['shard_vs_json_loads']:9.3f}")
    print(f"shard rounds (msg/s)          : {result['rounds_shard_per_s']}")
    print(f"checks (every round: no hash mismatch, no bad frame, Redis latest == local tops): {result['checks_ok']}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
