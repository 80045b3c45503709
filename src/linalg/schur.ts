/**
 * Real Schur decomposition A = Z T Z^T of a dense real matrix, and the eigenvalues of general matrices.
 *
 *  - Householder reduction to upper Hessenberg form, in panels with matrix-matrix trailing updates for large n
 *    (compact WY form, as LAPACK's dgehrd/dlahr2);
 *  - Francis implicit double-shift QR with the deflation tests, exceptional shifts and bulge-chasing of LAPACK's
 *    dlahqr; sweeps apply their reflectors to the far parts of the matrix and to Z in pairs, after the bulge;
 *  - for large matrices (n >= 200), the loop of LAPACK's dlaqr0 on every active block of 12 rows or more:
 *    aggressive early deflation (Braman, Byers & Mathias; LAPACK dlaqr3) on a trailing window sized from n, with
 *    Schur reordering by block swaps (dlaexc), its undeflated eigenvalues serving as shifts of a small-bulge
 *    multishift sweep (dlaqr5: a chain of bulges two rows apart, chased through slabs whose accumulated
 *    transformation reaches the rest of the matrix and Z by matrix products); a window that covers the active
 *    block factorises all of it (no sweeps with full-width Level-2 updates on the last rows); with the kernels
 *    loaded, the window's Schur form is one call of them (asm/schurSmall.ts) and so are its deflation checks with
 *    the block swaps they need (asm/schurReorder.ts);
 *  - every 2x2 diagonal block of T standardised as by dlanv2 (equal diagonal entries, complex-conjugate pair);
 *  - orders 4-199 with the WebAssembly kernels loaded: all of the above (unblocked reduction, double-shift sweeps)
 *    in one call of the kernels (asm/schurSmall.ts), the functions below serving as the fallback and cross-check.
 *
 * Internally the orthogonal factor is kept transposed (Zt = Z^T, row j = Schur vector j) so that every update of it
 * walks memory contiguously in the row-major layout.
 */

import { NessError } from "../errors.js";
import { MatrixArgumentError } from "./errors.js";
import { type Matrix, matrix, transpose } from "./matrix.js";
import { gemmNNUnchecked, gemmNTUnchecked, gemmRangedUnchecked } from "./gemm.js";
import { checkArray, checkDimension, checkFinite, checkSquare } from "./validate.js";
import { chaseSlabJs } from "./bulgeChain.js";
import { hypot3, signOf } from "./scalar.js";
import { addr, inMemory, scratch, wasm, withWorkspace, type WasmRuntime } from "./wasm/runtime.js";

/** The kernels when every given array is a view of their memory, else null (the JavaScript loops run). */
function kernelsFor(a: Float64Array, b?: Float64Array | null, c?: Float64Array | null): WasmRuntime | null {
  const rt = wasm();
  if (!rt || !inMemory(rt, a) || (b && !inMemory(rt, b)) || (c && !inMemory(rt, c))) return null;
  return rt;
}

const EPS = 2 ** -52; // spacing of doubles at 1 (LAPACK dlamch('P'))
const SAFE_MIN = 2 ** -1022; // smallest normal double
const EXCEPTIONAL_SHIFT_PERIOD = 10; // iterations without deflation before an ad hoc shift (dlahqr's KEXSH)
const SWEEP_CHUNK = 64; // reflectors per chunk of a QR sweep on large matrices

/**
 * Thrown when the QR iteration does not deflate an eigenvalue within its iteration budget, or at once when the matrix
 * holds (or its reduction produced) non-finite values.
 */
export class SchurConvergenceError extends NessError {
  override name = "SchurConvergenceError";
  constructor(
    readonly index: number,
    readonly iterations: number,
    /** true: stopped on a NaN or infinite entry (non-finite input, or overflow of huge entries) */
    readonly nonFinite = false,
  ) {
    super(
      nonFinite
        ? `real Schur decomposition failed: the matrix holds or produced non-finite values (NaN or infinite input, or ` +
            `entries so large that the reduction overflows) after ${iterations} QR iterations on eigenvalue ${index}`
        : `real Schur decomposition failed to converge: eigenvalue ${index} not deflated after ${iterations} QR ` +
            "iterations (the matrix may be extremely badly scaled)",
    );
  }
}

function checkSquareFinite(a: Matrix, what: string): void {
  checkSquare(a, what);
  checkDimension(a.rows, `${what}: the size`, true);
  checkFinite(a, what);
}

/**
 * A power of two s such that s max |a_ij| lies in [2^-500, 2^500], or 1 when it does already: the factorisations of
 * s A cannot overflow or underflow, and scaling by s and back is exact (LAPACK's dgees scales likewise).
 */
function scaleFor(a: Matrix): number {
  let mx = 0;
  for (const x of a.data) mx = Math.max(mx, Math.abs(x));
  if (mx === 0 || (mx <= 2 ** 500 && mx >= 2 ** -500)) return 1;
  return 2 ** -Math.round(Math.log2(mx));
}

/** dst = s a (dst may be a view of the kernels' memory). */
function scaleInto(dst: Float64Array, a: Float64Array, s: number): void {
  if (s === 1) dst.set(a);
  else for (let i = 0; i < a.length; i++) dst[i] = a[i] * s;
}

function unscale(x: Float64Array, s: number): void {
  if (s === 1) return;
  const inv = 1 / s;
  for (let i = 0; i < x.length; i++) x[i] *= inv;
}

let warmedUp = false;

/**
 * Runs the kernels once on small deterministic inputs, covering their branches (odd sizes, 2x2 blocks, chunked
 * sweeps, blocked panels). V8 compiles hot loops with the type feedback gathered so far; a branch first reached
 * inside optimised code deoptimises it, which can repeat many times in one large factorisation. About a
 * millisecond, once per process.
 */
function warmUp(): void {
  warmedUp = true;
  withWorkspace(4096, warmUpIn);
}

function warmUpIn(): void {
  const wr = new Float64Array(12),
    wi = new Float64Array(12);
  for (const n of [5, 8]) {
    for (let rep = 0; rep < 3; rep++) {
      const a = scratch(n * n);
      for (let i = 0; i < n * n; i++) a[i] = Math.sin(1.3 * i + rep) + (i % (n + 1) === 0 ? 0.25 * rep : 0);
      for (const withZ of [true, false]) {
        const h = scratch(n * n);
        h.set(a);
        const zt = withZ ? scratch(n * n) : null;
        hessenbergInPlaceUnchecked(n, h, zt);
        francisQR(n, h, zt, wr, wi, withZ || rep === 1, rep === 2 ? 2 : n);
      }
    }
  }
  const n = 13,
    nb = 3;
  const ws = panelWorkspace(n, nb);
  const h = scratch(n * n);
  for (let i = 0; i < n * n; i++) h[i] = Math.cos(0.7 * i);
  const taus = scratch(n),
    w = scratch(2 * n),
    zt = scratch(n * n);
  reducePanel(n, h, 0, nb, taus, true, ws);
  reducePanel(n, h, nb, nb, taus, true, ws);
  reduceUnblocked(n, h, 2 * nb, taus, true, w);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  accumulateUnblocked(n, h, zt, 2 * nb, taus, w);
  accumulatePanel(n, h, zt, nb, nb, taus, ws);
  accumulatePanel(n, h, zt, 0, nb, taus, ws);
}

const HESS_BLOCK = 32; // reflectors per panel of the blocked Hessenberg reduction
// Trailing size below which the reduction continues unblocked (LAPACK dgehrd's crossover too). With the panels'
// T^T W as a matrix product, against 256 (the reduction with Q, CPU time, interleaved): 1.00x at n = 200, 0.94x at
// 300, 1.0x at 400; 64 was no better (1.02x at 200, 1.03x at 1000).
const HESS_CROSSOVER = 128;

/**
 * In-place Householder reduction of the n x n row-major `h` to upper Hessenberg form. When `zt` is given it receives
 * Q^T where A = Q H Q^T. Entries below the first subdiagonal are set to exactly zero. Large matrices are reduced in
 * panels of HESS_BLOCK columns (compact WY form, trailing updates by matrix-matrix products, as in LAPACK dgehrd).
 */
export function hessenbergInPlace(n: number, h: Float64Array, zt: Float64Array | null, work?: Float64Array): void {
  checkDimension(n, "hessenbergInPlace: n", true);
  checkArray(h, n * n, "hessenbergInPlace: h");
  if (zt !== null) checkArray(zt, n * n, "hessenbergInPlace: zt");
  if (work !== undefined && !(work instanceof Float64Array)) {
    throw new MatrixArgumentError("hessenbergInPlace: work must be a Float64Array when given");
  }
  hessenbergInPlaceUnchecked(n, h, zt, work);
}

/**
 * hessenbergInPlace without the argument checks (internal to src/linalg): on views of the kernels' memory it runs
 * the WebAssembly kernels in place, ordinary arrays of order >= WASM_MIN_ORDER are staged into that memory.
 */
export function hessenbergInPlaceUnchecked(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  work?: Float64Array,
): void {
  if (!warmedUp) warmUp();
  if (kernelsFor(h, zt)) withWorkspace(hessenbergScratch(n), () => hessenbergIn(n, h, zt, work));
  else if (n >= WASM_MIN_ORDER && wasm()) staged(n, h, zt, hessenbergScratch(n), (hh, zz) => hessenbergIn(n, hh, zz));
  else hessenbergIn(n, h, zt, work);
}

/**
 * Runs fn on copies of h (and zt) in the kernels' memory, with `extra` doubles of scratch, and copies them back:
 * callers with ordinary arrays get the WebAssembly kernels too (the copies cost O(n^2) against O(n^3) work).
 */
function staged(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  extra: number,
  fn: (h: Float64Array, zt: Float64Array | null) => void,
): void {
  withWorkspace(2 * n * n + extra + 64, (ws) => {
    if (!ws.inWasm) return fn(h, zt);
    const hh = scratch(n * n);
    hh.set(h.subarray(0, n * n));
    const zz = zt ? scratch(n * n) : null;
    if (zt && zz) zz.set(zt.subarray(0, n * n));
    fn(hh, zz);
    h.set(hh);
    if (zt && zz) zt.set(zz);
  });
}

/** Below this order the factorisations run on ordinary arrays (JavaScript): the kernels' calls cost more. */
const WASM_MIN_ORDER = 12;
/** Up to this order the JavaScript factorisations take their scratch from static arrays. */
const SMALL_ORDER = 16;
const smallRefT = new Float64Array(SMALL_ORDER),
  smallRefU1 = new Float64Array(SMALL_ORDER),
  smallRefU2 = new Float64Array(SMALL_ORDER),
  smallWork = new Float64Array(2 * SMALL_ORDER),
  smallTaus = new Float64Array(SMALL_ORDER);

/** Doubles of scratch hessenbergInPlace takes. */
function hessenbergScratch(n: number): number {
  const nb = HESS_BLOCK;
  return 5 * nb * n + 2 * nb * nb + 6 * n + 64;
}

function hessenbergIn(n: number, h: Float64Array, zt: Float64Array | null, work?: Float64Array): void {
  const small = n <= SMALL_ORDER && !kernelsFor(h); // small factorisations reuse static arrays (no allocation)
  const w = work && work.length >= 2 * n ? work : small ? smallWork : scratch(2 * n);
  const taus = small ? smallTaus : scratch(Math.max(n, 1));
  const nb = HESS_BLOCK;
  let kStart = 0;
  let ws: PanelWorkspace | null = null;
  if (n - 2 > HESS_CROSSOVER + nb) {
    ws = panelWorkspace(n, nb);
    while (n - kStart - 2 > HESS_CROSSOVER + nb) {
      reducePanel(n, h, kStart, nb, taus, zt !== null, ws);
      kStart += nb;
    }
  }
  reduceUnblocked(n, h, kStart, taus, zt !== null, w);
  if (!zt) return;
  // Zt = Q^T = H_{n-3} ... H_1 H_0, built backwards: Zt[k+1.., k+1..] <- Zt[k+1.., k+1..] H_k.
  zt.fill(0);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  accumulateUnblocked(n, h, zt, kStart, taus, w);
  if (ws) for (let k0 = kStart - nb; k0 >= 0; k0 -= nb) accumulatePanel(n, h, zt, k0, nb, taus, ws);
}

interface PanelWorkspace {
  vt: Float64Array; // nb x n: row t = reflector t of the panel (zeros before its leading 1)
  v: Float64Array; // n x nb: its transpose
  y: Float64Array; // n x nb: Y = A V T
  tm: Float64Array; // nb x nb upper triangular T
  gram: Float64Array; // nb x nb: V^T V, then T^T
  wk: Float64Array; // max(nb x n, n x nb): products
  c: Float64Array; // n: current column
  g: Float64Array; // nb
  w1: Float64Array; // nb
  w2: Float64Array; // nb
}

function panelWorkspace(n: number, nb: number): PanelWorkspace {
  return {
    vt: scratch(nb * n),
    v: scratch(n * nb),
    y: scratch(n * nb),
    tm: scratch(nb * nb),
    gram: scratch(nb * nb),
    wk: scratch(nb * n),
    c: scratch(n),
    g: scratch(nb),
    w1: scratch(nb),
    w2: scratch(nb),
  };
}

/** Column t of the panel's T factor from w1 = V_t^T v_t: T[s,t] = -tau T[s, s..t-1] w1[s..t-1], T[t,t] = tau. */
function extendT(tm: Float64Array, nb: number, t: number, tau: number, w1: Float64Array): void {
  for (let s = 0; s < t; s++) {
    let acc = 0;
    for (let u = s; u < t; u++) acc += tm[s * nb + u] * w1[u];
    tm[s * nb + t] = -tau * acc;
  }
  tm[t * nb + t] = tau;
}

/**
 * Reduces columns k0 .. k0+nb-1 (reflectors H_k0 .. H_{k0+nb-1}) and applies them to the trailing matrix with
 * matrix-matrix products: A <- (I - V T^T V^T)(A - Y V^T), Y = A V T.
 */
function reducePanel(
  n: number,
  h: Float64Array,
  k0: number,
  nb: number,
  taus: Float64Array,
  keepV: boolean,
  ws: PanelWorkspace,
): void {
  const { vt, v, y, tm, wk, gram, c, g, w1, w2 } = ws;
  vt.fill(0);
  tm.fill(0);
  const rt = kernelsFor(h, vt, y);
  if (rt && kernelsFor(c, g, w1) && kernelsFor(w2)) reducePanelColumnsWasm(rt, n, h, k0, nb, taus, keepV, ws);
  else reducePanelColumns(n, h, k0, nb, taus, keepV, ws);
  const cs = k0 + nb;
  const ncol = n - cs;
  // Right: A[:, cs:] -= Y Vt[:, cs:]
  gemmNNUnchecked(n, ncol, nb, -1, y, 0, nb, vt, cs, n, h, cs, n);
  // Left: A[k0+1:, cs:] -= V T^T (Vt A[k0+1:, cs:])
  const rows = n - k0 - 1;
  wk.fill(0, 0, nb * ncol);
  gemmNNUnchecked(nb, ncol, rows, 1, vt, k0 + 1, n, h, (k0 + 1) * n + cs, n, wk, 0, ncol);
  // Y (no longer needed) <- T^T W, a matrix product with T^T written out
  for (let s = 0; s < nb; s++) for (let u = 0; u < nb; u++) gram[s * nb + u] = u <= s ? tm[u * nb + s] : 0;
  y.fill(0, 0, nb * ncol);
  gemmNNUnchecked(nb, ncol, nb, 1, gram, 0, nb, wk, 0, ncol, y, 0, ncol);
  for (let r = 0; r < n; r++) for (let t = 0; t < nb; t++) v[r * nb + t] = vt[t * n + r];
  gemmNNUnchecked(rows, ncol, nb, -1, v, (k0 + 1) * nb, nb, y, 0, ncol, h, (k0 + 1) * n + cs, n);
}

/**
 * The reflector of column j = k0 + t from c (column j of Q_j^T A Q_j): v into row t of vt, tau into taus[j], the
 * final column j into h. Returns tau.
 */
function panelReflector(
  n: number,
  h: Float64Array,
  j: number,
  t: number,
  c: Float64Array,
  vt: Float64Array,
  taus: Float64Array,
  keepV: boolean,
): number {
  const alpha = c[j + 1];
  let scale = 0;
  for (let r = j + 2; r < n; r++) scale = Math.max(scale, Math.abs(c[r]));
  const vrow = t * n;
  vt[vrow + j + 1] = 1;
  let tau = 0,
    beta = alpha;
  if (scale > 0) {
    let ss = 0;
    for (let r = j + 2; r < n; r++) {
      const q = c[r] / scale;
      ss += q * q;
    }
    const xnorm = scale * Math.sqrt(ss);
    beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
    tau = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let r = j + 2; r < n; r++) vt[vrow + r] = c[r] * inv;
  }
  taus[j] = tau;
  for (let r = 0; r <= j; r++) h[r * n + j] = c[r];
  h[(j + 1) * n + j] = beta;
  for (let r = j + 2; r < n; r++) h[r * n + j] = keepV ? vt[vrow + r] : 0;
  return tau;
}

/** The panel's columns (V, T and Y = A V T) with the kernels' matrix-vector products: same steps as below. */
function reducePanelColumnsWasm(
  rt: WasmRuntime,
  n: number,
  h: Float64Array,
  k0: number,
  nb: number,
  taus: Float64Array,
  keepV: boolean,
  ws: PanelWorkspace,
): void {
  const { vt, y, tm, c, g, w1, w2 } = ws;
  const x = rt.x;
  const ag = addr(g),
    aw1 = addr(w1),
    aw2 = addr(w2);
  // Rows 0..k0 (above the reflectors) are left to matrix products after the loop, as in LAPACK's dlahr2: they
  // take no part in the reflectors, and columns k0+1.. of those rows keep their values until the trailing update.
  const top = k0 + 1,
    low = n - top;
  const ayLow = addr(y, top * nb),
    acLow = addr(c, top);
  for (let t = 0; t < nb; t++) {
    const j = k0 + t;
    for (let r = 0; r < n; r++) c[r] = h[r * n + j];
    if (t > 0) {
      for (let s = 0; s < t; s++) g[s] = vt[s * n + j];
      x.gemvN(low, t, -1, ayLow, nb, ag, acLow); // c -= Y g
      w1.fill(0, 0, t);
      x.gemvN(t, n - k0 - 1, 1, addr(vt, k0 + 1), n, addr(c, k0 + 1), aw1); // w1 = V^T c
      for (let s = 0; s < t; s++) {
        let acc = 0;
        for (let u = 0; u <= s; u++) acc += tm[u * nb + s] * w1[u];
        w2[s] = acc;
      }
      x.gemvT(t, n - k0 - 1, -1, addr(vt, k0 + 1), n, aw2, addr(c, k0 + 1)); // c -= V T^T w1
    }
    const tau = panelReflector(n, h, j, t, c, vt, taus, keepV);
    const vrow = t * n;
    w1.fill(0, 0, t);
    if (t > 0) x.gemvN(t, n - j - 1, 1, addr(vt, j + 1), n, addr(vt, vrow + j + 1), aw1);
    extendT(tm, nb, t, tau, w1);
    if (tau === 0) {
      for (let r = 0; r < n; r++) y[r * nb + t] = 0;
      continue;
    }
    // y = tau (A v - Y w1), rows top..
    c.fill(0, top);
    x.gemvN(low, n - j - 1, 1, addr(h, top * n + j + 1), n, addr(vt, vrow + j + 1), acLow);
    if (t > 0) x.gemvN(low, t, -1, ayLow, nb, aw1, acLow);
    for (let r = top; r < n; r++) y[r * nb + t] = tau * c[r];
  }
  // Rows 0..k0 of Y = A V T (columns k0+1.. of those rows are still A's), then of the panel's columns: A - Y V^T.
  const { wk } = ws;
  wk.fill(0, 0, top * nb);
  gemmNTUnchecked(top, nb, low, 1, h, top, n, vt, top, n, wk, 0, nb);
  y.fill(0, 0, top * nb);
  gemmNNUnchecked(top, nb, nb, 1, wk, 0, nb, tm, 0, nb, y, 0, nb);
  gemmNNUnchecked(top, nb, nb, -1, y, 0, nb, vt, k0, n, h, k0, n);
}

/** The panel's columns: reflectors into vt and taus, T into tm, Y = A V T into y (the JavaScript loops). */
function reducePanelColumns(
  n: number,
  h: Float64Array,
  k0: number,
  nb: number,
  taus: Float64Array,
  keepV: boolean,
  ws: PanelWorkspace,
): void {
  const { vt, y, tm, c, g, w1, w2 } = ws;
  for (let t = 0; t < nb; t++) {
    const j = k0 + t;
    // c = column j of Q_j^T A Q_j, with Q_j = H_k0 ... H_{j-1} = I - V T V^T.
    for (let r = 0; r < n; r++) c[r] = h[r * n + j];
    if (t > 0) {
      for (let s = 0; s < t; s++) g[s] = vt[s * n + j];
      for (let r = 0; r < n; r++) {
        const yr = r * nb;
        let acc = 0;
        for (let s = 0; s < t; s++) acc += y[yr + s] * g[s];
        c[r] -= acc;
      }
      for (let s = 0; s < t; s++) {
        const vs = s * n;
        let acc = 0;
        for (let r = k0 + s + 1; r < n; r++) acc += vt[vs + r] * c[r];
        w1[s] = acc;
      }
      for (let s = 0; s < t; s++) {
        let acc = 0;
        for (let u = 0; u <= s; u++) acc += tm[u * nb + s] * w1[u];
        w2[s] = acc;
      }
      for (let s = 0; s < t; s++) {
        const vs = s * n;
        const f = w2[s];
        for (let r = k0 + s + 1; r < n; r++) c[r] -= vt[vs + r] * f;
      }
    }
    const tau = panelReflector(n, h, j, t, c, vt, taus, keepV);
    const vrow = t * n;
    // T and Y columns.
    for (let s = 0; s < t; s++) {
      const vs = s * n;
      let acc = 0;
      for (let r = j + 1; r < n; r++) acc += vt[vs + r] * vt[vrow + r];
      w1[s] = acc;
    }
    extendT(tm, nb, t, tau, w1);
    if (tau === 0) {
      for (let r = 0; r < n; r++) y[r * nb + t] = 0;
      continue;
    }
    // y = tau (A v - Y w1): the one matrix-vector product per column, four rows per pass over v.
    let r = 0;
    for (; r + 4 <= n; r += 4) {
      const h0 = r * n,
        h1 = h0 + n,
        h2 = h1 + n,
        h3 = h2 + n;
      let d0 = 0,
        d1 = 0,
        d2 = 0,
        d3 = 0;
      for (let q = j + 1; q < n; q++) {
        const x = vt[vrow + q];
        d0 += h[h0 + q] * x;
        d1 += h[h1 + q] * x;
        d2 += h[h2 + q] * x;
        d3 += h[h3 + q] * x;
      }
      y[r * nb + t] = d0;
      y[(r + 1) * nb + t] = d1;
      y[(r + 2) * nb + t] = d2;
      y[(r + 3) * nb + t] = d3;
    }
    for (; r < n; r++) {
      const hr = r * n;
      let d = 0;
      for (let q = j + 1; q < n; q++) d += h[hr + q] * vt[vrow + q];
      y[r * nb + t] = d;
    }
    for (r = 0; r < n; r++) {
      const yr = r * nb;
      let e = 0;
      for (let s = 0; s < t; s++) e += y[yr + s] * w1[s];
      y[yr + t] = tau * (y[yr + t] - e);
    }
  }
}

/**
 * x[r, c0 .. c0+len) <- x[r, c0 .. c0+len) (I - tau v v^T) for rows r0 .. r1-1 of the row-major n-column x; two rows
 * per pass over v (independent accumulators).
 */
function applyReflectorRight(
  x: Float64Array,
  n: number,
  r0: number,
  r1: number,
  c0: number,
  len: number,
  tau: number,
  v: Float64Array,
): void {
  const rt = kernelsFor(x, v);
  if (rt) {
    rt.x.reflectRight(addr(x), n, r0, r1, c0, len, tau, addr(v));
    return;
  }
  let r = r0;
  for (; r + 2 <= r1; r += 2) {
    const a = r * n + c0,
      b = a + n;
    let s = 0,
      t = 0;
    for (let i = 0; i < len; i++) {
      const vi = v[i];
      s += x[a + i] * vi;
      t += x[b + i] * vi;
    }
    s *= tau;
    t *= tau;
    for (let i = 0; i < len; i++) {
      const vi = v[i];
      x[a + i] -= s * vi;
      x[b + i] -= t * vi;
    }
  }
  for (; r < r1; r++) {
    const a = r * n + c0;
    let s = 0;
    for (let i = 0; i < len; i++) s += x[a + i] * v[i];
    s *= tau;
    for (let i = 0; i < len; i++) x[a + i] -= s * v[i];
  }
}

/** Unblocked reduction of columns kStart .. n-3 (reflectors stored below the subdiagonal when keepV). */
function reduceUnblocked(
  n: number,
  h: Float64Array,
  kStart: number,
  taus: Float64Array,
  keepV: boolean,
  w: Float64Array,
): void {
  const v = w; // v[0..len) : reflector, v[0] = 1
  const acc = w.subarray(n); // acc[j] : row accumulator for the left update
  for (let k = kStart; k < n - 2; k++) {
    const r0 = k + 1; // first row touched by reflector k
    const len = n - r0;
    // Reflector annihilating h[k+2.., k].
    const alpha = h[r0 * n + k];
    let xnorm2 = 0;
    let scale = 0;
    for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(h[(r0 + i) * n + k]));
    if (scale === 0) {
      taus[k] = 0;
      continue;
    }
    for (let i = 1; i < len; i++) {
      const q = h[(r0 + i) * n + k] / scale;
      xnorm2 += q * q;
    }
    const xnorm = scale * Math.sqrt(xnorm2);
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    v[0] = 1;
    for (let i = 1; i < len; i++) v[i] = h[(r0 + i) * n + k] * inv;
    taus[k] = tau;
    // Column k becomes (beta, 0, ..., 0) below the diagonal (v kept there for the accumulation of Q).
    h[r0 * n + k] = beta;
    for (let i = 1; i < len; i++) h[(r0 + i) * n + k] = keepV ? v[i] : 0;
    // Left update: rows r0.., columns k+1..n-1:  H <- (I - tau v v^T) H.
    const c0 = k + 1;
    const rt = kernelsFor(h, w);
    if (rt) {
      rt.x.reflectLeft(addr(h), n, r0, len, c0, n, tau, addr(v), addr(acc));
      rt.x.reflectRight(addr(h), n, 0, n, r0, len, tau, addr(v));
      continue;
    }
    for (let j = c0; j < n; j++) acc[j] = 0;
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const va = v[i],
        vb = v[i + 1];
      const ra = (r0 + i) * n,
        rb = ra + n;
      for (let j = c0; j < n; j++) acc[j] += va * h[ra + j] + vb * h[rb + j];
    }
    if (i < len) {
      const va = v[i];
      const ra = (r0 + i) * n;
      for (let j = c0; j < n; j++) acc[j] += va * h[ra + j];
    }
    for (i = 0; i + 2 <= len; i += 2) {
      const fa = tau * v[i],
        fb = tau * v[i + 1];
      const ra = (r0 + i) * n,
        rb = ra + n;
      for (let j = c0; j < n; j++) {
        const aj = acc[j];
        h[ra + j] -= fa * aj;
        h[rb + j] -= fb * aj;
      }
    }
    if (i < len) {
      const fa = tau * v[i];
      const ra = (r0 + i) * n;
      for (let j = c0; j < n; j++) h[ra + j] -= fa * acc[j];
    }
    // Right update: all rows, columns r0..n-1:  H <- H (I - tau v v^T).
    applyReflectorRight(h, n, 0, n, r0, len, tau, v);
  }
}

/** Zt <- Zt H_k for k = n-3 down to kStart (trailing blocks only), clearing the stored reflectors from h. */
function accumulateUnblocked(
  n: number,
  h: Float64Array,
  zt: Float64Array,
  kStart: number,
  taus: Float64Array,
  w: Float64Array,
): void {
  const v = w;
  for (let k = n - 3; k >= kStart; k--) {
    const tau = taus[k];
    const r0 = k + 1;
    const len = n - r0;
    v[0] = 1;
    for (let i = 1; i < len; i++) {
      v[i] = h[(r0 + i) * n + k];
      h[(r0 + i) * n + k] = 0;
    }
    if (tau === 0) continue;
    const rt = kernelsFor(zt, w);
    if (rt) rt.x.reflectRight(addr(zt), n, r0, n, r0, len, tau, addr(v));
    else applyReflectorRight(zt, n, r0, n, r0, len, tau, v);
  }
}

/**
 * Zt[k0+1:, k0+1:] <- M (I - V T^T V^T) for the panel k0 .. k0+nb-1, clearing its reflectors from h. The Gram
 * matrix V^T V (for T, as LAPACK's dlarft), W = M V, W T^T and M -= (W T^T) V^T are matrix products.
 */
function accumulatePanel(
  n: number,
  h: Float64Array,
  zt: Float64Array,
  k0: number,
  nb: number,
  taus: Float64Array,
  ws: PanelWorkspace,
): void {
  const { vt, tm, wk, y, gram } = ws;
  const off = k0 + 1;
  const nn = n - off;
  for (let t = 0; t < nb; t++) {
    const j = k0 + t;
    const vrow = t * n;
    vt.fill(0, vrow + off, vrow + j + 1);
    vt[vrow + j + 1] = 1;
    for (let r = j + 2; r < n; r++) {
      vt[vrow + r] = h[r * n + j];
      h[r * n + j] = 0;
    }
  }
  // T from the Gram matrix G = Vt Vt^T: column t of T is -tau_t T[:, :t] G[:t, t], T[t, t] = tau_t
  gram.fill(0, 0, nb * nb);
  gemmNTUnchecked(nb, nb, nn, 1, vt, off, n, vt, off, n, gram, 0, nb);
  for (let t = 0; t < nb; t++) {
    const tau = taus[k0 + t];
    for (let s = 0; s < t; s++) {
      let acc = 0;
      for (let u = s; u < t; u++) acc += tm[s * nb + u] * gram[u * nb + t];
      tm[s * nb + t] = -tau * acc;
    }
    tm[t * nb + t] = tau;
    for (let s = t + 1; s < nb; s++) tm[s * nb + t] = 0;
  }
  // W = M V (nn x nb), then Y = W T^T, then M -= Y Vt.
  wk.fill(0, 0, nn * nb);
  gemmNTUnchecked(nn, nb, nn, 1, zt, off * n + off, n, vt, off, n, wk, 0, nb);
  y.fill(0, 0, nn * nb);
  gemmNTUnchecked(nn, nb, nb, 1, wk, 0, nb, tm, 0, nb, y, 0, nb);
  gemmNNUnchecked(nn, nn, nb, -1, y, 0, nb, vt, off, n, zt, off * n + off, n);
}

/**
 * Upper Hessenberg form A = Q H Q^T (Householder).
 *
 * @example
 * ```ts
 * import { fromRows, hessenberg } from "ness/linalg";
 *
 * const { H } = hessenberg(fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 10]]));
 * console.log(H.data[2 * 3 + 0]); // => 0: zero below the first subdiagonal
 * ```
 */
export function hessenberg(a: Matrix): { H: Matrix; Q: Matrix } {
  checkSquareFinite(a, "hessenberg");
  const n = a.rows;
  const s = scaleFor(a);
  return withWorkspace(schurScratch(n), () => {
    const h = scratch(n * n);
    scaleInto(h, a.data, s);
    const zt = scratch(n * n);
    hessenbergInPlaceUnchecked(n, h, zt);
    const H = h.slice();
    unscale(H, s);
    return { H: matrix(n, n, H), Q: transpose(matrix(n, n, zt)) };
  });
}

/** Output of standardiseBlock: the standardised block, its eigenvalues and the rotation (cs, sn). */
export interface StandardBlock {
  a: number;
  b: number;
  c: number;
  d: number;
  rt1r: number;
  rt1i: number;
  rt2r: number;
  rt2i: number;
  cs: number;
  sn: number;
}

/** sqrt(a^2 + b^2 + c^2) without overflow/underflow (cheaper than Math.hypot in V8). */
export function norm3(a: number, b: number, c: number): number {
  if (typeof a !== "number" || typeof b !== "number" || typeof c !== "number") {
    throw new MatrixArgumentError("norm3 takes three numbers");
  }
  return hypot3(a, b, c);
}

/**
 * Schur factorisation of a real 2x2 block [a b; c d] = [cs -sn; sn cs] [a' b'; c' d'] [cs sn; -sn cs] where either
 * c' = 0 (real eigenvalues a', d') or a' = d' and b' c' < 0 (complex pair a' +- i sqrt(-b'c')). Written after the
 * specification of LAPACK's dlanv2. The result is written into `out` (no allocation).
 */
export function standardiseBlock(a: number, b: number, c: number, d: number, out: StandardBlock): StandardBlock {
  if (typeof a !== "number" || typeof b !== "number" || typeof c !== "number" || typeof d !== "number") {
    throw new MatrixArgumentError("standardiseBlock takes four numbers (the block [a b; c d]) and an output object");
  }
  if (typeof out !== "object" || out === null) {
    throw new MatrixArgumentError("standardiseBlock: out must be an object to receive the result");
  }
  return standardise(a, b, c, d, out);
}

/** standardiseBlock without the argument checks (the QR iteration's deflations). */
function standardise(a: number, b: number, c: number, d: number, out: StandardBlock): StandardBlock {
  let cs = 1;
  let sn = 0;
  if (c === 0) {
    // already upper triangular
  } else if (b === 0) {
    // swap rows and columns
    cs = 0;
    sn = 1;
    const t = d;
    d = a;
    a = t;
    b = -c;
    c = 0;
  } else if (a - d === 0 && signOf(b) !== signOf(c)) {
    // already standard complex block
  } else {
    const temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * signOf(b) * signOf(c);
    let scale = Math.max(Math.abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= 4 * EPS) {
      // real eigenvalues: compute a and d, then rotate to upper triangular
      z = p + signOf(p) * Math.sqrt(scale) * Math.sqrt(z);
      a = d + z;
      d = d - (bcmax / z) * bcmis;
      const tau = Math.hypot(c, z);
      cs = z / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      // complex or nearly equal real eigenvalues: make the diagonal entries equal
      const sigma = b + c;
      scale = Math.max(Math.abs(temp), Math.abs(sigma));
      // (scale > 0 here: sigma = 0 with temp = 0 would need sign(b) != sign(c), handled above)
      const st = temp / scale;
      const ss = sigma / scale;
      p = 0.5 * st;
      const tau = Math.hypot(ss, st);
      cs = Math.sqrt(0.5 * (1 + Math.abs(ss) / tau));
      sn = -(p / (tau * cs)) * signOf(ss);
      // [aa bb; cc dd] = [a b; c d] [cs -sn; sn cs]
      const aa = a * cs + b * sn;
      const bb = -a * sn + b * cs;
      const cc = c * cs + d * sn;
      const dd = -c * sn + d * cs;
      // [a b; c d] = [cs sn; -sn cs] [aa bb; cc dd]
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      const mid = 0.5 * (a + d);
      a = mid;
      d = mid;
      if (c !== 0) {
        if (b !== 0) {
          if (signOf(b) === signOf(c)) {
            // real eigenvalues after all: reduce to upper triangular
            const sab = Math.sqrt(Math.abs(b));
            const sac = Math.sqrt(Math.abs(c));
            p = signOf(c) * sab * sac;
            const t = 1 / Math.sqrt(Math.abs(b + c));
            a = mid + p;
            d = mid - p;
            b = b - c;
            c = 0;
            const cs1 = sab * t;
            const sn1 = sac * t;
            const ncs = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = ncs;
          }
        } else {
          b = -c;
          c = 0;
          const t = cs;
          cs = -sn;
          sn = t;
        }
      }
    }
  }
  out.a = a;
  out.b = b;
  out.c = c;
  out.d = d;
  out.rt1r = a;
  out.rt2r = d;
  if (c === 0) {
    out.rt1i = 0;
    out.rt2i = 0;
  } else {
    out.rt1i = Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
    out.rt2i = -out.rt1i;
  }
  out.cs = cs;
  out.sn = sn;
  return out;
}

/**
 * Applies reflectors kb .. kb+count-1 of a bulge-chasing chunk from the left to rows of the row-major `x`, over
 * columns c0..c1: reflector kb+r acts on rows kb+r .. kb+r+2 (only two rows when kb+r+2 > last, the final
 * reflector of a sweep ending at row `last`). Reflectors are applied in pairs sharing a pass over the columns.
 */
function applyReflectorsLeft(
  x: Float64Array,
  n: number,
  kb: number,
  count: number,
  last: number,
  c0: number,
  c1: number,
  refT: Float64Array,
  refU1: Float64Array,
  refU2: Float64Array,
): void {
  let r = 0;
  for (; r + 1 < count; r += 2) {
    const k = kb + r;
    const ta = refT[r],
      tb = refT[r + 1];
    if (k + 3 > last || ta === 0 || tb === 0) {
      applyOneLeft(x, n, k, last, c0, c1, ta, refU1[r], refU2[r]);
      applyOneLeft(x, n, k + 1, last, c0, c1, tb, refU1[r + 1], refU2[r + 1]);
      continue;
    }
    // rows k .. k+3: reflector a on k..k+2, then reflector b on k+1..k+3
    const ua1 = refU1[r],
      ua2 = refU2[r],
      ub1 = refU1[r + 1],
      ub2 = refU2[r + 1];
    const ta1 = ta * ua1,
      ta2 = ta * ua2,
      tb1 = tb * ub1,
      tb2 = tb * ub2;
    const r0 = k * n,
      r1 = r0 + n,
      r2 = r1 + n,
      r3 = r2 + n;
    for (let j = c0; j <= c1; j++) {
      const x0 = x[r0 + j];
      let x1 = x[r1 + j],
        x2 = x[r2 + j];
      const x3 = x[r3 + j];
      const sa = x0 + ua1 * x1 + ua2 * x2;
      x[r0 + j] = x0 - sa * ta;
      x1 -= sa * ta1;
      x2 -= sa * ta2;
      const sb = x1 + ub1 * x2 + ub2 * x3;
      x[r1 + j] = x1 - sb * tb;
      x[r2 + j] = x2 - sb * tb1;
      x[r3 + j] = x3 - sb * tb2;
    }
  }
  if (r < count) applyOneLeft(x, n, kb + r, last, c0, c1, refT[r], refU1[r], refU2[r]);
}

function applyOneLeft(
  x: Float64Array,
  n: number,
  k: number,
  last: number,
  c0: number,
  c1: number,
  t1: number,
  u1: number,
  u2: number,
): void {
  if (t1 === 0) return;
  const t2 = t1 * u1;
  const r0 = k * n,
    r1 = r0 + n;
  if (k + 2 <= last) {
    const t3 = t1 * u2;
    const r2 = r1 + n;
    for (let j = c0; j <= c1; j++) {
      const sum = x[r0 + j] + u1 * x[r1 + j] + u2 * x[r2 + j];
      x[r0 + j] -= sum * t1;
      x[r1 + j] -= sum * t2;
      x[r2 + j] -= sum * t3;
    }
  } else {
    for (let j = c0; j <= c1; j++) {
      const sum = x[r0 + j] + u1 * x[r1 + j];
      x[r0 + j] -= sum * t1;
      x[r1 + j] -= sum * t2;
    }
  }
}

const blockScratch: StandardBlock = { a: 0, b: 0, c: 0, d: 0, rt1r: 0, rt1i: 0, rt2r: 0, rt2i: 0, cs: 1, sn: 0 };

/**
 * Francis double-shift QR on the upper Hessenberg n x n row-major `h`, in place. With `wantT` the full Schur form is
 * produced (all rows/columns updated); otherwise only the eigenvalues are computed (h is left in an intermediate
 * state). When `zt` is given (requires wantT) it is updated as zt <- P^T zt for every similarity P, so passing Q^T of
 * the Hessenberg reduction yields Z^T. Eigenvalues are written to wr/wi in diagonal order, pairs as (re, +im), (re,
 * -im). Throws SchurConvergenceError if an eigenvalue does not deflate.
 */
export function hessenbergQR(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  wr: Float64Array,
  wi: Float64Array,
  wantT: boolean,
): void {
  checkDimension(n, "hessenbergQR: n", true);
  checkArray(h, n * n, "hessenbergQR: h");
  if (zt !== null) checkArray(zt, n * n, "hessenbergQR: zt");
  checkArray(wr, n, "hessenbergQR: wr");
  checkArray(wi, n, "hessenbergQR: wi");
  if (zt && !wantT) throw new MatrixArgumentError("hessenbergQR: Schur vectors (zt) need the full Schur form (wantT)");
  hessenbergQRUnchecked(n, h, zt, wr, wi, wantT);
}

/** hessenbergQR without the argument checks (internal to src/linalg; staging as hessenbergInPlaceUnchecked). */
export function hessenbergQRUnchecked(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  wr: Float64Array,
  wi: Float64Array,
  wantT: boolean,
): void {
  if (!warmedUp) warmUp();
  const chunk = n > 256 ? SWEEP_CHUNK : n;
  if (n >= WASM_MIN_ORDER && wasm() && !kernelsFor(h, zt)) {
    staged(n, h, zt, francisScratch(n, chunk), (hh, zz) => francisQR(n, hh, zz, wr, wi, wantT, chunk));
  } else francisQR(n, h, zt, wr, wi, wantT, chunk);
}

/**
 * Counters of the QR iteration (internal: the bench and tests read them to compare variants; never part of a result).
 * doubleShiftSweeps: Francis double-shift sweeps; multishiftSweeps: small-bulge multishift sweeps (shiftPairs: their
 * bulges in total); windows: aggressive-early-deflation windows; deflatedByWindows: eigenvalues they deflated.
 */
export const qrCounters = {
  doubleShiftSweeps: 0,
  multishiftSweeps: 0,
  shiftPairs: 0,
  windows: 0,
  deflatedByWindows: 0,
};

/** Sets every QR counter to zero. */
export function resetQrCounters(): void {
  qrCounters.doubleShiftSweeps = 0;
  qrCounters.multishiftSweeps = 0;
  qrCounters.shiftPairs = 0;
  qrCounters.windows = 0;
  qrCounters.deflatedByWindows = 0;
}

const AED_MIN = 200; // matrices at least this large use aggressive early deflation (measured crossover)
const AED_BLOCK_MIN = 12; // ... on every active block at least this large (smaller ones: double-shift sweeps)
const AED_NIBBLE = 14; // skip the sweep when a deflation window deflated more than this percentage of itself
const AED_SMALL_REST = 75; // ... or when at most this many rows remain active (LAPACK's NMIN)

/** Number of shifts per iteration for an active block of size nh (after LAPACK's iparmq). */
function shiftCount(nh: number): number {
  if (nh < 30) return 2;
  if (nh < 60) return 4;
  if (nh < 150) return 10;
  if (nh < 590) {
    const v = Math.max(10, Math.round(nh / Math.log2(nh)));
    return v - (v % 2);
  }
  return nh < 3000 ? 64 : 128;
}

/** Size of the aggressive-early-deflation window for an active block of size nh. */
function deflationWindow(nh: number): number {
  const ns = shiftCount(nh);
  return nh <= 500 ? ns : Math.round(1.5 * ns);
}

interface AedWorkspace {
  nsr: number; // shifts per sweep, from the order of the whole matrix
  nwr: number; // window size
  s: Float64Array; // window copy, nw x nw
  vt: Float64Array; // its Schur vectors, transposed
  tmp: Float64Array; // products with the rest of the matrix
  swr: Float64Array;
  swi: Float64Array;
  sr: Float64Array; // shifts, bottom of the window first
  si: Float64Array;
  nshifts: number;
  u: Float64Array;
  w: Float64Array;
  d: Float64Array; // local copy of a block pair being swapped (4 x 4)
  q: Float64Array; // its orthogonal transformation (4 x 4)
  e: Float64Array; // scratch (4 x 4)
  x: Float64Array; // Sylvester solution / Kronecker system
  sw: Float64Array; // work of the window's one-call Schur form (asm/schurSmall.ts smallSchurWork)
  rw: Float64Array; // work of the window's reordering in the kernels (asm/schurReorder.ts aedReorderWork)
  pairs: Float64Array; // shift pairs of a multishift sweep (4 per bulge)
  chain: Float64Array; // the bulges' reflectors (3 per bulge) during a multishift sweep
  uw: Float64Array; // orthogonal transformation of a multishift window, ws x ws
  far: Float64Array; // products with the rest of the matrix, ws x n
  ranges: Float64Array; // per row of a multishift window's U: first and one past the last column that may be nonzero
}

/** The reordering kernel's work size (asm/schurReorder.ts aedReorderWork(); a test checks they agree). */
export const AED_REORDER_WORK = 96;

function aedWorkspace(n: number): AedWorkspace {
  // a window may take one row more than the usual size (windowFor: the whole active block)
  const nw = Math.min(n, deflationWindow(n) + 1);
  const nb = shiftCount(n) / 2 + 1; // bulges of a sweep, at most
  return {
    nsr: shiftCount(n),
    nwr: Math.min(n, deflationWindow(n)),
    s: scratch(nw * nw),
    vt: scratch(nw * nw),
    tmp: scratch(nw * n),
    swr: scratch(nw),
    swi: scratch(nw),
    sr: scratch(nw),
    si: scratch(nw),
    nshifts: 0,
    u: scratch(nw),
    w: scratch(nw),
    d: new Float64Array(16),
    q: scratch(16), // in the kernels' memory: applyBlockSwap reads it
    e: new Float64Array(16),
    x: new Float64Array(24),
    sw: scratch(6 * nw + 8),
    rw: scratch(AED_REORDER_WORK),
    pairs: scratch(4 * nb),
    chain: scratch(3 * nb),
    uw: scratch(multishiftWindow(nb) ** 2),
    far: scratch(multishiftWindow(nb) * n),
    ranges: scratch(2 * multishiftWindow(nb)),
  };
}

/** Doubles of scratch aedWorkspace(n) takes. */
function aedScratch(n: number): number {
  const nw = Math.min(n, deflationWindow(n) + 1);
  const nb = shiftCount(n) / 2 + 1;
  const mw = multishiftWindow(nb);
  return 2 * nw * nw + nw * n + 13 * nw + 24 + AED_REORDER_WORK + 7 * nb + mw * mw + mw * n + 2 * mw + 2 * 25; // + alignment
}

/**
 * Size of the next deflation window on the active block [l, i]: the usual size (from the order of the whole matrix,
 * as dlaqr0 chooses it), or the whole block when that is at most one row more.
 */
function windowFor(l: number, i: number, ws: AedWorkspace): number {
  const nh = i - l + 1;
  return ws.nwr >= nh - 1 ? nh : ws.nwr;
}

/**
 * The shift pairs of the next multishift sweep on [l, i] into ws.pairs (returns their number): the undeflated
 * eigenvalues of the last window, bottom first; when it left at most half the shifts wanted, the eigenvalues of the
 * trailing block of that many rows instead (as dlaqr0 does). Returns 0 when there are none.
 */
function sweepShifts(n: number, h: Float64Array, l: number, i: number, ws: AedWorkspace): number {
  let ns = Math.min(ws.nsr, Math.max(2, i - l));
  ns -= ns % 2;
  const pairs = ws.pairs;
  let np = 0;
  let sr = ws.sr,
    si = ws.si,
    avail = ws.nshifts;
  if (avail <= ns / 2) {
    // Too few: the eigenvalues of the trailing ns x ns block.
    const S = ws.s,
      k0 = i - ns + 1;
    for (let r = 0; r < ns; r++) {
      const src = (k0 + r) * n + k0;
      for (let c = 0; c < ns; c++) S[r * ns + c] = c >= r - 1 ? h[src + c] : 0;
    }
    if (windowSchur(ns, S, null, ws)) {
      // Bottom first, as the window's shifts.
      for (let q = 0; q < ns; q++) {
        ws.sr[q] = ws.swr[ns - 1 - q];
        ws.si[q] = ws.swi[ns - 1 - q];
      }
      sr = ws.sr;
      si = ws.si;
      avail = ns;
    }
  }
  if (avail === 0) return 0;
  // Bulges: complex-conjugate pairs as they come, real shifts two at a time (a last odd one twice), at most ns / 2.
  let pending = NaN;
  for (let q = 0; q < avail && np < ns / 2; q++) {
    if (si[q] !== 0 && q + 1 < avail) {
      pairs[4 * np] = sr[q];
      pairs[4 * np + 1] = si[q];
      pairs[4 * np + 2] = sr[q + 1];
      pairs[4 * np + 3] = si[q + 1];
      np++;
      q++;
    } else if (si[q] === 0) {
      if (Number.isNaN(pending)) pending = sr[q];
      else {
        pairs[4 * np] = pending;
        pairs[4 * np + 1] = 0;
        pairs[4 * np + 2] = sr[q];
        pairs[4 * np + 3] = 0;
        np++;
        pending = NaN;
      }
    }
  }
  if (!Number.isNaN(pending) && np < ns / 2) {
    pairs[4 * np] = pending;
    pairs[4 * np + 1] = 0;
    pairs[4 * np + 2] = pending;
    pairs[4 * np + 3] = 0;
    np++;
  }
  if (np === 1 && pairs[1] === 0) {
    // Two real shifts: the one closer to the last diagonal entry, twice.
    const hii = h[i * n + i];
    const pick = Math.abs(pairs[0] - hii) <= Math.abs(pairs[2] - hii) ? pairs[0] : pairs[2];
    pairs[0] = pick;
    pairs[2] = pick;
  }
  return np;
}

/**
 * Schur form of the m x m Hessenberg window s in place, eigenvalues into ws.swr/ws.swi, vt (null: eigenvalues only)
 * <- its Schur vectors transposed; false when the QR iteration did not converge. One call of the kernels (their
 * double-shift QR with no JavaScript between sweeps) when the arrays are in their memory, else francisQR.
 */
function windowSchur(m: number, s: Float64Array, vt: Float64Array | null, ws: AedWorkspace): boolean {
  const rt = kernelsFor(s, vt, ws.sw);
  if (rt && m >= ONE_CALL_MIN && inMemory(rt, ws.swr) && inMemory(rt, ws.swi)) {
    const code = rt.x.smallSchur(m, addr(s), vt ? addr(vt) : 0, addr(ws.swr), addr(ws.swi), vt ? 1 : 0, addr(ws.sw));
    return code === 0;
  }
  try {
    francisQR(m, s, vt, ws.swr, ws.swi, vt !== null, m);
  } catch {
    return false;
  }
  return true;
}

/** Width of the slab of a multishift sweep with nb bulges (LAPACK's KDU: the chain moves 2 nb rows per slab). */
function multishiftWindow(nb: number): number {
  return 4 * nb;
}

/** Eigenvalues of the (standardised) diagonal blocks of rows lo..hi of h into wr/wi. */
function recordBlocks(n: number, h: Float64Array, lo: number, hi: number, wr: Float64Array, wi: Float64Array): void {
  for (let j = hi; j >= lo;) {
    if (j > lo && h[j * n + j - 1] !== 0) {
      const im = Math.sqrt(Math.abs(h[(j - 1) * n + j])) * Math.sqrt(Math.abs(h[j * n + j - 1]));
      wr[j - 1] = h[(j - 1) * n + j - 1];
      wr[j] = h[j * n + j];
      wi[j - 1] = im;
      wi[j] = -im;
      j -= 2;
    } else {
      wr[j] = h[j * n + j];
      wi[j] = 0;
      j--;
    }
  }
}

/** Rows r0 .. r0+len-1, columns c0..c1 of the row-major x (leading dimension ld) <- (I - tau u u^T) x. */
function householderLeft(
  x: Float64Array,
  ld: number,
  r0: number,
  len: number,
  c0: number,
  c1: number,
  u: Float64Array,
  tau: number,
  w: Float64Array,
): void {
  if (tau === 0) return;
  const rt = kernelsFor(x, u, w);
  if (rt) {
    rt.x.reflectLeft(addr(x), ld, r0, len, c0, c1 + 1, tau, addr(u), addr(w));
    return;
  }
  for (let c = c0; c <= c1; c++) w[c] = 0;
  for (let i = 0; i < len; i++) {
    const ui = u[i];
    const row = (r0 + i) * ld;
    for (let c = c0; c <= c1; c++) w[c] += ui * x[row + c];
  }
  for (let i = 0; i < len; i++) {
    const f = tau * u[i];
    const row = (r0 + i) * ld;
    for (let c = c0; c <= c1; c++) x[row + c] -= f * w[c];
  }
}

/**
 * Householder reflector I - tau u u^T (u[0] = 1) mapping x[0..len) to (beta, 0, ..., 0); beta is returned in
 * out[0], tau in out[1].
 */
function householderVector(x: Float64Array, len: number, u: Float64Array, out: Float64Array): void {
  const alpha = x[0];
  let scale = 0;
  for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(x[i]));
  u[0] = 1;
  if (scale === 0) {
    for (let i = 1; i < len; i++) u[i] = 0;
    out[0] = alpha;
    out[1] = 0;
    return;
  }
  let ss = 0;
  for (let i = 1; i < len; i++) {
    const q = x[i] / scale;
    ss += q * q;
  }
  const beta = -signOf(alpha) * Math.hypot(alpha, scale * Math.sqrt(ss));
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) u[i] = x[i] * inv;
  out[0] = beta;
  out[1] = (beta - alpha) / beta;
}

const hhOut = new Float64Array(2);

/** Rotation (cs, sn) on rows/columns j, j+1 of the m x m row-major t, and on rows j, j+1 of vt. */
function rotatePair(m: number, t: Float64Array, vt: Float64Array, j: number, cs: number, sn: number): void {
  const rt = kernelsFor(t, vt);
  if (rt) {
    rt.x.rotatePlane(m, addr(t), addr(vt), j, cs, sn, j, j + 2);
    return;
  }
  const r0 = j * m,
    r1 = r0 + m;
  for (let c = j; c < m; c++) {
    const x = t[r0 + c],
      y = t[r1 + c];
    t[r0 + c] = cs * x + sn * y;
    t[r1 + c] = cs * y - sn * x;
  }
  for (let r = 0; r <= j + 1; r++) {
    const p = r * m + j;
    const x = t[p],
      y = t[p + 1];
    t[p] = cs * x + sn * y;
    t[p + 1] = cs * y - sn * x;
  }
  for (let c = 0; c < m; c++) {
    const x = vt[r0 + c],
      y = vt[r1 + c];
    vt[r0 + c] = cs * x + sn * y;
    vt[r1 + c] = cs * y - sn * x;
  }
}

/** Standardises the 2x2 diagonal block at (j, j) of the m x m quasi-triangular t (vt updated). */
function standardiseAt(m: number, t: Float64Array, vt: Float64Array, j: number): void {
  const r0 = j * m,
    r1 = r0 + m;
  const b = standardise(t[r0 + j], t[r0 + j + 1], t[r1 + j], t[r1 + j + 1], blockScratch);
  const cs = b.cs,
    sn = b.sn;
  const rt = kernelsFor(t, vt);
  if (rt) {
    rt.x.rotatePlane(m, addr(t), addr(vt), j, cs, sn, j + 2, j);
    t[r0 + j] = b.a;
    t[r0 + j + 1] = b.b;
    t[r1 + j] = b.c;
    t[r1 + j + 1] = b.d;
    return;
  }
  for (let c = j + 2; c < m; c++) {
    const x = t[r0 + c],
      y = t[r1 + c];
    t[r0 + c] = cs * x + sn * y;
    t[r1 + c] = cs * y - sn * x;
  }
  for (let r = 0; r < j; r++) {
    const p = r * m + j;
    const x = t[p],
      y = t[p + 1];
    t[p] = cs * x + sn * y;
    t[p + 1] = cs * y - sn * x;
  }
  for (let c = 0; c < m; c++) {
    const x = vt[r0 + c],
      y = vt[r1 + c];
    vt[r0 + c] = cs * x + sn * y;
    vt[r1 + c] = cs * y - sn * x;
  }
  t[r0 + j] = b.a;
  t[r0 + j + 1] = b.b;
  t[r1 + j] = b.c;
  t[r1 + j + 1] = b.d;
}

/**
 * Swaps the adjacent diagonal blocks of sizes n1 (at j1) and n2 (at j1 + n1) of the m x m quasi-triangular t by an
 * orthogonal similarity (vt updated), after the method of LAPACK's dlaexc: the invariant subspace of the second
 * block, spanned by [-X; I] with A11 X - X A22 = A12, is rotated to the front. Returns false (t untouched) when the
 * swap would be numerically unstable.
 */
function swapBlocks(
  m: number,
  t: Float64Array,
  vt: Float64Array,
  j1: number,
  n1: number,
  n2: number,
  ws: AedWorkspace,
): boolean {
  if (n1 === 1 && n2 === 1) {
    const a = t[j1 * m + j1],
      b = t[j1 * m + j1 + 1],
      c = t[(j1 + 1) * m + j1 + 1];
    if (a === c) return true;
    const r = hypot3(b, c - a, 0);
    rotatePair(m, t, vt, j1, b / r, (c - a) / r);
    t[j1 * m + j1] = c;
    t[(j1 + 1) * m + j1 + 1] = a;
    t[(j1 + 1) * m + j1] = 0;
    return true;
  }
  const p = n1 + n2;
  const D = ws.d,
    Q = ws.q,
    E = ws.e,
    X = ws.x;
  let dnorm = 0;
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      const v = t[(j1 + r) * m + j1 + c];
      D[r * 4 + c] = v;
      dnorm = Math.max(dnorm, Math.abs(v));
    }
  }
  const smin = Math.max(EPS * dnorm, SAFE_MIN / EPS);
  const thresh = Math.max(10 * EPS * dnorm, SAFE_MIN / EPS);
  // Kronecker system for X (n1 x n2): unknown (k, c) at k*n2 + c; equation (r, c) likewise; 4 x 5 augmented in X.
  const nu = n1 * n2;
  X.fill(0);
  for (let r = 0; r < n1; r++) {
    for (let c = 0; c < n2; c++) {
      const row = (r * n2 + c) * 5;
      for (let k = 0; k < n1; k++) X[row + k * n2 + c] += D[r * 4 + k];
      for (let k = 0; k < n2; k++) X[row + r * n2 + k] -= D[(n1 + k) * 4 + n1 + c];
      X[row + 4] = D[r * 4 + n1 + c];
    }
  }
  const perm = smallPermutation;
  for (let u = 0; u < nu; u++) perm[u] = u;
  for (let k = 0; k < nu; k++) {
    let br = k,
      bc = k,
      best = -1;
    for (let r = k; r < nu; r++) {
      for (let c = k; c < nu; c++) {
        const v = Math.abs(X[r * 5 + c]);
        if (v > best) {
          best = v;
          br = r;
          bc = c;
        }
      }
    }
    if (br !== k) {
      for (let c = 0; c < 5; c++) {
        const tmp = X[k * 5 + c];
        X[k * 5 + c] = X[br * 5 + c];
        X[br * 5 + c] = tmp;
      }
    }
    if (bc !== k) {
      for (let r = 0; r < nu; r++) {
        const tmp = X[r * 5 + k];
        X[r * 5 + k] = X[r * 5 + bc];
        X[r * 5 + bc] = tmp;
      }
      const tp = perm[k];
      perm[k] = perm[bc];
      perm[bc] = tp;
    }
    if (Math.abs(X[k * 5 + k]) < smin) X[k * 5 + k] = X[k * 5 + k] < 0 ? -smin : smin;
    for (let r = k + 1; r < nu; r++) {
      const f = X[r * 5 + k] / X[k * 5 + k];
      if (f === 0) continue;
      for (let c = k + 1; c < 5; c++) X[r * 5 + c] -= f * X[k * 5 + c];
    }
  }
  const sol = ws.w; // nu <= 4 <= nw entries
  for (let k = nu - 1; k >= 0; k--) {
    let acc = X[k * 5 + 4];
    for (let c = k + 1; c < nu; c++) acc -= X[k * 5 + c] * X[20 + c];
    X[20 + k] = acc / X[k * 5 + k];
  }
  for (let u = 0; u < nu; u++) sol[perm[u]] = X[20 + u];
  // M = [-X; I] (p x n2) in E; Q = accumulated reflectors of its QR factorisation.
  E.fill(0);
  for (let r = 0; r < n1; r++) for (let c = 0; c < n2; c++) E[r * 4 + c] = -sol[r * n2 + c];
  for (let k = 0; k < n2; k++) E[(n1 + k) * 4 + k] = 1;
  Q.fill(0);
  for (let r = 0; r < p; r++) Q[r * 4 + r] = 1;
  const u = ws.u;
  const col = smallColumn;
  for (let c = 0; c < n2; c++) {
    const len = p - c;
    for (let r = 0; r < len; r++) col[r] = E[(c + r) * 4 + c];
    householderVector(col, len, u, hhOut);
    const tau = hhOut[1];
    if (tau === 0) continue;
    // E <- H E (rows c.., columns c..n2-1); Q <- Q H (columns c.., all rows)
    for (let cc = c; cc < n2; cc++) {
      let acc = 0;
      for (let r = 0; r < len; r++) acc += u[r] * E[(c + r) * 4 + cc];
      acc *= tau;
      for (let r = 0; r < len; r++) E[(c + r) * 4 + cc] -= acc * u[r];
    }
    for (let r = 0; r < p; r++) {
      let acc = 0;
      for (let k = 0; k < len; k++) acc += Q[r * 4 + c + k] * u[k];
      acc *= tau;
      for (let k = 0; k < len; k++) Q[r * 4 + c + k] -= acc * u[k];
    }
  }
  // Stability check on the local block: E = Q^T D Q must have a negligible (2,1) block.
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += D[r * 4 + k] * Q[k * 4 + c];
      E[r * 4 + c] = acc; // D Q
    }
  }
  for (let r = n2; r < p; r++) {
    for (let c = 0; c < n2; c++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += Q[k * 4 + r] * E[k * 4 + c];
      if (!(Math.abs(acc) <= thresh)) return false;
    }
  }
  // Apply: rows j1.. <- Q^T rows (columns j1..m-1), columns j1.. <- columns Q (rows 0..j1+p-1), vt rows.
  const rt = kernelsFor(t, vt, Q);
  if (rt) rt.x.applyBlockSwap(m, addr(t), addr(vt), j1, p, addr(Q));
  else applyBlockSwapJs(m, t, vt, j1, p, Q);
  for (let r = 0; r < n1; r++) for (let c = 0; c < n2; c++) t[(j1 + n2 + r) * m + j1 + c] = 0;
  if (n2 === 2) standardiseAt(m, t, vt, j1);
  if (n1 === 2) standardiseAt(m, t, vt, j1 + n2);
  return true;
}

/** The JavaScript version of the kernel applyBlockSwap (asm/schurReorder.ts): the p x p orthogonal Q (leading
 * dimension 4) applied to rows and columns j1 .. j1+p-1 of t and to those rows of vt. */
function applyBlockSwapJs(m: number, t: Float64Array, vt: Float64Array, j1: number, p: number, Q: Float64Array): void {
  const tmp = smallColumn;
  for (let c = j1; c < m; c++) {
    for (let r = 0; r < p; r++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += Q[k * 4 + r] * t[(j1 + k) * m + c];
      tmp[r] = acc;
    }
    for (let r = 0; r < p; r++) t[(j1 + r) * m + c] = tmp[r];
  }
  for (let r = 0; r < j1 + p; r++) {
    const base = r * m + j1;
    for (let c = 0; c < p; c++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += t[base + k] * Q[k * 4 + c];
      tmp[c] = acc;
    }
    for (let c = 0; c < p; c++) t[base + c] = tmp[c];
  }
  for (let c = 0; c < m; c++) {
    for (let r = 0; r < p; r++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += Q[k * 4 + r] * vt[(j1 + k) * m + c];
      tmp[r] = acc;
    }
    for (let r = 0; r < p; r++) vt[(j1 + r) * m + c] = tmp[r];
  }
}

const smallPermutation = new Int32Array(4);
const smallColumn = new Float64Array(4);

/**
 * Moves the diagonal block starting at `from` up to start at `to` (a block boundary) by adjacent swaps. Returns
 * false if a swap is refused or the moved 2x2 block splits (the matrix is then still a valid Schur form).
 */
function moveBlockUp(
  m: number,
  t: Float64Array,
  vt: Float64Array,
  from: number,
  to: number,
  ws: AedWorkspace,
): boolean {
  const nbf = from + 1 < m && t[(from + 1) * m + from] !== 0 ? 2 : 1;
  let here = from;
  while (here > to) {
    const nbp = here >= 2 && t[(here - 1) * m + here - 2] !== 0 ? 2 : 1;
    if (!swapBlocks(m, t, vt, here - nbp, nbp, nbf, ws)) return false;
    here -= nbp;
    if (nbf === 2 && t[(here + 1) * m + here] === 0) return false;
  }
  return true;
}

/**
 * Aggressive early deflation (Braman, Byers & Mathias; LAPACK dlaqr3) on the trailing nw x nw window of the active
 * block [l, i]: Schur-factorise the window, find the eigenvalues whose spike components are negligible (moving the
 * others to the top of the window), deflate them, restore Hessenberg form and apply the window's transformation to
 * the rest of the matrix. Returns the number of deflated eigenvalues (now at the bottom, rows i-nd+1..i, in
 * standardised Schur form), or -1 if the window could not be factorised. The undeflated window eigenvalues are
 * left in ws.sr/si (bottom first) as shifts.
 */
function aggressiveDeflation(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  wantT: boolean,
  l: number,
  i: number,
  nw: number,
  ws: AedWorkspace,
): number {
  const kwtop = i - nw + 1;
  const spikeScale = kwtop === l ? 0 : h[kwtop * n + kwtop - 1];
  const S = ws.s,
    vt = ws.vt;
  for (let r = 0; r < nw; r++) {
    const src = (kwtop + r) * n + kwtop;
    for (let c = 0; c < nw; c++) S[r * nw + c] = c >= r - 1 ? h[src + c] : 0;
  }
  vt.fill(0, 0, nw * nw);
  for (let r = 0; r < nw; r++) vt[r * nw + r] = 1;
  if (!windowSchur(nw, S, vt, ws)) return -1;
  // Deflation checks from the bottom; undeflatable blocks are moved to the top (position ilst).
  const smlnum = SAFE_MIN * (n / EPS);
  const s = spikeScale;
  const rt = kernelsFor(S, vt, ws.rw);
  const ns = rt
    ? rt.x.aedReorder(nw, addr(S), addr(vt), s, smlnum, addr(ws.rw))
    : reorderWindow(nw, S, vt, s, smlnum, ws);
  const nd = nw - ns;
  // Shifts: eigenvalues of the undeflated blocks, bottom first.
  let cnt = 0;
  for (let j = ns - 1; j >= 0;) {
    if (j >= 1 && S[j * nw + j - 1] !== 0) {
      const re = S[j * nw + j];
      const im = Math.sqrt(Math.abs(S[(j - 1) * nw + j])) * Math.sqrt(Math.abs(S[j * nw + j - 1]));
      ws.sr[cnt] = re;
      ws.si[cnt] = im;
      ws.sr[cnt + 1] = re;
      ws.si[cnt + 1] = -im;
      cnt += 2;
      j -= 2;
    } else {
      ws.sr[cnt] = S[j * nw + j];
      ws.si[cnt] = 0;
      cnt++;
      j--;
    }
  }
  ws.nshifts = cnt;
  if (nd === 0 && s !== 0) return 0; // nothing deflated: leave the matrix as it is
  // Restore Hessenberg form: reflect the spike of the undeflated part onto its first entry, then reduce.
  if (s !== 0) {
    const u = ws.u,
      w = ws.w;
    let first = 0;
    if (ns > 0) {
      const sp = smallSpike(ws, nw);
      for (let r = 0; r < ns; r++) sp[r] = s * vt[r * nw];
      if (ns > 1) {
        householderVector(sp, ns, u, hhOut);
        first = hhOut[0];
        const tau = hhOut[1];
        householderLeft(S, nw, 0, ns, 0, nw - 1, u, tau, w);
        if (tau !== 0) applyReflectorRight(S, nw, 0, ns, 0, ns, tau, u);
        householderLeft(vt, nw, 0, ns, 0, nw - 1, u, tau, w);
        reduceLeading(nw, S, vt, ns, ws);
      } else {
        first = sp[0];
      }
    }
    h[kwtop * n + kwtop - 1] = first;
    for (let r = 1; r < nw; r++) h[(kwtop + r) * n + kwtop - 1] = 0;
  }
  for (let r = 0; r < nw; r++) {
    const dst = (kwtop + r) * n + kwtop;
    for (let c = 0; c < nw; c++) h[dst + c] = S[r * nw + c];
  }
  // Apply the window transformation V = vt^T to the rest.
  const i1 = wantT ? 0 : l;
  const i2 = wantT ? n - 1 : i;
  const tmp = ws.tmp;
  const above = kwtop - i1;
  if (above > 0) {
    tmp.fill(0, 0, above * nw);
    gemmNTUnchecked(above, nw, nw, 1, h, i1 * n + kwtop, n, vt, 0, nw, tmp, 0, nw);
    for (let r = 0; r < above; r++) {
      const dst = (i1 + r) * n + kwtop;
      for (let c = 0; c < nw; c++) h[dst + c] = tmp[r * nw + c];
    }
  }
  const right = i2 - i;
  if (right > 0) {
    tmp.fill(0, 0, nw * right);
    gemmNNUnchecked(nw, right, nw, 1, vt, 0, nw, h, kwtop * n + i + 1, n, tmp, 0, right);
    for (let r = 0; r < nw; r++) {
      const dst = (kwtop + r) * n + i + 1;
      for (let c = 0; c < right; c++) h[dst + c] = tmp[r * right + c];
    }
  }
  if (zt) {
    tmp.fill(0, 0, nw * n);
    gemmNNUnchecked(nw, n, nw, 1, vt, 0, nw, zt, kwtop * n, n, tmp, 0, n);
    zt.set(tmp.subarray(0, nw * n), kwtop * n);
  }
  return nd;
}

/**
 * The deflation checks of the window S (nw x nw, Schur form; vt its transposed Schur vectors; s the spike's scale)
 * from the bottom, undeflatable blocks moved to the top (position ilst); returns the number ns of undeflated rows
 * (rows ns .. nw-1 deflate). The kernels' aedReorder (asm/schurReorder.ts) does the same in one call.
 */
function reorderWindow(
  nw: number,
  S: Float64Array,
  vt: Float64Array,
  s: number,
  smlnum: number,
  ws: AedWorkspace,
): number {
  let ns = nw;
  let ilst = 0;
  while (ilst < ns) {
    const two = ns >= 2 && S[(ns - 1) * nw + ns - 2] !== 0;
    if (!two) {
      let foo = Math.abs(S[(ns - 1) * nw + ns - 1]);
      if (foo === 0) foo = Math.abs(s);
      if (Math.abs(s * vt[(ns - 1) * nw]) <= Math.max(smlnum, EPS * foo)) {
        ns -= 1;
      } else {
        if (ns - 1 > ilst && !moveBlockUp(nw, S, vt, ns - 1, ilst, ws)) break;
        ilst += 1;
      }
    } else {
      let foo =
        Math.abs(S[(ns - 1) * nw + ns - 1]) +
        Math.sqrt(Math.abs(S[(ns - 1) * nw + ns - 2])) * Math.sqrt(Math.abs(S[(ns - 2) * nw + ns - 1]));
      if (foo === 0) foo = Math.abs(s);
      if (Math.max(Math.abs(s * vt[(ns - 1) * nw]), Math.abs(s * vt[(ns - 2) * nw])) <= Math.max(smlnum, EPS * foo)) {
        ns -= 2;
      } else {
        if (ns - 2 > ilst && !moveBlockUp(nw, S, vt, ns - 2, ilst, ws)) break;
        ilst += 2;
      }
    }
  }
  return ns;
}

/**
 * reorderWindow on the given arrays with a workspace of ordinary arrays (the JavaScript twin of the kernels'
 * aedReorder when S and vt are ordinary arrays; for the tests).
 */
export function reorderWindowJs(nw: number, S: Float64Array, vt: Float64Array, spike: number, smlnum: number): number {
  return reorderWindow(nw, S, vt, spike, smlnum, aedWorkspace(nw));
}

function smallSpike(ws: AedWorkspace, nw: number): Float64Array {
  return ws.swr.length >= nw ? ws.swr : new Float64Array(nw);
}

/** Householder reduction to Hessenberg form of the leading ns x ns block of the m x m row-major t (rows of the
 * transformation also applied to columns ns..m-1 and to vt). */
function reduceLeading(m: number, t: Float64Array, vt: Float64Array, ns: number, ws: AedWorkspace): void {
  const u = ws.u,
    w = ws.w;
  const col = ws.swi.length >= m ? ws.swi : new Float64Array(m);
  for (let k = 0; k < ns - 2; k++) {
    const len = ns - k - 1;
    for (let r = 0; r < len; r++) col[r] = t[(k + 1 + r) * m + k];
    householderVector(col, len, u, hhOut);
    const tau = hhOut[1];
    if (tau === 0) continue;
    t[(k + 1) * m + k] = hhOut[0];
    for (let r = 1; r < len; r++) t[(k + 1 + r) * m + k] = 0;
    householderLeft(t, m, k + 1, len, k + 1, m - 1, u, tau, w);
    applyReflectorRight(t, m, 0, ns, k + 1, len, tau, u);
    householderLeft(vt, m, k + 1, len, 0, m - 1, u, tau, w);
  }
}

/**
 * One Francis double-shift sweep on the active block [l, i] with shifts (rt1r + i rt1i, rt2r + i rt2i) (a
 * complex-conjugate pair or two reals): the bulge starts at the lowest row m where two consecutive subdiagonals are
 * small enough, and is chased down to row i. Rows i1.. and columns ..i2 delimit what is updated (the whole matrix
 * when the Schur form is wanted); zt (if given) accumulates the transformations.
 */
function qrSweep(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  l: number,
  i: number,
  i1: number,
  i2: number,
  chunk: number,
  refT: Float64Array,
  refU1: Float64Array,
  refU2: Float64Array,
  rt1r: number,
  rt1i: number,
  rt2r: number,
  rt2i: number,
): void {
  const rt = kernelsFor(h, zt, refT);
  if (rt && inMemory(rt, refU1) && inMemory(rt, refU2)) {
    rt.x.qrSweep(
      n,
      addr(h),
      zt ? addr(zt) : 0,
      l,
      i,
      i1,
      i2,
      chunk,
      addr(refT),
      addr(refU1),
      addr(refU2),
      rt1r,
      rt1i,
      rt2r,
      rt2i,
    );
    return;
  }
  const ulp = EPS;
  // Look for two consecutive small subdiagonal elements; v = first column of (H - s1)(H - s2) / scale.
  let m: number;
  let v0 = 0,
    v1 = 0,
    v2 = 0;
  for (m = i - 2; m >= l; m--) {
    const hmm = h[m * n + m];
    let h21s = h[(m + 1) * n + m];
    let s = Math.abs(hmm - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
    h21s /= s;
    v0 = h21s * h[m * n + m + 1] + (hmm - rt1r) * ((hmm - rt2r) / s) - rt1i * (rt2i / s);
    v1 = h21s * (hmm + h[(m + 1) * n + m + 1] - rt1r - rt2r);
    v2 = h21s * h[(m + 2) * n + m + 1];
    s = Math.abs(v0) + Math.abs(v1) + Math.abs(v2);
    v0 /= s;
    v1 /= s;
    v2 /= s;
    if (m === l) break;
    const h00 = Math.abs(h[m * n + m - 1]) * (Math.abs(v1) + Math.abs(v2));
    const h11b = Math.abs(v0) * (Math.abs(h[(m - 1) * n + m - 1]) + Math.abs(hmm) + Math.abs(h[(m + 1) * n + m + 1]));
    if (h00 <= ulp * h11b) break;
  }

  // Double-shift QR sweep: chase the bulge from row m down to row i, in chunks of reflectors. Within a chunk
  // only the window [kb, we] x [kb, we] around the bulge is updated at once; the rows above the window, the
  // columns right of it and Zt are updated after the chunk, each in one cache-friendly pass (rows of the
  // matrix contiguous in memory).
  for (let kb = m; kb <= i - 1; kb += chunk) {
    const ke = Math.min(kb + chunk, i); // reflectors kb .. ke-1
    const we = Math.min(ke + 2, i); // last row/column of the window
    for (let k = kb; k < ke; k++) {
      const nr = Math.min(3, i - k + 1);
      if (k > m) {
        v0 = h[k * n + k - 1];
        v1 = h[(k + 1) * n + k - 1];
        v2 = nr === 3 ? h[(k + 2) * n + k - 1] : 0;
      }
      // Householder reflector P = I - t1 [1 u1 u2][1 u1 u2]^T with P [v0 v1 v2]^T = [beta 0 0]^T.
      const alpha = v0;
      if (nr !== 3) v2 = 0;
      let t1 = 0,
        u1 = 0,
        u2 = 0,
        beta = alpha;
      if (v1 !== 0 || v2 !== 0) {
        beta = -signOf(alpha) * hypot3(alpha, v1, v2);
        t1 = (beta - alpha) / beta;
        const inv = 1 / (alpha - beta);
        u1 = v1 * inv;
        u2 = v2 * inv;
      }
      if (k > m) {
        h[k * n + k - 1] = beta;
        h[(k + 1) * n + k - 1] = 0;
        if (k < i - 1) h[(k + 2) * n + k - 1] = 0;
      } else if (m > l) {
        // Use this instead of h[k,k-1] = -h[k,k-1] (avoids trouble when u1, u2 underflow).
        h[k * n + k - 1] *= 1 - t1;
      }
      const r = k - kb;
      refT[r] = t1;
      refU1[r] = u1;
      refU2[r] = nr === 3 ? u2 : 0;
      if (t1 === 0) continue;
      const t2 = t1 * u1;
      const t3 = t1 * refU2[r];
      const r0 = k * n,
        r1 = r0 + n,
        r2 = r1 + n;
      if (nr === 3) {
        for (let j = k; j <= we; j++) {
          const sum = h[r0 + j] + u1 * h[r1 + j] + u2 * h[r2 + j];
          h[r0 + j] -= sum * t1;
          h[r1 + j] -= sum * t2;
          h[r2 + j] -= sum * t3;
        }
        const jmax = Math.min(k + 3, i);
        for (let j = kb; j <= jmax; j++) {
          const p = j * n + k;
          const sum = h[p] + u1 * h[p + 1] + u2 * h[p + 2];
          h[p] -= sum * t1;
          h[p + 1] -= sum * t2;
          h[p + 2] -= sum * t3;
        }
      } else {
        for (let j = k; j <= we; j++) {
          const sum = h[r0 + j] + u1 * h[r1 + j];
          h[r0 + j] -= sum * t1;
          h[r1 + j] -= sum * t2;
        }
        for (let j = kb; j <= i; j++) {
          const p = j * n + k;
          const sum = h[p] + u1 * h[p + 1];
          h[p] -= sum * t1;
          h[p + 1] -= sum * t2;
        }
      }
    }
    const nref = ke - kb;
    // Deferred: columns right of the window (rows kb .. ke+1), then Zt rows, one reflector at a time.
    if (we < i2) applyReflectorsLeft(h, n, kb, nref, i, we + 1, i2, refT, refU1, refU2);
    if (zt) applyReflectorsLeft(zt, n, kb, nref, i, 0, n - 1, refT, refU1, refU2);
    // Deferred: rows above the window (i1 .. kb-1), columns kb .. ke+1: one contiguous row segment at a time,
    // sliding the reflectors along it with the two shared entries kept in registers.
    const twoLast = kb + nref + 1 > i; // the chunk's last reflector is a 2-row one (sweep end)
    const full = twoLast ? nref - 1 : nref;
    for (let row = i1; row < kb; row++) {
      const base = row * n + kb;
      let x1 = h[base],
        x2 = h[base + 1];
      for (let r = 0; r < full; r++) {
        const t1 = refT[r];
        const x3 = h[base + r + 2];
        const sum = (x1 + refU1[r] * x2 + refU2[r] * x3) * t1;
        h[base + r] = x1 - sum;
        x1 = x2 - sum * refU1[r];
        x2 = x3 - sum * refU2[r];
      }
      if (twoLast) {
        const sum = (x1 + refU1[full] * x2) * refT[full];
        h[base + full] = x1 - sum;
        h[base + full + 1] = x2 - sum * refU1[full];
      } else {
        h[base + full] = x1;
        h[base + full + 1] = x2;
      }
    }
  }
}

/**
 * One small-bulge multishift QR sweep (Braman, Byers & Mathias; LAPACK's dlaqr5 as of 3.10) on the active block
 * [l, i] of the upper Hessenberg h: the np shift pairs (pairs[4p .. 4p+3] = rt1r, rt1i, rt2r, rt2i) each start a
 * bulge at row l, 2 rows behind the previous one, and the chain is chased down together, deepest bulge first at
 * every step (chaseSlab in asm/bulgeChain.ts, or chaseSlabJs). The chase runs in slabs of 4 np rows/columns that
 * the chain crosses in 2 np steps; inside a slab the reflectors update h at once and accumulate their product U,
 * which then updates the rest of h (rows i1.. above the slab, columns ..i2 right of it) and zt by matrix products.
 * Packing the bulges 2 rows apart (3 before) makes those products a third cheaper per row the chain advances.
 */
function multishiftSweep(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  l: number,
  i: number,
  i1: number,
  i2: number,
  pairs: Float64Array,
  np: number,
  aed: AedWorkspace,
): void {
  if (i - l < 2 || np === 0) return;
  // 1-based active block (LAPACK's KTOP, KBOT), as chaseSlab takes it.
  const ktop = l + 1,
    kbot = i + 1;
  const kdu = 4 * np;
  const ut = aed.uw,
    far = aed.far,
    v = aed.chain;
  v.fill(0, 0, 3 * np);
  const rt = kernelsFor(h, ut, pairs) && kernelsFor(v) ? wasm() : null;
  for (let incol = ktop - 2 * np + 1; incol <= kbot - 2; incol += 2 * np) {
    ut.fill(0, 0, kdu * kdu);
    for (let r = 0; r < kdu; r++) ut[r * kdu + r] = 1;
    if (rt) rt.x.chaseSlab(n, addr(h), ktop, kbot, incol, np, addr(pairs), addr(ut), kdu, addr(v));
    else chaseSlabJs(n, h, ktop, kbot, incol, np, pairs, ut, kdu, v);
    // The rest: columns right of the slab, rows above it, and the Schur vectors, by the block of U the chain
    // touched (0-based rows/columns w0 .. w0+nu-1; Ut's block at uo).
    const ndcol = incol + kdu;
    const k1 = Math.max(1, ktop - incol);
    const nu = kdu - Math.max(0, ndcol - kbot) - k1 + 1;
    if (nu <= 0) continue;
    const w0 = incol + k1 - 1;
    const uo = (k1 - 1) * (kdu + 1);
    const c0 = Math.min(ndcol, kbot); // 0-based first column right of the slab
    const right = i2 - c0 + 1;
    // U's rows are zero outside a band (the chain crosses the slab diagonally: about a quarter of U is zero): the
    // products in the kernels skip those zeros by register tile (about a fifth of their flops at n = 400).
    const ranges = aed.ranges;
    for (let r = 0; r < nu; r++) {
      const row = uo + r * kdu;
      let lo = 0,
        hi = nu;
      while (lo < nu && ut[row + lo] === 0) lo++;
      while (hi > lo && ut[row + hi - 1] === 0) hi--;
      ranges[2 * r] = lo;
      ranges[2 * r + 1] = hi;
    }
    if (right > 0) {
      far.fill(0, 0, nu * right);
      gemmRangedUnchecked(0, nu, right, nu, 1, ut, uo, kdu, h, w0 * n + c0, n, far, 0, right, ranges, null);
      for (let r = 0; r < nu; r++) h.set(far.subarray(r * right, (r + 1) * right), (w0 + r) * n + c0);
    }
    const above = Math.max(ktop, incol) - 1 - i1;
    if (above > 0) {
      far.fill(0, 0, above * nu);
      gemmRangedUnchecked(1, above, nu, nu, 1, h, i1 * n + w0, n, ut, uo, kdu, far, 0, nu, null, ranges);
      for (let r = 0; r < above; r++) h.set(far.subarray(r * nu, (r + 1) * nu), (i1 + r) * n + w0);
    }
    if (zt) {
      far.fill(0, 0, nu * n);
      gemmRangedUnchecked(0, nu, n, nu, 1, ut, uo, kdu, zt, w0 * n, n, far, 0, n, ranges, null);
      zt.set(far.subarray(0, nu * n), w0 * n);
    }
  }
}

function francisQR(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  wr: Float64Array,
  wi: Float64Array,
  wantT: boolean,
  chunk: number,
): void {
  if (!kernelsFor(h)) francisIn(n, h, zt, wr, wi, wantT, chunk);
  else withWorkspace(francisScratch(n, chunk), () => francisIn(n, h, zt, wr, wi, wantT, chunk));
}

/** Doubles of scratch francisQR takes (its chunk's reflectors and, for large n, the deflation window). */
function francisScratch(n: number, chunk: number): number {
  return 3 * chunk + (n >= AED_MIN ? aedScratch(n) : 0) + 256;
}

function francisIn(
  n: number,
  h: Float64Array,
  zt: Float64Array | null,
  wr: Float64Array,
  wi: Float64Array,
  wantT: boolean,
  chunk: number,
): void {
  if (n === 0) return;
  if (n === 1) {
    wr[0] = h[0];
    wi[0] = 0;
    return;
  }
  // Clear below the subdiagonal (callers may pass a Hessenberg matrix with garbage there).
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) h[i * n + j] = 0;
  const ulp = EPS;
  const smlnum = SAFE_MIN * (n / ulp);
  const itmax = 30 * Math.max(10, n);
  // Reflectors per chunk of a sweep (large matrices defer the far updates so the touched rows stay in cache).
  const small = chunk <= SMALL_ORDER && !kernelsFor(h); // small factorisations reuse static arrays (no allocation)
  const refT = small ? smallRefT : scratch(chunk),
    refU1 = small ? smallRefU1 : scratch(chunk),
    refU2 = small ? smallRefU2 : scratch(chunk);
  const aed = n >= AED_MIN ? aedWorkspace(n) : null;
  let kdefl = 0;
  let i = n - 1;
  while (i >= 0) {
    let l = 0;
    let converged = false;
    let exhausted = false; // aggressive early deflation consumed the whole active block
    for (let its = 0; its <= itmax; its++) {
      // A NaN or infinity in the active block never deflates: stop at once (O(nh), against O(nh^2) per sweep).
      let finite = h[i * n + i] * 0;
      for (let k = l; k < i; k++) finite += h[k * n + k] * 0 + h[(k + 1) * n + k] * 0;
      if (finite !== 0) throw new SchurConvergenceError(i, its, true);
      // Look for a single small subdiagonal element.
      let k: number;
      for (k = i; k > l; k--) {
        const hkk1 = Math.abs(h[k * n + k - 1]);
        if (hkk1 <= smlnum) break;
        let tst = Math.abs(h[(k - 1) * n + k - 1]) + Math.abs(h[k * n + k]);
        if (tst === 0) {
          if (k - 2 >= 0) tst += Math.abs(h[(k - 1) * n + k - 2]);
          if (k + 1 <= n - 1) tst += Math.abs(h[(k + 1) * n + k]);
        }
        if (hkk1 <= ulp * tst) {
          // Ahues & Tisseur's conservative deflation criterion.
          const hk1k = Math.abs(h[(k - 1) * n + k]);
          const ab = Math.max(hkk1, hk1k);
          const ba = Math.min(hkk1, hk1k);
          const hkk = Math.abs(h[k * n + k]);
          const diff = Math.abs(h[(k - 1) * n + k - 1] - h[k * n + k]);
          const aa = Math.max(hkk, diff);
          const bb = Math.min(hkk, diff);
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, ulp * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > 0) h[l * n + l - 1] = 0;
      if (l >= i - 1) {
        converged = true;
        break;
      }
      kdefl++;
      const i1 = wantT ? 0 : l;
      const i2 = wantT ? n - 1 : i;

      // Aggressive early deflation on a trailing window, then a multishift sweep with its undeflated eigenvalues as
      // shifts (LAPACK's dlaqr0 loop). A window that covers the active block factorises all of it at once.
      const nh = i - l + 1;
      if (aed !== null && nh >= AED_BLOCK_MIN && kdefl % EXCEPTIONAL_SHIFT_PERIOD !== 0) {
        const nw = windowFor(l, i, aed);
        const nd = aggressiveDeflation(n, h, zt, wantT, l, i, nw, aed);
        qrCounters.windows++;
        if (nd > 0) {
          qrCounters.deflatedByWindows += nd;
          recordBlocks(n, h, i - nd + 1, i, wr, wi);
          i -= nd;
          kdefl = 0;
          if (i < l) {
            exhausted = true;
            break;
          }
          // Skip the sweep when many eigenvalues just deflated or the rest is small (the next window takes it).
          if (nd * 100 > AED_NIBBLE * nw || i - l + 1 <= Math.min(AED_SMALL_REST, aed.nwr)) continue;
        }
        const np = nd >= 0 ? sweepShifts(n, h, l, i, aed) : 0;
        if (np > 0) {
          qrCounters.multishiftSweeps++;
          qrCounters.shiftPairs += np;
          multishiftSweep(n, h, zt, l, i, i1, i2, aed.pairs, np, aed);
          continue;
        }
      }

      // Shifts: the eigenvalues of the trailing 2x2 block, or exceptional ones.
      let h11: number, h12: number, h21: number, h22: number;
      if (kdefl % (2 * EXCEPTIONAL_SHIFT_PERIOD) === 0) {
        const s = Math.abs(h[i * n + i - 1]) + Math.abs(h[(i - 1) * n + i - 2]);
        h11 = 0.75 * s + h[i * n + i];
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else if (kdefl % EXCEPTIONAL_SHIFT_PERIOD === 0) {
        const s = Math.abs(h[(l + 1) * n + l]) + Math.abs(h[(l + 2) * n + l + 1]);
        h11 = 0.75 * s + h[l * n + l];
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else {
        h11 = h[(i - 1) * n + i - 1];
        h21 = h[i * n + i - 1];
        h12 = h[(i - 1) * n + i];
        h22 = h[i * n + i];
      }
      let rt1r: number, rt1i: number, rt2r: number, rt2i: number;
      const s0 = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s0 === 0) {
        rt1r = rt1i = rt2r = rt2i = 0;
      } else {
        h11 /= s0;
        h21 /= s0;
        h12 /= s0;
        h22 /= s0;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          rt1r = tr * s0;
          rt2r = rt1r;
          rt1i = rtdisc * s0;
          rt2i = -rt1i;
        } else {
          // real shifts: use the one closer to h22 twice
          rt1r = tr + rtdisc;
          rt2r = tr - rtdisc;
          if (Math.abs(rt1r - h22) <= Math.abs(rt2r - h22)) {
            rt1r *= s0;
            rt2r = rt1r;
          } else {
            rt2r *= s0;
            rt1r = rt2r;
          }
          rt1i = rt2i = 0;
        }
      }

      qrCounters.doubleShiftSweeps++;
      qrSweep(n, h, zt, l, i, i1, i2, chunk, refT, refU1, refU2, rt1r, rt1i, rt2r, rt2i);
    }
    if (exhausted) continue;
    if (!converged) throw new SchurConvergenceError(i, itmax);

    if (l === i) {
      wr[i] = h[i * n + i];
      wi[i] = 0;
    } else {
      // l === i - 1: a 2x2 block; standardise it.
      const b = standardise(h[(i - 1) * n + i - 1], h[(i - 1) * n + i], h[i * n + i - 1], h[i * n + i], blockScratch);
      h[(i - 1) * n + i - 1] = b.a;
      h[(i - 1) * n + i] = b.b;
      h[i * n + i - 1] = b.c;
      h[i * n + i] = b.d;
      wr[i - 1] = b.rt1r;
      wi[i - 1] = b.rt1i;
      wr[i] = b.rt2r;
      wi[i] = b.rt2i;
      if (wantT) {
        const cs = b.cs,
          sn = b.sn;
        // rows i-1, i over columns i+1..n-1
        const r0 = (i - 1) * n,
          r1 = i * n;
        for (let j = i + 1; j < n; j++) {
          const x = h[r0 + j],
            y = h[r1 + j];
          h[r0 + j] = cs * x + sn * y;
          h[r1 + j] = cs * y - sn * x;
        }
        // columns i-1, i over rows 0..i-2
        for (let j = 0; j <= i - 2; j++) {
          const p = j * n + i - 1;
          const x = h[p],
            y = h[p + 1];
          h[p] = cs * x + sn * y;
          h[p + 1] = cs * y - sn * x;
        }
        if (zt) {
          for (let j = 0; j < n; j++) {
            const x = zt[r0 + j],
              y = zt[r1 + j];
            zt[r0 + j] = cs * x + sn * y;
            zt[r1 + j] = cs * y - sn * x;
          }
        }
      }
    }
    kdefl = 0;
    i = l - 1;
  }
}

/**
 * Orders whose whole Schur factorisation runs in one call of the kernels (asm/schurSmall.ts): from 4 on it takes
 * half the time of the JavaScript factorisation (n = 4 .. 11, warm; at n = 3 they are even).
 */
const ONE_CALL_MIN = 4;
// up to where aggressive early deflation takes over (its unblocked Hessenberg reduction still beats the blocked one
// of the two-call path at n = 170-190: 0.88x of its time)
const ONE_CALL_MAX = AED_MIN - 1;

/**
 * Schur form of the row-major n x n `t` in place (internal to src/linalg): Hessenberg reduction then Francis QR, as
 * hessenbergInPlaceUnchecked then hessenbergQRUnchecked (same contract: zt receives Z^T when given, which needs
 * wantT). For orders ONE_CALL_MIN .. ONE_CALL_MAX with the kernels loaded, both run in ONE call of the kernels
 * (smallSchur in asm/schurSmall.ts: no JavaScript between sweeps); otherwise the two functions run.
 */
export function schurInPlaceUnchecked(
  n: number,
  t: Float64Array,
  zt: Float64Array | null,
  wr: Float64Array,
  wi: Float64Array,
  wantT: boolean,
): void {
  const rt = n >= ONE_CALL_MIN && n <= ONE_CALL_MAX ? wasm() : null;
  if (rt && schurInOneCall(rt, n, t, zt, wr, wi, wantT)) return;
  hessenbergInPlaceUnchecked(n, t, zt);
  hessenbergQRUnchecked(n, t, zt, wr, wi, wantT);
}

/** smallSchur on copies in the kernels' memory (t, zt used in place when they are views of it); false: no room. */
function schurInOneCall(
  rt: WasmRuntime,
  n: number,
  t: Float64Array,
  zt: Float64Array | null,
  wr: Float64Array,
  wi: Float64Array,
  wantT: boolean,
): boolean {
  const nn = n * n;
  const inPlace = kernelsFor(t, zt) !== null;
  const work = rt.x.smallSchurWork(n);
  return withWorkspace((inPlace ? 0 : 2 * nn) + 2 * n + work + 64, (ws) => {
    if (!ws.inWasm) return false;
    const h = inPlace ? t : ws.doubles(nn);
    if (!inPlace) h.set(t.subarray(0, nn));
    const z = zt === null ? null : inPlace ? zt : ws.doubles(nn);
    const re = ws.doubles(n),
      im = ws.doubles(n),
      w = ws.doubles(work);
    const code = rt.x.smallSchur(n, addr(h), z ? addr(z) : 0, addr(re), addr(im), wantT ? 1 : 0, addr(w));
    if (code !== 0) throw new SchurConvergenceError(w[0], w[1], code === 2);
    if (!inPlace) {
      t.set(h);
      if (zt && z) zt.set(z);
    }
    wr.set(re);
    wi.set(im);
    return true;
  });
}

/** Internal: Schur form of the row-major n x n `a` (copied), returning T, Zt = Z^T and the eigenvalues. */
export function realSchurTransposed(a: Matrix): {
  t: Float64Array;
  zt: Float64Array;
  wr: Float64Array;
  wi: Float64Array;
} {
  checkSquareFinite(a, "realSchur");
  const n = a.rows;
  const s = scaleFor(a);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const result = (
    t: Float64Array,
    zt: Float64Array,
  ): { t: Float64Array; zt: Float64Array; wr: Float64Array; wi: Float64Array } => {
    unscale(t, s);
    unscale(wr, s);
    unscale(wi, s);
    return { t, zt, wr, wi };
  };
  if (n < WASM_MIN_ORDER) {
    const t = new Float64Array(n * n);
    scaleInto(t, a.data, s);
    const zt = new Float64Array(n * n);
    schurInPlaceUnchecked(n, t, zt, wr, wi, true);
    return result(t, zt);
  }
  return withWorkspace(schurScratch(n), () => {
    const t = scratch(n * n);
    scaleInto(t, a.data, s);
    const zt = scratch(n * n);
    schurInPlaceUnchecked(n, t, zt, wr, wi, true);
    return result(t.slice(), zt.slice());
  });
}

/** Doubles of scratch a Schur factorisation of order n takes (its two matrices included). */
export function schurScratch(n: number): number {
  return 2 * n * n + Math.max(hessenbergScratch(n), francisScratch(n, n > 256 ? SWEEP_CHUNK : n)) + 256;
}

/**
 * Real Schur decomposition A = Z T Z^T: Z orthogonal, T quasi-upper-triangular with 1x1 blocks for real eigenvalues
 * and standardised 2x2 blocks [a b; c a] (b c < 0) for complex-conjugate pairs. Throws MatrixArgumentError for a
 * non-square matrix or a non-finite entry, and SchurConvergenceError if the QR iteration fails (in practice never for
 * finite input: huge or tiny matrices are scaled by a power of two first).
 *
 * @example
 * ```ts
 * import { fromRows, multiply, realSchur, transpose, maxAbs } from "ness/linalg";
 *
 * const A = fromRows([[1, 2], [-3, 4]]);
 * const { T, Z } = realSchur(A); // A = Z T Z^T, Z orthogonal, T quasi-upper-triangular
 * const back = multiply(multiply(Z, T), transpose(Z));
 * console.log(maxAbs(fromRows([[back.data[0] - 1, back.data[1] - 2], [back.data[2] + 3, back.data[3] - 4]])) < 1e-14); // => true
 * ```
 */
export function realSchur(a: Matrix): { T: Matrix; Z: Matrix } {
  const { t, zt } = realSchurTransposed(a);
  const n = a.rows;
  return { T: matrix(n, n, t), Z: transpose(matrix(n, n, zt)) };
}

/**
 * Eigenvalues of the upper Hessenberg/quasi-triangular scratch copy of `a` (no Schur vectors).
 *
 * @example
 * ```ts
 * import { fromRows, schurEigenvalues } from "ness/linalg";
 *
 * const { re } = schurEigenvalues(fromRows([[2, 1], [0, 3]]));
 * console.log([...re].sort().join(",")); // => 2,3
 * ```
 */
export function schurEigenvalues(a: Matrix): { re: Float64Array; im: Float64Array } {
  checkSquareFinite(a, "eigenvalues");
  const n = a.rows;
  const s = scaleFor(a);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  if (n < WASM_MIN_ORDER) {
    const h = new Float64Array(n * n);
    scaleInto(h, a.data, s);
    schurInPlaceUnchecked(n, h, null, re, im, false);
  } else {
    withWorkspace(schurScratch(n), () => {
      const h = scratch(n * n);
      scaleInto(h, a.data, s);
      schurInPlaceUnchecked(n, h, null, re, im, false);
    });
  }
  unscale(re, s);
  unscale(im, s);
  return { re, im };
}
