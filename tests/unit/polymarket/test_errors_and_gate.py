"""Error mapping onto the shared taxonomy, and the geoblock trading gate."""

from __future__ import annotations

import httpx
import pytest
from py_clob_client_v2.exceptions import PolyApiException, PolyException

from markets.polymarket.errors import is_geoblock_answer, map_library_exception, map_response, map_transport
from markets.polymarket.geoblock import GateState, TradingGate, classify
from markets.polymarket.types import GeoblockAnswer
from shared.errors import Ambiguous, AuthOrClock, Geoblocked, Rejected, Retryable

REGION = {
    "error": "Trading restricted in your region, please refer to available regions - https://docs.polymarket.com/x"
}
CLOUDFLARE = "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head></html>"


@pytest.mark.parametrize("mutation", [True, False])
def test_region_refusal_and_cloudflare_page_are_geoblocked(mutation: bool) -> None:
    assert isinstance(map_response(403, REGION, mutation=mutation), Geoblocked)
    assert isinstance(map_response(403, CLOUDFLARE, mutation=mutation), Geoblocked)
    assert is_geoblock_answer(403, CLOUDFLARE) and not is_geoblock_answer(400, REGION)


@pytest.mark.parametrize(
    ("status", "body", "mutation", "expected"),
    [
        (401, {"error": "Unauthorized/Invalid api key"}, True, AuthOrClock),
        (403, {"error": "forbidden"}, False, AuthOrClock),
        (429, {"error": "Too Many Requests"}, False, Retryable),
        (425, {"error": "engine restarting"}, True, Retryable),
        (503, {"error": "Trading is currently disabled", "retry_after_seconds": 79}, True, Ambiguous),
        (503, {"error": "Trading is currently disabled", "retry_after_seconds": 79}, False, Retryable),
        (503, "upstream connect error", False, Retryable),
        (503, "upstream connect error", True, Ambiguous),
        (500, {"error": "order timed out"}, True, Ambiguous),
        (500, {"error": "boom"}, False, Retryable),
        (502, "bad gateway", True, Ambiguous),
        (400, {"error": "not enough balance / allowance"}, True, Rejected),
        (404, {"error": "No orderbook exists for the requested token id"}, False, Rejected),
        (422, {"type": "validation error", "error": "id is invalid"}, False, Rejected),
    ],
)
def test_status_mapping(status: int, body: object, mutation: bool, expected: type) -> None:
    error = map_response(status, body, mutation=mutation)
    assert type(error) is expected
    assert error.venue == "polymarket" and error.status == status


def test_retry_after_from_body_or_header() -> None:
    from_body = map_response(
        503, {"error": "post only", "code": "post_only_mode", "retry_after_seconds": 79}, mutation=False
    )
    assert isinstance(from_body, Retryable) and from_body.retry_after_s == 79 and from_body.code == "post_only_mode"
    from_header = map_response(429, {"error": "Too Many Requests"}, mutation=False, headers={"Retry-After": "7"})
    assert isinstance(from_header, Retryable) and from_header.retry_after_s == 7
    assert str(map_response(400, {"error": "invalid post-only order: order crosses book"}, mutation=True)) == (
        "invalid post-only order: order crosses book"
    )


def test_transport_errors_are_ambiguous_only_after_a_mutation() -> None:
    timeout = httpx.ReadTimeout("read timed out after send")
    assert isinstance(map_transport(timeout, mutation=True), Ambiguous)
    assert isinstance(map_transport(timeout, mutation=False), Retryable)


def test_library_exceptions() -> None:
    statusless = PolyApiException(error_msg="Request exception!")
    assert isinstance(map_library_exception(statusless, mutation=True), Ambiguous)
    assert isinstance(map_library_exception(statusless, mutation=False), Retryable)
    response = httpx.Response(403, json=REGION, request=httpx.Request("POST", "https://clob.polymarket.com/order"))
    assert isinstance(map_library_exception(PolyApiException(response), mutation=True), Geoblocked)
    refused = httpx.Response(400, json={"error": "bad"}, request=httpx.Request("POST", "https://x/order"))
    assert isinstance(map_library_exception(PolyApiException(refused), mutation=True), Rejected)
    assert isinstance(map_library_exception(PolyException("invalid price (1.2)"), mutation=True), Rejected)


def test_gate_fails_closed_until_checked_then_trips_for_good() -> None:
    gate = TradingGate()
    with pytest.raises(Geoblocked):
        gate.check(opening=True)
    gate.allow(classify(GeoblockAnswer(blocked=False, country="IE", region="L")))
    gate.check(opening=True)
    gate.observe(Geoblocked("Trading restricted in your region", venue="polymarket"))
    assert gate.tripped
    for opening in (True, False):
        with pytest.raises(Geoblocked):
            gate.check(opening=opening)
    gate.allow(classify(GeoblockAnswer(blocked=False, country="IE", region="L")))  # never re-opens
    assert gate.state is GateState.BLOCKED and gate.refused_calls == 3
    gate.observe(Rejected("other"))
    assert "Trading restricted" in gate.reason


def test_close_only_country_allows_only_reducing_calls() -> None:
    gate = TradingGate()
    status = classify(GeoblockAnswer(blocked=True, country="PL", region="14"))
    assert status.close_only
    gate.allow(status)
    assert gate.state is GateState.CLOSE_ONLY
    gate.check(opening=False)
    with pytest.raises(Geoblocked):
        gate.check(opening=True)


def test_blocked_country_trips_the_gate() -> None:
    gate = TradingGate()
    gate.allow(classify(GeoblockAnswer(blocked=True, country="US", region="NY")))
    assert gate.tripped
