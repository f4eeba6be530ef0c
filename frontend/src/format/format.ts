// Display formatters: money in dollars (2 decimals, exact), prices, quantities, probabilities, times and game clocks.
import { decimalSign, groupThousands, parseDecimal, roundDecimal } from "./decimal";

const DASH = "—";

/** "$1,234.57" / "-$0.10" from an exact decimal string; "—" for null/empty; the raw text if unparsable. */
export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return DASH;
  const parsed = parseDecimal(value);
  if (!parsed) return value;
  const r = roundDecimal(parsed, 2);
  return `${r.negative ? "-" : ""}$${groupThousands(r.int)}.${r.frac}`;
}

/** Money with an explicit "+" for gains. */
export function formatSignedMoney(value: string | null | undefined): string {
  const text = formatMoney(value);
  return decimalSign(value) > 0 ? `+${text}` : text;
}

/** A contract price in dollars: at least 2 decimals, up to 4 when the value has them ("$0.455"). */
export function formatPrice(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return DASH;
  const parsed = parseDecimal(value);
  if (!parsed) return value;
  const r = roundDecimal(parsed, 4);
  const frac = r.frac.replace(/0+$/, "").padEnd(2, "0");
  return `${r.negative ? "-" : ""}$${groupThousands(r.int)}.${frac}`;
}

/** A quantity without trailing zeros ("12.300000" → "12.3"), exact. */
export function formatQuantity(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return DASH;
  const parsed = parseDecimal(value);
  if (!parsed) return value;
  const frac = parsed.frac.replace(/0+$/, "");
  const isZero = /^0*$/.test(parsed.int + frac);
  return `${parsed.negative && !isZero ? "-" : ""}${groupThousands(parsed.int)}${frac ? `.${frac}` : ""}`;
}

/** A probability 0..1 as a percentage with one decimal ("45.3%"). */
export function formatProbability(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A decimal-string price 0..1 read as a probability ("0.455" → "45.5%"); Number is fine for one decimal of a %. */
export function formatPriceAsProbability(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return DASH;
  return formatProbability(Number(value));
}

/** Local date and time, short ("Mar 4, 19:05:03"). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
}

/** Local time of day ("19:05:03"). */
export function formatTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === "") return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

/** Game clock in m:ss from seconds remaining. */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** CSS class for a signed amount: "pos", "neg" or "". */
export function signClass(value: string | null | undefined): string {
  const sign = decimalSign(value);
  return sign > 0 ? "pos" : sign < 0 ? "neg" : "";
}
