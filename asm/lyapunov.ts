// The quasi-triangular Lyapunov solve T Y + Y T^T = C of the Bartels-Stewart solver (AssemblyScript; compiled with
// asm/linalg.ts, which re-exports it, by scripts/build-wasm.js). The JavaScript twin is
// solveQuasiTriangularLyapunov in src/linalg/triangularLyapunov.ts: the same column-block algorithm (symmetric Y,
// one triangle; 1x1 and 2x2 diagonal blocks of a standardised real Schur form), with the dot products of the
// right-hand sides and of the back substitution in f64x2 lanes and the block pairs solved here, so that a solve
// makes one call into WebAssembly and allocates nothing.
//
// Conventions as in asm/linalg.ts: row-major doubles, byte addresses, leading dimensions in elements; the caller
// owns the memory.

import { at as addr, ld as ldd, st as std } from "./common";
import { gemm } from "./linalg";
@inline function fma2(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}
@inline function lanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** sum_l a[l] b[l] + c[l] d[l], l < len (two independent chains). */
function dotPair(a: usize, b: usize, c: usize, d: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let l = 0;
  for (; l + 2 <= len; l += 2) {
    const o = <usize>l << 3;
    s0 = fma2(v128.load(a + o), v128.load(b + o), s0);
    s1 = fma2(v128.load(c + o), v128.load(d + o), s1);
  }
  let r = lanes(s0) + lanes(s1);
  if (l < len) r += ldd(a, l) * ldd(b, l) + ldd(c, l) * ldd(d, l);
  return r;
}

/**
 * The right-hand sides of a 2x2 column block at once: s0 = yp . tc0 + tp . yc0 and s1 = yp . tc1 + tp . yc1
 * (l < len), each as dotPair computes it, loading yp and tp once. Writes s0, s1 to out[0], out[1].
 */
function dotPair2(yp: usize, tp: usize, tc0: usize, yc0: usize, tc1: usize, yc1: usize, len: i32, res: usize): void {
  let a0 = f64x2.splat(0), b0 = f64x2.splat(0), a1 = f64x2.splat(0), b1 = f64x2.splat(0);
  let l = 0;
  for (; l + 2 <= len; l += 2) {
    const o = <usize>l << 3;
    const y = v128.load(yp + o), t = v128.load(tp + o);
    a0 = fma2(y, v128.load(tc0 + o), a0);
    b0 = fma2(t, v128.load(yc0 + o), b0);
    a1 = fma2(y, v128.load(tc1 + o), a1);
    b1 = fma2(t, v128.load(yc1 + o), b1);
  }
  let r0 = lanes(a0) + lanes(b0), r1 = lanes(a1) + lanes(b1);
  if (l < len) {
    const y = ldd(yp, l), t = ldd(tp, l);
    r0 += y * ldd(tc0, l) + t * ldd(yc0, l);
    r1 += y * ldd(tc1, l) + t * ldd(yc1, l);
  }
  std(res, 0, r0);
  std(res, 1, r1);
}

/**
 * dotPair(ya, tc, ta, yc, len) and dotPair(yb, tc, tb, yc, len) for two rows at once (tc and yc loaded once), each
 * summed as dotPair sums it; into res[0], res[1].
 */
function dotPairRows(ya: usize, ta: usize, yb: usize, tb: usize, tc: usize, yc: usize, len: i32, res: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
  let l = 0;
  for (; l + 2 <= len; l += 2) {
    const o = <usize>l << 3;
    const t = v128.load(tc + o), y = v128.load(yc + o);
    a0 = fma2(v128.load(ya + o), t, a0);
    a1 = fma2(v128.load(ta + o), y, a1);
    b0 = fma2(v128.load(yb + o), t, b0);
    b1 = fma2(v128.load(tb + o), y, b1);
  }
  let ra = lanes(a0) + lanes(a1), rb = lanes(b0) + lanes(b1);
  if (l < len) {
    const t = ldd(tc, l), y = ldd(yc, l);
    ra += ldd(ya, l) * t + ldd(ta, l) * y;
    rb += ldd(yb, l) * t + ldd(tb, l) * y;
  }
  std(res, 0, ra);
  std(res, 1, rb);
}

/**
 * dotPair2 for rows yp, tp and the next ones (yp + ldy, tp + ldt) at once, each summed as dotPair2 sums it; into
 * res[0], res[1] (first row) and res[2], res[3] (second).
 */
function dotPair2Rows(
  yp: usize, tp: usize, ldy: i32, ldt: i32, tc0: usize, yc0: usize, tc1: usize, yc1: usize, len: i32, res: usize,
): void {
  const yq = yp + (<usize>ldy << 3), tq = tp + (<usize>ldt << 3);
  let a0 = f64x2.splat(0), b0 = f64x2.splat(0), a1 = f64x2.splat(0), b1 = f64x2.splat(0);
  let c0 = f64x2.splat(0), d0 = f64x2.splat(0), c1 = f64x2.splat(0), d1 = f64x2.splat(0);
  let l = 0;
  for (; l + 2 <= len; l += 2) {
    const o = <usize>l << 3;
    const u0 = v128.load(tc0 + o), w0 = v128.load(yc0 + o), u1 = v128.load(tc1 + o), w1 = v128.load(yc1 + o);
    const y = v128.load(yp + o), t = v128.load(tp + o);
    a0 = fma2(y, u0, a0);
    b0 = fma2(t, w0, b0);
    a1 = fma2(y, u1, a1);
    b1 = fma2(t, w1, b1);
    const y2 = v128.load(yq + o), t2 = v128.load(tq + o);
    c0 = fma2(y2, u0, c0);
    d0 = fma2(t2, w0, d0);
    c1 = fma2(y2, u1, c1);
    d1 = fma2(t2, w1, d1);
  }
  let r0 = lanes(a0) + lanes(b0), r1 = lanes(a1) + lanes(b1);
  let r2 = lanes(c0) + lanes(d0), r3 = lanes(c1) + lanes(d1);
  if (l < len) {
    const u0 = ldd(tc0, l), w0 = ldd(yc0, l), u1 = ldd(tc1, l), w1 = ldd(yc1, l);
    const y = ldd(yp, l), t = ldd(tp, l), y2 = ldd(yq, l), t2 = ldd(tq, l);
    r0 += y * u0 + t * w0;
    r1 += y * u1 + t * w1;
    r2 += y2 * u0 + t2 * w0;
    r3 += y2 * u1 + t2 * w1;
  }
  std(res, 0, r0);
  std(res, 1, r1);
  std(res, 2, r2);
  std(res, 3, r3);
}

/** a . b0 and a . b1 (l < len) into res[0], res[1], each as dot computes it, loading a once. */
function dot2(a: usize, b0: usize, b1: usize, len: i32, res: usize): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), u0 = f64x2.splat(0), u1 = f64x2.splat(0);
  let l = 0;
  for (; l + 4 <= len; l += 4) {
    const o = <usize>l << 3;
    const x = v128.load(a + o), z = v128.load(a + o, 16);
    s0 = fma2(x, v128.load(b0 + o), s0);
    s1 = fma2(z, v128.load(b0 + o, 16), s1);
    u0 = fma2(x, v128.load(b1 + o), u0);
    u1 = fma2(z, v128.load(b1 + o, 16), u1);
  }
  let r0 = lanes(f64x2.add(s0, s1)), r1 = lanes(f64x2.add(u0, u1));
  for (; l < len; l++) {
    const x = ldd(a, l);
    r0 += x * ldd(b0, l);
    r1 += x * ldd(b1, l);
  }
  std(res, 0, r0);
  std(res, 1, r1);
}

/** sum_l a[l] b[l], l < len (two independent chains). */
function dot(a: usize, b: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let l = 0;
  for (; l + 4 <= len; l += 4) {
    const o = <usize>l << 3;
    s0 = fma2(v128.load(a + o), v128.load(b + o), s0);
    s1 = fma2(v128.load(a + o, 16), v128.load(b + o, 16), s1);
  }
  let r = lanes(f64x2.add(s0, s1));
  for (; l < len; l++) r += ldd(a, l) * ldd(b, l);
  return r;
}

// Scratch of the small systems, in the caller's work area (set by lyapTriangular).
let sys: usize = 0; // 16 + 4 doubles: the 4x4 system and its right-hand side
let rhs: usize = 0; // 4 doubles
let out: usize = 0; // 4 doubles
let perm: usize = 0; // 4 i32

/** Solves [a b; c d] x = (r0, r1) by elimination with partial pivoting into out[0..1]; false when singular. */
function solve2(a: f64, b: f64, c: f64, d: f64, r0: f64, r1: f64): bool {
  if (abs(c) > abs(a)) {
    let t = a;
    a = c;
    c = t;
    t = b;
    b = d;
    d = t;
    t = r0;
    r0 = r1;
    r1 = t;
  }
  if (a == 0) return false;
  const l = c / a;
  const u = d - l * b;
  if (u == 0) return false;
  const x1 = (r1 - l * r0) / u;
  const x0 = (r0 - b * x1) / a;
  std(out, 0, x0);
  std(out, 1, x1);
  return isFinite(x0) && isFinite(x1);
}

/** Solves the 3x3 system (row-major m[0..11] with the right-hand side in column 3) into out[0..2]. */
function solve3(m: usize): bool {
  for (let k = 0; k < 3; k++) {
    let p = k;
    for (let r = k + 1; r < 3; r++) if (abs(ldd(m, r * 4 + k)) > abs(ldd(m, p * 4 + k))) p = r;
    if (ldd(m, p * 4 + k) == 0) return false;
    if (p != k) {
      for (let col = k; col < 4; col++) {
        const tmp = ldd(m, k * 4 + col);
        std(m, k * 4 + col, ldd(m, p * 4 + col));
        std(m, p * 4 + col, tmp);
      }
    }
    for (let r = k + 1; r < 3; r++) {
      const l = ldd(m, r * 4 + k) / ldd(m, k * 4 + k);
      if (l == 0) continue;
      for (let col = k + 1; col < 4; col++) std(m, r * 4 + col, ldd(m, r * 4 + col) - l * ldd(m, k * 4 + col));
    }
  }
  const x2 = ldd(m, 11) / ldd(m, 10);
  const x1 = (ldd(m, 7) - ldd(m, 6) * x2) / ldd(m, 5);
  const x0 = (ldd(m, 3) - ldd(m, 1) * x1 - ldd(m, 2) * x2) / ldd(m, 0);
  std(out, 0, x0);
  std(out, 1, x1);
  std(out, 2, x2);
  return isFinite(x0) && isFinite(x1) && isFinite(x2);
}

// The factorisations of the 4x4 systems of pairs of 2x2 blocks, kept across the solves of one condition estimate (its
// solves share T, and its adjoint solves share J T^T J): CACHE doubles per pair, pair (pb, qb) at entry
// qb (qb + 1) / 2 + pb: the eliminated K (16), the multipliers of each step (6), the row interchanges (4) and the
// column permutation (4). Applying a kept factorisation repeats the arithmetic of the elimination on the right-hand
// side exactly: a solve gives the same numbers with and without the cache.
const CACHE = 30;
let cache: usize = 0; // 0: no cache
let cacheFill = false; // true: factorise and keep; false: use the kept factorisations
let pairIndex = 0; // the entry of the current pair

/** Doubles of a factorisation cache for nb diagonal blocks. */
export function lyapPairCacheSize(nb: i32): i32 {
  return ((nb * (nb + 1)) >> 1) * CACHE;
}

/**
 * Solves the 4x4 system of a pair of 2x2 blocks with the kept factorisation at `e` (see CACHE): the right-hand side in
 * registers, each row interchange by selects, then the elimination and the back substitution in blockPair's order
 * (every value sees the same operations as there).
 */
function applyKept(e: usize): void {
  let b0 = ldd(rhs, 0), b1 = ldd(rhs, 1), b2 = ldd(rhs, 2), b3 = ldd(rhs, 3);
  // step 0: interchange rows 0 and br, then eliminate below
  let br = <i32>ldd(e, 22);
  let p = select<f64>(b1, select<f64>(b2, select<f64>(b3, b0, br == 3), br == 2), br == 1);
  b1 = select<f64>(b0, b1, br == 1);
  b2 = select<f64>(b0, b2, br == 2);
  b3 = select<f64>(b0, b3, br == 3);
  b0 = p;
  let m = ldd(e, 16);
  if (m != 0) b1 -= m * b0;
  m = ldd(e, 17);
  if (m != 0) b2 -= m * b0;
  m = ldd(e, 18);
  if (m != 0) b3 -= m * b0;
  // step 1
  br = <i32>ldd(e, 23);
  p = select<f64>(b2, select<f64>(b3, b1, br == 3), br == 2);
  b2 = select<f64>(b1, b2, br == 2);
  b3 = select<f64>(b1, b3, br == 3);
  b1 = p;
  m = ldd(e, 19);
  if (m != 0) b2 -= m * b1;
  m = ldd(e, 20);
  if (m != 0) b3 -= m * b1;
  // step 2
  br = <i32>ldd(e, 24);
  p = select<f64>(b3, b2, br == 3);
  b3 = select<f64>(b2, b3, br == 3);
  b2 = p;
  m = ldd(e, 21);
  if (m != 0) b3 -= m * b2;
  // back substitution with U (rows of e[0..15])
  b3 = b3 / ldd(e, 15);
  b2 = (b2 - ldd(e, 11) * b3) / ldd(e, 10);
  b1 = (b1 - ldd(e, 6) * b2 - ldd(e, 7) * b3) / ldd(e, 5);
  b0 = (b0 - ldd(e, 1) * b1 - ldd(e, 2) * b2 - ldd(e, 3) * b3) / ldd(e, 0);
  std(out, <i32>ldd(e, 26), b0);
  std(out, <i32>ldd(e, 27), b1);
  std(out, <i32>ldd(e, 28), b2);
  std(out, <i32>ldd(e, 29), b3);
}

/**
 * Solves P Y + Y R^T = rhs for the pw x qw block Y (pw, qw in {1, 2}), P = T[p0.., p0..], R = T[q0.., q0..]; rhs and
 * out are pw x qw row-major. Gaussian elimination with complete pivoting for the 4x4 case; false when singular.
 */
function blockPair(t: usize, ldt: i32, p0: i32, pw: i32, q0: i32, qw: i32): bool {
  if (pw == 1 && qw == 1) {
    const d = ldd(t, p0 * ldt + p0) + ldd(t, q0 * ldt + q0);
    if (d == 0) return false;
    std(out, 0, ldd(rhs, 0) / d);
    return true;
  }
  if (pw == 2 && qw == 1) {
    const d = ldd(t, q0 * ldt + q0);
    const i0 = p0 * ldt + p0, i1 = i0 + ldt;
    return solve2(ldd(t, i0) + d, ldd(t, i0 + 1), ldd(t, i1), ldd(t, i1 + 1) + d, ldd(rhs, 0), ldd(rhs, 1));
  }
  if (pw == 1 && qw == 2) {
    const d = ldd(t, p0 * ldt + p0);
    const i0 = q0 * ldt + q0, i1 = i0 + ldt;
    return solve2(ldd(t, i0) + d, ldd(t, i0 + 1), ldd(t, i1), ldd(t, i1 + 1) + d, ldd(rhs, 0), ldd(rhs, 1));
  }
  if (p0 == q0) {
    // diagonal 2x2 block, symmetric Y = [y0 y1; y1 y2]: three equations
    const i0 = p0 * ldt + p0, i1 = i0 + ldt;
    const a = ldd(t, i0), b = ldd(t, i0 + 1), c = ldd(t, i1), d = ldd(t, i1 + 1);
    const m = sys;
    std(m, 0, 2 * a);
    std(m, 1, 2 * b);
    std(m, 2, 0);
    std(m, 3, ldd(rhs, 0));
    std(m, 4, c);
    std(m, 5, a + d);
    std(m, 6, b);
    std(m, 7, 0.5 * (ldd(rhs, 1) + ldd(rhs, 2)));
    std(m, 8, 0);
    std(m, 9, 2 * c);
    std(m, 10, 2 * d);
    std(m, 11, ldd(rhs, 3));
    if (!solve3(m)) return false;
    std(out, 3, ldd(out, 2));
    std(out, 2, ldd(out, 1));
    return true;
  }
  const e = cache + (<usize>pairIndex * CACHE << 3);
  if (cache != 0 && !cacheFill) {
    applyKept(e);
    return true;
  }
  // 2x2 by 2x2: four unknowns u = 2a + b; equation (a, b): sum_k P[a,k] Y[k,b] + sum_k Y[a,k] R[b,k], i.e.
  // K = P (x) I + I (x) R row by row (the sums as the JavaScript twin forms them: 0 + p + r = p + r)
  const K = sys;
  const i0 = p0 * ldt + p0, j0 = q0 * ldt + q0;
  const p00 = ldd(t, i0), p01 = ldd(t, i0 + 1), p10 = ldd(t, i0 + ldt), p11 = ldd(t, i0 + ldt + 1);
  const r00 = ldd(t, j0), r01 = ldd(t, j0 + 1), r10 = ldd(t, j0 + ldt), r11 = ldd(t, j0 + ldt + 1);
  std(K, 0, p00 + r00);
  std(K, 1, r01);
  std(K, 2, p01);
  std(K, 3, 0);
  std(K, 4, r10);
  std(K, 5, p00 + r11);
  std(K, 6, 0);
  std(K, 7, p01);
  std(K, 8, p10);
  std(K, 9, 0);
  std(K, 10, p11 + r00);
  std(K, 11, r01);
  std(K, 12, 0);
  std(K, 13, p10);
  std(K, 14, r10);
  std(K, 15, p11 + r11);
  const R = 16; // right-hand side at K[16..19]
  for (let u = 0; u < 4; u++) std(K, R + u, ldd(rhs, u));
  for (let u = 0; u < 4; u++) store<i32>(perm + (<usize>u << 2), u);
  for (let k = 0; k < 4; k++) {
    // the first largest |K[r, c]| (r, c >= k, row by row), by selects (no unpredictable branches)
    let br = k, bc = k;
    let best: f64 = -1;
    for (let r = k; r < 4; r++) {
      for (let c = k; c < 4; c++) {
        const v = abs(ldd(K, r * 4 + c));
        const gt = v > best;
        best = select<f64>(v, best, gt);
        br = select<i32>(r, br, gt);
        bc = select<i32>(c, bc, gt);
      }
    }
    if (best == 0 || !isFinite(best)) return false;
    if (br != k) {
      // columns before k hold nothing read again (U's rows are above k, the multipliers kept apart)
      for (let c = k; c < 4; c++) {
        const tmp = ldd(K, k * 4 + c);
        std(K, k * 4 + c, ldd(K, br * 4 + c));
        std(K, br * 4 + c, tmp);
      }
      const tmp = ldd(K, R + k);
      std(K, R + k, ldd(K, R + br));
      std(K, R + br, tmp);
    }
    if (bc != k) {
      for (let r = 0; r < 4; r++) {
        const tmp = ldd(K, r * 4 + k);
        std(K, r * 4 + k, ldd(K, r * 4 + bc));
        std(K, r * 4 + bc, tmp);
      }
      const pk = load<i32>(perm + (<usize>k << 2));
      store<i32>(perm + (<usize>k << 2), load<i32>(perm + (<usize>bc << 2)));
      store<i32>(perm + (<usize>bc << 2), pk);
    }
    if (cache != 0) std(e, 22 + k, <f64>br);
    const inv = 1 / ldd(K, k * 4 + k);
    for (let r = k + 1; r < 4; r++) {
      const f = ldd(K, r * 4 + k) * inv;
      if (cache != 0) std(e, 16 + ((k * (7 - k)) >> 1) + r - k - 1, f);
      if (f == 0) continue;
      for (let c = k + 1; c < 4; c++) std(K, r * 4 + c, ldd(K, r * 4 + c) - f * ldd(K, k * 4 + c));
      std(K, R + r, ldd(K, R + r) - f * ldd(K, R + k));
    }
  }
  for (let k = 3; k >= 0; k--) {
    let s = ldd(K, R + k);
    for (let c = k + 1; c < 4; c++) s -= ldd(K, k * 4 + c) * ldd(K, R + c);
    std(K, R + k, s / ldd(K, k * 4 + k));
  }
  for (let u = 0; u < 4; u++) std(out, load<i32>(perm + (<usize>u << 2)), ldd(K, R + u));
  if (cache != 0) {
    for (let i = 0; i < 16; i++) std(e, i, ldd(K, i));
    for (let u = 0; u < 4; u++) std(e, 26 + u, <f64>load<i32>(perm + (<usize>u << 2)));
  }
  return true;
}

/**
 * Doubles of work lyapTriangular needs for order n (the blocked solve, from BLOCKED_MIN = 128 on, uses at most
 * PANEL_WORK + n / NB + 68 of them: 277 of 352 at n = 128).
 */
export function lyapTriangularWork(n: i32): i32 {
  return 2 * n + 32 + ((n + 1) >> 1);
}

/**
 * Solves T Y + Y T^T = C for symmetric Y, T (n x n, leading dimension ldt) quasi-upper-triangular in standardised
 * real Schur form (its 2x2 diagonal blocks found from the subdiagonal). Reads the upper triangle of C (ldc); writes
 * the upper triangle of Y (ldy) and the lower entry of each 2x2 diagonal block, and the whole lower triangle when
 * `mirror` is 1. C and Y may be the same array (in place). `work` holds lyapTriangularWork(n) doubles (16-byte
 * aligned). Returns 1, or 0 when a block pair is exactly singular (or its solution not finite).
 */
export function lyapTriangular(
  n: i32,
  t: usize,
  ldt: i32,
  c: usize,
  ldc: i32,
  y: usize,
  ldy: i32,
  work: usize,
  mirror: i32,
): i32 {
  cache = 0;
  return triangular(n, t, ldt, c, ldc, y, ldy, work, mirror);
}

/**
 * lyapTriangular (with ldt = n) that also keeps the block pairs' factorisations in `kept` (2 lyapPairCacheSize(nb)
 * doubles, as lyapInverseNormEstimate takes them), as the estimate's first solve with T would: a condition estimate
 * that follows on the same T then passes keptReady = 1 and factorises none of those pairs again (same numbers).
 */
export function lyapTriangularKeep(
  n: i32,
  t: usize,
  c: usize,
  ldc: i32,
  y: usize,
  ldy: i32,
  work: usize,
  mirror: i32,
  kept: usize,
): i32 {
  cache = kept;
  cacheFill = true;
  const ok = triangular(n, t, n, c, ldc, y, ldy, work, mirror);
  cache = 0;
  return ok;
}

/**
 * lyapTriangular with the pair cache as set in `cache` and `cacheFill`: blocked (lyapBlocked) from BLOCKED_MIN on
 * when lyapSetGemmWork gave it gemm's workspace, else column block by column block (unblocked).
 */
function triangular(
  n: i32,
  t: usize,
  ldt: i32,
  c: usize,
  ldc: i32,
  y: usize,
  ldy: i32,
  work: usize,
  mirror: i32,
): i32 {
  if (gemmWork != 0 && n >= BLOCKED_MIN) return blocked(n, t, ldt, c, ldc, y, ldy, work, mirror);
  blockBase = 0;
  return unblocked(n, t, ldt, c, ldc, y, ldy, work, mirror);
}

/** The column-block solve (Level 2: dot products); diagonal blocks numbered from blockBase in the pair cache. */
function unblocked(
  n: i32,
  t: usize,
  ldt: i32,
  c: usize,
  ldc: i32,
  y: usize,
  ldy: i32,
  work: usize,
  mirror: i32,
): i32 {
  const y0 = work; // column q0 of the current column block, rows 0..qe-1
  const y1 = addr(work, n); // column q0 + 1
  sys = addr(work, 2 * n);
  rhs = addr(sys, 20);
  out = addr(rhs, 4);
  perm = addr(out, 4);
  const start = addr(perm, 4); // block starts, as i32 (n at most)
  let nBlocks = 0;
  for (let i = 0; i < n; ) {
    store<i32>(start + (<usize>nBlocks << 2), i);
    nBlocks++;
    i += i + 1 < n && ldd(t, (i + 1) * ldt + i) != 0 ? 2 : 1;
  }
  let qe = n;
  for (let qb = nBlocks - 1; qb >= 0; qb--) {
    const q0 = load<i32>(start + (<usize>qb << 2));
    const qw = qe - q0;
    const tail = n - qe;
    // right-hand sides for rows 0..qe-1: C[p, col] - Y[p, qe:] . T[col, qe:] - T[p, qe:] . Y[col, qe:]
    const tc0 = addr(t, q0 * ldt + qe), yc0 = addr(y, q0 * ldy + qe);
    if (qw == 1) {
      let p = 0;
      if (tail > 0) {
        // two rows per pass (rows p, p+1 <= q0: C from the upper triangle)
        for (; p + 2 <= qe; p += 2) {
          dotPairRows(addr(y, p * ldy + qe), addr(t, p * ldt + qe), addr(y, (p + 1) * ldy + qe),
            addr(t, (p + 1) * ldt + qe), tc0, yc0, tail, out);
          std(y0, p, ldd(c, p * ldc + q0) - ldd(out, 0));
          std(y0, p + 1, ldd(c, (p + 1) * ldc + q0) - ldd(out, 1));
        }
      }
      for (; p < qe; p++) {
        let s = p <= q0 ? ldd(c, p * ldc + q0) : ldd(c, q0 * ldc + p);
        if (tail > 0) s -= dotPair(addr(y, p * ldy + qe), tc0, addr(t, p * ldt + qe), yc0, tail);
        std(y0, p, s);
      }
    } else {
      const q1 = q0 + 1;
      const tc1 = addr(tc0, ldt), yc1 = addr(yc0, ldy);
      let p = 0;
      if (tail > 0) {
        // two rows per pass (rows p, p+1 <= q0: C from the upper triangle)
        for (; p + 2 <= q0 + 1; p += 2) {
          dotPair2Rows(addr(y, p * ldy + qe), addr(t, p * ldt + qe), ldy, ldt, tc0, yc0, tc1, yc1, tail, out);
          std(y0, p, ldd(c, p * ldc + q0) - ldd(out, 0));
          std(y1, p, ldd(c, p * ldc + q1) - ldd(out, 1));
          std(y0, p + 1, ldd(c, (p + 1) * ldc + q0) - ldd(out, 2));
          std(y1, p + 1, ldd(c, (p + 1) * ldc + q1) - ldd(out, 3));
        }
      }
      for (; p < qe; p++) {
        let s0 = p <= q0 ? ldd(c, p * ldc + q0) : ldd(c, q0 * ldc + p);
        let s1 = p <= q1 ? ldd(c, p * ldc + q1) : ldd(c, q1 * ldc + p);
        if (tail > 0) {
          dotPair2(addr(y, p * ldy + qe), addr(t, p * ldt + qe), tc0, yc0, tc1, yc1, tail, out);
          s0 -= ldd(out, 0);
          s1 -= ldd(out, 1);
        }
        std(y0, p, s0);
        std(y1, p, s1);
      }
    }
    // back substitution over the row blocks pb = qb .. 0
    let pe = qe;
    for (let pb = qb; pb >= 0; pb--) {
      const p0 = load<i32>(start + (<usize>pb << 2));
      const pw = pe - p0;
      const len = qe - pe;
      if (pw == 1 && qw == 1) {
        // the common case, inline: (t_pp + t_qq) y_pq = rhs
        const v = ldd(y0, p0) - (len > 0 ? dot(addr(t, p0 * ldt + pe), addr(y0, pe), len) : 0);
        const d = ldd(t, p0 * ldt + p0) + ldd(t, q0 * ldt + q0);
        if (d == 0) return 0;
        const x = v / d;
        std(y0, p0, x);
        std(y, p0 * ldy + q0, x);
        pe = p0;
        continue;
      }
      for (let a = 0; a < pw; a++) {
        const p = p0 + a;
        const tp = addr(t, p * ldt + pe);
        if (qw == 1) std(rhs, a, ldd(y0, p) - (len > 0 ? dot(tp, addr(y0, pe), len) : 0));
        else if (len > 0) {
          dot2(tp, addr(y0, pe), addr(y1, pe), len, out);
          std(rhs, a * 2, ldd(y0, p) - ldd(out, 0));
          std(rhs, a * 2 + 1, ldd(y1, p) - ldd(out, 1));
        } else {
          std(rhs, a * 2, ldd(y0, p));
          std(rhs, a * 2 + 1, ldd(y1, p));
        }
      }
      pairIndex = (((qb + blockBase) * (qb + blockBase + 1)) >> 1) + pb + blockBase;
      if (!blockPair(t, ldt, p0, pw, q0, qw)) return 0;
      if (pb == qb && qw == 2) {
        // diagonal 2x2 block: symmetric in exact arithmetic
        const off = 0.5 * (ldd(out, 1) + ldd(out, 2));
        std(out, 1, off);
        std(out, 2, off);
      }
      for (let a = 0; a < pw; a++) {
        const p = p0 + a;
        const v0 = ldd(out, a * qw);
        std(y0, p, v0);
        std(y, p * ldy + q0, v0);
        if (qw == 2) {
          const v1 = ldd(out, a * qw + 1);
          std(y1, p, v1);
          std(y, p * ldy + q0 + 1, v1);
        }
      }
      pe = p0;
    }
    qe = q0;
  }
  if (mirror) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) std(y, i * ldy + j, ldd(y, j * ldy + i));
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------------------------
// The blocked solve (Level 3): the same equations as the column-block solve, organised by panels of about NB columns
// (whole diagonal blocks) so that most of the work runs in gemm (asm/linalg.ts), as in the recursive blocked
// Sylvester/Lyapunov solvers of Jonsson and Kagstrom (RECSY) and LAPACK's dtrsyl3. On Y's upper triangle, with C
// copied into it, for the panel J = [j0, j1) from the right:
//   R[0:j1, J] -= Y[0:j1, j1:n] T[J, j1:n]^T + T[0:j1, j1:n] Y[J, j1:n]^T          (two gemm: the solved columns)
//   T_JJ Y_JJ + Y_JJ T_JJ^T = R_JJ                                                   (unblocked, then mirrored)
// then the row panels I = [i0, i1) above it, from the bottom:
//   R[I, J] -= T[I, i1:j1] Y[i1:j1, J]                                               (gemm)
//   T_II Y_IJ + Y_IJ T_JJ^T = R_IJ                                                   (sylvesterPanel)
// The flops are those of the column-block solve (about n^3), all but O(n^2 NB) of them in gemm.

/** Target columns of a panel (a panel ends after the diagonal block that reaches NB columns). */
const NB = 64;
/** Orders from which triangular() solves by panels. */
const BLOCKED_MIN = 128;
/** Doubles at the start of `work` used by a panel's own solves (unblocked on NB + 1 columns, sylvesterPanel). */
const PANEL_WORK = 208;

let gemmWork: usize = 0; // gemm's packing workspace (0: no blocked solves)
let blockBase = 0; // index of the first diagonal block of an unblocked sub-solve, for the pair cache

/**
 * Gives the triangular solves gemm's workspace (gemmWorkBytes() bytes, 16-byte aligned; the TypeScript runtime's
 * gemmWork) for their blocked form; 0 turns it off (every solve column block by column block).
 */
export function lyapSetGemmWork(w: usize): void {
  gemmWork = w;
}

/**
 * T_II Y + Y T_JJ^T = R for the block Y = y[i0:i1, j0:j1] in place (I = [i0, i1) above J = [j0, j1), both runs of
 * whole diagonal blocks, the first of them the global diagonal blocks bI and bJ), column block by column block from
 * the right, row block by row block from the bottom. Scratch: the first 2 (NB + 1) + 28 doubles and the i32 starts
 * at `starts` (NB + 2 of them). False when a block pair is singular.
 */
function sylvesterPanel(
  t: usize,
  ldt: i32,
  i0: i32,
  i1: i32,
  bI: i32,
  j0: i32,
  j1: i32,
  bJ: i32,
  y: usize,
  ldy: i32,
  work: usize,
  starts: usize,
): bool {
  const y0 = work; // column q0 of Y_IJ (rows i0..i1-1, at 0..iw-1)
  const y1 = addr(work, NB + 1); // column q0 + 1
  sys = addr(work, 2 * (NB + 1));
  rhs = addr(sys, 20);
  out = addr(rhs, 4);
  perm = addr(out, 4);
  // the starts of the diagonal blocks of I (from index 0) and of J (from index NB + 2 on)
  let nbI = 0;
  for (let i = i0; i < i1; nbI++) {
    store<i32>(starts + (<usize>nbI << 2), i);
    i += i + 1 < i1 && ldd(t, (i + 1) * ldt + i) != 0 ? 2 : 1;
  }
  const startsJ = starts + (<usize>(NB + 2) << 2);
  let nbJ = 0;
  for (let i = j0; i < j1; nbJ++) {
    store<i32>(startsJ + (<usize>nbJ << 2), i);
    i += i + 1 < j1 && ldd(t, (i + 1) * ldt + i) != 0 ? 2 : 1;
  }
  let qe = j1;
  for (let qb = nbJ - 1; qb >= 0; qb--) {
    const q0 = load<i32>(startsJ + (<usize>qb << 2));
    const qw = qe - q0;
    const len = j1 - qe;
    // right-hand sides: R[p, col] - Y[p, qe:j1] . T[col, qe:j1]
    const tc0 = addr(t, q0 * ldt + qe);
    if (qw == 1) {
      for (let p = i0; p < i1; p++) {
        let s = ldd(y, p * ldy + q0);
        if (len > 0) s -= dot(addr(y, p * ldy + qe), tc0, len);
        std(y0, p - i0, s);
      }
    } else {
      const tc1 = addr(tc0, ldt);
      for (let p = i0; p < i1; p++) {
        let s0 = ldd(y, p * ldy + q0), s1 = ldd(y, p * ldy + q0 + 1);
        if (len > 0) {
          dot2(addr(y, p * ldy + qe), tc0, tc1, len, out);
          s0 -= ldd(out, 0);
          s1 -= ldd(out, 1);
        }
        std(y0, p - i0, s0);
        std(y1, p - i0, s1);
      }
    }
    // back substitution over the row blocks of I from the bottom: - T[p, pe:i1] . Y[pe:i1, col]
    const QB = bJ + qb;
    const qq = ldd(t, q0 * ldt + q0);
    let pe = i1;
    for (let pb = nbI - 1; pb >= 0; pb--) {
      const p0 = load<i32>(starts + (<usize>pb << 2));
      const pw = pe - p0;
      const plen = i1 - pe;
      if (pw == 1 && qw == 1) {
        const v = ldd(y0, p0 - i0) - (plen > 0 ? dot(addr(t, p0 * ldt + pe), addr(y0, pe - i0), plen) : 0);
        const d = ldd(t, p0 * ldt + p0) + qq;
        if (d == 0) return false;
        const x = v / d;
        std(y0, p0 - i0, x);
        std(y, p0 * ldy + q0, x);
        pe = p0;
        continue;
      }
      for (let a = 0; a < pw; a++) {
        const p = p0 + a;
        const tp = addr(t, p * ldt + pe);
        if (qw == 1) std(rhs, a, ldd(y0, p - i0) - (plen > 0 ? dot(tp, addr(y0, pe - i0), plen) : 0));
        else if (plen > 0) {
          dot2(tp, addr(y0, pe - i0), addr(y1, pe - i0), plen, out);
          std(rhs, a * 2, ldd(y0, p - i0) - ldd(out, 0));
          std(rhs, a * 2 + 1, ldd(y1, p - i0) - ldd(out, 1));
        } else {
          std(rhs, a * 2, ldd(y0, p - i0));
          std(rhs, a * 2 + 1, ldd(y1, p - i0));
        }
      }
      const PB = bI + pb;
      pairIndex = ((QB * (QB + 1)) >> 1) + PB;
      if (!blockPair(t, ldt, p0, pw, q0, qw)) return false;
      for (let a = 0; a < pw; a++) {
        const p = p0 + a;
        const v0 = ldd(out, a * qw);
        std(y0, p - i0, v0);
        std(y, p * ldy + q0, v0);
        if (qw == 2) {
          const v1 = ldd(out, a * qw + 1);
          std(y1, p - i0, v1);
          std(y, p * ldy + q0 + 1, v1);
        }
      }
      pe = p0;
    }
    qe = q0;
  }
  return true;
}

/** triangular() by panels (see above); `work` holds lyapTriangularWork(n) doubles, n >= BLOCKED_MIN. */
function blocked(n: i32, t: usize, ldt: i32, c: usize, ldc: i32, y: usize, ldy: i32, work: usize, mirror: i32): i32 {
  // the panels' starts and first diagonal blocks (i32), after the panels' own scratch
  const pstart = addr(work, PANEL_WORK);
  const maxPanels = (n + NB - 1) / NB + 1;
  const pblock = pstart + (<usize>maxPanels << 2);
  const starts = pblock + (<usize>maxPanels << 2); // 2 (NB + 2) i32 for sylvesterPanel
  let np = 0, nb = 0;
  for (let i = 0; i < n; np++) {
    store<i32>(pstart + (<usize>np << 2), i);
    store<i32>(pblock + (<usize>np << 2), nb);
    const s = i;
    while (i < n && i - s < NB) {
      i += i + 1 < n && ldd(t, (i + 1) * ldt + i) != 0 ? 2 : 1;
      nb++;
    }
  }
  store<i32>(pstart + (<usize>np << 2), n);
  if (c != y || ldc != ldy) {
    for (let p = 0; p < n; p++) memory.copy(addr(y, p * ldy + p), addr(c, p * ldc + p), <usize>(n - p) << 3);
  }
  for (let J = np - 1; J >= 0; J--) {
    const j0 = load<i32>(pstart + (<usize>J << 2)), j1 = load<i32>(pstart + (<usize>(J + 1) << 2));
    const jw = j1 - j0;
    const yJ = addr(y, j0);
    if (j1 < n) {
      gemm(0, 1, j1, jw, n - j1, -1, addr(y, j1), ldy, addr(t, j0 * ldt + j1), ldt, yJ, ldy, gemmWork);
      gemm(0, 1, j1, jw, n - j1, -1, addr(t, j1), ldt, addr(y, j0 * ldy + j1), ldy, yJ, ldy, gemmWork);
    }
    const yJJ = addr(y, j0 * ldy + j0);
    blockBase = load<i32>(pblock + (<usize>J << 2));
    if (!unblocked(jw, addr(t, j0 * ldt + j0), ldt, yJJ, ldy, yJJ, ldy, work, 1)) return 0;
    for (let I = J - 1; I >= 0; I--) {
      const i0 = load<i32>(pstart + (<usize>I << 2)), i1 = load<i32>(pstart + (<usize>(I + 1) << 2));
      const yIJ = addr(y, i0 * ldy + j0);
      gemm(0, 0, i1 - i0, jw, j1 - i1, -1, addr(t, i0 * ldt + i1), ldt, addr(y, i1 * ldy + j0), ldy, yIJ, ldy, gemmWork);
      const bI = load<i32>(pblock + (<usize>I << 2)), bJ = load<i32>(pblock + (<usize>J << 2));
      if (!sylvesterPanel(t, ldt, i0, i1, bI, j0, j1, bJ, y, ldy, work, starts)) return 0;
    }
  }
  blockBase = 0;
  if (mirror) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) std(y, i * ldy + j, ldd(y, j * ldy + i));
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------------------------
// The condition estimate: one step of Hager's 1-norm estimator (LAPACK dlacn2's first step) of the inverse of
// Y -> T Y + Y T^T on symmetric matrices, entrywise 1-norm. The JavaScript twin is estimateInverseLyapunovNorm in
// src/linalg/lyapunovCondition.ts with the solves of SchurLyapunovSolver.inverseNorm (src/linalg/lyapunov.ts): the
// same steps, sum for sum, so that on the same solves it returns the same number.

/** y <- L^-1 x on the leading block of x covering its first `support` rows and columns; sum |y| (Infinity on failure). */
function applyInverse(n: i32, t: usize, x: usize, y: usize, work: usize, support: i32, kept: usize, fill: bool): f64 {
  // the solved dimension: the end of the last diagonal block starting before `support`
  let m = 0;
  while (m < support) m += m + 1 < n && ldd(t, (m + 1) * n + m) != 0 ? 2 : 1;
  const nn = n * n;
  if (m < n) memory.fill(y, 0, <usize>nn << 3);
  cache = kept;
  cacheFill = fill;
  if (!triangular(m, t, n, x, n, y, n, work, 1)) return Infinity;
  let s: f64 = 0;
  for (let k = 0; k < nn; k++) s += abs(ldd(y, k));
  return isFinite(s) ? s : Infinity;
}

/** Records sign(y) on the upper triangle (bytes at `sign`). */
function updateSigns(n: i32, y: usize, sign: usize): void {
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const k = i * n + j;
      store<i8>(sign + <usize>k, <i8>select<i32>(1, -1, ldd(y, k) >= 0));
    }
  }
}

/**
 * W = L^-*(sign matrix) (the adjoint W -> T^T W + W T solved as tr W' + W' tr^T = C' with tr = J T^T J, W' = J W J,
 * C' = J C J, J reversing the coordinates), left as W' = J W J in y (W[k] = y[nn-1-k], not reversed back); the
 * upper-triangle index of the largest |W|, or -1 on failure.
 */
function gradient(
  n: i32,
  tr: usize,
  y: usize,
  flip: usize,
  sign: usize,
  work: usize,
  kept: usize,
  fill: bool,
): i32 {
  const nn = n * n;
  // the sign matrix, reversed (J S J, read by the solve with tr): flip[nn-1-k] = S[k], S symmetric
  const last = nn - 1;
  for (let i = 0; i < n; i++) {
    std(flip, last - (i * n + i), <f64>load<i8>(sign + <usize>(i * n + i)));
    for (let j = i + 1; j < n; j++) {
      const v = <f64>load<i8>(sign + <usize>(i * n + j));
      std(flip, last - (i * n + j), v);
      std(flip, last - (j * n + i), v);
    }
  }
  cache = kept;
  cacheFill = fill;
  if (!triangular(n, tr, n, flip, n, y, n, work, 1)) return -1;
  // y holds J W J: entry k of W is y[nn-1-k] (left so: the caller reads it reversed)
  let best = -1;
  let big: f64 = -1;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = abs(ldd(y, last - (i * n + j)));
      if (!(v <= F64.MAX_VALUE)) return -1;
      if (v > big) {
        big = v;
        best = i * n + j;
      }
    }
  }
  return best;
}

/** Doubles of work lyapInverseNormEstimate needs for order n (besides its arrays). */
export function lyapEstimateWork(n: i32): i32 {
  return lyapTriangularWork(n);
}

/**
 * Estimate of ||L^-1||_1, L(Y) = T Y + Y T^T on symmetric matrices with the entrywise 1-norm (T n x n, quasi-upper-
 * triangular, leading dimension n): one step of Hager's iteration from the constant start, three solves (the third
 * over the leading block that the chosen extreme point touches; see estimateInverseLyapunovNorm). x, y, flip and tr
 * are n x n scratch (tr receives J T^T J), `sign` n^2 bytes, `work` lyapEstimateWork(n) doubles; `kept` is 0 or
 * lyapPairCacheSize(nb) doubles (nb diagonal blocks of T) in which the first solve with T keeps its block-pair
 * factorisations for the last one (keptReady = 1: they are there already, from lyapTriangularKeep on this T).
 * Returns Infinity when a solve fails or overflows.
 */
export function lyapInverseNormEstimate(
  n: i32,
  t: usize,
  tr: usize,
  x: usize,
  y: usize,
  flip: usize,
  sign: usize,
  work: usize,
  kept: usize,
  keptReady: i32,
): f64 {
  if (n == 0) return 0;
  const keptT = kept;
  const nn = n * n;
  const m: f64 = <f64>(n * (n + 1)) / 2;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) std(tr, nn - 1 - (j * n + i), ldd(t, i * n + j));
  // x = (1/m) in the coordinates u (u_ii = X_ii, u_ij = 2 X_ij)
  for (let i = 0; i < n; i++) {
    std(x, i * n + i, 1 / m);
    for (let j = i + 1; j < n; j++) {
      std(x, i * n + j, 0.5 / m);
      std(x, j * n + i, 0.5 / m);
    }
  }
  let est = applyInverse(n, t, x, y, work, n, keptT, keptReady == 0);
  if (!isFinite(est)) return Infinity;
  if (n == 1) return est;
  updateSigns(n, y, sign);
  // one adjoint solve: its pairs are factorised once, nothing to keep
  const j = gradient(n, tr, y, flip, sign, work, 0, false);
  if (j < 0) return Infinity;
  // x <- the extreme point of the unit ball at upper-triangle index j
  memory.fill(x, 0, <usize>nn << 3);
  const ji = j / n, jj = j % n;
  if (ji == jj) std(x, j, 1);
  else {
    std(x, j, 0.5);
    std(x, jj * n + ji, 0.5);
  }
  const e = applyInverse(n, t, x, y, work, max(ji, jj) + 1, keptT, false);
  if (!isFinite(e)) return Infinity;
  return max(est, e);
}
