"""Log redaction and the first paper engine."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from markets.base import Accepted, Rejected
from markets.base import OrderRequest as Req
from markets.paper.books import BookSnapshot
from markets.paper.engine import PaperTradingEngine
from shared.logs import JsonFormatter, register_secret
from shared.orders.state import OrderStatus

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def test_registered_secrets_and_keys_never_reach_a_log_line() -> None:
    register_secret("canary-secret-1234567890")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "key=%s", ("canary-secret-1234567890",), None)
    record.pem = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"
    record.auth = "Bearer abcdefghijklmnop"
    line = JsonFormatter().format(record)
    assert "canary-secret" not in line and "BEGIN PRIVATE KEY" not in line and "abcdefghijklmnop" not in line
    assert json.loads(line)["message"] == "key=***"


class _Top:
    """A book source answering one top of book (or nothing), like our Redis latest values."""

    def __init__(self, top: BookSnapshot | None) -> None:
        self.top = top

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        return self.top


def _engine(top: BookSnapshot | None) -> PaperTradingEngine:
    return PaperTradingEngine("kalshi", _Top(top), clock=lambda: NOW)


def _top(ask: str = "0.62", size: str = "10", age_s: float = 0) -> BookSnapshot:
    return BookSnapshot(
        bids=((Decimal("0.60"), Decimal(10)),),
        asks=((Decimal(ask), Decimal(size)),),
        ts=NOW - timedelta(seconds=age_s),
        tick_size=Decimal("0.01"),
        min_size=Decimal(1),
    )


def _req(qty: str = "5", limit: str = "0.65", tif: str = "ioc", coid: str = "c1") -> Req:
    return Req(
        client_order_id=coid,
        market_id="m",
        outcome_id="yes",
        side="buy",
        limit_price=Decimal(limit),
        quantity=Decimal(qty),
        time_in_force=tif,  # type: ignore[arg-type]
    )


async def test_paper_fills_at_the_ask_with_kalshi_fee_and_is_idempotent() -> None:
    engine = _engine(_top())
    outcome = await engine.submit(_req())
    assert isinstance(outcome, Accepted)
    report = outcome.report
    assert report.status == OrderStatus.FILLED and report.avg_fill_price == Decimal("0.62")
    assert report.fills[0].fee == Decimal("0.09")  # ceil(0.07 x 5 x 0.62 x 0.38 = 0.0825)
    again = await engine.submit(_req())
    assert isinstance(again, Accepted) and again.report == report


async def test_paper_partial_ioc_cancels_rest_and_gtc_rests() -> None:
    ioc = await _engine(_top(size="3")).submit(_req(qty="5"))
    assert isinstance(ioc, Accepted)
    assert ioc.report.status == OrderStatus.CANCELED and ioc.report.filled_quantity == 3
    engine = _engine(_top(size="3"))
    gtc = await engine.submit(_req(qty="5", tif="gtc", coid="c2"))
    assert isinstance(gtc, Accepted) and gtc.report.status == OrderStatus.PARTIALLY_FILLED
    cancelled = await engine.cancel("c2")
    assert cancelled is not None and cancelled.status == OrderStatus.CANCELED


async def test_paper_will_not_trade_a_stale_or_missing_book_or_through_the_limit() -> None:
    assert isinstance(await _engine(_top(age_s=60)).submit(_req()), Rejected)
    assert isinstance(await _engine(None).submit(_req()), Rejected)
    out = await _engine(_top(ask="0.70")).submit(_req(limit="0.65"))
    assert isinstance(out, Accepted) and out.report.filled_quantity == 0
