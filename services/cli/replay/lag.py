"""How far behind the replay clock the fleet ran, read back from the database after a replay.

A replay's clock is the wall clock (the simulators move at ``--speed`` whatever the fleet does), so a fleet
that cannot keep up shows as lag, not as a slower replay:

- ``state_start`` / ``state_end``: wall seconds from a game's scheduled start (end) on the replay clock
  to the first state the shard stored with status ``in`` (``post``); ESPN is polled, so a poll interval
  is the floor.
- ``signal_to_intent``: the signal's time to the risk decision (``signal_processor``).
- ``intent_to_order``: the decision to the order row (``execution_service`` picking it up).
- ``order_to_fill``: the order row to its first fill recorded (the venue round trip, or the sweep).

Each is ``{"n", "p50", "p90", "max"}`` in wall seconds (None when there is no sample).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import asyncpg

from services.cli.replay.plan import ReplayPlan

STATES = """SELECT game_id, min(ts) FILTER (WHERE status = 'in') AS first_in,
                  min(ts) FILTER (WHERE status = 'post') AS first_post
           FROM game_states WHERE game_id = ANY($1::text[]) GROUP BY game_id"""
SIGNAL_TO_INTENT = """SELECT extract(epoch FROM i.created_at - s.ts)::float8 FROM order_intents i
                      JOIN signals s ON s.signal_id = i.signal_id WHERE i.game_id = ANY($1::text[])"""
INTENT_TO_ORDER = """SELECT extract(epoch FROM o.created_at - i.created_at)::float8 FROM orders o
                     JOIN order_intents i ON i.intent_id = o.intent_id WHERE o.game_id = ANY($1::text[])"""
ORDER_TO_FILL = """SELECT extract(epoch FROM min(f.recorded_at) - o.created_at)::float8 FROM orders o
                   JOIN fills f ON f.client_order_id = o.client_order_id
                   WHERE o.game_id = ANY($1::text[]) GROUP BY o.client_order_id, o.created_at"""


def percentiles(values: Sequence[float]) -> dict[str, Any]:
    """``n``, nearest-rank ``p50`` and ``p90``, and ``max`` of ``values`` (rounded to the millisecond)."""
    if not values:
        return {"n": 0, "p50": None, "p90": None, "max": None}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 3)

    return {"n": len(ordered), "p50": rank(0.5), "p90": rank(0.9), "max": round(ordered[-1], 3)}


async def lag_figures(pool: asyncpg.Pool, plan: ReplayPlan, start_at: float) -> dict[str, dict[str, Any]]:
    """The fleet's lag behind the replay clock whose time 0 was the wall time ``start_at``."""
    ids = [g.game_id for g in plan.games]
    async with pool.acquire() as conn:
        states = {r["game_id"]: r for r in await conn.fetch(STATES, ids)}
        pipeline = {
            name: [float(r[0]) for r in await conn.fetch(sql, ids) if r[0] is not None]
            for name, sql in (
                ("signal_to_intent", SIGNAL_TO_INTENT),
                ("intent_to_order", INTENT_TO_ORDER),
                ("order_to_fill", ORDER_TO_FILL),
            )
        }
    starts: list[float] = []
    ends: list[float] = []
    for game in plan.games:
        row = states.get(game.game_id)
        start, end = plan.scheduled(game, start_at)
        if row is not None and row["first_in"] is not None:
            starts.append(row["first_in"].timestamp() - start)
        if row is not None and row["first_post"] is not None:
            ends.append(row["first_post"].timestamp() - end)
    return {
        "state_start": percentiles(starts),
        "state_end": percentiles(ends),
        **{name: percentiles(values) for name, values in pipeline.items()},
    }
