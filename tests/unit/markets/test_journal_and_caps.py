"""The order journal (durable, idempotent) and the live caps (refuse before sending)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import (
    Accepted,
    BalanceReport,
    Capabilities,
    FillPage,
    FillReport,
    OrderReport,
    OrderRequest,
    OrderResult,
    PositionReport,
    Rejected,
)
from markets.caps import CappedEngine, LiveCaps
from markets.journal import FileOrderJournal, MemoryOrderJournal
from shared.orders.state import OrderStatus

D = Decimal


def _request(coid: str = "c1", price: str = "0.50", qty: str = "10", side: str = "buy") -> OrderRequest:
    return OrderRequest(
        client_order_id=coid,
        market_id="m",
        outcome_id="yes",
        side=side,  # type: ignore[arg-type]
        limit_price=D(price),
        quantity=D(qty),
    )


async def test_file_journal_survives_a_restart_and_lists_unresolved(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = FileOrderJournal(path)
    await journal.record("kalshi", _request("a"))
    await journal.mark("a", "sent")
    await journal.record("kalshi", _request("b"))
    await journal.mark("b", "final", venue_order_id="v-b")
    again = await journal.record("kalshi", _request("a", price="0.99"))
    assert again.limit_price == D("0.50")  # idempotent: the first record stands

    reopened = FileOrderJournal(path)
    assert [e.client_order_id for e in await reopened.unresolved("kalshi")] == ["a"]
    b = await reopened.get("b")
    assert b is not None and b.state == "final" and b.venue_order_id == "v-b"
    assert await reopened.committed_notional("kalshi", datetime.now(UTC).date()) == D("10.00")


async def test_sell_notional_is_the_complement() -> None:
    journal = MemoryOrderJournal()
    await journal.record("kalshi", _request("s", price="0.80", qty="10", side="sell"))
    assert await journal.committed_notional("kalshi", datetime.now(UTC).date()) == D("2.00")


class _Recording:
    venue = "kalshi"
    paper = False
    capabilities = Capabilities()

    def __init__(self, journal: MemoryOrderJournal) -> None:
        self.sent: list[OrderRequest] = []
        self.journal = journal

    async def submit(self, request: OrderRequest) -> OrderResult:
        await self.journal.record("kalshi", request)
        self.sent.append(request)
        report = OrderReport(request.client_order_id, "v1", OrderStatus.ACCEPTED, request.quantity, D(0), None)
        return Accepted(report)

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def cancel(self, client_order_id: str) -> OrderReport | None:
        return None

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        return None

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        return None

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        return []

    async def fills_since(self, since: datetime | None = None, cursor: str | None = None) -> FillPage:
        return FillPage(())

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        return []

    async def balance(self) -> BalanceReport:
        return BalanceReport(D(0))

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        return []

    async def updates(self) -> AsyncIterator[OrderReport | FillReport]:  # pragma: no cover - unused
        if False:
            yield


@pytest.mark.parametrize(("price", "qty", "code"), [("0.50", "41", "cap_per_order"), ("0.99", "21", "cap_per_order")])
async def test_an_order_above_the_per_order_cap_is_refused_and_not_sent(price: str, qty: str, code: str) -> None:
    journal = MemoryOrderJournal()
    inner = _Recording(journal)
    engine = CappedEngine(inner, LiveCaps(max_order_notional_cents=2_000, max_daily_notional_cents=10_000), journal)
    result = await engine.submit(_request(price=price, qty=qty))
    assert isinstance(result, Rejected) and result.code == code and not result.sent
    assert "$20.00" in result.reason
    assert inner.sent == []


async def test_the_daily_cap_counts_what_was_already_sent_today() -> None:
    journal = MemoryOrderJournal()
    inner = _Recording(journal)
    engine = CappedEngine(inner, LiveCaps(max_order_notional_cents=2_000, max_daily_notional_cents=5_000), journal)
    for i in range(2):
        assert isinstance(await engine.submit(_request(f"ok{i}", price="0.50", qty="40")), Accepted)  # $20 each
    refused = await engine.submit(_request("too-much", price="0.50", qty="30"))  # would make $55
    assert isinstance(refused, Rejected) and refused.code == "cap_per_day" and not refused.sent
    assert [r.client_order_id for r in inner.sent] == ["ok0", "ok1"]
    # A retry of an order already journalled is not re-counted against the cap.
    assert isinstance(await engine.submit(_request("ok0", price="0.50", qty="40")), Accepted)


async def test_committed_notional_follows_each_entry_as_it_changes(tmp_path: Path) -> None:
    journal = FileOrderJournal(tmp_path / "j.jsonl")
    today = datetime.now(UTC).date()
    for coid in ("a", "b", "c"):
        await journal.record("kalshi", _request(coid))  # $5.00 each
    await journal.record("polymarket", _request("p"))
    await journal.mark("b", "refused", note="venue said no")  # never at the venue: no longer committed
    await journal.mark("a", "acked", venue_order_id="v-a")  # still committed, counted once
    assert await journal.committed_notional("kalshi", today) == D("10.00")
    assert await journal.committed_notional("polymarket", today) == D("5.00")
    reopened = FileOrderJournal(tmp_path / "j.jsonl")  # the same figure replayed from the file
    assert await reopened.committed_notional("kalshi", today) == D("10.00")


async def test_orders_recorded_side_by_side_share_fsyncs_and_all_are_durable(tmp_path: Path) -> None:
    journal = FileOrderJournal(tmp_path / "j.jsonl")
    entries = await asyncio.gather(*(journal.record("kalshi", _request(f"o{i}")) for i in range(20)))
    assert [e.client_order_id for e in entries] == [f"o{i}" for i in range(20)]
    assert 1 <= journal.fsyncs < 20  # grouped: the orders that arrived during a write went in the next one
    reopened = FileOrderJournal(tmp_path / "j.jsonl")
    assert {e.client_order_id for e in await reopened.unresolved("kalshi")} == {f"o{i}" for i in range(20)}
