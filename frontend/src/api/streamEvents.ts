// Typed events of GET /api/v1/stream and the decoding of raw SSE messages into them.
import type {
  FillOut,
  GameStateEvent,
  HelloEvent,
  OrderOut,
  PositionOut,
  PriceEvent,
  ProbabilityEvent,
  SignalOut,
  TradingState,
} from "./types";
import type { SseMessage } from "./sseParser";

export interface StreamPayloads {
  hello: HelloEvent;
  game_state: GameStateEvent;
  probability: ProbabilityEvent;
  price: PriceEvent;
  signal: SignalOut;
  /** An OrderOut, or the raw order event when the order is not stored (see isStoredOrder). */
  order: OrderOut | RawOrderEvent;
  fill: FillOut;
  position: PositionOut;
  trading_state: TradingState;
}

export type StreamTopic = keyof StreamPayloads;

/** The bus message the API forwards for an order it has not stored (e.g. a denial): only a few fields are sure. */
export interface RawOrderEvent {
  client_order_id?: string;
  intent_id?: string;
  [key: string]: unknown;
}

/** True when an `order` event carries a full stored OrderOut (what the tables show). */
export function isStoredOrder(order: OrderOut | RawOrderEvent): order is OrderOut {
  return typeof order.client_order_id === "string" && typeof order.created_at === "string" && "limit_price" in order;
}

export type StreamEvent = { [K in StreamTopic]: { type: K; data: StreamPayloads[K]; id: string | null } }[StreamTopic];

const TOPICS: ReadonlySet<string> = new Set<StreamTopic>([
  "hello",
  "game_state",
  "probability",
  "price",
  "signal",
  "order",
  "fill",
  "position",
  "trading_state",
]);

export function isTopic(name: string): name is StreamTopic {
  return TOPICS.has(name);
}

/** Decodes one SSE message; null for unknown event names or data that is not a JSON object. */
export function decodeStreamEvent(message: SseMessage): StreamEvent | null {
  if (!isTopic(message.event)) return null;
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (data === null || typeof data !== "object") return null;
  return { type: message.event, data, id: message.id } as StreamEvent;
}
