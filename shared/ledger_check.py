"""The ledger check that ends every money-path run: nothing lost, nothing doubled (reliability.md L1-L4).

- **L1 orders**: every approved intent has exactly one order with its ``client_order_id``; every order
  belongs to an approved intent (an order without one is reported as external).
- **L2 fills**: fills are unique by ``(venue, venue_trade_id, client_order_id)`` (the table enforces
  it); for every order the sum of its fills equals its ``filled_quantity`` and never exceeds its quantity.
- **L3 messages**: no money stream has a pending entry in any consumer group, no dead-letter stream has
  an entry, and the outbox has no unsent row.
- **L4 gates**: no order was created after its signal expired, and none while trading was halted
  (``trading_state_log``) unless it only sold down a position held when it was created (reduce-only:
  a sell no larger than the net of that outcome's fills until then, its own not counted). A row recording
  an intent that never left the process (``denied``, or a reason starting with one of
  :data:`UNSENT_REASONS`: closed unsent by reconciliation, or refused by the execution-time checks) is
  not an order sent. An external order
  (found at the venue, not placed by Arbees: reported under L1) is not judged here: we did not send it,
  and its row's time is when we found it.

:func:`check_ledger` returns every problem found; ``ok`` is true only without any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import asyncpg

from shared.bus import keys

UNSENT_REASONS = (
    "not sent:",
    "venue disabled:",
    "trading_halted:",
    "reduce_only_invalid:",
    "intent_expired:",
    "book_stale:",
    "price_moved:",
    "venue_circuit_open:",
    "market_closed:",
)
"""Reason prefixes of order rows that never left the process (never sent to a venue)."""
_SENT = """o.status <> 'denied' AND NOT (COALESCE(o.reason, '') LIKE ANY($1::text[]))"""
_REDUCE_ONLY = """(o.side = 'sell' AND o.quantity <= (
    SELECT COALESCE(SUM(CASE WHEN f.side = 'buy' THEN f.quantity ELSE -f.quantity END), 0) FROM fills f
    WHERE f.venue = o.venue AND f.market_id = o.market_id AND f.outcome_id = o.outcome_id
      AND f.ts <= o.created_at AND f.client_order_id <> o.client_order_id))"""
# The order's own fills are not "until then", even when the venue stamps them in whole seconds (Polymarket),
# which can put a fill of a sell sent at 12:00:00.4 at 12:00:00, before the order's own row.
# Built from the constant fragments above; the only value ($1, the unsent prefixes) is bound.
_SENT_AFTER_EXPIRY = f"""SELECT o.client_order_id, o.created_at, (s.payload->>'expires_at')::timestamptz AS expires_at
    FROM orders o JOIN order_intents i ON i.client_order_id = o.client_order_id
    JOIN signals s ON s.signal_id = i.signal_id
    WHERE o.created_at > (s.payload->>'expires_at')::timestamptz AND {_SENT}"""  # noqa: S608
_SENT_WHILE_HALTED = f"""SELECT o.client_order_id, o.created_at, l.reason
    FROM orders o CROSS JOIN LATERAL (
        SELECT state, reason FROM trading_state_log
        WHERE changed_at <= o.created_at ORDER BY changed_at DESC, id DESC LIMIT 1) l
    WHERE l.state = 'halted' AND {_SENT} AND NOT {_REDUCE_ONLY}
      AND NOT (o.intent_id IS NULL AND o.game_id = 'external')"""  # noqa: S608


@dataclass(frozen=True, slots=True)
class LedgerReport:
    """Problems per invariant (empty lists mean it holds) and the figures checked."""

    orders: list[str] = field(default_factory=list)
    fills: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    gates: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every invariant holds."""
        return not (self.orders or self.fills or self.messages or self.gates)

    @property
    def problems(self) -> list[str]:
        """Every problem, prefixed with its invariant."""
        return (
            [f"L1 {p}" for p in self.orders]
            + [f"L2 {p}" for p in self.fills]
            + [f"L3 {p}" for p in self.messages]
            + [f"L4 {p}" for p in self.gates]
        )


async def check_ledger(pool: asyncpg.Pool, redis: Any) -> LedgerReport:
    """Check L1-L4 against the database and the Redis streams."""
    async with pool.acquire() as conn:
        orders = await _orders(conn)
        fills = await _fills(conn)
        outbox = await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        gates = await _gates(conn)
    messages = await _streams(redis)
    if outbox:
        messages.append(f"{outbox} outbox row(s) never published")
    return LedgerReport(orders, fills, messages, gates)


async def _orders(conn: asyncpg.Connection) -> list[str]:
    problems = []
    rows = await conn.fetch(
        """SELECT i.intent_id, i.client_order_id, count(o.client_order_id) AS n
           FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
           WHERE i.decision = 'approved' GROUP BY i.intent_id, i.client_order_id HAVING count(o.client_order_id) <> 1"""
    )
    problems += [f"intent {r['intent_id']} has {r['n']} orders (client_order_id {r['client_order_id']})" for r in rows]
    external = await conn.fetch(
        """SELECT o.client_order_id FROM orders o LEFT JOIN order_intents i
               ON i.client_order_id = o.client_order_id AND i.decision = 'approved'
           WHERE i.intent_id IS NULL"""
    )
    problems += [f"order {r['client_order_id']} has no approved intent (external)" for r in external]
    return problems


async def _fills(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        """SELECT o.client_order_id, o.quantity, o.filled_quantity, COALESCE(SUM(f.quantity), 0) AS filled
           FROM orders o LEFT JOIN fills f ON f.client_order_id = o.client_order_id
           GROUP BY o.client_order_id, o.quantity, o.filled_quantity
           HAVING COALESCE(SUM(f.quantity), 0) <> o.filled_quantity OR COALESCE(SUM(f.quantity), 0) > o.quantity"""
    )
    problems = [
        f"order {r['client_order_id']}: fills sum to {r['filled']}, "
        f"order says {r['filled_quantity']} of {r['quantity']}"
        for r in rows
    ]
    orphans = await conn.fetchval(
        "SELECT count(*) FROM fills f "
        "WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.client_order_id = f.client_order_id)"
    )
    if orphans:
        problems.append(f"{orphans} fill(s) of no known order")
    return problems


async def _gates(conn: asyncpg.Connection) -> list[str]:
    unsent = [f"{prefix}%" for prefix in UNSENT_REASONS]
    rows = await conn.fetch(_SENT_AFTER_EXPIRY, unsent)
    problems = [
        f"order {r['client_order_id']} created {r['created_at'].isoformat()} after its signal expired "
        f"{r['expires_at'].isoformat()}"
        for r in rows
    ]
    halted = await conn.fetch(_SENT_WHILE_HALTED, unsent)
    problems += [
        f"order {r['client_order_id']} created {r['created_at'].isoformat()} while trading was halted ({r['reason']})"
        for r in halted
    ]
    return problems


async def _streams(redis: Any) -> list[str]:
    problems = []
    for stream in keys.MONEY_STREAMS:
        if await redis.exists(stream):
            for group in await redis.xinfo_groups(stream):
                if group["pending"]:
                    name = group["name"].decode() if isinstance(group["name"], bytes) else group["name"]
                    problems.append(f"{stream}: {group['pending']} pending entr(ies) in group {name}")
        dead = await redis.xlen(keys.dead_letter(stream)) if await redis.exists(keys.dead_letter(stream)) else 0
        if dead:
            problems.append(f"{keys.dead_letter(stream)}: {dead} dead-lettered message(s)")
    return problems
