// Exact decimal-string arithmetic for display: rounding and grouping without going through floating point.
export interface ParsedDecimal {
  negative: boolean;
  int: string;
  frac: string;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

export function parseDecimal(value: string): ParsedDecimal | null {
  const match = DECIMAL.exec(value.trim());
  if (!match) return null;
  const int = (match[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
  const frac = match[3] ?? "";
  if (!match[2] && !frac) return null;
  return { negative: match[1] === "-", int, frac };
}

function incrementDigits(digits: string): string {
  const out = digits.split("");
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === "9") {
      out[i] = "0";
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join("");
    }
  }
  return `1${out.join("")}`;
}

/** Rounds half away from zero to `places` decimals; returns the pieces (sign kept only when non-zero). */
export function roundDecimal(value: ParsedDecimal, places: number): ParsedDecimal {
  const padded = value.frac.padEnd(places + 1, "0");
  let digits = value.int + padded.slice(0, places);
  if (Number(padded[places] ?? "0") >= 5) digits = incrementDigits(digits);
  const intLen = digits.length - places;
  const int = digits.slice(0, intLen).replace(/^0+(?=\d)/, "") || "0";
  const frac = digits.slice(intLen);
  const isZero = /^0*$/.test(int + frac);
  return { negative: value.negative && !isZero, int, frac };
}

export function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** -1, 0 or 1 for a decimal string (0 for unparsable input). */
export function decimalSign(value: string | null | undefined): -1 | 0 | 1 {
  if (value === null || value === undefined) return 0;
  const parsed = parseDecimal(value);
  if (!parsed || /^0*$/.test(parsed.int + parsed.frac)) return 0;
  return parsed.negative ? -1 : 1;
}
