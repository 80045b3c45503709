/**
 * Triangular Lyapunov equations T Y + Y T^T = C for T quasi-upper-triangular (a standardised real Schur form: 1x1
 * blocks and 2x2 blocks of complex-conjugate pairs), Y and C symmetric: the inner step of the Bartels-Stewart solver
 * (lyapunov.ts) and of its condition estimator. Internal to src/linalg (not re-exported from the package).
 *
 *  - solveQuasiTriangularLyapunov: column block by column block, block pairs by Gaussian elimination (level 2);
 *  - solveQuasiTriangularLyapunovBlocked: the same, able to solve only the leading block when C vanishes outside it;
 *    with the JavaScript kernels from BLOCKED_MIN_N on by panels, most of the work in matrix-matrix products
 *    (level 3).
 *
 * Both run the WebAssembly kernel of the column-block solve (asm/lyapunov.ts, one call per solve) when t, c and y are
 * views of the kernels' memory (src/linalg/wasm/runtime.ts; the Lyapunov solver keeps its factorisation there during
 * a solve); the blocked entry also copies ordinary arrays there from KERNEL_COPY_MIN_N on (O(n^2) against O(n^3)
 * work). The JavaScript solves (solveQuasiTriangularLyapunovJs and the panels) are the fallback and the cross-check.
 * Arguments are not checked here: the callers (lyapunov.ts) validate A and Q.
 */
import { gemmNNUnchecked, gemmNTUnchecked, mirrorUpperUnchecked } from "./gemm.js";
import { type WasmRuntime, addr, inMemory, wasm, withWorkspace } from "./wasm/runtime.js";

const small = new Float64Array(20); // 4x4 system + rhs for one block pair

/** Solves [a b; c d] x = (r0, r1) by Gaussian elimination with partial pivoting into out[0..1]. */
function solve2(a: number, b: number, c: number, d: number, r0: number, r1: number, out: Float64Array): boolean {
  if (Math.abs(c) > Math.abs(a)) {
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
  if (a === 0) return false;
  const l = c / a;
  const u = d - l * b;
  if (u === 0) return false;
  const x1 = (r1 - l * r0) / u;
  out[0] = (r0 - b * x1) / a;
  out[1] = x1;
  return Number.isFinite(out[0]) && Number.isFinite(x1);
}

const sys3 = new Float64Array(12);

/** Solves the 3x3 system (row-major a..i) x = (r0, r1, r2) with partial pivoting into out[0..2]. */
function solve3(
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  g: number,
  h: number,
  i: number,
  r0: number,
  r1: number,
  r2: number,
  out: Float64Array,
): boolean {
  const m = sys3;
  m[0] = a;
  m[1] = b;
  m[2] = c;
  m[3] = r0;
  m[4] = d;
  m[5] = e;
  m[6] = f;
  m[7] = r1;
  m[8] = g;
  m[9] = h;
  m[10] = i;
  m[11] = r2;
  for (let k = 0; k < 3; k++) {
    let p = k;
    for (let r = k + 1; r < 3; r++) if (Math.abs(m[r * 4 + k]) > Math.abs(m[p * 4 + k])) p = r;
    if (m[p * 4 + k] === 0) return false;
    if (p !== k) {
      for (let col = k; col < 4; col++) {
        const tmp = m[k * 4 + col];
        m[k * 4 + col] = m[p * 4 + col];
        m[p * 4 + col] = tmp;
      }
    }
    for (let r = k + 1; r < 3; r++) {
      const l = m[r * 4 + k] / m[k * 4 + k];
      if (l === 0) continue;
      for (let col = k + 1; col < 4; col++) m[r * 4 + col] -= l * m[k * 4 + col];
    }
  }
  const x2 = m[11] / m[10];
  const x1 = (m[7] - m[6] * x2) / m[5];
  const x0 = (m[3] - m[1] * x1 - m[2] * x2) / m[0];
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  return Number.isFinite(x0) && Number.isFinite(x1) && Number.isFinite(x2);
}
const smallPerm = new Int32Array(4);

/**
 * Solves P Y + Y R^T = rhs for a pw x qw block Y (pw, qw in {1, 2}); P = T[p0.., p0..], R = T[q0.., q0..] of the
 * n x n row-major t. rhs/out are pw x qw row-major (out may alias rhs). Gaussian elimination with complete
 * pivoting; throws (returns false) on an exactly singular block.
 */
function solveBlockPair(
  t: Float64Array,
  n: number,
  p0: number,
  pw: number,
  q0: number,
  qw: number,
  rhs: Float64Array,
  out: Float64Array,
): boolean {
  if (pw === 1 && qw === 1) {
    const d = t[p0 * n + p0] + t[q0 * n + q0];
    if (d === 0) return false;
    out[0] = rhs[0] / d;
    return true;
  }
  if (pw === 2 && qw === 1) {
    // (P + r I) y = rhs
    const d = t[q0 * n + q0];
    const i0 = p0 * n + p0,
      i1 = i0 + n;
    return solve2(t[i0] + d, t[i0 + 1], t[i1], t[i1 + 1] + d, rhs[0], rhs[1], out);
  }
  if (pw === 1 && qw === 2) {
    // y (p I + R^T) = rhs  <=>  (R + p I) y^T = rhs^T
    const d = t[p0 * n + p0];
    const i0 = q0 * n + q0,
      i1 = i0 + n;
    return solve2(t[i0] + d, t[i0 + 1], t[i1], t[i1 + 1] + d, rhs[0], rhs[1], out);
  }
  if (p0 === q0) {
    // diagonal 2x2 block, symmetric Y = [y0 y1; y1 y2]: three equations
    const i0 = p0 * n + p0,
      i1 = i0 + n;
    const a = t[i0],
      b = t[i0 + 1],
      c = t[i1],
      d = t[i1 + 1];
    if (!solve3(2 * a, 2 * b, 0, c, a + d, b, 0, 2 * c, 2 * d, rhs[0], 0.5 * (rhs[1] + rhs[2]), rhs[3], out))
      return false;
    out[3] = out[2];
    out[2] = out[1];
    return true;
  }
  const m = pw * qw;
  const K = small;
  K.fill(0, 0, m * m);
  // unknown index u = a*qw + b ; equation (a, b): sum_k P[a,k] Y[k,b] + sum_k Y[a,k] R[b,k]
  for (let a = 0; a < pw; a++) {
    for (let bb = 0; bb < qw; bb++) {
      const row = (a * qw + bb) * m;
      for (let k = 0; k < pw; k++) K[row + k * qw + bb] += t[(p0 + a) * n + p0 + k];
      for (let k = 0; k < qw; k++) K[row + a * qw + k] += t[(q0 + bb) * n + q0 + k];
    }
  }
  const rhsOff = 16;
  for (let u = 0; u < m; u++) K[rhsOff + u] = rhs[u];
  const perm = smallPerm; // column permutation (unknown order)
  for (let u = 0; u < m; u++) perm[u] = u;
  for (let k = 0; k < m; k++) {
    // complete pivoting
    let br = k,
      bc = k,
      best = -1;
    for (let r = k; r < m; r++) {
      for (let c = k; c < m; c++) {
        const v = Math.abs(K[r * m + c]);
        if (v > best) {
          best = v;
          br = r;
          bc = c;
        }
      }
    }
    if (best === 0 || !Number.isFinite(best)) return false;
    if (br !== k) {
      for (let c = 0; c < m; c++) {
        const tmp = K[k * m + c];
        K[k * m + c] = K[br * m + c];
        K[br * m + c] = tmp;
      }
      const tmp = K[rhsOff + k];
      K[rhsOff + k] = K[rhsOff + br];
      K[rhsOff + br] = tmp;
    }
    if (bc !== k) {
      for (let r = 0; r < m; r++) {
        const tmp = K[r * m + k];
        K[r * m + k] = K[r * m + bc];
        K[r * m + bc] = tmp;
      }
      const tp = perm[k];
      perm[k] = perm[bc];
      perm[bc] = tp;
    }
    const inv = 1 / K[k * m + k];
    for (let r = k + 1; r < m; r++) {
      const f = K[r * m + k] * inv;
      if (f === 0) continue;
      for (let c = k + 1; c < m; c++) K[r * m + c] -= f * K[k * m + c];
      K[rhsOff + r] -= f * K[rhsOff + k];
    }
  }
  for (let k = m - 1; k >= 0; k--) {
    let s = K[rhsOff + k];
    for (let c = k + 1; c < m; c++) s -= K[k * m + c] * K[rhsOff + c];
    K[rhsOff + k] = s / K[k * m + k];
  }
  for (let u = 0; u < m; u++) out[perm[u]] = K[rhsOff + u];
  return true;
}

/** Doubles of work of the WebAssembly kernel for order n (asm/lyapunov.ts lyapTriangularWork, checked in tests). */
export function triangularWorkSize(n: number): number {
  return 2 * n + 32 + ((n + 1) >> 1);
}

/**
 * The WebAssembly kernel of solveQuasiTriangularLyapunov (asm/lyapunov.ts) on the n x n blocks at offsets tOff, cOff,
 * yOff (leading dimension ld) of views of its memory: true when solved, false when a block pair is singular, null
 * when the kernels' memory has no room for its work (the caller then solves in JavaScript). `work` is used as the
 * kernel's work when it is a view of its memory with triangularWorkSize(n) doubles (no workspace is opened then).
 */
export function solveTriangularInKernel(
  rt: WasmRuntime,
  n: number,
  ld: number,
  t: Float64Array,
  tOff: number,
  c: Float64Array,
  cOff: number,
  y: Float64Array,
  yOff: number,
  mirror: boolean,
  work?: Float64Array,
): boolean | null {
  const size = triangularWorkSize(n);
  const call = (w: Float64Array): boolean =>
    rt.x.lyapTriangular(n, addr(t, tOff), ld, addr(c, cOff), ld, addr(y, yOff), ld, addr(w), +mirror) === 1;
  if (work && work.length >= size && inMemory(rt, work)) return call(work);
  return withWorkspace(size, (ws) => (ws.inWasm ? call(ws.doubles(size)) : null), 2);
}

/**
 * Solves T Y + Y T^T = C for symmetric Y, T quasi-upper-triangular (standardised real Schur form) n x n row-major.
 * Reads the upper triangle of C (plus the lower entry of each 2x2 diagonal block is taken from the upper one);
 * writes the full symmetric Y. `ycol` needs 2n entries (triangularWorkSize(n) to serve as the kernel's work).
 * Returns false if a block pair is exactly singular. When t, c and y are views of the WebAssembly kernels' memory,
 * the kernel solves (solveTriangularInKernel).
 */
export function solveQuasiTriangularLyapunov(
  n: number,
  t: Float64Array,
  c: Float64Array,
  y: Float64Array,
  blockStart: Int32Array,
  blockSize: Int32Array,
  nBlocks: number,
  ycol: Float64Array,
): boolean {
  const rt = wasm();
  if (rt && inMemory(rt, t) && inMemory(rt, c) && inMemory(rt, y)) {
    const ok = solveTriangularInKernel(rt, n, n, t, 0, c, 0, y, 0, true, ycol);
    if (ok !== null) return ok;
  }
  return solveQuasiTriangularLyapunovJs(n, t, c, y, blockStart, blockSize, nBlocks, ycol);
}

/** solveQuasiTriangularLyapunov in JavaScript (the fallback and cross-check of the kernel). */
export function solveQuasiTriangularLyapunovJs(
  n: number,
  t: Float64Array,
  c: Float64Array,
  y: Float64Array,
  blockStart: Int32Array,
  blockSize: Int32Array,
  nBlocks: number,
  ycol: Float64Array,
): boolean {
  const rhs = new Float64Array(4); // per-block scratch (hoisted: one allocation per solve)
  const out = new Float64Array(4);
  const y0 = ycol; // column q0 of the current column block, rows 0..qe-1
  const y1 = ycol.subarray(n); // column q0 + 1 (2x2 column blocks)
  for (let qb = nBlocks - 1; qb >= 0; qb--) {
    const q0 = blockStart[qb],
      qw = blockSize[qb],
      qe = q0 + qw;
    const tail = n - qe;
    // Right-hand sides for rows 0..qe-1: C[p, c] - Y[p, qe:] . T[c, qe:] - T[p, qe:] . Y[c, qe:].
    for (let p = 0; p < qe; p++) {
      const yp = p * n + qe,
        tp = p * n + qe;
      for (let cc = 0; cc < qw; cc++) {
        const col = q0 + cc;
        const yc = col * n + qe,
          tc = col * n + qe;
        let s = p <= col ? c[p * n + col] : c[col * n + p];
        if (tail > 0) {
          let d0 = 0,
            d1 = 0;
          for (let l = 0; l < tail; l++) {
            d0 += y[yp + l] * t[tc + l];
            d1 += t[tp + l] * y[yc + l];
          }
          s -= d0 + d1;
        }
        (cc === 0 ? y0 : y1)[p] = s;
      }
    }
    // Back substitution over row blocks pb = qb .. 0.
    for (let pb = qb; pb >= 0; pb--) {
      const p0 = blockStart[pb],
        pw = blockSize[pb],
        pe = p0 + pw;
      for (let a = 0; a < pw; a++) {
        const p = p0 + a;
        const tp = p * n;
        let s0 = y0[p];
        let s1 = qw === 2 ? y1[p] : 0;
        for (let r = pe; r < qe; r++) {
          const tpr = t[tp + r];
          if (tpr === 0) continue;
          s0 -= tpr * y0[r];
          if (qw === 2) s1 -= tpr * y1[r];
        }
        rhs[a * qw] = s0;
        if (qw === 2) rhs[a * qw + 1] = s1;
      }
      if (!solveBlockPair(t, n, p0, pw, q0, qw, rhs, out)) return false;
      if (pb === qb && qw === 2) {
        // diagonal 2x2 block: symmetric in exact arithmetic
        const off = 0.5 * (out[1] + out[2]);
        out[1] = off;
        out[2] = off;
      }
      for (let a = 0; a < pw; a++) {
        const p = p0 + a;
        y0[p] = out[a * qw];
        y[p * n + q0] = out[a * qw];
        if (qw === 2) {
          y1[p] = out[a * qw + 1];
          y[p * n + q0 + 1] = out[a * qw + 1];
        }
      }
    }
  }
  mirrorUpperUnchecked(n, y);
  return true;
}

export const PANEL = 16; // columns per panel of the blocked triangular solve
export const BLOCKED_MIN_N = 96; // below this the unblocked solve is as fast (JavaScript kernels)
/**
 * From this order the WebAssembly kernel solves ordinary arrays too, on copies in its memory (below it, the copies
 * and the call cost more than they save; the solver keeps its arrays in that memory from the same order).
 */
export const KERNEL_COPY_MIN_N = 12;

/**
 * The same solve as solveQuasiTriangularLyapunov, able to solve only the leading block when C vanishes outside it
 * (`active`: C vanishes outside its leading active x active block, hence so does Y, and only that block, extended to
 * whole diagonal blocks, is solved). Same arguments and result (c and y must not alias).
 *
 * With the WebAssembly kernels the whole solve is one call of the kernel (asm/lyapunov.ts): column block by column
 * block with f64x2 dot products below order 128, by panels of about 64 columns with its own gemm from there on (the
 * same organisation as below, 13 GFlop/s at n = 1000 against 8 for the column-block kernel). With
 * the JavaScript kernels, from BLOCKED_MIN_N on, it runs by panels of about PANEL columns so that most of the work is
 * in matrix-matrix products (the level-3 organisation of Jonsson and Kagstrom's recursive Sylvester solvers): for the
 * panel J of columns j0..j1-1, rows 0..j1-1,
 *   R[:, J] = C[:, J] - Y[:, j1:] T[J, j1:]^T - T[:, j1:] Y[J, j1:]^T          (columns right of J, solved)
 * then row panels I = J, J-1, ..., 0:
 *   R[I, J] -= T[I, I_end:j1] Y[I_end:j1, J],   T_II Y_IJ + Y_IJ T_JJ^T = R_IJ  (small Sylvester; Lyapunov if I = J).
 */
export function solveQuasiTriangularLyapunovBlocked(
  n: number,
  t: Float64Array,
  c: Float64Array,
  y: Float64Array,
  blockStart: Int32Array,
  blockSize: Int32Array,
  nBlocks: number,
  ycol: Float64Array,
  active = n,
): boolean {
  let nbA = 0;
  while (nbA < nBlocks && blockStart[nbA] < active) nbA++;
  const m = nbA === 0 ? 0 : blockStart[nbA - 1] + blockSize[nbA - 1]; // solved dimension
  const rt = wasm();
  if (rt && m > 0) {
    if (inMemory(rt, t) && inMemory(rt, c) && inMemory(rt, y)) {
      if (m < n) y.fill(0, 0, n * n);
      const ok = solveTriangularInKernel(rt, m, n, t, 0, c, 0, y, 0, true, ycol);
      if (ok !== null) return ok;
    } else if (n >= KERNEL_COPY_MIN_N) {
      // ordinary arrays: solve on copies in the kernels' memory (when it has room)
      const ok = withWorkspace(3 * n * n + 64, (ws) => {
        if (!ws.inWasm) return null;
        const tw = ws.doubles(n * n),
          cw = ws.doubles(n * n),
          yw = ws.doubles(n * n);
        tw.set(t.subarray(0, n * n));
        cw.set(c.subarray(0, n * n));
        const solved = solveTriangularInKernel(rt, m, n, tw, 0, cw, 0, yw, 0, true);
        if (solved !== null) y.set(yw);
        return solved;
      });
      if (ok !== null) return ok;
    }
  }
  if (m === n && n < BLOCKED_MIN_N)
    return solveQuasiTriangularLyapunovJs(n, t, c, y, blockStart, blockSize, nBlocks, ycol);
  return solveBlocked(n, t, c, y, blockStart, blockSize, ycol, m, nbA);
}

/** solveQuasiTriangularLyapunovBlocked on the leading m x m block (nbA diagonal blocks), m = n or C zero beyond. */
function solveBlocked(
  n: number,
  t: Float64Array,
  c: Float64Array,
  y: Float64Array,
  blockStart: Int32Array,
  blockSize: Int32Array,
  ycol: Float64Array,
  m: number,
  nbA: number,
): boolean {
  if (m < n) y.fill(0, 0, n * n);
  if (m < BLOCKED_MIN_N) {
    // small leading block: unblocked, on contiguous copies
    const tm = new Float64Array(m * m),
      cm = new Float64Array(m * m),
      ym = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      tm.set(t.subarray(i * n, i * n + m), i * m);
      cm.set(c.subarray(i * n, i * n + m), i * m);
    }
    if (!solveQuasiTriangularLyapunovJs(m, tm, cm, ym, blockStart, blockSize, nbA, ycol)) return false;
    for (let i = 0; i < m; i++) y.set(ym.subarray(i * m, i * m + m), i * n);
    return true;
  }
  // panels: runs of whole diagonal blocks, about PANEL columns each
  const panelStart: number[] = [];
  const panelFirstBlock: number[] = [];
  for (let b = 0; b < nbA;) {
    panelStart.push(blockStart[b]);
    panelFirstBlock.push(b);
    const s0 = blockStart[b];
    while (b < nbA && blockStart[b] - s0 < PANEL) b++;
  }
  const nPanels = panelStart.length;
  panelStart.push(m);
  panelFirstBlock.push(nbA);
  if (m === n) y.set(c.subarray(0, n * n));
  else for (let i = 0; i < m; i++) y.set(c.subarray(i * n, i * n + m), i * n);
  const maxW = PANEL + 1;
  const tSmall = new Float64Array(maxW * maxW),
    cSmall = new Float64Array(maxW * maxW),
    ySmall = new Float64Array(maxW * maxW),
    colSmall = new Float64Array(2 * maxW);
  const tI = new Float64Array(maxW * maxW),
    r = new Float64Array(maxW * maxW);
  const bsSmall = new Int32Array(maxW),
    bzSmall = new Int32Array(maxW);
  const rhs = new Float64Array(4),
    out = new Float64Array(4);
  for (let J = nPanels - 1; J >= 0; J--) {
    const j0 = panelStart[J],
      j1 = panelStart[J + 1],
      jw = j1 - j0;
    if (j1 < m) {
      // R[0:j1, J] -= Y[0:j1, j1:m] T[J, j1:m]^T + T[0:j1, j1:m] Y[J, j1:m]^T
      gemmNTUnchecked(j1, jw, m - j1, -1, y, j1, n, t, j0 * n + j1, n, y, j0, n);
      gemmNTUnchecked(j1, jw, m - j1, -1, t, j1, n, y, j0 * n + j1, n, y, j0, n);
    }
    // diagonal panel: T_JJ Y_JJ + Y_JJ T_JJ^T = R_JJ, solved on a contiguous copy
    for (let i = 0; i < jw; i++) {
      for (let j = 0; j < jw; j++) {
        tSmall[i * jw + j] = t[(j0 + i) * n + j0 + j];
        cSmall[i * jw + j] = y[(j0 + i) * n + j0 + j];
      }
    }
    const fb = panelFirstBlock[J],
      nb = panelFirstBlock[J + 1] - fb;
    for (let b = 0; b < nb; b++) {
      bsSmall[b] = blockStart[fb + b] - j0;
      bzSmall[b] = blockSize[fb + b];
    }
    if (!solveQuasiTriangularLyapunovJs(jw, tSmall, cSmall, ySmall, bsSmall, bzSmall, nb, colSmall)) return false;
    for (let i = 0; i < jw; i++) for (let j = 0; j < jw; j++) y[(j0 + i) * n + j0 + j] = ySmall[i * jw + j];
    // row panels above the diagonal
    for (let I = J - 1; I >= 0; I--) {
      const i0 = panelStart[I],
        i1 = panelStart[I + 1],
        iw = i1 - i0;
      // R[I, J] -= T[I, i1:j1] Y[i1:j1, J]
      gemmNNUnchecked(iw, jw, j1 - i1, -1, t, i0 * n + i1, n, y, i1 * n + j0, n, y, i0 * n + j0, n);
      // T_II Y_IJ + Y_IJ T_JJ^T = R_IJ on contiguous copies (T_JJ is in tSmall), block pair by block pair from the
      // bottom right
      for (let i = 0; i < iw; i++) {
        for (let k = 0; k < iw; k++) tI[i * iw + k] = t[(i0 + i) * n + i0 + k];
        for (let j = 0; j < jw; j++) r[i * jw + j] = y[(i0 + i) * n + j0 + j];
      }
      for (let qb = panelFirstBlock[J + 1] - 1; qb >= fb; qb--) {
        const q0 = blockStart[qb] - j0,
          qw = blockSize[qb],
          qe = q0 + qw;
        for (let pb = panelFirstBlock[I + 1] - 1; pb >= panelFirstBlock[I]; pb--) {
          const p0 = blockStart[pb] - i0,
            pw = blockSize[pb],
            pe = p0 + pw;
          if (pw === 1 && qw === 1) {
            // the common case, inline: (t_pp + t_qq) y_pq = rhs
            let v = r[p0 * jw + q0];
            for (let k = pe; k < iw; k++) v -= tI[p0 * iw + k] * r[k * jw + q0];
            for (let l = qe; l < jw; l++) v -= r[p0 * jw + l] * tSmall[q0 * jw + l];
            const d = tI[p0 * iw + p0] + tSmall[q0 * jw + q0];
            if (d === 0) return false;
            r[p0 * jw + q0] = v / d;
            continue;
          }
          for (let a = 0; a < pw; a++) {
            const p = p0 + a;
            for (let b = 0; b < qw; b++) {
              const q = q0 + b;
              let v = r[p * jw + q];
              for (let k = pe; k < iw; k++) v -= tI[p * iw + k] * r[k * jw + q];
              for (let l = qe; l < jw; l++) v -= r[p * jw + l] * tSmall[q * jw + l];
              rhs[a * qw + b] = v;
            }
          }
          if (!solveBlockPair(t, n, p0 + i0, pw, q0 + j0, qw, rhs, out)) return false;
          for (let a = 0; a < pw; a++) for (let b = 0; b < qw; b++) r[(p0 + a) * jw + q0 + b] = out[a * qw + b];
        }
      }
      for (let i = 0; i < iw; i++) for (let j = 0; j < jw; j++) y[(i0 + i) * n + j0 + j] = r[i * jw + j];
    }
  }
  if (m === n) mirrorUpperUnchecked(n, y);
  else for (let i = 1; i < m; i++) for (let j = 0; j < i; j++) y[i * n + j] = y[j * n + i];
  return true;
}

/**
 * The 1x1 and 2x2 diagonal blocks of a quasi-upper-triangular n x n row-major t (from its subdiagonal), into `start`
 * and `size` (n entries each; new arrays by default).
 */
export function diagonalBlocks(
  n: number,
  t: Float64Array,
  start: Int32Array = new Int32Array(n),
  size: Int32Array = new Int32Array(n),
): { start: Int32Array; size: Int32Array; count: number } {
  let count = 0;
  for (let i = 0; i < n;) {
    const w = i + 1 < n && t[(i + 1) * n + i] !== 0 ? 2 : 1;
    start[count] = i;
    size[count] = w;
    count++;
    i += w;
  }
  return { start, size, count };
}
