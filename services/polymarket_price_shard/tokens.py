"""The Polymarket tokens to follow: every Polymarket instrument of every shard's current assignment."""

from __future__ import annotations

from collections.abc import Iterable

from shared.messages import AssignShard


def tokens_of(assignments: Iterable[AssignShard]) -> dict[str, str]:
    """``token id -> condition id`` over all assignments."""
    return {
        i.outcome_id: i.market_id
        for a in assignments
        for g in a.games
        for i in g.instruments
        if i.venue == "polymarket"
    }
