// Continuous Lyapunov equation A X + X A^T = Q: residuals across sizes, engine agreement, reuse, conditioning.
import { describe, expect, it } from "vitest";
import {
  type Matrix,
  fromRows,
  identity,
  matrix,
  multiply,
  transpose,
  frobeniusNorm,
} from "../../src/linalg/matrix.js";
import { eigenvalues } from "../../src/linalg/eigen.js";
import {
  SingularLyapunovError,
  TINY_MAX_N,
  prepareLyapunov,
  solveLyapunov,
  tinyLyapunovInto,
} from "../../src/linalg/lyapunov.js";
import { MatrixArgumentError } from "../../src/linalg/errors.js";
import { NessError } from "../../src/errors.js";
import { normalRng as rng } from "../helpers/random.js";
import { expectSameArray, expectSymmetric as expectSymmetricData } from "../helpers/arrays.js";

function randomMatrix(n: number, seed: number): Matrix {
  const r = rng(seed);
  return matrix(
    n,
    n,
    Float64Array.from({ length: n * n }, () => r.normal()),
  );
}

/** Random matrix shifted to be stable: A - (max Re lambda + 1) I. */
function randomStable(n: number, seed: number): Matrix {
  const a = randomMatrix(n, seed);
  const { re } = eigenvalues(a);
  const shift = Math.max(...re) + 1;
  for (let i = 0; i < n; i++) a.data[i * n + i] -= shift;
  return a;
}

function randomSymmetric(n: number, seed: number): Matrix {
  const g = randomMatrix(n, seed);
  const s = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s.data[i * n + j] = g.data[i * n + j] + g.data[j * n + i];
  return s;
}

/** Drift [[0, -I], [V, G]] of m damped oscillators (V, G symmetric positive definite): n = 2m. */
function oscillatorDrift(m: number, seed: number, damping = 0.3): Matrix {
  const r = rng(seed);
  const n = 2 * m;
  const a = matrix(n, n);
  // V = stiffness: tridiagonal chain plus random positive diagonal; G = diag damping on the ends only
  for (let i = 0; i < m; i++) {
    a.data[i * n + m + i] = -1;
    const row = (m + i) * n;
    a.data[row + i] = 2 + r.uniform();
    if (i + 1 < m) {
      a.data[row + i + 1] = -0.5;
      a.data[(m + i + 1) * n + i] = -0.5;
    }
  }
  a.data[m * n + m] = damping;
  a.data[(n - 1) * n + n - 1] += damping;
  if (m === 1) a.data[(n - 1) * n + n - 1] = damping;
  // dx/dt = -A x: Lyapunov with -A is the stable one (eigenvalues of A have positive real parts)
  return matrix(
    n,
    n,
    a.data.map((v) => -v),
  );
}

/** ||A X + X A^T - Q||_F / (2 ||A|| ||X|| + ||Q||) computed independently. */
function residualOf(a: Matrix, x: Matrix, q: Matrix): number {
  const ax = multiply(a, x);
  const r = multiply(x, transpose(a));
  const d = r.data.map((v, i) => v + ax.data[i] - q.data[i]);
  return frobeniusNorm(matrix(a.rows, a.cols, d)) / (2 * frobeniusNorm(a) * frobeniusNorm(x) + frobeniusNorm(q));
}

function expectSymmetric(x: Matrix): void {
  expectSymmetricData(x.rows, x.data);
}

function relDiff(x: Matrix, y: Matrix): number {
  return (
    frobeniusNorm(
      matrix(
        x.rows,
        x.cols,
        x.data.map((v, i) => v - y.data[i]),
      ),
    ) / frobeniusNorm(y)
  );
}

/** Dense Kronecker reference: (I (x) A + A (x) I) vec(X) = vec(Q), Gaussian elimination on n^2 unknowns. */
function kroneckerReference(a: Matrix, q: Matrix): Matrix {
  const n = a.rows,
    N = n * n;
  const K = new Float64Array(N * N);
  const b = Float64Array.from(q.data);
  // unknown (i, j) -> i*n + j ; equation (i, j): sum_k A_ik X_kj + X_ik A_jk
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const row = (i * n + j) * N;
      for (let k = 0; k < n; k++) {
        K[row + k * n + j] += a.data[i * n + k];
        K[row + i * n + k] += a.data[j * n + k];
      }
    }
  }
  for (let k = 0; k < N; k++) {
    let p = k;
    for (let r = k + 1; r < N; r++) if (Math.abs(K[r * N + k]) > Math.abs(K[p * N + k])) p = r;
    for (let c = 0; c < N; c++) [K[k * N + c], K[p * N + c]] = [K[p * N + c], K[k * N + c]];
    [b[k], b[p]] = [b[p], b[k]];
    for (let r = k + 1; r < N; r++) {
      const f = K[r * N + k] / K[k * N + k];
      for (let c = k; c < N; c++) K[r * N + c] -= f * K[k * N + c];
      b[r] -= f * b[k];
    }
  }
  for (let k = N - 1; k >= 0; k--) {
    let s = b[k];
    for (let c = k + 1; c < N; c++) s -= K[k * N + c] * b[c];
    b[k] = s / K[k * N + k];
  }
  return matrix(n, n, b);
}

describe("solveLyapunov", () => {
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 20, 50, 100, 200, 400];
  it.each(sizes)("random stable system, n = %i: relative residual <= 1e-12", (n) => {
    const a = randomStable(n, 17 * n + 1);
    const q = randomSymmetric(n, 31 * n + 2);
    const sol = solveLyapunov(a, q);
    expect(sol.method).toBe(n <= TINY_MAX_N ? "tiny" : "bartels-stewart");
    expect(sol.residual).toBeLessThanOrEqual(1e-12);
    expect(sol.warnings).toEqual([]);
    expectSymmetric(sol.X);
    if (n <= 200) expect(residualOf(a, sol.X, q)).toBeLessThanOrEqual(1e-12);
    // reported residual matches an independent computation
    if (n <= 100) expect(Math.abs(sol.residual - residualOf(a, sol.X, q))).toBeLessThan(1e-15);
  });

  // from 64 coordinates on, a drift matrix this sparse enters the residual as compressed rows (40 oscillators)
  it.each([1, 2, 3, 5, 10, 25, 40])("underdamped oscillator network drift with %i oscillators", (m) => {
    const a = oscillatorDrift(m, 100 + m);
    const n = 2 * m;
    // noise enters the momenta only (rank-deficient Q)
    const q = matrix(n, n);
    for (let i = m; i < n; i++) q.data[i * n + i] = i === m || i === n - 1 ? -2 * (1 + i) : 0;
    const sol = solveLyapunov(a, q);
    expect(sol.residual).toBeLessThanOrEqual(1e-12);
    // the reported residual (sparse or dense product) matches an independent dense computation
    expect(Math.abs(sol.residual - residualOf(a, sol.X, q))).toBeLessThan(1e-15);
    expectSymmetric(sol.X);
    // the covariance of a stable system driven by PSD noise (Q = -2 D) is positive semi-definite
    for (let i = 0; i < n; i++) expect(sol.X.data[i * n + i]).toBeGreaterThanOrEqual(0);
    if (n <= 6) expect(relDiff(sol.X, kroneckerReference(a, q))).toBeLessThan(1e-11);
  });

  it("agrees with a dense Kronecker reference solve for n <= 6 (both engines)", () => {
    for (let n = 1; n <= 6; n++) {
      for (let s = 0; s < 3; s++) {
        const a = randomStable(n, 1000 * n + s);
        const q = randomSymmetric(n, 2000 * n + s);
        const ref = kroneckerReference(a, q);
        expect(relDiff(solveLyapunov(a, q, { method: "tiny" }).X, ref)).toBeLessThan(1e-12);
        expect(relDiff(solveLyapunov(a, q, { method: "bartels-stewart" }).X, ref)).toBeLessThan(1e-12);
      }
    }
  });

  it("tiny and Bartels-Stewart engines agree to ~1e-12 relative", () => {
    for (const n of [2, 3, 4, 5, 6, 8, 10]) {
      for (let s = 0; s < 4; s++) {
        const a = s === 3 && n % 2 === 0 ? oscillatorDrift(n / 2, s) : randomStable(n, 500 * n + s);
        const q = randomSymmetric(n, 600 * n + s);
        const t = solveLyapunov(a, q, { method: "tiny" });
        const b = solveLyapunov(a, q, { method: "bartels-stewart" });
        expect(t.method).toBe("tiny");
        expect(b.method).toBe("bartels-stewart");
        expect(relDiff(t.X, b.X)).toBeLessThan(1e-12);
      }
    }
  });

  it("works for non-normal, unstable-but-nonsingular and complex-spectrum A", () => {
    // unstable A is fine as long as no pair of eigenvalues cancels
    const a = fromRows([
      [1, 2, 0],
      [0, 2, 5],
      [0, 0, 3],
    ]);
    const q = identity(3);
    for (const method of ["tiny", "bartels-stewart"] as const) {
      const sol = solveLyapunov(a, q, { method });
      expect(sol.residual).toBeLessThan(1e-14);
    }
    // strongly non-normal stable A: large X but small relative residual
    const n = 30;
    const nn = matrix(n, n);
    for (let i = 0; i < n; i++) {
      nn.data[i * n + i] = -1;
      if (i + 1 < n) nn.data[i * n + i + 1] = 3;
    }
    const sol = solveLyapunov(nn, identity(n));
    expect(sol.residual).toBeLessThan(1e-12);
  });

  it("rejects bad shapes, non-finite entries and non-symmetric Q with a MatrixArgumentError (a NessError)", () => {
    expect(() => solveLyapunov(matrix(2, 3), identity(2))).toThrow(/Lyapunov: A must be square, got 2x3/);
    expect(() => solveLyapunov(identity(3), identity(2))).toThrow(/Lyapunov: Q must be 3x3 like A, got 2x2/);
    const bad = identity(3);
    bad.data[1] = NaN;
    expect(() => solveLyapunov(bad, identity(3))).toThrow(/Lyapunov: A has a non-finite entry NaN at \(0, 1\)/);
    expect(() => prepareLyapunov(identity(3)).solve(bad)).toThrow(/Lyapunov: Q has a non-finite entry/);
    const bad8 = identity(8);
    bad8.data[9] = Infinity;
    expect(() => prepareLyapunov(identity(8)).solve(bad8)).toThrow(
      /Lyapunov: Q has a non-finite entry Infinity at \(1, 1\)/,
    );
    const asym = identity(8);
    asym.data[1] = 1;
    expect(() =>
      solveLyapunov(
        matrix(
          8,
          8,
          identity(8).data.map((v) => -v),
        ),
        asym,
      ),
    ).toThrow(/symmetric/);
    for (const call of [
      () => solveLyapunov(matrix(2, 3), identity(2)),
      () => solveLyapunov(bad, identity(3)),
      () => solveLyapunov(identity(8), asym),
      () => tinyLyapunovInto(17, new Float64Array(289), new Float64Array(289), new Float64Array(289)),
    ]) {
      expect(call).toThrow(MatrixArgumentError);
      expect(call).toThrow(NessError);
    }
  });

  it("handles right-hand sides with few nonzero rows (noise on a few coordinates) and Q = 0", () => {
    for (const n of [8, 40]) {
      const a = randomStable(n, 4000 + n);
      const q = matrix(n, n);
      q.data[1 * n + 1] = 2;
      q.data[(n - 2) * n + n - 2] = 0.5;
      q.data[1 * n + n - 2] = q.data[(n - 2) * n + 1] = -0.3;
      const sol = solveLyapunov(a, q, { method: "bartels-stewart" });
      expect(sol.residual).toBeLessThanOrEqual(1e-12);
      expect(residualOf(a, sol.X, q)).toBeLessThanOrEqual(1e-12);
      if (n === 8) expect(relDiff(sol.X, kroneckerReference(a, q))).toBeLessThan(1e-12);
      // same answer as with a dense right-hand side that differs by a tiny full perturbation
      const dense = matrix(
        n,
        n,
        q.data.map((v) => v + 1e-300),
      );
      expect(relDiff(solveLyapunov(a, dense, { method: "bartels-stewart" }).X, sol.X)).toBeLessThan(1e-12);
    }
    const zero = solveLyapunov(randomStable(12, 5), matrix(12, 12));
    expect(zero.X.data.every((v) => v === 0)).toBe(true);
    expect(zero.residual).toBe(0);
  });

  it("returns an empty solution for n = 0", () => {
    const sol = solveLyapunov(matrix(0, 0), matrix(0, 0));
    expect(sol.X.rows).toBe(0);
    expect(sol.residual).toBe(0);
  });
});

describe("prepareLyapunov", () => {
  it.each([4, 30])("reuses one factorisation for many right-hand sides (n = %i)", (n) => {
    const a = randomStable(n, 900 + n);
    const solver = prepareLyapunov(a);
    expect(solver.n).toBe(n);
    expect(solver.eigenvalues.re.length).toBe(n);
    for (const re of solver.eigenvalues.re) expect(re).toBeLessThan(0);
    for (let s = 0; s < 4; s++) {
      const q = randomSymmetric(n, 950 + s);
      const reused = solver.solve(q);
      const fresh = solveLyapunov(a, q);
      expect(reused.residual).toBeLessThanOrEqual(1e-12);
      expect(relDiff(reused.X, fresh.X)).toBeLessThan(1e-12);
      expectSymmetric(reused.X);
    }
  });

  it.each([4, 6, 30, 120])("solveSum: parts solve their own equations, their sum the summed one (n = %i)", (n) => {
    const a = randomStable(n, 700 + n);
    const solver = prepareLyapunov(a);
    // one rank-one right-hand side per "bath" (a single nonzero, as a heat bath's diffusion), and a dense one
    const qs = [0, n - 1].map((k) => {
      const q = matrix(n, n);
      q.data[k * n + k] = 2 + k;
      return q;
    });
    qs.push(randomSymmetric(n, 760 + n));
    const { total, parts } = solver.solveSum(qs);
    const sum = matrix(n, n);
    for (const q of qs) q.data.forEach((v, k) => (sum.data[k] += v));
    expect(parts.length).toBe(3);
    parts.forEach((x, k) => {
      expect(residualOf(a, x, qs[k])).toBeLessThan(1e-13);
      expectSymmetric(x);
    });
    // the reported residual is that of the sum, recomputed here independently
    expect(total.residual).toBeLessThan(1e-13);
    expect(Math.abs(residualOf(a, total.X, sum) - total.residual)).toBeLessThan(1e-14);
    const direct = solver.solve(sum);
    expect(relDiff(total.X, direct.X)).toBeLessThan(1e-12);
    expect(Math.abs(total.condition / direct.condition - 1)).toBeLessThan(1e-10); // same estimate; norms of X round apart
    expect(total.method).toBe(direct.method);
    expect(() => solver.solveSum([])).toThrow(MatrixArgumentError);
    expect(() => solver.solveSum([matrix(n + 1, n + 1)])).toThrow(MatrixArgumentError);
  });

  it("reports the eigenvalues of A", () => {
    const a = oscillatorDrift(3, 4);
    const ev = prepareLyapunov(a).eigenvalues;
    const ref = eigenvalues(a);
    const key = (re: Float64Array, im: Float64Array) =>
      Array.from(re, (r, i) => [r, im[i]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const got = key(ev.re, ev.im),
      want = key(ref.re, ref.im);
    got.forEach((g, i) => {
      expect(g[0]).toBeCloseTo(want[i][0], 12);
      expect(g[1]).toBeCloseTo(want[i][1], 12);
    });
  });
});

describe("conditioning", () => {
  /** Block diagonal: [[eps, 1], [-1, eps]] (eigenvalues eps +- i, sum 2 eps) plus a stable diagonal rest, rotated. */
  function nearlySingular(n: number, eps: number, seed: number): Matrix {
    const a = matrix(n, n);
    a.data[0] = eps;
    a.data[n + 1] = eps;
    a.data[1] = 1;
    a.data[n] = -1;
    for (let i = 2; i < n; i++) a.data[i * n + i] = -1 - i;
    // orthogonal similarity by a Householder reflector keeps ||A|| and the spectrum
    const r = rng(seed);
    const v = Float64Array.from({ length: n }, () => r.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    const H = identity(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H.data[i * n + j] -= (2 * v[i] * v[j]) / vv;
    return multiply(multiply(H, a), H);
  }

  it("warns when two eigenvalues nearly cancel", () => {
    for (const n of [4, 10]) {
      const a = nearlySingular(n, 1e-9, n);
      const sol = solveLyapunov(a, identity(n));
      expect(sol.warnings.length).toBe(1);
      expect(sol.warnings[0]).toMatch(/ill-conditioned Lyapunov equation: eigenvalues .* of A nearly cancel/);
      expect(sol.warnings[0]).toMatch(/\|λi\+λj\| = /);
      expect(prepareLyapunov(a).warnings.length).toBe(1);
    }
    // a nearly zero real eigenvalue
    const z = fromRows([
      [1e-10, 0],
      [0, -1],
    ]);
    const w = solveLyapunov(z, identity(2)).warnings;
    expect(w[0]).toMatch(/nearly zero/);
  });

  it("a one-shot solve's condition number, bound and warnings, computed when read, are the prepared solver's", () => {
    // solveLyapunov (from n = 40) estimates the condition number when it is first read, on a copy of its Schur form:
    // read here after every solve has run (the one-shot solves' borrowed arrays reused by the later ones), against a
    // prepared solver's, which estimates it during its solve. Orders 8 and 10 (JavaScript kernels), 20 and 30
    // (estimated during the solve), 50-100 (the kernels' memory), 170 (beyond the one-shot solve's resident
    // factorisation); ill-conditioned cases carry their warnings.
    const nonNormal = (n: number, coupling: number): Matrix => {
      const a = matrix(n, n);
      for (let i = 0; i < n; i++) {
        a.data[i * n + i] = -1 - 0.01 * i;
        if (i + 1 < n) a.data[i * n + i + 1] = coupling;
      }
      return a;
    };
    const cases: [Matrix, Matrix][] = [
      [randomStable(170, 9), randomSymmetric(170, 10)],
      [oscillatorDrift(4, 1), randomSymmetric(8, 2)],
      [randomStable(20, 3), randomSymmetric(20, 4)],
      [randomStable(50, 5), randomSymmetric(50, 6)],
      [oscillatorDrift(50, 7), randomSymmetric(100, 8)],
      [nearlySingular(30, 1e-9, 11), identity(30)],
      [nearlySingular(60, 1e-9, 15), identity(60)],
      [nonNormal(20, 300), randomSymmetric(20, 12)],
      [nonNormal(45, 20), randomSymmetric(45, 16)],
      [randomStable(10, 13), randomSymmetric(10, 14)],
    ];
    const oneShot = cases.map(([a, q]) => solveLyapunov(a, q));
    // every estimate read before the prepared solvers run (they factorise the same A where the one-shot solve did)
    const bounds = oneShot.map((sol) => sol.forwardErrorBound);
    cases.forEach(([a, q], k) => {
      const sol = oneShot[k];
      expect(sol.forwardErrorBound).toBe(bounds[k]); // kept
      const ref = prepareLyapunov(a).solve(q);
      expectSameArray(sol.X.data, ref.X.data);
      expect(sol.residual).toBe(ref.residual);
      expect(sol.condition).toBe(ref.condition);
      expect(sol.forwardErrorBound).toBe(ref.forwardErrorBound);
      expect(sol.warnings).toEqual(ref.warnings);
      expect(JSON.parse(JSON.stringify(sol)).condition).toBe(ref.condition); // an own enumerable field
      expect({ ...sol }.forwardErrorBound).toBe(ref.forwardErrorBound);
    });
    expect(oneShot[5].warnings[0]).toMatch(/eigenvalues .* of A nearly cancel/); // read first here
    expect(oneShot[6].warnings[0]).toMatch(/eigenvalues .* of A nearly cancel/);
    expect(oneShot[7].warnings[0]).toMatch(/A is far from normal/);
    expect(oneShot[8].warnings[0]).toMatch(/A is far from normal/);
  });

  it("throws SingularLyapunovError for an exactly singular equation", () => {
    const rot = fromRows([
      [0, 1],
      [-1, 0],
    ]);
    for (const method of ["tiny", "bartels-stewart"] as const) {
      let caught: unknown;
      try {
        solveLyapunov(rot, identity(2), { method });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SingularLyapunovError);
      expect(caught).toBeInstanceOf(NessError);
      const err = caught as SingularLyapunovError;
      expect(err.message).toMatch(/singular Lyapunov equation: eigenvalues 1i and -1i of A/);
      expect(Math.abs(err.lambda1.re + err.lambda2.re)).toBeLessThan(1e-15);
      expect(Math.abs(err.lambda1.im + err.lambda2.im)).toBeLessThan(1e-15);
      expect(err.gap).toBeLessThan(1e-15);
    }
    // hidden in a larger rotated matrix, both engines and prepare
    for (const n of [4, 9]) {
      const a = nearlySingular(n, 0, 3 + n);
      expect(() => solveLyapunov(a, identity(n))).toThrow(SingularLyapunovError);
      expect(() => prepareLyapunov(a, { method: "bartels-stewart" })).toThrow(SingularLyapunovError);
    }
    // a zero eigenvalue (lambda + lambda = 0)
    expect(() =>
      solveLyapunov(
        fromRows([
          [0, 1],
          [0, -1],
        ]),
        identity(2),
      ),
    ).toThrow(SingularLyapunovError);
    // the raw kernel throws too
    expect(() => tinyLyapunovInto(2, rot.data, identity(2).data, new Float64Array(4))).toThrow(SingularLyapunovError);
  });

  it("a drift so far from normal that A X overflows is numerically singular, not a bad residual argument", () => {
    // A = -I + 300 N (N the shift): X grows like 300^(2n), finite at n = 50 while A X overflows; the residual was
    // Infinity and lyapunovCondition threw "residual must be a finite number"
    const n = 50;
    const a = matrix(n, n);
    for (let i = 0; i < n; i++) {
      a.data[i * n + i] = -1;
      if (i + 1 < n) a.data[i * n + i + 1] = 300;
    }
    const q = identity(n);
    for (const solve of [() => solveLyapunov(a, q).condition, () => prepareLyapunov(a).solve(q).condition]) {
      let caught: unknown;
      try {
        solve();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(SingularLyapunovError);
      expect((caught as SingularLyapunovError).numerical).toBe(true);
      expect((caught as Error).message).toMatch(/cannot be solved in double precision/);
    }
  });
});

describe("tinyLyapunovInto", () => {
  it("writes X and returns the relative residual without allocating results", () => {
    for (const n of [1, 2, 3, 4, 5, 6, 8]) {
      const a = randomStable(n, 70 + n);
      const q = randomSymmetric(n, 80 + n);
      const x = new Float64Array(n * n);
      const res = tinyLyapunovInto(n, a.data, q.data, x);
      expect(res).toBeLessThanOrEqual(1e-13);
      const X = matrix(n, n, x);
      expectSymmetric(X);
      expect(Math.abs(res - residualOf(a, X, q))).toBeLessThan(1e-15);
      expect(relDiff(X, solveLyapunov(a, q, { method: "bartels-stewart" }).X)).toBeLessThan(1e-12);
    }
  });

  it("is reusable across sizes and rejects n beyond its range", () => {
    const x = new Float64Array(16);
    const a4 = oscillatorDrift(2, 1);
    const q4 = identity(4);
    const r1 = tinyLyapunovInto(4, a4.data, q4.data, x);
    const first = x.slice();
    tinyLyapunovInto(2, randomStable(2, 1).data, identity(2).data, x);
    const r2 = tinyLyapunovInto(4, a4.data, q4.data, x);
    expect(r2).toBe(r1);
    expectSameArray(x, first);
    expect(() => tinyLyapunovInto(17, new Float64Array(289), new Float64Array(289), new Float64Array(289))).toThrow(
      MatrixArgumentError,
    );
  });
});

describe("adjoint solves on the same factorisation", () => {
  it("A^T Y + Y A = C, and <C, X> = <Y, Q> for A X + X A^T = Q (tiny and Bartels-Stewart engines)", () => {
    // The duality is the identity the dense engine's flux error bounds rest on; the reference for Y is a solve of
    // the transposed equation from its own factorisation.
    for (const n of [3, TINY_MAX_N + 1, 40, 90]) {
      const a = randomStable(n, 500 + n);
      const q = randomSymmetric(n, 600 + n);
      const c = randomSymmetric(n, 700 + n);
      const solver = prepareLyapunov(a);
      const x = solver.solve(q).X;
      const adj = solver.solveAdjoint(c);
      const y = adj.X;
      expect(adj.residual).toBeLessThan(1e-14);
      expect(adj.forwardErrorBound).toBeLessThan(1e-10);
      const ref = solveLyapunov(transpose(a), c).X;
      let diff = 0;
      for (let k = 0; k < n * n; k++) diff = Math.max(diff, Math.abs(y.data[k] - ref.data[k]));
      expect(diff).toBeLessThan(1e-10 * frobeniusNorm(ref));
      let cx = 0,
        yq = 0,
        scale = 0;
      for (let k = 0; k < n * n; k++) {
        cx += c.data[k] * x.data[k];
        yq += y.data[k] * q.data[k];
        scale += Math.abs(c.data[k] * x.data[k]);
      }
      expect(Math.abs(cx - yq)).toBeLessThan(1e-11 * scale);
      // an asymmetric C is named as C (not as the forward equation's Q)
      const bad = matrix(n, n, c.data.slice());
      bad.data[1] += 1;
      expect(() => solver.solveAdjoint(bad)).toThrow(/^Lyapunov: C must be symmetric/);
      expect(() => solver.solveAdjoint(matrix(n + 1, n + 1))).toThrow(`Lyapunov: C must be ${n}x${n} like A`);
    }
  });
});
