"""One HTTP round trip to a Polymarket host with errors mapped onto the taxonomy (no retries here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from markets.polymarket import parsing
from markets.polymarket.errors import map_response, map_transport


def decode_body(response: httpx.Response) -> Any:
    """The body as JSON (``Decimal`` numbers) when it parses, else its text; ``None`` when empty."""
    if not response.content:
        return None
    try:
        return parsing.loads(response.content)
    except parsing.WireError:
        return response.text


async def call(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | list[tuple[str, str]] | None = None,
    json_body: Any = None,
    mutation: bool = False,
) -> Any:
    """Send one request; return the decoded body of a 200, raise the mapped :class:`VenueError` otherwise.

    Raises
    ------
    shared.errors.VenueError
        Mapped by :func:`markets.polymarket.errors.map_response` / ``map_transport``.
    """
    try:
        pairs = list(params.items()) if isinstance(params, Mapping) else params
        query = httpx.QueryParams(tuple(pairs)) if pairs is not None else None
        response = await http.request(method, url, params=query, json=json_body)
    except httpx.HTTPError as e:
        raise map_transport(e, mutation=mutation) from e
    body = decode_body(response)
    if response.status_code != 200:
        raise map_response(response.status_code, body, mutation=mutation, headers=response.headers)
    return body
