"""Spreading games over the live game shards: stable, balanced, and moving a dead shard's games.

A game keeps its shard while that shard is healthy; a game without a healthy shard (new, or its shard
missed two heartbeats) goes to the healthy shard with the fewest games (ties by shard id). Nothing is
rebalanced otherwise: moving a game costs its shard a fresh start (books, ESPN state).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Plan:
    """The new assignment, and why each game that changed shard moved."""

    assignment: dict[str, str]
    moved: dict[str, str] = field(default_factory=dict)


def plan(games: Iterable[str], current: Mapping[str, str], healthy: Iterable[str]) -> Plan:
    """Assign ``games`` over the ``healthy`` shard ids starting from ``current`` (``game -> shard``).

    With no healthy shard the current assignment of each game is kept (there is nowhere to move it).
    """
    shards = sorted(set(healthy))
    wanted = list(dict.fromkeys(games))
    if not shards:
        return Plan({g: current[g] for g in wanted if g in current})
    load = {s: 0 for s in shards}
    assignment: dict[str, str] = {}
    for game in wanted:
        shard = current.get(game)
        if shard in load:
            assignment[game] = shard
            load[shard] += 1
    moved: dict[str, str] = {}
    for game in wanted:
        if game in assignment:
            continue
        target = min(shards, key=lambda s: (load[s], s))
        assignment[game] = target
        load[target] += 1
        previous = current.get(game)
        moved[game] = "new game" if previous is None else f"shard {previous} unhealthy"
    return Plan(assignment, moved)
