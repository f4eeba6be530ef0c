// Trade filters (game, kind, decision, venue) kept in the URL query, and matching of live items against them.
import type { FillOut, OrderOut, SignalOut } from "../api/types";

export interface TradeFilters {
  game_id: string;
  kind: string;
  decision: string;
  venue: string;
}

export const FILTER_KEYS = ["game_id", "kind", "decision", "venue"] as const;

export function filtersFromParams(params: URLSearchParams): TradeFilters {
  return {
    game_id: params.get("game_id") ?? "",
    kind: params.get("kind") ?? "",
    decision: params.get("decision") ?? "",
    venue: params.get("venue") ?? "",
  };
}

export function signalMatches(s: SignalOut, f: TradeFilters): boolean {
  if (f.game_id && s.game_id !== f.game_id) return false;
  if (f.kind && s.kind !== f.kind) return false;
  if (f.decision && !s.legs.some((l) => l.decision === f.decision)) return false;
  if (f.venue && !s.legs.some((l) => l.venue === f.venue)) return false;
  return true;
}

export function orderMatches(o: OrderOut, f: TradeFilters): boolean {
  return (!f.game_id || o.game_id === f.game_id) && (!f.venue || o.venue === f.venue);
}

export function fillMatches(x: FillOut, f: TradeFilters): boolean {
  return (!f.game_id || x.game_id === f.game_id) && (!f.venue || x.venue === f.venue);
}

export const fillKey = (f: FillOut) => `${f.venue}|${f.venue_trade_id}`;
export const orderKey = (o: OrderOut) => o.client_order_id;
export const signalKey = (s: SignalOut) => s.signal_id;
