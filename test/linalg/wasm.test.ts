// The WebAssembly kernels (asm/linalg.ts) against the JavaScript path they replace and against independent checks:
// the generated binaries are up to date, matrix products agree with the JavaScript kernels on every shape and
// layout, Schur forms from both paths reconstruct A with orthogonal Z and give the same spectrum, Lyapunov solves
// from both paths agree and have residuals at rounding level, the blocked triangular Lyapunov solve and the condition
// estimate give the same results on views of the kernels' memory and on ordinary arrays, non-finite values stop the
// QR iteration and huge or tiny matrices are rescaled on both paths, and the relaxed-SIMD (fused multiply-add) build
// does the same where the engine has it (a Node child process with --experimental-wasm-relaxed-simd).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  gemmNN,
  gemmNNJs,
  gemmNT,
  gemmNTJs,
  gemmRangedUnchecked,
  multiplyNT,
  multiplyNTJs,
} from "../../src/linalg/gemm.js";
import { eigenvalues, symmetricEigen } from "../../src/linalg/eigen.js";
import { solveLyapunov } from "../../src/linalg/lyapunov.js";
import { estimateInverseLyapunovNorm } from "../../src/linalg/lyapunovCondition.js";
import { type Matrix, frobeniusNorm, identity, matrix, multiply, transpose } from "../../src/linalg/matrix.js";
import { SchurConvergenceError, hessenbergInPlace, hessenbergQR, realSchur } from "../../src/linalg/schur.js";
import {
  BLOCKED_MIN_N,
  diagonalBlocks,
  solveQuasiTriangularLyapunov,
  solveQuasiTriangularLyapunovBlocked,
} from "../../src/linalg/triangularLyapunov.js";
import {
  linalgBackend,
  scratch,
  setLinalgBackend,
  wasm,
  withWorkspace,
  workspaceFallbacks,
} from "../../src/linalg/wasm/runtime.js";
import { normalRng } from "../helpers/random.js";

afterEach(() => setLinalgBackend("wasm"));

function randomArray(len: number, seed: number): Float64Array {
  const r = normalRng(seed);
  return Float64Array.from({ length: len }, () => r.normal());
}

function randomMatrix(n: number, seed: number): Matrix {
  return matrix(n, n, randomArray(n * n, seed));
}

function maxRelDiff(x: Float64Array, y: Float64Array): number {
  let d = 0,
    s = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    s = Math.max(s, Math.abs(y[i]));
  }
  return d / Math.max(s, 1e-300);
}

describe("WebAssembly kernels", () => {
  // Every module compiled again with AssemblyScript by one `build-wasm.js --check` (one process: the compiler warms up
  // on the first module, the others then cost a fraction of a fresh process each), run by the first of these tests;
  // each test reads its module's line. The check reports every module before exiting 1 when one differs.
  let check: { status: number | null; stdout: string; stderr: string } | undefined;
  const checkAll = () =>
    (check ??= spawnSync(process.execPath, ["scripts/build-wasm.js", "--check"], { encoding: "utf8" }));
  const MODULES = [
    "binary.ts",
    "pairsWasm.ts",
    "chainSweepsWasm.ts",
    "stripSweepWasm.ts",
    "counterNoiseWasm.ts",
    "splitForcesWasm.ts",
  ];
  for (const file of MODULES)
    it(`${file} is up to date with its source in asm/`, () => {
      const r = checkAll();
      const name = file.replace(".", "\\.");
      expect(r.stderr).not.toMatch(new RegExp(`/${name} is out of date`));
      expect(r.stdout).toMatch(new RegExp(`/${name} is up to date\\n`));
    }, 120_000);

  it("the check covers every generated module, and nothing else went wrong", () => {
    const r = checkAll();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(MODULES.length);
  }, 120_000);

  it.skipIf(process.env.NESS_LINALG === "js")("are in use in Node (WebAssembly SIMD)", () => {
    expect(linalgBackend().backend).toBe("wasm");
    setLinalgBackend("js");
    expect(linalgBackend()).toEqual({ backend: "js", fusedMultiplyAdd: false });
  });

  it("multiply like the JavaScript kernels for every shape, layout, offset and stride", () => {
    const shapes = [
      [1, 1, 1],
      [3, 5, 2],
      [4, 4, 4],
      [5, 7, 9],
      [9, 3, 17],
      [13, 11, 3],
      [37, 41, 29],
      [64, 64, 64],
      [130, 67, 300],
      [257, 5, 130],
      [6, 513, 260],
    ];
    let seed = 1;
    for (const [m, n, k] of shapes) {
      for (const inWasm of [true, false]) {
        const lda = k + 3,
          ldb = n + 2,
          ldbT = k + 1,
          ldc = n + 5;
        const a0 = randomArray(m * lda + 7, seed++),
          b0 = randomArray(k * ldb + 7, seed++),
          bt0 = randomArray(n * ldbT + 7, seed++);
        const c0 = randomArray(m * ldc + 7, seed++);
        const alpha = -0.75;
        // JavaScript reference
        const refNN = c0.slice(),
          refNT = c0.slice();
        gemmNNJs(m, n, k, alpha, a0, 3, lda, b0, 2, ldb, refNN, 4, ldc);
        gemmNTJs(m, n, k, alpha, a0, 3, lda, bt0, 1, ldbT, refNT, 4, ldc);
        withWorkspace(a0.length + b0.length + bt0.length + 2 * c0.length, () => {
          const place = (x: Float64Array) => {
            if (!inWasm) return x.slice();
            const v = scratch(x.length);
            v.set(x);
            return v;
          };
          const a = place(a0),
            b = place(b0),
            bt = place(bt0),
            cNN = place(c0),
            cNT = place(c0);
          gemmNN(m, n, k, alpha, a, 3, lda, b, 2, ldb, cNN, 4, ldc);
          gemmNT(m, n, k, alpha, a, 3, lda, bt, 1, ldbT, cNT, 4, ldc);
          expect(maxRelDiff(cNN, refNN)).toBeLessThan(1e-13);
          expect(maxRelDiff(cNT, refNT)).toBeLessThan(1e-13);
          // entries outside the m x n block are untouched
          for (let i = 0; i < c0.length; i++) {
            const r = Math.floor((i - 4) / ldc),
              c = (i - 4) % ldc;
            if (i < 4 || r >= m || c >= n || c < 0) {
              expect(cNN[i]).toBe(c0[i]);
              expect(cNT[i]).toBe(c0[i]);
            }
          }
        });
      }
    }
    for (const [m, n, k] of [
      [5, 5, 3],
      [70, 70, 40],
      [130, 130, 130],
      [150, 90, 21],
      [90, 150, 21],
      [201, 201, 33],
    ]) {
      const a = randomArray(m * k, seed++),
        b = randomArray(n * k, seed++);
      const ref = new Float64Array(m * n),
        full = new Float64Array(m * n),
        upper = new Float64Array(m * n);
      multiplyNTJs(m, n, k, a, b, ref);
      multiplyNT(m, n, k, a, b, full);
      multiplyNT(m, n, k, a, b, upper, true);
      expect(maxRelDiff(full, ref)).toBeLessThan(1e-13);
      for (let i = 0; i < m; i++)
        for (let j = i; j < n; j++) expect(Math.abs(upper[i * n + j] - ref[i * n + j])).toBeLessThan(1e-12);
    }
    expect(workspaceFallbacks).toBe(0);
  });

  it("multiply a matrix with known zero ranges (the multishift sweeps' U) like the plain product", () => {
    // Each row of A (and each column of op(B)) is zero outside a range of l, which the kernel is told: it may leave
    // those l out (by register tile: a tile runs over the union of its rows' ranges). A range read too narrow would
    // drop a term; empty ranges, and ranges that end inside a tile, are covered.
    let seed = 500;
    for (const [m, n, k] of [
      [1, 1, 1],
      [7, 9, 13],
      [46, 150, 46],
      [92, 301, 92],
      [130, 67, 300],
    ]) {
      const ranges = (count: number): Float64Array => {
        const r = new Float64Array(2 * count);
        for (let i = 0; i < count; i++) {
          // a staircase like U's (lower band in the first half, upper in the second), some rows empty
          const half = count / 2;
          const lo = i < half ? 0 : Math.min(k, Math.floor(((i - half) * k) / count) + 1);
          const hi = i < half ? Math.min(k, Math.floor(k / 2) + i + 1) : k;
          r[2 * i] = i % 11 === 5 ? hi : lo; // an empty range now and then
          r[2 * i + 1] = hi;
        }
        return r;
      };
      const ra0 = ranges(m),
        rb0 = ranges(n);
      const a0 = randomArray(m * k, seed++),
        bt0 = randomArray(n * k, seed++),
        c0 = randomArray(m * n, seed++);
      const az = a0.slice(),
        btz = bt0.slice(); // zero outside the ranges
      for (let i = 0; i < m; i++)
        for (let l = 0; l < k; l++) if (l < ra0[2 * i] || l >= ra0[2 * i + 1]) az[i * k + l] = 0;
      for (let j = 0; j < n; j++)
        for (let l = 0; l < k; l++) if (l < rb0[2 * j] || l >= rb0[2 * j + 1]) btz[j * k + l] = 0;
      for (const inWasm of [true, false]) {
        withWorkspace(2 * m * k + 2 * n * k + 2 * m * n + 2 * (m + n) + 64, (ws) => {
          const place = (x: Float64Array) => {
            if (!inWasm) return x.slice();
            const v = scratch(x.length);
            v.set(x);
            return v;
          };
          const a = place(az),
            bt = place(btz),
            ra = place(ra0),
            rb = place(rb0);
          const refNT = c0.slice(),
            refNN = c0.slice(),
            b = new Float64Array(k * n);
          for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) b[l * n + j] = btz[j * k + l];
          gemmNTJs(m, n, k, -0.75, az, 0, k, btz, 0, k, refNT, 0, n);
          gemmNNJs(m, n, k, -0.75, az, 0, k, b, 0, n, refNN, 0, n);
          const cNT = place(c0),
            cNN = place(c0),
            cB = place(c0);
          // both ranges, B stored transposed
          gemmRangedUnchecked(1, m, n, k, -0.75, a, 0, k, bt, 0, k, cNT, 0, n, ra, rb);
          expect(maxRelDiff(cNT, refNT)).toBeLessThan(1e-13);
          // rows of A only, B not transposed (zeros of B's columns given as zeros)
          const bn = place(b);
          gemmRangedUnchecked(0, m, n, k, -0.75, a, 0, k, bn, 0, n, cNN, 0, n, ra, null);
          expect(maxRelDiff(cNN, refNN)).toBeLessThan(1e-13);
          // columns of op(B) only, A given with its zeros
          const az2 = place(az);
          gemmRangedUnchecked(1, m, n, k, -0.75, az2, 0, k, bt, 0, k, cB, 0, n, null, rb);
          expect(maxRelDiff(cB, refNT)).toBeLessThan(1e-13);
          expect(ws.inWasm || !inWasm).toBe(true);
        });
      }
    }
  });

  it("lend ordinary arrays when the engine refuses to grow the memory (beyond 4 GiB)", () => {
    const before = workspaceFallbacks;
    const got = withWorkspace(2 ** 30, (ws) => ({ inWasm: ws.inWasm, view: scratch(4) }));
    expect(got.inWasm).toBe(false);
    expect(got.view.buffer).not.toBe(wasm()?.memory.buffer);
    expect(workspaceFallbacks).toBe(linalgBackend().backend === "wasm" ? before + 1 : before);
  });
});

/** A random orthogonal matrix (Gram-Schmidt, twice, on a Gaussian matrix). */
function orthogonal(n: number, seed: number): Matrix {
  const q = randomMatrix(n, seed).data;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += q[i * n + k] * q[j * n + k];
        for (let k = 0; k < n; k++) q[i * n + k] -= s * q[j * n + k];
      }
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] ** 2;
      for (let k = 0; k < n; k++) q[i * n + k] /= Math.sqrt(s);
    }
  }
  return matrix(n, n, q);
}

/** A = Q^T D Q with a known spectrum: D block diagonal, reals and 2x2 blocks for pairs a +- ib (A normal). */
function knownSpectrum(n: number, seed: number): { a: Matrix; re: number[]; im: number[] } {
  const r = normalRng(seed);
  const d = matrix(n, n);
  const re: number[] = [],
    im: number[] = [];
  for (let i = 0; i < n;) {
    if (i + 1 < n && r.uniform() < 0.5) {
      const x = r.normal(),
        y = 0.5 + Math.abs(r.normal());
      d.data[i * n + i] = x;
      d.data[(i + 1) * n + i + 1] = x;
      d.data[i * n + i + 1] = y;
      d.data[(i + 1) * n + i] = -y;
      re.push(x, x);
      im.push(y, -y);
      i += 2;
    } else {
      const x = r.normal();
      d.data[i * n + i] = x;
      re.push(x);
      im.push(0);
      i++;
    }
  }
  const Q = orthogonal(n, seed + 1);
  return { a: multiply(multiply(transpose(Q), d), Q), re, im };
}

/** A Jordan block lambda I + N of order n after an orthogonal similarity (defective). */
function jordan(n: number, lambda: number, seed: number): Matrix {
  const j = matrix(n, n);
  for (let i = 0; i < n; i++) j.data[i * n + i] = lambda;
  for (let i = 0; i + 1 < n; i++) j.data[i * n + i + 1] = 1;
  const Q = orthogonal(n, seed);
  return multiply(multiply(transpose(Q), j), Q);
}

function checkSchur(a: Matrix): { T: Matrix; Z: Matrix } {
  const n = a.rows;
  const { T, Z } = realSchur(a);
  const recon = multiply(multiply(Z, T), transpose(Z));
  const err =
    frobeniusNorm(
      matrix(
        n,
        n,
        recon.data.map((v, i) => v - a.data[i]),
      ),
    ) / Math.max(frobeniusNorm(a), 1e-300);
  expect(err).toBeLessThan(1e-13 * Math.max(1, Math.sqrt(n)));
  const orth = multiply(transpose(Z), Z);
  const eye = identity(n).data;
  const e = frobeniusNorm(
    matrix(
      n,
      n,
      orth.data.map((v, i) => v - eye[i]),
    ),
  );
  expect(e).toBeLessThan(1e-13 * Math.max(1, Math.sqrt(n)));
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) expect(T.data[i * n + j]).toBe(0);
  return { T, Z };
}

function spectrumOf(T: Matrix): [number, number][] {
  const n = T.rows,
    t = T.data;
  const out: [number, number][] = [];
  for (let i = 0; i < n;) {
    if (i + 1 < n && t[(i + 1) * n + i] !== 0) {
      const im = Math.sqrt(Math.abs(t[i * n + i + 1])) * Math.sqrt(Math.abs(t[(i + 1) * n + i]));
      out.push([t[i * n + i], im], [t[i * n + i], -im]);
      i += 2;
    } else {
      out.push([t[i * n + i], 0]);
      i++;
    }
  }
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

describe("Schur form on both paths (WebAssembly, JavaScript)", () => {
  const cases: [string, Matrix][] = [
    ["random n = 5", randomMatrix(5, 11)],
    ["random n = 37", randomMatrix(37, 12)],
    ["random n = 150 (blocked Hessenberg)", randomMatrix(150, 13)],
    ["random n = 290 (chunked sweeps, aggressive early deflation)", randomMatrix(290, 14)],
    [
      "badly scaled n = 60",
      (() => {
        const a = randomMatrix(60, 15);
        for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) a.data[i * 60 + j] *= 10 ** ((i - j) / 6);
        return a;
      })(),
    ],
    ["Jordan block n = 12 (defective)", jordan(12, 2, 16)],
  ];
  for (const [name, a] of cases) {
    it(`${name}: both reconstruct A with orthogonal Z; same spectrum`, () => {
      setLinalgBackend("wasm");
      const w = checkSchur(a);
      setLinalgBackend("js");
      const j = checkSchur(a);
      const sw = spectrumOf(w.T),
        sj = spectrumOf(j.T);
      const scale = frobeniusNorm(a);
      // a defective eigenvalue of multiplicity m moves by ~ eps^(1/m), and a graded matrix's eigenvalues are
      // ill-conditioned: there the two paths agree on the sum (the trace), not eigenvalue by eigenvalue
      if (name.startsWith("Jordan") || name.startsWith("badly")) {
        const tr = (s: [number, number][]) => s.reduce((acc, x) => acc + x[0], 0);
        expect(Math.abs(tr(sw) - tr(sj))).toBeLessThan(1e-12 * scale);
      } else {
        for (let i = 0; i < sw.length; i++) {
          expect(Math.abs(sw[i][0] - sj[i][0])).toBeLessThan(1e-10 * scale);
          expect(Math.abs(sw[i][1] - sj[i][1])).toBeLessThan(1e-10 * scale);
        }
      }
    });
  }

  it("recovers a known spectrum (n = 260) on both paths", () => {
    const { a, re, im } = knownSpectrum(260, 21);
    const want = re.map((x, i) => [x, im[i]] as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const backend of ["wasm", "js"] as const) {
      setLinalgBackend(backend);
      const got = spectrumOf(checkSchur(a).T);
      for (let i = 0; i < want.length; i++) {
        expect(Math.abs(got[i][0] - want[i][0])).toBeLessThan(1e-9);
        expect(Math.abs(got[i][1] - want[i][1])).toBeLessThan(1e-9);
      }
    }
  });
});

function randomStable(n: number, seed: number): Matrix {
  const a = randomMatrix(n, seed);
  for (let i = 0; i < n; i++) a.data[i * n + i] -= Math.sqrt(n) + 1;
  return a;
}

function randomSymmetric(n: number, seed: number): Matrix {
  const h = randomArray(n * n, seed);
  const q = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q.data[i * n + j] = h[i * n + j] + h[j * n + i];
  return q;
}

/** Drift of a damped chain of m oscillators with baths at both ends (n = 2m), and its noise on two momenta. */
function chain(m: number): { a: Matrix; q: Matrix } {
  const n = 2 * m;
  const a = matrix(n, n),
    q = matrix(n, n);
  for (let i = 0; i < m; i++) {
    a.data[i * n + m + i] = -1;
    a.data[(m + i) * n + i] = 2.5;
    if (i > 0) a.data[(m + i) * n + i - 1] = -1;
    if (i + 1 < m) a.data[(m + i) * n + i + 1] = -1;
  }
  a.data[m * n + m] = 0.5;
  a.data[(n - 1) * n + n - 1] = 0.5;
  q.data[m * n + m] = 2;
  q.data[(n - 1) * n + n - 1] = 1;
  return { a, q };
}

function residual(a: Matrix, x: Matrix, q: Matrix): number {
  const ax = multiply(a, x);
  const r = matrix(
    a.rows,
    a.rows,
    ax.data.map((v, i) => v + ax.data[(i % a.rows) * a.rows + Math.floor(i / a.rows)] - q.data[i]),
  );
  return frobeniusNorm(r) / (2 * frobeniusNorm(a) * frobeniusNorm(x) + frobeniusNorm(q));
}

describe("Lyapunov solve on both paths", () => {
  const cases: [string, Matrix, Matrix][] = [
    ["random n = 7", randomStable(7, 31), randomSymmetric(7, 32)],
    ["random n = 64", randomStable(64, 33), randomSymmetric(64, 34)],
    ["random n = 65", randomStable(65, 35), randomSymmetric(65, 36)],
    ["random n = 131", randomStable(131, 37), randomSymmetric(131, 38)],
    ["random n = 300", randomStable(300, 39), randomSymmetric(300, 40)],
    ["oscillator chain n = 200", chain(100).a, chain(100).q],
  ];
  for (const [name, a, q] of cases) {
    it(`${name}: residuals at rounding level, solutions agree`, () => {
      setLinalgBackend("wasm");
      const w = solveLyapunov(a, q, { method: "bartels-stewart" });
      setLinalgBackend("js");
      const j = solveLyapunov(a, q, { method: "bartels-stewart" });
      for (const s of [w, j]) {
        expect(s.residual).toBeLessThan(1e-13);
        expect(residual(a, s.X, q)).toBeLessThan(1e-13);
        for (let r = 0; r < a.rows; r++)
          for (let c = 0; c < r; c++) expect(s.X.data[r * a.rows + c]).toBe(s.X.data[c * a.rows + r]);
      }
      expect(maxRelDiff(w.X.data, j.X.data)).toBeLessThan(1e-9);
      // each path's X is within its forward error bound of the exact solution, so the two are within the sum
      for (const s of [w, j]) {
        expect(s.condition).toBeGreaterThan(0);
        expect(s.forwardErrorBound).toBeLessThan(1e-8);
        expect(s.warnings).toEqual([]);
      }
      const diff = frobeniusNorm(
        matrix(
          a.rows,
          a.rows,
          w.X.data.map((v, i) => v - j.X.data[i]),
        ),
      );
      expect(diff / frobeniusNorm(j.X)).toBeLessThanOrEqual(w.forwardErrorBound + j.forwardErrorBound);
    });
  }

  it("solve in the kernels' memory without falling back to ordinary arrays", () => {
    const before = workspaceFallbacks;
    for (const n of [20, 131])
      solveLyapunov(randomStable(n, n), randomSymmetric(n, n + 1), { method: "bartels-stewart" });
    expect(workspaceFallbacks).toBe(before);
  });
});

/** ||T Y + Y T^T - C||_F / (2 ||T||_F ||Y||_F + ||C||_F) for n x n row-major arrays. */
function triangularResidual(n: number, t: Float64Array, y: Float64Array, c: Float64Array): number {
  const ty = multiply(matrix(n, n, t), matrix(n, n, y.slice(0, n * n))).data;
  const r = matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) r.data[i * n + j] = ty[i * n + j] + ty[j * n + i] - c[i * n + j];
  const T = matrix(n, n, t),
    Y = matrix(n, n, y.slice(0, n * n)),
    C = matrix(n, n, c);
  return frobeniusNorm(r) / (2 * frobeniusNorm(T) * frobeniusNorm(Y) + frobeniusNorm(C));
}

describe("blocked triangular Lyapunov solve and condition estimate on both paths", () => {
  /** A quasi-triangular Schur form T of order n (complex pairs included) and a symmetric C vanishing beyond `active`. */
  function problem(n: number, seed: number, active = n): { t: Float64Array; c: Float64Array } {
    const t = realSchur(randomStable(n, seed)).T.data;
    const c = randomSymmetric(n, seed + 1).data;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i >= active || j >= active) c[i * n + j] = 0;
    return { t, c };
  }

  it.each([BLOCKED_MIN_N, 200])(
    "n = %i: views of the kernels' memory, ordinary arrays and the JavaScript kernels give the same Y",
    (n) => {
      for (const active of [n, 110]) {
        const { t, c } = problem(n, 60 + n, active);
        const { start, size, count } = diagonalBlocks(n, t);
        const ycol = new Float64Array(2 * n);
        const ref = new Float64Array(n * n);
        expect(solveQuasiTriangularLyapunov(n, t, c, ref, start, size, count, ycol)).toBe(true);
        const before = workspaceFallbacks;
        const results: Float64Array[] = [];
        // WebAssembly kernels on views of their memory
        setLinalgBackend("wasm");
        withWorkspace(3 * n * n, () => {
          const tw = scratch(n * n),
            cw = scratch(n * n),
            yw = scratch(n * n);
          tw.set(t);
          cw.set(c);
          expect(solveQuasiTriangularLyapunovBlocked(n, tw, cw, yw, start, size, count, ycol, active)).toBe(true);
          results.push(yw.slice());
        });
        // WebAssembly kernels, ordinary arrays (copied into the kernels' memory by the solve)
        const yo = new Float64Array(n * n);
        expect(solveQuasiTriangularLyapunovBlocked(n, t, c, yo, start, size, count, ycol, active)).toBe(true);
        results.push(yo);
        // JavaScript kernels
        setLinalgBackend("js");
        const yj = new Float64Array(n * n);
        expect(solveQuasiTriangularLyapunovBlocked(n, t, c, yj, start, size, count, ycol, active)).toBe(true);
        results.push(yj);
        expect(workspaceFallbacks).toBe(before);
        for (const y of results) {
          expect(triangularResidual(n, t, y, c)).toBeLessThan(1e-15 * n);
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(y[i * n + j]).toBe(y[j * n + i]);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) if (i >= active || j >= active) expect(y[i * n + j]).toBe(0);
          expect(maxRelDiff(y, ref)).toBeLessThan(1e-12);
        }
      }
    },
  );

  it("the condition estimate on the same Schur form is the same in the kernels' memory and on ordinary arrays", () => {
    const n = 150;
    const { t } = problem(n, 71);
    const nn = n * n;
    const estimate = (tt: Float64Array, tr: Float64Array, flipped: Float64Array, ycol: Float64Array): number => {
      const b = diagonalBlocks(n, tt);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tr[nn - 1 - (j * n + i)] = tt[i * n + j];
      const br = diagonalBlocks(n, tr);
      return estimateInverseLyapunovNorm(
        n,
        (rhs, out, support) =>
          solveQuasiTriangularLyapunovBlocked(n, tt, rhs, out, b.start, b.size, b.count, ycol, support),
        (rhs, out) => {
          for (let k = 0; k < nn; k++) flipped[k] = rhs[nn - 1 - k];
          const ok = solveQuasiTriangularLyapunovBlocked(n, tr, flipped, out, br.start, br.size, br.count, ycol);
          out.reverse();
          return ok;
        },
      );
    };
    setLinalgBackend("wasm");
    const inMemory = withWorkspace(6 * nn + 2 * n, () => {
      const tw = scratch(nn);
      tw.set(t);
      return estimate(tw, scratch(nn), scratch(nn), scratch(2 * n));
    });
    const ordinary = estimate(t, new Float64Array(nn), new Float64Array(nn), new Float64Array(2 * n));
    setLinalgBackend("js");
    const js = estimate(t, new Float64Array(nn), new Float64Array(nn), new Float64Array(2 * n));
    expect(Number.isFinite(js) && js > 0).toBe(true);
    expect(Math.abs(inMemory - js) / js).toBeLessThan(1e-10);
    expect(Math.abs(ordinary - js) / js).toBeLessThan(1e-10);
  });
});

describe("non-finite values and extreme scales on both paths", () => {
  it("a NaN stops the QR iteration at once (n = 300: aggressive early deflation, multishift sweeps)", () => {
    for (const backend of ["wasm", "js"] as const) {
      setLinalgBackend(backend);
      for (const n of [20, 300]) {
        const h = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
        h[n + 1] = NaN;
        hessenbergInPlace(n, h, null);
        let caught: unknown = null;
        try {
          hessenbergQR(n, h, null, new Float64Array(n), new Float64Array(n), false);
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(SchurConvergenceError);
        expect((caught as SchurConvergenceError).nonFinite).toBe(true);
        expect((caught as SchurConvergenceError).iterations).toBe(0);
      }
    }
  });

  it("entries near 1e300 overflow into a SchurConvergenceError, not a hang, when the caller does not rescale", () => {
    for (const backend of ["wasm", "js"] as const) {
      setLinalgBackend(backend);
      const n = 250;
      const h = Float64Array.from({ length: n * n }, (_, i) => 1e307 * Math.cos(1.3 * i));
      hessenbergInPlace(n, h, null);
      expect(() => hessenbergQR(n, h, null, new Float64Array(n), new Float64Array(n), false)).toThrow(
        SchurConvergenceError,
      );
    }
  });

  it("realSchur and eigenvalues rescale huge and tiny matrices by a power of two (n = 5, 60, 250)", () => {
    for (const n of [5, 60, 250]) {
      const base = randomMatrix(n, 80 + n);
      const norm = frobeniusNorm(base);
      for (const backend of ["wasm", "js"] as const) {
        setLinalgBackend(backend);
        const ref = eigenvalues(base);
        for (const s of [2 ** 1000, 2 ** -1000]) {
          const scaled = matrix(
            n,
            n,
            base.data.map((x) => x * s),
          );
          // the arithmetic is that of A times a power of two: the same eigenvalues, scaled, up to rounding
          const ev = eigenvalues(scaled);
          let d = 0;
          for (let k = 0; k < n; k++)
            d = Math.max(d, Math.abs(ev.re[k] / s - ref.re[k]), Math.abs(ev.im[k] / s - ref.im[k]));
          expect(d).toBeLessThan(1e-13 * norm);
          // A / s = Z (T / s) Z^T with orthogonal Z (checkSchur on the unscaled numbers)
          const { T, Z } = realSchur(scaled);
          expect(T.data.every(Number.isFinite) && Z.data.every(Number.isFinite)).toBe(true);
          const recon = multiply(
            multiply(
              Z,
              matrix(
                n,
                n,
                T.data.map((x) => x / s),
              ),
            ),
            transpose(Z),
          );
          const err =
            frobeniusNorm(
              matrix(
                n,
                n,
                recon.data.map((v, i) => v - base.data[i]),
              ),
            ) / norm;
          expect(err).toBeLessThan(1e-13 * Math.sqrt(n));
        }
      }
    }
  });
});

describe("symmetric eigen-decomposition on both paths", () => {
  it("agrees on the spectrum; both give orthonormal eigenvectors with S V = V diag(values)", () => {
    for (const n of [12, 61, 200]) {
      const s = randomSymmetric(n, 50 + n);
      const out = (["wasm", "js"] as const).map((backend) => {
        setLinalgBackend(backend);
        const { values, vectors } = symmetricEigen(s);
        const sv = multiply(s, vectors);
        let err = 0;
        for (let i = 0; i < n; i++)
          for (let k = 0; k < n; k++)
            err = Math.max(err, Math.abs(sv.data[i * n + k] - values[k] * vectors.data[i * n + k]));
        const vtv = multiply(transpose(vectors), vectors);
        let orth = 0;
        for (let i = 0; i < n; i++)
          for (let k = 0; k < n; k++) orth = Math.max(orth, Math.abs(vtv.data[i * n + k] - (i === k ? 1 : 0)));
        const norm = Math.max(...values.map(Math.abs));
        expect(err).toBeLessThan(1e-13 * n * norm);
        expect(orth).toBeLessThan(1e-13 * n);
        return values;
      });
      expect(maxRelDiff(out[0], out[1])).toBeLessThan(1e-13 * n);
    }
  });
});

describe("relaxed SIMD build (fused multiply-add)", () => {
  it("multiplies and chases bulges like the plain build where the engine has relaxed SIMD", () => {
    const src = readFileSync("src/linalg/wasm/binary.ts", "utf8");
    const grab = (name: string) =>
      [
        ...src
          .split(`export const ${name} =`)[1]
          .split(";")[0]
          .matchAll(/"([^"]*)"/g),
      ]
        .map((m) => m[1])
        .join("");
    // A child process with the flag instantiates both builds from the committed base64 and compares their products.
    const script = `
      const load = async (b64) => (await WebAssembly.instantiate(Buffer.from(b64, "base64"), { env: { abort() { throw new Error("abort"); }, memory: new WebAssembly.Memory({ initial: 201 }) } })).instance.exports;
      const [plain, fused] = [await load(process.argv[1]), await load(process.argv[2])];
      const out = { fma: fused.fusedMultiplyAdd(), plainFma: plain.fusedMultiplyAdd(), diff: 0 };
      const m = 67, n = 45, k = 130;
      let s = 7;
      const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
      const data = Array.from({ length: m * k + k * n }, rnd);
      const res = [];
      for (const x of [plain, fused]) {
        const base = (x.heapBase() + 15) & ~15, work = base, a = work + x.gemmWorkBytes(), b = a + 8 * m * k, c = b + 8 * k * n;
        const f = new Float64Array(x.memory.buffer);
        f.set(data, a / 8);
        f.fill(0, c / 8, c / 8 + m * n);
        x.gemm(0, 0, m, n, k, 1, a, k, b, n, c, n, work);
        res.push(f.slice(c / 8, c / 8 + m * n));
      }
      for (let i = 0; i < m * n; i++) out.diff = Math.max(out.diff, Math.abs(res[0][i] - res[1][i]));
      console.log(JSON.stringify(out));
    `;
    const r = spawnSync(
      process.execPath,
      [
        "--experimental-wasm-relaxed-simd",
        "--input-type=module",
        "-e",
        script,
        grab("SIMD_WASM_BASE64"),
        grab("RELAXED_SIMD_WASM_BASE64"),
      ],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout.trim());
    expect(out.plainFma).toBe(0);
    expect(out.fma).toBe(1);
    expect(out.diff).toBeGreaterThan(0); // fused: rounded once, so not bit-identical ...
    expect(out.diff).toBeLessThan(1e-12); // ... but the same products
  });
});
