"""Production clients against the simulator: keys, L2 auth, orders resting and matching, sports delay."""

from __future__ import annotations

import time
from decimal import Decimal

from py_clob_client_v2.clob_types import ApiCreds, RequestArgs
from py_clob_client_v2.headers.headers import create_level_2_headers
from py_clob_client_v2.signer import Signer

from markets.polymarket.book import BookState
from markets.polymarket.clob import ClobReader
from markets.polymarket.gamma import GammaClient
from markets.polymarket.trading import ClobTrader
from markets.polymarket.types import OrderUpdate, TradeUpdate
from markets.polymarket.ws_market import MarketFeed
from markets.polymarket.ws_user import UserFeed, UserResync
from tests.integration.polymarket.conftest import FAST, Sim
from tests.support import eventually

TICK = Decimal("0.01")


async def test_api_key_is_created_then_derived_identically_through_the_official_client(sim: Sim) -> None:
    trader = await sim.trader()
    first = trader.credentials
    again = await trader.create_or_derive_api_key()  # create is refused now; the library falls back to derive
    key = trader.settings.private_key  # same wallet, a new process
    assert key is not None
    other = ClobTrader(sim.settings(private_key=key.get_secret_value()), trader.gate)
    derived = await other.derive_api_key()
    assert first is not None and again.api_key == first.api_key == derived.api_key
    assert again.secret.get_secret_value() == derived.secret.get_secret_value()
    assert ("POST", "/auth/api-key") in await sim.requests() and ("GET", "/auth/derive-api-key") in await sim.requests()


async def test_an_l2_call_with_a_tampered_hmac_is_refused(sim: Sim) -> None:
    trader = await sim.trader()
    creds = trader.credentials
    key = trader.settings.private_key
    assert creds is not None and key is not None
    library_creds = ApiCreds(creds.api_key, creds.secret.get_secret_value(), creds.passphrase.get_secret_value())
    headers = create_level_2_headers(
        Signer(key.get_secret_value(), 137), library_creds, RequestArgs(method="GET", request_path="/data/orders")
    )
    good = await sim.http.get(f"{sim.url}/data/orders", headers=headers)
    assert good.status_code == 200 and good.json()["data"] == []
    signature = headers["POLY_SIGNATURE"]
    tampered = headers | {"POLY_SIGNATURE": ("A" if signature[0] != "A" else "B") + signature[1:]}
    bad = await sim.http.get(f"{sim.url}/data/orders", headers=tampered)
    assert bad.status_code == 401 and bad.json() == {"error": "Unauthorized/Invalid api key"}
    stale = create_level_2_headers(
        Signer(key.get_secret_value(), 137),
        library_creds,
        RequestArgs(method="GET", request_path="/data/orders"),
        timestamp=int(time.time()) - 600,
    )
    assert (await sim.http.get(f"{sim.url}/data/orders", headers=stale)).status_code == 401


async def test_an_order_rests_shows_on_the_feed_with_a_correct_hash_and_matches_another_account(sim: Sim) -> None:
    market = await sim.market()
    yes, no = market["token_ids"]
    maker, taker = await sim.trader(), await sim.trader()
    reader = ClobReader(sim.http, sim.url, FAST)
    feed = MarketFeed(sim.settings(), reader, [yes, no])
    sim.start(feed.run())
    events: list[object] = []

    async def collect(event: object) -> None:
        events.append(event)

    user = UserFeed(sim.settings(), maker, [market["condition_id"]], collect)
    sim.start(user.run())
    await eventually(lambda: _ready(feed, user))

    signed, placed = await maker.place_limit_order(
        yes, "BUY", Decimal("0.50"), Decimal(10), tick_size=TICK, neg_risk=False
    )
    assert placed.status == "live" and placed.order_id == signed.order_id  # id known before posting

    async def on_feed() -> bool:
        bid, ask = feed.books[yes].best_bid(), feed.books[no].best_ask()
        return bool(bid and bid.price == Decimal("0.5") and ask and ask.price == Decimal("0.5"))

    await eventually(on_feed)
    for token in (yes, no):
        rest = await reader.book(token)
        local = feed.books[token]
        assert local.state is BookState.FRESH and local.same_levels(rest) and local.hash == rest.hash
    assert feed.stats.hash_mismatches == 0 and feed.stats.resnapshots == 0

    _, crossed = await taker.place_limit_order(no, "BUY", Decimal("0.55"), Decimal(10), tick_size=TICK, neg_risk=False)
    assert crossed.status == "matched" and len(crossed.trade_ids) == 1
    assert crossed.making_amount == Decimal(5) and crossed.taking_amount == Decimal(10)  # filled at 1 - 0.50

    async def maker_saw_confirmed() -> bool:
        trades = [e for e in events if isinstance(e, TradeUpdate) and e.trade_id == crossed.trade_ids[0]]
        return any(t.status == "CONFIRMED" for t in trades) and trades[0].status == "MATCHED"

    await eventually(maker_saw_confirmed)
    fill = next(e for e in events if isinstance(e, TradeUpdate))
    assert fill.trader_side == "MAKER" and fill.maker_orders[0].order_id == signed.order_id
    assert any(isinstance(e, OrderUpdate) and e.order_id == signed.order_id and e.status == "MATCHED" for e in events)
    assert await maker.open_orders() == [] and await maker.order(signed.order_id) is None
    (trade,) = await taker.trades()
    assert (
        trade.side == "BUY" and trade.asset_id == no and trade.price == Decimal("0.5") and trade.trader_side == "TAKER"
    )
    await eventually(lambda: _best_bid_back(feed, yes))
    assert feed.stats.hash_mismatches == 0


async def test_a_sports_market_answers_delayed_then_matches(sim: Sim) -> None:
    market = await sim.market(matching_delay_s=0.5)
    yes = market["token_ids"][0]
    trader = await sim.trader()
    _, answer = await trader.place_limit_order(yes, "BUY", Decimal("0.55"), Decimal(10), tick_size=TICK, neg_risk=False)
    assert answer.status == "delayed" and answer.trade_ids == ()
    assert await trader.trades() == []
    resting = await trader.order(answer.order_id)
    assert resting is not None and resting.status == "LIVE"

    async def matched() -> bool:
        return bool(await trader.trades())

    await eventually(matched)
    (trade,) = await trader.trades()
    assert trade.price == Decimal("0.55") and trade.size == Decimal(10)


async def test_user_feed_catches_up_over_rest_after_a_reconnect(sim: Sim) -> None:
    market = await sim.market()
    trader = await sim.trader()
    events: list[object] = []

    async def collect(event: object) -> None:
        events.append(event)

    feed = UserFeed(sim.settings(), trader, [market["condition_id"]], collect)
    sim.start(feed.run())
    await eventually(lambda: _subscribed(feed))
    signed, _ = await trader.place_limit_order(
        market["token_ids"][0], "BUY", Decimal("0.40"), Decimal(5), tick_size=TICK, neg_risk=False
    )
    await sim.control("faults", {"kind": "ws_drop", "channel": "user"})

    async def resynced() -> bool:
        return feed.sessions >= 2 and any(isinstance(e, UserResync) for e in events)

    await eventually(resynced)
    resync = next(e for e in events if isinstance(e, UserResync))
    assert [o.order_id for o in resync.open_orders] == [signed.order_id]


async def test_gamma_lists_the_market_with_its_tokens(sim: Sim) -> None:
    market = await sim.market(away="Knicks", home="Warriors", away_abbr="nyk", home_abbr="gsw")
    gamma = GammaClient(sim.http, f"{sim.url}/gamma", FAST)
    (event,) = await gamma.events({"slug": market["event_slug"]})
    (listed,) = event.markets
    assert listed.token_ids == tuple(market["token_ids"]) and listed.outcomes == ("Knicks", "Warriors")
    assert listed.sports_market_type == "moneyline" and listed.game_start_time is not None
    assert listed.best_bid == Decimal("0.45") and listed.best_ask == Decimal("0.55")
    by_slug = await gamma.market_by_slug(market["slug"])
    assert by_slug.condition_id == market["condition_id"] and by_slug.tick_size == TICK
    keyset = [m async for m in gamma.iter_markets_keyset(page_size=1)]
    assert [m.condition_id for m in keyset] == [market["condition_id"]]
    assert (await gamma.sports())[0].tag_ids


async def _ready(feed: MarketFeed, user: UserFeed) -> bool:
    return all(b.state is BookState.FRESH for b in feed.books.values()) and user.subscribed.is_set()


async def _subscribed(feed: UserFeed) -> bool:
    return feed.subscribed.is_set()


async def _best_bid_back(feed: MarketFeed, token: str) -> bool:
    bid = feed.books[token].best_bid()
    return bid is not None and bid.price == Decimal("0.45")
