// Real Schur decomposition and general eigenvalues: reconstruction, orthogonality, structure, known spectra.
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
import { hessenberg, hessenbergInPlace, hessenbergQR, realSchur, standardiseBlock } from "../../src/linalg/schur.js";
import { MatrixArgumentError } from "../../src/linalg/errors.js";
import { eigenvalues } from "../../src/linalg/eigen.js";
import { normalRng as rng } from "../helpers/random.js";
import { expectZeroWhere } from "../helpers/arrays.js";

function randomMatrix(n: number, seed: number): Matrix {
  const r = rng(seed);
  return matrix(
    n,
    n,
    Float64Array.from({ length: n * n }, () => r.normal()),
  );
}

/** Random orthogonal matrix (Gram-Schmidt twice on a Gaussian matrix). */
function randomOrthogonal(n: number, seed: number): Matrix {
  const g = randomMatrix(n, seed);
  const q = transpose(g); // rows = columns of g
  const d = q.data;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += d[i * n + k] * d[j * n + k];
        for (let k = 0; k < n; k++) d[i * n + k] -= s * d[j * n + k];
      }
      let s = 0;
      for (let k = 0; k < n; k++) s += d[i * n + k] ** 2;
      s = Math.sqrt(s);
      for (let k = 0; k < n; k++) d[i * n + k] /= s;
    }
  }
  return transpose(q);
}

function sub(a: Matrix, b: Matrix): Matrix {
  return matrix(
    a.rows,
    a.cols,
    a.data.map((v, i) => v - b.data[i]),
  );
}

function checkSchur(a: Matrix, tol = 1e-13): { T: Matrix; Z: Matrix } {
  const n = a.rows;
  const { T, Z } = realSchur(a);
  const recon = multiply(multiply(Z, T), transpose(Z));
  const scale = Math.max(frobeniusNorm(a), 1e-300);
  expect(frobeniusNorm(sub(recon, a)) / scale).toBeLessThan(tol * Math.max(1, Math.sqrt(n)));
  const orth = sub(multiply(transpose(Z), Z), identity(n));
  expect(frobeniusNorm(orth)).toBeLessThan(tol * Math.max(1, Math.sqrt(n)));
  checkQuasiTriangular(T);
  return { T, Z };
}

/** Zero below the subdiagonal, no two consecutive nonzero subdiagonals, 2x2 blocks standardised and complex. */
function checkQuasiTriangular(T: Matrix): void {
  const n = T.rows,
    t = T.data;
  expectZeroWhere(n, t, (i, j) => j < i - 1);
  for (let i = 0; i + 1 < n; i++) {
    if (t[(i + 1) * n + i] === 0) continue;
    // a 2x2 block at (i, i)
    if (i + 2 < n) expect(t[(i + 2) * n + i + 1]).toBe(0);
    expect(t[i * n + i]).toBe(t[(i + 1) * n + i + 1]);
    expect(t[i * n + i + 1] * t[(i + 1) * n + i]).toBeLessThan(0);
  }
}

function sortedSpectrum(re: ArrayLike<number>, im: ArrayLike<number>): [number, number][] {
  return Array.from(re, (r, i) => [r, im[i]] as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

function expectSpectrum(got: { re: Float64Array; im: Float64Array }, want: [number, number][], tol: number): void {
  expect(got.re.length).toBe(want.length);
  // greedy matching (robust to ordering of nearly equal real parts)
  const left = sortedSpectrum(got.re, got.im);
  for (const [wr, wi] of want) {
    let best = -1,
      bd = Infinity;
    left.forEach(([r, i], k) => {
      const d = Math.hypot(r - wr, i - wi);
      if (d < bd) {
        bd = d;
        best = k;
      }
    });
    expect(bd).toBeLessThan(tol);
    left.splice(best, 1);
  }
}

describe("hessenberg", () => {
  it("reduces to upper Hessenberg form with A = Q H Q^T", () => {
    for (const n of [1, 2, 3, 7, 30]) {
      const a = randomMatrix(n, 100 + n);
      const { H, Q } = hessenberg(a);
      expectZeroWhere(n, H.data, (i, j) => j < i - 1);
      const recon = multiply(multiply(Q, H), transpose(Q));
      expect(frobeniusNorm(sub(recon, a)) / frobeniusNorm(a)).toBeLessThan(1e-14);
      expect(frobeniusNorm(sub(multiply(transpose(Q), Q), identity(n)))).toBeLessThan(1e-14);
    }
  });
});

describe("standardiseBlock (dlanv2)", () => {
  const out = { a: 0, b: 0, c: 0, d: 0, rt1r: 0, rt1i: 0, rt2r: 0, rt2i: 0, cs: 1, sn: 0 };
  const cases: [number, number, number, number][] = [
    [1, 2, 3, 4],
    [1, -2, 3, 4],
    [0, 1, -1, 0],
    [2, 0, 5, 3],
    [3, 1, 0, 2],
    [1, 1e-20, -1e-20, 1],
    [4, -5, 1, 2],
    [1, 2, 2, 1],
    [0, 0, 1, 0],
  ];
  it.each(cases)("[%d %d; %d %d] is factorised and standardised", (a, b, c, d) => {
    const s = standardiseBlock(a, b, c, d, out);
    const G = fromRows([
      [s.cs, -s.sn],
      [s.sn, s.cs],
    ]);
    const std = fromRows([
      [s.a, s.b],
      [s.c, s.d],
    ]);
    const recon = multiply(multiply(G, std), transpose(G));
    const orig = [a, b, c, d];
    recon.data.forEach((v, i) => expect(v).toBeCloseTo(orig[i], 14));
    expect(s.cs * s.cs + s.sn * s.sn).toBeCloseTo(1, 15);
    if (s.c !== 0) {
      expect(s.a).toBe(s.d);
      expect(s.b * s.c).toBeLessThan(0);
      expect(s.rt1i).toBeGreaterThan(0);
    } else {
      expect(s.rt1i).toBe(0);
    }
    // trace and determinant preserved
    expect(s.rt1r + s.rt2r).toBeCloseTo(a + d, 13);
    const det = s.rt1r * s.rt2r + s.rt1i * s.rt1i;
    expect(det).toBeCloseTo(a * d - b * c, 13);
  });
});

describe("realSchur", () => {
  it("handles trivial sizes", () => {
    const z = realSchur(matrix(0, 0));
    expect(z.T.rows).toBe(0);
    const one = realSchur(fromRows([[3]]));
    expect(one.T.data[0]).toBe(3);
    expect(Math.abs(one.Z.data[0])).toBe(1);
  });

  it("reconstructs random matrices with orthogonal Z and quasi-triangular T", () => {
    for (const n of [2, 3, 4, 5, 8, 13, 40, 120]) {
      for (let s = 0; s < 3; s++) checkSchur(randomMatrix(n, 1000 * n + s));
    }
  });

  it("handles structured matrices (zeros, repeated, nilpotent, badly scaled, symmetric)", () => {
    const n = 12;
    checkSchur(matrix(n, n));
    checkSchur(identity(n));
    const shift = matrix(n, n);
    for (let i = 0; i + 1 < n; i++) shift.data[i * n + i + 1] = 1;
    checkSchur(shift);
    checkSchur(transpose(shift));
    // permutation (cyclic): eigenvalues are the n-th roots of unity
    const cyc = matrix(n, n);
    for (let i = 0; i < n; i++) cyc.data[i * n + ((i + 1) % n)] = 1;
    const { T } = checkSchur(cyc);
    expect(T.rows).toBe(n);
    expectSpectrum(
      eigenvalues(cyc),
      Array.from({ length: n }, (_, k) => [Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n)]),
      1e-13,
    );
    // graded
    const g = randomMatrix(10, 7);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) g.data[i * 10 + j] *= 10 ** (i - j);
    checkSchur(g, 1e-12);
    // symmetric: T must be diagonal up to rounding
    const s = randomMatrix(15, 8);
    const sym = matrix(
      15,
      15,
      s.data.map((_, k) => s.data[k] + s.data[(k % 15) * 15 + Math.floor(k / 15)]),
    );
    const { T: ts } = checkSchur(sym);
    for (let i = 0; i + 1 < 15; i++) expect(ts.data[(i + 1) * 15 + i]).toBe(0);
  });

  it("produces 2x2 blocks exactly for complex pairs of rotation blocks", () => {
    // block diag of rotations with distinct frequencies and decays, hidden by an orthogonal similarity
    const n = 8;
    const d = matrix(n, n);
    const want: [number, number][] = [];
    for (let b = 0; b < 4; b++) {
      const sigma = -0.5 * (b + 1),
        omega = 1 + b;
      const i = 2 * b;
      d.data[i * n + i] = sigma;
      d.data[(i + 1) * n + i + 1] = sigma;
      d.data[i * n + i + 1] = omega;
      d.data[(i + 1) * n + i] = -omega;
      want.push([sigma, omega], [sigma, -omega]);
    }
    const Q = randomOrthogonal(n, 42);
    const a = multiply(multiply(Q, d), transpose(Q));
    const { T } = checkSchur(a);
    let blocks = 0;
    for (let i = 0; i + 1 < n; i++) if (T.data[(i + 1) * n + i] !== 0) blocks++;
    expect(blocks).toBe(4);
    expectSpectrum(eigenvalues(a), want, 1e-13);
  });
});

describe("realSchur on large matrices (blocked Hessenberg, aggressive early deflation)", () => {
  it("reconstructs random and structured matrices of size 200-300", () => {
    checkSchur(randomMatrix(300, 31));
    // damped oscillator chain drift [[0, I], [-K, -G]]: many complex pairs close together
    const m = 130,
      n = 2 * m;
    const a = matrix(n, n);
    for (let i = 0; i < m; i++) {
      a.data[i * n + m + i] = 1;
      a.data[(m + i) * n + i] = -2.1;
      if (i + 1 < m) {
        a.data[(m + i) * n + i + 1] = 1;
        a.data[(m + i + 1) * n + i] = 1;
      }
      a.data[(m + i) * n + m + i] = i % 7 === 0 ? -0.3 : -1e-3;
    }
    checkSchur(a);
  });

  it("recovers a known spectrum of mixed real eigenvalues and complex pairs (n = 240)", () => {
    const n = 240;
    const D = matrix(n, n);
    const want: [number, number][] = [];
    const r = rng(77);
    for (let i = 0; i < n;) {
      const re = -0.1 - 3 * r.uniform();
      if (i % 3 === 0 && i + 1 < n) {
        const im = 0.2 + 4 * r.uniform();
        D.data[i * n + i] = re;
        D.data[(i + 1) * n + i + 1] = re;
        D.data[i * n + i + 1] = im;
        D.data[(i + 1) * n + i] = -im;
        want.push([re, im], [re, -im]);
        i += 2;
      } else {
        D.data[i * n + i] = re;
        want.push([re, 0]);
        i++;
      }
    }
    const Q = randomOrthogonal(n, 78);
    const a = multiply(multiply(Q, D), transpose(Q));
    const { T } = checkSchur(a);
    expectSpectrum(eigenvalues(a), want, 1e-10);
    // the Schur form's own blocks carry the same spectrum
    const t = T.data;
    const fromT: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      if (i + 1 < n && t[(i + 1) * n + i] !== 0) {
        const w = Math.sqrt(Math.abs(t[i * n + i + 1])) * Math.sqrt(Math.abs(t[(i + 1) * n + i]));
        fromT.push([t[i * n + i], w], [t[i * n + i], -w]);
        i++;
      } else fromT.push([t[i * n + i], 0]);
    }
    expectSpectrum(
      { re: Float64Array.from(fromT, (z) => z[0]), im: Float64Array.from(fromT, (z) => z[1]) },
      want,
      1e-10,
    );
  });
});

describe("eigenvalues", () => {
  it("recovers a real diagonal spectrum after a similarity transform", () => {
    const n = 10;
    const D = matrix(n, n);
    const want: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      D.data[i * n + i] = i - 4.5;
      want.push([i - 4.5, 0]);
    }
    // well-conditioned non-orthogonal similarity S D S^-1 with S = I + 0.1 U (U strictly upper): S^-1 by series
    const r = rng(5);
    const S = identity(n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) S.data[i * n + j] = 0.1 * r.normal();
    // S^-1 for unit upper triangular by back substitution
    const Si = identity(n);
    for (let col = 0; col < n; col++) {
      for (let i = n - 1; i >= 0; i--) {
        let s = i === col ? 1 : 0;
        for (let k = i + 1; k < n; k++) s -= S.data[i * n + k] * Si.data[k * n + col];
        Si.data[i * n + col] = s;
      }
    }
    const a = multiply(multiply(S, D), Si);
    expectSpectrum(eigenvalues(a), want, 1e-11);
  });

  it("finds the roots of a polynomial from its companion matrix", () => {
    // roots 1, 2, 3, -1 +- 2i, 0.5  ->  coefficients by expansion
    const roots: [number, number][] = [
      [1, 0],
      [2, 0],
      [3, 0],
      [-1, 2],
      [-1, -2],
      [0.5, 0],
    ];
    let coef: [number, number][] = [[1, 0]]; // complex coefficients, highest degree first
    for (const [rr, ri] of roots) {
      const next: [number, number][] = coef.map((c) => [c[0], c[1]]);
      next.push([0, 0]);
      for (let k = 1; k < next.length; k++) {
        const [cr, ci] = coef[k - 1];
        next[k][0] -= cr * rr - ci * ri;
        next[k][1] -= cr * ri + ci * rr;
      }
      coef = next;
    }
    const n = roots.length;
    const c = matrix(n, n);
    for (let j = 0; j < n; j++) c.data[j] = -coef[j + 1][0];
    for (let i = 1; i < n; i++) c.data[i * n + i - 1] = 1;
    expectSpectrum(eigenvalues(c), roots, 1e-10);
    checkSchur(c);
  });

  it("handles a defective (Jordan) matrix to the expected accuracy", () => {
    // J = 2 I + N (4x4 Jordan block) after orthogonal similarity: eigenvalues perturbed by ~eps^(1/4)
    const n = 4;
    const J = identity(n);
    for (let i = 0; i < n; i++) J.data[i * n + i] = 2;
    for (let i = 0; i + 1 < n; i++) J.data[i * n + i + 1] = 1;
    const Q = randomOrthogonal(n, 3);
    const a = multiply(multiply(Q, J), transpose(Q));
    const ev = eigenvalues(a);
    for (let i = 0; i < n; i++) expect(Math.hypot(ev.re[i] - 2, ev.im[i])).toBeLessThan(1e-3);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += ev.re[i];
    expect(sum).toBeCloseTo(8, 12); // trace is preserved
    checkSchur(a);
    // 2x2 Jordan block and a 1x1 block exactly in Schur form already
    const j2 = fromRows([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, -3],
    ]);
    expectSpectrum(
      eigenvalues(j2),
      [
        [1, 0],
        [1, 0],
        [-3, 0],
      ],
      1e-14,
    );
  });

  it("agrees with the Schur form's diagonal blocks", () => {
    const a = randomMatrix(60, 77);
    const ev = eigenvalues(a);
    const { T } = realSchur(a);
    const n = 60,
      t = T.data;
    const fromT: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      if (i + 1 < n && t[(i + 1) * n + i] !== 0) {
        const w = Math.sqrt(Math.abs(t[i * n + i + 1])) * Math.sqrt(Math.abs(t[(i + 1) * n + i]));
        fromT.push([t[i * n + i], w], [t[i * n + i], -w]);
        i++;
      } else fromT.push([t[i * n + i], 0]);
    }
    expectSpectrum(ev, fromT, 1e-11);
    // trace
    let tr = 0,
      sr = 0,
      si = 0;
    for (let i = 0; i < n; i++) {
      tr += a.data[i * n + i];
      sr += ev.re[i];
      si += ev.im[i];
    }
    expect(sr).toBeCloseTo(tr, 11);
    expect(si).toBeCloseTo(0, 11);
  });

  it("rejects non-square and non-finite input with a MatrixArgumentError", () => {
    expect(() => eigenvalues(matrix(2, 3))).toThrow(MatrixArgumentError);
    expect(() => eigenvalues(matrix(2, 3))).toThrow(/eigenvalues must be square, got 2x3/);
    expect(() => realSchur(fromRows([[NaN]]))).toThrow(/realSchur has a non-finite entry NaN at \(0, 0\)/);
  });

  it("stops at once on non-finite values met inside the QR iteration (no hang), for small and large n", () => {
    for (const n of [3, 10, 300]) {
      const h = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
      h[n + 1] = NaN;
      hessenbergInPlace(n, h, null);
      expect(() => hessenbergQR(n, h, null, new Float64Array(n), new Float64Array(n), false)).toThrow(
        /real Schur decomposition failed: the matrix holds or produced non-finite values/,
      );
    }
  });

  it("scales huge and tiny matrices exactly instead of overflowing", () => {
    const n = 12;
    const base = matrix(
      n,
      n,
      Float64Array.from({ length: n * n }, (_, i) => Math.cos(1.7 * i)),
    );
    const ref = eigenvalues(base);
    for (const s of [2 ** 1000, 2 ** -1000]) {
      const big = matrix(
        n,
        n,
        base.data.map((x) => x * s),
      );
      const ev = eigenvalues(big);
      for (let k = 0; k < n; k++) {
        expect(ev.re[k] / s).toBeCloseTo(ref.re[k], 12);
        expect(ev.im[k] / s).toBeCloseTo(ref.im[k], 12);
      }
      const { T, Z } = realSchur(big);
      expect(T.data.every(Number.isFinite) && Z.data.every(Number.isFinite)).toBe(true);
    }
  });
});
