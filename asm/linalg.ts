// Dense linear algebra kernels of ness in AssemblyScript, compiled to WebAssembly with SIMD (f64x2); built by
// scripts/build-wasm.js into src/linalg/wasm/binary.ts (base64), loaded by src/linalg/wasm/runtime.ts. Two builds
// of this one source: plain SIMD (mul + add), and relaxed SIMD (fused multiply-add, f64x2.relaxed_madd), used only
// where the engine validates it.
//
// Conventions: matrices are row-major doubles in linear memory; a matrix argument is a byte address (usize) and a
// leading dimension in elements (the distance between rows). The caller (TypeScript) owns all memory: no allocation
// here. Every kernel mirrors a JavaScript one in src/linalg (the fallback and the cross-check of the tests).

// Kernels kept in their own source files, compiled into this module.
export { aedReorder, aedReorderWork, applyBlockSwap, moveBlockUp, rotatePlane, swapBlocks } from "./schurReorder";
export { chaseSlab } from "./bulgeChain";
export { ddLyapunovResidual, lyapunovResidualSums } from "./doubleDouble";
export { smallSchur, smallSchurWork } from "./schurSmall";
import { at, ld, norm3, signOf, st } from "./common";

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** c + a b, fused when relaxed SIMD is enabled in this build. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** 1 when this build uses fused multiply-add (relaxed SIMD), else 0. */
export function fusedMultiplyAdd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// GEMM: C += alpha op(A) op(B), packed panels (GotoBLAS layout) and a 4 x 4 register tile of f64x2 accumulators.

const MR = 4; // rows of the register tile
const NR = 4; // columns of the register tile (two f64x2)
const KC = 256; // depth of a packed panel: a 4 x KC sliver of A and a KC x 4 sliver of B stay in L1
const MC = 128; // rows of a packed block of A (MC x KC doubles, 256 KiB, in L2)
const NC = 512; // columns of a packed panel of B (KC x NC doubles, 1 MiB, in L2/L3)

/** Bytes of workspace gemm needs (16-byte aligned address). */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 3;
}

/** Packs op(A)[0:mc, 0:kc] (a = address of op(A)[0, 0]) into MR-row slivers: dst[(i/MR) kc MR + l MR + r]. */
function packA(tA: i32, mc: i32, kc: i32, a: usize, lda: i32, dst: usize): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    if (tA == 0) {
      if (rows == MR) {
        const r0 = at(a, i * lda);
        const r1 = at(r0, lda);
        const r2 = at(r1, lda);
        const r3 = at(r2, lda);
        let d = dst;
        for (let l = 0; l < kc; l++) {
          store<f64>(d, ld(r0, l));
          store<f64>(d, ld(r1, l), 8);
          store<f64>(d, ld(r2, l), 16);
          store<f64>(d, ld(r3, l), 24);
          d += MR << 3;
        }
      } else {
        for (let l = 0; l < kc; l++) {
          for (let r = 0; r < MR; r++) st(dst, l * MR + r, r < rows ? ld(a, (i + r) * lda + l) : 0.0);
        }
      }
    } else {
      // op(A)[i + r, l] = a[l lda + i + r]: contiguous in r
      if (rows == MR) {
        let d = dst;
        for (let l = 0; l < kc; l++) {
          const s = at(a, l * lda + i);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          d += MR << 3;
        }
      } else {
        for (let l = 0; l < kc; l++) {
          for (let r = 0; r < MR; r++) st(dst, l * MR + r, r < rows ? ld(a, l * lda + i + r) : 0.0);
        }
      }
    }
    dst += <usize>(kc * MR) << 3;
  }
}

/** Packs op(B)[0:kc, 0:nc] (b = address of op(B)[0, 0]) into NR-column slivers: dst[(j/NR) kc NR + l NR + c]. */
function packB(tB: i32, kc: i32, nc: i32, b: usize, ldb: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    if (tB == 0) {
      if (cols == NR) {
        let d = dst;
        for (let l = 0; l < kc; l++) {
          const s = at(b, l * ldb + j);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          d += NR << 3;
        }
      } else {
        for (let l = 0; l < kc; l++) {
          for (let c = 0; c < NR; c++) st(dst, l * NR + c, c < cols ? ld(b, l * ldb + j + c) : 0.0);
        }
      }
    } else {
      // op(B)[l, j + c] = b[(j + c) ldb + l]
      if (cols == NR) {
        const c0 = at(b, j * ldb);
        const c1 = at(c0, ldb);
        const c2 = at(c1, ldb);
        const c3 = at(c2, ldb);
        let d = dst;
        for (let l = 0; l < kc; l++) {
          store<f64>(d, ld(c0, l));
          store<f64>(d, ld(c1, l), 8);
          store<f64>(d, ld(c2, l), 16);
          store<f64>(d, ld(c3, l), 24);
          d += NR << 3;
        }
      } else {
        for (let l = 0; l < kc; l++) {
          for (let c = 0; c < NR; c++) st(dst, l * NR + c, c < cols ? ld(b, (j + c) * ldb + l) : 0.0);
        }
      }
    }
    dst += <usize>(kc * NR) << 3;
  }
}

/**
 * The register tile: C[0:rows, 0:cols] += alpha (sliver of A, kc x MR) x (sliver of B, kc x NR). Exported so that
 * it stays a function of its own (the engine optimises a function between calls, not during one).
 */
export function gemmTile(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f64, rows: i32, cols: i32, tile: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let b0: v128, b1: v128, x: v128;
  let end = pa + (<usize>kc << 5);
  if (!ASC_FEATURE_RELAXED_SIMD) {
    // Plain SIMD: two steps of l per pass (the same operations in the same order), the accumulators stored to the
    // scratch tile between them. Without a fused multiply-add the loop is bound by the number of instructions, of
    // which the loop's own (counter, pointers, the engine's stack check) are a third; the stores keep the
    // compiler from merging the two steps' sums, which hoisted both steps' loads and spilled registers (25% slower),
    // and cost less than the loop instructions they halve (about 7% faster at n = 400-1000). The fused build runs
    // the plain loop, faster there.
    end = pa + (<usize>(kc & ~1) << 5);
    while (pa < end) {
      b0 = v128.load(pb, 0);
      b1 = v128.load(pb, 16);
      x = v128.load64_splat(pa, 0);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load64_splat(pa, 8);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load64_splat(pa, 16);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load64_splat(pa, 24);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      v128.store(tile, c00);
      v128.store(tile, c01, 16);
      v128.store(tile, c10, 32);
      v128.store(tile, c11, 48);
      v128.store(tile, c20, 64);
      v128.store(tile, c21, 80);
      v128.store(tile, c30, 96);
      v128.store(tile, c31, 112);
      b0 = v128.load(pb, 32);
      b1 = v128.load(pb, 48);
      x = v128.load64_splat(pa, 32);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load64_splat(pa, 40);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load64_splat(pa, 48);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load64_splat(pa, 56);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      pa += 64;
      pb += 64;
    }
    end = pa + (<usize>(kc & 1) << 5);
  }
  while (pa < end) {
      b0 = v128.load(pb, 0);
      b1 = v128.load(pb, 16);
      x = v128.load64_splat(pa, 0);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load64_splat(pa, 8);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load64_splat(pa, 16);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load64_splat(pa, 24);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
    pa += 32;
    pb += 32;
  }
  const al = f64x2.splat(alpha);
  if (rows == MR && cols == NR) {
    const s = <usize>ldc << 3;
    let p = c;
    v128.store(p, madd(al, c00, v128.load(p)));
    v128.store(p, madd(al, c01, v128.load(p, 16)), 16);
    p += s;
    v128.store(p, madd(al, c10, v128.load(p)));
    v128.store(p, madd(al, c11, v128.load(p, 16)), 16);
    p += s;
    v128.store(p, madd(al, c20, v128.load(p)));
    v128.store(p, madd(al, c21, v128.load(p, 16)), 16);
    p += s;
    v128.store(p, madd(al, c30, v128.load(p)));
    v128.store(p, madd(al, c31, v128.load(p, 16)), 16);
    return;
  }
  v128.store(tile, f64x2.mul(al, c00));
  v128.store(tile, f64x2.mul(al, c01), 16);
  v128.store(tile, f64x2.mul(al, c10), 32);
  v128.store(tile, f64x2.mul(al, c11), 48);
  v128.store(tile, f64x2.mul(al, c20), 64);
  v128.store(tile, f64x2.mul(al, c21), 80);
  v128.store(tile, f64x2.mul(al, c30), 96);
  v128.store(tile, f64x2.mul(al, c31), 112);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) st(c, r * ldc + q, ld(c, r * ldc + q) + ld(tile, r * NR + q));
  }
}

/**
 * C (m x n, leading dimension ldc) += alpha op(A) op(B), op(A) m x k, op(B) k x n; tA / tB nonzero when A / B are
 * stored transposed (op(A)[i, l] = a[l lda + i]). `work`: gemmWorkBytes() bytes at a 16-byte aligned address.
 */
export function gemm(
  tA: i32, tB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, work: usize,
): void {
  gemmIn(tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc, work, 0, 0, 0);
}

/**
 * gemm on the upper triangle of C (entries i <= j; register tiles wholly below the diagonal are left out, those
 * across it computed whole): the symmetric products of the Lyapunov transformations in one call.
 */
export function gemmUpper(
  tA: i32, tB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, work: usize,
): void {
  gemmIn(tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc, work, 0, 0, 1);
}

/**
 * gemm where op(A)'s rows and op(B)'s columns may be zero outside known ranges of l: ra (0: none) holds two doubles
 * per row i of op(A), the first l and one past the last l where op(A)[i, l] may be nonzero; rb likewise per column
 * j of op(B). A register tile then runs over the l its rows and columns share (the same sums: only exact zeros are
 * left out). The multishift QR's accumulated reflectors U are such a matrix (a quarter of it zero).
 */
export function gemmRanged(
  tA: i32, tB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, work: usize, ra: usize, rb: usize,
): void {
  gemmIn(tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc, work, ra, rb, 0);
}

/** The l range [lo, hi) of `count` consecutive rows of a range table (two doubles per row), packed in an i64. */
@inline function rangeOf(r: usize, first: i32, count: i32): i64 {
  let lo = <i32>ld(r, 2 * first), hi = <i32>ld(r, 2 * first + 1);
  for (let q = 1; q < count; q++) {
    lo = min(lo, <i32>ld(r, 2 * (first + q)));
    hi = max(hi, <i32>ld(r, 2 * (first + q) + 1));
  }
  return (<i64>lo << 32) | <i64><u32>hi;
}

function gemmIn(
  tA: i32, tB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, work: usize, ra: usize, rb: usize, upper: i32,
): void {
  if (m <= 0 || n <= 0 || k <= 0 || alpha == 0) return;
  const pa = work;
  const pb = work + (<usize>(MC * KC) << 3);
  const tile = pb + (<usize>(KC * NC) << 3);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let l0 = 0; l0 < k; l0 += KC) {
      const kc = min(KC, k - l0);
      packB(tB, kc, nc, tB ? at(b, j0 * ldb + l0) : at(b, l0 * ldb + j0), ldb, pb);
      // upper: the rows of C that meet the columns j0 .. j0+nc-1 on or above the diagonal
      const mEnd = upper ? min(m, j0 + nc) : m;
      for (let i0 = 0; i0 < mEnd; i0 += MC) {
        const mc = min(MC, mEnd - i0);
        packA(tA, mc, kc, tA ? at(a, l0 * lda + i0) : at(a, i0 * lda + l0), lda, pa);
        for (let j = 0; j < nc; j += NR) {
          const cols = min(NR, nc - j);
          const pbj = pb + (<usize>(j * kc) << 3);
          let jlo = l0, jhi = l0 + kc;
          if (rb != 0) {
            const rg = rangeOf(rb, j0 + j, cols);
            jlo = max(jlo, <i32>(rg >> 32));
            jhi = min(jhi, <i32>rg);
          }
          // upper: tiles whose first row is below the tile's last column are left out
          const iEnd = upper ? min(mc, j0 + j + cols - i0) : mc;
          for (let i = 0; i < iEnd; i += MR) {
            const rows = min(MR, mc - i);
            let lo = jlo, hi = jhi;
            if (ra != 0) {
              const rg = rangeOf(ra, i0 + i, rows);
              lo = max(lo, <i32>(rg >> 32));
              hi = min(hi, <i32>rg);
            }
            if (lo >= hi) continue;
            const skip = lo - l0;
            gemmTile(
              hi - lo,
              pa + (<usize>(i * kc + skip * MR) << 3),
              pbj + (<usize>(skip * NR) << 3),
              at(c, (i0 + i) * ldc + j0 + j), ldc, alpha, rows, cols, tile,
            );
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Level 2: matrix-vector products and rank-one updates.

/** y[r] += alpha (A[r, 0:len] . x) for r < m. */
export function gemvN(m: i32, len: i32, alpha: f64, a: usize, lda: i32, x: usize, y: usize): void {
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const a0 = at(a, r * lda);
    const a1 = at(a0, lda);
    const a2 = at(a1, lda);
    const a3 = at(a2, lda);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let q = 0;
    for (; q + 2 <= len; q += 2) {
      const o = <usize>q << 3;
      const xv = v128.load(x + o);
      s0 = madd(v128.load(a0 + o), xv, s0);
      s1 = madd(v128.load(a1 + o), xv, s1);
      s2 = madd(v128.load(a2 + o), xv, s2);
      s3 = madd(v128.load(a3 + o), xv, s3);
    }
    let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
    if (q < len) {
      const xq = ld(x, q);
      t0 += ld(a0, q) * xq;
      t1 += ld(a1, q) * xq;
      t2 += ld(a2, q) * xq;
      t3 += ld(a3, q) * xq;
    }
    st(y, r, ld(y, r) + alpha * t0);
    st(y, r + 1, ld(y, r + 1) + alpha * t1);
    st(y, r + 2, ld(y, r + 2) + alpha * t2);
    st(y, r + 3, ld(y, r + 3) + alpha * t3);
  }
  for (; r < m; r++) {
    const a0 = at(a, r * lda);
    let s0 = f64x2.splat(0);
    let q = 0;
    for (; q + 2 <= len; q += 2) s0 = madd(v128.load(at(a0, q)), v128.load(at(x, q)), s0);
    let t0 = hsum(s0);
    if (q < len) t0 += ld(a0, q) * ld(x, q);
    st(y, r, ld(y, r) + alpha * t0);
  }
}

/** y[q] += alpha sum_r x[r] A[r, q] for q < len (A^T x over rows r < m). */
export function gemvT(m: i32, len: i32, alpha: f64, a: usize, lda: i32, x: usize, y: usize): void {
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const a0 = at(a, r * lda);
    const a1 = at(a0, lda);
    const a2 = at(a1, lda);
    const a3 = at(a2, lda);
    const x0 = alpha * ld(x, r), x1 = alpha * ld(x, r + 1), x2 = alpha * ld(x, r + 2), x3 = alpha * ld(x, r + 3);
    const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
    let q = 0;
    for (; q + 2 <= len; q += 2) {
      const o = <usize>q << 3;
      let yv = v128.load(y + o);
      yv = madd(v128.load(a0 + o), v0, yv);
      yv = madd(v128.load(a1 + o), v1, yv);
      yv = madd(v128.load(a2 + o), v2, yv);
      yv = madd(v128.load(a3 + o), v3, yv);
      v128.store(y + o, yv);
    }
    if (q < len) st(y, q, ld(y, q) + x0 * ld(a0, q) + x1 * ld(a1, q) + x2 * ld(a2, q) + x3 * ld(a3, q));
  }
  for (; r < m; r++) {
    const a0 = at(a, r * lda);
    const x0 = alpha * ld(x, r);
    const v0 = f64x2.splat(x0);
    let q = 0;
    for (; q + 2 <= len; q += 2) {
      const o = <usize>q << 3;
      v128.store(y + o, madd(v128.load(a0 + o), v0, v128.load(y + o)));
    }
    if (q < len) st(y, q, ld(y, q) + x0 * ld(a0, q));
  }
}

/** A[r, q] += alpha x[r] y[q] for r < m, q < len. */
export function ger(m: i32, len: i32, alpha: f64, x: usize, y: usize, a: usize, lda: i32): void {
  for (let r = 0; r < m; r++) {
    const f = alpha * ld(x, r);
    if (f == 0) continue;
    const row = at(a, r * lda);
    const fv = f64x2.splat(f);
    let q = 0;
    for (; q + 2 <= len; q += 2) {
      const o = <usize>q << 3;
      v128.store(row + o, madd(fv, v128.load(y + o), v128.load(row + o)));
    }
    if (q < len) st(row, q, ld(row, q) + f * ld(y, q));
  }
}

/**
 * Rows r0 .. r1-1 of x (leading dimension ldx), columns c0 .. c0+len-1, times (I - tau v v^T) from the right:
 * x_r <- x_r - tau (x_r . v) v. Four rows per pass over v.
 */
export function reflectRight(x: usize, ldx: i32, r0: i32, r1: i32, c0: i32, len: i32, tau: f64, v: usize): void {
  if (tau == 0) return;
  let r = r0;
  // four rows per pass (independent dot products: short rows of small matrices are latency-bound), then two, then one;
  // each row's arithmetic is the same in all three
  for (; r + 4 <= r1; r += 4) {
    const a = at(x, r * ldx + c0);
    const b = at(a, ldx);
    const c = at(b, ldx);
    const d = at(c, ldx);
    let sa = f64x2.splat(0), sb = f64x2.splat(0), sc = f64x2.splat(0), sd = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v + o);
      sa = madd(v128.load(a + o), vv, sa);
      sb = madd(v128.load(b + o), vv, sb);
      sc = madd(v128.load(c + o), vv, sc);
      sd = madd(v128.load(d + o), vv, sd);
    }
    let s = hsum(sa), t = hsum(sb), u = hsum(sc), w = hsum(sd);
    if (i < len) {
      const vi = ld(v, i);
      s += ld(a, i) * vi;
      t += ld(b, i) * vi;
      u += ld(c, i) * vi;
      w += ld(d, i) * vi;
    }
    s *= -tau;
    t *= -tau;
    u *= -tau;
    w *= -tau;
    const fs = f64x2.splat(s), ft = f64x2.splat(t), fu = f64x2.splat(u), fw = f64x2.splat(w);
    i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v + o);
      v128.store(a + o, madd(fs, vv, v128.load(a + o)));
      v128.store(b + o, madd(ft, vv, v128.load(b + o)));
      v128.store(c + o, madd(fu, vv, v128.load(c + o)));
      v128.store(d + o, madd(fw, vv, v128.load(d + o)));
    }
    if (i < len) {
      const vi = ld(v, i);
      st(a, i, ld(a, i) + s * vi);
      st(b, i, ld(b, i) + t * vi);
      st(c, i, ld(c, i) + u * vi);
      st(d, i, ld(d, i) + w * vi);
    }
  }
  for (; r + 2 <= r1; r += 2) {
    const a = at(x, r * ldx + c0);
    const b = at(a, ldx);
    let sa = f64x2.splat(0), sb = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v + o);
      sa = madd(v128.load(a + o), vv, sa);
      sb = madd(v128.load(b + o), vv, sb);
    }
    let s = hsum(sa), t = hsum(sb);
    if (i < len) {
      s += ld(a, i) * ld(v, i);
      t += ld(b, i) * ld(v, i);
    }
    s *= -tau;
    t *= -tau;
    const fs = f64x2.splat(s), ft = f64x2.splat(t);
    i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v + o);
      v128.store(a + o, madd(fs, vv, v128.load(a + o)));
      v128.store(b + o, madd(ft, vv, v128.load(b + o)));
    }
    if (i < len) {
      st(a, i, ld(a, i) + s * ld(v, i));
      st(b, i, ld(b, i) + t * ld(v, i));
    }
  }
  for (; r < r1; r++) {
    const a = at(x, r * ldx + c0);
    let sa = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= len; i += 2) sa = madd(v128.load(at(a, i)), v128.load(at(v, i)), sa);
    let s = hsum(sa);
    if (i < len) s += ld(a, i) * ld(v, i);
    s *= -tau;
    const fs = f64x2.splat(s);
    i = 0;
    for (; i + 2 <= len; i += 2) v128.store(at(a, i), madd(fs, v128.load(at(v, i)), v128.load(at(a, i))));
    if (i < len) st(a, i, ld(a, i) + s * ld(v, i));
  }
}

/**
 * Rows r0 .. r0+len-1 of x, columns c0 .. c1-1, times (I - tau v v^T) from the left: w = v^T X (into w[0 .. c1-c0)),
 * X <- X - tau v w.
 */
export function reflectLeft(x: usize, ldx: i32, r0: i32, len: i32, c0: i32, c1: i32, tau: f64, v: usize, w: usize): void {
  if (tau == 0 || c1 <= c0) return;
  const width = c1 - c0;
  memory.fill(w, 0, <usize>width << 3);
  const base = at(x, r0 * ldx + c0);
  gemvT(len, width, 1.0, base, ldx, v, w);
  ger(len, width, -tau, v, w, base, ldx);
}

// ---------------------------------------------------------------------------------------------------------------
// Francis double-shift QR sweep (the bulge chase of src/linalg/schur.ts's qrSweep, same arithmetic).

const EPS: f64 = 2.220446049250313e-16; // 2^-52


/** One 3-row (or, at the end of a sweep, 2-row) reflector from the left on rows k.. of x, columns c0..c1. */
function applyOneLeft(x: usize, n: i32, k: i32, last: i32, c0: i32, c1: i32, t1: f64, u1: f64, u2: f64): void {
  if (t1 == 0) return;
  const t2 = t1 * u1;
  const r0 = at(x, k * n);
  const r1 = at(r0, n);
  if (k + 2 <= last) {
    const t3 = t1 * u2;
    const r2 = at(r1, n);
    const vu1 = f64x2.splat(u1), vu2 = f64x2.splat(u2), vt1 = f64x2.splat(-t1), vt2 = f64x2.splat(-t2), vt3 = f64x2.splat(-t3);
    let j = c0;
    for (; j + 1 <= c1; j += 2) {
      const o = <usize>j << 3;
      const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o);
      const sum = madd(vu2, x2, madd(vu1, x1, x0));
      v128.store(r0 + o, madd(sum, vt1, x0));
      v128.store(r1 + o, madd(sum, vt2, x1));
      v128.store(r2 + o, madd(sum, vt3, x2));
    }
    if (j <= c1) {
      const sum = ld(r0, j) + u1 * ld(r1, j) + u2 * ld(r2, j);
      st(r0, j, ld(r0, j) - sum * t1);
      st(r1, j, ld(r1, j) - sum * t2);
      st(r2, j, ld(r2, j) - sum * t3);
    }
  } else {
    for (let j = c0; j <= c1; j++) {
      const sum = ld(r0, j) + u1 * ld(r1, j);
      st(r0, j, ld(r0, j) - sum * t1);
      st(r1, j, ld(r1, j) - sum * t2);
    }
  }
}

/**
 * Reflectors kb .. kb+count-1 of a chunk of a sweep (t, u1, u2 at refT/refU1/refU2) applied from the left to rows of
 * x over columns c0..c1, in pairs sharing a pass over the columns (as applyReflectorsLeft in schur.ts).
 */
export function reflectorsLeft(x: usize, n: i32, kb: i32, count: i32, last: i32, c0: i32, c1: i32, refT: usize, refU1: usize, refU2: usize): void {
  if (c1 < c0) return;
  let r = 0;
  for (; r + 1 < count; r += 2) {
    const k = kb + r;
    const ta = ld(refT, r), tb = ld(refT, r + 1);
    if (k + 3 > last || ta == 0 || tb == 0) {
      applyOneLeft(x, n, k, last, c0, c1, ta, ld(refU1, r), ld(refU2, r));
      applyOneLeft(x, n, k + 1, last, c0, c1, tb, ld(refU1, r + 1), ld(refU2, r + 1));
      continue;
    }
    const ua1 = ld(refU1, r), ua2 = ld(refU2, r), ub1 = ld(refU1, r + 1), ub2 = ld(refU2, r + 1);
    const ta1 = ta * ua1, ta2 = ta * ua2, tb1 = tb * ub1, tb2 = tb * ub2;
    const r0 = at(x, k * n);
    const r1 = at(r0, n);
    const r2 = at(r1, n);
    const r3 = at(r2, n);
    const vua1 = f64x2.splat(ua1), vua2 = f64x2.splat(ua2), vub1 = f64x2.splat(ub1), vub2 = f64x2.splat(ub2);
    const nta = f64x2.splat(-ta), nta1 = f64x2.splat(-ta1), nta2 = f64x2.splat(-ta2);
    const ntb = f64x2.splat(-tb), ntb1 = f64x2.splat(-tb1), ntb2 = f64x2.splat(-tb2);
    let j = c0;
    for (; j + 1 <= c1; j += 2) {
      const o = <usize>j << 3;
      const x0 = v128.load(r0 + o);
      let x1 = v128.load(r1 + o);
      let x2 = v128.load(r2 + o);
      const x3 = v128.load(r3 + o);
      const sa = madd(vua2, x2, madd(vua1, x1, x0));
      v128.store(r0 + o, madd(sa, nta, x0));
      x1 = madd(sa, nta1, x1);
      x2 = madd(sa, nta2, x2);
      const sb = madd(vub2, x3, madd(vub1, x2, x1));
      v128.store(r1 + o, madd(sb, ntb, x1));
      v128.store(r2 + o, madd(sb, ntb1, x2));
      v128.store(r3 + o, madd(sb, ntb2, x3));
    }
    if (j <= c1) {
      const x0 = ld(r0, j);
      let x1 = ld(r1, j), x2 = ld(r2, j);
      const x3 = ld(r3, j);
      const sa = x0 + ua1 * x1 + ua2 * x2;
      st(r0, j, x0 - sa * ta);
      x1 -= sa * ta1;
      x2 -= sa * ta2;
      const sb = x1 + ub1 * x2 + ub2 * x3;
      st(r1, j, x1 - sb * tb);
      st(r2, j, x2 - sb * tb1);
      st(r3, j, x3 - sb * tb2);
    }
  }
  if (r < count) applyOneLeft(x, n, kb + r, last, c0, c1, ld(refT, r), ld(refU1, r), ld(refU2, r));
}

/**
 * One Francis double-shift sweep on the active block [l, i] of the n x n upper Hessenberg h (see qrSweep in
 * src/linalg/schur.ts, which this follows operation for operation): rows i1.. and columns ..i2 are updated, zt
 * (0: none) accumulates the transformations; reflectors are applied in chunks of `chunk` with the far updates
 * deferred. refT/refU1/refU2: `chunk` doubles each.
 */
export function qrSweep(
  n: i32, h: usize, zt: usize, l: i32, i: i32, i1: i32, i2: i32, chunk: i32,
  refT: usize, refU1: usize, refU2: usize, rt1r: f64, rt1i: f64, rt2r: f64, rt2i: f64,
): void {
  const ulp = EPS;
  let m = i - 2;
  let v0: f64 = 0, v1: f64 = 0, v2: f64 = 0;
  for (; m >= l; m--) {
    const hmm = ld(h, m * n + m);
    let h21s = ld(h, (m + 1) * n + m);
    let s = abs(hmm - rt2r) + abs(rt2i) + abs(h21s);
    h21s /= s;
    v0 = h21s * ld(h, m * n + m + 1) + (hmm - rt1r) * ((hmm - rt2r) / s) - rt1i * (rt2i / s);
    v1 = h21s * (hmm + ld(h, (m + 1) * n + m + 1) - rt1r - rt2r);
    v2 = h21s * ld(h, (m + 2) * n + m + 1);
    s = abs(v0) + abs(v1) + abs(v2);
    v0 /= s;
    v1 /= s;
    v2 /= s;
    if (m == l) break;
    const h00 = abs(ld(h, m * n + m - 1)) * (abs(v1) + abs(v2));
    const h11b = abs(v0) * (abs(ld(h, (m - 1) * n + m - 1)) + abs(hmm) + abs(ld(h, (m + 1) * n + m + 1)));
    if (h00 <= ulp * h11b) break;
  }

  for (let kb = m; kb <= i - 1; kb += chunk) {
    const ke = min(kb + chunk, i);
    const we = min(ke + 2, i);
    for (let k = kb; k < ke; k++) {
      const nr = min(3, i - k + 1);
      if (k > m) {
        v0 = ld(h, k * n + k - 1);
        v1 = ld(h, (k + 1) * n + k - 1);
        v2 = nr == 3 ? ld(h, (k + 2) * n + k - 1) : 0;
      }
      const alpha = v0;
      if (nr != 3) v2 = 0;
      let t1: f64 = 0, u1: f64 = 0, u2: f64 = 0, beta = alpha;
      if (v1 != 0 || v2 != 0) {
        beta = -signOf(alpha) * norm3(alpha, v1, v2);
        t1 = (beta - alpha) / beta;
        const inv = 1 / (alpha - beta);
        u1 = v1 * inv;
        u2 = v2 * inv;
      }
      if (k > m) {
        st(h, k * n + k - 1, beta);
        st(h, (k + 1) * n + k - 1, 0);
        if (k < i - 1) st(h, (k + 2) * n + k - 1, 0);
      } else if (m > l) {
        st(h, k * n + k - 1, ld(h, k * n + k - 1) * (1 - t1));
      }
      const r = k - kb;
      st(refT, r, t1);
      st(refU1, r, u1);
      st(refU2, r, nr == 3 ? u2 : 0);
      if (t1 == 0) continue;
      const t2 = t1 * u1;
      const t3 = t1 * ld(refU2, r);
      const r0 = at(h, k * n);
      const r1 = at(r0, n);
      const r2 = at(r1, n);
      if (nr == 3) {
        for (let j = k; j <= we; j++) {
          const sum = ld(r0, j) + u1 * ld(r1, j) + u2 * ld(r2, j);
          st(r0, j, ld(r0, j) - sum * t1);
          st(r1, j, ld(r1, j) - sum * t2);
          st(r2, j, ld(r2, j) - sum * t3);
        }
        const jmax = min(k + 3, i);
        for (let j = kb; j <= jmax; j++) {
          const p = at(h, j * n + k);
          const x0 = load<f64>(p), x1 = load<f64>(p, 8), x2 = load<f64>(p, 16);
          const sum = x0 + u1 * x1 + u2 * x2;
          store<f64>(p, x0 - sum * t1);
          store<f64>(p, x1 - sum * t2, 8);
          store<f64>(p, x2 - sum * t3, 16);
        }
      } else {
        for (let j = k; j <= we; j++) {
          const sum = ld(r0, j) + u1 * ld(r1, j);
          st(r0, j, ld(r0, j) - sum * t1);
          st(r1, j, ld(r1, j) - sum * t2);
        }
        for (let j = kb; j <= i; j++) {
          const p = at(h, j * n + k);
          const x0 = load<f64>(p), x1 = load<f64>(p, 8);
          const sum = x0 + u1 * x1;
          store<f64>(p, x0 - sum * t1);
          store<f64>(p, x1 - sum * t2, 8);
        }
      }
    }
    const nref = ke - kb;
    if (we < i2) reflectorsLeft(h, n, kb, nref, i, we + 1, i2, refT, refU1, refU2);
    if (zt != 0) reflectorsLeft(zt, n, kb, nref, i, 0, n - 1, refT, refU1, refU2);
    // Rows above the window (i1 .. kb-1), columns kb .. ke+1, the reflectors slid along each row.
    const twoLast = kb + nref + 1 > i;
    const full = twoLast ? nref - 1 : nref;
    for (let row = i1; row < kb; row++) {
      const base = at(h, row * n + kb);
      let x1 = ld(base, 0), x2 = ld(base, 1);
      for (let r = 0; r < full; r++) {
        const t1 = ld(refT, r);
        const x3 = ld(base, r + 2);
        const u1 = ld(refU1, r), u2 = ld(refU2, r);
        const sum = (x1 + u1 * x2 + u2 * x3) * t1;
        st(base, r, x1 - sum);
        x1 = x2 - sum * u1;
        x2 = x3 - sum * u2;
      }
      if (twoLast) {
        const u1 = ld(refU1, full);
        const sum = (x1 + u1 * x2) * ld(refT, full);
        st(base, full, x1 - sum);
        st(base, full + 1, x2 - sum * u1);
      } else {
        st(base, full, x1);
        st(base, full + 1, x2);
      }
    }
  }
}

/** First byte after the module's static data: the caller's memory starts here. */
export function heapBase(): usize {
  return __heap_base;
}

// Small-bulge multishift QR: the chase of a chain of bulges through one slab is chaseSlab (asm/bulgeChain.ts).

// ---------------------------------------------------------------------------------------------------------------
// Symmetric tridiagonal QR: a sweep's rotations applied to the rows of the eigenvector matrix (tridiagonalQR in
// src/linalg/eigen.ts, same arithmetic).

/**
 * Rows l .. l+count of q (n columns): for r = 0 .. count-1 in order, rows l+r, l+r+1 <- [c s; -s c] (rows), with
 * c = rc[r], s = rs[r]; three rotations per pass over four rows.
 */
export function rotateRows(q: usize, n: i32, l: i32, count: i32, rc: usize, rs: usize): void {
  let r = 0;
  for (; r + 3 <= count; r += 3) {
    const c0 = ld(rc, r), s0 = ld(rs, r), c1 = ld(rc, r + 1), s1 = ld(rs, r + 1), c2 = ld(rc, r + 2), s2 = ld(rs, r + 2);
    const vc0 = f64x2.splat(c0), vs0 = f64x2.splat(s0), vc1 = f64x2.splat(c1), vs1 = f64x2.splat(s1), vc2 = f64x2.splat(c2), vs2 = f64x2.splat(s2);
    const p0 = at(q, (l + r) * n);
    const p1 = at(p0, n);
    const p2 = at(p1, n);
    const p3 = at(p2, n);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const x0 = v128.load(p0 + o), x1 = v128.load(p1 + o), x2 = v128.load(p2 + o), x3 = v128.load(p3 + o);
      v128.store(p0 + o, f64x2.add(f64x2.mul(vc0, x0), f64x2.mul(vs0, x1)));
      const y1 = f64x2.sub(f64x2.mul(vc0, x1), f64x2.mul(vs0, x0));
      v128.store(p1 + o, f64x2.add(f64x2.mul(vc1, y1), f64x2.mul(vs1, x2)));
      const y2 = f64x2.sub(f64x2.mul(vc1, x2), f64x2.mul(vs1, y1));
      v128.store(p2 + o, f64x2.add(f64x2.mul(vc2, y2), f64x2.mul(vs2, x3)));
      v128.store(p3 + o, f64x2.sub(f64x2.mul(vc2, x3), f64x2.mul(vs2, y2)));
    }
    if (j < n) {
      const x0 = ld(p0, j), x1 = ld(p1, j), x2 = ld(p2, j), x3 = ld(p3, j);
      st(p0, j, c0 * x0 + s0 * x1);
      const y1 = c0 * x1 - s0 * x0;
      st(p1, j, c1 * y1 + s1 * x2);
      const y2 = c1 * x2 - s1 * y1;
      st(p2, j, c2 * y2 + s2 * x3);
      st(p3, j, c2 * x3 - s2 * y2);
    }
  }
  for (; r < count; r++) {
    const c = ld(rc, r), s = ld(rs, r);
    if (s == 0) continue;
    const vc = f64x2.splat(c), vs = f64x2.splat(s);
    const p0 = at(q, (l + r) * n);
    const p1 = at(p0, n);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const u = v128.load(p0 + o), w = v128.load(p1 + o);
      v128.store(p0 + o, f64x2.add(f64x2.mul(vc, u), f64x2.mul(vs, w)));
      v128.store(p1 + o, f64x2.sub(f64x2.mul(vc, w), f64x2.mul(vs, u)));
    }
    if (j < n) {
      const u = ld(p0, j), w = ld(p1, j);
      st(p0, j, c * u + s * w);
      st(p1, j, c * w - s * u);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The quasi-triangular Lyapunov solve (its own source file).
export {
  lyapEstimateWork,
  lyapInverseNormEstimate,
  lyapPairCacheSize,
  lyapSetGemmWork,
  lyapTriangular,
  lyapTriangularKeep,
  lyapTriangularWork,
} from "./lyapunov";
