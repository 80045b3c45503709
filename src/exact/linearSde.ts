/**
 * Stationary state of a linear (Ornstein-Uhlenbeck) SDE dy = -A y dt + B dW: the covariance S solves
 * A S + S A^T = B B^T, and exists (unique, positive semidefinite) when every eigenvalue of A has a positive real part.
 */
import { NessError, SteadyStateError } from "../errors.js";
import { MatrixArgumentError } from "../linalg/errors.js";
import { SingularLyapunovError, prepareLyapunov, type ComplexNumber, type LyapunovSolver } from "../linalg/lyapunov.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import { checkArray, checkFinite, checkSquare } from "../linalg/validate.js";

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

/** A prepared stationary solver for one drift matrix: one Schur factorisation, many diffusion matrices. */
export interface StationarySolver {
  drift: Matrix;
  /** Slowest relaxation rate: smallest real part of the drift's eigenvalues. */
  slowestRate: number;
  solve(diffusion: Matrix): StationaryCovariance;
}

/**
 * Factorises the drift A of dy = -A y dt + B dW and checks that a stationary state exists (SteadyStateError with
 * the offending eigenvalue otherwise; MatrixArgumentError for a drift that is not a finite square matrix).
 *
 * @example
 * ```ts
 * import { prepareStationary } from "ness";
 * import { fromRows } from "ness/linalg";
 *
 * const solver = prepareStationary(fromRows([[1, -1], [0, 2]])); // one factorisation ...
 * for (const T of [1, 2]) {
 *   const s = solver.solve(fromRows([[2 * T, 0], [0, 0]]));     // ... many diffusion matrices
 *   console.log(s.residual < 1e-14);
 * }
 * console.log(solver.slowestRate); // => 1
 * ```
 */
export function prepareStationary(drift: Matrix): StationarySolver {
  checkSquare(drift, "the drift matrix");
  checkFinite(drift, "the drift matrix");
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
    drift,
    slowestRate: slowest,
    solve(diffusion: Matrix): StationaryCovariance {
      checkSquare(diffusion, "the diffusion matrix");
      if (diffusion.rows !== drift.rows) {
        throw new MatrixArgumentError(
          `the diffusion matrix must be ${drift.rows}x${drift.rows} like the drift, got ${diffusion.rows}x${diffusion.cols}`,
        );
      }
      let sol;
      try {
        sol = solver.solve(diffusion);
      } catch (err) {
        if (err instanceof SingularLyapunovError) {
          throw new SteadyStateError(`the stationary covariance cannot be computed: ${err.message}`);
        }
        throw err;
      }
      return {
        covariance: sol.X,
        residual: sol.residual,
        condition: sol.condition,
        forwardErrorBound: sol.forwardErrorBound,
        warnings: sol.warnings,
      };
    },
  };
}

/**
 * One-shot stationary covariance of dy = -A y dt + B dW, given the diffusion matrix D = B B^T.
 *
 * @example
 * ```ts
 * import { stationaryCovariance } from "ness";
 * import { fromRows } from "ness/linalg";
 *
 * // One overdamped coordinate: dx = -k x dt + sqrt(2 T) dW has the stationary variance T / k.
 * const k = 2, T = 3;
 * const s = stationaryCovariance(fromRows([[k]]), fromRows([[2 * T]]));
 * console.log(s.covariance.data[0]); // => 1.5
 * ```
 */
export function stationaryCovariance(drift: Matrix, diffusion: Matrix): StationaryCovariance {
  return prepareStationary(drift).solve(diffusion);
}

/**
 * Entropy production rate of the overdamped linear dynamics x' = -F x + sqrt(2 D) eta (D diagonal, positive):
 * Tr(D^-1 F S F^T) - Tr(F), with F S + S F^T = 2 D.
 */
export function overdampedEntropyProduction(force: Matrix, diffusionDiagonal: Float64Array, covariance: Matrix): number {
  checkSquare(force, "overdampedEntropyProduction: the force matrix");
  checkFinite(force, "overdampedEntropyProduction: the force matrix");
  const n = force.rows;
  checkSquare(covariance, "overdampedEntropyProduction: the covariance");
  if (covariance.rows !== n) {
    throw new MatrixArgumentError(`overdampedEntropyProduction: the covariance must be ${n}x${n} like the force matrix`);
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
  const F = force.data, S = covariance.data;
  const FS = matrix(n, n).data;
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
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
