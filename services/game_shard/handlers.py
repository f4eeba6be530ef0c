"""Game-shard handlers: one per incoming message type, each persisting and deriving what follows."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.edges import model_edge_signal
from services.game_shard.pricing import probability_message
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

log = logging.getLogger(__name__)


class GameShardHandlers:
    """State and side effects of one shard."""

    def __init__(self, settings: GameShardSettings, book: ShardBook, store: Store, bus: MarketDataBus) -> None:
        self.settings = settings
        self.book = book
        self._store = store
        self._bus = bus
        self.signals_emitted = 0

    async def on_game_state(self, state: GameStateUpdated) -> None:
        """Price the game, store state and probability, publish it, and look for edges."""
        if not self.book.watches_game(state.game_id):
            return
        self.book.states[state.game_id] = state
        wp = probability_message(state, self.book.pregame_home_prob.get(state.game_id))
        self.book.probabilities[state.game_id] = wp
        async with self._store.unit_of_work() as uow:
            await _insert_game_state(uow, state)
            await _insert_probability(uow, wp)
            await self._signals_for_game(uow, self.book.games[state.game_id], wp)
        await self._bus.publish(keys.WIN_PROBABILITY, state.game_id, wp)

    async def on_price(self, top: MarketPriceUpdated) -> None:
        """Store an assigned instrument's price and look for edges on it."""
        if not self.book.watches_price(top.key):
            return
        self.book.prices[top.key] = top
        self.book.note_pregame_price(top)
        async with self._store.unit_of_work() as uow:
            await _insert_price(uow, top)
            for game, _instrument in self.book.instruments_for_price(top.key):
                wp = self.book.probabilities.get(game.game_id)
                if wp is not None:
                    await self._signals_for_game(uow, game, wp)

    async def _signals_for_game(self, uow: UnitOfWork, game: GameAssignment, wp: WinProbabilityUpdated) -> None:
        state = self.book.states.get(game.game_id)
        if state is None or state.status != "in":
            return
        now = utc_now()
        for instrument in game.instruments:
            top = self.book.prices.get(instrument.key)
            if top is None or (now - top.ts_event).total_seconds() > self.settings.max_book_age_s:
                continue
            last = self.book.last_signal_at.get(instrument.key)
            if last is not None and (now - last).total_seconds() < self.settings.signal_cooldown_s:
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
            if signal is None:
                continue
            if await _insert_signal(uow, signal):
                await uow.emit(keys.SIGNALS, signal)
                self.book.last_signal_at[instrument.key] = now
                self.signals_emitted += 1
                log.info(
                    "signal generated",
                    extra={
                        "signal_id": signal.signal_id,
                        "game_id": game.game_id,
                        "instrument": instrument.key,
                        "edge": str(signal.edge_per_contract),
                        "correlation_id": str(signal.correlation_id),
                    },
                )


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


async def _insert_price(uow: UnitOfWork, top: MarketPriceUpdated) -> None:
    await uow.conn.execute(
        """INSERT INTO market_prices (venue, market_id, outcome_id, ts, best_bid, best_ask, bid_size, ask_size)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        top.venue,
        top.market_id,
        top.outcome_id,
        top.ts_event,
        top.best_bid,
        top.best_ask,
        top.bid_size,
        top.ask_size,
    )


async def _insert_signal(uow: UnitOfWork, signal: SignalGenerated) -> bool:
    status = await uow.conn.execute(
        """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract,
               model_probability, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""",
        signal.signal_id,
        signal.message_id,
        signal.ts_event,
        signal.strategy,
        signal.kind,
        signal.game_id,
        signal.edge_per_contract,
        signal.model_probability,
        signal.model_dump(mode="json"),
    )
    return bool(status.endswith(" 1"))
