"""The SSE stream on a real uvicorn server: fills within a second, enriched prices, the trading state,
topic filters, auth, and a clean end on client disconnect and on service stop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from services.api.stream.events import EventBuilder
from services.api.stream.sse import EventStream
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.bus.streams import StreamProducer
from shared.messages import GameStateUpdated, MarketPriceUpdated, OrderFilled, WinProbabilityUpdated
from shared.runtime.infra import Infra
from tests.integration.api.conftest import AUTH, CONTROL_AUTH, LIVE, TICKER, Server

pytestmark = pytest.mark.integration


class Events:
    """Parses an SSE response into (event, data, id) in the background."""

    def __init__(self, response: httpx.Response) -> None:
        self.queue: asyncio.Queue[tuple[str, Any, str | None]] = asyncio.Queue()
        self.comments: list[str] = []
        self._task = asyncio.create_task(self._read(response))

    async def _read(self, response: httpx.Response) -> None:
        event, data, event_id = "message", "", None
        async for line in response.aiter_lines():
            if line.startswith(":"):
                self.comments.append(line)
            elif line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = line.removeprefix("data: ")
            elif line.startswith("id: "):
                event_id = line.removeprefix("id: ")
            elif line == "" and data:
                await self.queue.put((event, json.loads(data), event_id))
                event, data, event_id = "message", "", None

    async def next(self, name: str, timeout_s: float = 5.0) -> tuple[Any, str | None]:
        """The next event called ``name`` (others are skipped)."""
        async with asyncio.timeout(timeout_s):
            while True:
                event, data, event_id = await self.queue.get()
                if event == name:
                    return data, event_id

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await self._task

    @property
    def ended(self) -> bool:
        return self._task.done()


@contextlib.asynccontextmanager
async def open_stream(server: Server, params: dict[str, str] | None = None) -> AsyncIterator[Events]:
    async with (
        httpx.AsyncClient(base_url=server.url, timeout=httpx.Timeout(10, read=30)) as http,
        http.stream("GET", "/api/v1/stream", headers=AUTH, params=params) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = Events(response)
        try:
            hello, _ = await events.next("hello")
            assert "server_time" in hello
            yield events
        finally:
            await events.close()


def _fill(trade: str) -> OrderFilled:
    return OrderFilled(
        client_order_id="coid-sig-1", venue_order_id="v-1", venue_trade_id=trade, venue="kalshi", game_id=LIVE,
        market_id=TICKER, outcome_id="yes", side="buy", price=Decimal("0.58"), quantity=Decimal("3"),
        fee=Decimal("0.05"), liquidity="taker", paper=True,
    )  # fmt: skip


async def test_a_fill_arrives_within_a_second_of_being_added_to_the_stream(server: Server, infra: Infra) -> None:
    producer = StreamProducer(infra.redis)
    async with open_stream(server) as events:
        sent = time.monotonic()
        entry_id = await producer.publish(keys.FILLS, _fill("trade-live"))
        fill, event_id = await events.next("fill", timeout_s=1.0)
        assert time.monotonic() - sent < 1.0
    assert event_id == entry_id
    assert (fill["venue_trade_id"], fill["price"], fill["quantity"], fill["game_id"]) == (
        "trade-live", "0.58", "3", LIVE,
    )  # fmt: skip
    # Read without consumer groups: the stream has none, so the fleet's are never touched.
    assert await infra.redis.xinfo_groups(keys.FILLS) == []


async def test_prices_are_enriched_with_game_and_result(server: Server, infra: Infra) -> None:
    bus = MarketDataBus(infra.redis)
    async with open_stream(server, {"topics": "price"}) as events:
        negated = MarketPriceUpdated(
            venue="kalshi", market_id=TICKER, outcome_id="no", best_bid=Decimal("0.30"), best_ask=Decimal("0.32")
        )
        await bus.publish(keys.MARKET_PRICE, negated.key, negated)
        price, _ = await events.next("price")
        # "no" of the home team's market pays when the away team wins (no draws in basketball): its own price.
        assert (price["game_id"], price["result"], price["outcome_id"]) == (LIVE, "away", "no")
        assert (Decimal(price["best_bid"]), Decimal(price["best_ask"]), Decimal(price["mid"])) == (
            Decimal("0.30"), Decimal("0.32"), Decimal("0.31"),
        )  # fmt: skip
        other = MarketPriceUpdated(venue="polymarket", market_id="0xunmatched", outcome_id="1", best_bid=Decimal("0.2"))
        await bus.publish(keys.MARKET_PRICE, other.key, other)
        price, _ = await events.next("price")
        assert (price["game_id"], price["result"], price["best_bid"], price["mid"]) == (None, None, "0.2", None)
        await StreamProducer(infra.redis).publish(keys.FILLS, _fill("not-asked-for"))
        with pytest.raises(TimeoutError):
            await events.next("fill", timeout_s=0.5)


async def test_a_halt_is_streamed_as_the_trading_state(server: Server) -> None:
    async with open_stream(server, {"topics": "trading_state,fill"}) as events:
        async with httpx.AsyncClient(base_url=server.url) as http:
            halted = await http.post("/api/v1/control/halt", headers=CONTROL_AUTH, json={"reason": "operator"})
            assert halted.status_code == 200
        state, _ = await events.next("trading_state")
    assert (state["state"], state["halted"], state["reason"]) == ("halted", True, "operator")
    assert state["since"] is not None


async def test_the_stream_needs_the_token_and_known_topics(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get("/api/v1/stream")).status_code == 401
        assert (await http.get("/api/v1/stream", headers={"Authorization": "Bearer wrong"})).status_code == 401
        bad = await http.get("/api/v1/stream", headers=AUTH, params={"topics": "fill,gossip"})
        assert bad.status_code == 422 and "gossip" in bad.json()["detail"]
        assert (await http.get("/api/v1/stream", headers=AUTH, params={"topics": ","})).status_code == 422


async def test_open_streams_end_when_the_service_stops(server: Server) -> None:
    async with open_stream(server) as events, open_stream(server, {"topics": "fill"}) as other:
        started = time.monotonic()
        server.stopping.set()
        await asyncio.wait_for(server.task, timeout=5)  # uvicorn's shutdown does not wait on the streams
        assert time.monotonic() - started < 5
        for stream in (events, other):
            async with asyncio.timeout(2):
                while not stream.ended:
                    await asyncio.sleep(0.05)


async def test_a_client_leaving_ends_its_stream(server: Server, infra: Infra) -> None:
    async with open_stream(server, {"topics": "fill"}):
        pass  # the client disconnects here
    # The server keeps serving others, and a later stream still gets fills.
    async with open_stream(server, {"topics": "fill"}) as events:
        await StreamProducer(infra.redis).publish(keys.FILLS, _fill("after-leave"))
        fill, _ = await events.next("fill")
        assert fill["venue_trade_id"] == "after-leave"
    clients = await infra.redis.client_list()
    blocked = [c for c in clients if c.get("cmd") == "xread"]
    assert len(blocked) <= 1  # the departed streams' XREADs ended (at most one still finishing its block)


async def test_game_states_and_probabilities_are_streamed(server: Server, infra: Infra) -> None:
    bus = MarketDataBus(infra.redis)
    async with open_stream(server, {"topics": "game_state,probability"}) as events:
        state = GameStateUpdated(
            game_id=LIVE, sport="nba", league="nba", home_team="BOS", away_team="LAL", status="in",
            period=4, clock_seconds=12.5, home_score=101, away_score=99,
        )  # fmt: skip
        await bus.publish(keys.GAME_STATE, LIVE, state)
        game_state, _ = await events.next("game_state")
        assert (game_state["game_id"], game_state["period"], game_state["home_score"]) == (LIVE, 4, 101)
        probability = WinProbabilityUpdated(game_id=LIVE, home=0.8, away=0.2, model="nba_logit", model_version="1")
        await bus.publish(keys.WIN_PROBABILITY, LIVE, probability)
        shown, _ = await events.next("probability")
        assert (shown["game_id"], shown["home"], shown["model"]) == (LIVE, 0.8, "nba_logit")


async def test_a_silent_stream_sends_pings(infra: Infra) -> None:
    stopping = asyncio.Event()
    stream = EventStream(infra.redis, EventBuilder(infra.pool), ["fill"], stopping, ping_s=0.2)
    frames = stream.frames()
    try:
        assert (await anext(frames)).startswith(b"event: hello\n")
        async with asyncio.timeout(2):
            assert await anext(frames) == b": ping\n\n"
        stopping.set()
        with pytest.raises(StopAsyncIteration):
            async with asyncio.timeout(2):
                await anext(frames)
    finally:
        await frames.aclose()
