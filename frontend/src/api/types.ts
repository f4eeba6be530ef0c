// Named API types of the dashboard, derived from the OpenAPI paths (so they follow openapi.json).
import type { GetResult } from "./paths";
import type { components } from "./schema";

type ItemOf<T> = T extends { items: (infer I)[] } ? I : never;

export type GameSummary = GetResult<"/api/v1/games/{game_id}">;
export type GameHistory = GetResult<"/api/v1/games/{game_id}/history">;
export type GameState = GameHistory["states"][number];
export type Probability = GameHistory["probabilities"][number];
export type PriceOut = GameHistory["prices"][number];
export type SignalMark = GameHistory["signals"][number];
export type MatchOut = ItemOf<GetResult<"/api/v1/matches">>;
export type SignalOut = ItemOf<GetResult<"/api/v1/signals">>;
export type SignalLeg = SignalOut["legs"][number];
export type OrderOut = ItemOf<GetResult<"/api/v1/orders">>;
export type FillOut = ItemOf<GetResult<"/api/v1/fills">>;
export type PositionOut = ItemOf<GetResult<"/api/v1/positions">>;
export type PnlSummary = GetResult<"/api/v1/pnl/summary">;
export type PnlFigures = PnlSummary["today"];
export type PnlRow = PnlSummary["by_sport"][number];
export type RiskOut = GetResult<"/api/v1/risk">;
export type Gauge = RiskOut["gauges"][number];
export type TradingState = GetResult<"/api/v1/trading-state">;
export type FleetOut = GetResult<"/api/v1/fleet">;
export type Page<T> = { items: T[]; next_offset?: number | null };

type Schemas = components["schemas"];
export type HelloEvent = Schemas["HelloEvent"];
export type GameStateEvent = Schemas["GameStateEvent"];
export type ProbabilityEvent = Schemas["ProbabilityEvent"];
export type PriceEvent = Schemas["PriceEvent"];
