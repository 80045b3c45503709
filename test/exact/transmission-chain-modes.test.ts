// How a long chain's modes are located (chainModes in src/exact/transmission.ts): the Laguerre steps divide out the
// neighbouring modes' current eigenvalue estimates (the modes of a window take their sweeps in turn), and isolated
// brackets are narrowed by the counts the bisection made ahead. Checked against the plain path (lowest mode first, Laguerre on the whole
// determinant, the bisection's brackets): the same modes (count and frequencies to rounding), the same current within
// the reported errors, and fewer forward sweeps (which a wrong deflation, safeguarded by the Sturm bracket, would not
// give).
import { afterEach, describe, expect, it } from "vitest";
import { chainModesTesting, chainPolesTesting, solveNetworkTransmission } from "../../src/exact/transmission.js";
import { symmetricEigen } from "../../src/linalg/eigen.js";
import { matrix } from "../../src/linalg/matrix.js";
import type { NetworkModel } from "../../src/model/network.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { chainModel } from "../../src/studies/harmonic-conduction/study.js";

/** The dense eigen-decomposition of M^-1/2 V M^-1/2 (sites in chain order, the baths at the first and last). */
function denseModes(model: NetworkModel) {
  const n = model.sites.length;
  const a = matrix(n, n);
  const v = Float64Array.from(model.pinning);
  for (const sp of model.springs) {
    v[sp.i] += sp.stiffness;
    v[sp.j] += sp.stiffness;
    const x = -sp.stiffness / Math.sqrt(model.mass[sp.i] * model.mass[sp.j]);
    a.data[sp.i * n + sp.j] = x;
    a.data[sp.j * n + sp.i] = x;
  }
  for (let i = 0; i < n; i++) a.data[i * n + i] = v[i] / model.mass[i];
  return symmetricEigen(a);
}

function locate(model: NetworkModel, plain: boolean) {
  let omega = new Float64Array(0);
  let bathAmp2 = new Float64Array(0);
  chainModesTesting.plainStarts = plain;
  // Every mode located (none left unlocated for its product bound: those get the bracket's midpoint).
  chainModesTesting.unlocate = false;
  chainModesTesting.forwardSweeps = 0;
  chainModesTesting.located = (o, b) => {
    omega = o.slice();
    bathAmp2 = b.slice();
  };
  const r = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
  return { r, omega, bathAmp2, sweeps: chainModesTesting.forwardSweeps };
}

afterEach(() => {
  chainModesTesting.productBound = true;
  chainModesTesting.unlocate = true;
  chainModesTesting.unlocatedWidth = undefined;
  chainPolesTesting.checked = undefined;
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

describe("chain modes: the bound on u_0 u_n from the determinants at the bracket's ends", () => {
  it("400 sites: above every mode's |u_0 u_n| from a dense eigen-decomposition, and close to it", () => {
    const model = chainModel(400, { ...CONDUCTION, disorder: 0.5 }, "fixed", 11);
    const n = model.sites.length;
    const { values, vectors } = denseModes(model);
    let bounds = new Float64Array(0);
    let omega = new Float64Array(0);
    chainModesTesting.unlocate = false;
    chainModesTesting.located = (o, _amp, b) => {
      omega = o.slice();
      bounds = b.slice();
    };
    solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
    expect(omega.length).toBeGreaterThan(100);
    let checked = 0;
    let tight = 0;
    let finite = 0;
    for (let k = 0; k < omega.length; k++) {
      expect(Math.abs(omega[k] - Math.sqrt(values[k]))).toBeLessThanOrEqual(1e-10 * omega[k]);
      const product = Math.abs(
        (vectors.data[k] * vectors.data[(n - 1) * n + k]) / Math.sqrt(model.mass[0] * model.mass[n - 1]),
      );
      if (!Number.isFinite(bounds[k])) continue;
      finite++;
      // Above the dense eigenvectors' rounding floor: the bound holds, and is within e^6 of the product.
      if (product > 1e-11) {
        checked++;
        expect(bounds[k], `mode ${k}`).toBeGreaterThanOrEqual(product);
        if (bounds[k] <= Math.exp(6) * product) tight++;
      } else expect(bounds[k] > 1e-9, `mode ${k}: bound ${bounds[k]}, product ${product}`).toBe(false);
    }
    expect(checked).toBeGreaterThan(50);
    expect(tight).toBeGreaterThan(0.9 * checked);
    // The brackets ending at a window's end (no count made there) have none: here, ~1 mode per window, 148 of
    // the 259 modes have one (on long chains nearly all).
    expect(finite).toBeGreaterThan(0.4 * omega.length);
  });

  it("2000 sites: modes with an end weight at its rounding floor get no pole; the current within the errors", () => {
    const model = chainModel(2000, { ...CONDUCTION, disorder: 0.9 }, "fixed", 3);
    chainModesTesting.productBound = false;
    const A = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
    chainModesTesting.productBound = true;
    const B = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
    expect(B.modes.count).toBe(A.modes.count);
    expect(B.modes.poles!).toBeLessThan(0.95 * A.modes.poles!);
    const [fa, fb] = [A.baths[0], B.baths[0]];
    expect(Math.abs(fb.flux - fa.flux)).toBeLessThanOrEqual(fa.error + fb.error);
  });
});

describe("chain modes: modes whose product bound makes them negligible are left unlocated", () => {
  it("800 sites: each within its bracket, its |u_0 u_n| below its bound; the current within the errors; fewer sweeps", () => {
    const model = chainModel(800, { ...CONDUCTION, disorder: 0.5 }, "fixed", 11);
    const n = model.sites.length;
    const { values, vectors } = denseModes(model);
    const run = (unlocate: boolean, tolerance: number) => {
      chainModesTesting.unlocate = unlocate;
      chainModesTesting.forwardSweeps = 0;
      let omega = new Float64Array(0);
      let bounds = new Float64Array(0);
      let unlocated = new Uint8Array(0);
      chainModesTesting.located = (o, _amp, b, u) => {
        omega = o.slice();
        bounds = b.slice();
        unlocated = u.slice();
      };
      const r = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance });
      return { r, omega, bounds, unlocated, sweeps: chainModesTesting.forwardSweeps };
    };
    const A = run(false, 1e-8);
    const B = run(true, 1e-8);
    const ref = run(false, 1e-11);
    expect(B.omega.length).toBe(A.omega.length);
    let left = 0;
    for (let k = 0; k < B.omega.length; k++) {
      if (!B.unlocated[k]) {
        // A located mode: the same eigenvalue as when every mode is located.
        expect(Math.abs(B.omega[k] - A.omega[k]), `mode ${k}`).toBeLessThanOrEqual(1e-10 * A.omega[k]);
        continue;
      }
      left++;
      // The bracket's midpoint: between the neighbouring eigenvalues (the dense decomposition's).
      if (k > 0) expect(B.omega[k]).toBeGreaterThan(Math.sqrt(values[k - 1]));
      if (k + 1 < n) expect(B.omega[k]).toBeLessThan(Math.sqrt(values[k + 1]));
      const product = Math.abs(
        (vectors.data[k] * vectors.data[(n - 1) * n + k]) / Math.sqrt(model.mass[0] * model.mass[n - 1]),
      );
      // The bound (with its margin of 10) above the dense product wherever that is above the dense rounding floor.
      if (product > 1e-13) expect(B.bounds[k], `mode ${k}`).toBeGreaterThanOrEqual(product);
      else expect(B.bounds[k]).toBeLessThan(1e-9);
    }
    // Measured: 53 of the 493 modes below the cutoff left unlocated (64, forward sweeps 1702 -> 1494, without the
    // bound on their half-widths).
    expect(left).toBeGreaterThan(30);
    expect(B.sweeps).toBeLessThan(0.93 * A.sweeps);
    // The current within the reported errors: against every mode located, and against the tolerance 1e-11.
    const [fa, fb, fr] = [A.r.baths[0], B.r.baths[0], ref.r.baths[0]];
    expect(Math.abs(fb.flux - fa.flux)).toBeLessThanOrEqual(fa.error + fb.error);
    expect(Math.abs(fb.flux - fr.flux)).toBeLessThanOrEqual(fb.error + fr.error);
    expect(B.r.warnings).toEqual(A.r.warnings);
  });
});

describe("chain modes: a mode is left unlocated only where a bound on its half-width makes it narrow", () => {
  it("800 sites: every unlocated mode's half-width (dense decomposition) below its bound, the bound below 1 % of the phase grid", () => {
    const model = chainModel(800, { ...CONDUCTION, disorder: 0.5 }, "fixed", 11);
    const n = model.sites.length;
    const { vectors } = denseModes(model);
    const [g0, g1] = model.baths.map((b) => b.friction);
    // The first-order half-width (gamma_0 u_0^2 + gamma_n u_n^2) / 2, u the mass-weighted mode.
    const halfWidth = (k: number) =>
      0.5 *
      ((g0 * vectors.data[k] ** 2) / model.mass[0] + (g1 * vectors.data[(n - 1) * n + k] ** 2) / model.mass[n - 1]);
    const run = (widthBound: boolean) => {
      chainModesTesting.unlocatedWidth = widthBound ? undefined : false;
      let unlocated = new Uint8Array(0);
      let checked = [NaN, NaN, NaN];
      chainModesTesting.located = (_o, _amp, _b, u) => {
        unlocated = u.slice();
      };
      chainPolesTesting.checked = (added, missing, unchecked) => {
        checked = [added, missing, unchecked];
      };
      const r = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
      return { r, unlocated, checked };
    };
    const A = run(false);
    const B = run(true);
    const top = B.r.screen!.cutoff;
    // Broadest unlocated mode: without the bound one of 0.04 (1.6 grid intervals of top / 64), localised at an end.
    const broadest = (u: Uint8Array) => Math.max(...Array.from(u).map((x, k) => (x ? halfWidth(k) : 0)));
    expect(broadest(A.unlocated)).toBeGreaterThan(top / 64);
    let left = 0;
    for (let k = 0; k < B.unlocated.length; k++) if (B.unlocated[k]) left++;
    // Measured: 53 of the 64 modes left unlocated without the bound.
    expect(left).toBeGreaterThan(30);
    expect(broadest(B.unlocated)).toBeLessThanOrEqual((0.01 * top) / 64);
    // Every interval of the phase check looked into, no drop unexplained; the current within the errors.
    expect(B.checked.slice(1)).toEqual([0, 0]);
    expect(B.r.warnings).toEqual([]);
    const [fa, fb] = [A.r.baths[0], B.r.baths[0]];
    expect(Math.abs(fb.flux - fa.flux)).toBeLessThanOrEqual(fa.error + fb.error);
  });
});
