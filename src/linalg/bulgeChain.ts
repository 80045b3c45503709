/**
 * One slab of a small-bulge multishift QR sweep with tightly packed bulges (the JavaScript version of the kernel
 * chaseSlab in asm/bulgeChain.ts, same arithmetic): a chain of nbmps double-shift bulges, two rows apart, is chased
 * 2 nbmps rows down the diagonal inside the window of rows/columns incol+1 .. incol+kdu (kdu = 4 nbmps), after the
 * scheme of LAPACK's dlaqr5 (3.10 and later): each step moves every bulge one row, deepest first; the right updates
 * and the first column of each left update are applied at once, the rest of the left updates after the step, and the
 * right update of the row below a bulge is delayed to the next step (its first two entries are zero), which is what
 * lets the bulges sit two rows apart instead of three. The reflectors are accumulated into Ut = U^T (row c of Ut =
 * column c of U), which the caller applies to the rest of the matrix and to the Schur vectors as matrix products.
 *
 * Indices follow LAPACK: ktop, kbot, incol and the rows/columns below are 1-based (H(r, c) = h[(r - 1) n + c - 1]);
 * the active block is rows ktop .. kbot. pairs holds 4 doubles per bulge (rt1r, rt1i, rt2r, rt2i; bulge M uses pair
 * M - 1, bulge nbmps is introduced first); v keeps each bulge's reflector (tau, v2, v3) from one step (and slab) to
 * the next.
 */
import { hypot3, signOf } from "./scalar.js";

/**
 * The reflector (tau, v2, v3) with beta e1 = (I - tau v v^T) (a1, a2, a3), v = (1, v2, v3), written to v[3 b ..];
 * returns beta.
 */
function reflector3(a1: number, a2: number, a3: number, v: Float64Array, b: number): number {
  if (a2 === 0 && a3 === 0) {
    v[3 * b] = 0;
    v[3 * b + 1] = 0;
    v[3 * b + 2] = 0;
    return a1;
  }
  const beta = -signOf(a1) * hypot3(a1, a2, a3);
  const inv = 1 / (a1 - beta);
  v[3 * b] = (beta - a1) / beta;
  v[3 * b + 1] = a2 * inv;
  v[3 * b + 2] = a3 * inv;
  return beta;
}

export function chaseSlabJs(
  n: number,
  h: Float64Array,
  ktop: number,
  kbot: number,
  incol: number,
  nbmps: number,
  pairs: Float64Array,
  ut: Float64Array,
  kdu: number,
  v: Float64Array,
): void {
  const H = (r: number, c: number): number => (r - 1) * n + c - 1;
  const ndcol = incol + kdu;
  const jtop = Math.max(ktop, incol);
  const jbot = Math.min(ndcol, kbot);
  const last = Math.min(incol + 2 * nbmps - 1, kbot - 2);
  for (let krcol = incol; krcol <= last; krcol++) {
    const mtop = Math.max(1, Math.trunc((ktop - krcol) / 2) + 1);
    const mbot = Math.min(nbmps, Math.trunc((kbot - krcol - 1) / 2));
    const m22 = mbot + 1;
    const bmp22 = mbot < nbmps && krcol + 2 * (m22 - 1) === kbot - 2;
    if (bmp22) {
      // A 2-row reflector for the bulge leaving at the bottom.
      const k = krcol + 2 * (m22 - 1);
      const b = m22 - 1;
      let a1: number, a2: number;
      if (k === ktop - 1) {
        const [s1r, s1i, s2r, s2i] = [pairs[4 * b], pairs[4 * b + 1], pairs[4 * b + 2], pairs[4 * b + 3]];
        const h11 = h[H(k + 1, k + 1)],
          h21 = h[H(k + 2, k + 1)];
        const s = Math.abs(h11 - s2r) + Math.abs(s2i) + Math.abs(h21);
        if (s === 0) {
          a1 = 0;
          a2 = 0;
        } else {
          const h21s = h21 / s;
          a1 = h21s * h[H(k + 1, k + 2)] + (h11 - s1r) * ((h11 - s2r) / s) - s1i * (s2i / s);
          a2 = h21s * (h11 + h[H(k + 2, k + 2)] - s1r - s2r);
        }
        reflector3(a1, a2, 0, v, b);
      } else {
        const beta = reflector3(h[H(k + 1, k)], h[H(k + 2, k)], 0, v, b);
        h[H(k + 1, k)] = beta;
        h[H(k + 2, k)] = 0;
      }
      const v2 = v[3 * b + 1];
      const t1 = v[3 * b],
        t2 = t1 * v2;
      if (t1 !== 0) {
        for (let j = jtop, je = Math.min(kbot, k + 3); j <= je; j++) {
          const p = H(j, k + 1);
          const refsum = h[p] + v2 * h[p + 1];
          h[p] -= refsum * t1;
          h[p + 1] -= refsum * t2;
        }
        const r1 = H(k + 1, 0),
          r2 = r1 + n;
        for (let j = k + 1; j <= jbot; j++) {
          const refsum = h[r1 + j] + v2 * h[r2 + j];
          h[r1 + j] -= refsum * t1;
          h[r2 + j] -= refsum * t2;
        }
        const kms = k - incol;
        const u1 = kms * kdu - 1,
          u2 = u1 + kdu;
        for (let j = Math.max(1, ktop - incol); j <= kdu; j++) {
          const refsum = ut[u1 + j] + v2 * ut[u2 + j];
          ut[u1 + j] -= refsum * t1;
          ut[u2 + j] -= refsum * t2;
        }
      }
    }
    // The chain of 3-row reflectors, deepest bulge first.
    for (let m = mbot; m >= mtop; m--) {
      const k = krcol + 2 * (m - 1);
      const b = m - 1;
      if (k === ktop - 1) {
        const [s1r, s1i, s2r, s2i] = [pairs[4 * b], pairs[4 * b + 1], pairs[4 * b + 2], pairs[4 * b + 3]];
        const h11 = h[H(ktop, ktop)],
          h21 = h[H(ktop + 1, ktop)];
        const s = Math.abs(h11 - s2r) + Math.abs(s2i) + Math.abs(h21);
        let a1 = 0,
          a2 = 0,
          a3 = 0;
        if (s !== 0) {
          const h21s = h21 / s;
          a1 = h21s * h[H(ktop, ktop + 1)] + (h11 - s1r) * ((h11 - s2r) / s) - s1i * (s2i / s);
          a2 = h21s * (h11 + h[H(ktop + 1, ktop + 1)] - s1r - s2r);
          a3 = h21s * h[H(ktop + 2, ktop + 1)];
        }
        reflector3(a1, a2, a3, v, b);
      } else {
        // Delayed right update of the row below the bulge by its previous reflector (first two entries zero).
        const t1 = v[3 * b],
          t2 = t1 * v[3 * b + 1],
          t3 = t1 * v[3 * b + 2];
        const p = H(k + 3, k);
        const refsum = v[3 * b + 2] * h[p + 2];
        h[p] = -refsum * t1;
        h[p + 1] = -refsum * t2;
        h[p + 2] -= refsum * t3;
        const beta = reflector3(h[H(k + 1, k)], h[H(k + 2, k)], h[p], v, b);
        h[H(k + 1, k)] = beta;
        h[H(k + 2, k)] = 0;
        h[p] = 0;
      }
      const v2 = v[3 * b + 1],
        v3 = v[3 * b + 2];
      const t1 = v[3 * b],
        t2 = t1 * v2,
        t3 = t1 * v3;
      for (let j = jtop, je = Math.min(kbot, k + 3); j <= je; j++) {
        const p = H(j, k + 1);
        const refsum = h[p] + v2 * h[p + 1] + v3 * h[p + 2];
        h[p] -= refsum * t1;
        h[p + 1] -= refsum * t2;
        h[p + 2] -= refsum * t3;
      }
      const q = H(k + 1, k + 1);
      const refsum = h[q] + v2 * h[q + n] + v3 * h[q + 2 * n];
      h[q] -= refsum * t1;
      h[q + n] -= refsum * t2;
      h[q + 2 * n] -= refsum * t3;
    }
    // The rest of the left updates.
    for (let m = mbot; m >= mtop; m--) {
      const k = krcol + 2 * (m - 1);
      const b = m - 1;
      const v2 = v[3 * b + 1],
        v3 = v[3 * b + 2];
      const t1 = v[3 * b],
        t2 = t1 * v2,
        t3 = t1 * v3;
      const r1 = H(k + 1, 0),
        r2 = r1 + n,
        r3 = r2 + n;
      for (let j = Math.max(ktop, krcol + 2 * m); j <= jbot; j++) {
        const refsum = h[r1 + j] + v2 * h[r2 + j] + v3 * h[r3 + j];
        h[r1 + j] -= refsum * t1;
        h[r2 + j] -= refsum * t2;
        h[r3 + j] -= refsum * t3;
      }
    }
    // Accumulate U (rows of Ut).
    for (let m = mbot; m >= mtop; m--) {
      const k = krcol + 2 * (m - 1);
      const b = m - 1;
      const kms = k - incol;
      const i2 = Math.max(1, ktop - incol, kms - (krcol - incol) + 1);
      const i4 = Math.min(kdu, krcol + 2 * (mbot - 1) - incol + 5);
      const v2 = v[3 * b + 1],
        v3 = v[3 * b + 2];
      const t1 = v[3 * b],
        t2 = t1 * v2,
        t3 = t1 * v3;
      const u1 = kms * kdu - 1,
        u2 = u1 + kdu,
        u3 = u2 + kdu;
      for (let j = i2; j <= i4; j++) {
        const refsum = ut[u1 + j] + v2 * ut[u2 + j] + v3 * ut[u3 + j];
        ut[u1 + j] -= refsum * t1;
        ut[u2 + j] -= refsum * t2;
        ut[u3 + j] -= refsum * t3;
      }
    }
  }
}
