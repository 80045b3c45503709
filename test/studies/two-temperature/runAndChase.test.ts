import { describe, expect, it } from "vitest";
import {
  chaseVelocityProfile, runAndChaseExact, runAndChaseModel, simulateRunAndChase, validateRunAndChaseParams,
} from "../../../src/studies/two-temperature/index.js";

const within = (m: { value: number; error: number }, exact: number, k = 4) => {
  expect(m.error).toBeGreaterThan(0);
  expect(Math.abs(m.value - exact) / m.error, `${m.value} ± ${m.error} vs ${exact}`).toBeLessThan(k);
};

describe("run-and-chase, exact (quadrature over the Boltzmann law of the separation)", () => {
  it("1D: the mean force against its closed form 2 Tm (1 - exp(-a)) / Z, a = k / (2 Tm)", () => {
    // In 1D the force integral is elementary; the normalisation Z is checked against a fine midpoint rule.
    const p = { dimension: 1 as const, Thot: 1.3, Tcold: 0.2, stiffness: 7, range: 0.8, box: 2.5 };
    const e = runAndChaseExact(p);
    const Tm = (p.Thot + p.Tcold) / 2, a = p.stiffness / (2 * Tm);
    let inside = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const u = (i + 0.5) / n;
      inside += Math.exp(-a * (1 - u) ** 2) / n;
    }
    const Z = p.box - 2 * p.range + 2 * p.range * inside;
    expect(e.meanForce).toBeCloseTo((2 * Tm * (1 - Math.exp(-a))) / Z, 9);
    expect(e.contactProbability).toBeCloseTo((2 * p.range * inside) / Z, 9);
    // The reported error estimate is honest: at least as large as the actual error, and small.
    const actual = Math.abs(e.meanForce - (2 * Tm * (1 - Math.exp(-a))) / Z) / e.meanForce;
    expect(e.quadratureError).toBeLessThan(1e-9);
    expect(actual).toBeLessThan(Math.max(10 * e.quadratureError, 1e-9));
  });

  it("no chase, no heat flow and no entropy production at equal temperatures; sigma >= 0 and symmetric in T", () => {
    const eq = runAndChaseExact({ Thot: 0.7, Tcold: 0.7 });
    expect(eq.chaseVelocity).toBe(0);
    expect(eq.heatFromHotBath).toBe(0);
    expect(eq.entropyProduction).toBe(0);
    for (const d of [1, 2, 3] as const) {
      const a = runAndChaseExact({ dimension: d, Thot: 2, Tcold: 0.5 });
      const b = runAndChaseExact({ dimension: d, Thot: 0.5, Tcold: 2 });
      expect(a.entropyProduction).toBeGreaterThan(0);
      expect(b.entropyProduction).toBeCloseTo(a.entropyProduction, 12);
      // Swapping the temperatures reverses the chase (e then points from the cold to the hot particle).
      expect(b.chaseVelocity).toBeCloseTo(-a.chaseVelocity, 12);
    }
    expect(chaseVelocityProfile({ Thot: 1, Tcold: 0.1, stiffness: 10, range: 1 }, 0.5)).toBeCloseTo((0.9 / 1.1) * 5, 12);
    expect(chaseVelocityProfile({}, 1.2)).toBe(0);
  });

  it("validates parameters with messages naming them", () => {
    expect(() => validateRunAndChaseParams({ dimension: 4 as 1 })).toThrow(/dimension \(spatial dimension\) must be 1, 2 or 3, got 4/);
    expect(() => validateRunAndChaseParams({ Tcold: 0 })).toThrow(/Tcold \(temperature of the cold particle \(kB = 1\)\) must be a number in \[1e-6, 1e6\], got 0/);
    expect(() => validateRunAndChaseParams({ box: 1.5, range: 1 })).toThrow(/box 1.5 must be at least twice the range 1/);
    expect(runAndChaseModel({ dimension: 3 }).dimension).toBe(3);
  });
});

describe("run-and-chase, simulated (stochastic engine, fixed seeds) against the exact quadrature", () => {
  for (const d of [1, 2, 3] as const) {
    it(`${d}D, T_hot / T_cold = 10: chase velocity, mean force, heat flows and entropy production within 4 error bars`, () => {
      const p = { dimension: d, Thot: 1, Tcold: 0.1 };
      const e = runAndChaseExact(p);
      const s = simulateRunAndChase(p, { time: 1500, replicas: 4, seed: 10 + d });
      within(s.chaseVelocity, e.chaseVelocity);
      within(s.meanForce, e.meanForce);
      within(s.heatFromHotBath, e.heatFromHotBath);
      within(s.heatFromColdBath, -e.heatFromHotBath);
      within(s.entropyProduction, e.entropyProduction);
      // The run-and-chase velocity is resolved, and the centre of mass itself does not drift.
      expect(s.chaseVelocity.value / s.chaseVelocity.error).toBeGreaterThan(10);
      within(s.centreOfMassDrift, 0);
    });
  }

  it("2D at equal temperatures (a nonlinear model in equilibrium): no chase, no heat flow, no entropy production", () => {
    const p = { dimension: 2 as const, Thot: 0.4, Tcold: 0.4 };
    const e = runAndChaseExact(p);
    const s = simulateRunAndChase(p, { time: 1500, replicas: 4, seed: 7 });
    within(s.chaseVelocity, 0);
    within(s.heatFromHotBath, 0);
    within(s.entropyProduction, 0);
    within(s.meanForce, e.meanForce);
  });
});
