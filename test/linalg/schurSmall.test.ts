// The Schur factorisation of orders 4-199 in one call of the WebAssembly kernels (asm/schurSmall.ts) against the
// two-call path (Hessenberg reduction, then the QR iteration driven from JavaScript sweep by sweep) and against known
// spectra: reconstruction, orthogonality, standardised blocks, eigenvalues, clustered and defective spectra.
import { describe, expect, it } from "vitest";
import {
  SchurConvergenceError,
  hessenbergInPlaceUnchecked,
  hessenbergQRUnchecked,
  qrCounters,
  resetQrCounters,
  schurInPlaceUnchecked,
} from "../../src/linalg/schur.js";
import { scratch, wasm, withWorkspace } from "../../src/linalg/wasm/runtime.js";
import { normalRng } from "../helpers/random.js";
import { expectSameArray, expectZeroWhere } from "../helpers/arrays.js";

interface Schur {
  t: Float64Array;
  zt: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

function oneCall(n: number, a: Float64Array, wantT = true): Schur {
  const t = a.slice(),
    zt = new Float64Array(n * n),
    re = new Float64Array(n),
    im = new Float64Array(n);
  schurInPlaceUnchecked(n, t, wantT ? zt : null, re, im, wantT);
  return { t, zt, re, im };
}

function twoCalls(n: number, a: Float64Array): Schur {
  const t = a.slice(),
    zt = new Float64Array(n * n),
    re = new Float64Array(n),
    im = new Float64Array(n);
  hessenbergInPlaceUnchecked(n, t, zt);
  hessenbergQRUnchecked(n, t, zt, re, im, true);
  return { t, zt, re, im };
}

function frobenius(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

/** ||A - Z T Z^T|| / ||A||, ||Z^T Z - I|| (Zt = Z^T row-major), and T quasi-triangular with standardised blocks. */
function checkFactors(n: number, a: Float64Array, { t, zt }: Schur, tol = 1e-14): void {
  // W = T Zt, then Z T Z^T = Zt^T W
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const tik = t[i * n + k];
      if (tik !== 0) for (let j = 0; j < n; j++) w[i * n + j] += tik * zt[k * n + j];
    }
  const diff = new Float64Array(n * n),
    orth = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0,
        o = 0;
      for (let k = 0; k < n; k++) {
        s += zt[k * n + i] * w[k * n + j];
        o += zt[i * n + k] * zt[j * n + k];
      }
      diff[i * n + j] = s - a[i * n + j];
      orth[i * n + j] = o - (i === j ? 1 : 0);
    }
  const scale = Math.max(frobenius(a), 1e-300);
  expect(frobenius(diff) / scale).toBeLessThan(tol * Math.sqrt(n));
  expect(frobenius(orth)).toBeLessThan(tol * Math.sqrt(n));
  expectZeroWhere(n, t, (i, j) => j < i - 1);
  for (let i = 0; i + 1 < n; i++) {
    if (t[(i + 1) * n + i] === 0) continue;
    if (i + 2 < n) expect(t[(i + 2) * n + i + 1]).toBe(0);
    expect(t[i * n + i]).toBe(t[(i + 1) * n + i + 1]);
    expect(t[i * n + i + 1] * t[(i + 1) * n + i]).toBeLessThan(0);
  }
}

/** Largest distance from an eigenvalue of one list to the nearest unused one of the other (greedy matching). */
function spectrumDistance(re1: ArrayLike<number>, im1: ArrayLike<number>, want: [number, number][]): number {
  const left = [...want];
  let worst = 0;
  for (let k = 0; k < re1.length; k++) {
    let best = 0,
      bd = Infinity;
    left.forEach(([r, i], j) => {
      const d = Math.hypot(re1[k] - r, im1[k] - i);
      if (d < bd) {
        bd = d;
        best = j;
      }
    });
    worst = Math.max(worst, bd);
    left.splice(best, 1);
  }
  return worst;
}

const pairs = (s: Schur): [number, number][] => Array.from(s.re, (r, k) => [r, s.im[k]] as [number, number]);

function randomMatrix(n: number, seed: number): Float64Array {
  const r = normalRng(seed);
  return Float64Array.from({ length: n * n }, () => r.normal());
}

/** Q D Q^T with Q a product of random Householder reflections (orthogonal, well conditioned). */
function hide(n: number, d: Float64Array, seed: number): Float64Array {
  const r = normalRng(seed);
  let a = d.slice();
  for (let rep = 0; rep < 3; rep++) {
    const v = Float64Array.from({ length: n }, () => r.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    // a <- P a P with P = I - 2 v v^T / (v^T v)
    const b = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * v[k];
        b[i * n + j] = a[i * n + j] - (2 * s * v[j]) / vv;
      }
    a = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[k] * b[k * n + j];
      for (let i = 0; i < n; i++) a[i * n + j] = b[i * n + j] - (2 * v[i] * s) / vv;
    }
  }
  return a;
}

/** Drift of a chain of m = n/2 unit oscillators with weak damping and baths at both ends (the bench's matrix). */
function chainDrift(n: number): Float64Array {
  const m = n / 2;
  const a = new Float64Array(n * n);
  for (let i = 0; i < m; i++) {
    a[i * n + m + i] = 1;
    a[(m + i) * n + i] = -3;
    if (i > 0) a[(m + i) * n + i - 1] = 1;
    if (i + 1 < m) a[(m + i) * n + i + 1] = 1;
    a[(m + i) * n + m + i] = -0.05;
  }
  a[m * n + m] -= 1;
  a[(n - 1) * n + n - 1] -= 1;
  return a;
}

describe.skipIf(!wasm())("Schur form of orders 4-199 in one call of the kernels", () => {
  it("runs without the JavaScript sweep driver (its counters stay at zero)", () => {
    resetQrCounters();
    oneCall(40, randomMatrix(40, 1));
    expect(qrCounters.doubleShiftSweeps).toBe(0);
    twoCalls(40, randomMatrix(40, 1));
    expect(qrCounters.doubleShiftSweeps).toBeGreaterThan(0);
  });

  it("factorises random and chain-drift matrices like the two-call path (n = 4 .. 199)", () => {
    for (const n of [4, 5, 8, 11, 12, 13, 31, 64, 100, 199]) {
      const a = randomMatrix(n, 70 + n);
      const one = oneCall(n, a);
      checkFactors(n, a, one);
      const scale = frobenius(a);
      expect(spectrumDistance(one.re, one.im, pairs(twoCalls(n, a))) / scale).toBeLessThan(1e-14);
    }
    for (const n of [20, 50]) {
      const a = chainDrift(n);
      const one = oneCall(n, a);
      checkFactors(n, a, one);
      expect(spectrumDistance(one.re, one.im, pairs(twoCalls(n, a))) / frobenius(a)).toBeLessThan(1e-14);
    }
  });

  it("recovers clustered spectra: repeated real eigenvalues and repeated complex pairs, hidden by a similarity", () => {
    const n = 30;
    const d = new Float64Array(n * n);
    const want: [number, number][] = [];
    // ten eigenvalues -1, five pairs -0.5 +- 2i (as 2x2 rotation blocks), ten eigenvalues -1 + 1e-9 k
    for (let i = 0; i < 10; i++) {
      d[i * n + i] = -1;
      want.push([-1, 0]);
    }
    for (let b = 0; b < 5; b++) {
      const i = 10 + 2 * b;
      d[i * n + i] = d[(i + 1) * n + i + 1] = -0.5;
      d[i * n + i + 1] = 2;
      d[(i + 1) * n + i] = -2;
      want.push([-0.5, 2], [-0.5, -2]);
    }
    for (let k = 0; k < 10; k++) {
      d[(20 + k) * n + 20 + k] = -1 + 1e-9 * k;
      want.push([-1 + 1e-9 * k, 0]);
    }
    const a = hide(n, d, 5);
    const one = oneCall(n, a);
    checkFactors(n, a, one);
    // a normal matrix: eigenvalues are perfectly conditioned
    expect(spectrumDistance(one.re, one.im, want)).toBeLessThan(1e-13);
  });

  it("handles defective (Jordan) spectra to the accuracy they allow", () => {
    // a 12 x 12 Jordan block with eigenvalue 2 beside distinct eigenvalues, hidden by a similarity: a perturbation
    // of size eps moves the block's eigenvalues by about eps^(1/12)
    const n = 24;
    const d = new Float64Array(n * n);
    const want: [number, number][] = [];
    for (let i = 0; i < 12; i++) {
      d[i * n + i] = 2;
      if (i + 1 < 12) d[i * n + i + 1] = 1;
      want.push([2, 0]);
    }
    for (let i = 12; i < n; i++) {
      d[i * n + i] = -i;
      want.push([-i, 0]);
    }
    const a = hide(n, d, 9);
    const one = oneCall(n, a);
    checkFactors(n, a, one);
    const two = twoCalls(n, a);
    const bound = 10 * (1e-15 * frobenius(a)) ** (1 / 12);
    expect(spectrumDistance(one.re, one.im, want)).toBeLessThan(bound);
    expect(spectrumDistance(two.re, two.im, want)).toBeLessThan(bound);
    // the distinct eigenvalues to rounding
    for (let i = 12; i < n; i++) {
      const near = Math.min(...Array.from(one.re, (r, k) => Math.hypot(r + i, one.im[k])));
      expect(near).toBeLessThan(1e-11 * n);
    }
  });

  it("gives the same eigenvalues without the Schur form (wantT false)", () => {
    for (const n of [12, 45]) {
      const a = randomMatrix(n, 300 + n);
      const full = oneCall(n, a);
      const eig = oneCall(n, a, false);
      expect(spectrumDistance(eig.re, eig.im, pairs(full)) / frobenius(a)).toBeLessThan(1e-13);
    }
  });

  it("gives identical results on views of the kernels' memory and on ordinary arrays", () => {
    const n = 37;
    const a = randomMatrix(n, 11);
    const ordinary = oneCall(n, a);
    const inMemory = withWorkspace(2 * n * n + 2 * n + 64, () => {
      const t = scratch(n * n),
        zt = scratch(n * n),
        re = scratch(n),
        im = scratch(n);
      t.set(a);
      schurInPlaceUnchecked(n, t, zt, re, im, true);
      return { t: t.slice(), zt: zt.slice(), re: re.slice(), im: im.slice() };
    });
    expectSameArray(inMemory.t, ordinary.t);
    expectSameArray(inMemory.zt, ordinary.zt);
    expectSameArray(inMemory.re, ordinary.re);
    expectSameArray(inMemory.im, ordinary.im);
  });

  it("stops at once on a non-finite value (a SchurConvergenceError, no hang)", () => {
    const n = 20;
    const a = randomMatrix(n, 3);
    a[5 * n + 7] = NaN;
    let caught: unknown = null;
    try {
      oneCall(n, a);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SchurConvergenceError);
    expect((caught as SchurConvergenceError).nonFinite).toBe(true);
    expect(String((caught as Error).message)).toMatch(/non-finite values/);
  });
});
