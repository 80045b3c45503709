// Symmetric eigenproblem and Cholesky: reconstruction, orthogonality, ordering, agreement with eigenvalues().
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
import { cholesky, eigenvalues, isPositiveDefinite, symmetricEigen } from "../../src/linalg/eigen.js";
import { normalRng as rng } from "../helpers/random.js";

function randomSymmetric(n: number, seed: number): Matrix {
  const r = rng(seed);
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = r.normal();
      m.data[i * n + j] = v;
      m.data[j * n + i] = v;
    }
  }
  return m;
}

function sub(a: Matrix, b: Matrix): Matrix {
  return matrix(
    a.rows,
    a.cols,
    a.data.map((v, i) => v - b.data[i]),
  );
}

function checkEigen(s: Matrix, tol = 1e-14): { values: Float64Array; vectors: Matrix } {
  const n = s.rows;
  const res = symmetricEigen(s);
  const { values, vectors: V } = res;
  for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  const D = matrix(n, n);
  for (let k = 0; k < n; k++) D.data[k * n + k] = values[k];
  const recon = multiply(multiply(V, D), transpose(V));
  const scale = Math.max(frobeniusNorm(s), 1e-300);
  const rel = Math.max(1, Math.sqrt(n)) * tol;
  expect(frobeniusNorm(sub(recon, s)) / scale).toBeLessThan(rel);
  expect(frobeniusNorm(sub(multiply(transpose(V), V), identity(n)))).toBeLessThan(rel);
  return res;
}

describe("symmetricEigen", () => {
  it("handles trivial sizes", () => {
    expect(symmetricEigen(matrix(0, 0)).values.length).toBe(0);
    const one = symmetricEigen(fromRows([[-2]]));
    expect(one.values[0]).toBe(-2);
    expect(Math.abs(one.vectors.data[0])).toBe(1);
    const two = checkEigen(
      fromRows([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(two.values[0]).toBeCloseTo(1, 14);
    expect(two.values[1]).toBeCloseTo(3, 14);
  });

  it("decomposes random symmetric matrices to machine precision", () => {
    for (const n of [3, 4, 5, 10, 31, 100, 250]) checkEigen(randomSymmetric(n, 10 + n));
  });

  it("agrees with the general eigenvalue solver", () => {
    for (const n of [6, 40]) {
      const s = randomSymmetric(n, 300 + n);
      const { values } = symmetricEigen(s);
      const ev = eigenvalues(s);
      const re = Array.from(ev.re).sort((x, y) => x - y);
      const scale = Math.max(...values.map(Math.abs));
      for (let k = 0; k < n; k++) {
        expect(Math.abs(re[k] - values[k])).toBeLessThan(1e-13 * scale);
        expect(Math.abs(ev.im[k])).toBeLessThan(1e-12 * scale);
      }
    }
  });

  it("handles repeated, zero, diagonal, tridiagonal and badly scaled matrices", () => {
    checkEigen(matrix(7, 7));
    checkEigen(identity(9));
    const diag = matrix(5, 5);
    [3, -1, 3, 0, 2].forEach((v, i) => (diag.data[i * 5 + i] = v));
    expect(Array.from(checkEigen(diag).values)).toEqual([-1, 0, 2, 3, 3]);
    // 1-D Laplacian: eigenvalues 2 - 2 cos(k pi / (n+1))
    const n = 50;
    const lap = matrix(n, n);
    for (let i = 0; i < n; i++) {
      lap.data[i * n + i] = 2;
      if (i + 1 < n) lap.data[i * n + i + 1] = lap.data[(i + 1) * n + i] = -1;
    }
    const { values } = checkEigen(lap);
    for (let k = 1; k <= n; k++) expect(values[k - 1]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 13);
    // rank one plus identity: eigenvalue 1 with multiplicity n-1
    const u = rng(9);
    const v = Array.from({ length: 20 }, () => u.normal());
    const r1 = matrix(20, 20);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) r1.data[i * 20 + j] = v[i] * v[j] + (i === j ? 1 : 0);
    const { values: rv } = checkEigen(r1);
    for (let k = 0; k < 19; k++) expect(rv[k]).toBeCloseTo(1, 13);
    // huge and tiny scales
    const big = randomSymmetric(8, 4);
    checkEigen(
      matrix(
        8,
        8,
        big.data.map((x) => x * 1e200),
      ),
    );
    checkEigen(
      matrix(
        8,
        8,
        big.data.map((x) => x * 1e-200),
      ),
    );
  });
});

describe("cholesky", () => {
  it("factorises positive definite matrices and rejects indefinite ones", () => {
    const n = 30;
    const g = randomSymmetric(n, 55);
    const spd = multiply(g, transpose(g));
    for (let i = 0; i < n; i++) spd.data[i * n + i] += 0.1;
    const L = cholesky(spd)!;
    expect(L).not.toBeNull();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
    expect(frobeniusNorm(sub(multiply(L, transpose(L)), spd)) / frobeniusNorm(spd)).toBeLessThan(1e-14);
    expect(isPositiveDefinite(spd)).toBe(true);
    expect(isPositiveDefinite(g)).toBe(false); // random symmetric: indefinite
    expect(
      isPositiveDefinite(
        fromRows([
          [1, 0],
          [0, 0],
        ]),
      ),
    ).toBe(false);
  });
});
