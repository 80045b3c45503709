/**
 * Dense matrix products on row-major Float64Arrays: multiplyNT (C = A B^T on whole matrices, optionally the upper
 * triangle only; every entry a dot product of two contiguous rows, which symmetric operands make sufficient for the
 * Lyapunov transformations) and the strided, accumulating gemmNT / gemmNN used by the blocked factorisations.
 *
 * Each runs the WebAssembly SIMD kernel (asm/linalg.ts: packed panels, 4x4 register tiles of f64x2) when the
 * kernels are loaded (src/linalg/wasm/runtime.ts): directly on views of the kernels' memory, through a copy for
 * large products of ordinary arrays. The JavaScript versions below (register-blocked 4x2 micro-kernels, k-panels and
 * column panels sized for L1/L2) are the fallback and the cross-check of the tests.
 *
 * The exported routines without a suffix (and the *Js versions) check their arguments (MatrixArgumentError); the
 * *Unchecked versions are the same dispatch without the checks, for the factorisations and solvers of src/linalg,
 * which validate once at their own entry point and call these in their inner loops (not re-exported by index.ts).
 */
import { MatrixArgumentError } from "./errors.js";
import { checkArray, checkDimension } from "./validate.js";
import { addr, inMemory, wasm, withWorkspace, type WasmRuntime } from "./wasm/runtime.js";

const K_BLOCK = 256; // panel depth: a 4-row strip of A (8 KiB) stays in L1
const J_BLOCK = 96; // B rows per panel: 96 x 256 doubles (192 KiB) stays in L2

/** multiplyNT without the argument checks (internal to src/linalg). */
export function multiplyNTUnchecked(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  upperOnly = false,
): void {
  const rt = wasm();
  if (rt && m * n * k >= WASM_MIN_WORK) {
    if (inMemory(rt, a) && inMemory(rt, b) && inMemory(rt, c)) {
      multiplyNTWasm(rt, m, n, k, a, b, c, upperOnly);
      return;
    }
    if (m * n * k >= STAGE_MIN_WORK) {
      withWorkspace(m * k + n * k + m * n, (ws) => {
        if (!ws.inWasm) return multiplyNTJsUnchecked(m, n, k, a, b, c, upperOnly);
        const wa = ws.doubles(m * k),
          wb = ws.doubles(n * k),
          wc = ws.doubles(m * n);
        wa.set(a.subarray(0, m * k));
        wb.set(b.subarray(0, n * k));
        multiplyNTWasm(rt, m, n, k, wa, wb, wc, upperOnly);
        c.set(wc);
      });
      return;
    }
  }
  multiplyNTJsUnchecked(m, n, k, a, b, c, upperOnly);
}

/** Products below this many multiply-adds stay in JavaScript (the call and packing overheads dominate). */
const WASM_MIN_WORK = 2048;
/** Products of ordinary arrays at least this large are copied into the kernels' memory. */
const STAGE_MIN_WORK = 64 * 64 * 64;

function multiplyNTWasm(
  rt: WasmRuntime,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  upperOnly: boolean,
): void {
  c.fill(0, 0, m * n);
  if (!upperOnly) {
    rt.x.gemm(0, 1, m, n, k, 1, addr(a), k, addr(b), k, addr(c), n, rt.gemmWork);
    return;
  }
  // Upper triangle: the kernel leaves out the register tiles below the diagonal.
  rt.x.gemmUpper(0, 1, m, n, k, 1, addr(a), k, addr(b), k, addr(c), n, rt.gemmWork);
}

/** multiplyNT in JavaScript (the fallback). */
function multiplyNTJsUnchecked(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  upperOnly = false,
): void {
  c.fill(0, 0, m * n);
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const k1 = Math.min(k, k0 + K_BLOCK);
    for (let j0 = 0; j0 < n; j0 += J_BLOCK) {
      const j1 = Math.min(n, j0 + J_BLOCK);
      // Rows of C that meet this column panel (upper: i <= j1 - 1).
      const iEnd = upperOnly ? Math.min(m, j1) : m;
      let i = 0;
      for (; i + 4 <= iEnd; i += 4) {
        const a0 = i * k,
          a1 = a0 + k,
          a2 = a1 + k,
          a3 = a2 + k;
        const c0 = i * n,
          c1 = c0 + n,
          c2 = c1 + n,
          c3 = c2 + n;
        // upper: skip 2-column tiles lying entirely below the diagonal (j + 1 < i)
        let j = j0;
        if (upperOnly && i - 1 > j0) j = j0 + 2 * Math.floor((i - 1 - j0) / 2);
        for (; j + 2 <= j1; j += 2) {
          const b0 = j * k,
            b1 = b0 + k;
          let s00 = 0,
            s01 = 0,
            s10 = 0,
            s11 = 0,
            s20 = 0,
            s21 = 0,
            s30 = 0,
            s31 = 0;
          for (let l = k0; l < k1; l++) {
            const x0 = b[b0 + l],
              x1 = b[b1 + l];
            const y0 = a[a0 + l],
              y1 = a[a1 + l],
              y2 = a[a2 + l],
              y3 = a[a3 + l];
            s00 += y0 * x0;
            s01 += y0 * x1;
            s10 += y1 * x0;
            s11 += y1 * x1;
            s20 += y2 * x0;
            s21 += y2 * x1;
            s30 += y3 * x0;
            s31 += y3 * x1;
          }
          c[c0 + j] += s00;
          c[c0 + j + 1] += s01;
          c[c1 + j] += s10;
          c[c1 + j + 1] += s11;
          c[c2 + j] += s20;
          c[c2 + j + 1] += s21;
          c[c3 + j] += s30;
          c[c3 + j + 1] += s31;
        }
        for (; j < j1; j++) {
          const b0 = j * k;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let l = k0; l < k1; l++) {
            const x0 = b[b0 + l];
            s0 += a[a0 + l] * x0;
            s1 += a[a1 + l] * x0;
            s2 += a[a2 + l] * x0;
            s3 += a[a3 + l] * x0;
          }
          c[c0 + j] += s0;
          c[c1 + j] += s1;
          c[c2 + j] += s2;
          c[c3 + j] += s3;
        }
      }
      for (; i < iEnd; i++) {
        const a0 = i * k;
        const c0 = i * n;
        for (let j = upperOnly ? Math.max(j0, i) : j0; j < j1; j++) {
          const b0 = j * k;
          let s = 0;
          for (let l = k0; l < k1; l++) s += a[a0 + l] * b[b0 + l];
          c[c0 + j] += s;
        }
      }
    }
  }
}

/** mirrorUpper without the argument checks (internal to src/linalg). */
export function mirrorUpperUnchecked(n: number, c: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) c[ri + j] = c[j * n + i];
  }
}

/** transposeInto without the argument checks (internal to src/linalg). */
export function transposeIntoUnchecked(r: number, c: number, m: Float64Array, out: Float64Array): void {
  const B = 32;
  for (let i0 = 0; i0 < r; i0 += B) {
    const i1 = Math.min(r, i0 + B);
    for (let j0 = 0; j0 < c; j0 += B) {
      const j1 = Math.min(c, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = m[i * c + j];
    }
  }
}

/** gemmNN without the argument checks (internal to src/linalg). */
export function gemmNNUnchecked(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const rt = wasm();
  if (rt && m * n * k >= WASM_MIN_WORK && wasmGemm(rt, 0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc))
    return;
  gemmNNJsUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/**
 * C += alpha A op(B) in the kernels (tB: B stored transposed); false when the operands are ordinary arrays too small
 * to be worth copying.
 */
function wasmGemm(
  rt: WasmRuntime,
  tB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): boolean {
  if (inMemory(rt, a) && inMemory(rt, b) && inMemory(rt, c)) {
    rt.x.gemm(0, tB, m, n, k, alpha, addr(a, aOff), lda, addr(b, bOff), ldb, addr(c, cOff), ldc, rt.gemmWork);
    return true;
  }
  if (m * n * k < STAGE_MIN_WORK) return false;
  const bRows = tB ? n : k,
    bCols = tB ? k : n;
  return withWorkspace(m * k + bRows * bCols + m * n, (ws) => {
    if (!ws.inWasm) return false;
    const wa = ws.doubles(m * k),
      wb = ws.doubles(bRows * bCols),
      wc = ws.doubles(m * n);
    for (let i = 0; i < m; i++) wa.set(a.subarray(aOff + i * lda, aOff + i * lda + k), i * k);
    for (let i = 0; i < bRows; i++) wb.set(b.subarray(bOff + i * ldb, bOff + i * ldb + bCols), i * bCols);
    for (let i = 0; i < m; i++) wc.set(c.subarray(cOff + i * ldc, cOff + i * ldc + n), i * n);
    rt.x.gemm(0, tB, m, n, k, alpha, addr(wa), k, addr(wb), bCols, addr(wc), n, rt.gemmWork);
    for (let i = 0; i < m; i++) c.set(wc.subarray(i * n, (i + 1) * n), cOff + i * ldc);
    return true;
  });
}

/** gemmNN in JavaScript (the fallback): 4x2 register tiles, k-panels and column panels. */
function gemmNNJsUnchecked(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const JB = 64;
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const k1 = Math.min(k, k0 + K_BLOCK);
    for (let j0 = 0; j0 < n; j0 += JB) {
      const j1 = Math.min(n, j0 + JB);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const a0 = aOff + i * lda,
          a1 = a0 + lda,
          a2 = a1 + lda,
          a3 = a2 + lda;
        const c0 = cOff + i * ldc,
          c1 = c0 + ldc,
          c2 = c1 + ldc,
          c3 = c2 + ldc;
        let j = j0;
        for (; j + 2 <= j1; j += 2) {
          let s00 = 0,
            s01 = 0,
            s10 = 0,
            s11 = 0,
            s20 = 0,
            s21 = 0,
            s30 = 0,
            s31 = 0;
          let bp = bOff + k0 * ldb + j;
          for (let l = k0; l < k1; l++, bp += ldb) {
            const x0 = b[bp],
              x1 = b[bp + 1];
            const y0 = a[a0 + l],
              y1 = a[a1 + l],
              y2 = a[a2 + l],
              y3 = a[a3 + l];
            s00 += y0 * x0;
            s01 += y0 * x1;
            s10 += y1 * x0;
            s11 += y1 * x1;
            s20 += y2 * x0;
            s21 += y2 * x1;
            s30 += y3 * x0;
            s31 += y3 * x1;
          }
          c[c0 + j] += alpha * s00;
          c[c0 + j + 1] += alpha * s01;
          c[c1 + j] += alpha * s10;
          c[c1 + j + 1] += alpha * s11;
          c[c2 + j] += alpha * s20;
          c[c2 + j + 1] += alpha * s21;
          c[c3 + j] += alpha * s30;
          c[c3 + j + 1] += alpha * s31;
        }
        for (; j < j1; j++) {
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          let bp = bOff + k0 * ldb + j;
          for (let l = k0; l < k1; l++, bp += ldb) {
            const x0 = b[bp];
            s0 += a[a0 + l] * x0;
            s1 += a[a1 + l] * x0;
            s2 += a[a2 + l] * x0;
            s3 += a[a3 + l] * x0;
          }
          c[c0 + j] += alpha * s0;
          c[c1 + j] += alpha * s1;
          c[c2 + j] += alpha * s2;
          c[c3 + j] += alpha * s3;
        }
      }
      for (; i < m; i++) {
        const a0 = aOff + i * lda;
        const c0 = cOff + i * ldc;
        for (let j = j0; j < j1; j++) {
          let s = 0;
          let bp = bOff + k0 * ldb + j;
          for (let l = k0; l < k1; l++, bp += ldb) s += a[a0 + l] * b[bp];
          c[c0 + j] += alpha * s;
        }
      }
    }
  }
}

/** gemmNT without the argument checks (internal to src/linalg). */
export function gemmNTUnchecked(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const rt = wasm();
  if (rt && m * n * k >= WASM_MIN_WORK && wasmGemm(rt, 1, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc))
    return;
  gemmNTJsUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/**
 * gemmNNUnchecked (tB = 0) or gemmNTUnchecked (tB = 1) with known zeros: rowRanges (or null) holds two numbers per
 * row i of A, the first column l and one past the last where A[i, l] may be nonzero; colRanges likewise per column j
 * of op(B). The kernels then leave out the products with those zeros (the same sums: only exact zeros are skipped);
 * elsewhere (operands outside the kernels' memory, the JavaScript fallback) it is the plain product.
 */
export function gemmRangedUnchecked(
  tB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  rowRanges: Float64Array | null,
  colRanges: Float64Array | null,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const rt = wasm();
  if (
    rt &&
    inMemory(rt, a) &&
    inMemory(rt, b) &&
    inMemory(rt, c) &&
    (rowRanges === null || inMemory(rt, rowRanges)) &&
    (colRanges === null || inMemory(rt, colRanges))
  ) {
    const ra = rowRanges === null ? 0 : addr(rowRanges),
      rb = colRanges === null ? 0 : addr(colRanges);
    rt.x.gemmRanged(
      0,
      tB,
      m,
      n,
      k,
      alpha,
      addr(a, aOff),
      lda,
      addr(b, bOff),
      ldb,
      addr(c, cOff),
      ldc,
      rt.gemmWork,
      ra,
      rb,
    );
    return;
  }
  if (tB) gemmNTUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  else gemmNNUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/** gemmNT in JavaScript (the fallback). */
function gemmNTJsUnchecked(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const k1 = Math.min(k, k0 + K_BLOCK);
    for (let j0 = 0; j0 < n; j0 += J_BLOCK) {
      const j1 = Math.min(n, j0 + J_BLOCK);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const a0 = aOff + i * lda,
          a1 = a0 + lda,
          a2 = a1 + lda,
          a3 = a2 + lda;
        const c0 = cOff + i * ldc,
          c1 = c0 + ldc,
          c2 = c1 + ldc,
          c3 = c2 + ldc;
        let j = j0;
        for (; j + 2 <= j1; j += 2) {
          const b0 = bOff + j * ldb,
            b1 = b0 + ldb;
          let s00 = 0,
            s01 = 0,
            s10 = 0,
            s11 = 0,
            s20 = 0,
            s21 = 0,
            s30 = 0,
            s31 = 0;
          for (let l = k0; l < k1; l++) {
            const x0 = b[b0 + l],
              x1 = b[b1 + l];
            const y0 = a[a0 + l],
              y1 = a[a1 + l],
              y2 = a[a2 + l],
              y3 = a[a3 + l];
            s00 += y0 * x0;
            s01 += y0 * x1;
            s10 += y1 * x0;
            s11 += y1 * x1;
            s20 += y2 * x0;
            s21 += y2 * x1;
            s30 += y3 * x0;
            s31 += y3 * x1;
          }
          c[c0 + j] += alpha * s00;
          c[c0 + j + 1] += alpha * s01;
          c[c1 + j] += alpha * s10;
          c[c1 + j + 1] += alpha * s11;
          c[c2 + j] += alpha * s20;
          c[c2 + j + 1] += alpha * s21;
          c[c3 + j] += alpha * s30;
          c[c3 + j + 1] += alpha * s31;
        }
        for (; j < j1; j++) {
          const b0 = bOff + j * ldb;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let l = k0; l < k1; l++) {
            const x0 = b[b0 + l];
            s0 += a[a0 + l] * x0;
            s1 += a[a1 + l] * x0;
            s2 += a[a2 + l] * x0;
            s3 += a[a3 + l] * x0;
          }
          c[c0 + j] += alpha * s0;
          c[c1 + j] += alpha * s1;
          c[c2 + j] += alpha * s2;
          c[c3 + j] += alpha * s3;
        }
      }
      for (; i < m; i++) {
        const a0 = aOff + i * lda;
        const c0 = cOff + i * ldc;
        for (let j = j0; j < j1; j++) {
          const b0 = bOff + j * ldb;
          let s = 0;
          for (let l = k0; l < k1; l++) s += a[a0 + l] * b[b0 + l];
          c[c0 + j] += alpha * s;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The public routines: arguments checked once, then the dispatch (or, for the *Js versions, the JavaScript kernel).

/**
 * C (m x n) = A (m x k) B^T where B is n x k, all row-major and dense. With `upperOnly`, only entries with j >= i are
 * guaranteed (a few entries just below the diagonal are also written). `c` is overwritten.
 */
export function multiplyNT(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  upperOnly = false,
): void {
  checkMultiplyNT("multiplyNT", m, n, k, a, b, c);
  multiplyNTUnchecked(m, n, k, a, b, c, upperOnly);
}

/** multiplyNT in JavaScript whatever the backend (the cross-check of the WebAssembly kernel). */
export function multiplyNTJs(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  upperOnly = false,
): void {
  checkMultiplyNT("multiplyNTJs", m, n, k, a, b, c);
  multiplyNTJsUnchecked(m, n, k, a, b, c, upperOnly);
}

/** Copies the upper triangle of the n x n row-major `c` onto its lower triangle. */
export function mirrorUpper(n: number, c: Float64Array): void {
  checkDimension(n, "mirrorUpper: n");
  checkArray(c, n * n, "mirrorUpper: C");
  mirrorUpperUnchecked(n, c);
}

/** out = m^T for an r x c row-major m (out is c x r), blocked for cache. */
export function transposeInto(r: number, c: number, m: Float64Array, out: Float64Array): void {
  checkDimension(r, "transposeInto: rows");
  checkDimension(c, "transposeInto: cols");
  checkArray(m, r * c, "transposeInto: M");
  checkArray(out, r * c, "transposeInto: out");
  if (m === out && r * c > 1) throw new MatrixArgumentError("transposeInto: out must not be M");
  transposeIntoUnchecked(r, c, m, out);
}

/**
 * C += alpha A B with strided row-major operands: A is m x k at a[aOff + i*lda + l], B is k x n at
 * b[bOff + l*ldb + j], C is m x n at c[cOff + i*ldc + j].
 */
export function gemmNN(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  checkStrided("gemmNN", m, n, k, alpha, a, aOff, lda, k, b, bOff, ldb, k, n, c, cOff, ldc);
  gemmNNUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/** gemmNN in JavaScript whatever the backend (the cross-check of the WebAssembly kernel). */
export function gemmNNJs(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  checkStrided("gemmNNJs", m, n, k, alpha, a, aOff, lda, k, b, bOff, ldb, k, n, c, cOff, ldc);
  gemmNNJsUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/**
 * C += alpha A B^T with strided row-major operands: A is m x k at a[aOff + i*lda + l], B is n x k at
 * b[bOff + j*ldb + l], C is m x n at c[cOff + i*ldc + j].
 */
export function gemmNT(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  checkStrided("gemmNT", m, n, k, alpha, a, aOff, lda, k, b, bOff, ldb, n, k, c, cOff, ldc);
  gemmNTUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/** gemmNT in JavaScript whatever the backend (the cross-check of the WebAssembly kernel). */
export function gemmNTJs(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  checkStrided("gemmNTJs", m, n, k, alpha, a, aOff, lda, k, b, bOff, ldb, n, k, c, cOff, ldc);
  gemmNTJsUnchecked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

function checkMultiplyNT(
  what: string,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  checkDimension(m, `${what}: m`);
  checkDimension(n, `${what}: n`);
  checkDimension(k, `${what}: k`);
  checkArray(a, m * k, `${what}: A`);
  checkArray(b, n * k, `${what}: B`);
  checkArray(c, m * n, `${what}: C`);
}

/**
 * Arguments of the strided kernels: dimensions, a finite alpha, offsets and leading dimensions that keep every
 * element inside its array (A m x k, B br x bc, C m x n; rows at least as long as the leading dimension needs).
 */
function checkStrided(
  what: string,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  aCols: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  bRows: number,
  bCols: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  checkDimension(m, `${what}: m`);
  checkDimension(n, `${what}: n`);
  checkDimension(k, `${what}: k`);
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) {
    throw new MatrixArgumentError(`${what}: alpha must be a finite number, got ${String(alpha)}`);
  }
  checkOperand(what, "A", a, aOff, lda, m, aCols);
  checkOperand(what, "B", b, bOff, ldb, bRows, bCols);
  checkOperand(what, "C", c, cOff, ldc, m, n);
}

function checkOperand(
  what: string,
  name: string,
  x: Float64Array,
  off: number,
  ld: number,
  rows: number,
  cols: number,
): void {
  checkArray(x, 0, `${what}: ${name}`);
  checkDimension(off, `${what}: ${name} offset`);
  checkDimension(ld, `${what}: ${name} leading dimension`);
  if (rows === 0 || cols === 0) return;
  if (ld < cols) throw new MatrixArgumentError(`${what}: ${name} leading dimension ${ld} is below its ${cols} columns`);
  const last = off + (rows - 1) * ld + cols - 1;
  if (last >= x.length) {
    throw new MatrixArgumentError(
      `${what}: ${name} (${rows}x${cols} at offset ${off}) reaches entry ${last} of ${x.length}`,
    );
  }
}
