// Applies live game_state / probability / price events to a GameSummary (for the game cards and the game header).
import type { StreamEvent } from "../api/streamEvents";
import type { GameSummary, PriceEvent, PriceOut } from "../api/types";

type GameEvent = Extract<StreamEvent, { type: "game_state" | "probability" | "price" }>;

export function eventGameId(event: GameEvent): string | null {
  return event.data.game_id ?? null;
}

/** A live price as a PriceOut, or null when the instrument is not matched to a game result. */
export function priceFromEvent(event: PriceEvent): PriceOut | null {
  const { game_id: _id, result, ...rest } = event;
  return result ? { ...rest, result } : null;
}

/** Returns the game updated by the event (the same object when it does not apply). */
export function applyGameEvent(game: GameSummary, event: GameEvent): GameSummary {
  if (eventGameId(event) !== game.game_id) return game;
  switch (event.type) {
    case "game_state": {
      const { game_id: _id, ...state } = event.data;
      return { ...game, status: state.status || game.status, state };
    }
    case "probability": {
      const { game_id: _id, ...probability } = event.data;
      return { ...game, probability };
    }
    case "price": {
      const price = priceFromEvent(event.data);
      if (!price) return game;
      const same = (p: PriceOut) =>
        p.venue === price.venue && p.market_id === price.market_id && p.outcome_id === price.outcome_id;
      const prices = game.prices.some(same)
        ? game.prices.map((p) => (same(p) ? price : p))
        : [...game.prices, price];
      return { ...game, prices };
    }
    default:
      return game;
  }
}

/** The best quote per venue for one result: the first matched instrument of that venue paying on it. */
export function venueQuote(game: GameSummary, venue: string, result: string): PriceOut | null {
  const matches = game.prices.filter((p) => p.venue === venue && p.result === result);
  matches.sort((a, b) => `${a.market_id}|${a.outcome_id}`.localeCompare(`${b.market_id}|${b.outcome_id}`));
  return matches[0] ?? null;
}
