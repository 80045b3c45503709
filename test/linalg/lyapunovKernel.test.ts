// The WebAssembly kernels of the triangular Lyapunov solve and of the condition estimate (asm/lyapunov.ts) against
// their JavaScript twins: the solve agrees with solveQuasiTriangularLyapunovJs to rounding on Schur forms with 1x1 and
// 2x2 blocks (and reports the same exactly singular block pairs), the estimate equals the JavaScript estimator run on
// the kernel's own solves bit for bit, and on small cases it is a lower bound of the exact ||L^-1||_1 within the
// factor the module documents (the exact norm from one solve per unit matrix).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateInverseLyapunovNorm } from "../../src/linalg/lyapunovCondition.js";
import { matrix } from "../../src/linalg/matrix.js";
import { realSchur } from "../../src/linalg/schur.js";
import {
  diagonalBlocks,
  solveQuasiTriangularLyapunovJs,
  solveTriangularInKernel,
  triangularWorkSize,
} from "../../src/linalg/triangularLyapunov.js";
import {
  addr,
  inMemory,
  linalgBackend,
  scratch,
  setLinalgBackend,
  wasm,
  withWorkspace,
} from "../../src/linalg/wasm/runtime.js";
import { normalRng } from "../helpers/random.js";
import { expectSameArray, expectSymmetric } from "../helpers/arrays.js";

// the kernels, whatever backend another test file chose (this file runs in a process of its own: vitest.config.ts)
const backend = linalgBackend().backend;
setLinalgBackend("wasm");
const rt = wasm();
beforeAll(() => setLinalgBackend("wasm"));
afterAll(() => setLinalgBackend(backend));

/** Real Schur form of a random stable matrix; `oscillators` makes it a damped chain (2x2 blocks only). */
function schurForm(n: number, seed: number, oscillators = false): Float64Array {
  const a = matrix(n, n);
  if (oscillators) {
    const m = n / 2;
    for (let i = 0; i < m; i++) {
      a.data[i * n + m + i] = 1;
      a.data[(m + i) * n + i] = -3;
      if (i > 0) a.data[(m + i) * n + i - 1] = 1;
      if (i + 1 < m) a.data[(m + i) * n + i + 1] = 1;
      a.data[(m + i) * n + m + i] = -0.05 - (i === 0 || i === m - 1 ? 1 : 0);
    }
  } else {
    const r = normalRng(seed);
    for (let k = 0; k < n * n; k++) a.data[k] = r.normal();
    for (let i = 0; i < n; i++) a.data[i * n + i] -= 2 * Math.sqrt(n);
  }
  return realSchur(a).T.data;
}

function symmetric(n: number, seed: number): Float64Array {
  const r = normalRng(seed);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) c[i * n + j] = c[j * n + i] = r.normal();
  }
  return c;
}

function maxRelDiff(x: Float64Array, y: Float64Array): number {
  let d = 0,
    s = 0;
  for (let k = 0; k < x.length; k++) {
    d = Math.max(d, Math.abs(x[k] - y[k]));
    s = Math.max(s, Math.abs(y[k]));
  }
  return d / s;
}

/** Runs fn with n x n copies of the given arrays in the kernels' memory (and the kernel work). */
function inKernel<T>(n: number, arrays: Float64Array[], fn: (views: Float64Array[], work: Float64Array) => T): T {
  return withWorkspace((arrays.length + 15) * n * n + 30 * n * (n + 1) + triangularWorkSize(n) + 64, (ws) => {
    expect(ws.inWasm).toBe(true);
    const views = arrays.map((a) => {
      const v = ws.doubles(n * n);
      v.set(a);
      return v;
    });
    return fn(views, ws.doubles(triangularWorkSize(n)));
  });
}

const cases: [string, number, boolean][] = [
  ["random n = 1", 1, false],
  ["random n = 2", 2, false],
  ["random n = 13", 13, false],
  ["damped chain n = 20 (2x2 blocks only)", 20, true],
  ["random n = 57", 57, false],
  ["damped chain n = 100", 100, true],
  // from BLOCKED_MIN (128) on the kernel solves by panels of about 64 columns with gemm (asm/lyapunov.ts)
  ["random n = 150 (blocked)", 150, false],
  ["damped chain n = 180 (blocked, 2x2 blocks only)", 180, true],
];

describe.skipIf(!rt)("WebAssembly triangular Lyapunov kernel", () => {
  it("needs the work size the TypeScript side reserves", () => {
    for (const n of [0, 1, 2, 7, 100, 1001]) expect(rt!.x.lyapTriangularWork(n)).toBe(triangularWorkSize(n));
    for (const n of [1, 100]) expect(rt!.x.lyapEstimateWork(n)).toBeLessThanOrEqual(triangularWorkSize(n));
  });

  it.each(cases)("%s: solves like the JavaScript twin", (_, n, osc) => {
    const t = schurForm(n, 3 * n, osc);
    const c = symmetric(n, 5 * n);
    const { start, size, count } = diagonalBlocks(n, t);
    if (osc) expect(count).toBe(n / 2);
    const ref = new Float64Array(n * n);
    expect(solveQuasiTriangularLyapunovJs(n, t, c, ref, start, size, count, new Float64Array(2 * n))).toBe(true);
    const y = inKernel(n, [t, c, new Float64Array(n * n)], ([tw, cw, yw], work) => {
      expect(solveTriangularInKernel(rt!, n, n, tw, 0, cw, 0, yw, 0, true, work)).toBe(true);
      return yw.slice();
    });
    expect(maxRelDiff(y, ref)).toBeLessThan(1e-13);
    expectSymmetric(n, y);
  });

  it("solves by panels (blocked) like column block by column block (unblocked) on a 1x1/2x2 mix", () => {
    const n = 201;
    const t = schurForm(n, 11);
    const c = symmetric(n, 12);
    const solveWith = (gemmWork: number, active: number): Float64Array =>
      inKernel(n, [t, c, new Float64Array(n * n)], ([tw, cw, yw], work) => {
        rt!.x.lyapSetGemmWork(gemmWork);
        try {
          // the leading active x active block only (as the condition estimate's solves with a short support)
          expect(solveTriangularInKernel(rt!, active, n, tw, 0, cw, 0, yw, 0, true, work)).toBe(true);
        } finally {
          rt!.x.lyapSetGemmWork(rt!.gemmWork);
        }
        return yw.slice();
      });
    for (const active of [n, 150]) {
      const blocked = solveWith(rt!.gemmWork, active),
        unblocked = solveWith(0, active);
      expect(maxRelDiff(blocked, unblocked)).toBeLessThan(1e-13);
      expectSymmetric(n, blocked);
    }
  });

  it("reports an exactly singular block pair like the JavaScript twin", () => {
    const n = 30;
    const t = schurForm(n, 8);
    const { start, size, count } = diagonalBlocks(n, t);
    const ones = Array.from(start.subarray(0, count)).filter((_, b) => size[b] === 1);
    expect(ones.length).toBeGreaterThan(1);
    t[ones[ones.length - 1] * (n + 1)] = -t[ones[0] * (n + 1)]; // lambda_i + lambda_j = 0
    const c = symmetric(n, 9);
    expect(
      solveQuasiTriangularLyapunovJs(n, t, c, new Float64Array(n * n), start, size, count, new Float64Array(2 * n)),
    ).toBe(false);
    inKernel(n, [t, c, new Float64Array(n * n)], ([tw, cw, yw], work) => {
      expect(solveTriangularInKernel(rt!, n, n, tw, 0, cw, 0, yw, 0, true, work)).toBe(false);
    });
  });

  it.each(cases)("%s: the condition estimate equals the JavaScript estimator on the same solves", (_, n, osc) => {
    const t = schurForm(n, 7 * n, osc);
    const nn = n * n;
    inKernel(n, [t], ([tw], work) => {
      // the JavaScript iteration, its solves by the kernel (as SchurLyapunovSolver does without the estimate kernel)
      const tr = scratch(nn),
        flipped = scratch(nn);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tr[nn - 1 - (j * n + i)] = tw[i * n + j];
      const { start, size, count } = diagonalBlocks(n, tw);
      const solve = (rhs: Float64Array, out: Float64Array, support: number): boolean => {
        let nb = 0;
        while (nb < count && start[nb] < support) nb++;
        const m = start[nb - 1] + size[nb - 1];
        if (m < n) out.fill(0);
        return solveTriangularInKernel(rt!, m, n, tw, 0, rhs, 0, out, 0, true, work) === true;
      };
      const solveAdjoint = (rhs: Float64Array, out: Float64Array): boolean => {
        for (let k = 0; k < nn; k++) flipped[k] = rhs[nn - 1 - k];
        const ok = solveTriangularInKernel(rt!, n, n, tr, 0, flipped, 0, out, 0, true, work) === true;
        out.reverse();
        return ok;
      };
      const js = estimateInverseLyapunovNorm(n, solve, solveAdjoint);
      const views = [0, 1, 2, 3].map(() => scratch(nn));
      const sign = scratch(Math.ceil(nn / 8));
      const [x, y, flip, tr2] = views;
      for (const v of [...views, sign, tr, flipped]) expect(inMemory(rt!, v)).toBe(true);
      const kernel = rt!.x.lyapInverseNormEstimate(
        n,
        addr(tw),
        addr(tr2),
        addr(x),
        addr(y),
        addr(flip),
        addr(sign),
        addr(work),
        0,
      );
      expect(kernel).toBe(js);
      // keeping the block pairs' factorisations across the solves changes nothing
      let nb = 0;
      for (let i = 0; i < n; nb++) i += i + 1 < n && tw[(i + 1) * n + i] !== 0 ? 2 : 1;
      const kept = scratch(2 * rt!.x.lyapPairCacheSize(nb));
      expect(inMemory(rt!, kept)).toBe(true);
      const args = [addr(tw), addr(tr2), addr(x), addr(y), addr(flip), addr(sign), addr(work)] as const;
      expect(rt!.x.lyapInverseNormEstimate(n, ...args, addr(kept))).toBe(js);
      expectSameArray(tr2, tr);
      // a solve that keeps its factorisations for the estimate (lyapTriangularKeep, as a one-shot solve does) gives
      // the plain solve's Y bit for bit, and the estimate using them (keptReady = 1) the same number
      const c = scratch(nn),
        yPlain = scratch(nn),
        yKeep = scratch(nn);
      for (const v of [c, yPlain, yKeep]) expect(inMemory(rt!, v)).toBe(true);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) c[i * n + j] = c[j * n + i] = Math.cos(i + 2 * j);
      expect(solveTriangularInKernel(rt!, n, n, tw, 0, c, 0, yPlain, 0, true, work)).toBe(true);
      kept.fill(0);
      expect(rt!.x.lyapTriangularKeep(n, addr(tw), addr(c), n, addr(yKeep), n, addr(work), 1, addr(kept))).toBe(1);
      expectSameArray(yKeep, yPlain);
      expect(rt!.x.lyapInverseNormEstimate(n, ...args, addr(kept), 1)).toBe(js);
      // an honest estimate: at most the exact norm, within a factor 5 of it (the exact one from one solve per unit
      // matrix E_ii, (E_ij + E_ji)/2: the largest column sum in the coordinates of the estimator)
      if (n <= 20) {
        let exact = 0;
        const e = scratch(nn),
          z = scratch(nn);
        for (let i = 0; i < n; i++) {
          for (let j = i; j < n; j++) {
            e.fill(0);
            if (i === j) e[i * n + i] = 1;
            else e[i * n + j] = e[j * n + i] = 0.5;
            expect(solve(e, z, n)).toBe(true);
            let s = 0;
            for (let k = 0; k < nn; k++) s += Math.abs(z[k]);
            exact = Math.max(exact, s);
          }
        }
        expect(kernel).toBeLessThanOrEqual(exact * (1 + 1e-12));
        expect(kernel).toBeGreaterThan(exact / 5);
      }
    });
  });
});
