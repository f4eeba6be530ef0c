// Tests of how a match's instruments are described on the Matches page.
import { describe, expect, it } from "vitest";
import { describeInstrument, readInstrument } from "./instruments";

describe("describeInstrument", () => {
  it("says which result a Kalshi outcome pays on, negated as 'not'", () => {
    expect(describeInstrument(readInstrument({ outcome_id: "yes", pays_on: "home" }))).toBe("yes → home");
    expect(describeInstrument(readInstrument({ outcome_id: "no", pays_on: "home", negated: true }))).toBe("no → not home");
  });

  it("shortens a 77-digit Polymarket token id to its ends", () => {
    const token = "29813279820503788956503301479339388403775615868498291547035053357527859940531";
    expect(describeInstrument(readInstrument({ outcome_id: token, pays_on: "away" }))).toBe("298132…940531 → away");
  });
});
