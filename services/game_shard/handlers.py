"""Game-shard handlers: game states are priced and stored; prices are held and sampled; edges become signals.

Nothing on the price path waits on the database: a tick updates the in-memory book and the price
recorder, the edges of the games it belongs to are computed in memory, and a signal goes straight onto
its stream (:mod:`services.game_shard.signal_outlet`; its row is written later, in a batch). A game whose
state is stale (no successful ESPN read for ``max_state_age_s``) or a top that is stale (older than
``max_book_age_s``, or empty because its book was lost) never produces a signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from markets.espn.poller import content_of
from services.game_shard.arbitrage import arbitrage_signal, pairs_with
from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.edges import model_edge_signal
from services.game_shard.price_store import PriceRecorder
from services.game_shard.pricing import probability_message
from services.game_shard.signal_outlet import SignalOutlet
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.uow import Store, UnitOfWork
from shared.messages import (
    GameAssignment,
    GameStateUpdated,
    MarketPriceUpdated,
    SignalGenerated,
    WinProbabilityUpdated,
    utc_now,
)
from shared.tracing import TRACE

log = logging.getLogger(__name__)
StateAge = Callable[[str], float | None]


class GameShardHandlers:
    """State and side effects of one shard.

    ``state_age_s(game_id)`` says how old the shard's knowledge of a game is (seconds; ``None`` when
    unknown); by default it is the age of the last state received.
    """

    def __init__(
        self,
        settings: GameShardSettings,
        book: ShardBook,
        store: Store,
        bus: MarketDataBus,
        recorder: PriceRecorder,
        state_age_s: StateAge | None = None,
        *,
        outlet: SignalOutlet,
    ) -> None:
        self.settings = settings
        self.book = book
        self._store = store
        self._bus = bus
        self._recorder = recorder
        self.outlet = outlet
        self._state_age_s = state_age_s or self._age_of_last_state
        self.signals_emitted = 0
        self.stale_skips = 0

    def _age_of_last_state(self, game_id: str) -> float | None:
        state = self.book.states.get(game_id)
        return None if state is None else (utc_now() - state.ts_init).total_seconds()

    async def on_game_state(self, state: GameStateUpdated, *, publish: bool = False) -> None:
        """Price a changed state, store state and probability, publish them, and look for edges."""
        if not self.book.watches_game(state.game_id):
            return
        held = self.book.states.get(state.game_id)
        if held is not None and content_of(held) == content_of(state):
            return
        self.book.states[state.game_id] = state
        wp = probability_message(state, self.book.prior_home_prob(state.game_id), self.settings.models_path)
        self.book.probabilities[state.game_id] = wp
        signals = self._signals_for_game(self.book.games[state.game_id], wp)
        async with self._store.unit_of_work() as uow:
            await _insert_game_state(uow, state)
            await _insert_probability(uow, wp)
        await self._emit(signals)
        if publish:
            await self._bus.publish(keys.GAME_STATE, state.game_id, state)
        await self._bus.publish(keys.WIN_PROBABILITY, state.game_id, wp)

    async def on_price(self, top: MarketPriceUpdated) -> None:
        """Hold an assigned instrument's top, sample it for storage, and look for edges on it."""
        TRACE.stamp("tick.received", top.message_id)
        if not self.book.watches_price(top.key):
            return
        held = self.book.prices.get(top.key)
        if held is not None and held.message_id == top.message_id:
            return
        self.book.prices[top.key] = top
        self._recorder.note(top)
        self.book.note_pregame_price(top)
        signals: list[SignalGenerated] = []
        for game, _instrument in self.book.instruments_for_price(top.key):
            wp = self.book.probabilities.get(game.game_id)
            if wp is not None:
                signals.extend(self._signals_for_game(game, wp))
        if self.settings.arbitrage:
            signals.extend(self._arbitrage_for(top.key))
        if signals:
            for signal in signals:
                TRACE.link("tick->signal", top.message_id, signal.message_id)
            await self._emit(signals)

    def _signals_for_game(self, game: GameAssignment, wp: WinProbabilityUpdated) -> list[SignalGenerated]:
        state = self.book.states.get(game.game_id)
        if state is None or state.status != "in":
            return []
        age = self._state_age_s(game.game_id)
        if age is None or age > self.settings.max_state_age_s:
            self.stale_skips += 1
            return []
        now = utc_now()
        out = []
        for instrument in game.instruments:
            top = self.book.prices.get(instrument.key)
            if top is None or (now - top.ts_event).total_seconds() > self.settings.max_book_age_s:
                continue
            if self._cooling_down(instrument.key, now):
                continue
            signal = model_edge_signal(
                strategy=self.settings.strategy,
                game_id=game.game_id,
                instrument=instrument,
                wp=wp,
                top=top,
                min_edge=Decimal(self.settings.min_edge_cents) / 100,
                model_weight=self.settings.model_weight,
                now=now,
                ttl=timedelta(seconds=self.settings.signal_ttl_s),
            )
            if signal is not None:
                out.append(signal)
        return out

    def _arbitrage_for(self, key: str) -> list[SignalGenerated]:
        """Arbitrage signals of every pair that includes ``key``, from fresh tops of live or coming games."""
        now = utc_now()
        out = []
        games = {g.game_id: g for g, _ in self.book.instruments_for_price(key)}
        for game in games.values():
            state = self.book.states.get(game.game_id)
            if state is not None and state.status == "post":
                continue
            for pair in pairs_with(game, key):
                top_a, top_b = self.book.prices.get(pair[0].key), self.book.prices.get(pair[1].key)
                if top_a is None or top_b is None:
                    continue
                if any((now - t.ts_event).total_seconds() > self.settings.max_book_age_s for t in (top_a, top_b)):
                    continue
                if self._cooling_down(_signal_key(pair[0].key, pair[1].key), now):
                    continue
                signal = arbitrage_signal(
                    strategy=self.settings.arbitrage_strategy,
                    game=game,
                    pair=pair,
                    tops=(top_a, top_b),
                    min_edge=Decimal(self.settings.arbitrage_min_edge_cents) / 100,
                    now=now,
                    ttl=timedelta(seconds=self.settings.signal_ttl_s),
                )
                if signal is not None:
                    out.append(signal)
        return out

    def _cooling_down(self, key: str, now: datetime) -> bool:
        last = self.book.last_signal_at.get(key)
        return last is not None and (now - last).total_seconds() < self.settings.signal_cooldown_s

    async def _emit(self, signals: list[SignalGenerated]) -> None:
        if not signals:
            return
        for signal in await self.outlet.send(signals):
            key = _signal_key(*(f"{leg.venue}:{leg.market_id}:{leg.outcome_id}" for leg in signal.legs))
            self.book.last_signal_at[key] = signal.ts_event
            self.signals_emitted += 1
            log.info(
                "signal generated",
                extra={
                    "signal_id": signal.signal_id,
                    "game_id": signal.game_id,
                    "instrument": key,
                    "edge": str(signal.edge_per_contract),
                    "correlation_id": str(signal.correlation_id),
                },
            )


def _signal_key(*instrument_keys: str) -> str:
    """The cooldown key of a signal: its instrument, or ``arb:`` and the pair's keys."""
    return instrument_keys[0] if len(instrument_keys) == 1 else "arb:" + "|".join(instrument_keys)


async def _insert_game_state(uow: UnitOfWork, s: GameStateUpdated) -> None:
    await uow.conn.execute(
        """INSERT INTO game_states (game_id, ts, sport, league, status, period, clock_seconds, home_team,
               away_team, home_score, away_score, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING""",
        s.game_id,
        s.ts_event,
        s.sport,
        s.league,
        s.status,
        s.period,
        s.clock_seconds,
        s.home_team,
        s.away_team,
        s.home_score,
        s.away_score,
        s.model_dump(mode="json"),
    )


async def _insert_probability(uow: UnitOfWork, wp: WinProbabilityUpdated) -> None:
    await uow.conn.execute(
        """INSERT INTO win_probabilities (game_id, ts, model, model_version, home, away, draw)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
        wp.game_id,
        wp.ts_event,
        wp.model,
        wp.model_version,
        wp.home,
        wp.away,
        wp.draw,
    )
