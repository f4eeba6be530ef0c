"""Combining our probability with the live market, and the edge left after costs.

Blending is done on the log-odds scale (a logarithmic opinion pool):

    logit(p_blend) = w * logit(p_model) + (1 - w) * logit(p_market)

with ``w`` the weight on the model. Log-odds pooling keeps the answer inside (0, 1), treats 0.98 vs 0.99 as
the large disagreement it is, and with ``w = 1`` or ``w = 0`` returns either input unchanged. Choosing ``w``
is the signal logic's job; a principled value is the out-of-sample optimum of the blend's log loss on
recorded (model, market, outcome) triples, and absent that a conservative 0.5 or less.

The edge of buying one YES contract at the ask is computed in `decimal.Decimal` dollars so that no float
reaches an order (money is never float; see house style 4).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from shared.winprob.mathutil import logit, sigmoid

PROBABILITY_QUANTUM = Decimal("0.000001")
"""A float probability enters Decimal arithmetic rounded (half-even) to six decimals."""


def blend_with_market(model_prob: float, market_prob: float, model_weight: float = 0.5) -> float:
    """Blend our probability with the market's on the log-odds scale.

    Parameters
    ----------
    model_prob
        Our probability of the event, in [0, 1] (clipped to [1e-9, 1 - 1e-9]).
    market_prob
        The market's probability of the same event (e.g. the mid price), in [0, 1].
    model_weight
        Weight ``w`` on the model in [0, 1]; ``1 - w`` goes to the market.

    Returns
    -------
    float
        ``sigmoid(w * logit(model_prob) + (1 - w) * logit(market_prob))``.

    Raises
    ------
    ValueError
        If an argument is outside its range.
    """
    for name, v in (("model_prob", model_prob), ("market_prob", market_prob), ("model_weight", model_weight)):
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], not {v}")
    return sigmoid(model_weight * logit(model_prob) + (1.0 - model_weight) * logit(market_prob))


def probability_to_decimal(p: float) -> Decimal:
    """`p` as a Decimal rounded half-even to `PROBABILITY_QUANTUM`."""
    return Decimal(repr(p)).quantize(PROBABILITY_QUANTUM, rounding=ROUND_HALF_EVEN)


def edge_after_costs(model_prob: float, ask: Decimal, fee: Decimal, spread: Decimal) -> Decimal:
    """Expected profit per contract, in dollars, of buying YES at `ask`.

    The contract pays $1 if the event happens, so its expected value is the probability. The edge is

        model_prob - ask - fee - spread / 2

    i.e. after paying the ask, the venue fee, and a further half spread held back as the cost of getting out
    again (or of being wrong about the mid), as the signal logic requires. For the NO side pass
    ``1 - model_prob`` and the NO ask.

    Parameters
    ----------
    model_prob
        Our probability of the event in [0, 1] (a float; converted by `probability_to_decimal`).
    ask
        Price we would pay, as a probability (dollars per $1 contract) strictly between 0 and 1.
    fee
        Fee per contract in dollars (>= 0), computed by the caller from the venue's fee formula.
    spread
        Bid-ask spread in dollars (>= 0).

    Returns
    -------
    Decimal
        Edge in dollars per contract (negative when the trade does not pay).

    Raises
    ------
    ValueError
        If an argument is outside its range or not a Decimal where one is required.
    """
    if not 0.0 <= model_prob <= 1.0:
        raise ValueError(f"model_prob must be in [0, 1], not {model_prob}")
    for name, v in (("ask", ask), ("fee", fee), ("spread", spread)):
        if not isinstance(v, Decimal) or not v.is_finite():
            raise ValueError(f"{name} must be a finite Decimal, not {v!r}")
    if not Decimal(0) < ask < Decimal(1):
        raise ValueError(f"ask must be in (0, 1), not {ask}")
    if fee < 0 or spread < 0:
        raise ValueError(f"fee and spread must be >= 0, not {fee} and {spread}")
    return probability_to_decimal(model_prob) - ask - fee - spread / 2
