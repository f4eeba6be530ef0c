"""The order lifecycle table."""

from __future__ import annotations

import pytest

from shared.orders.state import TERMINAL, IllegalTransition, OrderStatus, can_transition, transition

S = OrderStatus


def test_unknown_is_never_a_rejection_by_itself() -> None:
    assert can_transition(S.SUBMITTED, S.UNKNOWN)
    assert can_transition(S.UNKNOWN, S.FILLED)
    assert can_transition(S.UNKNOWN, S.REJECTED)


def test_terminal_states_do_not_reopen_except_for_late_fills_and_voided_trades() -> None:
    with pytest.raises(IllegalTransition):
        transition(S.FILLED, S.SUBMITTED)
    # A Polymarket trade that FAILED on chain voids its fill (R08).
    assert transition(S.FILLED, S.PARTIALLY_FILLED) == S.PARTIALLY_FILLED
    with pytest.raises(IllegalTransition):
        transition(S.REJECTED, S.FILLED)
    with pytest.raises(IllegalTransition):
        transition(S.DENIED, S.SUBMITTED)
    assert transition(S.CANCELED, S.FILLED) == S.FILLED


def test_pending_cancel_is_not_assumed_cancelled() -> None:
    assert not can_transition(S.ACCEPTED, S.INITIALIZED)
    assert can_transition(S.PENDING_CANCEL, S.FILLED)
    assert S.PENDING_CANCEL not in TERMINAL


def test_every_status_has_a_row() -> None:
    for status in S:
        assert can_transition(status, status)
