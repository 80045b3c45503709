// Conditioning of A X + X A^T = Q: the estimate of ||L^-1|| against exact values from the Kronecker form (double-double
// elimination), on SLICOT's CTLEX benchmark examples (strongly non-normal A, a defective eigenvalue), random and
// network drifts; the warnings; the forward error bound against the true error of the computed solution.
import { describe, expect, it } from "vitest";
import { type Matrix, frobeniusNorm, identity, matrix } from "../../src/linalg/matrix.js";
import { eigenvalues } from "../../src/linalg/eigen.js";
import { prepareLyapunov, solveLyapunov } from "../../src/linalg/lyapunov.js";
import {
  FORWARD_ERROR_WARNING,
  estimateInverseLyapunovNorm,
  lyapunovCondition,
} from "../../src/linalg/lyapunovCondition.js";
import { ctlex41, ctlex42 } from "./ctlex.js";
import { fullKroneckerInverseNorm, inverseOneNorm, kroneckerTruth } from "./kroneckerTruth.js";
import { normalRng } from "../helpers/random.js";

const EPS = 2 ** -52;

function randomStable(n: number, seed: number): Matrix {
  const r = normalRng(seed);
  const a = matrix(
    n,
    n,
    Float64Array.from({ length: n * n }, () => r.normal()),
  );
  const shift = Math.max(...eigenvalues(a).re) + 1;
  for (let i = 0; i < n; i++) a.data[i * n + i] -= shift;
  return a;
}

function randomSymmetric(n: number, seed: number): Matrix {
  const r = normalRng(seed);
  const q = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = r.normal();
      q.data[i * n + j] = v;
      q.data[j * n + i] = v;
    }
  }
  return q;
}

/** Drift of a damped chain of m oscillators (unit masses, pinning 1, springs 1, friction g at both ends). */
function chainDrift(m: number, g: number): Matrix {
  const n = 2 * m;
  const a = matrix(n, n);
  for (let i = 0; i < m; i++) {
    a.data[i * n + m + i] = -1;
    const row = (m + i) * n;
    a.data[row + i] = 1 + (i > 0 ? 1 : 0) + (i < m - 1 ? 1 : 0);
    if (i > 0) a.data[row + i - 1] = -1;
    if (i < m - 1) a.data[row + i + 1] = -1;
  }
  a.data[m * n + m] += g;
  a.data[(n - 1) * n + n - 1] += g;
  return a;
}

/** Noise on the momenta of the two ends (the chain's B B^T). */
function chainNoise(m: number): Matrix {
  const n = 2 * m;
  const q = matrix(n, n);
  q.data[m * n + m] = 2;
  q.data[(n - 1) * n + n - 1] += 1;
  return q;
}

/** Relative condition number from exact ||L^-1||_F and the exact solution. */
function trueCondition(a: Matrix, q: Matrix): { kappa: number; inverseNorm: number; X: Matrix } {
  const { inverseNorm, X } = kroneckerTruth(a, q);
  const nX = frobeniusNorm(X!);
  return { kappa: inverseNorm * (2 * frobeniusNorm(a) + frobeniusNorm(q) / nX), inverseNorm, X: X! };
}

function relError(x: Matrix, exact: Matrix): number {
  return (
    frobeniusNorm(
      matrix(
        x.rows,
        x.cols,
        x.data.map((v, i) => v - exact.data[i]),
      ),
    ) / frobeniusNorm(exact)
  );
}

/** The four CTLEX cases of issue 11 (condition of the Kronecker operator 3e14 to 3e17), and milder ones. */
const illConditioned: [string, { A: Matrix; Q: Matrix }][] = [
  ["CTLEX 4.1, n = 10, r = 3, s = 3", ctlex41(10, 3, 3)],
  ["CTLEX 4.1, n = 10, r = 1.5, s = 4", ctlex41(10, 1.5, 4)],
  ["CTLEX 4.2, n = 10, lambda = -0.5, s = 3", ctlex42(10, -0.5, 3)],
  ["CTLEX 4.2, n = 10, lambda = -0.5, s = 4", ctlex42(10, -0.5, 4)],
];
const moderate: [string, { A: Matrix; Q: Matrix }][] = [
  ["CTLEX 4.1, n = 10, r = 1.5, s = 1.5 (the defaults)", ctlex41(10, 1.5, 1.5)],
  ["CTLEX 4.2, n = 10, lambda = -0.5, s = 1.5 (the defaults)", ctlex42(10, -0.5, 1.5)],
  ["CTLEX 4.1, n = 10, r = 2, s = 2", ctlex41(10, 2, 2)],
  ["CTLEX 4.1, n = 5, r = 1.5, s = 1.5", ctlex41(5, 1.5, 1.5)],
  ["CTLEX 4.1, n = 6, r = 3, s = 3", ctlex41(6, 3, 3)],
  ["CTLEX 4.2, n = 6, lambda = -0.5, s = 3", ctlex42(6, -0.5, 3)],
  ["CTLEX 4.2, n = 4, lambda = -0.5, s = 1.5", ctlex42(4, -0.5, 1.5)],
];

describe("reference values (Kronecker form in double-double)", () => {
  it("equal 1 / sigma_min of the full n^2 x n^2 Kronecker matrix (Byers and Nash) where double suffices", () => {
    for (const [, { A }] of moderate.filter(([, c]) => c.A.rows <= 6)) {
      const { inverseNorm } = kroneckerTruth(A);
      expect(Math.abs(inverseNorm / fullKroneckerInverseNorm(A) - 1)).toBeLessThan(1e-8);
    }
    const a = randomStable(5, 3);
    expect(Math.abs(kroneckerTruth(a).inverseNorm / fullKroneckerInverseNorm(a) - 1)).toBeLessThan(1e-10);
  });

  it("solve the CTLEX examples whose solutions are known in closed form (Example 4.1 for s = 1)", () => {
    // with s = 1, A = H2 H1 diag(a) H1 H2 (H1, H2 orthogonal, symmetric), X = H2 H1 X0 H1 H2 with
    // X0_ij = -i j / (a_i + a_j): the invariant ||X||_F = ||X0||_F
    const n = 6,
      r = 2;
    const { A, Q } = ctlex41(n, r, 1);
    const { X } = kroneckerTruth(A, Q);
    let s = 0;
    for (let i = 1; i <= n; i++) for (let j = 1; j <= n; j++) s += ((i * j) / (r ** (i - 1) + r ** (j - 1))) ** 2;
    expect(Math.abs(frobeniusNorm(X!) / Math.sqrt(s) - 1)).toBeLessThan(1e-12);
  });
});

describe("estimateInverseLyapunovNorm", () => {
  it("is exact for diagonal A and n = 1", () => {
    const d = [0.5, 2, 3, 7];
    const a = matrix(4, 4);
    d.forEach((v, i) => (a.data[i * 5] = v));
    const solver = prepareLyapunov(a, { method: "bartels-stewart" });
    // L^-1(E_ij) = E_ij / (d_i + d_j): the largest is 1 / (2 * 0.5)
    expect(1 / solver.separation()).toBeCloseTo(1, 14);
    expect(prepareLyapunov(matrix(1, 1, [-4])).separation()).toBeCloseTo(8, 14);
    expect(
      estimateInverseLyapunovNorm(
        0,
        () => true,
        () => true,
      ),
    ).toBe(0);
  });

  it("is a lower bound of ||L^-1||_1 within a factor 3 of it (tiny engine: the basis of A)", () => {
    const cases = [...moderate.filter(([, c]) => c.A.rows <= 6).map(([, c]) => c.A)];
    for (let s = 0; s < 6; s++) cases.push(randomStable(2 + s, 40 + s));
    cases.push(chainDrift(3, 0.1));
    for (const a of cases) {
      const exact = inverseOneNorm(a);
      const estimate = 1 / prepareLyapunov(a, { method: "tiny" }).separation();
      // up to the rounding errors of the solves (condition numbers here reach 1e9)
      expect(estimate).toBeLessThanOrEqual(exact * (1 + 1e-6));
      expect(estimate).toBeGreaterThan(exact / 3);
    }
  });

  it("reports a failed solve as an infinite norm", () => {
    expect(
      estimateInverseLyapunovNorm(
        3,
        () => false,
        () => true,
      ),
    ).toBe(Infinity);
    expect(
      estimateInverseLyapunovNorm(
        3,
        (_, out) => (out.fill(Infinity), true),
        () => true,
      ),
    ).toBe(Infinity);
  });
});

describe("condition number of A X + X A^T = Q", () => {
  it.each([...illConditioned, ...moderate])(
    "%s: the estimate is within a factor 10 of the exact value",
    (_, { A, Q }) => {
      const truth = trueCondition(A, Q);
      const methods = A.rows <= 6 ? (["tiny", "bartels-stewart"] as const) : (["bartels-stewart"] as const);
      for (const method of methods) {
        const solver = prepareLyapunov(A, { method });
        const sol = solver.solve(Q);
        const ratio = sol.condition / truth.kappa;
        expect(ratio).toBeGreaterThan(0.1);
        expect(ratio).toBeLessThan(10);
        expect(1 / solver.separation() / truth.inverseNorm).toBeLessThan(10);
        // the bound holds for the computed solution
        expect(relError(sol.X, truth.X)).toBeLessThanOrEqual(sol.forwardErrorBound);
      }
    },
  );

  it.each(illConditioned)("%s: warns with the condition number and the error bound", (_, { A, Q }) => {
    const sol = solveLyapunov(A, Q);
    expect(sol.residual).toBeLessThan(1e-15); // the residual alone says nothing is wrong
    expect(sol.condition).toBeGreaterThan(1e14);
    expect(sol.forwardErrorBound).toBeGreaterThan(1e-2);
    expect(sol.warnings).toHaveLength(1);
    const w = sol.warnings[0];
    expect(w).toMatch(/^ill-conditioned Lyapunov equation: A is far from normal/);
    expect(w).toMatch(/which its eigenvalues do not show \(smallest \|λi\+λj\| = /);
    expect(w).toContain(`condition number ≈ ${sol.condition.toExponential(2).replace("e+", "e")}`);
    expect(w).toMatch(/the solution's relative error may reach [0-9.e-]+ \(Frobenius norm\)/);
    // the spectrum alone does not see it
    expect(prepareLyapunov(A).warnings).toEqual([]);
  });

  it("bounds the error on near-singular operators and stiff chains (one step of Hager's estimator)", () => {
    // a random drift with an eigenvalue near 0 (L nearly singular), a chain of alternating masses 1 and 1e4 (momenta
    // on two scales) and a nearly undamped chain: the estimate from three solves stays within a factor 10 of the
    // exact condition number, and the computed solution's error within the reported bound
    const nearSingular = randomStable(12, 77);
    const shift = Math.max(...eigenvalues(nearSingular).re) + 1e-6;
    for (let i = 0; i < 12; i++) nearSingular.data[i * 12 + i] -= shift;
    const heavy = (m: number, ratio: number, g: number): Matrix => {
      // x' = p / mass, p' = -K x - g p / mass (g at both ends), K a pinned nearest-neighbour chain
      const n = 2 * m;
      const a = matrix(n, n);
      for (let i = 0; i < m; i++) {
        const mass = i % 2 === 0 ? 1 : ratio;
        a.data[i * n + m + i] = 1 / mass;
        a.data[(m + i) * n + i] = -3;
        if (i > 0) a.data[(m + i) * n + i - 1] = 1;
        if (i < m - 1) a.data[(m + i) * n + i + 1] = 1;
        if (i === 0 || i === m - 1) a.data[(m + i) * n + m + i] = -g / mass;
      }
      return a;
    };
    const cases: [Matrix, Matrix][] = [
      [nearSingular, randomSymmetric(12, 5)],
      [heavy(6, 1e4, 1), chainNoise(6)],
      [heavy(7, 1e4, 0.5), chainNoise(7)],
      [chainDrift(6, 1e-6), chainNoise(6)],
    ];
    for (const [a, q] of cases) {
      const truth = trueCondition(a, q);
      const sol = solveLyapunov(a, q);
      expect(sol.method).toBe("bartels-stewart");
      expect(sol.condition / truth.kappa).toBeGreaterThan(0.1);
      expect(sol.condition / truth.kappa).toBeLessThan(10);
      expect(sol.forwardErrorBound).toBeGreaterThan(1e-12); // ill-conditioned: the bound is far above eps
      expect(relError(sol.X, truth.X)).toBeLessThanOrEqual(sol.forwardErrorBound);
    }
  });

  it("says when no digit can be trusted", () => {
    const sol = solveLyapunov(ctlex42(10, -0.5, 4).A, ctlex42(10, -0.5, 4).Q);
    expect(sol.forwardErrorBound).toBeGreaterThan(1);
    expect(sol.warnings[0]).toMatch(/so no digit of it can be trusted$/);
  });

  it("does not warn for well-conditioned problems, whose estimates are close to the exact values", () => {
    const cases: [Matrix, Matrix][] = [];
    for (const n of [2, 3, 5, 8]) cases.push([randomStable(n, 100 + n), randomSymmetric(n, 200 + n)]);
    for (const m of [1, 2, 4]) cases.push([chainDrift(m, 0.5), chainNoise(m)]);
    for (const [a, q] of cases) {
      const truth = trueCondition(a, q);
      const sol = solveLyapunov(a, q);
      expect(sol.warnings).toEqual([]);
      expect(sol.condition / truth.kappa).toBeGreaterThan(0.1);
      expect(sol.condition / truth.kappa).toBeLessThan(10);
      expect(sol.forwardErrorBound).toBeLessThan(FORWARD_ERROR_WARNING);
      expect(relError(sol.X, truth.X)).toBeLessThanOrEqual(sol.forwardErrorBound);
    }
  });

  it("warns at the threshold condition * eps = 1e-8: a weakly damped oscillator", () => {
    // one oscillator with friction g: eigenvalues g/2 +- i, condition ~ 2.8 / g
    const warned = (g: number) => {
      const sol = solveLyapunov(chainDrift(1, g), chainNoise(1));
      expect(sol.forwardErrorBound > FORWARD_ERROR_WARNING).toBe(sol.warnings.length > 0);
      return sol;
    };
    expect(warned(1e-6).warnings).toEqual([]);
    const sol = warned(1e-9);
    expect(sol.condition * EPS).toBeGreaterThan(FORWARD_ERROR_WARNING);
    expect(sol.warnings[0]).toMatch(
      /^ill-conditioned Lyapunov equation: eigenvalues .* of A nearly cancel .*; condition number ≈ /,
    );
  });

  it("reuses one estimate for every right-hand side of a prepared solver", () => {
    const a = randomStable(30, 9);
    const solver = prepareLyapunov(a);
    const sep = solver.separation();
    for (let s = 0; s < 3; s++) {
      const q = randomSymmetric(30, s);
      const sol = solver.solve(q);
      expect(sol.condition).toBeCloseTo(
        lyapunovCondition(1 / sep, frobeniusNorm(a), frobeniusNorm(sol.X), frobeniusNorm(q), sol.residual).condition,
        10,
      );
    }
    expect(solver.separation()).toBe(sep);
  });

  it("handles Q = 0 (exact zero solution) and n = 0 with finite numbers", () => {
    const zero = solveLyapunov(randomStable(8, 1), matrix(8, 8));
    expect(zero.forwardErrorBound).toBe(0);
    expect(Number.isFinite(zero.condition) && zero.condition > 0).toBe(true);
    expect(zero.warnings).toEqual([]);
    const empty = solveLyapunov(matrix(0, 0), matrix(0, 0));
    expect(empty.condition).toBe(1);
    expect(empty.forwardErrorBound).toBe(0);
    const one = solveLyapunov(identity(1), identity(1));
    expect(one.condition).toBeCloseTo(2, 14); // X = 1/2, ||L^-1|| = 1/2, 2 ||A|| + ||Q|| / ||X|| = 4
  });
});
