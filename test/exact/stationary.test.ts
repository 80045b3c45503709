// The exact engine's entry points on linear SDE problems (src/exact/linearSde.ts), each against something
// independent: relaxation rates of hand-solvable drifts, the in-place sweep solver against stationary(), and the
// overdamped entropy production from the covariance against the network engine's -sum_i J_i / T_i from bath fluxes.
import { describe, expect, it } from "vitest";
import { SteadyStateError } from "../../src/errors.js";
import {
  overdampedEntropyProduction,
  prepareInPlace,
  prepareStationary,
  stationary,
} from "../../src/exact/linearSde.js";
import { solveNetwork } from "../../src/exact/network.js";
import { MatrixArgumentError } from "../../src/linalg/errors.js";
import { fromRows, identity } from "../../src/linalg/matrix.js";
import { validateNetwork } from "../../src/model/network.js";
import { linearSdeProblem } from "../../src/problem/linearSde.js";
import { networkProblem } from "../../src/problem/network.js";

const sde = (drift: number[][], diffusion = identity(drift.length)) =>
  linearSdeProblem({ drift: fromRows(drift), diffusion });

describe("stationary(problem)", () => {
  it("reports the slowest relaxation rate: the smallest real part of the drift's eigenvalues", () => {
    expect(
      stationary(
        sde([
          [3, 0],
          [0, 0.5],
        ]),
      ).slowestRate,
    ).toBeCloseTo(0.5, 14);
    // One damped oscillator, y = (q, p): A = [[0, -1/m], [k, g/m]], eigenvalues g/(2m) +- i sqrt(k/m - g^2/4m^2).
    const m = 2,
      k = 3,
      g = 0.4;
    expect(
      stationary(
        sde([
          [0, -1 / m],
          [k, g / m],
        ]),
      ).slowestRate,
    ).toBeCloseTo(g / (2 * m), 13);
    // Overdamped (real eigenvalues (g/m +- sqrt(g^2/m^2 - 4k/m)) / 2): the smaller one.
    const G = 10;
    expect(
      stationary(
        sde([
          [0, -1],
          [1, G],
        ]),
      ).slowestRate,
    ).toBeCloseTo((G - Math.sqrt(G * G - 4)) / 2, 12);
  });

  it("the covariance of a scalar OU process dy = -a y dt + sqrt(d) dW is d / (2a)", () => {
    const s = stationary(sde([[4]], fromRows([[6]])));
    expect(s.covariance.data[0]).toBeCloseTo(6 / 8, 15);
    expect(s.residual).toBeLessThan(1e-15);
    expect(s.forwardErrorBound).toBeLessThan(1e-12);
    expect(s.warnings).toEqual([]);
  });

  it("refuses a growing mode that no pair of eigenvalues cancels, naming the eigenvalue", () => {
    expect(() =>
      stationary(
        sde([
          [2, 0],
          [0, -1],
        ]),
      ),
    ).toThrow(/unstable: the drift has a growing mode \(eigenvalue -1\+0i\)/);
    expect(() =>
      stationary(
        sde([
          [-1, 2],
          [-2, -1],
        ]),
      ),
    ).toThrow(/unstable: the drift has a growing mode \(eigenvalue -1[+-]2i\)/);
    // A mode at rate 0 next to a relaxing one: it does not relax.
    expect(() =>
      stationary(
        sde([
          [1, 0],
          [0, 1e-17],
        ]),
      ),
    ).toThrow(/no unique steady state: the drift has a mode that does not relax/);
  });
});

describe("prepareStationary(problem)", () => {
  it("solves other diffusions with one factorisation; a diffusion of the wrong size is refused", () => {
    const solver = prepareStationary(
      sde([
        [2, 1],
        [0, 3],
      ]),
    );
    const a = solver.solve(
      fromRows([
        [1, 0],
        [0, 0],
      ]),
    ).covariance.data;
    const b = solver.solve(
      fromRows([
        [0, 0],
        [0, 1],
      ]),
    ).covariance.data;
    const both = solver.solve().covariance.data;
    both.forEach((x, k) => expect(a[k] + b[k]).toBeCloseTo(x, 14));
    expect(Array.from(solver.eigenvalues.re).sort()).toEqual([2, 3]);
    expect(() => solver.solve(identity(3))).toThrow(MatrixArgumentError);
    expect(() => solver.solve(identity(3))).toThrow("the diffusion matrix must be 2x2 like the drift, got 3x3");
    // the adjoint equation's right-hand side is named as such, not as a diffusion matrix
    expect(() => solver.solveAdjoint(identity(3))).toThrow("solveAdjoint: C must be 2x2 like the drift, got 3x3");
    const asymmetric = fromRows([
      [1, 2],
      [0, 1],
    ]);
    expect(() => solver.solveAdjoint(asymmetric)).toThrow(/^Lyapunov: C must be symmetric \(max \|C_ij - C_ji\| = 2/);
    expect(() => solver.solve(asymmetric)).toThrow(/^Lyapunov: Q must be symmetric/);
  });
});

describe("prepareInPlace(problem)", () => {
  it("solves the problem's current matrices without allocating, as stationary() does, up to 6 coordinates", () => {
    const p = sde([
      [2, 1],
      [0, 3],
    ]);
    const solver = prepareInPlace(p);
    const out = new Float64Array(4);
    for (const [a, d] of [
      [
        [2, 1, 0, 3],
        [1, 0, 0, 1],
      ],
      [
        [1, -0.5, 0.5, 4],
        [2, 0.3, 0.3, 1],
      ],
    ]) {
      p.drift.data.set(a);
      p.diffusion.data.set(d);
      const residual = solver.solveInto(out);
      const ref = stationary(p).covariance.data;
      out.forEach((x, k) => expect(x).toBeCloseTo(ref[k], 13));
      expect(residual).toBeLessThan(1e-14);
    }
    expect(out[1]).toBe(out[2]);
    expect(
      prepareInPlace(
        sde([
          [1, 0, 0, 0, 0, 0],
          [0, 2, 0, 0, 0, 0],
          [0, 0, 3, 0, 0, 0],
          [0, 0, 0, 4, 0, 0],
          [0, 0, 0, 0, 5, 0],
          [0, 0, 0, 0, 0, 6],
        ]),
      ).n,
    ).toBe(6);
    expect(() => solver.solveInto(new Float64Array(3))).toThrow(MatrixArgumentError);
    // A drift rewritten to one with cancelling eigenvalues (+-1): the equation is singular.
    p.drift.data.set([1, 0, 0, -1]);
    expect(() => solver.solveInto(out)).toThrow(SteadyStateError);
  });
});

describe("overdampedEntropyProduction", () => {
  const chain = (T: [number, number, number]) =>
    validateNetwork({
      kind: "network",
      dynamics: "overdamped",
      sites: ["a", "b", "c"],
      pinning: { a: 1, b: 0.5, c: 2 },
      springs: [
        { between: ["a", "b"], stiffness: 1.5 },
        { between: ["b", "c"], stiffness: 0.7 },
      ],
      baths: [
        { site: "a", friction: 1, temperature: T[0] },
        { site: "b", friction: 2, temperature: T[1] },
        { site: "c", friction: 0.5, temperature: T[2] },
      ],
    });

  it("equals -sum_i J_i / T_i from the network engine's bath fluxes, and vanishes at equal temperatures", () => {
    for (const T of [
      [12, 1, 6],
      [1, 3, 0.5],
      [2, 2, 2],
    ] as [number, number, number][]) {
      const m = chain(T);
      const p = networkProblem(m);
      const cov = stationary(p).covariance;
      // x' = -F x + sqrt(2 D) eta with F = Gamma^-1 V (the drift) and D_i = T_i / gamma_i.
      const D = Float64Array.from(m.baths, (b) => b.temperature / b.friction);
      const sigma = overdampedEntropyProduction(p.drift, D, cov);
      const ss = solveNetwork(m);
      // Bath k of the solution is bath k of the model.
      const byFluxes = -ss.baths.reduce((s, b, k) => s + b.flux / m.baths[k].temperature, 0);
      expect(sigma).toBeCloseTo(byFluxes, 10);
      if (T[0] === T[1]) expect(Math.abs(sigma)).toBeLessThan(1e-12);
      else expect(sigma).toBeGreaterThan(0);
    }
  });

  it("refuses a non-positive diffusion coefficient and a covariance of the wrong size", () => {
    const p = networkProblem(chain([1, 2, 3]));
    const cov = stationary(p).covariance;
    expect(() => overdampedEntropyProduction(p.drift, new Float64Array([1, 0, 1]), cov)).toThrow(
      "diffusion coefficient 1 must be finite and > 0",
    );
    expect(() => overdampedEntropyProduction(p.drift, new Float64Array([1, Infinity, 1]), cov)).toThrow(
      "diffusion coefficient 1 must be finite and > 0",
    );
    expect(() => overdampedEntropyProduction(p.drift, new Float64Array([1, 1, 1]), identity(2))).toThrow(
      "the covariance must be 3x3 like the force matrix",
    );
  });
});
