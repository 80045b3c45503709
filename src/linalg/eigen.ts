/**
 * Eigenvalues of general real matrices (via the real Schur form, without Schur vectors), the symmetric eigenproblem
 * (Householder tridiagonalisation + implicit QR with Wilkinson shifts) and Cholesky factorisation / positive
 * definiteness tests.
 */

import { NessError } from "../errors.js";
import { MatrixArgumentError } from "./errors.js";
import { type Matrix, matrix } from "./matrix.js";
import { hypot3 } from "./scalar.js";
import { schurEigenvalues } from "./schur.js";
import { checkDimension, checkFinite, checkSquare } from "./validate.js";
import { addr, inMemory, scratch, wasm, withWorkspace } from "./wasm/runtime.js";

const EPS = 2 ** -52;
const SAFE_MIN = 2 ** -1022;

/**
 * Eigenvalues of a real square matrix, complex-conjugate pairs adjacent (positive imaginary part first).
 *
 * @example
 * ```ts
 * import { eigenvalues, fromRows } from "ness/linalg";
 *
 * const { re, im } = eigenvalues(fromRows([[0, 1], [-1, 0]])); // a rotation: +-i
 * console.log(Math.abs(re[0]) < 1e-15, im[0]); // => true 1
 * ```
 */
export function eigenvalues(a: Matrix): { re: Float64Array; im: Float64Array } {
  return schurEigenvalues(a);
}

/** Thrown when the symmetric tridiagonal QR iteration fails to converge (non-finite input). */
export class SymmetricEigenConvergenceError extends NessError {
  override name = "SymmetricEigenConvergenceError";
}

/**
 * Householder tridiagonalisation of the symmetric n x n row-major `s` (destroyed). Writes the diagonal to d, the
 * subdiagonal to e (e[k] couples k and k+1; e[n-1] = 0) and, into qt, Q^T where S = Q T Q^T (row k of qt is column
 * k of Q).
 */
function tridiagonalise(
  n: number,
  s: Float64Array,
  d: Float64Array,
  e: Float64Array,
  qt: Float64Array | null,
): Float64Array {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  const taus = new Float64Array(Math.max(n, 1));
  for (let k = 0; k < n - 2; k++) {
    const r0 = k + 1;
    const len = n - r0;
    const rowk = k * n;
    // Reflector from column k (lower triangle), entries r0..n-1.
    const alpha = s[r0 * n + k];
    let scale = 0;
    for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(s[(r0 + i) * n + k]));
    d[k] = s[rowk + k];
    if (scale === 0) {
      e[k] = alpha;
      taus[k] = 0;
      continue;
    }
    let ss = 0;
    for (let i = 1; i < len; i++) {
      const y = s[(r0 + i) * n + k] / scale;
      ss += y * y;
    }
    const xnorm = scale * Math.sqrt(ss);
    const beta = -(alpha < 0 ? -1 : 1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    v[0] = 1;
    for (let i = 1; i < len; i++) v[i] = s[(r0 + i) * n + k] * inv;
    e[k] = beta;
    taus[k] = tau;
    // Store v in row k beyond the diagonal (never touched again) for the accumulation.
    for (let i = 1; i < len; i++) s[rowk + r0 + i] = v[i];
    // Trailing block S22 <- H S22 H: p = tau S22 v, w = p - (tau/2)(p.v) v, S22 -= v w^T + w v^T (lower triangle
    // and diagonal only; the upper triangle is mirrored from it when read).
    for (let i = 0; i < len; i++) p[i] = 0;
    for (let i = 0; i < len; i++) {
      const row = (r0 + i) * n + r0;
      // row i of S22 from its lower triangle (j <= i) and, by symmetry, column i (j > i) read from the lower part.
      let acc = 0;
      const vi = v[i];
      for (let j = 0; j < i; j++) {
        const sij = s[row + j];
        acc += sij * v[j];
        p[j] += sij * vi;
      }
      p[i] += acc + s[row + i] * vi;
    }
    let pv = 0;
    for (let i = 0; i < len; i++) {
      p[i] *= tau;
      pv += p[i] * v[i];
    }
    const half = 0.5 * tau * pv;
    for (let i = 0; i < len; i++) p[i] -= half * v[i]; // p is now w
    for (let i = 0; i < len; i++) {
      const row = (r0 + i) * n + r0;
      const vi = v[i],
        wi = p[i];
      for (let j = 0; j <= i; j++) s[row + j] -= vi * p[j] + wi * v[j];
    }
  }
  if (n >= 2) {
    d[n - 2] = s[(n - 2) * n + n - 2];
    e[n - 2] = s[(n - 1) * n + n - 2];
  }
  if (n >= 1) {
    d[n - 1] = s[(n - 1) * n + n - 1];
    e[n - 1] = 0;
  }
  if (qt === null) return taus;
  // Q^T = H_{n-3} ... H_0, built backwards on trailing blocks (right multiplications: contiguous rows).
  qt.fill(0);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const tau = taus[k];
    if (tau === 0) continue;
    const r0 = k + 1;
    const len = n - r0;
    const rowk = k * n;
    v[0] = 1;
    for (let i = 1; i < len; i++) v[i] = s[rowk + r0 + i];
    for (let r = r0; r < n; r++) {
      const row = r * n + r0;
      let acc = 0;
      for (let i = 0; i < len; i++) acc += qt[row + i] * v[i];
      if (acc === 0) continue;
      acc *= tau;
      for (let i = 0; i < len; i++) qt[row + i] -= acc * v[i];
    }
  }
  return taus;
}

/**
 * Columns `rows` of Q^T (Q^T e_r = H_{n-3} ... H_0 e_r) from the reflectors tridiagonalise left in s and taus, into
 * y (n x rows.length, row-major): O(n^2) per column instead of the O(n^3) of the whole Q.
 */
function reflectColumns(
  n: number,
  s: Float64Array,
  taus: Float64Array,
  rows: readonly number[],
  y: Float64Array,
): void {
  const b = rows.length;
  y.fill(0);
  rows.forEach((r, c) => (y[r * b + c] = 1));
  for (let k = 0; k < n - 2; k++) {
    const tau = taus[k];
    if (tau === 0) continue;
    const r0 = k + 1;
    const rowk = k * n;
    for (let c = 0; c < b; c++) {
      let acc = y[r0 * b + c];
      for (let i = r0 + 1; i < n; i++) acc += s[rowk + i] * y[i * b + c];
      if (acc === 0) continue;
      acc *= tau;
      y[r0 * b + c] -= acc;
      for (let i = r0 + 1; i < n; i++) y[i * b + c] -= acc * s[rowk + i];
    }
  }
}

/**
 * Implicit symmetric tridiagonal QR with Wilkinson shifts. d (diagonal) and e (e[k] couples k, k+1) are overwritten
 * with eigenvalues (unsorted) and zeros; each rotation is applied to rows of qt (n rows of `width`: Q^T, whose rows
 * become the eigenvectors, or a few of its columns, which become those entries of every eigenvector).
 */
function tridiagonalQR(n: number, d: Float64Array, e: Float64Array, qt: Float64Array, width = n): void {
  const small = (k: number): boolean => {
    const ek = Math.abs(e[k]);
    return ek <= EPS * 0.5 * (Math.abs(d[k]) + Math.abs(d[k + 1])) || ek < SAFE_MIN;
  };
  const maxIter = 30 * Math.max(n, 10);
  const rc = scratch(Math.max(n, 1)),
    rs = scratch(Math.max(n, 1));
  const rt = wasm();
  const kernels = rt && inMemory(rt, qt) && inMemory(rt, rc) && inMemory(rt, rs) ? rt : null;
  let m = n - 1;
  let iter = 0;
  while (m > 0) {
    if (small(m - 1)) {
      e[m - 1] = 0;
      m--;
      iter = 0;
      continue;
    }
    let l = m - 1;
    while (l > 0 && !small(l - 1)) l--;
    if (l > 0) e[l - 1] = 0;
    if (++iter > maxIter)
      throw new SymmetricEigenConvergenceError(`symmetric eigensolver did not converge (index ${m})`);
    // Wilkinson shift from the trailing 2x2 of the block l..m.
    const em = e[m - 1];
    const delta = 0.5 * (d[m - 1] - d[m]);
    const denom = delta + (delta < 0 ? -1 : 1) * hypot3(delta, em, 0);
    const mu = denom === 0 ? d[m] - Math.abs(em) : d[m] - (em / denom) * em;
    let x = d[l] - mu;
    let z = e[l];
    for (let k = l; k < m; k++) {
      // Rotation R = [c s; -s c] on (k, k+1) chosen to zero z against x.
      const r = hypot3(x, z, 0);
      let c = 1,
        s = 0;
      if (r !== 0) {
        c = x / r;
        s = z / r;
      }
      if (k > l) e[k - 1] = r;
      const a = d[k],
        b = e[k],
        dd = d[k + 1];
      const cc = c * c,
        ss = s * s,
        cs = c * s;
      d[k] = cc * a + 2 * cs * b + ss * dd;
      d[k + 1] = ss * a - 2 * cs * b + cc * dd;
      e[k] = cs * (dd - a) + (cc - ss) * b;
      if (k + 1 < m) {
        z = s * e[k + 1];
        e[k + 1] *= c;
        x = e[k];
      }
      rc[k - l] = c;
      rs[k - l] = s;
    }
    // Apply the sweep's rotations to the rows of qt in order (q_k' = c q_k + s q_{k+1}, q_{k+1}' = -s q_k + c q_{k+1}),
    // three at a time: one pass over four contiguous rows instead of three passes over two.
    const count = m - l;
    if (kernels) {
      kernels.x.rotateRows(addr(qt), width, l, count, addr(rc), addr(rs));
      continue;
    }
    let r = 0;
    for (; r + 3 <= count; r += 3) {
      const c0 = rc[r],
        s0 = rs[r],
        c1 = rc[r + 1],
        s1 = rs[r + 1],
        c2 = rc[r + 2],
        s2 = rs[r + 2];
      const p0 = (l + r) * width,
        p1 = p0 + width,
        p2 = p1 + width,
        p3 = p2 + width;
      for (let j = 0; j < width; j++) {
        const x0 = qt[p0 + j],
          x1 = qt[p1 + j],
          x2 = qt[p2 + j],
          x3 = qt[p3 + j];
        qt[p0 + j] = c0 * x0 + s0 * x1;
        const y1 = c0 * x1 - s0 * x0;
        qt[p1 + j] = c1 * y1 + s1 * x2;
        const y2 = c1 * x2 - s1 * y1;
        qt[p2 + j] = c2 * y2 + s2 * x3;
        qt[p3 + j] = c2 * x3 - s2 * y2;
      }
    }
    for (; r < count; r++) {
      const c = rc[r],
        sn = rs[r];
      if (sn === 0) continue;
      const p0 = (l + r) * width,
        p1 = p0 + width;
      for (let j = 0; j < width; j++) {
        const u = qt[p0 + j],
          w = qt[p1 + j];
        qt[p0 + j] = c * u + sn * w;
        qt[p1 + j] = c * w - sn * u;
      }
    }
  }
}

/**
 * Eigen-decomposition S = V diag(values) V^T of a symmetric matrix (only the lower triangle is read). Values are
 * ascending; column k of `vectors` is the unit eigenvector of values[k].
 *
 * @example
 * ```ts
 * import { fromRows, symmetricEigen } from "ness/linalg";
 *
 * const { values } = symmetricEigen(fromRows([[2, 1], [1, 2]]));
 * console.log(Array.from(values, (v) => v.toFixed(12)).join(" ")); // => 1.000000000000 3.000000000000
 * ```
 */
export function symmetricEigen(s: Matrix): { values: Float64Array; vectors: Matrix } {
  checkSquare(s, "symmetricEigen");
  checkDimension(s.rows, "symmetricEigen: the size", true);
  checkFinite(s, "symmetricEigen");
  const n = s.rows;
  if (n >= 12) return withWorkspace(n * n + 4 * n + 64, () => symmetricEigenIn(s, n, scratch(n * n)));
  return symmetricEigenIn(s, n, new Float64Array(n * n));
}

/** A copy of s's entries, divided by their largest magnitude where that is extreme (no overflow in the rotations). */
function scaledCopy(s: Matrix): { work: Float64Array; scale: number } {
  const work = s.data.slice();
  let scale = 0;
  for (const x of work) scale = Math.max(scale, Math.abs(x));
  if (scale > 0 && (scale > 1e150 || scale < 1e-150)) for (let i = 0; i < work.length; i++) work[i] /= scale;
  else scale = 1;
  return { work, scale };
}

/** symmetricEigen with Q^T accumulated in qt (a view of the kernels' memory for the WebAssembly rotations). */
function symmetricEigenIn(s: Matrix, n: number, qt: Float64Array): { values: Float64Array; vectors: Matrix } {
  const { work, scale } = scaledCopy(s);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalise(n, work, d, e, qt);
  tridiagonalQR(n, d, e, qt);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const vectors = matrix(n, n);
  const V = vectors.data;
  for (let k = 0; k < n; k++) {
    const src = order[k];
    values[k] = d[src] * scale;
    const row = src * n;
    for (let i = 0; i < n; i++) V[i * n + k] = qt[row + i];
  }
  return { values, vectors };
}

/**
 * Eigenvalues (ascending) of a symmetric matrix (lower triangle read) and the entries of its unit eigenvectors at a
 * few `rows`: entries[r * n + k] = V[rows[r]][k], V as in symmetricEigen (signs may differ from it: each column is
 * fixed up to sign). Cost ~ (4/3) n^3 (the tridiagonalisation) + O(n^2 rows.length), without forming V: the
 * reflectors act on the unit vectors of `rows` only, and the QR rotations on those n x rows.length numbers.
 *
 * @example
 * ```ts
 * import { fromRows, symmetricEigenRows } from "ness/linalg";
 *
 * const { values, entries } = symmetricEigenRows(fromRows([[2, 1], [1, 2]]), [0]);
 * console.log(values[0].toFixed(12), Math.abs(entries[0]).toFixed(12)); // => 1.000000000000 0.707106781187
 * ```
 */
export function symmetricEigenRows(
  s: Matrix,
  rows: readonly number[],
): { values: Float64Array; entries: Float64Array } {
  checkSquare(s, "symmetricEigenRows");
  checkDimension(s.rows, "symmetricEigenRows: the size", true);
  checkFinite(s, "symmetricEigenRows");
  const n = s.rows;
  for (const r of rows)
    if (!(Number.isInteger(r) && r >= 0 && r < n))
      throw new MatrixArgumentError(`symmetricEigenRows: row ${r} is not an index below ${n}`);
  const b = rows.length;
  const { work, scale } = scaledCopy(s);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const taus = tridiagonalise(n, work, d, e, null);
  const y = new Float64Array(n * b);
  reflectColumns(n, work, taus, rows, y);
  tridiagonalQR(n, d, e, y, b);
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[p] - d[q]);
  const values = new Float64Array(n);
  const entries = new Float64Array(b * n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    values[k] = d[src] * scale;
    for (let r = 0; r < b; r++) entries[r * n + k] = y[src * b + r];
  }
  return { values, entries };
}

/**
 * Cholesky factor L (lower triangular, S = L L^T) of a symmetric positive definite matrix (lower triangle read), or
 * null when S is not (numerically) positive definite.
 *
 * @example
 * ```ts
 * import { cholesky, fromRows } from "ness/linalg";
 *
 * const L = cholesky(fromRows([[4, 2], [2, 5]]))!; // S = L L^T, L lower triangular
 * console.log(L.data.join(",")); // => 2,0,1,2
 * ```
 */
export function cholesky(s: Matrix): Matrix | null {
  checkSquare(s, "cholesky");
  checkDimension(s.rows, "cholesky: the size", true);
  checkFinite(s, "cholesky");
  const n = s.rows;
  // huge or tiny matrices: factorise S / 4^k and multiply L by 2^k (exact), so that no square overflows
  let mx = 0;
  for (const x of s.data) mx = Math.max(mx, Math.abs(x));
  const k = mx > 2 ** 500 || (mx > 0 && mx < 2 ** -500) ? Math.round(Math.log2(mx) / 2) : 0;
  const down = 2 ** (-2 * k);
  const L = matrix(n, n);
  const l = L.data,
    a = k === 0 ? s.data : s.data.map((x) => x * down);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let djj = a[rj + j];
    for (let q = 0; q < j; q++) djj -= l[rj + q] * l[rj + q];
    if (!(djj > 0)) return null;
    const ljj = Math.sqrt(djj);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let sij = a[ri + j];
      for (let q = 0; q < j; q++) sij -= l[ri + q] * l[rj + q];
      l[ri + j] = sij / ljj;
    }
  }
  if (k !== 0) {
    const up = 2 ** k;
    for (let i = 0; i < l.length; i++) l[i] *= up;
  }
  return L;
}

/**
 * True when the symmetric matrix (lower triangle read) admits a Cholesky factorisation.
 *
 * @example
 * ```ts
 * import { fromRows, isPositiveDefinite } from "ness/linalg";
 *
 * console.log(isPositiveDefinite(fromRows([[1, 2], [2, 1]]))); // => false
 * ```
 */
export function isPositiveDefinite(s: Matrix): boolean {
  return cholesky(s) !== null;
}
