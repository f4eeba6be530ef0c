"""The in-place book (sorted prices, cached hash text) against a plain model and the reference hash."""

from __future__ import annotations

import random
from decimal import Decimal

from markets.polymarket import parsing
from markets.polymarket.book import BookState, LocalBook
from markets.polymarket.hashing import candidate_hashes
from markets.polymarket.types import BookSnapshot, LastTradePriceEvent, LevelChange, Side, TickSizeChangeEvent

ODD_TEXTS = ['0x\u00e9"q\\', "tab\there", "\u2603", "plain"]


def _reference(book: LocalBook) -> tuple[str, ...]:
    assert book.min_order_size is not None and book.tick_size is not None and book.neg_risk is not None
    return candidate_hashes(
        market=book.market,
        asset_id=book.asset_id,
        timestamp=book.timestamp_text,
        bids=book.wire_levels("BUY"),
        asks=book.wire_levels("SELL"),
        min_order_size=book.min_order_size,
        tick_size=book.tick_size,
        neg_risk=book.neg_risk,
        last_trade_price=book.last_trade_price,
    )


def _text(rng: random.Random, low: int, high: int) -> str:
    value = Decimal(rng.randint(low, high)) / 1000
    return rng.choice([str(value), f"{value:.3f}", str(value.normalize())])


def _change(rng: random.Random, asset: str) -> LevelChange:
    size = "0" if rng.random() < 0.25 else _text(rng, 1, 900_000)
    side: Side = rng.choice(("BUY", "SELL"))
    return LevelChange(asset, side, parsing.level(_text(rng, 1, 999), size), None, None, None)


def test_hashes_and_levels_match_the_reference_through_random_changes() -> None:
    rng = random.Random(42)
    for market in ODD_TEXTS:
        book = LocalBook("123" + market)
        bids = tuple(parsing.level(_text(rng, 1, 500), _text(rng, 1, 9_000)) for _ in range(20))
        asks = tuple(parsing.level(_text(rng, 501, 999), _text(rng, 1, 9_000)) for _ in range(20))
        snapshot = BookSnapshot(market, book.asset_id, "1000", "", bids, asks, "5", "0.01", rng.random() < 0.5)
        book.load(snapshot)
        model_bids = {lv.price: lv for lv in bids}
        model_asks = {lv.price: lv for lv in asks}
        for step in range(300):
            change = _change(rng, book.asset_id)
            side = model_bids if change.side == "BUY" else model_asks
            if change.level.size == 0:
                side.pop(change.level.price, None)
            else:
                side[change.level.price] = change.level
            assert book.apply_changes([change], str(1001 + step)) is True
            if step % 50 == 7:
                book.apply_last_trade(LastTradePriceEvent(market, book.asset_id, Decimal("0.5"), ODD_TEXTS[step % 4],
                                                          None, None, None, "", None))  # fmt: skip
            if step % 70 == 3:
                book.apply_tick_size(TickSizeChangeEvent(market, book.asset_id, "0.01", "0.001", ""))
            assert book.wire_levels("BUY") == [(model_bids[p].price_text, model_bids[p].size_text)
                                               for p in sorted(model_bids)]  # fmt: skip
            assert book.wire_levels("SELL") == [(model_asks[p].price_text, model_asks[p].size_text)
                                                for p in sorted(model_asks, reverse=True)]  # fmt: skip
            reference = _reference(book)
            assert book.expected_hashes() == reference
            assert all(book.verify((h,)) is True for h in reference) and book.verify(("0" * 40,)) is False
            best_bid, best_ask = book.best_bid(), book.best_ask()
            assert best_bid == (model_bids[max(model_bids)] if model_bids else None)
            assert best_ask == (model_asks[min(model_asks)] if model_asks else None)
            assert book.top_signature() == (market, best_bid, best_ask, book.tick_size)


def test_a_change_carrying_the_venue_hash_verifies_and_a_wrong_one_does_not() -> None:
    book = LocalBook("7", "0xm")
    book.load(BookSnapshot("0xm", "7", "1", "", (parsing.level("0.4", "10"),), (), "5", "0.01", False, "0.4"))
    change = LevelChange("7", "SELL", parsing.level("0.6", "3"), None, None, None)
    book.apply_changes([change], "2")
    right = _reference(book)[-1]
    again = LevelChange("7", "SELL", parsing.level("0.6", "3"), right, None, None)
    assert book.apply_changes([again], "2") is True
    assert book.state is BookState.FRESH
    wrong = LevelChange("7", "SELL", parsing.level("0.6", "4"), right, None, None)
    assert book.apply_changes([wrong], "2") is False
    assert book.state.value == "out_of_sync"
