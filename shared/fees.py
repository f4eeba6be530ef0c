"""Venue trading-fee formulas, exact in ``Decimal``; every edge in Arbees is computed after these.

Kalshi (published fee schedule; docs.kalshi.com/getting_started/fee_rounding): a taker pays
``multiplier x C x P x (1 - P)`` with ``multiplier = 0.07`` for the standard quadratic schedule, rounded
up to the next cent per order for a non-direct member; makers pay nothing unless the series' fee type
charges them (``quadratic_with_maker_fees``: multiplier 0.0175).

Polymarket (docs.polymarket.com/trading/fees): a taker pays ``C x rate x (P x (1 - P)) ** exponent``
from the market's ``feeSchedule`` (``rate`` e.g. 0.05, ``exponent`` usually 1), floored to 5 decimal
places; makers pay nothing (``takerOnly``). Markets without a fee schedule charge nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.prices import ONE, ZERO, PriceError, ceil_to, floor_to

KALSHI_TAKER_MULTIPLIER = Decimal("0.07")
KALSHI_MAKER_MULTIPLIER = Decimal("0.0175")
_POLY_FEE_STEP = Decimal("0.00001")


def _check(price: Decimal, quantity: Decimal) -> None:
    if not ZERO <= price <= ONE:
        raise PriceError(f"price out of [0, 1]: {price}")
    if quantity < 0:
        raise PriceError(f"negative quantity: {quantity}")


def kalshi_fee(
    price: Decimal,
    quantity: Decimal,
    *,
    maker: bool = False,
    fee_type: str = "quadratic",
    multiplier: Decimal | None = None,
) -> Decimal:
    """Kalshi fee in dollars for one order of ``quantity`` contracts at ``price``, rounded up to a cent.

    Parameters
    ----------
    price
        Probability-scale price paid per contract.
    quantity
        Contracts (fractional allowed).
    maker
        True when the order rests and is hit; makers pay only under ``quadratic_with_maker_fees``.
    fee_type
        The series' ``fee_type``: ``quadratic``, ``quadratic_with_maker_fees`` or ``flat`` (no fee).
    multiplier
        The series' ``fee_multiplier`` when it overrides the schedule.
    """
    _check(price, quantity)
    if fee_type == "flat" or quantity == 0:
        return ZERO.quantize(Decimal("0.01"))
    if maker:
        if fee_type != "quadratic_with_maker_fees":
            return ZERO.quantize(Decimal("0.01"))
        rate = multiplier if multiplier is not None else KALSHI_MAKER_MULTIPLIER
    else:
        rate = multiplier if multiplier is not None else KALSHI_TAKER_MULTIPLIER
    return ceil_to(rate * quantity * price * (ONE - price), Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class PolymarketFeeSchedule:
    """A Polymarket market's ``feeSchedule`` (Gamma), exact."""

    rate: Decimal = ZERO
    exponent: int = 1
    taker_only: bool = True


def polymarket_fee(price: Decimal, size: Decimal, schedule: PolymarketFeeSchedule, *, maker: bool = False) -> Decimal:
    """Polymarket fee in pUSD for a fill of ``size`` shares at ``price``, floored to 5 dp."""
    _check(price, size)
    if (maker and schedule.taker_only) or schedule.rate == 0 or size == 0:
        return ZERO.quantize(_POLY_FEE_STEP)
    base = (price * (ONE - price)) ** schedule.exponent
    return floor_to(size * schedule.rate * base, _POLY_FEE_STEP)


def taker_fee_per_contract(
    schedule: str, price: Decimal, *, fee_type: str = "quadratic", rate: Decimal | None = None, exponent: int = 1
) -> Decimal:
    """The taker fee of one contract at ``price`` on a market of ``schedule`` (``kalshi``/``polymarket``).

    For Kalshi ``rate`` overrides the schedule's multiplier; for Polymarket it is the market's rate (none:
    no fee). A Kalshi fee is rounded up per order, so the one-contract figure is the conservative one.
    """
    if schedule == "kalshi":
        return kalshi_fee(price, ONE, fee_type=fee_type, multiplier=rate)
    return polymarket_fee(price, ONE, PolymarketFeeSchedule(rate=rate or ZERO, exponent=exponent))
