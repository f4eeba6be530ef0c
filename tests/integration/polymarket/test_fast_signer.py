"""Orders signed by our fast V2 signer, through the production engine and ``ClobTrader``, on the simulator.

The simulator recovers the signer from each order's EIP-712 signature under the exchange of the
market's kind (the neg-risk exchange for a neg-risk market) and keys the order by its own hash of it:
an order it accepts, found under the hash we computed before posting, proves the signature, the
domain and the order hash. Each order then rests or matches as its price says.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import Accepted, OrderReport, OrderRequest
from markets.polymarket.signing import FastOrderSigner
from markets.sim.polymarket.orders import EXCHANGE_V2, NEG_RISK_EXCHANGE_V2
from shared.errors import Rejected as VenueRejected
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_polymarket import ExecEnv, execution_env
from tests.support import eventually

KINDS = [(Decimal("0.01"), False), (Decimal("0.001"), True)]


@pytest.fixture(params=KINDS, ids=["tick-0.01", "tick-0.001-neg-risk"])
def kind(request: pytest.FixtureRequest) -> tuple[Decimal, bool]:
    """The market's tick size and whether it is neg-risk (signed under the neg-risk exchange)."""
    tick, neg_risk = request.param
    return tick, neg_risk


@pytest.fixture
async def env(kind: tuple[Decimal, bool], tmp_path: Path) -> AsyncIterator[ExecEnv]:
    tick, neg_risk = kind
    async with execution_env(tmp_path, market={"tick_size": str(tick), "neg_risk": neg_risk}) as started:
        yield started


async def _filled(env: ExecEnv, coid: str, quantity: Decimal) -> OrderReport | None:
    report = await env.engine.order_status(coid)
    return report if report is not None and report.filled_quantity == quantity else None


async def test_a_fast_signed_buy_rests_then_a_fast_signed_sell_matches_it(
    env: ExecEnv, kind: tuple[Decimal, bool]
) -> None:
    tick, neg_risk = kind
    price, size = Decimal("0.40") + tick, Decimal("7.33")
    request = OrderRequest(f"fs-{uuid.uuid4().hex[:12]}", env.condition_id, env.token, "buy", price, size)
    result = await env.engine.submit(request)
    assert isinstance(result, Accepted), result
    venue = env.venue_order(result.report.venue_order_id)  # the simulator's hash == the one we precomputed
    assert venue is not None and venue.status == "LIVE" and venue.price == price and venue.size == size

    seller = env.counterparty.trader
    signed, answer = await seller.place_limit_order(env.token, "SELL", price, size, tick_size=tick, neg_risk=neg_risk)
    assert answer.success and answer.order_id == signed.order_id and answer.status == "matched"
    report = await eventually(lambda: _filled(env, request.client_order_id, size))
    assert report is not None and report.status is OrderStatus.FILLED and report.avg_fill_price == price


async def test_a_fast_signed_fak_sell_takes_a_resting_bid(env: ExecEnv, kind: tuple[Decimal, bool]) -> None:
    tick, neg_risk = kind
    bought = await env.engine.place_limit_order(env.token, "buy", Decimal("0.60"), Decimal(5))
    assert isinstance(bought, Accepted) and bought.report.status is OrderStatus.ACCEPTED
    await env.counterparty.trader.place_limit_order(
        env.token, "SELL", Decimal("0.60"), Decimal(5), tick_size=tick, neg_risk=neg_risk
    )
    await eventually(lambda: _filled(env, bought.client_order_id, Decimal(5)))

    bid = Decimal("0.55") - tick
    await env.counterparty.trader.place_limit_order(
        env.token, "BUY", bid, Decimal(3), tick_size=tick, neg_risk=neg_risk
    )
    sold = await env.engine.place_limit_order(env.token, "sell", bid, Decimal(3), order_type="FAK")
    assert isinstance(sold, Accepted), sold
    report = await eventually(lambda: _filled(env, sold.client_order_id, Decimal(3)))
    assert report is not None and report.avg_fill_price == bid


async def test_an_order_signed_by_a_standalone_signer_is_accepted_under_its_precomputed_hash(
    env: ExecEnv, kind: tuple[Decimal, bool]
) -> None:
    tick, neg_risk = kind
    trader = env.counterparty.trader
    key = trader.settings.private_key
    assert key is not None
    own = FastOrderSigner(key.get_secret_value(), 137, {False: EXCHANGE_V2, True: NEG_RISK_EXCHANGE_V2})
    signed = trader.sign_limit_order(env.token, "SELL", 1 - tick, Decimal(4), tick_size=tick, neg_risk=neg_risk)
    again = own.sign(
        env.token, "SELL", signed.amounts.maker_amount, signed.amounts.taker_amount, neg_risk=neg_risk,
        salt=signed.signed.order.salt, timestamp_ms=signed.signed.order.timestamp_ms,
    )  # fmt: skip
    assert (again.signature, again.order_hash) == (signed.signed.signature, signed.order_id)
    answer = await trader.post_order(signed)
    assert answer.success and answer.status == "live" and answer.order_id == signed.order_id
    venue = env.venue_order(signed.order_id)
    assert venue is not None and venue.status == "LIVE" and venue.price == 1 - tick


async def test_an_order_signed_under_the_other_exchange_is_refused(env: ExecEnv, kind: tuple[Decimal, bool]) -> None:
    tick, neg_risk = kind
    trader = env.counterparty.trader
    wrong = trader.sign_limit_order(env.token, "SELL", 1 - tick, Decimal(4), tick_size=tick, neg_risk=not neg_risk)
    with pytest.raises(VenueRejected, match="signature"):
        await trader.post_order(wrong)
    assert env.venue_order(wrong.order_id) is None
