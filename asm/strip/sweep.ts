// The block sweep of a sliced network's pencil (src/linalg/stripGreen.ts, StripGreen.evaluate: the left-connected
// recursive Green's function at one complex frequency) in AssemblyScript with WebAssembly SIMD, compiled by
// scripts/build-wasm.js into src/linalg/stripSweepWasm.ts (base64, plain SIMD: no fused multiply-add) and run by
// src/linalg/stripSweep.ts. Each level's complex symmetric S is inverted from P S P^T = U^T D U (symmetric
// interchanges of diagonal pivots; Gauss-Jordan with row interchanges where a pivot is too small). The complex block
// products and the inverses run two columns at a time (f64x2 over j of a row, real and imaginary parts in separate
// arrays); every element gets exactly the arithmetic of the JavaScript loops, operation for operation, so the results
// are the same to the bit (test/linalg/stripSweep.test.ts compares them). The couplings are lists of nonzeros (at
// most one per column of every C_x: a strip's are diagonal).
//
// Memory is the caller's: every argument is a byte address; no allocation here. The header (i32 fields, see H_*)
// gives the level count, the end widths and the addresses of the pencil's arrays and of the scratch matrices.

// Header fields (i32 index into the header).
const H_LEVELS = 0;
const H_W0 = 1;
const H_START = 2; // i32[L + 1]: first site of every level
const H_AOFF = 3; // i32[L + 1]: offset (doubles) of every level's block in vBlock
const H_NZSTART = 4; // i32[L - 1]
const H_NZEND = 5; // i32[L - 1]
const H_NZROW = 6; // i32[]
const H_NZCOL = 7; // i32[]
const H_NZVAL = 8; // f64[]
const H_VBLOCK = 9; // f64[]
const H_MASS = 10; // f64[n]
const H_GAMMA = 11; // f64[n]
const H_G = 12; // scratch: every one below holds re (W^2 doubles) then im (W^2 doubles)
const H_H = 13;
const H_S = 14;
const H_SP = 15;
const H_U = 16;
const H_P = 17; // re (w0 W) then im (w0 W)
const H_Q = 18;
const H_KEEP = 19;
const H_PERM = 20; // i32[W]
const H_OUT = 21; // f64[2]: d ln det Q / dz
const H_WW = 22; // W^2 (the offset of the imaginary parts, doubles)
const H_PW = 23; // w0 W
const H_T = 24; // scratch vector, re (W doubles)
const H_TI = 25; // and im (W doubles)

@inline function hdr(h: usize, k: i32): i32 {
  return load<i32>(h + (<usize>k << 2));
}
@inline function adr(h: usize, k: i32): usize {
  return <usize>load<i32>(h + (<usize>k << 2));
}
@inline function ld(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}
@inline function st(p: usize, k: i32, v: f64): void {
  store<f64>(p + (<usize>k << 3), v);
}

/**
 * out = a b, complex (m x k times k x n, row-major, re/im apart). Each row's entries four (then two, then one) at a
 * time, kept in registers over the whole sum on q: every entry gets the sum over q in order, each term
 * (ar br - ai bi, ar bi + ai br) added to a sum started at 0 and skipped where a_iq is 0, exactly the JavaScript
 * loops' arithmetic (src/linalg/stripGreen.ts cmatmul).
 */
function cmatmul(
  aRe: usize,
  aIm: usize,
  bRe: usize,
  bIm: usize,
  oRe: usize,
  oIm: usize,
  m: i32,
  k: i32,
  n: i32,
): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const ra = i * k;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let r0 = f64x2.splat(0);
      let r1 = f64x2.splat(0);
      let i0 = f64x2.splat(0);
      let i1 = f64x2.splat(0);
      for (let q = 0; q < k; q++) {
        const ar = ld(aRe, ra + q);
        const ai = ld(aIm, ra + q);
        if (ar == 0 && ai == 0) continue;
        const vr = f64x2.splat(ar);
        const vi = f64x2.splat(ai);
        const pb = (<usize>(q * n + j)) << 3;
        const br0 = v128.load(bRe + pb);
        const br1 = v128.load(bRe + pb, 16);
        const bi0 = v128.load(bIm + pb);
        const bi1 = v128.load(bIm + pb, 16);
        r0 = f64x2.add(r0, f64x2.sub(f64x2.mul(vr, br0), f64x2.mul(vi, bi0)));
        r1 = f64x2.add(r1, f64x2.sub(f64x2.mul(vr, br1), f64x2.mul(vi, bi1)));
        i0 = f64x2.add(i0, f64x2.add(f64x2.mul(vr, bi0), f64x2.mul(vi, br0)));
        i1 = f64x2.add(i1, f64x2.add(f64x2.mul(vr, bi1), f64x2.mul(vi, br1)));
      }
      const po = (<usize>(o + j)) << 3;
      v128.store(oRe + po, r0);
      v128.store(oRe + po, r1, 16);
      v128.store(oIm + po, i0);
      v128.store(oIm + po, i1, 16);
    }
    for (; j + 2 <= n; j += 2) {
      let r0 = f64x2.splat(0);
      let i0 = f64x2.splat(0);
      for (let q = 0; q < k; q++) {
        const ar = ld(aRe, ra + q);
        const ai = ld(aIm, ra + q);
        if (ar == 0 && ai == 0) continue;
        const vr = f64x2.splat(ar);
        const vi = f64x2.splat(ai);
        const pb = (<usize>(q * n + j)) << 3;
        const br0 = v128.load(bRe + pb);
        const bi0 = v128.load(bIm + pb);
        r0 = f64x2.add(r0, f64x2.sub(f64x2.mul(vr, br0), f64x2.mul(vi, bi0)));
        i0 = f64x2.add(i0, f64x2.add(f64x2.mul(vr, bi0), f64x2.mul(vi, br0)));
      }
      const po = (<usize>(o + j)) << 3;
      v128.store(oRe + po, r0);
      v128.store(oIm + po, i0);
    }
    for (; j < n; j++) {
      let sr = 0.0;
      let si = 0.0;
      for (let q = 0; q < k; q++) {
        const ar = ld(aRe, ra + q);
        const ai = ld(aIm, ra + q);
        if (ar == 0 && ai == 0) continue;
        const br = ld(bRe, q * n + j);
        const bi = ld(bIm, q * n + j);
        sr = sr + (ar * br - ai * bi);
        si = si + (ar * bi + ai * br);
      }
      st(oRe, o + j, sr);
      st(oIm, o + j, si);
    }
  }
}

/**
 * out = -(a b) for w x w complex matrices whose product is symmetric: the upper triangle by cmatmul's arithmetic (a
 * row's entries kept in registers over the sum), negated, then mirrored (src/linalg/stripGreen.ts
 * cmatmulSymmetricNeg).
 */
function cmatmulSymmetricNeg(aRe: usize, aIm: usize, bRe: usize, bIm: usize, oRe: usize, oIm: usize, w: i32): void {
  for (let i = 0; i < w; i++) {
    const o = i * w;
    let j = i;
    for (; j + 4 <= w; j += 4) {
      let r0 = f64x2.splat(0);
      let r1 = f64x2.splat(0);
      let i0 = f64x2.splat(0);
      let i1 = f64x2.splat(0);
      for (let q = 0; q < w; q++) {
        const ar = ld(aRe, o + q);
        const ai = ld(aIm, o + q);
        if (ar == 0 && ai == 0) continue;
        const vr = f64x2.splat(ar);
        const vi = f64x2.splat(ai);
        const pb = (<usize>(q * w + j)) << 3;
        const br0 = v128.load(bRe + pb);
        const br1 = v128.load(bRe + pb, 16);
        const bi0 = v128.load(bIm + pb);
        const bi1 = v128.load(bIm + pb, 16);
        r0 = f64x2.add(r0, f64x2.sub(f64x2.mul(vr, br0), f64x2.mul(vi, bi0)));
        r1 = f64x2.add(r1, f64x2.sub(f64x2.mul(vr, br1), f64x2.mul(vi, bi1)));
        i0 = f64x2.add(i0, f64x2.add(f64x2.mul(vr, bi0), f64x2.mul(vi, br0)));
        i1 = f64x2.add(i1, f64x2.add(f64x2.mul(vr, bi1), f64x2.mul(vi, br1)));
      }
      const po = (<usize>(o + j)) << 3;
      v128.store(oRe + po, f64x2.neg(r0));
      v128.store(oRe + po, f64x2.neg(r1), 16);
      v128.store(oIm + po, f64x2.neg(i0));
      v128.store(oIm + po, f64x2.neg(i1), 16);
    }
    for (; j + 2 <= w; j += 2) {
      let r0 = f64x2.splat(0);
      let i0 = f64x2.splat(0);
      for (let q = 0; q < w; q++) {
        const ar = ld(aRe, o + q);
        const ai = ld(aIm, o + q);
        if (ar == 0 && ai == 0) continue;
        const vr = f64x2.splat(ar);
        const vi = f64x2.splat(ai);
        const pb = (<usize>(q * w + j)) << 3;
        const br0 = v128.load(bRe + pb);
        const bi0 = v128.load(bIm + pb);
        r0 = f64x2.add(r0, f64x2.sub(f64x2.mul(vr, br0), f64x2.mul(vi, bi0)));
        i0 = f64x2.add(i0, f64x2.add(f64x2.mul(vr, bi0), f64x2.mul(vi, br0)));
      }
      const po = (<usize>(o + j)) << 3;
      v128.store(oRe + po, f64x2.neg(r0));
      v128.store(oIm + po, f64x2.neg(i0));
    }
    for (; j < w; j++) {
      let sr = 0.0;
      let si = 0.0;
      for (let q = 0; q < w; q++) {
        const ar = ld(aRe, o + q);
        const ai = ld(aIm, o + q);
        if (ar == 0 && ai == 0) continue;
        const br = ld(bRe, q * w + j);
        const bi = ld(bIm, q * w + j);
        sr = sr + (ar * br - ai * bi);
        si = si + (ar * bi + ai * br);
      }
      st(oRe, o + j, -sr);
      st(oIm, o + j, -si);
    }
  }
  for (let i = 1; i < w; i++)
    for (let j = 0; j < i; j++) {
      st(oRe, i * w + j, ld(oRe, j * w + i));
      st(oIm, i * w + j, ld(oIm, j * w + i));
    }
}

/** In-place inverse of a complex w x w matrix (src/linalg/stripGreen.ts invertComplex, the same arithmetic). */
function invertComplex(aRe: usize, aIm: usize, w: i32, perm: usize): void {
  let scale = 0.0;
  for (let i = 0; i < w * w; i++) scale = Math.max(scale, Math.abs(ld(aRe, i)) + Math.abs(ld(aIm, i)));
  const tiny = 1e-15 * (scale > 0 ? scale : 1);
  for (let k = 0; k < w; k++) {
    let r = k;
    let rm = ld(aRe, k * w + k) * ld(aRe, k * w + k) + ld(aIm, k * w + k) * ld(aIm, k * w + k);
    for (let i = k + 1; i < w; i++) {
      const v = ld(aRe, i * w + k) * ld(aRe, i * w + k) + ld(aIm, i * w + k) * ld(aIm, i * w + k);
      if (v > rm) {
        rm = v;
        r = i;
      }
    }
    store<i32>(perm + (<usize>k << 2), r);
    if (r != k) {
      for (let j = 0; j < w; j++) {
        let t = ld(aRe, k * w + j);
        st(aRe, k * w + j, ld(aRe, r * w + j));
        st(aRe, r * w + j, t);
        t = ld(aIm, k * w + j);
        st(aIm, k * w + j, ld(aIm, r * w + j));
        st(aIm, r * w + j, t);
      }
    }
    let pr = ld(aRe, k * w + k);
    let pi = ld(aIm, k * w + k);
    if (!(Math.hypot(pr, pi) >= tiny)) {
      pr = tiny;
      pi = 0;
    }
    const d = pr * pr + pi * pi;
    const ir = pr / d;
    const ii = -pi / d;
    st(aRe, k * w + k, 1);
    st(aIm, k * w + k, 0);
    const vir = f64x2.splat(ir);
    const vii = f64x2.splat(ii);
    const rk = k * w;
    let j = 0;
    for (; j + 2 <= w; j += 2) {
      const p = (<usize>(rk + j)) << 3;
      const xr = v128.load(aRe + p);
      const xi = v128.load(aIm + p);
      v128.store(aRe + p, f64x2.sub(f64x2.mul(xr, vir), f64x2.mul(xi, vii)));
      v128.store(aIm + p, f64x2.add(f64x2.mul(xr, vii), f64x2.mul(xi, vir)));
    }
    for (; j < w; j++) {
      const xr = ld(aRe, rk + j);
      const xi = ld(aIm, rk + j);
      st(aRe, rk + j, xr * ir - xi * ii);
      st(aIm, rk + j, xr * ii + xi * ir);
    }
    for (let i = 0; i < w; i++) {
      if (i == k) continue;
      const fr = ld(aRe, i * w + k);
      const fi = ld(aIm, i * w + k);
      if (fr == 0 && fi == 0) continue;
      st(aRe, i * w + k, 0);
      st(aIm, i * w + k, 0);
      const vfr = f64x2.splat(fr);
      const vfi = f64x2.splat(fi);
      const ri = i * w;
      let j = 0;
      for (; j + 2 <= w; j += 2) {
        const p = (<usize>(rk + j)) << 3;
        const q = (<usize>(ri + j)) << 3;
        const xr = v128.load(aRe + p);
        const xi = v128.load(aIm + p);
        v128.store(aRe + q, f64x2.sub(v128.load(aRe + q), f64x2.sub(f64x2.mul(vfr, xr), f64x2.mul(vfi, xi))));
        v128.store(aIm + q, f64x2.sub(v128.load(aIm + q), f64x2.add(f64x2.mul(vfr, xi), f64x2.mul(vfi, xr))));
      }
      for (; j < w; j++) {
        const xr = ld(aRe, rk + j);
        const xi = ld(aIm, rk + j);
        st(aRe, ri + j, ld(aRe, ri + j) - (fr * xr - fi * xi));
        st(aIm, ri + j, ld(aIm, ri + j) - (fr * xi + fi * xr));
      }
    }
  }
  for (let k = w - 1; k >= 0; k--) {
    const r = load<i32>(perm + (<usize>k << 2));
    if (r == k) continue;
    for (let i = 0; i < w; i++) {
      let t = ld(aRe, i * w + k);
      st(aRe, i * w + k, ld(aRe, i * w + r));
      st(aRe, i * w + r, t);
      t = ld(aIm, i * w + k);
      st(aIm, i * w + k, ld(aIm, i * w + r));
      st(aIm, i * w + r, t);
    }
  }
}

// The symmetric inverse's pivot rule (src/linalg/stripGreen.ts SYM_PIVOT).
const SYM_PIVOT = 0.3;

/** o -= c x, complex, over j = j0 .. w-1 (o and x rows at byte addresses, re/im apart), two at a time. */
@inline function axpyMinus(
  oRe: usize,
  oIm: usize,
  xRe: usize,
  xIm: usize,
  cr: f64,
  ci: f64,
  j0: i32,
  w: i32,
): void {
  const vcr = f64x2.splat(cr);
  const vci = f64x2.splat(ci);
  let j = j0;
  for (; j + 2 <= w; j += 2) {
    const p = (<usize>j) << 3;
    const xr = v128.load(xRe + p);
    const xi = v128.load(xIm + p);
    v128.store(oRe + p, f64x2.sub(v128.load(oRe + p), f64x2.sub(f64x2.mul(vcr, xr), f64x2.mul(vci, xi))));
    v128.store(oIm + p, f64x2.sub(v128.load(oIm + p), f64x2.add(f64x2.mul(vcr, xi), f64x2.mul(vci, xr))));
  }
  for (; j < w; j++) {
    const xr = ld(xRe, j);
    const xi = ld(xIm, j);
    st(oRe, j, ld(oRe, j) - (cr * xr - ci * xi));
    st(oIm, j, ld(oIm, j) - (cr * xi + ci * xr));
  }
}

/** Exchanges entries a and b (element indices) of a complex array (re/im apart). */
@inline function swapAt(re: usize, im: usize, a: i32, b: i32): void {
  let t = ld(re, a);
  st(re, a, ld(re, b));
  st(re, b, t);
  t = ld(im, a);
  st(im, a, ld(im, b));
  st(im, b, t);
}

/**
 * g = S^-1 for a complex symmetric S by P S P^T = U^T D U (P the identity unless a pivot fails the rule: then the
 * largest remaining diagonal entry interchanged with it, perm[k]) and the inverse from the last row up, undone by P
 * (src/linalg/stripGreen.ts invertComplexSymmetric, the same arithmetic); 0 where a pivot fails the rule.
 */
function invertSymmetric(
  sRe: usize,
  sIm: usize,
  w: i32,
  gRe: usize,
  gIm: usize,
  tRe: usize,
  tIm: usize,
  perm: usize,
): i32 {
  const ww = w * w;
  let scale = 0.0;
  for (let i = 0; i < ww; i++) scale = Math.max(scale, Math.abs(ld(sRe, i)) + Math.abs(ld(sIm, i)));
  const tiny = 1e-15 * (scale > 0 ? scale : 1);
  const tiny2 = tiny * tiny;
  const tau2 = SYM_PIVOT * SYM_PIVOT;
  memory.copy(gRe, sRe, <usize>ww << 3);
  memory.copy(gIm, sIm, <usize>ww << 3);
  let swapped = false;
  for (let k = 0; k < w; k++) {
    const q = k * w;
    const qRe = gRe + ((<usize>q) << 3);
    const qIm = gIm + ((<usize>q) << 3);
    store<i32>(perm + (<usize>k << 2), k);
    let dr = ld(qRe, k);
    let di = ld(qIm, k);
    let dd = dr * dr + di * di;
    let cm = 0.0;
    for (let j = k + 1; j < w; j++) cm = Math.max(cm, ld(qRe, j) * ld(qRe, j) + ld(qIm, j) * ld(qIm, j));
    if (!(dd >= tiny2 && dd >= tau2 * cm)) {
      let p = k;
      let pm = dd;
      for (let j = k + 1; j < w; j++) {
        const v = ld(gRe, j * w + j) * ld(gRe, j * w + j) + ld(gIm, j * w + j) * ld(gIm, j * w + j);
        if (v > pm) {
          pm = v;
          p = j;
        }
      }
      if (p == k) return 0;
      store<i32>(perm + (<usize>k << 2), p);
      swapped = true;
      const r = p * w;
      for (let i = 0; i < k; i++) swapAt(gRe, gIm, i * w + k, i * w + p);
      swapAt(gRe, gIm, q + k, r + p);
      for (let j = k + 1; j < p; j++) swapAt(gRe, gIm, q + j, j * w + p);
      for (let j = p + 1; j < w; j++) swapAt(gRe, gIm, q + j, r + j);
      dr = ld(qRe, k);
      di = ld(qIm, k);
      dd = dr * dr + di * di;
      cm = 0.0;
      for (let j = k + 1; j < w; j++) cm = Math.max(cm, ld(qRe, j) * ld(qRe, j) + ld(qIm, j) * ld(qIm, j));
      if (!(dd >= tiny2 && dd >= tau2 * cm)) return 0;
    }
    const ir = dr / dd;
    const ii = -di / dd;
    st(qRe, k, ir);
    st(qIm, k, ii);
    for (let i = k + 1; i < w; i++) {
      const lr = ld(qRe, i) * ir - ld(qIm, i) * ii;
      const li = ld(qRe, i) * ii + ld(qIm, i) * ir;
      const r = (<usize>(i * w)) << 3;
      axpyMinus(gRe + r, gIm + r, qRe, qIm, lr, li, i, w);
    }
    const vir = f64x2.splat(ir);
    const vii = f64x2.splat(ii);
    let j = k + 1;
    for (; j + 2 <= w; j += 2) {
      const p = (<usize>j) << 3;
      const xr = v128.load(qRe + p);
      const xi = v128.load(qIm + p);
      v128.store(qRe + p, f64x2.sub(f64x2.mul(xr, vir), f64x2.mul(xi, vii)));
      v128.store(qIm + p, f64x2.add(f64x2.mul(xr, vii), f64x2.mul(xi, vir)));
    }
    for (; j < w; j++) {
      const xr = ld(qRe, j);
      const xi = ld(qIm, j);
      st(qRe, j, xr * ir - xi * ii);
      st(qIm, j, xr * ii + xi * ir);
    }
  }
  for (let k = w - 1; k >= 0; k--) {
    const q = k * w;
    const qRe = gRe + ((<usize>q) << 3);
    const qIm = gIm + ((<usize>q) << 3);
    for (let j = k + 1; j < w; j++) {
      st(tRe, j, ld(qRe, j));
      st(tIm, j, ld(qIm, j));
      st(qRe, j, 0);
      st(qIm, j, 0);
    }
    for (let m = k + 1; m < w; m++) {
      const r = (<usize>(m * w)) << 3;
      axpyMinus(qRe, qIm, gRe + r, gIm + r, ld(tRe, m), ld(tIm, m), k + 1, w);
    }
    let er = ld(qRe, k);
    let ei = ld(qIm, k);
    for (let j = k + 1; j < w; j++) {
      er -= ld(tRe, j) * ld(qRe, j) - ld(tIm, j) * ld(qIm, j);
      ei -= ld(tRe, j) * ld(qIm, j) + ld(tIm, j) * ld(qRe, j);
    }
    st(qRe, k, er);
    st(qIm, k, ei);
    for (let j = k + 1; j < w; j++) {
      st(gRe, j * w + k, ld(qRe, j));
      st(gIm, j * w + k, ld(qIm, j));
    }
  }
  if (swapped) {
    for (let k = w - 1; k >= 0; k--) {
      const p = load<i32>(perm + (<usize>k << 2));
      if (p == k) continue;
      for (let j = 0; j < w; j++) swapAt(gRe, gIm, k * w + j, p * w + j);
      for (let i = 0; i < w; i++) swapAt(gRe, gIm, i * w + k, i * w + p);
    }
  }
  return 1;
}

/** S -= C_x^T g C_x over C_x's nonzeros b..e (StripGreen.congruence). */
function congruence(
  h: usize,
  b: i32,
  e: i32,
  wp: i32,
  w: i32,
  gRe: usize,
  gIm: usize,
  sRe: usize,
  sIm: usize,
): void {
  const nzRow = adr(h, H_NZROW);
  const nzCol = adr(h, H_NZCOL);
  const nzVal = adr(h, H_NZVAL);
  for (let u = b; u < e; u++) {
    const q = load<i32>(nzRow + (<usize>u << 2));
    const i = load<i32>(nzCol + (<usize>u << 2));
    const c = ld(nzVal, u);
    for (let v = b; v < e; v++) {
      const k = q * wp + load<i32>(nzRow + (<usize>v << 2));
      const d = ld(nzVal, v);
      const o = i * w + load<i32>(nzCol + (<usize>v << 2));
      st(sRe, o, ld(sRe, o) - c * (ld(gRe, k) * d));
      st(sIm, o, ld(sIm, o) - c * (ld(gIm, k) * d));
    }
  }
}

/**
 * Whether C_x's nonzeros b..e are its diagonal in order (row = column = u - b for every u, w of them, the levels of
 * width w): a strip's couplings. congruenceDiagonal and timesCDiagonal then do congruence's and timesC's arithmetic
 * two entries at a time.
 */
function diagonalCoupling(h: usize, b: i32, e: i32, wp: i32, w: i32): bool {
  if (e - b != w || wp != w) return false;
  const nzRow = adr(h, H_NZROW);
  const nzCol = adr(h, H_NZCOL);
  for (let u = b; u < e; u++) {
    if (load<i32>(nzRow + (<usize>u << 2)) != u - b || load<i32>(nzCol + (<usize>u << 2)) != u - b) return false;
  }
  return true;
}

/** S -= C^T g C for a diagonal C (c at nzVal[b..b+w)): s_ij -= c_i (g_ij c_j), as congruence. */
function congruenceDiagonal(h: usize, b: i32, w: i32, gRe: usize, gIm: usize, sRe: usize, sIm: usize): void {
  const c = adr(h, H_NZVAL) + ((<usize>b) << 3);
  for (let i = 0; i < w; i++) {
    const ci = ld(c, i);
    const vc = f64x2.splat(ci);
    const o = i * w;
    let j = 0;
    for (; j + 2 <= w; j += 2) {
      const p = (<usize>(o + j)) << 3;
      const vd = v128.load(c + ((<usize>j) << 3));
      v128.store(sRe + p, f64x2.sub(v128.load(sRe + p), f64x2.mul(vc, f64x2.mul(v128.load(gRe + p), vd))));
      v128.store(sIm + p, f64x2.sub(v128.load(sIm + p), f64x2.mul(vc, f64x2.mul(v128.load(gIm + p), vd))));
    }
    for (; j < w; j++) {
      const d = ld(c, j);
      st(sRe, o + j, ld(sRe, o + j) - ci * (ld(gRe, o + j) * d));
      st(sIm, o + j, ld(sIm, o + j) - ci * (ld(gIm, o + j) * d));
    }
  }
}

/** out = P C for a diagonal C (P m x w): out_ij = 0 + p_ij c_j, as timesC. */
function timesCDiagonal(h: usize, b: i32, pRe: usize, pIm: usize, m: i32, w: i32, outRe: usize, outIm: usize): void {
  const c = adr(h, H_NZVAL) + ((<usize>b) << 3);
  const zero = f64x2.splat(0);
  for (let i = 0; i < m; i++) {
    const o = i * w;
    let j = 0;
    for (; j + 2 <= w; j += 2) {
      const p = (<usize>(o + j)) << 3;
      const vc = v128.load(c + ((<usize>j) << 3));
      v128.store(outRe + p, f64x2.add(zero, f64x2.mul(v128.load(pRe + p), vc)));
      v128.store(outIm + p, f64x2.add(zero, f64x2.mul(v128.load(pIm + p), vc)));
    }
    for (; j < w; j++) {
      const cj = ld(c, j);
      st(outRe, o + j, 0.0 + ld(pRe, o + j) * cj);
      st(outIm, o + j, 0.0 + ld(pIm, o + j) * cj);
    }
  }
}

/** out = P C_x over C_x's nonzeros b..e (P m x wp, out m x w; StripGreen.timesC). */
function timesC(
  h: usize,
  b: i32,
  e: i32,
  pRe: usize,
  pIm: usize,
  m: i32,
  wp: i32,
  w: i32,
  outRe: usize,
  outIm: usize,
): void {
  for (let i = 0; i < m * w; i++) {
    st(outRe, i, 0);
    st(outIm, i, 0);
  }
  const nzRow = adr(h, H_NZROW);
  const nzCol = adr(h, H_NZCOL);
  const nzVal = adr(h, H_NZVAL);
  for (let u = b; u < e; u++) {
    const q = load<i32>(nzRow + (<usize>u << 2));
    const j = load<i32>(nzCol + (<usize>u << 2));
    const c = ld(nzVal, u);
    for (let i = 0; i < m; i++) {
      st(outRe, i * w + j, ld(outRe, i * w + j) + ld(pRe, i * wp + q) * c);
      st(outIm, i * w + j, ld(outIm, i * w + j) + ld(pIm, i * wp + q) * c);
    }
  }
}

/**
 * One sweep at z = zr + i zi (StripGreen.evaluate; every coupling given by its nonzeros): G_(0,L-1) in P's first
 * w0 wL entries (re, then im at +w0 W), with `derivative` d ln det Q / dz at out[0..1], with `keep` the last level's
 * S before its inverse in the keep scratch (the residue's check).
 */
export function stripSweep(h: usize, zr: f64, zi: f64, derivative: i32, keep: i32, ends: i32): void {
  const L = hdr(h, H_LEVELS);
  const w0 = hdr(h, H_W0);
  const start = adr(h, H_START);
  const aOff = adr(h, H_AOFF);
  const nzStart = adr(h, H_NZSTART);
  const nzEnd = adr(h, H_NZEND);
  const vBlock = adr(h, H_VBLOCK);
  const mass = adr(h, H_MASS);
  const gamma = adr(h, H_GAMMA);
  const WW = <usize>hdr(h, H_WW) << 3;
  const PW = <usize>hdr(h, H_PW) << 3;
  const gRe = adr(h, H_G);
  const gIm = gRe + WW;
  const hRe = adr(h, H_H);
  const hIm = hRe + WW;
  const sRe = adr(h, H_S);
  const sIm = sRe + WW;
  const spRe = adr(h, H_SP);
  const spIm = spRe + WW;
  const uRe = adr(h, H_U);
  const uIm = uRe + WW;
  const pRe = adr(h, H_P);
  const pIm = pRe + PW;
  const qRe = adr(h, H_Q);
  const qIm = qRe + PW;
  const keepRe = adr(h, H_KEEP);
  const keepIm = keepRe + WW;
  const perm = adr(h, H_PERM);
  const tRe = adr(h, H_T);
  const tIm = adr(h, H_TI);
  const z2r = zr * zr - zi * zi;
  const z2i = 2 * zr * zi;
  let dr = 0.0;
  let di = 0.0;
  for (let x = 0; x < L; x++) {
    const s0 = load<i32>(start + (<usize>x << 2));
    const w = load<i32>(start + (<usize>(x + 1) << 2)) - s0;
    const ww = w * w;
    const a0 = load<i32>(aOff + (<usize>x << 2));
    memory.copy(sRe, vBlock + ((<usize>a0) << 3), <usize>ww << 3);
    memory.fill(sIm, 0, <usize>ww << 3);
    if (derivative) {
      memory.fill(spRe, 0, <usize>ww << 3);
      memory.fill(spIm, 0, <usize>ww << 3);
    }
    for (let a = 0; a < w; a++) {
      const m = ld(mass, s0 + a);
      const g = ld(gamma, s0 + a);
      const o = a * w + a;
      st(sRe, o, ld(sRe, o) + (-z2r * m + zi * g));
      st(sIm, o, ld(sIm, o) + (-z2i * m - zr * g));
      if (derivative) {
        st(spRe, o, -2 * zr * m);
        st(spIm, o, -2 * zi * m - g);
      }
    }
    let wp = 0;
    let nb = 0;
    let ne = 0;
    let diag = false;
    if (x > 0) {
      const sp = load<i32>(start + (<usize>(x - 1) << 2));
      wp = s0 - sp;
      nb = load<i32>(nzStart + (<usize>(x - 1) << 2));
      ne = load<i32>(nzEnd + (<usize>(x - 1) << 2));
      diag = diagonalCoupling(h, nb, ne, wp, w);
      if (diag) {
        congruenceDiagonal(h, nb, w, gRe, gIm, sRe, sIm);
        if (derivative) congruenceDiagonal(h, nb, w, hRe, hIm, spRe, spIm);
      } else {
        congruence(h, nb, ne, wp, w, gRe, gIm, sRe, sIm);
        if (derivative) congruence(h, nb, ne, wp, w, hRe, hIm, spRe, spIm);
      }
    }
    if (keep && x == L - 1) {
      memory.copy(keepRe, sRe, <usize>ww << 3);
      memory.copy(keepIm, sIm, <usize>ww << 3);
    }
    if (!invertSymmetric(sRe, sIm, w, gRe, gIm, tRe, tIm, perm)) {
      memory.copy(gRe, sRe, <usize>ww << 3);
      memory.copy(gIm, sIm, <usize>ww << 3);
      invertComplex(gRe, gIm, w, perm);
    }
    if (derivative) {
      cmatmul(gRe, gIm, spRe, spIm, uRe, uIm, w, w, w);
      for (let a = 0; a < w; a++) {
        dr += ld(uRe, a * w + a);
        di += ld(uIm, a * w + a);
      }
      if (x + 1 < L) cmatmulSymmetricNeg(uRe, uIm, gRe, gIm, hRe, hIm, w);
    }
    if (!ends) continue;
    if (x == 0) {
      memory.copy(pRe, gRe, <usize>ww << 3);
      memory.copy(pIm, gIm, <usize>ww << 3);
    } else {
      if (diag) timesCDiagonal(h, nb, pRe, pIm, w0, w, qRe, qIm);
      else timesC(h, nb, ne, pRe, pIm, w0, wp, w, qRe, qIm);
      cmatmul(qRe, qIm, gRe, gIm, pRe, pIm, w0, w, w);
      let i = 0;
      for (; i + 2 <= w0 * w; i += 2) {
        const p = (<usize>i) << 3;
        v128.store(pRe + p, f64x2.neg(v128.load(pRe + p)));
        v128.store(pIm + p, f64x2.neg(v128.load(pIm + p)));
      }
      for (; i < w0 * w; i++) {
        st(pRe, i, -ld(pRe, i));
        st(pIm, i, -ld(pIm, i));
      }
    }
  }
  const out = adr(h, H_OUT);
  st(out, 0, dr);
  st(out, 1, di);
}
