/**
 * Real Schur decomposition A = Z T Z^T of a dense real matrix: Householder reduction to upper Hessenberg form, then
 * Francis implicit double-shift QR with deflation and exceptional shifts (the scheme of LAPACK's dlahqr), with
 * every 2x2 diagonal block of T standardised as by dlanv2 (equal diagonal entries, complex-conjugate eigenvalues).
 *
 * Internally the orthogonal factor is kept transposed (Zt = Z^T, row j = Schur vector j) so that every update of it
 * walks memory contiguously in the row-major layout.
 */

import { type Matrix, matrix, transpose } from "./matrix.js";

const EPS = 2 ** -52; // spacing of doubles at 1 (LAPACK dlamch('P'))
const SAFE_MIN = 2 ** -1022; // smallest normal double
const EXCEPTIONAL_SHIFT_PERIOD = 10; // iterations without deflation before an ad hoc shift (dlahqr's KEXSH)

/** Thrown when the QR iteration does not deflate an eigenvalue within its iteration budget. */
export class SchurConvergenceError extends Error {
  override name = "SchurConvergenceError";
  constructor(
    readonly index: number,
    readonly iterations: number,
  ) {
    super(
      `real Schur decomposition failed to converge: eigenvalue ${index} not deflated after ${iterations} QR iterations` +
        " (matrix may contain NaN/Inf or be extremely badly scaled)",
    );
  }
}

function checkSquareFinite(a: Matrix, what: string): void {
  if (a.rows !== a.cols) throw new RangeError(`${what} needs a square matrix, got ${a.rows}x${a.cols}`);
  for (const x of a.data) if (!Number.isFinite(x)) throw new RangeError(`${what}: matrix has a non-finite entry`);
}

/**
 * In-place Householder reduction of the n x n row-major `h` to upper Hessenberg form. When `zt` is given it receives
 * Q^T where A = Q H Q^T. `work` needs 2n entries (reflector and a row accumulator). Entries below the first
 * subdiagonal are set to exactly zero.
 */
export function hessenbergInPlace(n: number, h: Float64Array, zt: Float64Array | null, work?: Float64Array): void {
  const w = work ?? new Float64Array(2 * n);
  const v = w; // v[0..len) : reflector, v[0] = 1
  const acc = w.subarray(n); // acc[j] : row accumulator for the left update
  const taus = zt ? new Float64Array(Math.max(n, 1)) : null;
  for (let k = 0; k < n - 2; k++) {
    const r0 = k + 1; // first row touched by reflector k
    const len = n - r0;
    // Reflector annihilating h[k+2.., k].
    const alpha = h[r0 * n + k];
    let xnorm2 = 0;
    let scale = 0;
    for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(h[(r0 + i) * n + k]));
    if (scale > 0) {
      for (let i = 1; i < len; i++) {
        const y = h[(r0 + i) * n + k] / scale;
        xnorm2 += y * y;
      }
    }
    if (scale === 0) {
      if (taus) taus[k] = 0;
      continue;
    }
    const xnorm = scale * Math.sqrt(xnorm2);
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    v[0] = 1;
    for (let i = 1; i < len; i++) v[i] = h[(r0 + i) * n + k] * inv;
    if (taus) taus[k] = tau;
    // Column k becomes (beta, 0, ..., 0) below the diagonal.
    h[r0 * n + k] = beta;
    for (let i = 1; i < len; i++) h[(r0 + i) * n + k] = zt ? v[i] : 0; // keep v for the accumulation of Q
    // Left update: rows r0.., columns k+1..n-1:  H <- (I - tau v v^T) H.
    const c0 = k + 1;
    for (let j = c0; j < n; j++) acc[j] = 0;
    for (let i = 0; i < len; i++) {
      const vi = v[i];
      const row = (r0 + i) * n;
      for (let j = c0; j < n; j++) acc[j] += vi * h[row + j];
    }
    for (let i = 0; i < len; i++) {
      const f = tau * v[i];
      const row = (r0 + i) * n;
      for (let j = c0; j < n; j++) h[row + j] -= f * acc[j];
    }
    // Right update: all rows, columns r0..n-1:  H <- H (I - tau v v^T).
    for (let r = 0; r < n; r++) {
      const row = r * n + r0;
      let s = 0;
      for (let i = 0; i < len; i++) s += h[row + i] * v[i];
      if (s === 0) continue;
      s *= tau;
      for (let i = 0; i < len; i++) h[row + i] -= s * v[i];
    }
  }
  if (!zt) return;
  // Zt = Q^T = H_{n-3} ... H_1 H_0, built backwards: Zt[k+1.., k+1..] <- Zt[k+1.., k+1..] H_k.
  zt.fill(0);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const tau = taus![k];
    const r0 = k + 1;
    const len = n - r0;
    v[0] = 1;
    for (let i = 1; i < len; i++) {
      v[i] = h[(r0 + i) * n + k];
      h[(r0 + i) * n + k] = 0;
    }
    if (tau === 0) continue;
    for (let r = r0; r < n; r++) {
      const row = r * n + r0;
      let s = 0;
      for (let i = 0; i < len; i++) s += zt[row + i] * v[i];
      if (s === 0) continue;
      s *= tau;
      for (let i = 0; i < len; i++) zt[row + i] -= s * v[i];
    }
  }
}

/** Upper Hessenberg form A = Q H Q^T (Householder). */
export function hessenberg(a: Matrix): { H: Matrix; Q: Matrix } {
  checkSquareFinite(a, "hessenberg");
  const n = a.rows;
  const h = a.data.slice();
  const zt = new Float64Array(n * n);
  hessenbergInPlace(n, h, zt);
  return { H: matrix(n, n, h), Q: transpose(matrix(n, n, zt)) };
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

const signOf = (x: number): number => (x < 0 || Object.is(x, -0) ? -1 : 1);

/**
 * Schur factorisation of a real 2x2 block [a b; c d] = [cs -sn; sn cs] [a' b'; c' d'] [cs sn; -sn cs] where either
 * c' = 0 (real eigenvalues a', d') or a' = d' and b' c' < 0 (complex pair a' +- i sqrt(-b'c')). Written after the
 * specification of LAPACK's dlanv2. The result is written into `out` (no allocation).
 */
export function standardiseBlock(a: number, b: number, c: number, d: number, out: StandardBlock): StandardBlock {
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
  let kdefl = 0;
  let i = n - 1;
  while (i >= 0) {
    let l = 0;
    let converged = false;
    for (let its = 0; its <= itmax; its++) {
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
        const h11b =
          Math.abs(v0) * (Math.abs(h[(m - 1) * n + m - 1]) + Math.abs(hmm) + Math.abs(h[(m + 1) * n + m + 1]));
        if (h00 <= ulp * h11b) break;
      }

      // Double-shift QR sweep: chase the bulge from row m down to row i.
      for (let k = m; k <= i - 1; k++) {
        const nr = Math.min(3, i - k + 1);
        if (k > m) {
          v0 = h[k * n + k - 1];
          v1 = h[(k + 1) * n + k - 1];
          v2 = nr === 3 ? h[(k + 2) * n + k - 1] : 0;
        }
        // Householder reflector P = I - t1 [1 u1 u2][1 u1 u2]^T with P [v0 v1 v2]^T = [beta 0 0]^T.
        const alpha = v0;
        const xnorm = nr === 3 ? Math.hypot(v1, v2) : Math.abs(v1);
        let t1 = 0,
          u1 = 0,
          u2 = 0,
          beta = alpha;
        if (xnorm !== 0) {
          beta = -signOf(alpha) * Math.hypot(alpha, xnorm);
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
        if (t1 === 0) continue;
        const t2 = t1 * u1;
        if (nr === 3) {
          const t3 = t1 * u2;
          const r0 = k * n,
            r1 = r0 + n,
            r2 = r1 + n;
          for (let j = k; j <= i2; j++) {
            const sum = h[r0 + j] + u1 * h[r1 + j] + u2 * h[r2 + j];
            h[r0 + j] -= sum * t1;
            h[r1 + j] -= sum * t2;
            h[r2 + j] -= sum * t3;
          }
          const jmax = Math.min(k + 3, i);
          for (let j = i1; j <= jmax; j++) {
            const p = j * n + k;
            const sum = h[p] + u1 * h[p + 1] + u2 * h[p + 2];
            h[p] -= sum * t1;
            h[p + 1] -= sum * t2;
            h[p + 2] -= sum * t3;
          }
          if (zt) {
            for (let j = 0; j < n; j++) {
              const sum = zt[r0 + j] + u1 * zt[r1 + j] + u2 * zt[r2 + j];
              zt[r0 + j] -= sum * t1;
              zt[r1 + j] -= sum * t2;
              zt[r2 + j] -= sum * t3;
            }
          }
        } else {
          const r0 = k * n,
            r1 = r0 + n;
          for (let j = k; j <= i2; j++) {
            const sum = h[r0 + j] + u1 * h[r1 + j];
            h[r0 + j] -= sum * t1;
            h[r1 + j] -= sum * t2;
          }
          for (let j = i1; j <= i; j++) {
            const p = j * n + k;
            const sum = h[p] + u1 * h[p + 1];
            h[p] -= sum * t1;
            h[p + 1] -= sum * t2;
          }
          if (zt) {
            for (let j = 0; j < n; j++) {
              const sum = zt[r0 + j] + u1 * zt[r1 + j];
              zt[r0 + j] -= sum * t1;
              zt[r1 + j] -= sum * t2;
            }
          }
        }
      }
    }
    if (!converged) throw new SchurConvergenceError(i, itmax);

    if (l === i) {
      wr[i] = h[i * n + i];
      wi[i] = 0;
    } else {
      // l === i - 1: a 2x2 block; standardise it.
      const b = standardiseBlock(
        h[(i - 1) * n + i - 1],
        h[(i - 1) * n + i],
        h[i * n + i - 1],
        h[i * n + i],
        blockScratch,
      );
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

/** Internal: Schur form of the row-major n x n `a` (copied), returning T, Zt = Z^T and the eigenvalues. */
export function realSchurTransposed(a: Matrix): {
  t: Float64Array;
  zt: Float64Array;
  wr: Float64Array;
  wi: Float64Array;
} {
  checkSquareFinite(a, "realSchur");
  const n = a.rows;
  const t = a.data.slice();
  const zt = new Float64Array(n * n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  hessenbergInPlace(n, t, zt);
  hessenbergQR(n, t, zt, wr, wi, true);
  return { t, zt, wr, wi };
}

/**
 * Real Schur decomposition A = Z T Z^T: Z orthogonal, T quasi-upper-triangular with 1x1 blocks for real eigenvalues
 * and standardised 2x2 blocks [a b; c a] (b c < 0) for complex-conjugate pairs. Throws SchurConvergenceError if the
 * QR iteration fails (in practice only for non-finite input, which is rejected up front).
 */
export function realSchur(a: Matrix): { T: Matrix; Z: Matrix } {
  const n = a.rows;
  const { t, zt } = realSchurTransposed(a);
  return { T: matrix(n, n, t), Z: transpose(matrix(n, n, zt)) };
}

/** Eigenvalues of the upper Hessenberg/quasi-triangular scratch copy of `a` (no Schur vectors). */
export function schurEigenvalues(a: Matrix): { re: Float64Array; im: Float64Array } {
  checkSquareFinite(a, "eigenvalues");
  const n = a.rows;
  const h = a.data.slice();
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  hessenbergInPlace(n, h, null);
  hessenbergQR(n, h, null, re, im, false);
  return { re, im };
}
