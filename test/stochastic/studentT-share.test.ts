/**
 * The resolved threshold at a share of its false-alarm rate (src/studentT.ts), for decisions at several pre-declared
 * looks (Bonferroni): checked against Student's tail itself and, for the normal limit, against a quadrature of the
 * normal density.
 */
import { describe, expect, it } from "vitest";
import {
  confidenceStandardErrors,
  RESOLVED_NORMAL_Z,
  resolvedNormalZ,
  resolvedStandardErrors,
  studentTwoSidedTail,
} from "../../src/studentT.js";
import { ModelError } from "../../src/errors.js";

/** P(Z > z) of a standard normal by Simpson's rule on [z, z + 12] (independent of the module's continued fraction). */
function normalTailByQuadrature(z: number): number {
  const n = 20000,
    h = 12 / n;
  const f = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  let s = f(z) + f(z + 12);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(z + i * h);
  return (s * h) / 3;
}

describe("resolvedStandardErrors(n, share): the threshold at a share of the false-alarm rate", () => {
  it("share 1 is the single rule; a share s has s times its two-sided tail", () => {
    expect(resolvedStandardErrors(16, 1)).toBe(resolvedStandardErrors(16));
    expect(resolvedStandardErrors(16).toFixed(2)).toBe("5.48");
    for (const n of [4, 12, 24, 64])
      for (const s of [0.5, 0.25, 0.1]) {
        const single = studentTwoSidedTail(resolvedStandardErrors(n), n - 1);
        const shared = studentTwoSidedTail(resolvedStandardErrors(n, s), n - 1);
        expect(shared / single).toBeCloseTo(s, 9);
        expect(resolvedStandardErrors(n, s)).toBeGreaterThan(resolvedStandardErrors(n));
      }
    // The two looks of fig7's stiff pair (12 and 24 replicas, half the rate at each).
    expect(resolvedStandardErrors(12, 0.5).toFixed(2)).toBe("6.75");
    expect(resolvedStandardErrors(24, 0.5).toFixed(2)).toBe("5.16");
  });

  it("the normal limit: resolvedNormalZ(s) has s times the tail of 4 normal standard errors", () => {
    expect(resolvedNormalZ()).toBe(RESOLVED_NORMAL_Z);
    const tail4 = normalTailByQuadrature(RESOLVED_NORMAL_Z);
    for (const s of [0.5, 0.2]) {
      const z = resolvedNormalZ(s);
      expect(normalTailByQuadrature(z) / tail4).toBeCloseTo(s, 8);
      // Student's threshold falls towards it as the values grow (df capped at 1000).
      expect(resolvedStandardErrors(2000, s) / z - 1).toBeGreaterThan(0);
      expect(resolvedStandardErrors(2000, s) / z - 1).toBeLessThan(0.01);
    }
  });

  it("refuses degrees of freedom that are not a positive integer, and a t that is not a number (ModelError)", () => {
    for (const df of [0, -1, 1.5, Number.NaN]) expect(() => studentTwoSidedTail(1, df)).toThrow(ModelError);
    expect(() => studentTwoSidedTail(Number.NaN, 3)).toThrow(ModelError);
    expect(studentTwoSidedTail(-Infinity, 3)).toBe(0);
  });

  it("refuses a share outside (0, 1]", () => {
    for (const s of [0, -0.5, 1.5, Number.NaN]) {
      expect(() => resolvedStandardErrors(16, s)).toThrow(ModelError);
      expect(() => resolvedNormalZ(s)).toThrow(ModelError);
    }
  });
});

describe("confidenceStandardErrors(n, confidence): the one-sided Student-t quantile", () => {
  it("matches the closed forms for 1 and 2 degrees of freedom, the tail elsewhere, and the normal limit", () => {
    for (const p of [0.9, 0.95, 0.99]) {
      // 1 degree of freedom (Cauchy): t = tan(pi (p - 1/2)); 2: t = (2p - 1) sqrt(2 / (4 p (1 - p))).
      expect(confidenceStandardErrors(2, p)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      expect(confidenceStandardErrors(3, p)).toBeCloseTo((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 9);
      for (const n of [4, 8, 16, 64])
        expect(studentTwoSidedTail(confidenceStandardErrors(n, p), n - 1) / 2).toBeCloseTo(1 - p, 11);
    }
    // The normal's 1.6449 at 95% (1000 degrees of freedom: within 0.2%), below any resolution threshold.
    expect(confidenceStandardErrors(2000, 0.95)).toBeCloseTo(1.6449, 2);
    expect(normalTailByQuadrature(confidenceStandardErrors(2000, 0.95))).toBeCloseTo(0.05, 3);
    expect(confidenceStandardErrors(4).toFixed(3)).toBe("2.353");
    expect(confidenceStandardErrors(8).toFixed(3)).toBe("1.895");
    expect(confidenceStandardErrors(1)).toBe(Infinity);
    expect(confidenceStandardErrors(8, 0.5)).toBe(0);
    expect(() => confidenceStandardErrors(8, 1)).toThrow(ModelError);
    expect(() => confidenceStandardErrors(8, 0.4)).toThrow(ModelError);
  });
});
