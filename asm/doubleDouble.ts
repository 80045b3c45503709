// The residual of a Lyapunov equation in double-double arithmetic (src/exact/network.ts, exactModelResidual): the
// same operations in the same order as its JavaScript loops (Knuth's two-sum, Dekker's two-product without fused
// multiply-add), so the same bits. Conventions as in asm/linalg.ts; index arrays are passed as doubles.
import { ld, st } from "./common";

const SPLIT: f64 = 134217729.0; // 2^27 + 1

/**
 * A (n x n, compressed rows: row r holds the entries rowStart[r] .. rowStart[r + 1] - 1, column col[x], value
 * aHi[x] + aLo[x] with aHi[x]'s Dekker halves aHiH[x], aHiL[x]) times S (or S - ds; ds = 0: none) in double-double
 * into (mh, ml), then R = M + M^T - diag(dHi + dLo), symmetric, rounded to doubles, into r.
 */
export function ddLyapunovResidual(
  n: i32,
  rowStart: usize,
  col: usize,
  aHi: usize,
  aHiH: usize,
  aHiL: usize,
  aLo: usize,
  s: usize,
  ds: usize,
  dHi: usize,
  dLo: usize,
  mh: usize,
  ml: usize,
  r: usize,
): void {
  for (let row = 0; row < n; row++) {
    const x0 = <i32>ld(rowStart, row),
      x1 = <i32>ld(rowStart, row + 1);
    for (let c = 0; c < n; c++) {
      let sh: f64 = 0,
        sl: f64 = 0;
      for (let x = x0; x < x1; x++) {
        const at = <i32>ld(col, x) * n + c;
        let v = ld(s, at),
          w: f64 = 0;
        if (ds != 0) {
          const a = v,
            b = -ld(ds, at);
          v = a + b;
          const bb = v - a;
          w = a - (v - bb) + (b - bb);
        }
        const h = ld(aHi, x);
        const p = h * v;
        const t0 = SPLIT * v;
        const vh = t0 - (t0 - v),
          vl = v - vh;
        const ah = ld(aHiH, x),
          al = ld(aHiL, x);
        const e = ah * vh - p + ah * vl + al * vh + al * vl;
        const t = sh + p;
        const pp = t - sh;
        const f = sh - (t - pp) + (p - pp);
        sh = t;
        sl += f + e + ld(aLo, x) * v + h * w;
      }
      st(mh, row * n + c, sh);
      st(ml, row * n + c, sl);
    }
  }
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const x = ld(mh, a * n + b),
        y = ld(mh, b * n + a);
      const t = x + y;
      const yy = t - x;
      const f = x - (t - yy) + (y - yy);
      let low = f + ld(ml, a * n + b) + ld(ml, b * n + a);
      let high = t;
      const dh = ld(dHi, a);
      if (a == b && dh != 0) {
        const d = -dh;
        const u = high + d;
        const dd = u - high;
        const g = high - (u - dd) + (d - dd);
        high = u;
        low += g - ld(dLo, a);
      }
      const v = high + low;
      st(r, a * n + b, v);
      st(r, b * n + a, v);
    }
  }
}

/**
 * For a dense n x n A (its nonzeros taken row by row in increasing column), S and D: M = A S into m, then into
 * out[0..4] the sum of squares of R = M + M^T - D (row by row), the most nonzeros in a row of A, and the sums of
 * squares of A, S and D (each in storage order): the same operations in the same order as residualNormBound's
 * JavaScript (src/linalg/doubleDouble.ts, lyapunovResidualSums).
 */
export function lyapunovResidualSums(n: i32, a: usize, s: usize, d: usize, m: usize, out: usize): void {
  const nn = n * n;
  for (let x = 0; x < nn; x++) st(m, x, 0);
  let k = 0;
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) {
      const aij = ld(a, i * n + j);
      if (aij != 0) {
        count++;
        for (let c = 0; c < n; c++) st(m, i * n + c, ld(m, i * n + c) + aij * ld(s, j * n + c));
      }
    }
    if (count > k) k = count;
  }
  let r2: f64 = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const r = ld(m, i * n + j) + ld(m, j * n + i) - ld(d, i * n + j);
      r2 += r * r;
    }
  let qa: f64 = 0,
    qs: f64 = 0,
    qd: f64 = 0;
  for (let x = 0; x < nn; x++) qa += ld(a, x) * ld(a, x);
  for (let x = 0; x < nn; x++) qs += ld(s, x) * ld(s, x);
  for (let x = 0; x < nn; x++) qd += ld(d, x) * ld(d, x);
  st(out, 0, r2);
  st(out, 1, <f64>k);
  st(out, 2, qa);
  st(out, 3, qs);
  st(out, 4, qd);
}
