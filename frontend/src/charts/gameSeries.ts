// Merges a game's history and live stream events into chart series: model home probability vs Kalshi/Polymarket home prices.
import type { GameHistory, PriceOut, Probability, SignalMark, SignalOut } from "../api/types";

export type PriceBasis = "mid" | "ask";

export interface ChartPoint {
  t: number;
  model: number | null;
  kalshi: number | null;
  polymarket: number | null;
}

/** A signal as the chart shows it: a history SignalMark, or one built from a live SignalOut (looser kind/decision). */
export type ChartSignal = Omit<SignalMark, "kind" | "decision"> & { kind: string; decision: string | null };

export interface SignalPoint {
  t: number;
  y: number;
  signal: ChartSignal;
}

/** Everything the chart is built from: the fetched history plus what the stream added since. */
export interface GameChartData {
  probabilities: Probability[];
  prices: PriceOut[];
  signals: ChartSignal[];
}

const MAX_LIVE = 20_000;

export function emptyChartData(): GameChartData {
  return { probabilities: [], prices: [], signals: [] };
}

export function fromHistory(history: GameHistory): GameChartData {
  return { probabilities: [...history.probabilities], prices: [...history.prices], signals: [...history.signals] };
}

/** History followed by live additions (duplicates are harmless: same time and value, signals deduplicated by id). */
export function combine(history: GameChartData, live: GameChartData): GameChartData {
  return {
    probabilities: [...history.probabilities, ...live.probabilities],
    prices: [...history.prices, ...live.prices],
    signals: [...history.signals, ...live.signals],
  };
}

const priceKey = (p: PriceOut) => `${p.venue}|${p.market_id}|${p.outcome_id}|${p.ts}`;
const probKey = (p: Probability) => `${p.model}|${p.ts}`;

function appendUnique<T>(list: T[], item: T, keyOf: (x: T) => string): T[] {
  const k = keyOf(item);
  // Live events come in order: a duplicate (replayed by history) is near the end.
  for (let i = list.length - 1; i >= 0 && i >= list.length - 50; i--) {
    const existing = list[i];
    if (existing !== undefined && keyOf(existing) === k) return list;
  }
  const next = [...list, item];
  return next.length > MAX_LIVE ? next.slice(next.length - MAX_LIVE) : next;
}

export function addProbability(data: GameChartData, p: Probability): GameChartData {
  return { ...data, probabilities: appendUnique(data.probabilities, p, probKey) };
}

export function addPrice(data: GameChartData, p: PriceOut): GameChartData {
  return { ...data, prices: appendUnique(data.prices, p, priceKey) };
}

export function addSignal(data: GameChartData, s: ChartSignal): GameChartData {
  return { ...data, signals: appendUnique(data.signals, s, (x) => x.signal_id) };
}

/** A live `signal` event (SignalOut with legs) as a chart mark: first leg's instrument, decision over all legs. */
export function signalMarkFromSignal(s: SignalOut): ChartSignal {
  const first = s.legs[0];
  const decisions = new Set(s.legs.map((l) => l.decision));
  const decision = decisions.size === 0 ? null : decisions.size === 1 ? (s.legs[0]?.decision ?? null) : "mixed";
  const denied = s.legs.find((l) => l.reason_code);
  return {
    ts: s.ts,
    signal_id: s.signal_id,
    kind: s.kind,
    strategy: s.strategy,
    venue: first?.venue ?? null,
    market_id: first?.market_id ?? null,
    outcome_id: first?.outcome_id ?? null,
    result: null,
    side: first?.side ?? null,
    limit_price: first?.limit_price ?? null,
    edge_per_contract: s.edge_per_contract,
    model_probability: s.model_probability ?? null,
    decision,
    reason_code: denied?.reason_code ?? null,
  };
}

/** The price a chart shows for one quote: mid, or ask (falling back to the other when missing). */
export function quoteValue(p: PriceOut, basis: PriceBasis): number | null {
  const raw = basis === "mid" ? (p.mid ?? p.best_ask) : (p.best_ask ?? p.mid);
  if (raw === null || raw === undefined) return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** The model to chart: the one of the latest probability (a game may carry more than one). */
function chartModel(probabilities: Probability[]): string | null {
  let latest: Probability | null = null;
  for (const p of probabilities) if (!latest || p.ts >= latest.ts) latest = p;
  return latest?.model ?? null;
}

/** Per venue, the one home-result instrument to chart: the lexicographically first `market|outcome`. */
function chartInstruments(prices: PriceOut[]): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const p of prices) {
    if (p.result !== "home") continue;
    const key = `${p.market_id}|${p.outcome_id}`;
    const current = chosen.get(p.venue);
    if (current === undefined || key < current) chosen.set(p.venue, key);
  }
  return chosen;
}

/**
 * Builds time-ordered points; each series is carried forward between its own updates so the lines are steps
 * of the latest known value. Points at the same millisecond are merged.
 */
export function buildSeries(data: GameChartData, basis: PriceBasis = "mid"): ChartPoint[] {
  type Update = { t: number; field: "model" | "kalshi" | "polymarket"; value: number };
  const updates: Update[] = [];
  const model = chartModel(data.probabilities);
  for (const p of data.probabilities) {
    if (p.model !== model) continue;
    const t = Date.parse(p.ts);
    if (Number.isFinite(t) && Number.isFinite(p.home)) updates.push({ t, field: "model", value: p.home });
  }
  const instruments = chartInstruments(data.prices);
  for (const p of data.prices) {
    if (p.result !== "home" || (p.venue !== "kalshi" && p.venue !== "polymarket")) continue;
    if (instruments.get(p.venue) !== `${p.market_id}|${p.outcome_id}`) continue;
    const t = Date.parse(p.ts);
    const value = quoteValue(p, basis);
    if (Number.isFinite(t) && value !== null) updates.push({ t, field: p.venue, value });
  }
  updates.sort((a, b) => a.t - b.t);
  const points: ChartPoint[] = [];
  let current: ChartPoint = { t: 0, model: null, kalshi: null, polymarket: null };
  for (const u of updates) {
    const last = points[points.length - 1];
    if (last && last.t === u.t) {
      last[u.field] = u.value;
      current = last;
    } else {
      current = { ...current, t: u.t, [u.field]: u.value };
      points.push(current);
    }
  }
  return points;
}

/** Signal marks placed on the model line (the model's home probability at the signal's time, else its own). */
export function signalPoints(data: GameChartData, points: ChartPoint[]): SignalPoint[] {
  const out: SignalPoint[] = [];
  const seen = new Set<string>();
  for (const s of data.signals) {
    if (seen.has(s.signal_id)) continue;
    seen.add(s.signal_id);
    const t = Date.parse(s.ts);
    if (!Number.isFinite(t)) continue;
    let y: number | null = null;
    for (const p of points) {
      if (p.t > t) break;
      y = p.model ?? y;
    }
    if (y === null) y = s.model_probability ?? 0.5;
    out.push({ t, y, signal: s });
  }
  return out.sort((a, b) => a.t - b.t);
}
