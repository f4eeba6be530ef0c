// Tests of the display formatters (exact decimal money, prices, quantities, probabilities, clock).
import { describe, expect, it } from "vitest";
import {
  formatClock,
  formatMoney,
  formatPrice,
  formatProbability,
  formatQuantity,
  formatSignedMoney,
  signClass,
} from "./format";

describe("formatMoney", () => {
  it("formats dollars with two decimals and thousands separators", () => {
    expect(formatMoney("1234.5")).toBe("$1,234.50");
    expect(formatMoney("0")).toBe("$0.00");
    expect(formatMoney("12.300000")).toBe("$12.30");
    expect(formatMoney("-0.1")).toBe("-$0.10");
  });
  it("rounds half away from zero on the decimal string, without float error", () => {
    expect(formatMoney("1.005")).toBe("$1.01"); // Number(1.005).toFixed(2) would give 1.00
    expect(formatMoney("-2.675")).toBe("-$2.68");
    expect(formatMoney("9999999.995")).toBe("$10,000,000.00");
    expect(formatMoney("-0.004")).toBe("$0.00");
  });
  it("keeps precision of huge values", () => {
    expect(formatMoney("123456789012345678.12")).toBe("$123,456,789,012,345,678.12");
  });
  it("handles missing and odd input", () => {
    expect(formatMoney(null)).toBe("—");
    expect(formatMoney(undefined)).toBe("—");
    expect(formatMoney("abc")).toBe("abc");
    expect(formatMoney(".5")).toBe("$0.50");
  });
  it("signs gains", () => {
    expect(formatSignedMoney("3.2")).toBe("+$3.20");
    expect(formatSignedMoney("-3.2")).toBe("-$3.20");
    expect(formatSignedMoney("0.000")).toBe("$0.00");
    expect(signClass("-1")).toBe("neg");
    expect(signClass("0.01")).toBe("pos");
    expect(signClass("0")).toBe("");
  });
});

describe("formatPrice / formatQuantity", () => {
  it("shows 2 to 4 decimals of a price", () => {
    expect(formatPrice("0.45")).toBe("$0.45");
    expect(formatPrice("0.455")).toBe("$0.455");
    expect(formatPrice("0.5")).toBe("$0.50");
    expect(formatPrice("0.123456")).toBe("$0.1235");
    expect(formatPrice(null)).toBe("—");
  });
  it("trims quantities exactly", () => {
    expect(formatQuantity("12.300000")).toBe("12.3");
    expect(formatQuantity("1000")).toBe("1,000");
    expect(formatQuantity("0.000")).toBe("0");
  });
});

describe("formatProbability / formatClock", () => {
  it("formats probabilities as percentages", () => {
    expect(formatProbability(0.4531)).toBe("45.3%");
    expect(formatProbability(1)).toBe("100.0%");
    expect(formatProbability(null)).toBe("—");
    expect(formatProbability(0.5, 0)).toBe("50%");
  });
  it("formats the game clock", () => {
    expect(formatClock(725)).toBe("12:05");
    expect(formatClock(59.9)).toBe("0:59");
    expect(formatClock(null)).toBe("");
  });
});
