"""Message contracts: envelope, exact prices, round trips, versioning."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from shared import messages
from shared.messages import (
    MESSAGE_TYPES,
    DecodeError,
    GameStateUpdated,
    MarketPriceUpdated,
    Message,
    OrderFilled,
    SignalGenerated,
    SignalLeg,
    SubmitOrder,
    decode,
    derive_id,
    encode,
)


def _price(bid: str = "0.55") -> MarketPriceUpdated:
    return MarketPriceUpdated(
        venue="kalshi", market_id="KX-1", outcome_id="yes", best_bid=Decimal(bid), best_ask=Decimal("0.57")
    )


def _message_classes() -> set[type[Message]]:
    """Every concrete message class exported by shared.messages (those with a ``type`` tag)."""
    exported = (getattr(messages, name) for name in dir(messages))
    return {
        cls for cls in exported
        if isinstance(cls, type) and issubclass(cls, Message) and cls is not Message and "type" in cls.model_fields
    }  # fmt: skip


def test_every_message_type_has_tag_and_version() -> None:
    assert set(MESSAGE_TYPES.values()) == _message_classes()  # every message can be decoded, none twice
    assert len(MESSAGE_TYPES) >= 13
    for name, cls in MESSAGE_TYPES.items():
        assert cls.model_fields["type"].default == name
        assert cls.model_fields["schema_version"].default == 1
        assert cls.model_config.get("frozen") is True
        assert cls.model_config.get("extra") == "forbid"


def test_messages_are_frozen_and_reject_unknown_fields() -> None:
    message = _price()
    with pytest.raises(ValidationError):
        message.best_bid = Decimal("0.1")  # type: ignore[misc]
    with pytest.raises(ValidationError):
        MarketPriceUpdated(venue="kalshi", market_id="m", outcome_id="yes", surprise=1)  # type: ignore[call-arg]


def test_a_float_price_is_refused_at_construction_and_on_the_wire() -> None:
    with pytest.raises(ValidationError, match="float"):
        MarketPriceUpdated(venue="kalshi", market_id="m", outcome_id="yes", best_bid=0.5)  # type: ignore[arg-type]
    raw = json.loads(encode(_price()))
    raw["best_bid"] = 0.55
    with pytest.raises(DecodeError, match="float"):
        decode(json.dumps(raw))


def test_decimals_travel_as_strings_and_round_trip_exactly() -> None:
    message = _price("0.5500")
    raw = json.loads(encode(message))
    assert raw["best_bid"] == "0.5500"
    assert decode(encode(message)) == message


def test_unknown_type_version_and_bad_json_are_decode_errors() -> None:
    raw = json.loads(encode(_price()))
    with pytest.raises(DecodeError, match="unsupported schema_version 2"):
        decode(json.dumps({**raw, "schema_version": 2}))
    with pytest.raises(DecodeError, match="unknown message type"):
        decode(json.dumps({**raw, "type": "nope"}))
    with pytest.raises(DecodeError, match="invalid JSON"):
        decode(b"{not json")
    with pytest.raises(DecodeError, match="not a JSON object"):
        decode(b"[1, 2]")


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        MarketPriceUpdated(venue="kalshi", market_id="m", outcome_id="yes", ts_event=datetime(2026, 1, 1))


def test_caused_keeps_correlation_and_points_to_parent() -> None:
    parent = _price()
    now = datetime.now(UTC)
    child = parent.caused(
        SignalGenerated,
        signal_id="s1",
        strategy="x",
        kind="model_edge",
        game_id="g",
        legs=(
            SignalLeg(
                venue="kalshi",
                market_id="KX-1",
                outcome_id="yes",
                side="buy",
                limit_price=Decimal("0.57"),
                fee_per_contract=Decimal("0.02"),
                tick_size=Decimal("0.01"),
            ),
        ),
        edge_per_contract=Decimal("0.1"),
        expires_at=now + timedelta(seconds=5),
    )
    assert child.correlation_id == parent.correlation_id
    assert child.causation_id == parent.message_id
    assert child.message_id != parent.message_id


def test_derived_ids_are_stable() -> None:
    assert derive_id("a", 1) == derive_id("a", 1)
    assert derive_id("a", 1) != derive_id("a", 2)


def test_submit_order_requires_positive_quantity() -> None:
    with pytest.raises(ValidationError):
        SubmitOrder(
            intent_id="i",
            client_order_id="c",
            signal_id="s",
            strategy="x",
            game_id="g",
            venue="kalshi",
            market_id="m",
            outcome_id="yes",
            side="buy",
            limit_price=Decimal("0.5"),
            quantity=Decimal(0),
            tick_size=Decimal("0.01"),
        )


@given(
    home=st.integers(min_value=0, max_value=200),
    away=st.integers(min_value=0, max_value=200),
    period=st.integers(min_value=0, max_value=9),
    clock=st.one_of(st.none(), st.floats(min_value=0, max_value=3600, allow_nan=False)),
)
def test_game_state_round_trips(home: int, away: int, period: int, clock: float | None) -> None:
    state = GameStateUpdated(
        game_id="g",
        sport="nba",
        league="nba",
        home_team="BOS",
        away_team="LAL",
        status="in",
        period=period,
        clock_seconds=clock,
        home_score=home,
        away_score=away,
    )
    assert decode(encode(state)) == state


@given(
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.99"), places=4),
    quantity=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
)
def test_fill_round_trips_exactly(price: Decimal, quantity: Decimal) -> None:
    fill = OrderFilled(
        client_order_id="c",
        venue_order_id=None,
        venue_trade_id="t",
        venue="polymarket",
        game_id="g",
        market_id="m",
        outcome_id="tok",
        side="buy",
        price=price,
        quantity=quantity,
        fee=Decimal("0"),
        liquidity="taker",
        paper=True,
    )
    again = decode(encode(fill))
    assert isinstance(again, OrderFilled)
    assert again.price == price and again.quantity == quantity
