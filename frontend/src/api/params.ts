// Narrowing of free-form filter values (URL query, inputs) to the enums the API's query parameters accept.
export const VENUES = ["kalshi", "polymarket"] as const;
export const SIGNAL_KINDS = ["model_edge", "arbitrage", "exit"] as const;
export const DECISIONS = ["approved", "denied"] as const;
export const POSITION_STATUSES = ["open", "closed", "settled"] as const;
export const MATCH_STATUSES = ["matched", "refused"] as const;

/** `value` when it is one of `allowed`, else undefined (the parameter is then left out). */
export function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** A trimmed non-empty string, else undefined. */
export function nonEmpty(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
