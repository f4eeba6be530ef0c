"""The local book: snapshot + signed deltas, tops of book on both legs, desync detection."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from markets.kalshi.books import BookOutOfSync, LocalBook
from markets.kalshi.models import BookDelta, BookLevel, OrderBookSnapshot

D = Decimal


def _snapshot(yes: list[tuple[str, str]], no: list[tuple[str, str]]) -> OrderBookSnapshot:
    return OrderBookSnapshot(
        "T", tuple(BookLevel(D(p), D(s)) for p, s in yes), tuple(BookLevel(D(p), D(s)) for p, s in no)
    )


def _delta(side: str, price: str, delta: str) -> BookDelta:
    return BookDelta("T", side, D(price), D(delta), None, None)  # type: ignore[arg-type]


def test_tops_on_both_legs() -> None:
    book = LocalBook("T")
    book.apply_snapshot(_snapshot([("0.41", "10"), ("0.42", "13")], [("0.55", "20"), ("0.56", "7")]))
    assert book.best_yes_bid == D("0.42") and book.best_yes_ask == D("0.44")
    yes, no = book.to_market_price()
    assert (yes.best_bid, yes.bid_size, yes.best_ask, yes.ask_size) == (D("0.42"), D(13), D("0.44"), D(7))
    assert (no.best_bid, no.bid_size, no.best_ask, no.ask_size) == (D("0.56"), D(7), D("0.58"), D(13))
    assert (yes.venue, yes.market_id, yes.outcome_id, no.outcome_id) == ("kalshi", "T", "yes", "no")


def test_deltas_add_remove_and_refuse_negative() -> None:
    book = LocalBook("T")
    book.apply_snapshot(_snapshot([("0.41", "10")], []))
    book.apply_delta(_delta("yes", "0.41", "-10"))
    book.apply_delta(_delta("no", "0.50", "5.5"))
    assert book.levels("yes") == () and book.levels("no") == (BookLevel(D("0.50"), D("5.5")),)
    with pytest.raises(BookOutOfSync):
        book.apply_delta(_delta("no", "0.50", "-6"))
    assert book.levels("no") == (BookLevel(D("0.50"), D("5.5")),)
    yes, _ = book.to_market_price()
    assert yes.best_bid is None and yes.best_ask == D("0.50")


def test_delta_before_snapshot_and_after_clear() -> None:
    book = LocalBook("T")
    with pytest.raises(BookOutOfSync):
        book.apply_delta(_delta("yes", "0.41", "1"))
    book.apply_snapshot(_snapshot([("0.41", "1")], []))
    book.clear()
    assert not book.valid and book.levels("yes") == ()


prices = st.integers(1, 99).map(lambda c: D(c) / 100)
sizes = st.integers(1, 10_000).map(lambda n: D(n) / 100)


@given(st.lists(st.tuples(st.sampled_from(["yes", "no"]), prices, sizes, st.booleans()), max_size=60))
def test_book_equals_a_replayed_model(ops: list[tuple[str, Decimal, Decimal, bool]]) -> None:
    model: dict[str, dict[Decimal, Decimal]] = {"yes": {}, "no": {}}
    book = LocalBook("T")
    book.apply_snapshot(_snapshot([], []))
    for side, price, size, remove in ops:
        current = model[side].get(price, D(0))
        delta = -current if remove and current else size
        book.apply_delta(BookDelta("T", side, price, delta, None, None))  # type: ignore[arg-type]
        model[side][price] = current + delta
        if model[side][price] == 0:
            del model[side][price]
    for side in ("yes", "no"):
        assert book.levels(side) == tuple(BookLevel(p, model[side][p]) for p in sorted(model[side]))  # type: ignore[arg-type]
