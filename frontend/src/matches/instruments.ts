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

/** Long ids (Polymarket token ids are 77 digits) as "first…last" so the row stays readable. */
function shortOutcome(id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 6)}…${id.slice(-6)}`;
}

/** "yes → home", "no → not home", "298132…994053 → away" */
export function describeInstrument(i: InstrumentView): string {
  return `${shortOutcome(i.outcomeId)} → ${i.negated ? "not " : ""}${i.paysOn}`;
}
