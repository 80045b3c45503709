/**
 * Continuous Lyapunov equation A X + X A^T = Q (Q symmetric, scipy's convention) for dense real A.
 *
 * Two engines:
 *  - "tiny": for small n, the n(n+1)/2 symmetric unknowns of the Kronecker system solved by LU with partial pivoting
 *    in preallocated buffers (tinyLyapunovInto is an allocation-free kernel for parameter sweeps);
 *  - "bartels-stewart": real Schur form A = Z T Z^T, C = Z^T Q Z, then T Y + Y T^T = C solved column block by column
 *    block exploiting the symmetry of Y (one triangle, 1x1/2x2 diagonal blocks; by panels with matrix products from
 *    n = 128 on: triangularLyapunov.ts), and X = Z Y Z^T.
 * Both report the relative residual ||A X + X A^T - Q||_F / (2 ||A||_F ||X||_F + ||Q||_F) (its product A X from
 * compressed rows when A is sparse, as a network's drift is: src/linalg/sparseProduct.ts) and the estimated condition
 * number of the equation with the forward error bound it implies (lyapunovCondition.ts: a 1-norm estimate of the
 * inverse Lyapunov operator from a few extra solves with the existing factorisation; the tiny engine computes that
 * norm exactly, from one solve per unknown with its LU), and warn when that bound
 * exceeds FORWARD_ERROR_WARNING or two eigenvalues of A nearly cancel (lambda_i + lambda_j ~ 0); an exactly singular
 * equation throws SingularLyapunovError.
 */

import { NessError } from "../errors.js";
import { MatrixArgumentError } from "./errors.js";
import { type Matrix, matrix } from "./matrix.js";
import { multiplyNTUnchecked, mirrorUpperUnchecked, transposeIntoUnchecked } from "./gemm.js";
import { type CompressedRows, compressRows, compressedTimesDense } from "./sparseProduct.js";
import { diagonalBlocks, solveQuasiTriangularLyapunovBlocked, triangularWorkSize } from "./triangularLyapunov.js";
import { schurEigenvalues, schurInPlaceUnchecked } from "./schur.js";
import {
  FORWARD_ERROR_WARNING,
  type SymmetricSolve,
  conditionSummary,
  estimateInverseLyapunovNorm,
  formatNumber,
  lyapunovCondition,
} from "./lyapunovCondition.js";
import { MAX_MAGNITUDE, checkArray, checkDimension, checkFiniteMagnitude, checkSquare } from "./validate.js";
import { type Workspace, addr, inMemory, scratch, wasm, withWorkspace } from "./wasm/runtime.js";

const EPS = 2 ** -52;
/** Two eigenvalues with |lambda_i + lambda_j| <= SINGULAR_GAP max(n, 2) eps ||A||_F make the equation singular. */
const SINGULAR_GAP = 4;

/** Largest n for which solveLyapunov / prepareLyapunov use the Kronecker ("tiny") engine. */
export const TINY_MAX_N = 6;
/** Largest n accepted by tinyLyapunovInto (the Kronecker system has n(n+1)/2 unknowns; cost grows as n^6). */
export const TINY_KERNEL_MAX_N = 16;

export interface ComplexNumber {
  re: number;
  im: number;
}

export interface LyapunovSolution {
  /** The solution, exactly symmetric. */
  X: Matrix;
  /** ||A X + X A^T - Q||_F / (2 ||A||_F ||X||_F + ||Q||_F). */
  residual: number;
  /**
   * Estimated relative condition number ||L^-1|| (2 ||A||_F ||X||_F + ||Q||_F) / ||X||_F of the equation, with
   * L(X) = A X + X A^T (lyapunovCondition.ts). solveLyapunov (from n = 40) computes it, with forwardErrorBound and
   * warnings, when one of the three is first read, and keeps it: a caller that needs X alone does not pay for it.
   */
  condition: number;
  /**
   * max(condition, 1) * max(residual, 2^-52): estimated bound on the relative error ||X - X_exact||_F / ||X_exact||_F.
   * Solves whose bound exceeds FORWARD_ERROR_WARNING (1e-8) carry a warning.
   */
  forwardErrorBound: number;
  warnings: string[];
  method: "tiny" | "bartels-stewart";
}

export interface LyapunovSolver {
  readonly n: number;
  readonly method: "tiny" | "bartels-stewart";
  /** Eigenvalues of A (conjugate pairs adjacent). */
  readonly eigenvalues: { re: Float64Array; im: Float64Array };
  /** Conditioning warnings about the spectrum of A, repeated in every solution. */
  readonly warnings: readonly string[];
  /**
   * Estimated sep(A, -A^T) = 1 / ||L^-1||, L(X) = A X + X A^T, from a 1-norm estimator on the factorisation
   * (computed on first use, by the first solve, and cached). Small relative to ||A|| means ill-conditioned.
   */
  separation(): number;
  solve(q: Matrix): LyapunovSolution;
  /**
   * Solves A X_k + X_k A^T = Q_k for every Q_k (e.g. the diffusion of each heat bath) and returns the parts X_k with
   * their sum X as the solution of A X + X A^T = sum_k Q_k, reported like solve(): the residual of the sum against
   * sum_k Q_k, its condition number and warnings. Cheaper than a solve per part plus one of the sum: one
   * triangular solve and one back-transform per part, one residual.
   */
  solveSum(qs: readonly Matrix[]): { total: LyapunovSolution; parts: Matrix[] };
  /**
   * Solves the adjoint equation A^T Y + Y A = C (only C's symmetric part is used) on the same Schur factorisation
   * (the few-coordinate solver factorises the Kronecker form of A^T apart), reported
   * like solve() (residual ||A^T Y + Y A - C||_F / (2 ||A||_F ||Y||_F + ||C||_F), the same operator norm estimate).
   * <C', X> = <Y, Q> when A X + X A^T = Q and A^T Y + Y A = C': the sensitivity of a linear functional of X.
   */
  solveAdjoint(c: Matrix): LyapunovSolution;
}

/**
 * The equation A X + X A^T = Q is singular: two eigenvalues of A sum to (numerically) zero or, with `numerical`,
 * A is so far from normal that the equation is singular to working precision although no two eigenvalues cancel.
 */
export class SingularLyapunovError extends NessError {
  override name = "SingularLyapunovError";
  constructor(
    readonly lambda1: ComplexNumber,
    readonly lambda2: ComplexNumber,
    /** |lambda1 + lambda2| */
    readonly gap: number,
    /** ||A||_F */
    readonly normA: number,
    /** true: singular to working precision only (the eigenvalues do not cancel) */
    readonly numerical = false,
  ) {
    super(
      numerical
        ? "numerically singular Lyapunov equation: A is so far from normal (e.g. a defective eigenvalue or very " +
            "different scales) that A X + X A^T = Q cannot be solved in double precision, although no two of its " +
            `eigenvalues cancel (closest: ${formatComplex(lambda1)} and ${formatComplex(lambda2)}, |λi+λj| = ` +
            `${formatNumber(gap)} relative to ||A|| = ${formatNumber(normA)})`
        : `singular Lyapunov equation: eigenvalues ${formatComplex(lambda1)} and ${formatComplex(lambda2)} of A sum ` +
            `to zero (|λi+λj| = ${formatNumber(gap)} relative to ||A|| = ${formatNumber(normA)}), so A X + X A^T = Q ` +
            "has no unique solution",
    );
  }
}

function formatComplex(z: ComplexNumber): string {
  if (z.im === 0) return formatNumber(z.re);
  const im = `${formatNumber(Math.abs(z.im))}i`;
  if (z.re === 0) return z.im < 0 ? `-${im}` : im;
  return `${formatNumber(z.re)}${z.im < 0 ? "-" : "+"}${im}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditioning of the Lyapunov operator from the spectrum of A.

interface ClosestPair {
  i: number;
  j: number;
  gap: number;
}

/** The pair (i <= j) minimising |lambda_i + lambda_j| (i = j included: |2 lambda_i|). */
function closestPair(re: Float64Array, im: Float64Array): ClosestPair {
  const n = re.length;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(re[i]), Math.abs(im[i]));
  const inv = scale > 0 ? 1 / scale : 1; // compare scaled squares: no overflow, no square roots in the loop
  let best = Infinity,
    bi = 0,
    bj = 0;
  for (let i = 0; i < n; i++) {
    const ri = re[i] * inv,
      ii = im[i] * inv;
    for (let j = i; j < n; j++) {
      const sr = ri + re[j] * inv;
      const sq = sr * sr;
      if (sq >= best) continue;
      const si = ii + im[j] * inv;
      const g = sq + si * si;
      if (g < best) {
        best = g;
        bi = i;
        bj = j;
      }
    }
  }
  return { i: bi, j: bj, gap: n === 0 ? Infinity : Math.hypot(re[bi] + re[bj], im[bi] + im[bj]) };
}

/** What the spectrum of A says about the equation: the closest pair, its description and the spectral warnings. */
interface SpectralCheck {
  /** min |lambda_i + lambda_j| (i = j included) */
  gap: number;
  normA: number;
  /** e.g. "eigenvalues 1+2i and -1+2i of A nearly cancel (...)": formatted on demand (only warnings need it) */
  pair(): string;
  warnings: string[];
}

/** The spectral check (or a thrown SingularLyapunovError when two eigenvalues of A cancel to working precision). */
function spectralCheck(re: Float64Array, im: Float64Array, normA: number): SpectralCheck {
  const n = re.length;
  if (n === 0) return { gap: Infinity, normA, pair: () => "", warnings: [] };
  const { i, j, gap } = closestPair(re, im);
  const l1 = { re: re[i], im: im[i] },
    l2 = { re: re[j], im: im[j] };
  if (gap <= SINGULAR_GAP * Math.max(n, 2) * EPS * normA) throw new SingularLyapunovError(l1, l2, gap, normA);
  const pair = () =>
    (i === j
      ? `eigenvalue ${formatComplex(l1)} of A is nearly zero`
      : `eigenvalues ${formatComplex(l1)} and ${formatComplex(l2)} of A nearly cancel`) +
    ` (|λi+λj| = ${formatNumber(gap)} relative to ||A|| = ${formatNumber(normA)})`;
  const warnings = gap < Math.sqrt(EPS) * normA ? [`ill-conditioned Lyapunov equation: ${pair()}`] : [];
  return { gap, normA, pair, warnings };
}

/**
 * The warnings of one solve: the spectral warning, or one warning with the condition estimate when the forward
 * error bound exceeds FORWARD_ERROR_WARNING, naming the cause (nearly cancelling eigenvalues, a matrix far from
 * normal whose eigenvalues do not show it, or an inaccurate solve).
 */
function solutionWarnings(
  spectral: SpectralCheck,
  inverseNorm: number,
  condition: number,
  forwardErrorBound: number,
  residual: number,
): string[] {
  if (!(forwardErrorBound > FORWARD_ERROR_WARNING)) return [...spectral.warnings];
  const summary = conditionSummary({ condition, forwardErrorBound }, residual);
  if (!(condition * EPS > FORWARD_ERROR_WARNING)) return [`inaccurate Lyapunov solve: ${summary}`];
  // sep <= min |lambda_i + lambda_j| always; far below it, the eigenvalues do not explain the conditioning
  const cause =
    spectral.gap * inverseNorm <= 10
      ? spectral.pair()
      : `A is far from normal (e.g. a defective eigenvalue or very different scales), which its eigenvalues do not ` +
        `show (smallest |λi+λj| = ${formatNumber(spectral.gap)}, sep(A, -A^T) ≈ ${formatNumber(1 / inverseNorm)}, ` +
        `||A|| = ${formatNumber(spectral.normA)})`;
  return [`ill-conditioned Lyapunov equation: ${cause}; ${summary}`];
}

/**
 * T' = J T^T J in `out` (J reverses the coordinates: quasi-upper-triangular again, and J M J of a row-major array is
 * the array reversed), with its diagonal blocks: the adjoint equation T^T W + W T = C solved as T' W' + W' T'^T = C'.
 */
function flippedTranspose(n: number, t: Float64Array, out: Float64Array): ReturnType<typeof diagonalBlocks> {
  transposeIntoUnchecked(n, n, t, out);
  out.reverse();
  return diagonalBlocks(n, out);
}

// ---------------------------------------------------------------------------------------------------------------
// Norms and residual.

function frobenius(x: Float64Array, len: number): number {
  // one pass first: a sum of squares in (len 1e-300, 1e300) implies 1e-150 < max |x_i| < 1e150, where the two-pass
  // form below sums the same squares in the same order (same result); anything else takes the two-pass form
  let sq = 0;
  for (let i = 0; i < len; i++) sq += x[i] * x[i];
  if (sq > len * 1e-300 && sq < 1e300) return Math.sqrt(sq);
  let scale = 0;
  for (let i = 0; i < len; i++) {
    const v = Math.abs(x[i]);
    if (v > scale) scale = v;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  // no rescaling needed unless the squares over/underflow
  if (scale < 1e150 && scale > 1e-150) {
    let s = 0;
    for (let i = 0; i < len; i++) s += x[i] * x[i];
    return Math.sqrt(s);
  }
  let s = 0;
  const inv = 1 / scale;
  for (let i = 0; i < len; i++) {
    const v = x[i] * inv;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/**
 * Relative residual given M = A X (n x n row-major, X symmetric): R = M + M^T - Q.
 */
function relativeResidualFromProduct(
  n: number,
  m: Float64Array,
  q: Float64Array,
  normA: number,
  normX: number,
  normQ: number,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const d = 2 * m[ri + i] - q[ri + i];
    s += d * d;
    for (let j = i + 1; j < n; j++) {
      const mij = m[ri + j] + m[j * n + i];
      const e1 = mij - q[ri + j];
      const e2 = mij - q[j * n + i];
      s += e1 * e1 + e2 * e2;
    }
  }
  const denom = 2 * normA * normX + normQ;
  return denom === 0 ? Math.sqrt(s) : Math.sqrt(s) / denom;
}

// ---------------------------------------------------------------------------------------------------------------
// Tiny engine: Kronecker system on the n(n+1)/2 symmetric unknowns.

/** Index of the unknown X[i][j] (i <= j) in row-major packed upper storage, for each n up to TINY_KERNEL_MAX_N. */
const packedIndex: Int32Array[] = [];
for (let n = 0; n <= TINY_KERNEL_MAX_N; n++) {
  const t = new Int32Array(n * n);
  let u = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      t[i * n + j] = u;
      t[j * n + i] = u;
      u++;
    }
  }
  packedIndex.push(t);
}

/** Fills the m x m Kronecker matrix K (row-major) and rhs of the packed symmetric system; returns max |K_rs|. */
function buildKronecker(
  n: number,
  a: Float64Array,
  q: Float64Array | null,
  K: Float64Array,
  rhs: Float64Array,
  wantMax = true,
): number {
  const idx = packedIndex[n];
  const m = (n * (n + 1)) / 2;
  K.fill(0, 0, m * m);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const ai = i * n;
    for (let j = i; j < n; j++) {
      const aj = j * n;
      const row = r * m;
      // (A X)_ij = sum_k A_ik X_kj ; (X A^T)_ij = sum_k X_ik A_jk
      for (let k = 0; k < n; k++) {
        const aik = a[ai + k];
        if (aik !== 0) K[row + idx[k * n + j]] += aik;
        const ajk = a[aj + k];
        if (ajk !== 0) K[row + idx[i * n + k]] += ajk;
      }
      if (q) rhs[r] = i === j ? q[ai + i] : 0.5 * (q[ai + j] + q[aj + i]);
      r++;
    }
  }
  if (!wantMax) return 0;
  let mx = 0;
  for (let s = 0; s < m * m; s++) {
    const v = Math.abs(K[s]);
    if (v > mx) mx = v;
  }
  return mx;
}

/**
 * In-place LU with partial pivoting of the m x m row-major K (unit lower L below the diagonal, U on and above);
 * piv[k] = row swapped with k. Returns false if a pivot is below `tol` (singular to working precision).
 */
function luFactor(m: number, K: Float64Array, piv: Int32Array, tol: number): boolean {
  for (let k = 0; k < m; k++) {
    let p = k;
    let best = Math.abs(K[k * m + k]);
    for (let r = k + 1; r < m; r++) {
      const v = Math.abs(K[r * m + k]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    piv[k] = p;
    if (!(best > tol)) return false;
    const rk = k * m;
    if (p !== k) {
      // swap only the active columns: multipliers stay where they were computed, matching luSolve's
      // interleaved application of the interchanges
      const rp = p * m;
      for (let c = k; c < m; c++) {
        const t = K[rk + c];
        K[rk + c] = K[rp + c];
        K[rp + c] = t;
      }
    }
    const inv = 1 / K[rk + k];
    for (let r = k + 1; r < m; r++) {
      const rr = r * m;
      const f = K[rr + k];
      if (f === 0) continue;
      const l = f * inv;
      K[rr + k] = l;
      for (let c = k + 1; c < m; c++) K[rr + c] -= l * K[rk + c];
    }
  }
  return true;
}

/** Solves K x = b in place given luFactor's output. */
function luSolve(m: number, K: Float64Array, piv: Int32Array, b: Float64Array): void {
  for (let k = 0; k < m; k++) {
    const p = piv[k];
    if (p !== k) {
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const bk = b[k];
    if (bk !== 0) for (let r = k + 1; r < m; r++) b[r] -= K[r * m + k] * bk;
  }
  for (let k = m - 1; k >= 0; k--) {
    const rk = k * m;
    let s = b[k];
    for (let c = k + 1; c < m; c++) s -= K[rk + c] * b[c];
    b[k] = s / K[rk + k];
  }
}

/** Unpacks the packed symmetric solution into the full row-major x. */
function unpack(n: number, u: Float64Array, x: Float64Array): void {
  let r = 0;
  for (let i = 0; i < n; i++) {
    x[i * n + i] = u[r++];
    for (let j = i + 1; j < n; j++) {
      const v = u[r++];
      x[i * n + j] = v;
      x[j * n + i] = v;
    }
  }
}

/** Relative residual of a small dense solve, computed directly (no allocation). */
function smallResidual(n: number, a: Float64Array, q: Float64Array, x: Float64Array): number {
  let nA = 0,
    nX = 0,
    nQ = 0,
    s = 0;
  for (let i = 0; i < n * n; i++) {
    nA += a[i] * a[i];
    nX += x[i] * x[i];
    nQ += q[i] * q[i];
  }
  for (let i = 0; i < n; i++) {
    const ai = i * n;
    for (let j = i; j < n; j++) {
      const aj = j * n;
      // (A X + X A^T)_ij = sum_k A_ik X_kj + A_jk X_ki   (X symmetric)
      let v = 0;
      for (let k = 0; k < n; k++) v += a[ai + k] * x[k * n + j] + a[aj + k] * x[k * n + i];
      const e1 = v - q[ai + j];
      if (i === j) s += e1 * e1;
      else {
        const e2 = v - q[aj + i];
        s += e1 * e1 + e2 * e2;
      }
    }
  }
  const denom = 2 * Math.sqrt(nA) * Math.sqrt(nX) + Math.sqrt(nQ);
  if (!Number.isFinite(denom) || !Number.isFinite(s)) {
    // fall back to the scaled norms for extreme magnitudes
    const A = frobenius(a, n * n),
      X = frobenius(x, n * n),
      Q = frobenius(q, n * n);
    const d2 = 2 * A * X + Q;
    return d2 === 0 ? 0 : Math.sqrt(s) / d2;
  }
  return denom === 0 ? Math.sqrt(s) : Math.sqrt(s) / denom;
}

// Module-level workspace of the tiny kernel (sized for TINY_KERNEL_MAX_N on first use of a given size).
let tinyCapacity = 0;
let tinyK = new Float64Array(0);
let tinyRhs = new Float64Array(0);

function ensureTinyWorkspace(m: number): void {
  if (m <= tinyCapacity) return;
  const cap = Math.max(m, 21);
  tinyK = new Float64Array(cap * cap);
  tinyRhs = new Float64Array(cap);
  tinyCapacity = cap;
}

/** As throwSingularFromSpectrum, from the eigenvalues of A already computed. */
function throwSingularFromEigenvalues(n: number, re: Float64Array, im: Float64Array, normA: number): never {
  const { i, j, gap } = closestPair(re, im);
  const numerical = gap > SINGULAR_GAP * Math.max(n, 2) * EPS * normA;
  throw new SingularLyapunovError({ re: re[i], im: im[i] }, { re: re[j], im: im[j] }, gap, normA, numerical);
}

/** Throws SingularLyapunovError for a solve that failed, naming the closest pair of eigenvalues. */
function throwSingularFromSpectrum(n: number, a: Float64Array): never {
  const { re, im } = schurEigenvalues(matrix(n, n, a.slice(0, n * n)));
  const normA = frobenius(a, n * n);
  const { i, j, gap } = closestPair(re, im);
  const numerical = gap > SINGULAR_GAP * Math.max(n, 2) * EPS * normA;
  throw new SingularLyapunovError({ re: re[i], im: im[i] }, { re: re[j], im: im[j] }, gap, normA, numerical);
}

/**
 * Allocation-free solve of A X + X A^T = Q for small n (<= TINY_KERNEL_MAX_N) on raw row-major arrays: writes X
 * (exactly symmetric) into x and returns the relative residual. Only the symmetric part of q is used. Throws
 * SingularLyapunovError when the Kronecker system is singular to working precision.
 */
export function tinyLyapunovInto(n: number, a: Float64Array, q: Float64Array, x: Float64Array): number {
  if (typeof n !== "number" || !(n >= 0 && n <= TINY_KERNEL_MAX_N) || n !== Math.floor(n)) {
    throw new MatrixArgumentError(`tinyLyapunovInto handles integers 0 <= n <= ${TINY_KERNEL_MAX_N}, got ${n}`);
  }
  checkArray(a, n * n, "tinyLyapunovInto: A");
  checkArray(q, n * n, "tinyLyapunovInto: Q");
  checkArray(x, n * n, "tinyLyapunovInto: X");
  let qmax = 0;
  for (let i = 0; i < n * n; i++) qmax = Math.max(qmax, Math.abs(q[i]));
  if (!(qmax <= MAX_MAGNITUDE)) {
    throw new MatrixArgumentError(`tinyLyapunovInto: Q has an entry ${qmax} (entries must be finite, |q| <= 1e150)`);
  }
  if (n === 0) return 0;
  const m = (n * (n + 1)) / 2;
  if (m > tinyCapacity) ensureTinyWorkspace(m);
  const K = tinyK,
    b = tinyRhs;
  buildKronecker(n, a, q, K, b, false);
  // entries of K are sums of at most two entries of A
  let amax = 0;
  for (let i = 0; i < n * n; i++) amax = Math.max(amax, Math.abs(a[i]));
  if (!(amax <= MAX_MAGNITUDE)) {
    throw new MatrixArgumentError(`tinyLyapunovInto: A has an entry ${amax} (entries must be finite, |a| <= 1e150)`);
  }
  if (!eliminateAndSolve(m, K, b, 2 * m * EPS * amax)) throwSingularFromSpectrum(n, a);
  unpack(n, b, x);
  return smallResidual(n, a, q, x);
}

/**
 * Solves K u = b in place (u overwrites b) by Gaussian elimination with partial pivoting on the m x m row-major K.
 * Returns false if a pivot is not above `tol`.
 */
function eliminateAndSolve(m: number, K: Float64Array, b: Float64Array, tol: number): boolean {
  for (let k = 0; k < m; k++) {
    const rk = k * m;
    let p = k;
    let best = Math.abs(K[rk + k]);
    for (let r = k + 1; r < m; r++) {
      const v = Math.abs(K[r * m + k]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (!(best > tol)) return false;
    if (p !== k) {
      const rp = p * m;
      for (let c = k; c < m; c++) {
        const t = K[rk + c];
        K[rk + c] = K[rp + c];
        K[rp + c] = t;
      }
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const inv = 1 / K[rk + k];
    const bk = b[k];
    for (let r = k + 1; r < m; r++) {
      const rr = r * m;
      const f = K[rr + k];
      if (f === 0) continue;
      const l = f * inv;
      for (let c = k + 1; c < m; c++) K[rr + c] -= l * K[rk + c];
      b[r] -= l * bk;
    }
  }
  for (let k = m - 1; k >= 0; k--) {
    const rk = k * m;
    let acc = b[k];
    for (let c = k + 1; c < m; c++) acc -= K[rk + c] * b[c];
    b[k] = acc / K[rk + k];
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Bartels-Stewart engine (the triangular solves are in triangularLyapunov.ts).

/** The arrays a Bartels-Stewart solve reads: ordinary arrays, or their copies in the WebAssembly kernels' memory. */
interface Factorisation {
  t: Float64Array;
  z: Float64Array;
  zt: Float64Array;
  a: Float64Array;
  /** triangularWorkSize(n) doubles of scratch for the triangular solves (the kernel's work) */
  ycol: Float64Array;
}

/** Scratch from the JavaScript heap. */
const ORDINARY: Workspace = { inWasm: false, doubles: (k) => new Float64Array(k) };

/** Below this order a solve runs on the solver's own arrays (the copies would cost more than the kernels save). */
const WASM_SOLVE_MIN_N = 12;
/** From this order a sparse A (at most n^2 / SPARSE_RESIDUAL_DENSITY nonzeros) enters the residual as compressed rows. */
const SPARSE_RESIDUAL_MIN_N = 64;
const SPARSE_RESIDUAL_DENSITY = 16;
/**
 * Least order from which a one-shot solve estimates its condition number when it is first read (below, during the
 * solve: there the estimate's own factorisation of the block pairs, which it shares with the solve otherwise, and the
 * copies cost readers 10-25% of a solve at n = 20, for 10-18% saved by those who do not read it).
 */
const DEFERRED_ESTIMATE_MIN_N = 40;
/** The work array of a detached one-shot solver (SchurLyapunovSolver.detach): none until its estimate runs. */
const NO_WORK = new Float64Array(0);
/** Most diagonal blocks for which the condition estimate keeps its block-pair factorisations (7.9 MB at 256). */
const PAIR_CACHE_MAX_BLOCKS = 256;
/** Largest workspace (doubles; 2 GiB) a solve asks of the kernels' memory; larger solves stay on ordinary arrays. */
const MAX_WORKSPACE_DOUBLES = 2 ** 28;
/**
 * Largest order whose one-shot solve keeps its factorisation in the kernels' memory from the Schur step on (where the
 * Schur form is one call of the kernels, whose nested workspace then fits in the solve's; beyond it the factorisation
 * is copied in, 4 n^2 against O(n^3) work).
 */
const RESIDENT_MAX_N = 160;

/** Real Schur form of A with Z and Z^T, blocks and eigenvalues: everything a Bartels-Stewart solve reuses. */
class SchurLyapunovSolver implements LyapunovSolver {
  readonly method = "bartels-stewart" as const;
  readonly eigenvalues: { re: Float64Array; im: Float64Array };
  readonly warnings: readonly string[];
  private readonly spectral: SpectralCheck;
  private t: Float64Array;
  private readonly z: Float64Array;
  private readonly zt: Float64Array;
  private blockStart: Int32Array;
  private blockSize: Int32Array;
  private readonly nBlocks: number;
  private readonly normA: number;
  private ycol: Float64Array;
  private readonly nonzeroRows: Int32Array;
  /** A copy of A beside T, Z, Z^T when these live in the kernels' memory (a one-shot solve's workspace), else null. */
  private readonly residentA: Float64Array | null = null;
  private inverseNormEstimate = NaN;
  /** A one-shot solve (solveLyapunov) of order DEFERRED_ESTIMATE_MIN_N or more: its estimate runs when first read. */
  private readonly deferEstimate: boolean;
  /**
   * The block pairs' factorisations kept by the first triangular solve for the condition estimate that follows it in
   * the same workspace (solveTriangular), or null.
   */
  private keptPairs: Float64Array | null = null;
  /** A in compressed rows when it is sparse enough for the residual's product (undefined: not yet looked at). */
  private sparseA: CompressedRows | null | undefined = undefined;

  constructor(
    readonly n: number,
    private readonly a: Float64Array,
    oneShot = false,
    resident: Workspace | null = null,
  ) {
    this.deferEstimate = oneShot && n >= DEFERRED_ESTIMATE_MIN_N;
    // a one-shot solve (solveLyapunov: nothing of the solver escapes) borrows module-level arrays: fresh typed arrays
    // of a few KB each are allocated outside V8's heap and cost more than a small solve's arithmetic in GC; with
    // `resident` (an open workspace in the kernels' memory) it keeps T, Z, Z^T and a copy of A there, so that the
    // Schur form is computed in place and the solve uses them without copying them in again
    const nn = n * n,
      work = triangularWorkSize(n);
    let store: Float64Array, index: Int32Array;
    const rt = resident?.inWasm ? wasm() : null;
    const kernelStore = rt && resident ? resident.doubles(4 * nn + 2 * n + work) : null;
    if (rt && kernelStore && inMemory(rt, kernelStore)) {
      store = kernelStore; // zeroed by the workspace
      if (oneShotSchurIndex.length < 3 * n) oneShotSchurIndex = new Int32Array(3 * n);
      index = oneShotSchurIndex;
      this.residentA = store.subarray(3 * nn + 2 * n + work, 4 * nn + 2 * n + work);
      this.residentA.set(a.subarray(0, nn));
    } else if (oneShot) {
      const size = 3 * nn + 2 * n + work;
      if (oneShotSchurStore.length < size) oneShotSchurStore = new Float64Array(size);
      if (oneShotSchurIndex.length < 3 * n) oneShotSchurIndex = new Int32Array(3 * n);
      store = oneShotSchurStore;
      index = oneShotSchurIndex;
      store.fill(0, nn, 2 * nn); // Z^T starts at zero, like a new array
      store.fill(0, 3 * nn, 3 * nn + 2 * n);
    } else {
      store = new Float64Array(3 * nn + 2 * n + work);
      index = new Int32Array(3 * n);
    }
    const t = store.subarray(0, nn);
    t.set(a.subarray(0, nn));
    const zt = store.subarray(nn, 2 * nn);
    const re = store.subarray(3 * nn, 3 * nn + n),
      im = store.subarray(3 * nn + n, 3 * nn + 2 * n);
    schurInPlaceUnchecked(n, t, zt, re, im, true);
    this.t = t;
    this.zt = zt;
    this.z = store.subarray(2 * nn, 3 * nn);
    transposeIntoUnchecked(n, n, zt, this.z);
    this.eigenvalues = { re, im };
    this.normA = frobenius(a, n * n);
    this.spectral = spectralCheck(re, im, this.normA);
    this.warnings = this.spectral.warnings;
    const blocks = diagonalBlocks(n, t, index.subarray(0, n), index.subarray(n, 2 * n));
    this.blockStart = blocks.start;
    this.blockSize = blocks.size;
    this.nBlocks = blocks.count;
    this.ycol = store.subarray(3 * nn + 2 * n, 3 * nn + 2 * n + work);
    this.nonzeroRows = index.subarray(2 * n, 3 * n);
  }

  separation(): number {
    if (Number.isNaN(this.inverseNormEstimate)) this.inKernelMemory(0, (f) => this.inverseNorm(f.t, f.ycol));
    return 1 / this.inverseNormEstimate;
  }

  solve(q: Matrix): LyapunovSolution {
    checkShape(q, this.n, "Q");
    return this.solveChecked(q);
  }

  /** solve for a Q already checked by checkShape (solveLyapunov checks it once, up front). */
  solveChecked(q: Matrix): LyapunovSolution {
    const n = this.n;
    return this.inKernelMemory(4 * n * n + (n * n) / 4 + 64, (f, ws) => {
      // the symmetric part of Q beside the factorisation, so that its products run on the kernels too
      const qs = symmetricPart(q, n, ws.doubles(n * n));
      const w = ws.doubles(n * n),
        c = ws.doubles(n * n),
        x = ws.doubles(n * n);
      // C = Z^T Qs Z = Zt Qs Zt^T (upper triangle)
      this.transformRightHandSide(f.zt, qs.data, w, c);
      const y = w; // W no longer needed
      if (!this.solveTriangular(f, c, y)) throwSingularFromSpectrum(n, this.a);
      // X = Z Y Z^T : W = Z Y^T (= Z Y), X = W Z^T (upper, then mirrored)
      multiplyNTUnchecked(n, n, n, f.z, y, c);
      multiplyNTUnchecked(n, n, n, c, f.z, x, true);
      mirrorUpperUnchecked(n, x);
      // residual: M = A X (X symmetric: A X^T)
      this.productWithA(f.a, x, w);
      const X = matrix(n, n, ws.inWasm ? x.slice() : x);
      const normX = frobenius(X.data, n * n);
      if (!Number.isFinite(normX)) throwSingularFromSpectrum(n, this.a);
      const normQ = frobenius(q.data, n * n);
      const residual = relativeResidualFromProduct(n, w, q.data, this.normA, normX, normQ);
      if (this.deferEstimate && Number.isFinite(residual)) {
        // a one-shot solve (solveLyapunov) estimates the condition number when it is first read: what it needs is
        // kept apart from the borrowed arrays, which the next solve reuses (a residual that overflowed throws now,
        // from finishSolution)
        const eigen = this.detach(f.t);
        const singular = (): never => throwSingularFromEigenvalues(n, eigen.re, eigen.im, this.normA);
        return deferredSolution(X, residual, this.spectral, () => this.lateInverseNorm(), normX, normQ, singular);
      }
      const inverseNorm = this.inverseNorm(f.t, f.ycol);
      return finishSolution(X, residual, this.spectral, inverseNorm, normX, normQ, "bartels-stewart", this.a);
    });
  }

  /**
   * Keeps what the condition estimate reads (T and its diagonal blocks) in arrays of the solver's own, for a one-shot
   * solve whose estimate runs after it returned (its T, Z and index arrays are borrowed, and reused by the next
   * solve); returns copies of the eigenvalues (for the error of a singular operator). Two allocations: typed arrays'
   * memory costs more than a small solve's arithmetic.
   */
  private detach(t: Float64Array): { re: Float64Array; im: Float64Array } {
    const n = this.n,
      nn = n * n,
      nb = this.nBlocks;
    const kept = new Float64Array(nn + 2 * n);
    kept.set(t.subarray(0, nn));
    kept.set(this.eigenvalues.re.subarray(0, n), nn);
    kept.set(this.eigenvalues.im.subarray(0, n), nn + n);
    const blocks = new Int32Array(2 * nb);
    blocks.set(this.blockStart.subarray(0, nb));
    blocks.set(this.blockSize.subarray(0, nb), nb);
    this.t = kept.subarray(0, nn);
    this.blockStart = blocks.subarray(0, nb);
    this.blockSize = blocks.subarray(nb, 2 * nb);
    this.ycol = NO_WORK; // a fresh one when the estimate runs
    this.keptPairs = null;
    return { re: kept.subarray(nn, nn + n), im: kept.subarray(nn + n, nn + 2 * n) };
  }

  /**
   * The condition estimate of a detached one-shot solver (cached): T copied into a workspace of the kernels' memory
   * when they are loaded, with the estimate's own arrays; the estimate then factorises its block pairs itself, the
   * same way the solve did, so its number is the one the solve would have computed.
   */
  private lateInverseNorm(): number {
    if (!Number.isNaN(this.inverseNormEstimate)) return this.inverseNormEstimate;
    const n = this.n,
      nn = n * n,
      work = triangularWorkSize(n);
    const rt = wasm();
    const doubles = nn + work + 4 * nn + Math.ceil(nn / 8) + 2 + this.pairCacheDoubles() + 64;
    if (n < WASM_SOLVE_MIN_N || !rt || doubles > MAX_WORKSPACE_DOUBLES) {
      return this.inverseNorm(this.t, new Float64Array(work));
    }
    return withWorkspace(doubles, (ws) => {
      if (!ws.inWasm) return this.inverseNorm(this.t, new Float64Array(work));
      const t = ws.doubles(nn, false);
      t.set(this.t);
      return this.inverseNorm(t, ws.doubles(work));
    });
  }

  solveSum(qs: readonly Matrix[]): { total: LyapunovSolution; parts: Matrix[] } {
    const n = this.n,
      nn = n * n;
    const sumQ = sumOfChecked(qs, n);
    return this.inKernelMemory(5 * nn + nn / 4 + 64, (f, ws) => {
      const qs1 = ws.doubles(nn),
        w = ws.doubles(nn),
        c = ws.doubles(nn),
        y = ws.doubles(nn),
        x = ws.doubles(nn);
      x.fill(0);
      const parts: Matrix[] = [];
      for (const q of qs) {
        symmetricPart(q, n, qs1);
        this.transformRightHandSide(f.zt, qs1, w, c);
        if (!this.solveTriangular(f, c, y)) throwSingularFromSpectrum(n, this.a);
        // X_k = Z Y_k Z^T, added to the sum
        multiplyNTUnchecked(n, n, n, f.z, y, c);
        multiplyNTUnchecked(n, n, n, c, f.z, w, true);
        mirrorUpperUnchecked(n, w);
        const part = w.slice(0, nn);
        for (let k = 0; k < nn; k++) x[k] += part[k];
        parts.push(matrix(n, n, part));
      }
      this.productWithA(f.a, x, w);
      const X = matrix(n, n, ws.inWasm ? x.slice() : x);
      const normX = frobenius(X.data, nn);
      if (!Number.isFinite(normX)) throwSingularFromSpectrum(n, this.a);
      const normQ = frobenius(sumQ, nn);
      const residual = relativeResidualFromProduct(n, w, sumQ, this.normA, normX, normQ);
      const inverseNorm = this.inverseNorm(f.t, f.ycol);
      const total = finishSolution(X, residual, this.spectral, inverseNorm, normX, normQ, "bartels-stewart", this.a);
      return { total, parts };
    });
  }

  solveAdjoint(c: Matrix): LyapunovSolution {
    checkShape(c, this.n, "C");
    const n = this.n,
      nn = n * n;
    // A^T = Z T^T Z^T: T^T W + W T = Z^T C Z with Y = Z W Z^T, and with J reversing the coordinates, T' = J T^T J is
    // quasi-upper-triangular again: T' W' + W' T'^T = J (Z^T C Z) J, W = J W' J (J M J of a row-major array is the
    // array reversed). Run like solve(): in the kernels' memory when they are loaded.
    return this.inKernelMemory(6 * nn + nn / 4 + 64, (f, ws) => {
      const cs = symmetricPart(c, n, ws.doubles(nn), "C").data;
      const w = ws.doubles(nn),
        ct = ws.doubles(nn),
        y = ws.doubles(nn),
        x = ws.doubles(nn),
        tr = ws.doubles(nn);
      // Z^T C Z = Zt Cs Zt^T (upper triangle), mirrored and reversed
      this.transformRightHandSide(f.zt, cs, w, ct);
      mirrorUpperUnchecked(n, ct);
      ct.reverse();
      const blocks = flippedTranspose(n, f.t, tr);
      if (!solveQuasiTriangularLyapunovBlocked(n, tr, ct, y, blocks.start, blocks.size, blocks.count, f.ycol)) {
        throwSingularFromSpectrum(n, this.a);
      }
      y.reverse();
      // Y = Z W Z^T (W symmetric): U = Z W, Y = U Z^T (upper, then mirrored)
      multiplyNTUnchecked(n, n, n, f.z, y, w);
      multiplyNTUnchecked(n, n, n, w, f.z, x, true);
      mirrorUpperUnchecked(n, x);
      // residual: M = Y A = x (A^T)^T (the residual uses M + M^T = Y A + A^T Y); A^T in tr (T' no longer needed)
      transposeIntoUnchecked(n, n, f.a, tr);
      multiplyNTUnchecked(n, n, n, x, tr, w);
      const Y = matrix(n, n, ws.inWasm ? x.slice() : x);
      const normY = frobenius(Y.data, nn);
      if (!Number.isFinite(normY)) throwSingularFromSpectrum(n, this.a);
      const normC = frobenius(c.data, nn);
      const residual = relativeResidualFromProduct(n, w, c.data, this.normA, normY, normC);
      const inverseNorm = this.inverseNorm(f.t, f.ycol);
      return finishSolution(Y, residual, this.spectral, inverseNorm, normY, normC, "bartels-stewart", this.a);
    });
  }

  /**
   * T Y + Y T^T = C (y full, mirrored). The first solve before the condition estimate, when both run in the kernels'
   * memory, keeps its block pairs' factorisations for the estimate (lyapTriangularKeep): the estimate's first solve
   * with T would factorise the same pairs the same way, so its numbers are unchanged.
   */
  private solveTriangular(f: Factorisation, c: Float64Array, y: Float64Array): boolean {
    const n = this.n;
    const rt = wasm();
    if (
      rt &&
      !this.deferEstimate && // a one-shot solve's estimate runs later, in a workspace of its own
      this.keptPairs === null &&
      Number.isNaN(this.inverseNormEstimate) &&
      this.pairCacheDoubles() > 0 &&
      [f.t, c, y, f.ycol].every((v) => inMemory(rt, v)) &&
      f.ycol.length >= triangularWorkSize(n)
    ) {
      const kept = scratch(this.pairCacheDoubles(), false); // every pair's entry is written before it is read
      if (inMemory(rt, kept)) {
        const ok = rt.x.lyapTriangularKeep(n, addr(f.t), addr(c), n, addr(y), n, addr(f.ycol), 1, addr(kept)) === 1;
        if (ok) this.keptPairs = kept;
        return ok;
      }
    }
    return solveQuasiTriangularLyapunovBlocked(n, f.t, c, y, this.blockStart, this.blockSize, this.nBlocks, f.ycol);
  }

  /**
   * m = A X for the residual (X symmetric: A X^T): from SPARSE_RESIDUAL_MIN_N on, a drift matrix with at most
   * n^2 / SPARSE_RESIDUAL_DENSITY nonzeros (a network's: a few per row) is multiplied in compressed rows (2 nnz(A) n
   * flops, the same sums without the zero terms), anything denser by the dense product.
   */
  private productWithA(a: Float64Array, x: Float64Array, m: Float64Array): void {
    const n = this.n;
    if (this.sparseA === undefined) {
      this.sparseA =
        n >= SPARSE_RESIDUAL_MIN_N ? compressRows(n, this.a, Math.floor((n * n) / SPARSE_RESIDUAL_DENSITY)) : null;
    }
    if (this.sparseA) compressedTimesDense(this.sparseA, x, n, m);
    else multiplyNTUnchecked(n, n, n, a, x, m);
  }

  /**
   * Runs fn with the factorisation (T, Z, Z^T, A) in the WebAssembly kernels' memory when they are loaded, so that
   * every product of the solve (and of the condition estimate) runs there without per-product copies (4 n^2 copied,
   * against O(n^3) work), plus `extra` doubles for fn's own arrays and room for the condition estimate; with the
   * JavaScript kernels (or orders below WASM_SOLVE_MIN_N) fn gets the solver's own arrays and ordinary scratch.
   */
  private inKernelMemory<R>(extra: number, fn: (f: Factorisation, ws: Workspace) => R): R {
    const n = this.n,
      nn = n * n;
    this.keptPairs = null; // a view of an earlier workspace (a solve that threw before its estimate)
    const own: Factorisation = { t: this.t, z: this.z, zt: this.zt, a: this.a, ycol: this.ycol };
    // the condition estimate: its two iterates, T^T reversed, a flipped right-hand side (4 n^2) and n^2 sign bytes
    const estimate = Number.isNaN(this.inverseNormEstimate)
      ? 4 * nn + Math.ceil(nn / 8) + 2 + this.pairCacheDoubles()
      : 0;
    const rt = wasm();
    // T, Z, Z^T, A and the work already in the kernels' memory (a one-shot solve's workspace): no copies
    const resident = rt !== null && this.residentA !== null && inMemory(rt, this.t) && inMemory(rt, this.residentA);
    const doubles = (resident ? 0 : 4 * nn + triangularWorkSize(n)) + extra + estimate;
    if (n < WASM_SOLVE_MIN_N || !rt || doubles > MAX_WORKSPACE_DOUBLES) return fn(own, ORDINARY);
    return withWorkspace(doubles, (ws) => {
      if (!ws.inWasm) return fn(own, ws);
      if (resident && this.residentA) return fn({ ...own, a: this.residentA }, ws);
      const copy = (src: Float64Array): Float64Array => {
        const v = ws.doubles(src.length);
        v.set(src);
        return v;
      };
      return fn(
        {
          t: copy(this.t),
          z: copy(this.z),
          zt: copy(this.zt),
          a: copy(this.a),
          ycol: ws.doubles(triangularWorkSize(n)),
        },
        ws,
      );
    });
  }

  /**
   * Doubles of the block-pair factorisations kept from the solve for the estimate's solves with T (asm/lyapunov.ts:
   * 30 per pair of diagonal blocks), up to PAIR_CACHE_MAX_BLOCKS blocks; 0 beyond (or without the kernels), where the
   * dot products dominate the solves anyway.
   */
  private pairCacheDoubles(): number {
    const rt = wasm();
    return rt && this.nBlocks <= PAIR_CACHE_MAX_BLOCKS ? rt.x.lyapPairCacheSize(this.nBlocks) : 0;
  }

  /**
   * Estimate of ||L^-1|| on the Schur form t (cached): Y -> T Y + Y T^T and its adjoint W -> T^T W + W T. Called
   * inside inKernelMemory: its arrays come from the open workspace.
   */
  private inverseNorm(t: Float64Array, ycol: Float64Array): number {
    if (!Number.isNaN(this.inverseNormEstimate)) return this.inverseNormEstimate;
    const n = this.n,
      nn = n * n;
    const rt = wasm();
    if (rt && inMemory(rt, t) && inMemory(rt, ycol) && ycol.length >= triangularWorkSize(n)) {
      // the whole estimate in one call of the kernels (asm/lyapunov.ts: the same iteration as below); it writes all
      // of x, y, flip, tr and sign before reading them, and every pair's entry of `kept` (no clearing needed)
      const x = scratch(nn, false),
        y = scratch(nn, false),
        flip = scratch(nn, false),
        tr = scratch(nn, false),
        sign = scratch(Math.ceil(nn / 8), false);
      const ready = this.keptPairs;
      this.keptPairs = null;
      const kept = ready ?? (this.pairCacheDoubles() > 0 ? scratch(this.pairCacheDoubles(), false) : null);
      if ([x, y, flip, tr, sign].every((v) => inMemory(rt, v))) {
        this.inverseNormEstimate = rt.x.lyapInverseNormEstimate(
          n,
          addr(t),
          addr(tr),
          addr(x),
          addr(y),
          addr(flip),
          addr(sign),
          addr(ycol),
          kept && inMemory(rt, kept) ? addr(kept) : 0,
          ready && kept === ready ? 1 : 0,
        );
        return this.inverseNormEstimate;
      }
    }
    const { blockStart, blockSize, nBlocks } = this;
    const solve: SymmetricSolve = (rhs, out, support) =>
      solveQuasiTriangularLyapunovBlocked(n, t, rhs, out, blockStart, blockSize, nBlocks, ycol, support);
    // T^T W + W T = C  <=>  T' W' + W' T'^T = C' with T' = J T^T J, W' = J W J, C' = J C J, where J reverses the
    // order of the coordinates: T' is again quasi-upper-triangular, and J M J of a row-major array is the array
    // reversed.
    const tr = scratch(nn);
    const blocks = flippedTranspose(n, t, tr);
    const flipped = scratch(nn);
    const solveAdjoint: SymmetricSolve = (rhs, out) => {
      for (let k = 0; k < nn; k++) flipped[k] = rhs[nn - 1 - k];
      if (!solveQuasiTriangularLyapunovBlocked(n, tr, flipped, out, blocks.start, blocks.size, blocks.count, ycol)) {
        return false;
      }
      out.reverse();
      return true;
    };
    this.inverseNormEstimate = estimateInverseLyapunovNorm(n, solve, solveAdjoint);
    return this.inverseNormEstimate;
  }

  /**
   * c (upper triangle) <- Zt qs Zt^T. When only k <= n/2 rows/columns of qs are nonzero (noise entering a few
   * coordinates, the usual case), only those columns of Zt take part: c = G Qkk G^T with G = Zt[:, rows].
   */
  private transformRightHandSide(zt: Float64Array, qs: Float64Array, w: Float64Array, c: Float64Array): void {
    const n = this.n;
    const rows = this.nonzeroRows;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j < n; j++) {
        if (qs[ri + j] !== 0) {
          rows[k++] = i;
          break;
        }
      }
    }
    if (2 * k > n) {
      // dense: W = Zt Qs^T (= Zt Qs), C = W Zt^T
      multiplyNTUnchecked(n, n, n, zt, qs, w);
      multiplyNTUnchecked(n, n, n, w, zt, c, true);
      return;
    }
    const qkk = scratch(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) qkk[a * k + b] = qs[rows[a] * n + rows[b]];
    const g = w.subarray(0, n * k),
      wk = w.subarray(n * k, 2 * n * k);
    for (let i = 0; i < n; i++) {
      const zi = i * n,
        gi = i * k;
      for (let a = 0; a < k; a++) g[gi + a] = zt[zi + rows[a]];
    }
    if (k === 0) {
      c.fill(0, 0, n * n);
      return;
    }
    multiplyNTUnchecked(n, k, k, g, qkk, wk);
    multiplyNTUnchecked(n, n, k, wk, g, c, true);
  }
}

/** The solution record: condition number, forward error bound and warnings added to X and its residual. */
function finishSolution(
  X: Matrix,
  residual: number,
  spectral: SpectralCheck,
  inverseNorm: number,
  normX: number,
  normQ: number,
  method: "tiny" | "bartels-stewart",
  a: Float64Array,
): LyapunovSolution {
  // a residual that overflowed (X finite, A X not: A so far from normal that X's entries reach 1e300) or an estimate
  // overflowing to infinity means the operator is singular to working precision
  if (!Number.isFinite(residual)) throwSingularFromSpectrum(X.rows, a);
  const { condition, forwardErrorBound } = lyapunovCondition(inverseNorm, spectral.normA, normX, normQ, residual);
  if (!Number.isFinite(condition) || !Number.isFinite(forwardErrorBound)) throwSingularFromSpectrum(X.rows, a);
  const warnings = solutionWarnings(spectral, inverseNorm, condition, forwardErrorBound, residual);
  return { X, residual, condition, forwardErrorBound, warnings, method };
}

/**
 * The solution record of a one-shot solve whose condition number, forward error bound and warnings are computed when
 * one of them is first read (inverseNorm: the estimate of ||L^-1||), then kept: the same numbers as finishSolution's.
 * Reading them throws SingularLyapunovError (through `singular`) where finishSolution would have thrown.
 */
function deferredSolution(
  X: Matrix,
  residual: number,
  spectral: SpectralCheck,
  inverseNorm: () => number,
  normX: number,
  normQ: number,
  singular: () => never,
): LyapunovSolution {
  let known: { condition: number; forwardErrorBound: number; warnings: string[] } | null = null;
  const report = (): { condition: number; forwardErrorBound: number; warnings: string[] } => {
    if (known) return known;
    const estimate = inverseNorm();
    const { condition, forwardErrorBound } = lyapunovCondition(estimate, spectral.normA, normX, normQ, residual);
    if (!Number.isFinite(condition) || !Number.isFinite(forwardErrorBound)) singular();
    const warnings = solutionWarnings(spectral, estimate, condition, forwardErrorBound, residual);
    known = { condition, forwardErrorBound, warnings };
    return known;
  };
  return {
    X,
    residual,
    get condition() {
      return report().condition;
    },
    set condition(v: number) {
      report().condition = v;
    },
    get forwardErrorBound() {
      return report().forwardErrorBound;
    },
    set forwardErrorBound(v: number) {
      report().forwardErrorBound = v;
    },
    get warnings() {
      return report().warnings;
    },
    set warnings(v: string[]) {
      report().warnings = v;
    },
    method: "bartels-stewart",
  };
}

/**
 * Kronecker-LU engine for small n, factorised once. The norm of the inverse operator is computed exactly rather than
 * estimated: one solve with the LU per unknown (m = n(n+1)/2 solves of O(m^2)), cheaper than the estimator's own LU
 * of the adjoint. Since that 1-norm bounds the spectral radius 1 / min |lambda_i + lambda_j| of the operator from
 * above, a small norm proves that no two eigenvalues of A nearly cancel: the eigenvalues (and the spectral check) are
 * then computed only on demand, which is most of the cost of a tiny solve saved.
 */
class TinyLyapunovSolver implements LyapunovSolver {
  readonly method = "tiny" as const;
  readonly warnings: readonly string[];
  private readonly normA: number;
  private readonly K: Float64Array;
  private readonly piv: Int32Array;
  private readonly rhs: Float64Array;
  private readonly inverseNormValue: number;
  private spectrum: { re: Float64Array; im: Float64Array } | null = null;
  private spectralResult: SpectralCheck | null = null;

  constructor(
    readonly n: number,
    private readonly a: Float64Array,
    oneShot = false,
  ) {
    this.normA = frobenius(a, n * n);
    const m = (n * (n + 1)) / 2;
    // one backing store for K, the right-hand side and the norm computation's two vectors (an allocation of
    // a typed array's memory costs more than a whole 4x4 solve's arithmetic); a one-shot solve (solveLyapunov, which
    // returns before anything else runs and lets no reference to the solver escape) borrows a module-level one
    const size = m * m + 3 * m;
    let views: TinyViews;
    if (oneShot) {
      if (oneShotStore.length < size) {
        oneShotStore = new Float64Array(size);
        oneShotViews.length = 0;
      }
      // the views of the shared store for this m, made once (a subarray is an object of its own: 4 of them cost
      // more than a tenth of a 4x4 solve)
      views = oneShotViews[m] ??= tinyViews(oneShotStore, m);
    } else views = tinyViews(new Float64Array(size), m);
    this.K = views.K;
    this.rhs = views.rhs;
    this.piv = oneShot && m <= oneShotPiv.length ? oneShotPiv : new Int32Array(m);
    const mx = buildKronecker(n, a, null, this.K, this.rhs);
    if (!luFactor(m, this.K, this.piv, m * EPS * mx)) throwSingularFromSpectrum(n, a);
    this.inverseNormValue = this.exactInverseNorm(views.weight, views.u);
    // ||L^-1||_1 >= 1 / min |lambda_i + lambda_j|: below this bound no pair nearly cancels (no spectral warning, no
    // singular pair), so the eigenvalues are not needed
    this.warnings = this.mayHaveSpectralWarning() ? this.spectral().warnings : [];
  }

  /** Eigenvalues of A (computed on first use). */
  get eigenvalues(): { re: Float64Array; im: Float64Array } {
    this.spectrum ??= schurEigenvalues(matrix(this.n, this.n, this.a));
    return this.spectrum;
  }

  private spectral(): SpectralCheck {
    if (!this.spectralResult) {
      const { re, im } = this.eigenvalues;
      this.spectralResult = spectralCheck(re, im, this.normA); // throws for a singular pair
    }
    return this.spectralResult;
  }

  private mayHaveSpectralWarning(): boolean {
    return !(this.inverseNormValue * Math.sqrt(EPS) * this.normA < 0.5);
  }

  separation(): number {
    return 1 / this.inverseNormValue;
  }

  solve(q: Matrix): LyapunovSolution {
    checkShape(q, this.n, "Q");
    return this.solveChecked(q);
  }

  /** solve for a Q already checked by checkShape. */
  solveChecked(q: Matrix): LyapunovSolution {
    return this.report(this.solvePart(q), q.data);
  }

  solveSum(qs: readonly Matrix[]): { total: LyapunovSolution; parts: Matrix[] } {
    const n = this.n;
    const sumQ = sumOfChecked(qs, n);
    const parts = qs.map((q) => this.solvePart(q));
    const X = matrix(n, n);
    for (const p of parts) for (let k = 0; k < n * n; k++) X.data[k] += p.data[k];
    return { total: this.report(X, sumQ), parts };
  }

  solveAdjoint(c: Matrix): LyapunovSolution {
    checkShape(c, this.n, "C");
    symmetricPart(c, this.n, new Float64Array(this.n * this.n), "C"); // a few coordinates: throws if C is not symmetric
    // a few coordinates: the Kronecker form of A^T factorised apart
    const at = new Float64Array(this.n * this.n);
    transposeIntoUnchecked(this.n, this.n, this.a, at);
    return new TinyLyapunovSolver(this.n, at).solveChecked(c);
  }

  /** The solution of one checked right-hand side, without its report. */
  private solvePart(q: Matrix): Matrix {
    const n = this.n;
    const m = (n * (n + 1)) / 2;
    const b = this.rhs;
    symmetricPackedRhs(q, n, b);
    luSolve(m, this.K, this.piv, b);
    const X = matrix(n, n);
    unpack(n, b, X.data);
    for (let k = 0; k < n * n; k++) if (!Number.isFinite(X.data[k])) throwSingularFromSpectrum(n, this.a);
    return X;
  }

  /** The solution record of X solving the equation for the right-hand side q (residual, condition, warnings). */
  private report(X: Matrix, q: Float64Array): LyapunovSolution {
    const n = this.n;
    const residual = smallResidual(n, this.a, q, X.data);
    if (!Number.isFinite(residual)) throwSingularFromSpectrum(n, this.a);
    const normX = frobenius(X.data, n * n),
      normQ = frobenius(q, n * n);
    const inverseNorm = this.inverseNormValue;
    const { condition, forwardErrorBound } = lyapunovCondition(inverseNorm, this.normA, normX, normQ, residual);
    if (!Number.isFinite(condition) || !Number.isFinite(forwardErrorBound)) throwSingularFromSpectrum(n, this.a);
    const warnings =
      forwardErrorBound > FORWARD_ERROR_WARNING || this.mayHaveSpectralWarning()
        ? solutionWarnings(this.spectral(), inverseNorm, condition, forwardErrorBound, residual)
        : [];
    return { X, residual, condition, forwardErrorBound, warnings, method: "tiny" };
  }

  /**
   * ||L^-1||_1 on symmetric matrices with the entrywise 1-norm, exactly: in the coordinates u (u_ii = X_ii,
   * u_ij = 2 X_ij) the operator is D K^-1 D^-1 (K the packed Kronecker matrix, D = 1 on diagonal unknowns and 2 off
   * it), whose induced 1-norm is its largest column sum. Infinity when a solve overflows.
   */
  private exactInverseNorm(weight: Float64Array, u: Float64Array): number {
    const n = this.n,
      m = (n * (n + 1)) / 2;
    let r = 0;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) weight[r++] = i === j ? 1 : 2;
    let best = 0;
    for (let c = 0; c < m; c++) {
      u.fill(0);
      u[c] = 1;
      luSolve(m, this.K, this.piv, u);
      let s = 0;
      for (let k = 0; k < m; k++) s += weight[k] * Math.abs(u[k]);
      s /= weight[c];
      if (!(s <= Number.MAX_VALUE)) return Infinity;
      if (s > best) best = s;
    }
    return best;
  }
}

/** Checks every Q_k of a solveSum (n x n, finite) and returns sum_k Q_k. */
function sumOfChecked(qs: readonly Matrix[], n: number): Float64Array {
  if (!Array.isArray(qs) || qs.length === 0) {
    throw new MatrixArgumentError("Lyapunov: solveSum needs a non-empty list of right-hand sides");
  }
  const sum = new Float64Array(n * n);
  for (const q of qs) {
    checkShape(q, n, "Q");
    for (let k = 0; k < n * n; k++) sum[k] += q.data[k];
  }
  return sum;
}

/** Scratch of one-shot Bartels-Stewart solves (SchurLyapunovSolver with oneShot): T, Z^T, Z, eigenvalues, work. */
let oneShotSchurStore = new Float64Array(0);
let oneShotSchurIndex = new Int32Array(0);

/** One backing store of a tiny solve: K (m x m), the right-hand side and the exact norm's weight and vector. */
interface TinyViews {
  K: Float64Array;
  rhs: Float64Array;
  weight: Float64Array;
  u: Float64Array;
}

function tinyViews(store: Float64Array, m: number): TinyViews {
  return {
    K: store.subarray(0, m * m),
    rhs: store.subarray(m * m, m * m + m),
    weight: store.subarray(m * m + m, m * m + 2 * m),
    u: store.subarray(m * m + 2 * m, m * m + 3 * m),
  };
}

/** Scratch of one-shot tiny solves (TinyLyapunovSolver with oneShot): K, its vectors and pivots, views by m. */
let oneShotStore = new Float64Array(0);
const oneShotViews: TinyViews[] = [];
const oneShotPiv = new Int32Array((TINY_KERNEL_MAX_N * (TINY_KERNEL_MAX_N + 1)) / 2);

/** The packed upper triangle of the symmetric part of Q (checked as in symmetricPart) into b. */
function symmetricPackedRhs(q: Matrix, n: number, b: Float64Array): void {
  const d = q.data;
  let asym = 0,
    mag = 0,
    r = 0;
  for (let i = 0; i < n; i++) {
    const di = d[i * n + i];
    mag = Math.max(mag, Math.abs(di));
    b[r++] = di;
    for (let j = i + 1; j < n; j++) {
      const u = d[i * n + j],
        l = d[j * n + i];
      asym = Math.max(asym, Math.abs(u - l));
      mag = Math.max(mag, Math.abs(u), Math.abs(l));
      b[r++] = 0.5 * (u + l);
    }
  }
  if (asym > 1e-8 * mag) symmetricPart(q, n, new Float64Array(n * n)); // throws the asymmetry error
}

/** Q must be an n x n matrix with finite entries. */
function checkShape(m: Matrix, n: number, what: string): void {
  checkSquare(m, `Lyapunov: ${what}`);
  if (m.rows !== n)
    throw new MatrixArgumentError(`Lyapunov: ${what} must be ${n}x${n} like A, got ${m.rows}x${m.cols}`);
  checkFiniteMagnitude(m, `Lyapunov: ${what}`);
}

/**
 * The symmetric part of Q (checked by checkShape) into `out` (as a Matrix). Throws if Q is clearly not symmetric
 * (relative asymmetry above 1e-8): the equation then has no symmetric solution.
 */
function symmetricPart(q: Matrix, n: number, out: Float64Array, what = "Q"): Matrix {
  const d = q.data;
  let asym = 0,
    mag = 0;
  for (let i = 0; i < n; i++) {
    out[i * n + i] = d[i * n + i];
    mag = Math.max(mag, Math.abs(d[i * n + i]));
    for (let j = i + 1; j < n; j++) {
      const u = d[i * n + j],
        l = d[j * n + i];
      asym = Math.max(asym, Math.abs(u - l));
      mag = Math.max(mag, Math.abs(u), Math.abs(l));
      const v = 0.5 * (u + l);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  if (asym > 1e-8 * mag) {
    throw new MatrixArgumentError(
      `Lyapunov: ${what} must be symmetric (max |${what}_ij - ${what}_ji| = ${asym.toExponential(2)}, relative ${formatNumber(asym / mag)})`,
    );
  }
  return { rows: n, cols: n, data: out };
}

type LyapunovOptions = { method?: "tiny" | "bartels-stewart" };

/** Validates A and the options; returns the engine to use. */
function checkProblem(a: Matrix, options: LyapunovOptions): "tiny" | "bartels-stewart" {
  checkSquare(a, "Lyapunov: A");
  checkDimension(a.rows, "Lyapunov: the size of A", true);
  checkFiniteMagnitude(a, "Lyapunov: A");
  if (typeof options !== "object" || options === null) {
    throw new MatrixArgumentError(`Lyapunov: options must be an object like {method: "tiny"}, got ${String(options)}`);
  }
  const n = a.rows;
  const method = options.method ?? (n <= TINY_MAX_N ? "tiny" : "bartels-stewart");
  if (method !== "tiny" && method !== "bartels-stewart") {
    throw new MatrixArgumentError(`Lyapunov: method must be "tiny" or "bartels-stewart", got ${String(method)}`);
  }
  if (method === "tiny" && n > TINY_KERNEL_MAX_N) {
    throw new MatrixArgumentError(`Lyapunov: the tiny engine handles n <= ${TINY_KERNEL_MAX_N}, got ${n}`);
  }
  return method;
}

/**
 * Factorises A once (real Schur form, or the Kronecker LU for n <= TINY_MAX_N) for solving A X + X A^T = Q with
 * many right-hand sides. Throws SingularLyapunovError if two eigenvalues of A sum to zero (numerically), and
 * MatrixArgumentError for a non-square A or a non-finite entry.
 *
 * @example
 * ```ts
 * import { fromRows, prepareLyapunov } from "ness/linalg";
 *
 * const solver = prepareLyapunov(fromRows([[1, 0], [1, 2]])); // one factorisation of A
 * for (const q of [1, 2]) console.log(solver.solve(fromRows([[q, 0], [0, q]])).residual < 1e-14);
 * ```
 */
export function prepareLyapunov(a: Matrix, options: LyapunovOptions = {}): LyapunovSolver {
  return createSolver(a, checkProblem(a, options));
}

/** The solver of a checked A. */
function createSolver(
  a: Matrix,
  method: "tiny" | "bartels-stewart",
  copy = true,
): TinyLyapunovSolver | SchurLyapunovSolver {
  // a one-shot solve (solveLyapunov) finishes before the caller can change A: no copy needed (and the tiny engine
  // borrows module-level scratch)
  const data = copy ? a.data.slice() : a.data;
  return method === "tiny" ? new TinyLyapunovSolver(a.rows, data, !copy) : new SchurLyapunovSolver(a.rows, data, !copy);
}

/**
 * Solves A X + X A^T = Q (Q symmetric) for the symmetric X, with its residual, estimated condition number and
 * forward error bound. Throws as prepareLyapunov, and MatrixArgumentError when Q is not a finite symmetric n x n
 * matrix. From n = 40 the condition number, the forward error bound and the warnings are computed when one of them
 * is first read (the same numbers; a copy of the Schur form is kept for it), and reading them throws
 * SingularLyapunovError where the estimate finds the operator singular to working precision.
 *
 * @example
 * ```ts
 * import { fromRows, solveLyapunov } from "ness/linalg";
 *
 * // A X + X A^T = Q with A = 2 I, Q = I: X = I / 4.
 * const { X, residual, condition, forwardErrorBound } = solveLyapunov(fromRows([[2, 0], [0, 2]]), fromRows([[1, 0], [0, 1]]));
 * console.log(X.data[0], residual < 1e-15, condition >= 1, forwardErrorBound < 1e-12); // => 0.25 true true true
 * ```
 */
export function solveLyapunov(a: Matrix, q: Matrix, options: LyapunovOptions = {}): LyapunovSolution {
  // A and Q are checked once, here
  const method = checkProblem(a, options);
  checkShape(q, a.rows, "Q");
  const n = a.rows;
  if (method === "bartels-stewart" && n >= WASM_SOLVE_MIN_N && n <= RESIDENT_MAX_N && wasm()) {
    // the whole solve in one workspace of the kernels' memory: the factorisation (computed there in place), the
    // solve's arrays and the condition estimate's (as SchurLyapunovSolver.inKernelMemory sizes them), the one-call
    // Schur form's work, slack for alignment
    const nn = n * n;
    const rt = wasm();
    const pairCache = rt && n <= PAIR_CACHE_MAX_BLOCKS ? rt.x.lyapPairCacheSize(n) : 0; // at most n blocks
    const doubles =
      4 * nn +
      2 * n +
      triangularWorkSize(n) + // T, Z^T, Z, eigenvalues, work, A
      2 * n +
      6 * n +
      8 +
      64 + // the Schur form's eigenvalues and work (asm/schurSmall.ts smallSchurWork)
      4 * nn +
      nn / 4 +
      64 + // solveChecked's arrays
      4 * nn +
      Math.ceil(nn / 8) +
      2 +
      pairCache + // the condition estimate's
      1024; // alignment of up to 64 views
    return withWorkspace(doubles, (ws) => new SchurLyapunovSolver(n, a.data, true, ws).solveChecked(q), 24);
  }
  return createSolver(a, method, false).solveChecked(q);
}
