// Reads the loosely typed `instruments` of a match (InstrumentRef dicts) into what the Matches page shows.
export interface InstrumentView {
  outcomeId: string;
  paysOn: string;
  negated: boolean;
  tickSize: string | null;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

export function readInstrument(raw: Record<string, unknown>): InstrumentView {
  return {
    outcomeId: text(raw.outcome_id) ?? "?",
    paysOn: text(raw.pays_on) ?? "?",
    negated: raw.negated === true,
    tickSize: text(raw.tick_size),
  };
}

/** "yes → home", "no → not home" */
export function describeInstrument(i: InstrumentView): string {
  return `${i.outcomeId} → ${i.negated ? "not " : ""}${i.paysOn}`;
}
