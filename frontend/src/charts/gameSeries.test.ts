// Tests of the chart data merge: history + live events → forward-filled series and signal marks.
import { describe, expect, it } from "vitest";
import type { GameHistory, PriceOut, Probability, SignalOut } from "../api/types";
import {
  addPrice,
  addProbability,
  addSignal,
  buildSeries,
  combine,
  emptyChartData,
  fromHistory,
  signalMarkFromSignal,
  signalPoints,
} from "./gameSeries";

const T0 = "2024-03-01T00:00:00Z";
const T1 = "2024-03-01T00:00:10Z";
const T2 = "2024-03-01T00:00:20Z";
const T3 = "2024-03-01T00:00:30Z";
const ms = (iso: string) => Date.parse(iso);

const prob = (ts: string, home: number, model = "nba_v1"): Probability => ({ ts, model, home, away: 1 - home, draw: 0 });
const price = (ts: string, venue: "kalshi" | "polymarket", mid: string | null, extra: Partial<PriceOut> = {}): PriceOut => ({
  ts,
  venue,
  market_id: venue === "kalshi" ? "KX-BOS" : "0xabc",
  outcome_id: venue === "kalshi" ? "yes" : "BOS",
  result: "home",
  best_bid: null,
  best_ask: mid === null ? null : String(Number(mid) + 0.01),
  mid,
  ...extra,
});

const history: GameHistory = {
  game_id: "g1",
  states: [],
  probabilities: [prob(T0, 0.6), prob(T2, 0.65)],
  prices: [
    price(T0, "kalshi", "0.55"),
    price(T1, "polymarket", "0.57"),
    price(T1, "kalshi", "0.40", { result: "away", market_id: "KX-BOS", outcome_id: "no" }),
  ],
  signals: [
    {
      ts: T1,
      signal_id: "s1",
      kind: "model_edge",
      strategy: "edge",
      venue: "kalshi",
      market_id: "KX-BOS",
      outcome_id: "yes",
      result: "home",
      side: "buy",
      limit_price: "0.56",
      edge_per_contract: "0.04",
      model_probability: 0.6,
      decision: "approved",
      reason_code: null,
    },
  ],
};

describe("buildSeries", () => {
  it("merges model and both venues' home prices, carrying each series forward", () => {
    const points = buildSeries(fromHistory(history));
    expect(points).toEqual([
      { t: ms(T0), model: 0.6, kalshi: 0.55, polymarket: null },
      { t: ms(T1), model: 0.6, kalshi: 0.55, polymarket: 0.57 },
      { t: ms(T2), model: 0.65, kalshi: 0.55, polymarket: 0.57 },
    ]);
  });

  it("uses the ask when asked, falling back to mid", () => {
    const points = buildSeries(fromHistory(history), "ask");
    expect(points[0]?.kalshi).toBeCloseTo(0.56);
  });

  it("appends live probability/price events after the history, ignoring duplicates", () => {
    let live = emptyChartData();
    live = addProbability(live, prob(T2, 0.65)); // already in history
    live = addProbability(live, prob(T3, 0.7));
    live = addPrice(live, price(T3, "polymarket", "0.66"));
    live = addPrice(live, price(T3, "polymarket", "0.66"));
    expect(live.prices).toHaveLength(1);
    const points = buildSeries(combine(fromHistory(history), live));
    expect(points).toHaveLength(4);
    expect(points[3]).toEqual({ t: ms(T3), model: 0.7, kalshi: 0.55, polymarket: 0.66 });
  });

  it("charts only the latest model and one instrument per venue", () => {
    const data = fromHistory({
      ...history,
      probabilities: [prob(T0, 0.1, "old"), prob(T1, 0.6, "new")],
      prices: [price(T0, "kalshi", "0.5"), price(T1, "kalshi", "0.9", { market_id: "ZZ-OTHER" })],
    });
    expect(buildSeries(data)).toEqual([
      { t: ms(T0), model: null, kalshi: 0.5, polymarket: null },
      { t: ms(T1), model: 0.6, kalshi: 0.5, polymarket: null },
    ]);
  });
});

describe("signals", () => {
  it("places history and live signals on the model line, deduplicated by id", () => {
    const live: SignalOut = {
      signal_id: "s2",
      ts: T3,
      strategy: "arb",
      kind: "arbitrage",
      game_id: "g1",
      edge_per_contract: "0.02",
      model_probability: null,
      legs: [
        { leg_index: 0, intent_id: "i1", client_order_id: "c1", venue: "kalshi", market_id: "KX-BOS", outcome_id: "yes", side: "buy", limit_price: "0.55", quantity: "10", decision: "approved", reason_code: null, reason: null, order_status: null, filled_quantity: null, avg_fill_price: null },
        { leg_index: 1, intent_id: "i2", client_order_id: "c2", venue: "polymarket", market_id: "0xabc", outcome_id: "NYK", side: "buy", limit_price: "0.42", quantity: "10", decision: "denied", reason_code: "max_game_exposure", reason: "over", order_status: null, filled_quantity: null, avg_fill_price: null },
      ],
    };
    const mark = signalMarkFromSignal(live);
    expect(mark).toMatchObject({ signal_id: "s2", decision: "mixed", reason_code: "max_game_exposure", venue: "kalshi" });
    let data = combine(fromHistory(history), addSignal(emptyChartData(), mark));
    data = { ...data, signals: [...data.signals, ...history.signals] }; // duplicate s1
    const points = buildSeries(data);
    const marks = signalPoints(data, points);
    expect(marks.map((m) => [m.signal.signal_id, m.t, m.y])).toEqual([
      ["s1", ms(T1), 0.6],
      ["s2", ms(T3), 0.65],
    ]);
  });
});
