"""What a shard knows right now: its assignment, the latest prices and probabilities, recent signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.messages import (
    AssignShard,
    GameAssignment,
    GameStateUpdated,
    InstrumentRef,
    MarketPriceUpdated,
    WinProbabilityUpdated,
)


@dataclass(slots=True)
class ShardBook:
    """In-memory view rebuilt from latest values at start-up; nothing here carries money."""

    games: dict[str, GameAssignment] = field(default_factory=dict)
    prices: dict[str, MarketPriceUpdated] = field(default_factory=dict)
    states: dict[str, GameStateUpdated] = field(default_factory=dict)
    probabilities: dict[str, WinProbabilityUpdated] = field(default_factory=dict)
    last_signal_at: dict[str, datetime] = field(default_factory=dict)
    pregame_home_prob: dict[str, float] = field(default_factory=dict)
    handed_off_home_prob: dict[str, float] = field(default_factory=dict)
    by_price: dict[str, list[tuple[GameAssignment, InstrumentRef]]] = field(default_factory=dict)
    """Price key -> the (game, instrument) pairs it belongs to; rebuilt on each assignment (a tick looks up once)."""

    def assign(self, command: AssignShard) -> None:
        """Replace the set of games this shard watches."""
        self.games = {g.game_id: g for g in command.games}
        self.by_price = {}
        for game in self.games.values():
            for instrument in game.instruments:
                self.by_price.setdefault(instrument.key, []).append((game, instrument))

    def instruments_for_price(self, key: str) -> list[tuple[GameAssignment, InstrumentRef]]:
        """The (game, instrument) pairs a price key belongs to."""
        return self.by_price.get(key, [])

    def note_pregame_price(self, top: MarketPriceUpdated) -> None:
        """Remember the market's pre-game mid for the home team (a prior when ESPN has no odds)."""
        if top.best_bid is None or top.best_ask is None:
            return
        mid = float((top.best_bid + top.best_ask) / 2)
        for game, instrument in self.instruments_for_price(top.key):
            state = self.states.get(game.game_id)
            if instrument.pays_on != "home" or (state is not None and state.status != "pre"):
                continue
            self.pregame_home_prob[game.game_id] = 1.0 - mid if instrument.negated else mid

    def prior_home_prob(self, game_id: str) -> float | None:
        """The pre-game home-win prior of a game: the futures monitor's hand-off line (``PregameLine``) when
        it came, else the pre-game mid this shard saw itself, else ``None``."""
        handed_off = self.handed_off_home_prob.get(game_id)
        return handed_off if handed_off is not None else self.pregame_home_prob.get(game_id)

    def watches_game(self, game_id: str) -> bool:
        """True when ``game_id`` is assigned to this shard."""
        return game_id in self.games

    def watches_price(self, key: str) -> bool:
        """True when a price key belongs to an assigned instrument."""
        return key in self.by_price
