// The rounding estimates of the overdamped frequency integrals against 60-digit references
// (scripts/fuzz-exact-reference.py): the direct bath-flux integrands (beyond 32 baths) summed compensated, with the
// first-order estimate's own second-order error in the reported error.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { transmissionUnits } from "../../src/exact/solveCost.js";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { validateNetwork } from "../../src/model/network.js";

// The modal method's residuals against K exactly: test/exact/modal.test.ts (seed 202 case 56, the same network).

describe("frequency integrals beyond 32 baths, overdamped: the integrands' rounding", () => {
  // scripts/fuzz-exact-methods.js, DYN=overdamped OVER_N=33-60, seed 5, case 28: 39 sites, a bath on each. With the
  // direct bath-flux integrands summed plainly and their rounding bounded by (B + 5) eps of the terms, the median bath
  // flux error was 41.5 times the actual error; summed compensated, 15.6 (60-digit references, by eigendecomposition).
  const fix = JSON.parse(fs.readFileSync(new URL("./fixtures-overdamped-39-baths.json", import.meta.url), "utf8")) as {
    input: unknown;
    baths: number[];
    bathsLo: number[];
    springs: number[];
    springsLo: number[];
  };
  // |value - reference| with the reference in double-double (value - hi exact where they are close).
  const off = (v: number, hi: number, lo: number) => Math.abs(v - hi - lo);
  it("every flux within its error; the bath-flux errors a median of under 25 times the actual", () => {
    const r = solveNetworkTransmission(validateNetwork(fix.input));
    expect(r.baths.length).toBe(39);
    const ratios: number[] = [];
    r.baths.forEach((b, k) => {
      const d = off(b.flux, fix.baths[k], fix.bathsLo[k]);
      expect(d).toBeLessThanOrEqual(b.error);
      if (d > 0) ratios.push(b.error / d);
    });
    r.springs.forEach((s, k) => expect(off(s.flux, fix.springs[k], fix.springsLo[k])).toBeLessThanOrEqual(s.error!));
    ratios.sort((a, b) => a - b);
    expect(ratios.length).toBeGreaterThan(20);
    expect(ratios[ratios.length >> 1]).toBeLessThan(25);
  });
});

describe("--method auto's operation count of the frequency integrals, overdamped", () => {
  // Beyond 32 baths the columns solved are those away from the most common temperature, each with the rounding
  // estimate's second solve and double-double residual: 40 baths at 40 temperatures cost more than 40 baths of which
  // 39 share one (the count took min(B, 32) columns for both before).
  const chain = (temps: number[]) =>
    validateNetwork({
      kind: "network",
      dynamics: "overdamped",
      sites: temps.length,
      pinning: 0.1,
      springs: temps.slice(1).map((_, k) => ({ between: [k + 1, k + 2], stiffness: 1 })),
      baths: temps.map((t, k) => ({ site: k + 1, friction: 1, temperature: t })),
    });
  it("counts the columns solved and their rounding estimate", () => {
    const many = chain(Array.from({ length: 40 }, (_, k) => 1 + k));
    const one = chain(Array.from({ length: 40 }, (_, k) => (k === 0 ? 2 : 1)));
    const units = (m: ReturnType<typeof chain>) => (m.kind === "network" ? transmissionUnits(m, 40) : 0);
    expect(units(many)).toBeGreaterThan(5 * units(one));
  });
});
