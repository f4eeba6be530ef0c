"""Every recorded Gamma response parses (or maps to the right error) with the production parsers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from markets.polymarket import parsing
from markets.polymarket.errors import map_response
from shared.errors import Rejected, Retryable

HTTP = Path(__file__).parent / "resources" / "http"
CASSETTES = HTTP / "gamma_2025-11_cassettes"
INDEX = json.loads((CASSETTES / "_index.json").read_text())


def _body(entry: dict[str, object]) -> object:
    raw = (CASSETTES / str(entry["file"])).read_bytes()
    return parsing.loads(raw) if str(entry["file"]).endswith(".json") else raw.decode()


@pytest.mark.parametrize("entry", [e for e in INDEX if e["status"] == 200], ids=lambda e: e["file"])
def test_every_recorded_200_parses(entry: dict[str, object]) -> None:
    body = _body(entry)
    url = str(entry["url"])
    if "/events" in url:
        events = parsing.gamma_events(body)
        assert events and all(e.id and e.slug for e in events)
        markets = [m for e in events for m in e.markets]
    elif isinstance(body, list):
        markets = parsing.gamma_markets(body)
    else:
        markets = [parsing.gamma_market(body)]
    assert markets
    for m in markets:
        assert len(m.token_ids) in (0, len(m.outcomes))
        assert all(isinstance(p, Decimal) for p in m.outcome_prices)
        if m.tick_size is not None:
            assert isinstance(m.tick_size, Decimal) and m.tick_size > 0


@pytest.mark.parametrize("entry", [e for e in INDEX if e["status"] != 200], ids=lambda e: e["file"])
def test_every_recorded_error_maps_onto_the_taxonomy(entry: dict[str, object]) -> None:
    status = int(str(entry["status"]))
    error = map_response(status, _body(entry), mutation=False)
    if status == 503:
        assert isinstance(error, Retryable)
    else:
        assert isinstance(error, Rejected) and error.status == status
    if status == 422:
        assert str(error) == "id is invalid"


def test_legacy_market_without_token_ids_or_condition_id_still_parses() -> None:
    market = parsing.gamma_market(parsing.loads((CASSETTES / "get_gamma_markets_502517__200.json").read_bytes()))
    assert market.condition_id == "" and market.token_ids == () and market.outcome_prices == ()
    assert market.outcomes == ("Yes", "No")
    assert market.neg_risk is True and market.tick_size == Decimal("0.01") and market.min_order_size == Decimal(5)


def test_2026_markets_decode_json_string_fields_and_fee_schedule() -> None:
    raw = parsing.loads((HTTP / "gamma_2026-06_dr-manhattan" / "gamma_markets_sample5.json").read_bytes())
    markets = parsing.gamma_markets(raw)
    assert len(markets) == 5
    first = markets[0]
    assert first.token_ids[0] == "98022490269692409998126496127597032490334070080325855126491859374983463996227"
    assert first.outcome_prices[0] == Decimal("0.51")
    assert first.condition_id == "0x1fad72fae204143ff1c3035e99e7c0f65ea8d5cd9bd1070987bd1a3316f772be"
    assert first.fee_schedule is not None and first.fee_schedule.rate == Decimal("0.05")
    assert first.best_bid == Decimal("0.5") and first.best_ask == Decimal("0.52")
    assert first.token_for(first.outcomes[1]) == first.token_ids[1]
    assert first.event_slugs == ("what-will-happen-before-gta-vi",)


def test_trimmed_2026_wnba_events_parse_with_null_prices() -> None:
    raw = parsing.loads((HTTP / "gamma_2026-07_wnba-analytics-engine" / "gamma_events_wnba_TRIMMED.json").read_bytes())
    events = parsing.gamma_events(raw)
    assert [e.slug for e in events] == ["wnba-2026-champion-464", "wnba-2026-mvp"]
    connecticut = events[0].markets[2]
    assert connecticut.best_bid is None and connecticut.best_ask == Decimal("0.001")
    assert connecticut.outcome_prices == (Decimal("0.0005"), Decimal("0.9995"))


@pytest.mark.parametrize("name", ["book_data_a.txt", "book_data_b.txt"])
def test_recorded_rest_books_parse_in_wire_order(name: str) -> None:
    wrapped = parsing.loads((HTTP / "clob_book_polypy" / name).read_bytes())
    book = parsing.book(wrapped["book"])
    assert book.bids and book.asks
    # The venue lists both sides worst to best: bids ascending, asks descending.
    assert [lv.price for lv in book.bids] == sorted(lv.price for lv in book.bids)
    assert [lv.price for lv in book.asks] == sorted((lv.price for lv in book.asks), reverse=True)
    assert book.min_order_size == "5" and book.neg_risk is False
