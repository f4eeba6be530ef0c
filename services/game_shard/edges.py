"""Model-edge detection: our probability, blended with the market, against each instrument's ask, after costs.

For an instrument paying $1 with model probability ``p`` we blend with the market's mid on the log-odds
scale (:func:`shared.winprob.blend_with_market`, weight ``model_weight`` on the model: the market knows
things the model does not), then take :func:`shared.winprob.edge_after_costs`: blended probability minus
the ask, minus the venue's fee for one contract at that price, minus half the spread. A signal needs at
least ``min_edge`` per contract. A Kalshi fee is rounded up per order, so the one-contract fee is the
conservative figure.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from shared.fees import taker_fee_per_contract
from shared.messages import (
    InstrumentRef,
    MarketPriceUpdated,
    SignalGenerated,
    SignalLeg,
    WinProbabilityUpdated,
    derive_id,
)
from shared.prices import ONE, ZERO
from shared.winprob import blend_with_market, edge_after_costs


def instrument_probability(instrument: InstrumentRef, wp: WinProbabilityUpdated) -> float:
    """Probability that ``instrument`` pays $1, from the game's result probabilities."""
    p = {"home": wp.home, "away": wp.away, "draw": wp.draw}[instrument.pays_on]
    return 1.0 - p if instrument.negated else p


def fee_per_contract(instrument: InstrumentRef, price: Decimal) -> Decimal:
    """The venue's taker fee for one contract at ``price``."""
    f = instrument.fees
    return taker_fee_per_contract(f.schedule, price, fee_type=f.fee_type, rate=f.rate, exponent=f.exponent)


def market_mid(top: MarketPriceUpdated) -> Decimal | None:
    """The mid price, or the ask alone when there is no bid."""
    if top.best_ask is None:
        return None
    if top.best_bid is None:
        return top.best_ask
    return (top.best_bid + top.best_ask) / 2


def model_edge_signal(
    *,
    strategy: str,
    game_id: str,
    instrument: InstrumentRef,
    wp: WinProbabilityUpdated,
    top: MarketPriceUpdated,
    min_edge: Decimal,
    model_weight: float,
    now: datetime,
    ttl: timedelta,
) -> SignalGenerated | None:
    """A buy signal on ``instrument`` when the edge after costs reaches ``min_edge``."""
    ask, mid = top.best_ask, market_mid(top)
    if ask is None or mid is None or not ZERO < ask < ONE:
        return None
    model_p = instrument_probability(instrument, wp)
    blended = blend_with_market(model_p, float(min(max(mid, Decimal("0.001")), Decimal("0.999"))), model_weight)
    fee = fee_per_contract(instrument, ask)
    spread = ask - top.best_bid if top.best_bid is not None else ZERO
    edge = edge_after_costs(blended, ask, fee, max(spread, ZERO))
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
        model_probability=model_p,
        market_probability=mid,
        edge_per_contract=edge,
        ts_event=now,
        expires_at=now + ttl,
    )
