"""Query parameters shared by the list routes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=1000, description="page size (1..1000)")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Id = Annotated[str | None, Query(min_length=1, max_length=200)]
VenueParam = Annotated[Literal["kalshi", "polymarket"] | None, Query()]
