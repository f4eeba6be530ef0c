"""The order lifecycle as data: statuses and every legal transition.

An illegal transition raises :class:`IllegalTransition`. ``UNKNOWN`` is the state of a submit whose
outcome we could not observe (timeout after the request may have reached the venue): it is never a
rejection and resolves only from venue evidence (a query, the WebSocket, reconciliation).
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """Where an order is in its life."""

    INITIALIZED = "initialized"  # intent persisted, not yet sent
    SUBMITTED = "submitted"  # sent, no answer yet
    UNKNOWN = "unknown"  # sent, answer lost: may or may not exist at the venue
    ACCEPTED = "accepted"  # resting at the venue
    PARTIALLY_FILLED = "partially_filled"
    PENDING_CANCEL = "pending_cancel"
    FILLED = "filled"
    CANCELED = "canceled"
    REJECTED = "rejected"  # the venue said no, definitively
    DENIED = "denied"  # our own risk gate said no; never sent
    EXPIRED = "expired"


TERMINAL: frozenset[OrderStatus] = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.REJECTED, OrderStatus.DENIED, OrderStatus.EXPIRED}
)

_S = OrderStatus
_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _S.INITIALIZED: frozenset({_S.SUBMITTED, _S.DENIED, _S.EXPIRED}),
    _S.SUBMITTED: frozenset(
        {_S.ACCEPTED, _S.PARTIALLY_FILLED, _S.FILLED, _S.REJECTED, _S.UNKNOWN, _S.CANCELED, _S.EXPIRED}
    ),
    _S.UNKNOWN: frozenset({_S.ACCEPTED, _S.PARTIALLY_FILLED, _S.FILLED, _S.REJECTED, _S.CANCELED, _S.EXPIRED}),
    _S.ACCEPTED: frozenset({_S.PARTIALLY_FILLED, _S.FILLED, _S.PENDING_CANCEL, _S.CANCELED, _S.EXPIRED}),
    _S.PARTIALLY_FILLED: frozenset({_S.PARTIALLY_FILLED, _S.FILLED, _S.PENDING_CANCEL, _S.CANCELED, _S.EXPIRED}),
    _S.PENDING_CANCEL: frozenset({_S.CANCELED, _S.PARTIALLY_FILLED, _S.FILLED, _S.ACCEPTED}),
    # A fill can race a cancel acknowledgement: the venue matched before it processed the cancel.
    _S.CANCELED: frozenset({_S.FILLED, _S.PARTIALLY_FILLED}),
    # A fill reported after expiry happened before it (venue latency).
    _S.EXPIRED: frozenset({_S.FILLED, _S.PARTIALLY_FILLED}),
    # Polymarket: a MATCHED trade that later FAILED on chain is voided, lowering the filled quantity (R08).
    _S.FILLED: frozenset({_S.PARTIALLY_FILLED, _S.ACCEPTED, _S.CANCELED}),
    _S.REJECTED: frozenset(),
    _S.DENIED: frozenset(),
}


class IllegalTransition(ValueError):
    """An order was asked to move between two statuses the lifecycle does not connect."""


def can_transition(current: OrderStatus, new: OrderStatus) -> bool:
    """True when ``current -> new`` is legal (staying in the same status is always legal)."""
    return new == current or new in _TRANSITIONS[current]


def transition(current: OrderStatus, new: OrderStatus) -> OrderStatus:
    """Return ``new`` after checking the move is legal; raise :class:`IllegalTransition` otherwise."""
    if not can_transition(current, new):
        raise IllegalTransition(f"order cannot go from {current} to {new}")
    return new
