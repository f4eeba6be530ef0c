"""Pre-game lines (futures_monitor): line movements and the hand-off of a game's pre-game line at its start.

Both are informational latest-value messages over pub/sub (no money rides on them): a missed
:class:`LineMoved` is only a missed notice, and a late reader of :class:`PregameLine` reads the latest
value of its game.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from shared.messages.base import Message, UtcDatetime
from shared.prices import Price, Venue


class LineMoved(Message):
    """The pre-game home-win price of one market moved by at least the threshold within the window.

    ``from_price`` was seen at ``from_ts`` and ``to_price`` at ``ts_event``; ``change = to_price - from_price``
    (probability scale, positive when the home team became more likely).
    """

    type: Literal["line_moved"] = "line_moved"
    schema_version: Literal[1] = 1
    game_id: str = Field(min_length=1)
    venue: Venue
    market_id: str = Field(min_length=1)
    from_ts: UtcDatetime
    from_price: Price
    to_price: Price
    change: Decimal
    window_s: float = Field(gt=0)

    @property
    def key(self) -> str:
        """Latest-value key: ``game:venue:market``."""
        return f"{self.game_id}:{self.venue}:{self.market_id}"


class PregameLine(Message):
    """A game went live: its last pre-game home-win probability, for the game shards' model prior.

    ``home_prob`` is the mean of each venue's last pre-game mid (``venues``) seen at or before
    ``line_ts``; ``scheduled_start`` is the game's start.
    """

    type: Literal["pregame_line"] = "pregame_line"
    schema_version: Literal[1] = 1
    game_id: str = Field(min_length=1)
    home_prob: float = Field(gt=0, lt=1)
    venues: tuple[Venue, ...] = Field(min_length=1)
    line_ts: UtcDatetime
    scheduled_start: UtcDatetime
