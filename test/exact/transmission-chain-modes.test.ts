// How a long chain's modes are located (chainModes in src/exact/transmission.ts): the Laguerre steps divide out the
// neighbouring modes' current eigenvalue estimates (the modes of a window take their sweeps in turn), and isolated
// brackets are narrowed by the counts the bisection made ahead. Checked against the plain path (lowest mode first, Laguerre on the whole
// determinant, the bisection's brackets): the same modes (count and frequencies to rounding), the same current within
// the reported errors, and fewer forward sweeps (which a wrong deflation, safeguarded by the Sturm bracket, would not
// give).
import { afterEach, describe, expect, it } from "vitest";
import { chainModesTesting, solveNetworkTransmission } from "../../src/exact/transmission.js";
import type { NetworkModel } from "../../src/model/network.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { chainModel } from "../../src/studies/harmonic-conduction/study.js";

function locate(model: NetworkModel, plain: boolean) {
  let omega = new Float64Array(0);
  let bathAmp2 = new Float64Array(0);
  chainModesTesting.plainStarts = plain;
  chainModesTesting.forwardSweeps = 0;
  chainModesTesting.located = (o, b) => {
    omega = o.slice();
    bathAmp2 = b.slice();
  };
  const r = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
  return { r, omega, bathAmp2, sweeps: chainModesTesting.forwardSweeps };
}

afterEach(() => {
  chainModesTesting.plainStarts = false;
  chainModesTesting.neighbours = undefined;
  chainModesTesting.located = undefined;
});

describe("chain modes: Laguerre steps with the located neighbours divided out", () => {
  const cases = [
    { n: 2000, disorder: 0.5, boundary: "fixed", seed: 1 },
    { n: 3000, disorder: 0.5, boundary: "free", seed: 2 },
    { n: 2000, disorder: 0.9, boundary: "fixed", seed: 3 },
  ] as const;
  for (const { n, disorder, boundary, seed } of cases) {
    it(`${n} sites, masses 1 +- ${disorder * 100} %, ${boundary} ends: the plain path's modes, fewer sweeps`, () => {
      const model = chainModel(n, { ...CONDUCTION, disorder }, boundary, seed);
      const A = locate(model, true);
      const B = locate(model, false);
      expect(A.omega.length).toBeGreaterThan(500);
      expect(B.omega.length).toBe(A.omega.length);
      // Each mode the same eigenvalue: both stop after a Laguerre step below 1e-12 of it.
      for (let k = 0; k < A.omega.length; k++)
        expect(Math.abs(B.omega[k] - A.omega[k]), `mode ${k}`).toBeLessThanOrEqual(1e-12 * A.omega[k]);
      // The end amplitudes of the modes that carry the current (those localised away from an end change with the
      // eigenvalue's last bits: measured 2e-6 to 1.4e-4 of the sum here).
      let sum = 0;
      let change = 0;
      for (let k = 0; k < A.omega.length; k++) {
        const a = Math.sqrt(A.bathAmp2[2 * k] * A.bathAmp2[2 * k + 1]);
        sum += a;
        change += Math.abs(Math.sqrt(B.bathAmp2[2 * k] * B.bathAmp2[2 * k + 1]) - a);
      }
      expect(change).toBeLessThanOrEqual(1e-3 * sum);
      const [fa, fb] = [A.r.baths[0], B.r.baths[0]];
      expect(Math.abs(fb.flux - fa.flux)).toBeLessThanOrEqual(fa.error + fb.error);
      // Measured: 0.84-0.85 of the plain path's forward sweeps on these chains (0.93-0.96 with the brackets narrowed
      // but no neighbour divided out).
      expect(B.sweeps).toBeLessThanOrEqual(0.9 * A.sweeps);
    });
  }

  it("dividing out the neighbours saves sweeps beyond the narrowed brackets (4000 and 2000 sites)", () => {
    let without = 0;
    let withNeighbours = 0;
    for (const [n, disorder, seed] of [
      [4000, 0.5, 5],
      [2000, 0.9, 3],
    ]) {
      const model = chainModel(n, { ...CONDUCTION, disorder }, "fixed", seed);
      chainModesTesting.neighbours = 0;
      without += locate(model, false).sweeps;
      chainModesTesting.neighbours = undefined;
      withNeighbours += locate(model, false).sweeps;
    }
    // Measured: 7030 against 7987 sweeps (0.88).
    expect(withNeighbours).toBeLessThanOrEqual(0.93 * without);
  });
});
