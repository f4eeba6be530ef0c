"""Kalshi engine plumbing: explicit settings, URLs, simple-order checks, fill cursors, sim stats."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.kalshi.config import PRODUCTION_REST_URL, PRODUCTION_WS_URL
from markets.kalshi.execution.engine import _check_simple, new_client_order_id
from markets.kalshi.execution.queries import _decode_cursor, _encode_cursor
from markets.kalshi.execution.settings import engine_settings, signer_for, ws_url_for
from markets.sim.kalshi.stats import RequestStats, _endpoint, percentile
from tests.unit.kalshi.keys import pkcs8_pem, private_key


def test_explicit_settings_ignore_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KALSHI_PRIVATE_KEY_PEM", "-----BEGIN PRIVATE KEY-----junk")
    monkeypatch.setenv("KALSHI_BASE_URL", "https://elsewhere.example/trade-api/v2")
    key_file = tmp_path / "k.key"
    key_file.write_bytes(pkcs8_pem(private_key(0)))
    settings = engine_settings("http://127.0.0.1:9/trade-api/v2/", "key-1", key_file)
    assert settings.base_url == "http://127.0.0.1:9/trade-api/v2" and settings.private_key_pem is None
    assert settings.ws_url == "ws://127.0.0.1:9/trade-api/ws/v2"
    signer = signer_for(settings, lambda: 1_700_000_000.0)
    assert signer.headers("GET", "/trade-api/v2/portfolio/balance")["KALSHI-ACCESS-TIMESTAMP"] == "1700000000000"


def test_ws_url_for_known_and_local_hosts() -> None:
    assert ws_url_for(PRODUCTION_REST_URL) == PRODUCTION_WS_URL
    assert ws_url_for("https://h.example/trade-api/v2") == "wss://h.example/trade-api/ws/v2"


@pytest.mark.parametrize(
    ("args", "ok"),
    [(("yes", 41, 3, "buy"), True), (("no", 99, 1, "sell"), True), (("yes", 41.0, 3, "buy"), False),
     (("yes", True, 3, "buy"), False), (("yes", 0, 3, "buy"), False), (("yes", 100, 3, "buy"), False),
     (("yes", 41, 0, "buy"), False), (("yes", 41, 2.5, "buy"), False), (("YES", 41, 3, "buy"), False),
     (("yes", 41, 3, "short"), False), (("yes", 41, False, "buy"), False)],
)  # fmt: skip
def test_simple_order_arguments(args: tuple[object, object, object, object], ok: bool) -> None:
    assert (_check_simple(*args) is None) == ok


def test_client_order_ids_are_fresh_and_short() -> None:
    a, b = new_client_order_id(), new_client_order_id()
    assert a != b and a.startswith("arb-") and len(a) <= 64


def test_fill_cursor_round_trip_and_refusal() -> None:
    ts = datetime(2026, 11, 23, 1, 2, 3, 456789, tzinfo=UTC)
    cursor = _encode_cursor(ts, [("t1", "o1"), ("t2", "o1")])
    assert _decode_cursor(cursor) == (ts, frozenset({("t1", "o1"), ("t2", "o1")}))
    with pytest.raises(ValueError, match="cursor"):
        _decode_cursor("not-a-cursor")


def test_user_order_message_parses_into_an_order() -> None:
    raw = w.WsUserOrder.model_validate(
        {"order_id": "o1", "ticker": "T", "status": "resting", "side": "no", "is_yes": False,
         "yes_price_dollars": "0.6000", "fill_count_fp": "2.00", "remaining_count_fp": "3.00",
         "initial_count_fp": "5.00", "client_order_id": "c1", "created_ts_ms": 1_700_000_000_000}
    )  # fmt: skip
    order = p.parse_ws_user_order(raw)
    assert (order.book_side, order.outcome_side, order.yes_price, order.fill_count, order.initial_count) == (
        "ask", "no", Decimal("0.6"), Decimal(2), Decimal(5),
    )  # fmt: skip
    only_flag = p.parse_ws_user_order(raw.model_copy(update={"side": None, "is_yes": True}))
    assert only_flag.book_side == "bid"


def test_sim_stats_percentiles_and_endpoint_names() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0 and percentile([float(i) for i in range(100)], 0.99) == 98.0
    scope = {"method": "DELETE", "path_params": {"order_id": "abc"}}
    assert _endpoint(scope, "/trade-api/v2/portfolio/events/orders/abc") == (
        "DELETE /trade-api/v2/portfolio/events/orders/{order_id}"
    )
    stats = RequestStats()
    stats.add("GET /x", 200, 0.001)
    stats.add("GET /x", 503, 0.003)
    summary = stats.summary()["GET /x"]
    assert summary["count"] == 2 and summary["statuses"] == {"200": 1, "503": 1}
    stats.reset()
    assert stats.summary() == {}


async def test_the_live_switch_builds_this_engine_behind_the_caps(tmp_path: Path) -> None:
    from markets.base import ExecutionEngine
    from markets.caps import CappedEngine, LiveCaps
    from markets.factory import EngineConfig, build_live
    from markets.kalshi.execution import KalshiExecutionEngine
    from markets.kalshi.execution.settings import ExplicitKalshiSettings

    kalshi = ExplicitKalshiSettings(
        base_url="http://127.0.0.1:9/trade-api/v2",
        api_key_id="key-1",
        private_key_pem=pkcs8_pem(private_key(0)).decode(),
    )
    engines = build_live(EngineConfig(mode="live", caps=LiveCaps(), journal_dir=tmp_path, kalshi=kalshi))
    capped = engines["kalshi"]
    assert isinstance(capped, CappedEngine) and isinstance(capped.inner, KalshiExecutionEngine)
    assert isinstance(capped.inner, ExecutionEngine) and not capped.paper
    assert capped.inner.settings.ws_url == kalshi.ws_url
    assert capped.journal is capped.inner.journal and (tmp_path / "kalshi-key-1.jsonl").parent.exists()
    await capped.close()
