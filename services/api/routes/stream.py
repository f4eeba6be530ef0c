"""``GET /stream``: the dashboard's Server-Sent Events (bearer header auth, like every read route)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from services.api.stream.events import EventBuilder
from services.api.stream.sse import TOPICS, EventStream

router = APIRouter()
_DESCRIPTION = (
    "Server-Sent Events: first `hello` {server_time}, then `event: <topic>` / `data: <json>` / `id: <id>`, "
    "and a `: ping` comment every 10 s. Payloads: game_state = GameStateEvent, probability = ProbabilityEvent, "
    "price = PriceEvent, signal = SignalOut, order = OrderOut (or the raw order event when no order is stored), "
    "fill = FillOut, position = PositionOut, trading_state = TradingStateOut."
)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    description=_DESCRIPTION,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def stream(
    request: Request,
    topics: Annotated[str | None, Query(description=f"comma-separated subset of: {', '.join(TOPICS)}")] = None,
) -> StreamingResponse:
    """Live events of the chosen topics (all by default)."""
    chosen = [t.strip() for t in topics.split(",") if t.strip()] if topics is not None else list(TOPICS)
    unknown = sorted(set(chosen) - set(TOPICS))
    if unknown or not chosen:
        raise HTTPException(status_code=422, detail=f"unknown topics {unknown}; choose from {', '.join(TOPICS)}")
    state = request.app.state
    events = EventStream(state.redis, EventBuilder(state.pool), chosen, state.stopping)
    return StreamingResponse(
        events.frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
