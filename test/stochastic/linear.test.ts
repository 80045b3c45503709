// Deterministic checks of the linear machinery: the matrix exponential, the exact one-step transition (Van Loan
// against S - E S E^T), and the time-step bias of each scheme from its discrete stationary covariance: zero for
// exact stepping, O(dt^2) for BAOAB and Heun, O(dt) for Euler-Maruyama (the orders documented in docs/stochastic.md).
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { diffusionMatrix, driftMatrix, siteTemperatures } from "../../src/problem/network.js";
import { expm } from "../../src/linalg/expm.js";
import { fromRows, matrix } from "../../src/linalg/matrix.js";
import { validateNetwork } from "../../src/model/network.js";
import { exactTransition, schemeExpectations, semidefiniteCholesky } from "../../src/stochastic/linear.js";
import { randomNetwork } from "../helpers/random.js";

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, k) => Math.max(m, Math.abs(x - b[k])), 0);

describe("expm", () => {
  it("rotation generator: exp([[0, -t], [t, 0]]) = [[cos t, -sin t], [sin t, cos t]], also for large t (squaring)", () => {
    for (const t of [0.1, 1, 7.5, 40]) {
      const E = expm(
        fromRows([
          [0, -t],
          [t, 0],
        ]),
      );
      expect(maxDiff(E.data, Float64Array.from([Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)]))).toBeLessThan(
        1e-12 * Math.max(1, t),
      );
    }
  });

  it("a Jordan block: exp([[a, 1], [0, a]]) = e^a [[1, 1], [0, 1]]", () => {
    const E = expm(
      fromRows([
        [-3, 1],
        [0, -3],
      ]),
    );
    const e = Math.exp(-3);
    expect(maxDiff(E.data, Float64Array.from([e, e, 0, e]))).toBeLessThan(1e-15);
  });

  it("exp(A) exp(-A) = I for a random matrix", () => {
    const A = matrix(
      5,
      5,
      Float64Array.from({ length: 25 }, (_, k) => Math.sin(k * 1.7) * 2),
    );
    const E = expm(A).data,
      F = expm(
        matrix(
          5,
          5,
          A.data.map((x) => -x),
        ),
      ).data;
    const P = new Float64Array(25);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) for (let k = 0; k < 5; k++) P[i * 5 + j] += E[i * 5 + k] * F[k * 5 + j];
    expect(
      maxDiff(
        P,
        Float64Array.from({ length: 25 }, (_, k) => (k % 6 === 0 ? 1 : 0)),
      ),
    ).toBeLessThan(1e-12);
  });
});

describe("exact transition", () => {
  it("Van Loan's step covariance equals S - E S E^T, for small and large dt", () => {
    const m = randomNetwork(7, { n: 3 });
    const S = solveNetwork(m).covariance.data;
    const N = 6;
    for (const dt of [1e-3, 0.3, 5]) {
      const { E, Q } = exactTransition(driftMatrix(m), diffusionMatrix(m, siteTemperatures(m)), dt);
      const ESE = new Float64Array(N * N);
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let a = 0; a < N; a++)
            for (let b = 0; b < N; b++) s += E.data[i * N + a] * S[a * N + b] * E.data[j * N + b];
          ESE[i * N + j] = S[i * N + j] - s;
        }
      expect(maxDiff(Q.data, ESE)).toBeLessThan(1e-12 * Math.max(...S));
    }
  });

  it("semidefinite Cholesky factors a singular covariance", () => {
    const S = fromRows([
      [4, 2, 0],
      [2, 1, 0],
      [0, 0, 9],
    ]);
    const L = semidefiniteCholesky(S).data;
    const back = new Float64Array(9);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) back[i * 3 + j] += L[i * 3 + k] * L[j * 3 + k];
    expect(maxDiff(back, S.data)).toBeLessThan(1e-14);
  });
});

describe("time-step bias of each scheme (discrete stationary state vs the exact engine)", () => {
  const under = randomNetwork(5, { dynamics: "underdamped", n: 4 });
  const over = randomNetwork(5, { dynamics: "overdamped", n: 4 });
  const bias = (m: typeof under, scheme: "baoab" | "heun" | "euler-maruyama" | "exact", dt: number) => {
    const ex = solveNetwork(m);
    const d = schemeExpectations(m, scheme, dt, scheme === "exact" ? "state" : "stratonovich");
    return {
      cov: maxDiff(d.covariance.data, ex.covariance.data),
      ep: Math.abs(d.entropyProduction - ex.entropyProduction),
    };
  };

  it("exact stepping has no bias at any dt", () => {
    for (const m of [under, over])
      for (const dt of [0.01, 0.5]) {
        const b = bias(m, "exact", dt);
        expect(b.cov).toBeLessThan(1e-10);
        expect(b.ep).toBeLessThan(1e-10);
      }
  });

  it("BAOAB: second order (halving dt divides the bias by about 4)", () => {
    const b1 = bias(under, "baoab", 0.02),
      b2 = bias(under, "baoab", 0.01);
    expect(b1.cov / b2.cov).toBeGreaterThan(3.5);
    expect(b1.cov / b2.cov).toBeLessThan(4.5);
  });

  it("Heun: second order in the covariance; Euler-Maruyama: first order", () => {
    const h1 = bias(over, "heun", 0.002),
      h2 = bias(over, "heun", 0.001);
    expect(h1.cov / h2.cov).toBeGreaterThan(3.5);
    const e1 = bias(over, "euler-maruyama", 0.002),
      e2 = bias(over, "euler-maruyama", 0.001);
    expect(e1.cov / e2.cov).toBeGreaterThan(1.8);
    expect(e1.cov / e2.cov).toBeLessThan(2.2);
  });

  it("BAOAB samples the positions of a harmonic oscillator in equilibrium exactly; <p^2>/m = T (1 - (omega dt/2)^2)", () => {
    const m = validateNetwork({
      kind: "network",
      sites: 1,
      pinning: 4,
      baths: [{ site: 1, friction: 0.7, temperature: 2 }],
    });
    const dt = 0.3,
      omega = 2;
    const d = schemeExpectations(m, "baoab", dt, "stratonovich");
    expect(d.covariance.data[0]).toBeCloseTo(2 / 4, 12);
    expect(d.covariance.data[3]).toBeCloseTo(2 * (1 - ((omega * dt) / 2) ** 2), 10);
  });
});
