/**
 * The exact engine's core: the stationary state of a linear (Ornstein-Uhlenbeck) SDE problem dy = -A y dt + B dW
 * (src/problem/linearSde.ts). The covariance S solves A S + S A^T = B B^T, and exists (unique, positive semidefinite)
 * when every eigenvalue of A has a positive real part. Three entry points:
 *  - stationary(problem): one solve, with its residual, condition estimate, forward error bound and warnings;
 *  - prepareStationary(problem): one factorisation of the drift, then many diffusions (a flux split by source bath,
 *    adjoint solves), each solve reported like stationary's;
 *  - prepareInPlace(problem): for tiny states (n <= IN_PLACE_MAX_N), an allocation-free solve on the problem's own
 *    arrays, which the caller overwrites between solves: a sweep of 10^5 points builds no object per point.
 */
import { NessError, SteadyStateError } from "../errors.js";
import { MatrixArgumentError } from "../linalg/errors.js";
import {
  SingularLyapunovError,
  TINY_MAX_N,
  prepareLyapunov,
  tinyLyapunovInto,
  type ComplexNumber,
  type LyapunovSolution,
  type LyapunovSolver,
} from "../linalg/lyapunov.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import { checkArray, checkFinite, checkSquare } from "../linalg/validate.js";
import { checkLinearSdeProblem, type LinearSdeProblem } from "../problem/linearSde.js";

/** One stationary solve. */
export interface StationaryCovariance {
  covariance: Matrix;
  /** Relative residual of the Lyapunov solve. */
  residual: number;
  /**
   * Estimated relative condition number of the Lyapunov equation A S + S A^T = B B^T (src/linalg/lyapunovCondition.ts):
   * relative changes of A or B B^T are amplified up to this factor in S.
   */
  condition: number;
  /** Estimated bound on the relative error of the covariance (Frobenius norm): max(condition, 1) max(residual, 2^-52). */
  forwardErrorBound: number;
  /** Conditioning warnings (an ill-conditioned equation, an inaccurate solve). */
  warnings: string[];
}

/** The stationary state of a linear SDE problem. */
export interface Stationary extends StationaryCovariance {
  /** Slowest relaxation rate: smallest real part of the drift's eigenvalues (1 / the longest relaxation time). */
  slowestRate: number;
}

/** A prepared stationary solver for one drift matrix: one Schur factorisation, many diffusion matrices. */
export interface StationarySolver {
  problem: LinearSdeProblem;
  /** Slowest relaxation rate: smallest real part of the drift's eigenvalues. */
  slowestRate: number;
  /** Eigenvalues of the drift A (conjugate pairs adjacent; real parts are relaxation rates). */
  eigenvalues: { re: Float64Array; im: Float64Array };
  /**
   * Solves A S + S A^T = D for the problem's diffusion, or another symmetric D of the same size (only its symmetric
   * part is used): a diffusion per source bath, an adjoint right-hand side.
   */
  solve(diffusion?: Matrix): Stationary;
  /**
   * The covariances S_k of several diffusions D_k (e.g. one per heat bath) with their sum S, reported as the solve
   * for sum_k D_k (residual, condition, warnings): one triangular solve and one back-transform per part, one
   * residual (LyapunovSolver.solveSum).
   */
  solveSum(diffusions: readonly Matrix[]): { total: Stationary; parts: Matrix[] };
  /**
   * Solves the adjoint equation A^T Y + Y A = C (C symmetric, e.g. the gradient of an observable that is linear in
   * S) on the same factorisation, reported like solve(): <C, S> changes by <Y, dD> when D changes by dD.
   */
  solveAdjoint(c: Matrix): Stationary;
}

/**
 * Factorises the drift A of the problem and checks that a stationary state exists (SteadyStateError with the
 * offending eigenvalue otherwise; MatrixArgumentError for a drift that is not a finite square matrix).
 *
 * @example
 * ```ts
 * import { linearSdeProblem, prepareStationary } from "ness";
 * import { fromRows } from "ness/linalg";
 *
 * const problem = linearSdeProblem({ drift: fromRows([[1, -1], [0, 2]]), diffusion: fromRows([[2, 0], [0, 0]]) });
 * const solver = prepareStationary(problem); // one factorisation ...
 * for (const T of [1, 2]) {
 *   const s = solver.solve(fromRows([[2 * T, 0], [0, 0]])); // ... many diffusion matrices
 *   console.log(s.residual < 1e-14); // => true
 * }
 * console.log(solver.slowestRate); // => 1
 * ```
 */
export function prepareStationary(problem: LinearSdeProblem): StationarySolver {
  checkLinearSdeProblem(problem, "prepareStationary");
  const drift = problem.drift;
  let solver: LyapunovSolver;
  try {
    solver = prepareLyapunov(drift);
  } catch (err) {
    // two eigenvalues cancel: for a stable drift impossible, so one of them does not relax or grows
    if (err instanceof SingularLyapunovError && !err.numerical) throw notRelaxing(err);
    if (err instanceof MatrixArgumentError) throw err;
    if (err instanceof NessError) throw new SteadyStateError(`cannot factorise the drift matrix: ${err.message}`);
    throw err;
  }
  const { re, im } = solver.eigenvalues;
  let slowest = Infinity;
  let worst = 0;
  for (let k = 0; k < re.length; k++) {
    if (re[k] < slowest) {
      slowest = re[k];
      worst = k;
    }
  }
  let scale = 0;
  for (let k = 0; k < re.length; k++) scale = Math.max(scale, Math.hypot(re[k], im[k]));
  if (!(slowest > 1e-13 * Math.max(scale, 1e-300))) {
    const ev = `${fmt(re[worst])}${im[worst] >= 0 ? "+" : "-"}${fmt(Math.abs(im[worst]))}i`;
    throw new SteadyStateError(
      slowest > -1e-13 * scale
        ? `no unique steady state: the drift has a mode that does not relax (eigenvalue ${ev})`
        : `unstable: the drift has a growing mode (eigenvalue ${ev})`,
    );
  }
  return {
    problem,
    slowestRate: slowest,
    eigenvalues: solver.eigenvalues,
    solve(diffusion: Matrix = problem.diffusion): Stationary {
      if (diffusion !== problem.diffusion) checkSize(diffusion, drift.rows, "the diffusion matrix");
      return report(
        solvingSteadyState(() => solver.solve(diffusion)),
        slowest,
      );
    },
    solveSum(diffusions: readonly Matrix[]): { total: Stationary; parts: Matrix[] } {
      if (!Array.isArray(diffusions) || diffusions.length === 0) {
        throw new MatrixArgumentError("solveSum needs a non-empty list of diffusion matrices");
      }
      for (const d of diffusions) checkSize(d, drift.rows, "the diffusion matrix");
      const { total, parts } = solvingSteadyState(() => solver.solveSum(diffusions));
      return { total: report(total, slowest), parts };
    },
    solveAdjoint(c: Matrix): Stationary {
      checkSize(c, drift.rows, "solveAdjoint: C");
      return report(
        solvingSteadyState(() => solver.solveAdjoint(c), "the adjoint equation A^T Y + Y A = C cannot be solved"),
        slowest,
      );
    },
  };
}

/** `what` (e.g. "the diffusion matrix") must be an n x n matrix like the drift. */
function checkSize(m: Matrix, n: number, what: string): void {
  checkSquare(m, what);
  if (m.rows !== n) throw new MatrixArgumentError(`${what} must be ${n}x${n} like the drift, got ${m.rows}x${m.cols}`);
}

/** Runs a Lyapunov solve, reporting a singular equation as a SteadyStateError that begins with `failure`. */
function solvingSteadyState<R>(fn: () => R, failure = "the stationary covariance cannot be computed"): R {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SingularLyapunovError) {
      throw new SteadyStateError(`${failure}: ${err.message}`);
    }
    throw err;
  }
}

function report(sol: LyapunovSolution, slowestRate: number): Stationary {
  return {
    covariance: sol.X,
    residual: sol.residual,
    condition: sol.condition,
    forwardErrorBound: sol.forwardErrorBound,
    slowestRate,
    warnings: sol.warnings,
  };
}

/**
 * The stationary state of a linear SDE problem: covariance, residual, condition estimate, forward error bound,
 * slowest relaxation rate and warnings. Throws SteadyStateError when the drift has a mode that does not relax or
 * grows, MatrixArgumentError for matrices that are not finite, square and of one size.
 *
 * @example
 * ```ts
 * import { linearSdeProblem, stationary } from "ness";
 * import { fromRows } from "ness/linalg";
 *
 * // One overdamped coordinate: dx = -k x dt + sqrt(2 T) dW has the stationary variance T / k.
 * const k = 2, T = 3;
 * const s = stationary(linearSdeProblem({ drift: fromRows([[k]]), diffusion: fromRows([[2 * T]]) }));
 * console.log(s.covariance.data[0], s.slowestRate); // => 1.5 2
 * ```
 */
export function stationary(problem: LinearSdeProblem): Stationary {
  checkLinearSdeProblem(problem, "stationary");
  return prepareStationary(problem).solve();
}

/** Largest state for which prepareInPlace solves (the Kronecker system of n(n+1)/2 unknowns; cost grows as n^6). */
export const IN_PLACE_MAX_N = TINY_MAX_N;

/** An allocation-free stationary solver for a tiny problem whose matrices the caller overwrites between solves. */
export interface InPlaceStationary {
  /** The problem: write the next drift into problem.drift.data and diffusion into problem.diffusion.data. */
  readonly problem: LinearSdeProblem;
  readonly n: number;
  /**
   * Solves A S + S A^T = D for the problem's current matrices, writes S (n x n, row-major, exactly symmetric) into
   * `out` and returns the relative residual. No allocation. It does not test the drift's stability at every point
   * (that needs its eigenvalues): the caller guarantees it (e.g. by the ranges of its parameters) or checks a point
   * with stationary(). Throws SteadyStateError when the equation is singular to working precision.
   */
  solveInto(out: Float64Array): number;
}

/**
 * Prepares the allocation-free solver of a problem with at most IN_PLACE_MAX_N state coordinates: a parameter sweep
 * rewrites the problem's drift and diffusion in place and calls solveInto at every point.
 *
 * @example
 * ```ts
 * import { linearSdeProblem, prepareInPlace } from "ness";
 * import { fromRows } from "ness/linalg";
 *
 * // A sweep of the stiffness k of dx = -k x dt + sqrt(2 T) dW (T = 1) without allocating per point: <x^2> = 1 / k.
 * const solver = prepareInPlace(linearSdeProblem({ drift: fromRows([[1]]), diffusion: fromRows([[2]]) }));
 * const out = new Float64Array(1);
 * let sum = 0;
 * for (const k of [1, 2, 4]) {
 *   solver.problem.drift.data[0] = k; // rewrite the problem's matrices in place
 *   solver.solveInto(out);
 *   sum += out[0];
 * }
 * console.log(sum); // => 1.75
 * ```
 */
export function prepareInPlace(problem: LinearSdeProblem): InPlaceStationary {
  checkLinearSdeProblem(problem, "prepareInPlace");
  const n = problem.drift.rows;
  if (n > IN_PLACE_MAX_N) {
    throw new MatrixArgumentError(
      `prepareInPlace solves at most ${IN_PLACE_MAX_N} state coordinates, got ${n}: use prepareStationary`,
    );
  }
  const a = problem.drift.data,
    d = problem.diffusion.data;
  return {
    problem,
    n,
    solveInto(out: Float64Array): number {
      checkArray(out, n * n, "solveInto: the covariance");
      try {
        return tinyLyapunovInto(n, a, d, out);
      } catch (err) {
        if (err instanceof SingularLyapunovError) {
          throw new SteadyStateError(`the stationary covariance cannot be computed: ${err.message}`, problem.source);
        }
        throw err;
      }
    },
  };
}

/**
 * Entropy production rate of the overdamped linear dynamics x' = -F x + sqrt(2 D) eta (D diagonal, positive):
 * Tr(D^-1 F S F^T) - Tr(F), with F S + S F^T = 2 D.
 */
export function overdampedEntropyProduction(
  force: Matrix,
  diffusionDiagonal: Float64Array,
  covariance: Matrix,
): number {
  checkSquare(force, "overdampedEntropyProduction: the force matrix");
  checkFinite(force, "overdampedEntropyProduction: the force matrix");
  const n = force.rows;
  checkSquare(covariance, "overdampedEntropyProduction: the covariance");
  if (covariance.rows !== n) {
    throw new MatrixArgumentError(
      `overdampedEntropyProduction: the covariance must be ${n}x${n} like the force matrix`,
    );
  }
  checkFinite(covariance, "overdampedEntropyProduction: the covariance");
  checkArray(diffusionDiagonal, n, "overdampedEntropyProduction: the diffusion diagonal");
  for (let i = 0; i < n; i++) {
    if (!(diffusionDiagonal[i] > 0 && diffusionDiagonal[i] < Infinity)) {
      throw new MatrixArgumentError(
        `overdampedEntropyProduction: diffusion coefficient ${i} must be finite and > 0, got ${diffusionDiagonal[i]}`,
      );
    }
  }
  const F = force.data,
    S = covariance.data;
  const FS = matrix(n, n).data;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const f = F[i * n + k];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) FS[i * n + j] += f * S[k * n + j];
    }
  let total = 0;
  for (let i = 0; i < n; i++) {
    let fsf = 0;
    for (let k = 0; k < n; k++) fsf += FS[i * n + k] * F[i * n + k];
    total += fsf / diffusionDiagonal[i] - F[i * n + i];
  }
  return total;
}

/** The SteadyStateError for a drift with cancelling eigenvalues: the one with the smaller real part is the culprit. */
function notRelaxing(err: SingularLyapunovError): SteadyStateError {
  const w: ComplexNumber = err.lambda1.re <= err.lambda2.re ? err.lambda1 : err.lambda2;
  const ev = `${fmt(w.re)}${w.im >= 0 ? "+" : "-"}${fmt(Math.abs(w.im))}i`;
  return new SteadyStateError(
    w.re > -1e-13 * err.normA
      ? `no unique steady state: the drift has a mode that does not relax (eigenvalue ${ev})`
      : `unstable: the drift has a growing mode (eigenvalue ${ev})`,
  );
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
