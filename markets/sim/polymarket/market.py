"""Simulated Polymarket markets and events, and their Gamma JSON in the real shape.

Ids look like the venue's: condition ids ``0x`` + 64 hex, token ids 77-digit decimal strings, Gamma
ids integers sent as strings; all are derived deterministically from a seed so a restart with the same
seed serves the same ids. Gamma writes ``outcomes``, ``outcomePrices`` and ``clobTokenIds`` as
JSON-encoded strings and ``gameStartTime`` as ``"YYYY-MM-DD HH:MM:SS+00"``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from markets.sim.polymarket.wire import text
from shared.fees import PolymarketFeeSchedule

_ids = itertools.count(700_001)
_event_ids = itertools.count(90_001)


def derive_hex(*parts: object) -> str:
    """``0x`` + 64 hex digits derived from ``parts``."""
    return "0x" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def derive_token_id(*parts: object) -> str:
    """A CLOB token id: a large decimal string (uint256 range), derived from ``parts``."""
    return str(int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest(), 16) >> 4)


def iso(ts: datetime) -> str:
    """Gamma's ISO form ``2026-11-23T19:00:00Z``."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def game_start_text(ts: datetime) -> str:
    """Gamma's ``gameStartTime`` form ``2026-11-23 19:00:00+00``."""
    return ts.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


@dataclass
class SimEvent:
    """A Gamma event (a game for sports) holding one or more markets."""

    id: str
    slug: str
    title: str
    start: datetime
    tags: list[dict[str, str]] = field(default_factory=list)
    game_id: str | None = None
    series_slug: str | None = None


@dataclass
class SimMarket:
    """One binary market: outcome ``i`` trades as token ``token_ids[i]``.

    ``matching_delay_s`` > 0 makes marketable orders answer ``delayed`` and match after the delay
    (sports markets on the venue have such a delay; Gamma shows it as ``secondsDelay``).
    """

    id: str
    condition_id: str
    question_id: str
    question: str
    slug: str
    outcomes: tuple[str, str]
    token_ids: tuple[str, str]
    event: SimEvent
    tick_size: Decimal = Decimal("0.01")
    min_order_size: Decimal = Decimal("5")
    neg_risk: bool = False
    fee: PolymarketFeeSchedule = field(default_factory=PolymarketFeeSchedule)
    sports_market_type: str | None = "moneyline"
    game_start_time: datetime | None = None
    matching_delay_s: float = 0.0
    line: Decimal | None = None
    closed: bool = False
    accepting_orders: bool = True
    winner_index: int | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    volume: Decimal = Decimal(0)
    description: str = ""

    def index_of(self, token_id: str) -> int:
        """0 or 1 for this market's tokens; ``ValueError`` otherwise."""
        return self.token_ids.index(token_id)


def new_market(
    *,
    seed: str,
    question: str,
    slug: str,
    outcomes: tuple[str, str],
    event: SimEvent,
    **options: Any,
) -> SimMarket:
    """A market with venue-shaped ids derived from ``seed``."""
    return SimMarket(
        id=str(next(_ids)),
        condition_id=derive_hex("condition", seed),
        question_id=derive_hex("question", seed),
        question=question,
        slug=slug,
        outcomes=outcomes,
        token_ids=(derive_token_id("token", seed, 0), derive_token_id("token", seed, 1)),
        event=event,
        **options,
    )


def new_event(*, slug: str, title: str, start: datetime, **options: Any) -> SimEvent:
    """An event with a fresh Gamma id."""
    return SimEvent(id=str(next(_event_ids)), slug=slug, title=title, start=start, **options)


def gamma_market(
    m: SimMarket, *, best_bid: Decimal | None, best_ask: Decimal | None, last: Decimal | None
) -> dict[str, Any]:
    """The Gamma JSON of ``m`` (prices of outcome 0; outcome 1 is the complement)."""
    mid = (best_bid + best_ask) / 2 if best_bid is not None and best_ask is not None else last
    p0 = mid if mid is not None else Decimal("0.5")
    if m.winner_index is not None:
        p0 = Decimal(1) if m.winner_index == 0 else Decimal(0)
    end = (m.game_start_time or m.event.start) + timedelta(hours=4)
    body: dict[str, Any] = {
        "id": m.id,
        "question": m.question,
        "conditionId": m.condition_id,
        "slug": m.slug,
        "questionID": m.question_id,
        "description": m.description or f"{m.question} Resolves to the winner of the game.",
        "resolutionSource": "",
        "startDate": iso(m.created_at),
        "endDate": iso(end),
        "startDateIso": iso(m.created_at)[:10],
        "endDateIso": iso(end)[:10],
        "outcomes": json.dumps(list(m.outcomes)),
        "outcomePrices": json.dumps([text(p0), text(Decimal(1) - p0)]),
        "clobTokenIds": json.dumps(list(m.token_ids)),
        "volume": text(m.volume),
        "volumeNum": m.volume,
        "liquidity": "0",
        "liquidityNum": Decimal(0),
        "active": True,
        "closed": m.closed,
        "archived": False,
        "restricted": True,
        "acceptingOrders": m.accepting_orders and not m.closed,
        "enableOrderBook": True,
        "orderPriceMinTickSize": m.tick_size,
        "orderMinSize": m.min_order_size,
        "negRisk": m.neg_risk,
        "negRiskMarketID": derive_hex("negrisk", m.event.slug) if m.neg_risk else "",
        "bestBid": best_bid,
        "bestAsk": best_ask,
        "lastTradePrice": last if last is not None else Decimal(0),
        "spread": (best_ask - best_bid) if best_bid is not None and best_ask is not None else Decimal(1),
        "feesEnabled": m.fee.rate > 0,
        "feeSchedule": {
            "exponent": m.fee.exponent,
            "rate": m.fee.rate,
            "takerOnly": m.fee.taker_only,
            "rebateRate": Decimal("0.15"),  # the sports maker rebate since 2026-07-10
        },
        "umaResolutionStatus": "resolved" if m.winner_index is not None else "",
        "secondsDelay": int(m.matching_delay_s) if m.matching_delay_s >= 1 else 0,
        "events": [{"id": m.event.id, "slug": m.event.slug, "title": m.event.title}],
        "createdAt": iso(m.created_at),
        "updatedAt": iso(datetime.now(UTC)),
    }
    if m.sports_market_type:
        body["sportsMarketType"] = m.sports_market_type
        body["line"] = m.line
        body["gameStartTime"] = game_start_text(m.game_start_time or m.event.start)
        body["gameId"] = m.event.game_id
    return body


def gamma_event(e: SimEvent, markets: list[dict[str, Any]], *, closed: bool) -> dict[str, Any]:
    """The Gamma JSON of event ``e`` with its markets' JSON nested."""
    return {
        "id": e.id,
        "ticker": e.slug,
        "slug": e.slug,
        "title": e.title,
        "description": e.title,
        "startDate": iso(e.start - timedelta(days=2)),
        "startTime": iso(e.start),
        "endDate": iso(e.start + timedelta(hours=4)),
        "active": True,
        "closed": closed,
        "archived": False,
        "negRisk": any(m.get("negRisk") for m in markets),
        "enableOrderBook": True,
        "markets": markets,
        "tags": e.tags,
        "gameId": e.game_id,
        "seriesSlug": e.series_slug,
        "live": not closed and datetime.now(UTC) >= e.start,
        "ended": closed,
    }
