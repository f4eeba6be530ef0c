"""Turning ``limit + 1`` fetched rows into a :class:`~services.api.schemas.Page`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from services.api.schemas import Page

T = TypeVar("T")


def page(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    """The first ``limit`` of ``items`` (fetched with ``LIMIT limit + 1``), and the next offset if there is more."""
    more = len(items) > limit
    return Page[T](items=list(items[:limit]), next_offset=offset + limit if more else None)
