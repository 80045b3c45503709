/**
 * The linear SDE problem both engines take: dy = -A y dt + B dW with drift A and diffusion D = B B^T, plain
 * structured-cloneable data (it crosses to workers as it is). The exact engine solves its stationary state
 * (src/exact: stationary(problem)); the stochastic engine steps it exactly (src/stochastic: exact stepping).
 *
 * Conventions (docs/architecture.md):
 *  - state y: positions q, then momenta p = m q' (underdamped), or positions only (overdamped), in the order of
 *    `stateNames`; matrices are N x N, row-major Float64Array;
 *  - friction gamma is the coefficient of the force -gamma q' (underdamped: m q'' = F - gamma q' + sqrt(2 gamma T) xi)
 *    or the inverse mobility (overdamped: gamma q' = F + sqrt(2 gamma T) xi); units with kB = 1, so a temperature is
 *    an energy;
 *  - the diffusion is symmetric positive semidefinite for a physical noise; only its symmetric part is used (the
 *    exact engine also solves with other symmetric right-hand sides, e.g. adjoint solves).
 */
import { ModelError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkFinite, checkSquare } from "../linalg/validate.js";
import { MatrixArgumentError } from "../linalg/errors.js";

export interface LinearSdeProblem {
  kind: "linear-sde";
  /** Drift A (N x N) of dy = -A y dt + B dW. A stationary state exists when every eigenvalue has a positive real part. */
  drift: Matrix;
  /** Diffusion D = B B^T (N x N; only its symmetric part is used). */
  diffusion: Matrix;
  /** Names of the N state coordinates, in the order of the matrices (networks: q:a, q:b, ..., then p:a, ...). */
  stateNames: string[];
  /**
   * "underdamped": y = (q, p), p = m q', the first N/2 coordinates are positions; "overdamped": y = q; absent for a
   * linear SDE that is not a mechanical system (e.g. linearised energy fluctuations).
   */
  dynamics?: "underdamped" | "overdamped";
  /** Underdamped: the mass of each position coordinate (N/2 numbers). */
  masses?: Float64Array;
  /** Where the problem came from (a model file), for messages. */
  source?: string;
}

export interface LinearSdeInput {
  drift: Matrix;
  diffusion: Matrix;
  /** Default y1, y2, ... */
  stateNames?: string[];
  dynamics?: "underdamped" | "overdamped";
  masses?: Float64Array;
  source?: string;
}

/**
 * A linear SDE problem from a drift and a diffusion matrix (wrapped, not copied), after checking them:
 * MatrixArgumentError for matrices that are not finite, square and of one size; ModelError for names or masses that
 * do not fit.
 *
 * @example
 * ```ts
 * import { linearSdeProblem, stationary } from "ness";
 * import { fromRows } from "ness/linalg";
 *
 * // An underdamped oscillator (m = k = gamma = 1) at T = 2: y = (q, p), dq = p dt, dp = (-q - p) dt + sqrt(2 T) dW.
 * const problem = linearSdeProblem({
 *   drift: fromRows([[0, -1], [1, 1]]),
 *   diffusion: fromRows([[0, 0], [0, 4]]),
 *   stateNames: ["q", "p"],
 * });
 * const S = stationary(problem).covariance.data;
 * console.log(S[0].toFixed(12), S[3].toFixed(12)); // => 2.000000000000 2.000000000000 (equipartition: <q^2> = T/k, <p^2> = m T)
 * ```
 */
export function linearSdeProblem(input: LinearSdeInput): LinearSdeProblem {
  if (input === null || typeof input !== "object")
    throw new ModelError(`linearSdeProblem: expected {drift, diffusion, ...}, got ${String(input)}`);
  const problem: LinearSdeProblem = {
    kind: "linear-sde",
    drift: input.drift,
    diffusion: input.diffusion,
    stateNames: input.stateNames ?? Array.from({ length: input.drift?.rows ?? 0 }, (_, k) => `y${k + 1}`),
    ...(input.dynamics !== undefined ? { dynamics: input.dynamics } : {}),
    ...(input.masses !== undefined ? { masses: input.masses } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
  };
  checkLinearSdeProblem(problem, "linearSdeProblem");
  return problem;
}

/**
 * Checks that a value is a LinearSdeProblem an engine can use (the same rules as linearSdeProblem), naming `where`
 * in the message. Cost: one pass over both matrices.
 */
export function checkLinearSdeProblem(problem: unknown, where: string): asserts problem is LinearSdeProblem {
  const p = problem as Partial<LinearSdeProblem> | null;
  if (p === null || typeof p !== "object" || p.kind !== "linear-sde") {
    throw new ModelError(
      `${where}: expected a linear SDE problem (from linearSdeProblem, networkProblem or particlesProblem)`,
    );
  }
  checkSquare(p.drift, `${where}: the drift matrix`);
  checkFinite(p.drift, `${where}: the drift matrix`);
  checkSquare(p.diffusion, `${where}: the diffusion matrix`);
  const N = p.drift.rows;
  if (p.diffusion.rows !== N) {
    throw new MatrixArgumentError(
      `${where}: the diffusion matrix must be ${N}x${N} like the drift, got ${p.diffusion.rows}x${p.diffusion.cols}`,
    );
  }
  checkFinite(p.diffusion, `${where}: the diffusion matrix`);
  if (!Array.isArray(p.stateNames) || p.stateNames.length !== N || p.stateNames.some((s) => typeof s !== "string")) {
    throw new ModelError(`${where}: stateNames must be ${N} names, one per state coordinate`, p.source);
  }
  if (p.dynamics !== undefined && p.dynamics !== "underdamped" && p.dynamics !== "overdamped") {
    throw new ModelError(`${where}: dynamics must be "underdamped" or "overdamped"`, p.source);
  }
  if (p.masses !== undefined) {
    const m = p.masses;
    if (
      p.dynamics !== "underdamped" ||
      !(m instanceof Float64Array) ||
      2 * m.length !== N ||
      !m.every((x) => x > 0 && x < Infinity)
    ) {
      throw new ModelError(
        `${where}: masses are given for underdamped problems only, one finite positive number per position (${N / 2})`,
        p.source,
      );
    }
  }
}
