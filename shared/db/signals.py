"""The ``signals`` table: every signal kept once, by whichever stage sees it first (shard, exits, risk gate)."""

from __future__ import annotations

from typing import Any

from shared.messages import SignalGenerated

INSERT_SIGNAL = """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract,
       model_probability, payload)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"""
"""Store one signal (its parameters: :func:`signal_row`); a row with its id already there is left as it is."""


def signal_row(signal: SignalGenerated) -> tuple[Any, ...]:
    """The parameters of :data:`INSERT_SIGNAL` for ``signal``."""
    return (
        signal.signal_id,
        signal.message_id,
        signal.ts_event,
        signal.strategy,
        signal.kind,
        signal.game_id,
        signal.edge_per_contract,
        signal.model_probability,
        signal.model_dump(mode="json"),
    )


async def insert_signal(conn: Any, signal: SignalGenerated) -> bool:
    """Store ``signal``; ``False`` when a row with its id is already there (left as it is)."""
    status = await conn.execute(INSERT_SIGNAL, *signal_row(signal))
    return bool(status.endswith(" 1"))
