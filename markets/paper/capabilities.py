"""What the paper engine supports, as data (house style §2: one capability table per venue package)."""

from __future__ import annotations

from markets.base import Capabilities

CAPABILITIES = Capabilities(
    time_in_force=frozenset({"gtc", "gtd", "ioc", "fok"}),
    venue_idempotency=True,  # a repeated client_order_id returns the existing paper order
    push_updates=True,  # updates() streams every order and fill report as it happens
    dead_man_switch=False,  # nothing rests at a venue, so there is nothing to cancel on our silence
)
