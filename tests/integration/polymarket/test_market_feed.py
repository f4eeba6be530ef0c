"""The market feed against the simulator: freeze watchdog, drops, missed messages, sharding."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from markets.polymarket.book import BookState
from markets.polymarket.clob import ClobReader
from markets.polymarket.ws_market import MarketFeed
from markets.sim.common.orderbook import BookOrder
from tests.integration.polymarket.conftest import FAST, Sim
from tests.support import eventually


async def _started(sim: Sim, tokens: list[str], **settings: Any) -> tuple[MarketFeed, list[tuple[str, BookState]]]:
    states: list[tuple[str, BookState]] = []

    async def on_state(asset: str, state: BookState) -> None:
        states.append((asset, state))

    feed = MarketFeed(sim.settings(**settings), ClobReader(sim.http, sim.url, FAST), tokens, on_state=on_state)
    sim.start(feed.run())

    async def fresh() -> bool:
        return all(b.state is BookState.FRESH for b in feed.books.values())

    await eventually(fresh)
    return feed, states


async def _matches_rest(sim: Sim, feed: MarketFeed, token: str) -> bool:
    rest = await ClobReader(sim.http, sim.url, FAST).book(token)
    book = feed.books[token]
    return book.state is BookState.FRESH and book.same_levels(rest) and book.hash == rest.hash


async def test_a_frozen_feed_is_detected_within_the_watchdog_interval_and_recovered(sim: Sim) -> None:
    market = await sim.market()
    yes = market["token_ids"][0]
    feed, states = await _started(sim, [yes], ws_stale_after_s=1.0)
    await sim.control("faults", {"kind": "ws_freeze", "channel": "market", "hang_s": 60})
    await asyncio.sleep(0.2)  # the simulator applies the freeze (its fault poller runs every 50 ms)
    loop = asyncio.get_running_loop()
    frozen_at = loop.time()
    await sim.control(f"markets/{market['condition_id']}/price", {"price": 0.7})  # the venue moves on

    async def detected() -> bool:
        return (yes, BookState.STALE) in states

    await eventually(detected, timeout=5)
    assert loop.time() - frozen_at < 1.0 + 1.0  # watchdog interval + one tick + a REST probe
    assert feed.stats.freezes == 1

    async def recovered() -> bool:
        return feed.stats.sessions >= 2 and await _matches_rest(sim, feed, yes)

    await eventually(recovered, timeout=5)
    best = feed.books[yes].best_bid()
    assert best is not None and best.price == Decimal("0.65")


async def test_a_quiet_market_is_not_mistaken_for_a_freeze(sim: Sim) -> None:
    market = await sim.market()
    feed, states = await _started(sim, market["token_ids"], ws_stale_after_s=0.4)

    async def probed() -> bool:
        return feed.stats.quiet_probes >= 2

    await eventually(probed, timeout=5)
    assert feed.stats.freezes == 0 and feed.stats.sessions == 1
    assert all(state is BookState.FRESH for _, state in states)


async def test_a_dropped_connection_reconnects_and_resnapshots(sim: Sim) -> None:
    market = await sim.market()
    yes = market["token_ids"][0]
    feed, _ = await _started(sim, [yes])
    await sim.control("faults", {"kind": "ws_drop", "channel": "market"})
    await sim.control(f"markets/{market['condition_id']}/price", {"price": 0.3})

    async def recovered() -> bool:
        return feed.stats.sessions >= 2 and await _matches_rest(sim, feed, yes)

    await eventually(recovered, timeout=5)


async def test_a_missed_update_is_caught_by_the_hash_and_fixed_over_rest(sim: Sim) -> None:
    market = await sim.market()
    yes = market["token_ids"][0]
    feed, _ = await _started(sim, [yes])
    # Change the venue's book without telling the feed (a lost message), then a normal update follows.
    sim.state.exchange.books[market["condition_id"]].rest(
        BookOrder(order_id="0xlost", owner="ghost", side="buy", price=Decimal("0.30"), quantity=Decimal(7))
    )
    await sim.control(f"markets/{market['condition_id']}/price", {"price": 0.52})

    async def repaired() -> bool:
        return feed.stats.hash_mismatches >= 1 and await _matches_rest(sim, feed, yes)

    await eventually(repaired, timeout=5)
    assert feed.stats.resnapshots >= 1
    assert any(lv.price == Decimal("0.3") for lv in (await ClobReader(sim.http, sim.url).book(yes)).bids)


async def test_assets_are_sharded_across_connections(sim: Sim) -> None:
    first, second = await sim.market(), await sim.market(away="Knicks", home="Warriors")
    tokens = first["token_ids"] + second["token_ids"]
    feed, _ = await _started(sim, tokens, ws_max_assets_per_connection=3)
    assert [len(s) for s in feed.shards] == [3, 1] and feed.stats.sessions == 2
    await sim.control(f"markets/{second['condition_id']}/price", {"price": 0.8})

    async def moved() -> bool:
        bid = feed.books[second["token_ids"][1]].best_bid()  # the mirror token of the moved market
        return bid is not None and bid.price == Decimal("0.15")

    await eventually(moved)
    assert feed.stats.hash_mismatches == 0


async def test_a_tick_size_change_is_followed_and_hashes_keep_verifying(sim: Sim) -> None:
    market = await sim.market(price=0.97, half_spread="0.01")
    yes = market["token_ids"][0]
    feed, _ = await _started(sim, [yes])
    await sim.control(f"markets/{market['condition_id']}/tick-size", {"tick_size": "0.001"})
    await sim.control(f"markets/{market['condition_id']}/price", {"price": 0.975})

    async def followed() -> bool:
        bid = feed.books[yes].best_bid()
        return feed.books[yes].tick_size == "0.001" and bid is not None and bid.price == Decimal("0.965")

    await eventually(followed)
    assert feed.stats.hash_mismatches == 0 and feed.books[yes].to_market_price().tick_size == Decimal("0.001")
