// The blocked paths of the Schur form at a size where all of them run (n = 300: a Hessenberg panel with its top rows
// as matrix products, aggressive early deflation with the reordering kernels, multishift sweeps with bulges two rows
// apart): A = Q H Q^T and A = Z T Z^T to 1e-12 relative with orthogonal Q and Z, the eigenvalues of a matrix built
// with a known spectrum (also one with tight clusters, deflated by aggressive early deflation), and the bulge-chain
// kernel (asm/bulgeChain.ts) against its JavaScript twin, number for number.
import { describe, expect, it } from "vitest";
import { chaseSlabJs } from "../../src/linalg/bulgeChain.js";
import { eigenvalues } from "../../src/linalg/eigen.js";
import { type Matrix, frobeniusNorm, identity, matrix, multiply, transpose } from "../../src/linalg/matrix.js";
import { hessenberg, qrCounters, realSchur, resetQrCounters } from "../../src/linalg/schur.js";
import { addr, scratch, wasm, withWorkspace } from "../../src/linalg/wasm/runtime.js";
import { normalRng } from "../helpers/random.js";
import { expectSameArray, expectZeroWhere } from "../helpers/arrays.js";

const N = 300;

function randomMatrix(n: number, seed: number): Matrix {
  const r = normalRng(seed);
  return matrix(
    n,
    n,
    Float64Array.from({ length: n * n }, () => r.normal()),
  );
}

/** Orthogonal factor of a Gaussian matrix by Householder QR (independent of the code under test). */
function randomOrthogonal(n: number, seed: number): Matrix {
  const a = randomMatrix(n, seed).data;
  const q = identity(n).data;
  const v = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[k * n + k] < 0 ? norm : -norm;
    for (let i = k; i < n; i++) v[i] = a[i * n + k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    // A <- (I - 2 v v^T / v^T v) A, Q <- Q (I - 2 v v^T / v^T v)
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * a[i * n + j];
      s *= 2 / vv;
      for (let i = k; i < n; i++) a[i * n + j] -= s * v[i];
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k; j < n; j++) s += q[i * n + j] * v[j];
      s *= 2 / vv;
      for (let j = k; j < n; j++) q[i * n + j] -= s * v[j];
    }
  }
  return matrix(n, n, q);
}

function relDiff(x: Matrix, y: Matrix): number {
  let d = 0;
  for (let i = 0; i < x.data.length; i++) d += (x.data[i] - y.data[i]) ** 2;
  return Math.sqrt(d) / frobeniusNorm(y);
}

/** ||Q^T Q - I||_F / sqrt(n). */
function orthogonalityError(q: Matrix): number {
  const n = q.rows;
  const p = multiply(transpose(q), q);
  for (let i = 0; i < n; i++) p.data[i * n + i] -= 1;
  return frobeniusNorm(p) / Math.sqrt(n);
}

/** A = Z T Z^T with orthogonal Z, T upper quasi-triangular, to 1e-12 relative. */
function checkFactorisation(a: Matrix, q: Matrix, t: Matrix, quasi: boolean): void {
  const n = a.rows;
  expect(orthogonalityError(q)).toBeLessThan(1e-12);
  expect(relDiff(multiply(multiply(q, t), transpose(q)), a)).toBeLessThan(1e-12);
  expectZeroWhere(n, t.data, (i, j) => j < i - 1);
  if (quasi)
    for (let i = 0; i + 2 < n; i++) expect(Math.abs(t.data[(i + 1) * n + i] * t.data[(i + 2) * n + i + 1])).toBe(0);
}

describe("Schur form, blocked paths (n = 300)", () => {
  it("Hessenberg panels: A = Q H Q^T to 1e-12 relative with orthogonal Q", () => {
    const a = randomMatrix(N, 1801);
    const { H, Q } = hessenberg(a);
    checkFactorisation(a, Q, H, false);
  });

  it("random matrix: A = Z T Z^T to 1e-12 relative with orthogonal Z and quasi-triangular T", () => {
    const a = randomMatrix(N, 1802);
    const { T, Z } = realSchur(a);
    checkFactorisation(a, Z, T, true);
  });

  it("recovers a known spectrum of real eigenvalues and complex pairs", () => {
    // A = Q D Q^T, D block diagonal: real eigenvalues and 2x2 rotation-like blocks [[re, im], [-im, re]].
    const n = N;
    const d = matrix(n, n);
    const want: [number, number][] = [];
    const r = normalRng(1803);
    for (let i = 0; i < n;) {
      const re = -0.05 - 2 * Math.abs(r.normal());
      if (i % 5 < 2 && i + 1 < n) {
        const im = 0.1 + Math.abs(r.normal());
        d.data[i * n + i] = re;
        d.data[(i + 1) * n + i + 1] = re;
        d.data[i * n + i + 1] = im;
        d.data[(i + 1) * n + i] = -im;
        want.push([re, im], [re, -im]);
        i += 2;
      } else {
        d.data[i * n + i] = re;
        want.push([re, 0]);
        i++;
      }
    }
    const q = randomOrthogonal(n, 1804);
    const a = multiply(multiply(q, d), transpose(q));
    const { T, Z } = realSchur(a);
    checkFactorisation(a, Z, T, true);
    // A is normal: every eigenvalue moves by at most ||E||_2 (Bauer-Fike with a unitary eigenbasis), E the
    // backward error (~1e-15 ||A||_F here).
    const tol = 1e-12 * frobeniusNorm(a);
    const got = eigenvalues(a);
    const left = Array.from(got.re, (x, k) => [x, got.im[k]]);
    for (const [wr, wi] of want) {
      let best = -1,
        bd = Infinity;
      left.forEach(([x, y], k) => {
        const dd = Math.hypot(x - wr, y - wi);
        if (dd < bd) {
          bd = dd;
          best = k;
        }
      });
      expect(bd).toBeLessThan(tol);
      left.splice(best, 1);
    }
  });

  it("aggressive early deflation deflates clustered eigenvalues: spectrum and backward error <= n eps", () => {
    // A = Q D Q^T (normal, so each eigenvalue moves by at most the backward error), D block diagonal with three tight
    // clusters (60 real eigenvalues 1e-10 apart near -1, 30 complex pairs 1e-9 apart near -0.5 +- 2i, 60 real ones
    // 1e-10 apart near -3) and 30 spread pairs, n = 240: every eigenvalue of T within 1e-12 ||A||_F of a known one
    // (one to one), ||A Z - Z T||_F / ||A||_F <= n eps, and most of the spectrum deflated by deflation windows.
    const n = 240;
    const d = matrix(n, n);
    const want: [number, number][] = [];
    const pair = (i: number, re: number, im: number): void => {
      d.data[i * n + i] = re;
      d.data[(i + 1) * n + i + 1] = re;
      d.data[i * n + i + 1] = im;
      d.data[(i + 1) * n + i] = -im;
      want.push([re, im], [re, -im]);
    };
    let i = 0;
    for (let k = 0; k < 60; k++, i++) {
      d.data[i * n + i] = -1 + 1e-10 * k;
      want.push([-1 + 1e-10 * k, 0]);
    }
    for (let k = 0; k < 30; k++, i += 2) pair(i, -0.5 + 1e-9 * k, 2 + 1e-9 * k);
    for (let k = 0; k < 60; k++, i++) {
      d.data[i * n + i] = -3 - 1e-10 * k;
      want.push([-3 - 1e-10 * k, 0]);
    }
    for (let k = 0; k < 30; k++, i += 2) pair(i, -0.1 - 0.05 * k, 0.3 + 0.1 * k);
    expect(i).toBe(n);
    const q = randomOrthogonal(n, 1806);
    const a = multiply(multiply(q, d), transpose(q));
    resetQrCounters();
    const { T, Z } = realSchur(a);
    expect(qrCounters.windows).toBeGreaterThan(0);
    expect(qrCounters.deflatedByWindows).toBeGreaterThanOrEqual(n / 2);
    checkFactorisation(a, Z, T, true);
    const eps = 2 ** -52;
    expect(relDiff(multiply(a, Z), multiply(Z, T))).toBeLessThanOrEqual(n * eps);
    const tol = 1e-12 * frobeniusNorm(a);
    const left: number[][] = [];
    for (let j = 0; j < n; j++) {
      if (j + 1 < n && T.data[(j + 1) * n + j] !== 0) {
        const im = Math.sqrt(Math.abs(T.data[(j + 1) * n + j] * T.data[j * n + j + 1]));
        left.push([T.data[j * n + j], im], [T.data[j * n + j], -im]);
        j++;
      } else left.push([T.data[j * n + j], 0]);
    }
    for (const [wr, wi] of want) {
      let best = -1,
        bd = Infinity;
      left.forEach(([x, y], k) => {
        const dd = Math.hypot(x - wr, y - wi);
        if (dd < bd) {
          bd = dd;
          best = k;
        }
      });
      expect(bd).toBeLessThan(tol);
      left.splice(best, 1);
    }
  });

  it.skipIf(!wasm())("the bulge-chain kernel chases like its JavaScript twin, number for number", () => {
    // A whole multishift sweep (slab after slab) on the active block rows 3..57 (1-based) of a 60 x 60 Hessenberg
    // matrix with 5 shift pairs (complex, real, repeated real), in the kernels' memory and on ordinary arrays.
    const n = 60,
      ktop = 3,
      kbot = 57,
      nbmps = 5,
      kdu = 4 * nbmps;
    const h0 = randomMatrix(n, 1805).data;
    for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) h0[i * n + j] = 0;
    const pairs0 = Float64Array.from([
      0.3, 1.2, 0.3, -1.2, -0.5, 0, 0.7, 0, 1.1, 0, 1.1, 0, -0.2, 0.4, -0.2, -0.4, 2, 0, -2, 0,
    ]);
    const sweep = (ut: Float64Array, v: Float64Array, slab: (incol: number) => void): Float64Array[] => {
      const uts: Float64Array[] = [];
      v.fill(0);
      for (let incol = ktop - 2 * nbmps + 1; incol <= kbot - 2; incol += 2 * nbmps) {
        ut.fill(0);
        for (let r = 0; r < kdu; r++) ut[r * kdu + r] = 1;
        slab(incol);
        uts.push(ut.slice());
      }
      return uts;
    };
    const hJs = h0.slice(),
      utJs = new Float64Array(kdu * kdu),
      vJs = new Float64Array(3 * nbmps);
    const usJs = sweep(utJs, vJs, (incol) => chaseSlabJs(n, hJs, ktop, kbot, incol, nbmps, pairs0, utJs, kdu, vJs));
    const rt = wasm()!;
    const { hW, usW } = withWorkspace(n * n + kdu * kdu + 3 * nbmps + pairs0.length, () => {
      const h = scratch(n * n),
        ut = scratch(kdu * kdu),
        v = scratch(3 * nbmps),
        pairs = scratch(pairs0.length);
      h.set(h0);
      pairs.set(pairs0);
      const us = sweep(ut, v, (incol) =>
        rt.x.chaseSlab(n, addr(h), ktop, kbot, incol, nbmps, addr(pairs), addr(ut), kdu, addr(v)),
      );
      return { hW: h.slice(), usW: us };
    });
    expectSameArray(hW, hJs);
    expect(usW.length).toBe(usJs.length);
    for (let s = 0; s < usJs.length; s++) expectSameArray(usW[s], usJs[s]);
    // The sweep did something: the active block's subdiagonal changed, and each Ut is orthogonal.
    expect(hJs[(kbot - 1) * n + kbot - 2]).not.toBe(h0[(kbot - 1) * n + kbot - 2]);
    for (const u of usJs) expect(orthogonalityError(matrix(kdu, kdu, u))).toBeLessThan(1e-14);
  });
});
