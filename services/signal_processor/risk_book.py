"""The risk gate's picture of what is at risk, held in memory so that a decision reads nothing (R21).

Two parts make each figure:

- a **snapshot** read from the database in one read-only, repeatable-read transaction: open positions,
  the unfilled part of every approved intent whose order is not final, every approved buy per game,
  today's P&L, the approvals of the last minute, the duplicate keys of the last hour and the trading
  state (the queries of :mod:`services.signal_processor.exposure`, aggregated once instead of per leg);
- the gate's **own approvals** since that snapshot began, counted the moment they are decided. The gate
  is the only writer of intents (one active signal processor, see ``service``), so nothing it approved
  is ever missing from a figure.

What other services change (fills, cancels, closed positions, P&L) is seen at the next snapshot, taken
every ``refresh_s`` in the background. Until then the figures err on the safe side: an approved buy
counts whole until a snapshot shows it filled or cancelled, and a position bought since is not yet
reducible. A trading-state change announced on the bus applies at once. With ``refresh_s = 0`` a
snapshot is read before every decision (the database's figures, at the cost of the reads). When no
snapshot younger than ``max_age_s`` can be read the gate denies (``risk_data_stale``): it fails closed.

An own approval is kept until a snapshot that began after its commit replaces it (one begun earlier may
not see it); an approval whose transaction rolled back is dropped at once.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import asyncpg

from services.signal_processor.exposure import PENDING, RATE_WINDOW_S, TERMINAL_STATUSES
from services.signal_processor.risk import Exposure
from shared.messages import SignalGenerated, SignalLeg
from shared.pnl import daily_pnl
from shared.trading_state import TradingState, read_trading_state

log = logging.getLogger(__name__)
ZERO = Decimal(0)
DUPLICATE_WINDOW = timedelta(hours=1)
Key = tuple[str, str, str]
"""(venue, market_id, outcome_id)."""
DupKey = tuple[str, str, str, str, str, datetime]
"""(game_id, strategy, venue, market_id, outcome_id, signal time): one approved intent each (R21)."""


def leg_key(leg: SignalLeg) -> Key:
    """The outcome a leg trades."""
    return (leg.venue, leg.market_id, leg.outcome_id)


def dup_key(signal: SignalGenerated, leg: SignalLeg) -> DupKey:
    """The duplicate-intent key of one leg."""
    return (signal.game_id, signal.strategy, leg.venue, leg.market_id, leg.outcome_id, signal.ts_event)


@dataclass
class Snapshot:
    """The database's figures at one moment (``taken_at``: ``time.monotonic()`` before the read began)."""

    taken_at: float
    trading: TradingState
    sports: dict[str, str] = field(default_factory=dict)
    game_buys: dict[str, Decimal] = field(default_factory=dict)
    open_by_game: dict[str, Decimal] = field(default_factory=dict)
    held: dict[Key, Decimal] = field(default_factory=dict)
    pending_buys: dict[Key, Decimal] = field(default_factory=dict)
    pending_sells: dict[Key, Decimal] = field(default_factory=dict)
    daily_pnl: Decimal = ZERO
    recent: list[datetime] = field(default_factory=list)
    duplicates: dict[DupKey, tuple[str, str]] = field(default_factory=dict)
    """dup key -> (intent id, signal id)."""


@dataclass
class OwnApproval:
    """One leg this gate approved; ``committed_at`` is ``inf`` until its transaction commits."""

    game_id: str
    sport: str
    key: Key
    side: str
    quantity: Decimal
    notional: Decimal
    dup: DupKey
    intent_id: str
    signal_id: str
    decided_at: datetime
    committed_at: float = math.inf


async def read_snapshot(conn: asyncpg.Connection, paper: bool, now: datetime) -> Snapshot:
    """Every figure the gate needs, in one consistent read."""
    taken_at = time.monotonic()
    # Inside a caller's transaction (a decision reading first) its isolation stands.
    consistent = {} if conn.is_in_transaction() else {"isolation": "repeatable_read", "readonly": True}
    async with conn.transaction(**consistent):
        snap = Snapshot(taken_at=taken_at, trading=await read_trading_state(conn))
        for row in await conn.fetch("SELECT game_id, sport FROM games"):
            snap.sports[row["game_id"]] = row["sport"]
        for row in await conn.fetch(
            """SELECT game_id, SUM(notional) AS n FROM order_intents
               WHERE decision = 'approved' AND side = 'buy' GROUP BY game_id"""
        ):
            snap.game_buys[row["game_id"]] = Decimal(row["n"])
        for row in await conn.fetch(
            """SELECT venue, market_id, outcome_id, game_id, quantity, cost_basis FROM positions
               WHERE paper = $1 AND status = 'open'""",
            paper,
        ):
            key = (row["venue"], row["market_id"], row["outcome_id"])
            snap.held[key] = snap.held.get(key, ZERO) + Decimal(row["quantity"])
            if row["quantity"] > 0:
                game = row["game_id"]
                snap.open_by_game[game] = snap.open_by_game.get(game, ZERO) + Decimal(row["cost_basis"])
        for row in await conn.fetch(PENDING, TERMINAL_STATUSES):
            key = (row["venue"], row["market_id"], row["outcome_id"])
            quantity = Decimal(row["quantity"])
            if row["side"] == "buy":
                snap.pending_buys[key] = snap.pending_buys.get(key, ZERO) + quantity
                game = row["game_id"]
                snap.open_by_game[game] = snap.open_by_game.get(game, ZERO) + Decimal(row["notional"] or 0)
            else:
                snap.pending_sells[key] = snap.pending_sells.get(key, ZERO) + quantity
        snap.daily_pnl = await daily_pnl(conn, paper, now)
        snap.recent = [
            r["created_at"]
            for r in await conn.fetch(
                """SELECT created_at FROM order_intents
                   WHERE decision = 'approved' AND created_at > now() - make_interval(secs => $1)""",
                RATE_WINDOW_S,
            )
        ]
        for row in await conn.fetch(
            """SELECT i.game_id, i.strategy, i.venue, i.market_id, i.outcome_id, s.ts, i.intent_id, i.signal_id
               FROM order_intents i JOIN signals s ON s.signal_id = i.signal_id
               WHERE i.decision = 'approved' AND s.ts > $1""",
            now - DUPLICATE_WINDOW,
        ):
            dup: DupKey = (
                row["game_id"],
                row["strategy"],
                row["venue"],
                row["market_id"],
                row["outcome_id"],
                row["ts"],
            )
            snap.duplicates.setdefault(dup, (row["intent_id"], row["signal_id"]))
    return snap


class RiskBook:
    """The snapshot plus the gate's own approvals; see the module docstring."""

    def __init__(self, paper: bool, refresh_s: float, max_age_s: float) -> None:
        self.paper = paper
        self.refresh_s = refresh_s
        self.max_age_s = max_age_s
        self.snapshot: Snapshot | None = None
        self.own: list[OwnApproval] = []
        self.trading_override: TradingState | None = None
        self.refreshes = 0

    # -- keeping it current ------------------------------------------------------------------

    def install(self, snapshot: Snapshot) -> None:
        """Use ``snapshot``; own approvals it surely contains are dropped."""
        self.snapshot = snapshot
        self.own = [a for a in self.own if a.committed_at >= snapshot.taken_at]
        self.trading_override = None
        self.refreshes += 1

    async def refresh(self, conn: asyncpg.Connection, now: datetime) -> None:
        """Read and install a new snapshot."""
        self.install(await read_snapshot(conn, self.paper, now))

    def stale(self) -> bool:
        """True when a decision must first read a snapshot (none, ``refresh_s = 0``, or too old)."""
        if self.snapshot is None or self.refresh_s == 0:
            return True
        return time.monotonic() - self.snapshot.taken_at > self.max_age_s

    def set_trading(self, state: TradingState) -> None:
        """A trading-state change heard on the bus (applies until the next snapshot, which read it too)."""
        self.trading_override = state

    def committed(self, approvals: list[OwnApproval]) -> None:
        """Their transaction committed now."""
        at = time.monotonic()
        for a in approvals:
            a.committed_at = at

    def rolled_back(self, approvals: list[OwnApproval]) -> None:
        """Their transaction did not commit: they never happened."""
        gone = {id(a) for a in approvals}
        self.own = [a for a in self.own if id(a) not in gone]

    def add(self, approval: OwnApproval) -> None:
        """Count an approval at once (before its commit)."""
        self.own.append(approval)

    # -- reading it --------------------------------------------------------------------------

    @property
    def trading(self) -> TradingState:
        """The trading state (a change heard on the bus wins over the snapshot's)."""
        assert self.snapshot is not None
        return self.trading_override or self.snapshot.trading

    def sport_of(self, game_id: str) -> str | None:
        """The game's sport, ``None`` when the snapshot does not know the game."""
        assert self.snapshot is not None
        return self.snapshot.sports.get(game_id)

    def learn_sport(self, game_id: str, sport: str) -> None:
        """Remember a game's sport read since the snapshot."""
        assert self.snapshot is not None
        self.snapshot.sports[game_id] = sport

    def game_exposure(self, game_id: str) -> Decimal:
        """Every approved buy on the game (dollars)."""
        assert self.snapshot is not None
        own = sum((a.notional for a in self.own if a.game_id == game_id and a.side == "buy"), ZERO)
        return self.snapshot.game_buys.get(game_id, ZERO) + own

    def exposure(self, signal: SignalGenerated, leg: SignalLeg, sport: str, now: datetime) -> Exposure:
        """The figures :func:`services.signal_processor.risk.decide` needs for ``leg``."""
        snap = self.snapshot
        assert snap is not None
        by_sport: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for game, amount in snap.open_by_game.items():
            by_sport[snap.sports.get(game, "unknown")] += amount
        key = leg_key(leg)
        own_buys = [a for a in self.own if a.side == "buy"]
        for a in own_buys:
            by_sport[a.sport] += a.notional
        market = snap.held.get(key, ZERO) + snap.pending_buys.get(key, ZERO)
        market += sum((a.quantity for a in own_buys if a.key == key), ZERO)
        reducible = snap.held.get(key, ZERO) - snap.pending_sells.get(key, ZERO)
        reducible -= sum((a.quantity for a in self.own if a.side == "sell" and a.key == key), ZERO)
        since = now - timedelta(seconds=RATE_WINDOW_S)
        recent = sum(1 for t in snap.recent if t > since) + sum(1 for a in self.own if a.decided_at > since)
        return Exposure(
            sport=by_sport[sport],
            total=sum(by_sport.values(), ZERO),
            market_contracts=market,
            reducible=reducible,
            daily_pnl=snap.daily_pnl,
            recent_submits=recent,
            duplicate_of=self.duplicate_of(signal, leg),
        )

    def duplicate_of(self, signal: SignalGenerated, leg: SignalLeg) -> str | None:
        """An approved intent of another signal with the same key, if any."""
        assert self.snapshot is not None
        key = dup_key(signal, leg)
        found = self.snapshot.duplicates.get(key)
        if found is not None and found[1] != signal.signal_id:
            return found[0]
        for a in self.own:
            if a.dup == key and a.signal_id != signal.signal_id:
                return a.intent_id
        return None
