// Triangular Lyapunov equations T Y + Y T^T = C (T a real Schur form): the blocked (level-3) solve against the
// unblocked one and against the residual, including panels that end next to 2x2 blocks and leading-block solves.
import { describe, expect, it } from "vitest";
import { realSchur } from "../../src/linalg/schur.js";
import { matrix } from "../../src/linalg/matrix.js";
import {
  BLOCKED_MIN_N,
  PANEL,
  diagonalBlocks,
  solveQuasiTriangularLyapunov,
  solveQuasiTriangularLyapunovBlocked,
} from "../../src/linalg/triangularLyapunov.js";
import { normalRng } from "../helpers/random.js";

/** Real Schur form of a random matrix shifted to the right half plane (many complex pairs: 2x2 blocks). */
function schurForm(n: number, seed: number): Float64Array {
  const r = normalRng(seed);
  const a = matrix(
    n,
    n,
    Float64Array.from({ length: n * n }, () => r.normal()),
  );
  for (let i = 0; i < n; i++) a.data[i * n + i] += 2 * Math.sqrt(n);
  return realSchur(a).T.data;
}

/** Symmetric n x n with entries only in the leading k x k block. */
function symmetric(n: number, k: number, seed: number): Float64Array {
  const r = normalRng(seed);
  const c = new Float64Array(n * n);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = r.normal();
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
  return c;
}

/** ||T Y + Y T^T - C||_F / (2 ||T||_F ||Y||_F + ||C||_F). */
function residual(n: number, t: Float64Array, y: Float64Array, c: Float64Array): number {
  let s = 0,
    nt = 0,
    ny = 0,
    nc = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = -c[i * n + j];
      for (let k = 0; k < n; k++) v += t[i * n + k] * y[k * n + j] + y[i * n + k] * t[j * n + k];
      s += v * v;
      nt += t[i * n + j] ** 2;
      ny += y[i * n + j] ** 2;
      nc += c[i * n + j] ** 2;
    }
  }
  return Math.sqrt(s) / (2 * Math.sqrt(nt * ny) + Math.sqrt(nc));
}

function relDiff(x: Float64Array, y: Float64Array): number {
  let d = 0,
    s = 0;
  for (let i = 0; i < x.length; i++) {
    d += (x[i] - y[i]) ** 2;
    s += y[i] ** 2;
  }
  return Math.sqrt(d / s);
}

function solveBoth(n: number, t: Float64Array, c: Float64Array, active = n) {
  const { start, size, count } = diagonalBlocks(n, t);
  const unblocked = new Float64Array(n * n),
    blocked = new Float64Array(n * n);
  const okU = solveQuasiTriangularLyapunov(n, t, c, unblocked, start, size, count, new Float64Array(2 * n));
  const okB = solveQuasiTriangularLyapunovBlocked(
    n,
    t,
    c,
    blocked,
    start,
    size,
    count,
    new Float64Array(2 * n),
    active,
  );
  return { okU, okB, unblocked, blocked, count };
}

describe("blocked triangular Lyapunov solve", () => {
  it.each([BLOCKED_MIN_N, 151, 12 * PANEL + 1])("agrees with the unblocked solve, n = %i", (n) => {
    const t = schurForm(n, 7 * n);
    const { start, size, count } = diagonalBlocks(n, t);
    // the test is meaningful only with 2x2 blocks, some of them near panel ends
    expect(count).toBeLessThan(n - 10);
    expect(Array.from(size.subarray(0, count)).filter((w) => w === 2).length).toBeGreaterThan(5);
    expect(start[count - 1] + size[count - 1]).toBe(n);
    const c = symmetric(n, n, n + 1);
    const { okU, okB, unblocked, blocked } = solveBoth(n, t, c);
    expect(okU && okB).toBe(true);
    expect(relDiff(blocked, unblocked)).toBeLessThan(1e-13);
    expect(residual(n, t, blocked, c)).toBeLessThan(1e-15);
    let asymmetric = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (blocked[i * n + j] !== blocked[j * n + i]) asymmetric++;
    expect(asymmetric).toBe(0);
  });

  it("solves only the leading block when the right-hand side vanishes outside it", () => {
    const n = 160;
    const t = schurForm(n, 5);
    const { start, size, count } = diagonalBlocks(n, t);
    // a support cutting through a 2x2 block is extended to the whole block
    const inPair = start[Array.from(size.subarray(0, count)).findIndex((w, b) => w === 2 && start[b] > 100)] + 1;
    for (const k of [1, 37, inPair, 130, n]) {
      const c = symmetric(n, k, k);
      const { okU, okB, unblocked, blocked } = solveBoth(n, t, c, k);
      expect(okU && okB).toBe(true);
      expect(relDiff(blocked, unblocked)).toBeLessThan(1e-13);
      // Y vanishes outside the leading block (extended to whole diagonal blocks)
      let end = 0;
      for (let b = 0; b < count && start[b] < k; b++) end = start[b] + size[b];
      let outside = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) if ((i >= end || j >= end) && blocked[i * n + j] !== 0) outside++;
      expect(outside).toBe(0);
    }
  });

  it("reports an exactly singular block pair (t_ii + t_jj = 0) in both versions", () => {
    const n = 120;
    const t = schurForm(n, 11);
    const { start, size, count } = diagonalBlocks(n, t);
    // make a 1x1 block the negative of another one: lambda_i + lambda_j = 0
    const ones = Array.from(start.subarray(0, count)).filter((_, b) => size[b] === 1);
    expect(ones.length).toBeGreaterThan(2);
    t[ones[ones.length - 1] * n + ones[ones.length - 1]] = -t[ones[0] * n + ones[0]];
    const { okU, okB } = solveBoth(n, t, symmetric(n, n, 3));
    expect(okU).toBe(false);
    expect(okB).toBe(false);
  });
});
