"""Reconciliation of the ledger with the venues (R03, R04, R12): one recovery path for start-up and crash.

One pass (:meth:`Reconciler.run`), per venue engine:

1. Read the venue: resting orders, fills since ``fills_lookback_s``, positions.
2. **Bind** each venue order and fill to our order by ``client_order_id`` (else by venue order id).
3. **Refresh** every local order still open, and every order with a venue fill we have not stored, from
   ``order_status``: a filled, cancelled, or partly filled then cancelled order takes the venue's state
   and its missing fills (the venue's trade ids, so a second run inserts nothing). When the venue counts
   more filled than it lists, one synthetic fill with a deterministic id closes the gap. When the venue
   no longer shows the order but lists fills bound to it (Polymarket answers only for live orders, and a
   lost journal leaves only the hash in the database), the fills decide: filled when they add up to the
   quantity, else partly filled and still unresolved.
4. **External** orders (at the venue, not ours) get a local row tagged EXTERNAL and an ALERT line.
5. **Positions**: the venue's position per market against the sum of our fills; a difference is an
   ALERT (at start-up at once; while running when two passes in a row agree on it, since a fill may land
   between the two reads). Paper engines keep their book in memory only and are not compared.

Then, across venues, **approved intents that have no order** (their ``SubmitOrder`` was never handled):
older than ``unsent_max_age_s`` or past their signal's expiry → closed as ``expired`` ("not sent: ...");
else, once older than ``republish_after_s`` → **re-published**: the original outbox row is marked unsent
again (or rebuilt from the intent when it was purged), same ``message_id`` and ``client_order_id``, so
the consumer's inbox and the submit handler's idempotency make a duplicate harmless. This is what finds
orders whose messages Redis lost.

Any read that fails makes the pass fail (the caller decides: no trading at start-up, a halt while
running).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from markets.base import ExecutionEngine, FillReport, OrderReport, PositionReport
from services.execution_service.ledger import (
    OrderContext,
    close_fill_gap,
    record_external,
    record_report,
    record_unsent,
)
from services.execution_service.reconcile import OPEN_STATUSES
from shared.bus import keys
from shared.config import ConfigError
from shared.db.uow import Store
from shared.messages import SubmitOrder, derive_id, encode
from shared.orders.state import OrderStatus
from shared.prices import Venue

log = logging.getLogger(__name__)
CONSUMER_GROUP = "execution_service"
_MAX_FILL_PAGES = 50


class ReconciliationFailed(ConfigError):
    """Start-up reconciliation did not succeed: the service must not trade (exit non-zero)."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How far back fills are read and what happens to approved intents that were never sent (seconds)."""

    fills_lookback_s: float = 86_400.0
    unsent_max_age_s: float = 60.0
    republish_after_s: float = 10.0


@dataclass(slots=True)
class Findings:
    """What one pass found and did."""

    refreshed: int = 0
    synthetic_fills: int = 0
    unresolved: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    position_mismatches: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    republished: list[str] = field(default_factory=list)


class Reconciler:
    """Runs reconciliation passes over ``engines`` (see the module docstring)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        store: Store,
        engines: dict[Venue, ExecutionEngine],
        policy: Policy,
        *,
        wake_relay: Callable[[], None] | None = None,
    ) -> None:
        self.pool = pool
        self.store = store
        self.engines = engines
        self.policy = policy
        self.wake_relay = wake_relay
        self.last: Findings | None = None
        self._suspect_positions: set[str] = set()

    async def run(self, *, at_start: bool = False, skip: frozenset[str] = frozenset()) -> Findings:
        """One pass over every venue (except ``skip``) and the unsent intents; raises if a venue read fails."""
        findings = Findings()
        for venue, engine in list(self.engines.items()):
            if venue not in skip:
                await self.reconcile_venue(venue, engine, findings, at_start=at_start)
        await self.settle_intents(findings)
        self.last = findings
        return findings

    # -- one venue -------------------------------------------------------------------------------

    async def reconcile_venue(self, venue: Venue, engine: ExecutionEngine, found: Findings, *, at_start: bool) -> None:
        """Steps 1-5 of the module docstring for one venue."""
        positions = await engine.positions()  # before the fills: every fill it counts is then listed too
        resting = await engine.open_orders()
        fills = await _fills(engine, datetime.now(UTC) - timedelta(seconds=self.policy.fills_lookback_s))
        rows = await self.pool.fetch(
            """SELECT * FROM orders WHERE venue = $1 AND (status = ANY($2::text[]) OR client_order_id = ANY($3::text[])
                   OR venue_order_id = ANY($4::text[]))""",
            venue,
            list(OPEN_STATUSES),
            [o.client_order_id for o in resting] + [f.client_order_id for f in fills],
            [o.venue_order_id for o in resting if o.venue_order_id]
            + [f.venue_order_id for f in fills if f.venue_order_id],
        )
        binder = _Binder(rows)
        await self._externals(venue, engine, resting, fills, binder, found)
        stored = await self._stored_trades(venue, [r["client_order_id"] for r in rows])
        for row in rows:
            listed = binder.fills_of(row, fills)
            missing = [f for f in listed if (f.venue_trade_id, row["client_order_id"]) not in stored]
            if row["status"] in OPEN_STATUSES or missing:
                await self._refresh(engine, row, resting, listed, found)
        if not engine.paper:
            await self._positions(venue, engine, positions, found, at_start=at_start)

    async def _refresh(
        self, engine: ExecutionEngine, row: Any, resting: list[OrderReport], listed: list[FillReport], found: Findings
    ) -> None:
        cid = row["client_order_id"]
        report = await engine.order_status(cid)
        if report is None and row["venue_order_id"]:
            report = await engine.order_status_by_venue_id(row["venue_order_id"])
        if report is None:
            report = next((o for o in resting if o.client_order_id == cid), None)
        if report is None:
            report = _from_fills(row, listed)  # the venue lists fills of an order it no longer shows
            if report is None or report.status is not OrderStatus.FILLED:
                found.unresolved.append(cid)  # "not found" is never assumed final here (R05)
            if report is None:
                return
        report = _with_fills(report, cid, listed)
        if row["intent_id"] is None and (row["reason"] or "").startswith("EXTERNAL"):
            report = replace(report, reason=row["reason"])  # an external order keeps its tag
        ctx = OrderContext.from_row(row)
        async with self.store.unit_of_work() as uow:
            if await record_report(uow, ctx, report):
                found.refreshed += 1
            if await close_fill_gap(uow, ctx, report):
                found.synthetic_fills += 1

    async def _externals(
        self,
        venue: Venue,
        engine: ExecutionEngine,
        resting: list[OrderReport],
        fills: list[FillReport],
        binder: _Binder,
        found: Findings,
    ) -> None:
        reports = {
            o.venue_order_id or o.client_order_id: o
            for o in resting
            if binder.row(o.client_order_id, o.venue_order_id) is None
        }
        for fill in fills:
            key = fill.venue_order_id or fill.client_order_id
            if binder.row(fill.client_order_id, fill.venue_order_id) is None and key not in reports:
                report = await engine.order_status_by_venue_id(fill.venue_order_id) if fill.venue_order_id else None
                if report is not None:
                    reports[key] = report
        for report in reports.values():
            listed = [
                f
                for f in fills
                if (f.venue_order_id or f.client_order_id) == (report.venue_order_id or report.client_order_id)
            ]
            async with self.store.unit_of_work() as uow:
                ctx = await record_external(
                    uow, venue, _with_fills(report, report.client_order_id, listed), engine.paper
                )
                await close_fill_gap(uow, ctx, report)
            found.external.append(ctx.client_order_id)
            log.critical(
                "ALERT: external order at %s (not placed by Arbees); recorded as EXTERNAL",
                venue,
                extra={"venue": venue, "client_order_id": ctx.client_order_id, "venue_order_id": report.venue_order_id,
                       "market_id": report.market_id, "status": report.status.value},
            )  # fmt: skip

    async def _stored_trades(self, venue: Venue, cids: list[str]) -> set[tuple[str, str]]:
        rows = await self.pool.fetch(
            "SELECT venue_trade_id, client_order_id FROM fills WHERE venue = $1 AND client_order_id = ANY($2::text[])",
            venue,
            cids,
        )
        return {(r["venue_trade_id"], r["client_order_id"]) for r in rows}

    async def _positions(
        self, venue: Venue, engine: ExecutionEngine, positions: list[PositionReport], found: Findings, *, at_start: bool
    ) -> None:
        rows = await self.pool.fetch(
            """SELECT market_id, outcome_id, SUM(CASE WHEN side = 'buy' THEN quantity ELSE -quantity END) AS held
               FROM fills f WHERE venue = $1 AND paper = $2
                 AND NOT EXISTS (SELECT 1 FROM settlements s WHERE s.venue = f.venue AND s.market_id = f.market_id)
               GROUP BY market_id, outcome_id""",
            venue,
            engine.paper,
        )
        ours = _net({(r["market_id"], r["outcome_id"]): r["held"] for r in rows})
        theirs = _net({(p.market_id, p.outcome_id): p.quantity for p in positions})
        mismatches = {
            f"{venue} {market} {outcome}: venue holds {theirs.get((market, outcome), 0)}, "
            f"ledger fills sum to {ours.get((market, outcome), 0)}"
            for market, outcome in set(ours) | set(theirs)
            if ours.get((market, outcome), Decimal(0)) != theirs.get((market, outcome), Decimal(0))
        }
        confirmed = mismatches if at_start else mismatches & self._suspect_positions
        self._suspect_positions = mismatches
        for line in sorted(confirmed):
            found.position_mismatches.append(line)
            log.critical("ALERT: position mismatch: %s", line, extra={"venue": venue, "mismatch": line})

    # -- intents without an order ----------------------------------------------------------------

    async def settle_intents(self, found: Findings) -> None:
        """Expire or re-publish approved intents that have no order row (see the module docstring)."""
        intents = await self.pool.fetch(
            """SELECT i.*, s.payload AS signal, EXTRACT(EPOCH FROM now() - i.created_at)::float8 AS age_s,
                      (s.payload->>'expires_at')::timestamptz < now() AS signal_expired
               FROM order_intents i
               LEFT JOIN orders o ON o.client_order_id = i.client_order_id
               LEFT JOIN signals s ON s.signal_id = i.signal_id
               WHERE i.decision = 'approved' AND o.client_order_id IS NULL
                 AND i.created_at <= now() - make_interval(secs => $1)
               ORDER BY i.created_at LIMIT 500""",
            self.policy.republish_after_s,
        )
        for intent in intents:
            if intent["age_s"] > self.policy.unsent_max_age_s or intent["signal_expired"]:
                await self._expire(intent, found)
            else:
                await self._republish(intent, found)

    async def _expire(self, intent: Any, found: Findings) -> None:
        engine = self.engines.get(intent["venue"])
        why = "its signal expired" if intent["signal_expired"] else f"older than {self.policy.unsent_max_age_s:g} s"
        reason = f"intent expired unsent at reconciliation ({why}, approved {intent['created_at'].isoformat()})"
        async with self.store.unit_of_work() as uow:
            await record_unsent(uow, intent, OrderStatus.EXPIRED, reason, paper=engine.paper if engine else True)
        found.expired.append(intent["client_order_id"])

    async def _republish(self, intent: Any, found: Findings) -> None:
        message_id = derive_id("submit", intent["intent_id"])
        async with self.pool.acquire() as conn, conn.transaction():
            if await conn.fetchval(
                "SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2", CONSUMER_GROUP, message_id
            ):
                log.error("intent handled but has no order row", extra={"intent_id": intent["intent_id"]})
                return
            row = await conn.fetchrow("SELECT sent_at FROM outbox WHERE message_id = $1 FOR UPDATE", message_id)
            if row is not None and row["sent_at"] is None:
                return  # still queued for the relay
            if row is not None:
                await conn.execute("UPDATE outbox SET sent_at = NULL WHERE message_id = $1", message_id)
            else:
                command = _rebuild(intent, message_id)
                await conn.execute(
                    "INSERT INTO outbox (stream, msg_type, message_id, payload) VALUES ($1, $2, $3, $4) "
                    "ON CONFLICT (message_id) DO NOTHING",
                    keys.ORDER_SUBMIT,
                    command.type,
                    command.message_id,
                    encode(command),
                )
        found.republished.append(intent["client_order_id"])
        log.warning(
            "approved intent had no order; SubmitOrder re-published (same client_order_id)",
            extra={"intent_id": intent["intent_id"], "client_order_id": intent["client_order_id"]},
        )
        if self.wake_relay is not None:
            self.wake_relay()


class _Binder:
    """Finds our order row for a venue order or fill: by ``client_order_id``, else by venue order id."""

    def __init__(self, rows: list[Any]) -> None:
        self.by_cid = {r["client_order_id"]: r for r in rows}
        self.by_vid = {r["venue_order_id"]: r for r in rows if r["venue_order_id"]}

    def row(self, cid: str | None, venue_order_id: str | None) -> Any:
        if cid and cid in self.by_cid:
            return self.by_cid[cid]
        return self.by_vid.get(venue_order_id) if venue_order_id else None

    def fills_of(self, row: Any, fills: list[FillReport]) -> list[FillReport]:
        return [f for f in fills if self.row(f.client_order_id, f.venue_order_id) is row]


async def _fills(engine: ExecutionEngine, since: datetime) -> list[FillReport]:
    page = await engine.fills_since(since)
    fills = list(page.fills)
    for _ in range(_MAX_FILL_PAGES):
        if page.cursor is None or not page.fills:
            break
        page = await engine.fills_since(cursor=page.cursor)
        fills += page.fills
    return fills


def _with_fills(report: OrderReport, cid: str, listed: list[FillReport]) -> OrderReport:
    """``report`` with the listed fills it lacks, every fill re-keyed to our ``client_order_id``."""
    seen = {f.venue_trade_id for f in report.fills}
    merged = list(report.fills) + [f for f in listed if f.venue_trade_id not in seen]
    return replace(report, fills=tuple(replace(f, client_order_id=cid) for f in merged))


def _from_fills(row: Any, listed: list[FillReport]) -> OrderReport | None:
    """The order as its listed venue fills prove it when the venue no longer shows the order itself.

    A venue without client order ids (Polymarket) answers only for live orders; after a restart that lost
    the engine's journal, the fills are still bound to our row by the order hash. Fills adding up to the
    quantity prove the order FILLED; fewer prove only a partial fill (the order is then kept open, or
    keeps its final status, since "not found" is never assumed to be a cancel).
    """
    fills = list({f.venue_trade_id: f for f in listed}.values())
    filled = sum((f.quantity for f in fills), Decimal(0))
    if filled <= 0:
        return None
    status = OrderStatus(row["status"])
    if filled >= row["quantity"]:
        status = OrderStatus.FILLED
    elif status.value in OPEN_STATUSES:
        status = OrderStatus.PARTIALLY_FILLED
    return OrderReport(
        client_order_id=row["client_order_id"],
        venue_order_id=row["venue_order_id"],
        status=status,
        quantity=row["quantity"],
        filled_quantity=filled,
        avg_fill_price=sum((f.price * f.quantity for f in fills), Decimal(0)) / filled,
        fills=tuple(fills),
        reason=row["reason"],
        market_id=row["market_id"],
        outcome_id=row["outcome_id"],
        side="buy" if row["side"] == "buy" else "sell",
        limit_price=row["limit_price"],
    )


def _net(held: dict[tuple[str, str], Decimal]) -> dict[tuple[str, str], Decimal]:
    """Kalshi YES and NO of one market as one net YES figure; other outcomes (token ids) as they are."""
    net: dict[tuple[str, str], Decimal] = {}
    for (market, outcome), quantity in held.items():
        key, sign = (
            ((market, "yes"), -1 if outcome == "no" else 1) if outcome in ("yes", "no") else ((market, outcome), 1)
        )
        net[key] = net.get(key, Decimal(0)) + sign * Decimal(quantity)
    return {k: v for k, v in net.items() if v != 0}


def _rebuild(intent: Any, message_id: Any) -> SubmitOrder:
    """The intent's ``SubmitOrder`` again (its outbox row was purged), from the intent and its signal."""
    signal = intent["signal"]
    signal = json.loads(signal) if isinstance(signal, str) else (signal or {})
    legs = signal.get("legs") or []
    leg = legs[intent["leg_index"]] if len(legs) > intent["leg_index"] else {}
    return SubmitOrder(
        message_id=message_id,
        correlation_id=signal.get("correlation_id") or derive_id("order", intent["client_order_id"]),
        causation_id=signal.get("message_id"),
        intent_id=intent["intent_id"],
        client_order_id=intent["client_order_id"],
        signal_id=intent["signal_id"],
        strategy=intent["strategy"],
        game_id=intent["game_id"],
        venue=intent["venue"],
        market_id=intent["market_id"],
        outcome_id=intent["outcome_id"],
        side=intent["side"],
        limit_price=intent["limit_price"],
        quantity=intent["quantity"],
        time_in_force="ioc",
        tick_size=Decimal(str(leg.get("tick_size", "0.01"))),
    )
