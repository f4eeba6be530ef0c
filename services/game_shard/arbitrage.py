"""Cross-venue arbitrage: two instruments on different venues that together pay exactly $1 whatever happens.

Buying both costs both asks plus both venues' taker fees; when that is below $1 by at least
``min_edge`` the pair is an arbitrage. Complementary pairs are found from orientation, not names: a
Kalshi YES on the home team and a Polymarket token on the away team (no draw possible), or a YES on
one venue and a NO of the same result on the other. The signal is sized to the smaller book shown
(both legs the same quantity) and its legs are meant to trade together (execution hedges or unwinds a
leg left alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from services.game_shard.edges import fee_per_contract
from shared.messages import (
    GameAssignment,
    InstrumentRef,
    MarketPriceUpdated,
    SignalGenerated,
    SignalLeg,
    derive_id,
)
from shared.prices import ONE, ZERO

Result = str
RESULTS: dict[str, tuple[Result, ...]] = {"soccer": ("home", "away", "draw")}
TWO_WAY: tuple[Result, ...] = ("home", "away")


def payoff(instrument: InstrumentRef, result: Result) -> int:
    """1 if ``instrument`` pays $1 when the game ends in ``result``, else 0."""
    return int((instrument.pays_on == result) != instrument.negated)


def complementary(a: InstrumentRef, b: InstrumentRef, sport: str) -> bool:
    """True when exactly one of ``a`` and ``b`` pays in every result of a game of ``sport``."""
    return all(payoff(a, r) + payoff(b, r) == 1 for r in RESULTS.get(sport, TWO_WAY))


@lru_cache(maxsize=4096)
def complementary_pairs(game: GameAssignment) -> tuple[tuple[InstrumentRef, InstrumentRef], ...]:
    """Every cross-venue complementary pair of ``game``'s instruments (worked out once per assignment)."""
    return tuple(
        (a, b) for a, b in combinations(game.instruments, 2) if a.venue != b.venue and complementary(a, b, game.sport)
    )


def arbitrage_signal(
    *,
    strategy: str,
    game: GameAssignment,
    pair: tuple[InstrumentRef, InstrumentRef],
    tops: tuple[MarketPriceUpdated, MarketPriceUpdated],
    min_edge: Decimal,
    now: datetime,
    ttl: timedelta,
) -> SignalGenerated | None:
    """A two-leg buy signal when both asks plus fees leave at least ``min_edge`` below $1."""
    (a, b), (top_a, top_b) = pair, tops
    if top_a.best_ask is None or top_b.best_ask is None or not top_a.ask_size or not top_b.ask_size:
        return None
    if not (ZERO < top_a.best_ask < ONE and ZERO < top_b.best_ask < ONE):
        return None
    fee_a, fee_b = fee_per_contract(a, top_a.best_ask), fee_per_contract(b, top_b.best_ask)
    edge = ONE - (top_a.best_ask + fee_a + top_b.best_ask + fee_b)
    if edge < min_edge:
        return None
    size = min(top_a.ask_size, top_b.ask_size)
    legs = tuple(
        SignalLeg(
            venue=i.venue,
            market_id=i.market_id,
            outcome_id=i.outcome_id,
            side="buy",
            limit_price=top.best_ask,
            available_quantity=size,
            fee_per_contract=fee,
            tick_size=i.tick_size,
        )
        for i, top, fee in ((a, top_a, fee_a), (b, top_b, fee_b))
        if top.best_ask is not None
    )
    later = top_a if top_a.ts_event >= top_b.ts_event else top_b
    return later.caused(
        SignalGenerated,
        signal_id=str(derive_id("arb", strategy, a.key, b.key, top_a.message_id, top_b.message_id)),
        strategy=strategy,
        kind="arbitrage",
        game_id=game.game_id,
        legs=legs,
        edge_per_contract=edge,
        ts_event=now,
        expires_at=now + ttl,
    )


def pairs_with(game: GameAssignment, key: str) -> Iterable[tuple[InstrumentRef, InstrumentRef]]:
    """The complementary pairs of ``game`` that include the instrument ``key``."""
    return (p for p in complementary_pairs(game) if key in (p[0].key, p[1].key))
