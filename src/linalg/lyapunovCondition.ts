/**
 * Conditioning of the continuous Lyapunov equation A X + X A^T = Q.
 *
 * The Lyapunov operator L(X) = A X + X A^T (the Kronecker matrix I (x) A + A (x) I) maps symmetric matrices to
 * symmetric matrices. Its inverse can be large although no two eigenvalues of A nearly cancel: when A is far from
 * normal (a defective eigenvalue, strongly different scales), sep(A, -A^T) = 1 / ||L^-1|| is far below
 * min |lambda_i + lambda_j|. The eigenvalues alone then say nothing, so the norm of L^-1 is estimated directly:
 *
 *  - estimateInverseLyapunovNorm: one step of Hager's 1-norm estimator (SIAM J. Sci. Stat. Comput. 5, 1984; LAPACK
 *    dlacn2 runs it with Higham's refinements, ACM TOMS 14, 1988) applied to L^-1 on symmetric matrices with the
 *    entrywise 1-norm sum_ij |X_ij|, given solvers of L(Y) = C and of its adjoint L*(W) = A^T W + W A = C. Like
 *    LAPACK's dtrsen/dtrsna and SLICOT's SB03QY, it runs on the real Schur form T of A, where it estimates the norm
 *    of the inverse of Y -> T Y + Y T^T: the same operator in an orthonormal basis. Three quasi-triangular solves
 *    (O(n^3) each, the last one often on a leading block only): the constant start, the gradient (a solve with the
 *    adjoint) and the extreme point the gradient picks. dlacn2's further steps (a second gradient as convergence
 *    test, more extreme points, Higham's alternating extra vector) cost two to four more solves and, on the random,
 *    oscillator-chain, near-singular and CTLEX operators of orders 4-100 where this was checked against the exact
 *    norm, never changed the estimate. With the WebAssembly kernels the Bartels-Stewart solver runs this step, in one
 *    call (asm/lyapunov.ts, lyapInverseNormEstimate); this function is its JavaScript twin. The result is a lower
 *    bound of that 1-norm, usually within a factor 3 of it (rarely more: 3.7 on a random stable A of order 50); the
 *    1-norm and the Frobenius-norm value ||L^-1||_F = 1 / sep differ by at most a factor n (within a factor 5 in the
 *    tests). The entrywise 1-norm depends on the basis, and the iteration's choices on rounding: the WebAssembly and
 *    JavaScript kernels, whose Schur vectors differ in rounding, can give estimates a factor 2 apart on the same A
 *    (both lower bounds of the same order).
 *  - lyapunovCondition: the relative condition number
 *        kappa = ||L^-1|| (2 ||A||_F ||X||_F + ||Q||_F) / ||X||_F
 *    and the forward error bound it implies, ||X_computed - X|| / ||X|| <~ kappa max(residual, eps), where residual
 *    is the relative residual ||A X + X A^T - Q||_F / (2 ||A||_F ||X||_F + ||Q||_F) the solvers report: a small
 *    residual does not mean an accurate X when kappa is large.
 */

import { MatrixArgumentError } from "./errors.js";
import { checkDimension } from "./validate.js";
import { scratch } from "./wasm/runtime.js";

/** Relative forward error bound above which a solve carries a conditioning warning. */
export const FORWARD_ERROR_WARNING = 1e-8;

const EPS = 2 ** -52;

/**
 * Solves the operator equation for a symmetric n x n row-major `rhs` (only its upper triangle need be read), writing
 * the full symmetric solution to `out` (which does not alias `rhs`). Returns false when the operator is singular.
 * `support` (at most n) says that rhs vanishes outside its leading support x support block: a triangular solver can
 * then skip the rest.
 */
export type SymmetricSolve = (rhs: Float64Array, out: Float64Array, support: number) => boolean;

/**
 * Estimate of ||L^-1||_1 = max ||L^-1(X)||_1 / ||X||_1 over symmetric X (entrywise 1-norm sum_ij |X_ij|), from
 * `solve` (C -> L^-1 C) and `solveAdjoint` (C -> L^-* C, the inverse of W -> A^T W + W A): three solves, the second
 * with the adjoint, the third over the leading block its right-hand side touches. Returns Infinity when a solve fails or overflows (the operator is numerically singular).
 *
 * The symmetric matrices are coordinatised by their upper triangle u (u_ii = X_ii, u_ij = 2 X_ij for i < j), in which
 * the entrywise 1-norm of X is the vector 1-norm of u and the transposed operator is exactly L^-* applied to the
 * matrix with X_ij = X_ji = u_ij. Hager's iteration then runs unchanged: its extreme points are E_ii and
 * (E_ij + E_ji) / 2.
 */
export function estimateInverseLyapunovNorm(n: number, solve: SymmetricSolve, solveAdjoint: SymmetricSolve): number {
  checkDimension(n, "estimateInverseLyapunovNorm: n", true);
  if (typeof solve !== "function" || typeof solveAdjoint !== "function") {
    throw new MatrixArgumentError("estimateInverseLyapunovNorm: solve and solveAdjoint must be functions");
  }
  if (n === 0) return 0;
  const nn = n * n;
  const m = (n * (n + 1)) / 2;
  // from the open workspace, if any: inside the Lyapunov solver these are views of the WebAssembly kernels' memory,
  // so that the triangular solves run their products there without copies
  const x = scratch(nn);
  const y = scratch(nn);
  const sign = new Int8Array(nn); // sign of y on the upper triangle
  /** y <- L^-1 x; returns sum |y| (Infinity on failure). */
  const apply = (support = n): number => {
    if (!solve(x, y, support)) return Infinity;
    let s = 0;
    for (let k = 0; k < nn; k++) s += Math.abs(y[k]);
    return Number.isFinite(s) ? s : Infinity;
  };
  /** Records sign(y) on the upper triangle. */
  const updateSigns = (): void => {
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) sign[i * n + j] = y[i * n + j] >= 0 ? 1 : -1;
  };
  /** y <- L^-*(sign matrix); returns the upper-triangle index of the largest |y| (-1 on failure). */
  const gradient = (): number => {
    for (let i = 0; i < n; i++) {
      x[i * n + i] = sign[i * n + i];
      for (let j = i + 1; j < n; j++) x[i * n + j] = x[j * n + i] = sign[i * n + j];
    }
    if (!solveAdjoint(x, y, n)) return -1;
    let best = -1,
      big = -1;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = Math.abs(y[i * n + j]);
        if (!(v <= Number.MAX_VALUE)) return -1;
        if (v > big) {
          big = v;
          best = i * n + j;
        }
      }
    }
    return best;
  };
  /** x <- the extreme point of the unit ball at upper-triangle index k. */
  const unit = (k: number): void => {
    x.fill(0);
    const i = Math.floor(k / n),
      j = k % n;
    if (i === j) x[k] = 1;
    else x[k] = x[j * n + i] = 0.5;
  };

  // x = (1/m) in u-coordinates
  for (let i = 0; i < n; i++) {
    x[i * n + i] = 1 / m;
    for (let j = i + 1; j < n; j++) x[i * n + j] = x[j * n + i] = 0.5 / m;
  }
  const est = apply();
  if (!Number.isFinite(est)) return Infinity;
  if (n === 1) return est;
  updateSigns();
  const j = gradient();
  if (j < 0) return Infinity;
  unit(j);
  const e = apply(Math.max(Math.floor(j / n), j % n) + 1);
  if (!Number.isFinite(e)) return Infinity;
  return Math.max(est, e);
}

export interface LyapunovCondition {
  /** Estimated relative condition number kappa of A X + X A^T = Q (see the module comment). */
  condition: number;
  /** max(kappa, 1) max(residual, eps): estimated bound on ||X_computed - X||_F / ||X||_F. */
  forwardErrorBound: number;
}

/**
 * Condition number and forward error bound of a solve, from the estimate of ||L^-1|| (estimateInverseLyapunovNorm),
 * the Frobenius norms of A, X, Q and the relative residual. For X = 0 (Q = 0: the computed zero is exact) the
 * condition is 2 ||A|| ||L^-1|| and the bound 0; the empty equation (n = 0, inverse norm 0) has condition 1.
 *
 * @example
 * ```ts
 * import { lyapunovCondition } from "ness/linalg";
 *
 * // A = I (2x2): L(X) = 2 X, ||L^-1|| = 1/2; X = I/2 solves it for Q = I.
 * const { condition } = lyapunovCondition(0.5, Math.SQRT2, Math.SQRT1_2, Math.SQRT2, 0);
 * console.log(condition.toFixed(6)); // => 2.414214 (= (2 ||A|| ||X|| + ||Q||) ||L^-1|| / ||X|| = 1 + sqrt 2)
 * ```
 */
export function lyapunovCondition(
  inverseNorm: number,
  normA: number,
  normX: number,
  normQ: number,
  residual: number,
): LyapunovCondition {
  // inverseNorm may be infinite (a singular operator): the caller then finds an infinite condition number
  const numbers =
    typeof inverseNorm === "number" &&
    typeof normA === "number" &&
    typeof normX === "number" &&
    typeof normQ === "number" &&
    typeof residual === "number";
  const valid = inverseNorm >= 0 && normA >= 0 && normA < Infinity && normX >= 0 && normX < Infinity && normQ >= 0;
  if (!numbers || !valid || !(normQ < Infinity && residual >= 0 && residual < Infinity)) {
    checkConditionArguments({ inverseNorm, normA, normX, normQ, residual });
  }
  if (inverseNorm === 0) return { condition: 1, forwardErrorBound: 0 };
  if (normX === 0) return { condition: 2 * normA * inverseNorm, forwardErrorBound: 0 };
  const condition = inverseNorm * (2 * normA + normQ / normX);
  // never below the residual itself: kappa >= 1 in exact norms, and the 1-norm estimate may fall a little short
  return { condition, forwardErrorBound: Math.max(condition, 1) * Math.max(residual, EPS) };
}

/** Throws for the first argument of lyapunovCondition that is not a number >= 0 (finite except inverseNorm). */
function checkConditionArguments(args: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(args)) {
    if (typeof v !== "number" || !(v >= 0) || (name !== "inverseNorm" && v === Infinity)) {
      throw new MatrixArgumentError(`lyapunovCondition: ${name} must be a finite number >= 0, got ${String(v)}`);
    }
  }
}

/** Compact number for messages: 4 significant digits, exponent form outside [1e-3, 1e5). */
export function formatNumber(x: number): string {
  if (x === 0) return "0";
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e5) return String(Number(x.toPrecision(4)));
  return x.toExponential(2).replace("e+", "e");
}

/** One-line description of the accuracy lost to conditioning, for warnings. */
export function conditionSummary(c: LyapunovCondition, residual: number): string {
  const bound = c.forwardErrorBound;
  return (
    `condition number ≈ ${formatNumber(c.condition)} with relative residual ${formatNumber(residual)}: the ` +
    `solution's relative error may reach ${formatNumber(bound)} (Frobenius norm)` +
    (bound >= 1 ? ", so no digit of it can be trusted" : "")
  );
}
