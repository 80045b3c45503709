// The exact engine's residuals in the WebAssembly kernels (asm/doubleDouble.ts) against their JavaScript loops
// (src/linalg/doubleDouble.ts): the same bits; and the double-double residual against exact rational arithmetic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  lyapunovResidualDoubleDouble,
  lyapunovResidualSums,
  type DoubleDoubleRows,
} from "../../src/linalg/doubleDouble.js";
import { linalgBackend, setLinalgBackend, wasm } from "../../src/linalg/wasm/runtime.js";
import { normalRng } from "../helpers/random.js";

const backend = linalgBackend().backend;
setLinalgBackend("wasm");
beforeAll(() => setLinalgBackend("wasm"));
afterAll(() => setLinalgBackend(backend));

/** A random sparse n x n matrix of double-doubles (hi + lo, |lo| <= ulp(hi) / 2), `perRow` entries a row at most. */
function sparseRows(n: number, perRow: number, seed: number): DoubleDoubleRows {
  const g = normalRng(seed);
  const rowStart = new Int32Array(n + 1);
  const col: number[] = [],
    hi: number[] = [],
    lo: number[] = [];
  for (let r = 0; r < n; r++) {
    rowStart[r] = col.length;
    const cs = new Set<number>();
    for (let k = 0; k < perRow; k++) cs.add(Math.floor(g.uniform() * n));
    for (const c of [...cs].sort((a, b) => a - b)) {
      const h = g.normal() * 2 ** Math.floor(8 * g.uniform() - 4);
      col.push(c);
      hi.push(h);
      lo.push(h * 2 ** -53 * (2 * g.uniform() - 1));
    }
  }
  rowStart[n] = col.length;
  return { n, rowStart, col: Int32Array.from(col), hi: Float64Array.from(hi), lo: Float64Array.from(lo) };
}

function randomDense(n: number, seed: number, symmetric = false): Float64Array {
  const g = normalRng(seed);
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = symmetric ? i : 0; j < n; j++) {
      const v = g.normal() * 2 ** Math.floor(6 * g.uniform() - 3);
      x[i * n + j] = v;
      if (symmetric) x[j * n + i] = v;
    }
  return x;
}

/** A double as an exact rational: numerator over 2^1074. */
function exact(x: number): bigint {
  if (x === 0) return 0n;
  let e = 0,
    m = Math.abs(x);
  while (m !== Math.floor(m)) {
    m *= 2;
    e++;
  }
  return (BigInt(m) << BigInt(1074 - e)) * (x < 0 ? -1n : 1n);
}

/** An exact rational numerator over 2^(2 * 1074), to the nearest double (to within one rounding of the division). */
function toDouble(num: bigint): number {
  const neg = num < 0n;
  let a = neg ? -num : num;
  let shift = 0;
  while (a >= 1n << 1000n) {
    a >>= 1n;
    shift++;
  }
  const v = Number(a) * 2 ** (shift - 2148);
  return neg ? -v : v;
}

describe("double-double Lyapunov residual", () => {
  it("the WebAssembly kernel gives the JavaScript loops' bits (with and without a correction, a diagonal D)", () => {
    expect(wasm()).not.toBeNull();
    for (const [n, perRow, seed] of [
      [1, 1, 1],
      [7, 3, 2],
      [33, 4, 3],
      [64, 6, 4],
    ]) {
      const a = sparseRows(n, perRow, seed);
      const s = randomDense(n, seed + 10, true);
      const ds = randomDense(n, seed + 20, true).map((x) => x * 1e-9);
      const dHi = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : i + 0.1));
      const dLo = dHi.map((x) => x * 2 ** -60);
      for (const c of [undefined, ds]) {
        const w = lyapunovResidualDoubleDouble(a, s, c, dHi, dLo);
        const j = lyapunovResidualDoubleDouble(a, s, c, dHi, dLo, "js");
        expect(Array.from(w.data)).toEqual(Array.from(j.data));
      }
    }
  });

  it("agrees with exact rational arithmetic to within a rounding of each entry", () => {
    const n = 9;
    const a = sparseRows(n, 3, 7);
    const s = randomDense(n, 8, true);
    const dHi = Float64Array.from({ length: n }, (_, i) => 1 + i / 7);
    const dLo = dHi.map((x) => x * 2 ** -58);
    for (const backendName of [undefined, "js"] as const) {
      const R = lyapunovResidualDoubleDouble(a, s, undefined, dHi, dLo, backendName).data;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          // (A S)_ij + (A S)_ji - D_ij, every product exact over 2^2148
          let num = 0n;
          for (const [r, c] of [
            [i, j],
            [j, i],
          ])
            for (let x = a.rowStart[r]; x < a.rowStart[r + 1]; x++) {
              const akl = exact(a.hi[x]) + exact(a.lo[x]);
              num += akl * exact(s[a.col[x] * n + c]);
            }
          if (i === j) num -= (exact(dHi[i]) + exact(dLo[i])) << 1074n;
          const truth = toDouble(num);
          // double-double keeps about 2^-104 of the largest term: R is its exact value rounded, up to that
          expect(Math.abs(R[i * n + j] - truth)).toBeLessThanOrEqual(2 ** -52 * Math.abs(truth) + 1e-28);
        }
    }
  });

  it("the residual sums in the kernel give the JavaScript loops' bits", () => {
    for (const [n, seed] of [
      [1, 1],
      [12, 2],
      [50, 3],
    ]) {
      const g = normalRng(seed);
      const A = new Float64Array(n * n);
      for (let x = 0; x < n * n; x++) if (g.uniform() < 0.2) A[x] = g.normal();
      const S = randomDense(n, seed + 1, true),
        D = randomDense(n, seed + 2, true);
      expect(lyapunovResidualSums(n, A, S, D)).toEqual(lyapunovResidualSums(n, A, S, D, "js"));
    }
  });
});
