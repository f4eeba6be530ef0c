"""Model-edge detection: compare our probability with each instrument's ask, after fees.

Buying an outcome at ``ask`` that pays $1 with probability ``p`` earns ``p - ask - fee`` per contract
in expectation; it becomes a signal when that is at least ``min_edge``. The fee is the venue's formula
for one contract at that price (Kalshi rounds per order, so this is conservative for larger orders).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from shared.fees import PolymarketFeeSchedule, kalshi_fee, polymarket_fee
from shared.messages import (
    InstrumentRef,
    MarketPriceUpdated,
    SignalGenerated,
    SignalLeg,
    WinProbabilityUpdated,
    derive_id,
)
from shared.prices import ONE


def instrument_probability(instrument: InstrumentRef, wp: WinProbabilityUpdated) -> float:
    """Probability that ``instrument`` pays $1, from the game's result probabilities."""
    p = {"home": wp.home, "away": wp.away, "draw": wp.draw}[instrument.pays_on]
    return 1.0 - p if instrument.negated else p


def fee_per_contract(instrument: InstrumentRef, price: Decimal) -> Decimal:
    """The venue's taker fee for one contract at ``price``."""
    if instrument.fees.schedule == "kalshi":
        return kalshi_fee(price, ONE, fee_type=instrument.fees.fee_type, multiplier=instrument.fees.rate)
    schedule = PolymarketFeeSchedule(rate=instrument.fees.rate or Decimal(0), exponent=instrument.fees.exponent)
    return polymarket_fee(price, ONE, schedule)


def model_edge_signal(
    *,
    strategy: str,
    game_id: str,
    instrument: InstrumentRef,
    wp: WinProbabilityUpdated,
    top: MarketPriceUpdated,
    min_edge: Decimal,
    now: datetime,
    ttl: timedelta,
) -> SignalGenerated | None:
    """A buy signal on ``instrument`` when the model edge after fees reaches ``min_edge``."""
    ask = top.best_ask
    if ask is None or ask <= 0 or ask >= 1:
        return None
    p = instrument_probability(instrument, wp)
    fee = fee_per_contract(instrument, ask)
    edge = (Decimal(f"{p:.6f}") - ask - fee).quantize(Decimal("0.000001"))
    if edge < min_edge:
        return None
    return wp.caused(
        SignalGenerated,
        signal_id=str(derive_id("signal", strategy, instrument.key, wp.message_id, top.message_id)),
        strategy=strategy,
        kind="model_edge",
        game_id=game_id,
        legs=(
            SignalLeg(
                venue=instrument.venue,
                market_id=instrument.market_id,
                outcome_id=instrument.outcome_id,
                side="buy",
                limit_price=ask,
                available_quantity=top.ask_size,
                fee_per_contract=fee,
                tick_size=instrument.tick_size,
            ),
        ),
        model_probability=p,
        market_probability=ask,
        edge_per_contract=edge,
        ts_event=now,
        expires_at=now + ttl,
    )
