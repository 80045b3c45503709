// Closed forms of Boffi & De Gregorio 2024 (as corrected in docs/corrections.md) against the exact engine (Lyapunov equation), the
// general network engine, equilibrium statistical mechanics and the paper's quoted numbers.
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../../src/exact/network.js";
import { validateNetwork } from "../../../src/model/network.js";
import {
  closedFormCovariance,
  COVARIANCE_COLUMNS,
  detailedBalanceMatrix,
  elementDeviation,
  lyapunovCovariance,
  lyapunovCovarianceInto,
  oscillatorPairProblem,
  lorentzianFactor,
  physicalSteadyState,
  resonanceDenominator,
  sigma11Eq29,
  sigma11Equilibrium,
  sigma11HighQ,
  sigma11HighQAtResonance,
  sigma11HighQEquilibrium,
  sigma11HighQNonequilibrium,
  sigma11Nonequilibrium,
  sigma22Equilibrium,
  steadyState,
  stiffnessDeterminant,
  type DimensionlessParameters,
} from "../../../src/studies/variance-resonance/index.js";
import { rng } from "../../helpers/random.js";

/** Random parameters spanning weak to strong coupling, low to high quality factors, either temperature order. */
function randomParameters(r: () => number): DimensionlessParameters {
  return {
    k: 0.05 + 2.95 * r(),
    k0: 10 ** (-3 + 4 * r()),
    q: 10 ** (-0.5 + 4 * r()),
    T1: 0.1 + 20 * r(),
    T2: 0.1 + 20 * r(),
  };
}

describe("the two oscillators as a linear SDE problem", () => {
  it("have the drift and diffusion of the equations of motion (u'' = -V u - u'/q + noise, written out by hand)", () => {
    const p = { k: 0.7, k0: 0.3, q: 5, T1: 2, T2: 0.5 };
    const { problem } = oscillatorPairProblem(p);
    // dy = -A y dt + B dW with y = (u1, u2, v1, v2): du = v dt; dv = -V u dt - v/q dt + sqrt(2 T / q) dW.
    expect(Array.from(problem.drift.data)).toEqual([
      0,
      0,
      -1,
      0,
      0,
      0,
      0,
      -1,
      p.k + p.k0,
      -p.k0,
      1 / p.q,
      0,
      -p.k0,
      1 + p.k0,
      0,
      1 / p.q,
    ]);
    expect(Array.from(problem.diffusion.data)).toEqual([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (2 * p.T1) / p.q,
      0,
      0,
      0,
      0,
      (2 * p.T2) / p.q,
    ]);
    expect(problem.stateNames).toEqual(["q:1", "q:2", "p:1", "p:2"]);
  });

  it("the in-place sweep solver and stationary(problem) agree (two methods of the exact engine)", () => {
    const r = rng(12);
    for (let t = 0; t < 20; t++) {
      const p = randomParameters(r);
      const one = lyapunovCovariance(p).matrix;
      const x = new Float64Array(16);
      lyapunovCovarianceInto(p, x);
      const scale = Math.max(...Array.from(one, Math.abs));
      for (let k = 0; k < 16; k++) expect(Math.abs(x[k] - one[k])).toBeLessThan(1e-9 * scale);
    }
  });
});

describe("closed forms against the Lyapunov solution", () => {
  it("agree element by element over random parameters (relative 1e-9 where conditioning allows)", () => {
    const r = rng(20240087);
    let worst = 0;
    for (let trial = 0; trial < 400; trial++) {
      const p = randomParameters(r);
      const exact = lyapunovCovariance(p);
      expect(exact.residual).toBeLessThan(1e-13);
      const closed = closedFormCovariance(p);
      for (const key of COVARIANCE_COLUMNS) {
        const d = elementDeviation(closed, exact.covariance, key);
        worst = Math.max(worst, d);
        expect(d, `${key} at ${JSON.stringify(p)}`).toBeLessThan(1e-9);
      }
      // The structural zeros of eq. 28.
      expect(Math.abs(exact.matrix[2])).toBeLessThan(1e-9 * Math.sqrt(exact.matrix[0] * exact.matrix[10]));
      expect(Math.abs(exact.matrix[7])).toBeLessThan(1e-9 * Math.sqrt(exact.matrix[5] * exact.matrix[15]));
    }
    // Observed: about 1e-11 at worst (sigma34 when T1 ~ T2, where it nearly vanishes), 1e-14 for the variances.
    expect(worst).toBeLessThan(1e-10);
  });

  it("eq. 29 as printed (A, B, C) equals the decomposition of eq. 31", () => {
    const r = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const p = randomParameters(r);
      const split = sigma11Equilibrium(p, p.T1) + sigma11Nonequilibrium(p);
      expect(sigma11Eq29(p)).toBeCloseTo(split, 10 - Math.max(0, Math.ceil(Math.log10(split))));
      expect(Math.abs(sigma11Eq29(p) - split) / split).toBeLessThan(1e-11);
    }
  });

  it("equilibrium (T1 = T2 = T): eq. 30, sigma = T V^-1, equipartition of the velocities, no flux", () => {
    const r = rng(11);
    for (let trial = 0; trial < 100; trial++) {
      const T = 0.1 + 10 * r();
      const p = { ...randomParameters(r), T1: T, T2: T };
      const c = lyapunovCovariance(p).covariance;
      const D = stiffnessDeterminant(p);
      expect(c.sigma11).toBeCloseTo(((1 + p.k0) * T) / D, 8);
      expect(Math.abs(c.sigma11 / sigma11Equilibrium(p, T) - 1)).toBeLessThan(1e-9 * Math.max(1, p.q));
      expect(Math.abs(c.sigma22 / sigma22Equilibrium(p, T) - 1)).toBeLessThan(1e-9 * Math.max(1, p.q));
      expect(Math.abs(c.sigma12 / ((p.k0 * T) / D) - 1)).toBeLessThan(1e-9 * Math.max(1, p.q));
      expect(Math.abs(c.sigma33 / T - 1)).toBeLessThan(1e-9 * Math.max(1, p.q));
      expect(Math.abs(c.sigma44 / T - 1)).toBeLessThan(1e-9 * Math.max(1, p.q));
      expect(Math.abs(c.sigma23)).toBeLessThan(1e-9 * T * Math.max(1, p.q));
      expect(Math.abs(c.sigma34)).toBeLessThan(1e-9 * T * Math.max(1, p.q));
    }
  });

  it("eq. 30 is monotonically decreasing in k (no resonance at equilibrium)", () => {
    let prev = Infinity;
    for (let k = 0; k <= 2; k += 0.01) {
      const v = sigma11Equilibrium({ k, k0: 0.01 }, 1);
      expect(v).toBeLessThan(prev);
      prev = v;
    }
  });
});

describe("the paper's numbers and the corrected misprints", () => {
  const fig4 = { k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 };

  it("Figure 4: sigma11(k = 1) is close to 5.94, just under the mean temperature 6", () => {
    const s = steadyState(fig4);
    expect(s.covariance.sigma11).toBeCloseTo(5.94, 2);
    expect(s.covariance.sigma11).toBeLessThan(6);
    // eq. 49 is the q -> infinity value; at q = 4000 the difference is O(1/(k0 q)^2).
    expect(Math.abs(s.covariance.sigma11 / sigma11HighQAtResonance(0.01, 1, 11) - 1)).toBeLessThan(1e-3);
    // Figure 5 (T1 = 11, T2 = 1): the dip reaches about the same value (eq. 49 is symmetric in T1, T2; q is finite).
    expect(steadyState({ ...fig4, T1: 11, T2: 1 }).covariance.sigma11).toBeCloseTo(5.94, 2);
  });

  it("q is the quality factor Q2 itself: reading eq. 29's q as Q2^2 would not give Figure 4's 5.94", () => {
    const asSquare = closedFormCovariance({ ...fig4, q: Math.sqrt(4000) }).sigma11;
    expect(Math.abs(asSquare - 5.94)).toBeGreaterThan(0.5);
  });

  it("eq. 41 corrected: sigma34 = q (k - 1) sigma23 / 2, not q (k^2 - 1) sigma23 / 2", () => {
    for (const k of [0.5, 0.9, 1.2, 1.7]) {
      const c = lyapunovCovariance({ ...fig4, k }).covariance;
      expect(c.sigma34).toBeCloseTo((fig4.q * (k - 1) * c.sigma23) / 2, 8);
      expect(Math.abs(c.sigma34 - (fig4.q * (k * k - 1) * c.sigma23) / 2)).toBeGreaterThan(0.1 * Math.abs(c.sigma34));
      // eq. 38 and eq. 36
      expect(c.sigma23).toBeCloseTo(
        (2 * fig4.q * fig4.k0 * (fig4.T2 - fig4.T1)) / resonanceDenominator({ ...fig4, k }),
        10,
      );
      expect(c.sigma33 - fig4.T1).toBeCloseTo(fig4.q * fig4.k0 * c.sigma23, 7);
    }
  });

  it("eqs. 44-47 at large q: eq. 46 corrected ((1 + k0) T1, not (1 + k) T1) makes eq. 46 + eq. 47 = eq. 44", () => {
    const r = rng(3);
    for (let trial = 0; trial < 50; trial++) {
      const p = { k: 0.05 + 2 * r(), k0: 10 ** (-2.5 + 3 * r()), T1: 0.5 + 10 * r(), T2: 0.5 + 10 * r() };
      const sum = sigma11HighQEquilibrium(p) + sigma11HighQNonequilibrium(p);
      expect(sum / sigma11HighQ(p)).toBeCloseTo(1, 12);
      const misprinted = ((1 + p.k) * p.T1) / stiffnessDeterminant(p) + sigma11HighQNonequilibrium(p);
      if (Math.abs(p.k - p.k0) > 0.05) expect(Math.abs(misprinted / sigma11HighQ(p) - 1)).toBeGreaterThan(1e-3);
      // eq. 44 is the q -> infinity limit of the exact solution.
      const exact = closedFormCovariance({ ...p, q: 1e7 }).sigma11;
      expect(exact / sigma11HighQ(p)).toBeCloseTo(1, 6);
    }
    // eq. 49, and the limits of eqs. 50-51.
    expect(sigma11HighQ({ k: 1, k0: 0.3, T1: 1, T2: 11 })).toBeCloseTo(sigma11HighQAtResonance(0.3, 1, 11), 12);
    expect(sigma11HighQAtResonance(1e-6, 1, 11)).toBeCloseTo(6, 4);
    expect(sigma11HighQAtResonance(1e6, 1, 11)).toBeCloseTo(3, 4);
    expect(lorentzianFactor(1, 0.01)).toBeCloseTo(4e-4, 15);
  });

  it("eqs. 44 and 47 at k = 1 for a coupling so weak that k0^2 underflows (was 0/0 = NaN)", () => {
    // At k = 1 the factor k0^2 / ((1 - k)^2 + 4 k0^2) is 1/4 for every k0 > 0: eq. 47 is (1 + k0) (T2 - T1) / (2 D)
    // with D = 1 + 2 k0, and eq. 44 is eq. 49.
    for (const k0 of [1e-3, 1e-100, 1e-200]) {
      const D = 1 + 2 * k0;
      expect(sigma11HighQNonequilibrium({ k: 1, k0, T1: 1, T2: 11 })).toBeCloseTo(((1 + k0) * 10) / (2 * D), 12);
      expect(sigma11HighQ({ k: 1, k0, T1: 1, T2: 11 })).toBeCloseTo(sigma11HighQAtResonance(k0, 1, 11), 12);
    }
  });
});

describe("fluxes and detailed balance (Section 5.2, eqs. 32-41)", () => {
  it("energy is conserved, flows from hot to cold, and entropy production is positive", () => {
    const r = rng(99);
    for (let trial = 0; trial < 100; trial++) {
      const p = randomParameters(r);
      const s = steadyState(p);
      const f = s.fluxes;
      const scale = Math.abs(f.bathToOscillator1) + Math.abs(f.bathToOscillator2) + 1e-300;
      expect(Math.abs(f.bathToOscillator1 + f.bathToOscillator2) / scale).toBeLessThan(1e-6);
      expect(Math.abs(f.bathToOscillator1 - f.spring1to2) / scale).toBeLessThan(1e-6); // eq. 36 / eq. 37
      if (p.T2 > p.T1) expect(f.spring1to2).toBeLessThan(0);
      if (p.T1 > p.T2) expect(f.spring1to2).toBeGreaterThan(0);
      expect(s.entropyProduction).toBeGreaterThanOrEqual(-1e-12);
    }
  });

  it("eq. 39: B B^T - A S - eps A eps S = (2/q) [..., -s23, -q k0 s23, -s34; s23, 0, -s34, q k0 s23]", () => {
    const p = { k: 0.97, k0: 0.02, q: 300, T1: 1, T2: 11 };
    const s = steadyState(p);
    const m = detailedBalanceMatrix(p, s.matrix);
    const c = s.covariance;
    const f = 2 / p.q;
    const expected = [
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      -f * c.sigma23,
      -f * p.q * p.k0 * c.sigma23,
      -f * c.sigma34,
      f * c.sigma23,
      0,
      -f * c.sigma34,
      f * p.q * p.k0 * c.sigma23,
    ];
    for (let i = 0; i < 16; i++) expect(m[i]).toBeCloseTo(expected[i], 10);
    const eq = steadyState({ ...p, T2: 1 });
    expect(eq.detailedBalance.residualNorm).toBeLessThan(1e-12);
  });
});

describe("the two-oscillator system as a 2-site network (general exact engine)", () => {
  it("gives the same physical covariance and fluxes as the dimensionless fast path", () => {
    const mech = { m: 2.5, k1: 3.1, k2: 3, K: 0.05, gamma: 0.02, T1: 1.5, T2: 7, L: 0.3 };
    const net = solveNetwork(
      validateNetwork({
        kind: "network",
        sites: ["1", "2"],
        masses: mech.m,
        pinning: { 1: mech.k1, 2: mech.k2 },
        springs: [{ between: ["1", "2"], stiffness: mech.K }],
        baths: [
          { site: "1", friction: mech.gamma, temperature: mech.T1 },
          { site: "2", friction: mech.gamma, temperature: mech.T2 },
        ],
      }),
    );
    const { physical } = physicalSteadyState(mech);
    const S = net.covariance.data; // (x1, x2, p1, p2), p = m v
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(rel(physical.x1x1, S[0])).toBeLessThan(1e-9);
    expect(rel(physical.x1x2, S[1])).toBeLessThan(1e-9);
    expect(rel(physical.x2x2, S[5])).toBeLessThan(1e-9);
    expect(rel(physical.v1v1, S[10] / mech.m ** 2)).toBeLessThan(1e-9);
    expect(rel(physical.v1v2, S[11] / mech.m ** 2)).toBeLessThan(1e-9);
    expect(rel(physical.v2v2, S[15] / mech.m ** 2)).toBeLessThan(1e-9);
    expect(rel(physical.x2v1, S[1 * 4 + 2] / mech.m)).toBeLessThan(1e-9);
    expect(rel(physical.spring1to2, net.springs[0].flux)).toBeLessThan(1e-8);
    expect(rel(physical.bathToOscillator1, net.baths[0].flux)).toBeLessThan(1e-8);
    expect(rel(physical.entropyProduction!, net.entropyProduction)).toBeLessThan(1e-8);
  });
});
