"""Gamma under ``/gamma``: markets and events (offset and keyset paging), ``/sports``, ``/teams``.

Real shapes and quirks: lists are bare JSON arrays; ``closed`` defaults to ``false`` on ``/markets``;
a non-integer id is 422 ``{"type":"validation error","error":"id is invalid"}``; keyset pages are
``{"markets"|"events": [...], "next_cursor": ...}`` and refuse ``offset`` (422); unknown paths answer
the text ``404 page not found``.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response

from markets.sim.polymarket.market import SimMarket, gamma_event, gamma_market
from markets.sim.polymarket.seeding import SPORT_TAGS
from markets.sim.polymarket.state import SimState
from markets.sim.polymarket.wire import respond


def _not_found() -> Response:
    return Response(content=b"404 page not found", status_code=404, media_type="text/plain; charset=utf-8")


def _bool(value: str | None) -> bool | None:
    return None if value is None else value.lower() == "true"


def _market_json(state: SimState, m: SimMarket) -> dict[str, Any]:
    bid, ask = state.exchange.top(m.token_ids[0])
    last = state.exchange.last_trade[m.token_ids[0]]
    return gamma_market(m, best_bid=bid, best_ask=ask, last=None if not last else Decimal(last))


def _matches_market(m: SimMarket, q: dict[str, list[str]]) -> bool:
    checks = (
        ("id", m.id),
        ("slug", m.slug),
        ("condition_ids", m.condition_id),
        ("game_id", m.event.game_id or ""),
        ("sports_market_types", m.sports_market_type or ""),
    )
    for key, value in checks:
        if q.get(key) and value not in q[key]:
            return False
    if q.get("clob_token_ids") and not set(q["clob_token_ids"]) & set(m.token_ids):
        return False
    if q.get("tag_id") and not {t["id"] for t in m.event.tags} & set(q["tag_id"]):
        return False
    closed = _bool(q["closed"][0]) if q.get("closed") else False
    return closed is None or m.closed == closed


def _keyset(items: list[dict[str, Any]], name: str, limit: int, cursor: str | None) -> dict[str, Any]:
    start = int(base64.b64decode(cursor).decode()) if cursor else 0
    chunk = items[start : start + limit]
    nxt = base64.b64encode(str(start + limit).encode()).decode() if start + limit < len(items) else None
    return {name: chunk, "next_cursor": nxt}


def gamma_router(state: SimState) -> APIRouter:
    """All Gamma routes (mounted under ``/gamma``)."""
    router = APIRouter(prefix="/gamma")
    ex = state.exchange

    def query(request: Request) -> dict[str, list[str]]:
        q: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            q.setdefault(key.removesuffix("[]"), []).extend(v for v in value.split(",") if v)
        return q

    def markets(q: dict[str, list[str]]) -> list[dict[str, Any]]:
        return [_market_json(state, m) for m in ex.markets.values() if _matches_market(m, q)]

    def events(q: dict[str, list[str]]) -> list[dict[str, Any]]:
        by_event: dict[str, list[SimMarket]] = {}
        for m in ex.markets.values():
            by_event.setdefault(m.event.id, []).append(m)
        out = []
        for group in by_event.values():
            e = group[0].event
            closed = all(m.closed for m in group)
            if q.get("slug") and e.slug not in q["slug"] or q.get("id") and e.id not in q["id"]:
                continue
            if q.get("tag_id") and not {t["id"] for t in e.tags} & set(q["tag_id"]):
                continue
            if q.get("closed") and _bool(q["closed"][0]) != closed:
                continue
            out.append(gamma_event(e, [_market_json(state, m) for m in group], closed=closed))
        return out

    def paged(items: list[dict[str, Any]], q: dict[str, list[str]]) -> list[dict[str, Any]]:
        offset, limit = int(q.get("offset", ["0"])[0]), int(q.get("limit", ["100"])[0])
        return items[offset : offset + limit]

    @router.get("/markets")
    async def list_markets(request: Request) -> Response:
        q = query(request)
        return respond(paged(markets(q), q))

    @router.get("/markets/keyset")
    async def markets_keyset(request: Request) -> Response:
        q = query(request)
        if "offset" in q:
            return respond({"type": "validation error", "error": "offset is not supported; use after_cursor"}, 422)
        limit = min(int(q.get("limit", ["100"])[0]), 100)
        return respond(_keyset(markets(q), "markets", limit, next(iter(q.get("after_cursor", [])), None)))

    @router.get("/markets/slug/{slug}")
    async def market_by_slug(slug: str) -> Response:
        found = [m for m in ex.markets.values() if m.slug == slug]
        return respond(_market_json(state, found[0])) if found else _not_found()

    @router.get("/markets/{market_id}")
    async def market_by_id(market_id: str) -> Response:
        if not market_id.isdigit():
            return respond({"type": "validation error", "error": "id is invalid"}, 422)
        found = [m for m in ex.markets.values() if m.id == market_id]
        return respond(_market_json(state, found[0])) if found else _not_found()

    @router.get("/events")
    async def list_events(request: Request) -> Response:
        q = query(request)
        return respond(paged(events(q), q))

    @router.get("/events/keyset")
    async def events_keyset(request: Request) -> Response:
        q = query(request)
        if "offset" in q:
            return respond({"type": "validation error", "error": "offset is not supported; use after_cursor"}, 422)
        limit = min(int(q.get("limit", ["100"])[0]), 500)
        return respond(_keyset(events(q), "events", limit, next(iter(q.get("after_cursor", [])), None)))

    @router.get("/events/slug/{slug}")
    async def event_by_slug(slug: str) -> Response:
        found = events({"slug": [slug]})
        return respond(found[0]) if found else _not_found()

    @router.get("/events/{event_id}")
    async def event_by_id(event_id: str) -> Response:
        if not event_id.isdigit():
            return respond({"type": "validation error", "error": "id is invalid"}, 422)
        found = events({"id": [event_id]})
        return respond(found[0]) if found else _not_found()

    @router.get("/sports")
    async def sports() -> Response:
        rows = [
            {
                "sport": league,
                "image": "",
                "resolution": "",
                "ordering": "away",
                "tags": f"1,{tag_id},100639",
                "series": tag_id,
            }
            for league, (tag_id, _label) in SPORT_TAGS.items()
        ]
        return respond(rows)

    @router.get("/sports/market-types")
    async def market_types() -> Response:
        return respond({"marketTypes": ["moneyline", "spreads", "totals"]})

    @router.get("/teams")
    async def teams(request: Request) -> Response:
        q = query(request)
        seen: dict[str, dict[str, Any]] = {}
        for m in ex.markets.values():
            league = m.event.series_slug or ""
            for name in m.outcomes:
                seen.setdefault(
                    f"{league}|{name}",
                    {
                        "id": len(seen) + 1,
                        "name": name,
                        "league": league,
                        "abbreviation": name[:3].lower(),
                        "alias": name,
                    },
                )
        rows = [t for t in seen.values() if not q.get("league") or t["league"] in q["league"]]
        return respond(paged(rows, q))

    @router.api_route("/{path:path}", methods=["GET", "POST"])
    async def unknown(path: str) -> Response:
        return _not_found()

    return router
