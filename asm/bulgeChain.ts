// One slab of a small-bulge multishift QR sweep with tightly packed bulges (src/linalg/bulgeChain.ts's chaseSlabJs,
// same arithmetic; the scheme of LAPACK's dlaqr5 3.10: bulges two rows apart, delayed right update of the row below
// each bulge, left updates after each step, reflectors accumulated into Ut = U^T). Compiled into the module of
// asm/linalg.ts (re-exported there). Indices are 1-based as in LAPACK: H(r, c) is h[(r - 1) n + c - 1].

import { ld, norm3, signOf, st } from "./common";

/** Reflector (tau, v2, v3) of (a1, a2, a3) into v[3 b ..]; returns beta. */
function reflector3(a1: f64, a2: f64, a3: f64, v: usize, b: i32): f64 {
  if (a2 == 0 && a3 == 0) {
    st(v, 3 * b, 0);
    st(v, 3 * b + 1, 0);
    st(v, 3 * b + 2, 0);
    return a1;
  }
  const beta = -signOf(a1) * norm3(a1, a2, a3);
  const inv = 1 / (a1 - beta);
  st(v, 3 * b, (beta - a1) / beta);
  st(v, 3 * b + 1, a2 * inv);
  st(v, 3 * b + 2, a3 * inv);
  return beta;
}

/** Rows r1, r2, r3 (addresses of their column-j0 entries) over columns j0 .. j1: the 3-row reflector from the left. */
@inline function leftRows3(r1: usize, r2: usize, r3: usize, len: i32, v2: f64, v3: f64, t1: f64, t2: f64, t3: f64): void {
  const vv2 = f64x2.splat(v2), vv3 = f64x2.splat(v3), vt1 = f64x2.splat(t1), vt2 = f64x2.splat(t2), vt3 = f64x2.splat(t3);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const o = <usize>j << 3;
    const x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
    const refsum = f64x2.add(f64x2.add(x1, f64x2.mul(vv2, x2)), f64x2.mul(vv3, x3));
    v128.store(r1 + o, f64x2.sub(x1, f64x2.mul(refsum, vt1)));
    v128.store(r2 + o, f64x2.sub(x2, f64x2.mul(refsum, vt2)));
    v128.store(r3 + o, f64x2.sub(x3, f64x2.mul(refsum, vt3)));
  }
  if (j < len) {
    const x1 = ld(r1, j), x2 = ld(r2, j), x3 = ld(r3, j);
    const refsum = x1 + v2 * x2 + v3 * x3;
    st(r1, j, x1 - refsum * t1);
    st(r2, j, x2 - refsum * t2);
    st(r3, j, x3 - refsum * t3);
  }
}

/** The 2-row version of leftRows3. */
@inline function leftRows2(r1: usize, r2: usize, len: i32, v2: f64, t1: f64, t2: f64): void {
  const vv2 = f64x2.splat(v2), vt1 = f64x2.splat(t1), vt2 = f64x2.splat(t2);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const o = <usize>j << 3;
    const x1 = v128.load(r1 + o), x2 = v128.load(r2 + o);
    const refsum = f64x2.add(x1, f64x2.mul(vv2, x2));
    v128.store(r1 + o, f64x2.sub(x1, f64x2.mul(refsum, vt1)));
    v128.store(r2 + o, f64x2.sub(x2, f64x2.mul(refsum, vt2)));
  }
  if (j < len) {
    const x1 = ld(r1, j), x2 = ld(r2, j);
    const refsum = x1 + v2 * x2;
    st(r1, j, x1 - refsum * t1);
    st(r2, j, x2 - refsum * t2);
  }
}

/**
 * Chases the chain of nbmps bulges (shift pairs in pairs, 4 doubles each; reflectors kept in v, 3 per bulge) through
 * the slab starting at column incol of the active block ktop .. kbot of the n x n row-major h, accumulating the
 * reflectors into ut (kdu x kdu, Ut = U^T, identity on entry).
 */
export function chaseSlab(n: i32, h: usize, ktop: i32, kbot: i32, incol: i32, nbmps: i32, pairs: usize, ut: usize, kdu: i32, v: usize): void {
  const ndcol = incol + kdu;
  const jtop = max(ktop, incol);
  const jbot = min(ndcol, kbot);
  const last = min(incol + 2 * nbmps - 1, kbot - 2);
  for (let krcol = incol; krcol <= last; krcol++) {
    const mtop = max(1, (ktop - krcol) / 2 + 1);
    const mbot = min(nbmps, (kbot - krcol - 1) / 2);
    const m22 = mbot + 1;
    const bmp22 = mbot < nbmps && krcol + 2 * (m22 - 1) == kbot - 2;
    if (bmp22) {
      const k = krcol + 2 * (m22 - 1);
      const b = m22 - 1;
      if (k == ktop - 1) {
        const s1r = ld(pairs, 4 * b), s1i = ld(pairs, 4 * b + 1), s2r = ld(pairs, 4 * b + 2), s2i = ld(pairs, 4 * b + 3);
        const h11 = ld(h, k * n + k), h21 = ld(h, (k + 1) * n + k);
        const s = abs(h11 - s2r) + abs(s2i) + abs(h21);
        let a1: f64 = 0, a2: f64 = 0;
        if (s != 0) {
          const h21s = h21 / s;
          a1 = h21s * ld(h, k * n + k + 1) + (h11 - s1r) * ((h11 - s2r) / s) - s1i * (s2i / s);
          a2 = h21s * (h11 + ld(h, (k + 1) * n + k + 1) - s1r - s2r);
        }
        reflector3(a1, a2, 0, v, b);
      } else {
        const beta = reflector3(ld(h, k * n + k - 1), ld(h, (k + 1) * n + k - 1), 0, v, b);
        st(h, k * n + k - 1, beta);
        st(h, (k + 1) * n + k - 1, 0);
      }
      const v2 = ld(v, 3 * b + 1);
      const t1 = ld(v, 3 * b), t2 = t1 * v2;
      if (t1 != 0) {
        const je = min(kbot, k + 3);
        for (let j = jtop; j <= je; j++) {
          const p = h + ((<usize>((j - 1) * n + k)) << 3);
          const x0 = load<f64>(p), x1 = load<f64>(p, 8);
          const refsum = x0 + v2 * x1;
          store<f64>(p, x0 - refsum * t1);
          store<f64>(p, x1 - refsum * t2, 8);
        }
        if (jbot >= k + 1) {
          const r1 = h + ((<usize>(k * n + k)) << 3);
          leftRows2(r1, r1 + ((<usize>n) << 3), jbot - k, v2, t1, t2);
        }
        const kms = k - incol;
        const j0 = max(1, ktop - incol);
        const u1 = ut + ((<usize>(kms * kdu + j0 - 1)) << 3);
        leftRows2(u1, u1 + ((<usize>kdu) << 3), kdu - j0 + 1, v2, t1, t2);
      }
    }
    for (let m = mbot; m >= mtop; m--) {
      const k = krcol + 2 * (m - 1);
      const b = m - 1;
      if (k == ktop - 1) {
        const s1r = ld(pairs, 4 * b), s1i = ld(pairs, 4 * b + 1), s2r = ld(pairs, 4 * b + 2), s2i = ld(pairs, 4 * b + 3);
        const h11 = ld(h, (ktop - 1) * n + ktop - 1), h21 = ld(h, ktop * n + ktop - 1);
        const s = abs(h11 - s2r) + abs(s2i) + abs(h21);
        let a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
        if (s != 0) {
          const h21s = h21 / s;
          a1 = h21s * ld(h, (ktop - 1) * n + ktop) + (h11 - s1r) * ((h11 - s2r) / s) - s1i * (s2i / s);
          a2 = h21s * (h11 + ld(h, ktop * n + ktop) - s1r - s2r);
          a3 = h21s * ld(h, (ktop + 1) * n + ktop);
        }
        reflector3(a1, a2, a3, v, b);
      } else {
        const t1 = ld(v, 3 * b), t2 = t1 * ld(v, 3 * b + 1), t3 = t1 * ld(v, 3 * b + 2);
        const p = (k + 2) * n + k - 1;
        const refsum = ld(v, 3 * b + 2) * ld(h, p + 2);
        st(h, p, -refsum * t1);
        st(h, p + 1, -refsum * t2);
        st(h, p + 2, ld(h, p + 2) - refsum * t3);
        const beta = reflector3(ld(h, k * n + k - 1), ld(h, (k + 1) * n + k - 1), ld(h, p), v, b);
        st(h, k * n + k - 1, beta);
        st(h, (k + 1) * n + k - 1, 0);
        st(h, p, 0);
      }
      const v2 = ld(v, 3 * b + 1), v3 = ld(v, 3 * b + 2);
      const t1 = ld(v, 3 * b), t2 = t1 * v2, t3 = t1 * v3;
      const je = min(kbot, k + 3);
      for (let j = jtop; j <= je; j++) {
        const p = h + ((<usize>((j - 1) * n + k)) << 3);
        const x0 = load<f64>(p), x1 = load<f64>(p, 8), x2 = load<f64>(p, 16);
        const refsum = x0 + v2 * x1 + v3 * x2;
        store<f64>(p, x0 - refsum * t1);
        store<f64>(p, x1 - refsum * t2, 8);
        store<f64>(p, x2 - refsum * t3, 16);
      }
      const q = k * n + k;
      const y0 = ld(h, q), y1 = ld(h, q + n), y2 = ld(h, q + 2 * n);
      const refsum = y0 + v2 * y1 + v3 * y2;
      st(h, q, y0 - refsum * t1);
      st(h, q + n, y1 - refsum * t2);
      st(h, q + 2 * n, y2 - refsum * t3);
    }
    for (let m = mbot; m >= mtop; m--) {
      const k = krcol + 2 * (m - 1);
      const b = m - 1;
      const v2 = ld(v, 3 * b + 1), v3 = ld(v, 3 * b + 2);
      const t1 = ld(v, 3 * b), t2 = t1 * v2, t3 = t1 * v3;
      const j0 = max(ktop, krcol + 2 * m);
      if (jbot < j0) continue;
      const r1 = h + ((<usize>(k * n + j0 - 1)) << 3);
      const stride = (<usize>n) << 3;
      leftRows3(r1, r1 + stride, r1 + 2 * stride, jbot - j0 + 1, v2, v3, t1, t2, t3);
    }
    for (let m = mbot; m >= mtop; m--) {
      const k = krcol + 2 * (m - 1);
      const b = m - 1;
      const kms = k - incol;
      const i2 = max(max(1, ktop - incol), kms - (krcol - incol) + 1);
      const i4 = min(kdu, krcol + 2 * (mbot - 1) - incol + 5);
      if (i4 < i2) continue;
      const v2 = ld(v, 3 * b + 1), v3 = ld(v, 3 * b + 2);
      const t1 = ld(v, 3 * b), t2 = t1 * v2, t3 = t1 * v3;
      const u1 = ut + ((<usize>(kms * kdu + i2 - 1)) << 3);
      const stride = (<usize>kdu) << 3;
      leftRows3(u1, u1 + stride, u1 + 2 * stride, i4 - i2 + 1, v2, v3, t1, t2, t3);
    }
  }
}
