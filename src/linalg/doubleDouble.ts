/**
 * The residual R = A S + S^T A^T - D of a Lyapunov equation in double-double arithmetic, rounded to doubles at the
 * end, for a sparse A whose entries are double-doubles (the exact residual of the exact engine's iterative refinement,
 * src/exact/network.ts). Two versions that give the same bits: the WebAssembly kernel (asm/doubleDouble.ts) and the
 * JavaScript loops below (the fallback without WebAssembly or after setLinalgBackend("js"), and the cross-check of
 * the tests). The kernel is there for one-shot processes: `ness solve` forms this residual two or three times, and
 * the JavaScript loops ran then mostly before V8 had optimised them (about 25 ms a call at 200 coordinates, against
 * 1.5 ms once optimised).
 */
import { matrix, type Matrix } from "./matrix.js";
import { addr, wasm, withWorkspace } from "./wasm/runtime.js";

/** Dekker's splitting constant, 2^27 + 1. */
export const SPLIT = 134217729;

/**
 * A sparse n x n matrix of double-doubles in compressed rows: row r holds the entries rowStart[r] ..
 * rowStart[r + 1] - 1, in column col[x], of value hi[x] + lo[x].
 */
export interface DoubleDoubleRows {
  n: number;
  rowStart: Int32Array;
  col: Int32Array;
  hi: Float64Array;
  lo: Float64Array;
}

/**
 * R = A X + X^T A^T - diag(dHi + dLo) for X = S, or X = S - correction taken exactly (each entry's difference a
 * double-double): A X in double-double (Knuth's two-sum, Dekker's two-product), the symmetric sum and the diagonal in
 * double-double, each entry rounded to a double at the end (R is symmetric; entries (a, b) and (b, a) from the same
 * sum). `backend` "js" forces the JavaScript loops (tests).
 */
export function lyapunovResidualDoubleDouble(
  a: DoubleDoubleRows,
  s: Float64Array,
  correction: Float64Array | undefined,
  dHi: Float64Array,
  dLo: Float64Array,
  backend?: "js",
): Matrix {
  const n = a.n,
    nnz = a.col.length;
  const aHiH = new Float64Array(nnz),
    aHiL = new Float64Array(nnz);
  for (let x = 0; x < nnz; x++) {
    const t = SPLIT * a.hi[x];
    aHiH[x] = t - (t - a.hi[x]);
    aHiL[x] = a.hi[x] - aHiH[x];
  }
  const R = matrix(n, n);
  const rt = backend === "js" ? null : wasm();
  if (rt) {
    const nn = n * n;
    const done = withWorkspace(5 * nnz + n + 1 + 2 * n + (correction ? 4 : 3) * nn, (ws) => {
      if (!ws.inWasm) return false;
      const rowStart = ws.doubles(n + 1, false),
        col = ws.doubles(nnz, false),
        hi = ws.doubles(nnz, false),
        hiH = ws.doubles(nnz, false),
        hiL = ws.doubles(nnz, false),
        lo = ws.doubles(nnz, false),
        dh = ws.doubles(n, false),
        dl = ws.doubles(n, false),
        sw = ws.doubles(nn, false),
        dsw = correction ? ws.doubles(nn, false) : null,
        mh = ws.doubles(nn, false),
        ml = ws.doubles(nn, false);
      rowStart.set(a.rowStart);
      col.set(a.col);
      hi.set(a.hi);
      hiH.set(aHiH);
      hiL.set(aHiL);
      lo.set(a.lo);
      dh.set(dHi);
      dl.set(dLo);
      sw.set(s.subarray(0, nn));
      if (dsw) dsw.set(correction!.subarray(0, nn));
      // R's entries are written by the kernel over S's copy once A S is formed (each entry read before written)
      rt.x.ddLyapunovResidual(
        n,
        addr(rowStart),
        addr(col),
        addr(hi),
        addr(hiH),
        addr(hiL),
        addr(lo),
        addr(sw),
        dsw ? addr(dsw) : 0,
        addr(dh),
        addr(dl),
        addr(mh),
        addr(ml),
        addr(sw),
      );
      R.data.set(sw);
      return true;
    });
    if (done) return R;
  }
  residualLoops(a, aHiH, aHiL, s, correction, dHi, dLo, R.data);
  return R;
}

/** The JavaScript version of asm/doubleDouble.ts's ddLyapunovResidual (the same operations in the same order). */
function residualLoops(
  a: DoubleDoubleRows,
  aHiH: Float64Array,
  aHiL: Float64Array,
  s: Float64Array,
  ds: Float64Array | undefined,
  dHi: Float64Array,
  dLo: Float64Array,
  rd: Float64Array,
): void {
  const { n: N, rowStart, col, hi: aHi, lo: aLo } = a;
  const mh = new Float64Array(N * N),
    ml = new Float64Array(N * N);
  for (let r = 0; r < N; r++) {
    const x0 = rowStart[r],
      x1 = rowStart[r + 1];
    for (let c = 0; c < N; c++) {
      let sh = 0,
        sl = 0;
      for (let x = x0; x < x1; x++) {
        const at = col[x] * N + c;
        // the entry of S (minus the correction, exactly as a double-double: two-sum of s and -ds)
        let v = s[at],
          w = 0;
        if (ds) {
          const a = v,
            b = -ds[at];
          v = a + b;
          const bb = v - a;
          w = a - (v - bb) + (b - bb);
        }
        // two-product of hi and v
        const h = aHi[x];
        const p = h * v;
        const t0 = SPLIT * v;
        const vh = t0 - (t0 - v),
          vl = v - vh;
        const ah = aHiH[x],
          al = aHiL[x];
        const e = ah * vh - p + ah * vl + al * vh + al * vl;
        // two-sum of sh and p
        const t = sh + p;
        const pp = t - sh;
        const f = sh - (t - pp) + (p - pp);
        sh = t;
        sl += f + e + aLo[x] * v + h * w;
      }
      mh[r * N + c] = sh;
      ml[r * N + c] = sl;
    }
  }
  for (let a = 0; a < N; a++) {
    for (let b = a; b < N; b++) {
      // two-sum of M_ab and M_ba
      const x = mh[a * N + b],
        y = mh[b * N + a];
      const t = x + y;
      const yy = t - x;
      const f = x - (t - yy) + (y - yy);
      let low = f + ml[a * N + b] + ml[b * N + a];
      let high = t;
      if (a === b && dHi[a] !== 0) {
        // two-sum of high and -D_aa
        const d = -dHi[a];
        const u = high + d;
        const dd = u - high;
        const g = high - (u - dd) + (d - dd);
        high = u;
        low += g - dLo[a];
      }
      const v = high + low;
      rd[a * N + b] = v;
      rd[b * N + a] = v;
    }
  }
}

/**
 * The sums behind a bound on a Lyapunov residual's norm (residualNormBound in src/exact/network.ts), for dense n x n
 * A, S and D: the sum of squares of R = A S + (A S)^T - D with A S formed from A's nonzeros (row by row, in increasing
 * column), the most nonzeros in a row of A, and the sums of squares of A, S and D. The WebAssembly kernel
 * (asm/doubleDouble.ts) or the same loops in JavaScript (`backend` "js", and without WebAssembly): the same bits.
 */
export function lyapunovResidualSums(
  n: number,
  a: Float64Array,
  s: Float64Array,
  d: Float64Array,
  backend?: "js",
): { r2: number; k: number; a2: number; s2: number; d2: number } {
  const nn = n * n;
  const rt = backend === "js" ? null : wasm();
  if (rt) {
    const out = withWorkspace(4 * nn + 8, (ws) => {
      if (!ws.inWasm) return null;
      const aw = ws.doubles(nn, false),
        sw = ws.doubles(nn, false),
        dw = ws.doubles(nn, false),
        m = ws.doubles(nn, false),
        o = ws.doubles(5, false);
      aw.set(a.subarray(0, nn));
      sw.set(s.subarray(0, nn));
      dw.set(d.subarray(0, nn));
      rt.x.lyapunovResidualSums(n, addr(aw), addr(sw), addr(dw), addr(m), addr(o));
      return { r2: o[0], k: o[1], a2: o[2], s2: o[3], d2: o[4] };
    });
    if (out) return out;
  }
  const cols: number[][] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) if (a[i * n + j] !== 0) row.push(j);
    cols.push(row);
    k = Math.max(k, row.length);
  }
  const M = new Float64Array(nn); // A S
  for (let i = 0; i < n; i++) {
    const mi = i * n;
    for (const j of cols[i]) {
      const aij = a[i * n + j],
        sj = j * n;
      for (let c = 0; c < n; c++) M[mi + c] += aij * s[sj + c];
    }
  }
  let r2 = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const r = M[i * n + j] + M[j * n + i] - d[i * n + j];
      r2 += r * r;
    }
  return { r2, k, a2: sumOfSquares(a, nn), s2: sumOfSquares(s, nn), d2: sumOfSquares(d, nn) };
}

function sumOfSquares(x: Float64Array, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += x[k] * x[k];
  return s;
}
