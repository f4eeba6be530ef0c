"""HTTP statuses, Kalshi error bodies and transport failures onto the shared taxonomy."""

from __future__ import annotations

import httpx
import pytest

from markets.kalshi.errors import error_from_response, error_from_transport, parse_error_body
from shared.errors import Ambiguous, AuthOrClock, Rejected, Retryable, VenueError

BODY = b'{"error":{"code":"invalid_order","message":"invalid order","details":"bad"}}'


@pytest.mark.parametrize(
    ("status", "body", "mutating", "kind", "code"),
    [
        (429, b'{"error":"too many requests"}', False, Retryable, "rate_limited"),
        (429, b'{"error":"too many requests"}', True, Retryable, "rate_limited"),
        (500, b"", False, Retryable, None),
        (503, b'{"error":{"code":"service_unavailable","message":"x"}}', False, Retryable, "service_unavailable"),
        (503, b'{"error":{"code":"service_unavailable","message":"x"}}', True, Ambiguous, "service_unavailable"),
        (401, b'{"error":{"code":"unauthorized","message":"x"}}', False, AuthOrClock, "unauthorized"),
        (401, b"", True, AuthOrClock, None),
        (400, BODY, True, Rejected, "invalid_order"),
        (404, b'{"error":{"code":"not_found","message":"not found"}}', False, Rejected, "not_found"),
        (409, b'{"error":{"code":"order_already_exists","message":"x"}}', True, Ambiguous, "order_already_exists"),
        (409, b'{"error":{"code":"conflict","message":"x"}}', True, Rejected, "conflict"),
        (400, b"<html>bad gateway</html>", False, Rejected, None),
    ],
)
def test_status_mapping(status: int, body: bytes, mutating: bool, kind: type[VenueError], code: str | None) -> None:
    error = error_from_response(status, body, mutating=mutating)
    assert type(error) is kind
    assert (error.status, error.code, error.venue) == (status, code, "kalshi")


def test_flat_429_body_and_details_in_message() -> None:
    assert parse_error_body(b'{"error":"too many requests"}').message == "too many requests"
    assert "bad" in str(error_from_response(400, BODY, mutating=True))


def test_transport_errors() -> None:
    request = httpx.Request("POST", "http://x/trade-api/v2/portfolio/events/orders")
    sent = httpx.ReadTimeout("read", request=request)
    not_sent = httpx.ConnectError("refused", request=request)
    assert isinstance(error_from_transport(sent, mutating=True), Ambiguous)
    assert isinstance(error_from_transport(sent, mutating=False), Retryable)
    assert isinstance(error_from_transport(not_sent, mutating=True), Retryable)
    assert isinstance(error_from_transport(httpx.RemoteProtocolError("eof", request=request), mutating=True), Ambiguous)
