/**
 * Model-free estimators of the entropy production rate from a sampled stationary trajectory (no forces, no
 * temperatures: only the recorded states), each a lower bound of the true rate sigma:
 *
 * - time-reversal (Kullback-Leibler) estimators, after Roldán and Parrondo, "Estimating dissipation from single
 *   stationary trajectories", Phys. Rev. Lett. 105, 150607 (2010): the relative entropy per unit time between the
 *   law of a pair of states (x_t, x_{t+tau}) and that of its time reverse (x_{t+tau}, x_t). For a Markov process
 *   observed in full it bounds sigma from below (the law of the whole path carries at least as much irreversibility);
 *   coarse-graining the states lowers it further. Two forms:
 *     transitionKl: states coarse-grained into bins, the plug-in estimate sum_ij p_ij ln(p_ij / p_ji) / tau over the
 *       transitions seen in both directions (Roldán and Parrondo's choice); it is biased upwards by roughly the number
 *       of occupied transition pairs over twice the number of independent transitions: use long trajectories;
 *     gaussianKl: the same divergence for Gaussian laws with the measured covariances C_0 = <x x^T> and
 *       C_tau = <x_{t+tau} x_t^T>, (1/2) tr(Sigma_r^-1 Sigma_f) - n over tau; exact for linear (Ornstein-Uhlenbeck)
 *       models, a second-moment approximation otherwise.
 * - the thermodynamic uncertainty relation, Barato and Seifert, "Thermodynamic Uncertainty Relation for Biomolecular
 *   Processes", Phys. Rev. Lett. 114, 158101 (2015): for any current J_t accumulated over a time t,
 *   sigma >= 2 <J_t>^2 / (t Var J_t) as t -> infinity, i.e. sigma >= j^2 / D_J with j the mean rate and D_J the
 *   current's diffusion coefficient (t Var(J_t / t) / 2 over long blocks).
 *
 * Every estimate comes with a jackknife error bar over contiguous blocks of the trajectory (blocks much longer than
 * the correlation time make it honest). Units: kB = 1, rates per unit time. Browser-safe.
 */
import { requireObject, requireOptions } from "../arguments.js";
import { ModelError } from "../errors.js";
import { jackknife } from "./statistics.js";
import * as portable from "../special/elementary.js";

/** A model-free estimate with its jackknife error bar. */
export interface ModelFreeEstimate {
  /** The entropy production rate bound (per unit time). */
  value: number;
  /** One standard error (jackknife over blocks). */
  error: number;
  /** Number of blocks of the jackknife. */
  blocks: number;
}

/** A trajectory: `steps` states of `dim` coordinates, row-major, sampled every `dt`. */
export interface SampledTrajectory {
  states: Float64Array;
  dim: number;
  dt: number;
}

/** The trajectory argument's shape: an object with a Float64Array of states, an integer dim and a dt. */
function checkTrajectoryArgument(t: unknown, where: string, options?: unknown): asserts t is SampledTrajectory {
  requireObject(t, `${where}: the trajectory`);
  requireOptions(options, `${where}: the options`);
  if (!(t.states instanceof Float64Array)) throw new ModelError(`${where}: states must be a Float64Array`);
  if (!Number.isSafeInteger(t.dim) || (t.dim as number) < 1)
    throw new ModelError(`${where}: dim must be a positive integer`);
}

function checkTrajectory(t: SampledTrajectory, where: string, lag: number, blocks: number): number {
  if (!(t.states instanceof Float64Array)) throw new ModelError(`${where}: states must be a Float64Array`);
  if (!Number.isSafeInteger(t.dim) || t.dim < 1) throw new ModelError(`${where}: dim must be a positive integer`);
  if (t.states.length % t.dim !== 0)
    throw new ModelError(`${where}: ${t.states.length} numbers are not whole states of ${t.dim} coordinates`);
  if (!(t.dt > 0) || !Number.isFinite(t.dt)) throw new ModelError(`${where}: dt must be a positive finite number`);
  if (!Number.isSafeInteger(lag) || lag < 1) throw new ModelError(`${where}: lag must be a positive integer`);
  if (!Number.isSafeInteger(blocks) || blocks < 2) throw new ModelError(`${where}: blocks must be an integer >= 2`);
  const steps = t.states.length / t.dim;
  if (steps < blocks * (lag + 1) * 4)
    throw new ModelError(
      `${where}: ${steps} states are too few for ${blocks} blocks at lag ${lag} (at least ${blocks * (lag + 1) * 4})`,
    );
  for (const v of t.states) if (!Number.isFinite(v)) throw new ModelError(`${where}: the states must be finite`);
  return steps;
}

/**
 * The time-reversal estimate from coarse-grained transitions: each coordinate binned into `bins` equal bins over its
 * observed range (or `range`, [lo, hi] per coordinate), transitions counted at a lag of `lag` samples.
 *
 * @example
 * ```ts
 * import { Rng, transitionKl } from "ness";
 *
 * // dx = -A x dt + sqrt(2 dt) xi with A = [[1, -0.5], [0.5, 1]]: exact rate Tr(A A^T) - Tr(A) = 0.5.
 * const dt = 0.01, n = 100_000, rng = Rng.stream(1);
 * const states = new Float64Array(2 * n);
 * let x = 0, y = 0;
 * for (let i = 0; i < n; i++) {
 *   [x, y] = [x + (-x + 0.5 * y) * dt + Math.sqrt(2 * dt) * rng.normal(), y + (-y - 0.5 * x) * dt + Math.sqrt(2 * dt) * rng.normal()];
 *   states[2 * i] = x;
 *   states[2 * i + 1] = y;
 * }
 * const kl = transitionKl({ states, dim: 2, dt }, { lag: 5, bins: 6 });
 * console.log(kl.value > 4 * kl.error, kl.value < 0.5); // => true true
 * ```
 */
export function transitionKl(
  t: SampledTrajectory,
  options: { lag?: number; bins?: number; blocks?: number; range?: [number, number][] } = {},
): ModelFreeEstimate {
  checkTrajectoryArgument(t, "transitionKl", options);
  const lag = options.lag ?? 1,
    bins = options.bins ?? 8,
    B = options.blocks ?? 16;
  const steps = checkTrajectory(t, "transitionKl", lag, B);
  const d = t.dim;
  if (!Number.isSafeInteger(bins) || bins < 2) throw new ModelError("transitionKl: bins must be an integer >= 2");
  const M = bins ** d;
  if (M > 1024) throw new ModelError(`transitionKl: ${bins}^${d} = ${M} states is more than 1024; use fewer bins`);
  const lo = new Float64Array(d),
    hi = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    if (options.range) {
      lo[k] = options.range[k][0];
      hi[k] = options.range[k][1];
    } else {
      lo[k] = Infinity;
      hi[k] = -Infinity;
      for (let i = 0; i < steps; i++) {
        const v = t.states[i * d + k];
        if (v < lo[k]) lo[k] = v;
        if (v > hi[k]) hi[k] = v;
      }
    }
    if (!(hi[k] > lo[k])) throw new ModelError(`transitionKl: coordinate ${k} does not vary`);
  }
  const state = new Int32Array(steps);
  for (let i = 0; i < steps; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const b = Math.floor(((t.states[i * d + k] - lo[k]) / (hi[k] - lo[k])) * bins);
      s = s * bins + Math.min(bins - 1, Math.max(0, b));
    }
    state[i] = s;
  }
  // Transition counts per block (transition i -> i + lag belongs to the block of i).
  const per = Math.floor((steps - lag) / B);
  const counts = Array.from({ length: B }, () => new Float64Array(M * M));
  const total = new Float64Array(M * M);
  for (let b = 0; b < B; b++)
    for (let i = b * per; i < (b + 1) * per; i++) {
      const c = state[i] * M + state[i + lag];
      counts[b][c]++;
      total[c]++;
    }
  const tau = lag * t.dt;
  const kl = (skip: number) => {
    let n = 0;
    for (let c = 0; c < M * M; c++) n += total[c] - (skip >= 0 ? counts[skip][c] : 0);
    let s = 0;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < M; j++) {
        if (i === j) continue;
        const nij = total[i * M + j] - (skip >= 0 ? counts[skip][i * M + j] : 0);
        const nji = total[j * M + i] - (skip >= 0 ? counts[skip][j * M + i] : 0);
        if (nij > 0 && nji > 0) s += nij * portable.log(nij / nji);
      }
    return [s / n / tau];
  };
  const jk = jackknife(B, kl);
  return { value: jk.value[0], error: jk.error[0], blocks: B };
}

/**
 * The time-reversal estimate for Gaussian laws with the trajectory's covariances at lag `lag` samples.
 *
 * @example
 * ```ts
 * import { Rng, gaussianKl } from "ness";
 *
 * // dx = -A x dt + sqrt(2 dt) xi with A = [[1, -0.5], [0.5, 1]]: exact rate Tr(A A^T) - Tr(A) = 0.5.
 * const dt = 0.01, n = 100_000, rng = Rng.stream(1);
 * const states = new Float64Array(2 * n);
 * let x = 0, y = 0;
 * for (let i = 0; i < n; i++) {
 *   [x, y] = [x + (-x + 0.5 * y) * dt + Math.sqrt(2 * dt) * rng.normal(), y + (-y - 0.5 * x) * dt + Math.sqrt(2 * dt) * rng.normal()];
 *   states[2 * i] = x;
 *   states[2 * i + 1] = y;
 * }
 * const kl = gaussianKl({ states, dim: 2, dt }, { lag: 1 });
 * console.log(Math.abs(kl.value - 0.5) < 4 * kl.error); // => true
 * ```
 */
export function gaussianKl(t: SampledTrajectory, options: { lag?: number; blocks?: number } = {}): ModelFreeEstimate {
  checkTrajectoryArgument(t, "gaussianKl", options);
  const lag = options.lag ?? 1,
    B = options.blocks ?? 16;
  const steps = checkTrajectory(t, "gaussianKl", lag, B);
  const d = t.dim,
    x = t.states;
  if (d > 32) throw new ModelError(`gaussianKl: ${d} coordinates is more than 32`);
  // Per block: sums of x, x x^T (at t) and x_{t+lag} x_t^T.
  const per = Math.floor((steps - lag) / B);
  const S1 = Array.from({ length: B }, () => new Float64Array(d));
  const S2 = Array.from({ length: B }, () => new Float64Array(d * d));
  const St = Array.from({ length: B }, () => new Float64Array(d * d));
  for (let b = 0; b < B; b++)
    for (let i = b * per; i < (b + 1) * per; i++) {
      const o = i * d,
        o2 = (i + lag) * d;
      for (let k = 0; k < d; k++) {
        S1[b][k] += x[o + k];
        for (let l = 0; l < d; l++) {
          S2[b][k * d + l] += x[o + k] * x[o + l];
          St[b][k * d + l] += x[o2 + k] * x[o + l];
        }
      }
    }
  const tau = lag * t.dt;
  const estimate = (skip: number) => {
    const n = (B - (skip >= 0 ? 1 : 0)) * per;
    const m = new Float64Array(d),
      C0 = new Float64Array(d * d),
      Ct = new Float64Array(d * d);
    for (let b = 0; b < B; b++) {
      if (b === skip) continue;
      for (let k = 0; k < d; k++) m[k] += S1[b][k] / n;
      for (let k = 0; k < d * d; k++) {
        C0[k] += S2[b][k] / n;
        Ct[k] += St[b][k] / n;
      }
    }
    for (let k = 0; k < d; k++)
      for (let l = 0; l < d; l++) {
        C0[k * d + l] -= m[k] * m[l];
        Ct[k * d + l] -= m[k] * m[l];
      }
    // Symmetrize C0 (it is symmetric up to round-off).
    for (let k = 0; k < d; k++)
      for (let l = 0; l < k; l++) {
        const v = 0.5 * (C0[k * d + l] + C0[l * d + k]);
        C0[k * d + l] = C0[l * d + k] = v;
      }
    return [gaussianPairKl(C0, Ct, d) / tau];
  };
  const jk = jackknife(B, estimate);
  return { value: jk.value[0], error: jk.error[0], blocks: B };
}

/**
 * The reversed pair covariance [[C0, Ct], [Ct^T, C0]] measured from a trajectory is not positive definite: coordinates
 * that barely move over one lag (positions of an underdamped model recorded at every step are smooth in time, so the
 * pair law is nearly singular and sampling noise tips its reverse over), or a short run. modelFreeEntropy reports
 * the estimator as not applicable then, with the reason.
 */
class NotPositiveDefinite extends ModelError {}

/**
 * KL divergence between N(0, Sigma_f) and N(0, Sigma_r) with Sigma_f = [[C0, Ct^T], [Ct, C0]] (the law of
 * (x_t, x_{t+tau})) and Sigma_r = [[C0, Ct], [Ct^T, C0]] (its reverse): (1/2) tr(Sigma_r^-1 Sigma_f) - n (the
 * determinants are equal). Exported for the tests, which feed it exact covariances.
 */
export function gaussianPairKl(C0: Float64Array, Ct: Float64Array, d: number): number {
  const n = 2 * d;
  const F = new Float64Array(n * n),
    R = new Float64Array(n * n);
  for (let k = 0; k < d; k++)
    for (let l = 0; l < d; l++) {
      F[k * n + l] = F[(d + k) * n + d + l] = C0[k * d + l];
      R[k * n + l] = R[(d + k) * n + d + l] = C0[k * d + l];
      F[(d + k) * n + l] = Ct[k * d + l]; // <x_{t+tau} x_t^T>
      F[k * n + d + l] = Ct[l * d + k];
      R[k * n + d + l] = Ct[k * d + l];
      R[(d + k) * n + l] = Ct[l * d + k];
    }
  // tr(R^-1 F) by Cholesky of R.
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = R[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0))
          throw new NotPositiveDefinite("gaussianKl: the covariance of the state pairs is not positive definite");
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  let trace = 0;
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Solve R y = F[:, c]; add y[c].
    for (let i = 0; i < n; i++) {
      let s = F[i * n + c];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
      y[i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * y[k];
      y[i] = s / L[i * n + i];
    }
    trace += y[c];
  }
  return Math.max(0, 0.5 * trace - d);
}

/**
 * The increments of the stochastic area current J = integral (x_a o dx_b - x_b o dx_a) (Stratonovich: midpoints),
 * one per step of the trajectory: a current every nonequilibrium steady state with phase-space circulation carries.
 *
 * @example
 * ```ts
 * import { areaIncrements } from "ness";
 *
 * // One step from (1, 0) to (0, 1): the midpoint (0.5, 0.5) times the step (-1, 1) gives 0.5 + 0.5.
 * const j = areaIncrements({ states: Float64Array.from([1, 0, 0, 1]), dim: 2, dt: 1 }, 0, 1);
 * console.log(j[0]); // => 1
 * ```
 */
export function areaIncrements(t: SampledTrajectory, a: number, b: number): Float64Array {
  checkTrajectoryArgument(t, "areaIncrements");
  const d = t.dim,
    x = t.states,
    steps = x.length / d;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b < 0 || a >= d || b >= d || a === b)
    throw new ModelError(`areaIncrements: coordinates ${a}, ${b} must be two different indices below ${d}`);
  const out = new Float64Array(Math.max(0, steps - 1));
  for (let i = 0; i + 1 < steps; i++) {
    const xa = 0.5 * (x[i * d + a] + x[(i + 1) * d + a]),
      xb = 0.5 * (x[i * d + b] + x[(i + 1) * d + b]);
    out[i] = xa * (x[(i + 1) * d + b] - x[i * d + b]) - xb * (x[(i + 1) * d + a] - x[i * d + a]);
  }
  return out;
}

/** The TUR bound j^2 / D_J of the entropy production from a current's increments per step `dt`, with its parts. */
export interface TurBound extends ModelFreeEstimate {
  /** Mean rate j of the current. */
  current: number;
  /** Its diffusion coefficient D_J = lim t Var(J_t / t) / 2, from the variance of block means. */
  diffusion: number;
}

/**
 * The thermodynamic uncertainty relation bound from a current's increments (one per step of length dt).
 *
 * @example
 * ```ts
 * import { Rng, turBound } from "ness";
 *
 * // A drifted random walk: rate 1, diffusion 0.5, so the bound j^2 / D is 2.
 * const dt = 0.01, rng = Rng.stream(2);
 * const increments = Float64Array.from({ length: 100_000 }, () => dt + Math.sqrt(dt) * rng.normal());
 * const tur = turBound(increments, dt);
 * console.log(Math.abs(tur.value - 2) < 4 * tur.error); // => true
 * ```
 */
export function turBound(increments: Float64Array, dt: number, options: { blocks?: number } = {}): TurBound {
  const B = options.blocks ?? 32;
  if (!(increments instanceof Float64Array)) throw new ModelError("turBound: increments must be a Float64Array");
  if (!(dt > 0) || !Number.isFinite(dt)) throw new ModelError("turBound: dt must be a positive finite number");
  if (!Number.isSafeInteger(B) || B < 4) throw new ModelError("turBound: blocks must be an integer >= 4");
  const per = Math.floor(increments.length / B);
  if (per < 2) throw new ModelError(`turBound: ${increments.length} increments are too few for ${B} blocks`);
  const rate = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = b * per; i < (b + 1) * per; i++) s += increments[i];
    if (!Number.isFinite(s)) throw new ModelError("turBound: the increments must be finite");
    rate[b] = s / (per * dt);
  }
  const tb = per * dt;
  const parts = (skip: number) => {
    const n = B - (skip >= 0 ? 1 : 0);
    let m = 0;
    for (let b = 0; b < B; b++) if (b !== skip) m += rate[b] / n;
    let v = 0;
    for (let b = 0; b < B; b++) if (b !== skip) v += (rate[b] - m) ** 2 / (n - 1);
    const D = (v * tb) / 2;
    return [(m * m) / D, m, D];
  };
  const jk = jackknife(B, parts);
  return { value: jk.value[0], error: jk.error[0], blocks: B, current: jk.value[1], diffusion: jk.value[2] };
}

/** One row of modelFreeEntropy: an estimator, its estimate (or null when it does not apply) and what it is. */
export interface ModelFreeRow {
  /** "gaussian KL", "transition KL" or "TUR (area current)". */
  estimator: string;
  /** The estimate, or null when the estimator does not apply (the reason is in `note`). */
  estimate: ModelFreeEstimate | null;
  /** Its settings and what it bounds, one line. */
  note: string;
}

/** Options of modelFreeEntropy. */
export interface ModelFreeOptions {
  /** Lag of the time-reversal estimators, in samples (default 1). */
  lag?: number;
  /** Bins per coordinate of transitionKl (default: the most, up to 8, with bins^dim <= 1024). */
  bins?: number;
  /** Blocks of the jackknife error bars (default 16 for the KL estimators, 32 for the TUR bound). */
  blocks?: number;
  /** The two coordinates whose area current x_a o dx_b - x_b o dx_a feeds the TUR bound (default 0, 1). */
  current?: [number, number];
}

/**
 * Every model-free estimate of the entropy production rate of a sampled stationary trajectory (a lower bound of the
 * true rate each): gaussianKl and transitionKl at the lag `lag`, and the TUR bound of the area current of two
 * coordinates (two or more coordinates). An estimator that does not apply (one coordinate: no area current; too many
 * coordinates to bin) gets a null estimate and the reason.
 *
 * @example
 * ```ts
 * import { Rng, modelFreeEntropy } from "ness";
 *
 * // dx = -A x dt + sqrt(2 dt) xi with A = [[1, -0.5], [0.5, 1]]: exact rate Tr(A A^T) - Tr(A) = 0.5.
 * const dt = 0.01, n = 100_000, rng = Rng.stream(3);
 * const states = new Float64Array(2 * n);
 * let x = 0, y = 0;
 * for (let i = 0; i < n; i++) {
 *   [x, y] = [x + (-x + 0.5 * y) * dt + Math.sqrt(2 * dt) * rng.normal(), y + (-y - 0.5 * x) * dt + Math.sqrt(2 * dt) * rng.normal()];
 *   states[2 * i] = x;
 *   states[2 * i + 1] = y;
 * }
 * const rows = modelFreeEntropy({ states, dim: 2, dt });
 * console.log(rows.length, rows.every((r) => r.estimate !== null && r.estimate.value < 0.5 + 4 * r.estimate.error)); // => 3 true
 * ```
 */
export function modelFreeEntropy(t: SampledTrajectory, options: ModelFreeOptions = {}): ModelFreeRow[] {
  checkTrajectoryArgument(t, "modelFreeEntropy", options);
  const lag = options.lag ?? 1,
    d = t.dim;
  const rows: ModelFreeRow[] = [];
  const tau = `lag ${lag} sample${lag === 1 ? "" : "s"} = ${Number((lag * t.dt).toPrecision(6))}`;
  const kl = options.blocks !== undefined ? { blocks: options.blocks } : {};
  if (d > 32)
    rows.push({ estimator: "gaussian KL", estimate: null, note: `${d} coordinates: at most 32 (choose fewer)` });
  else {
    try {
      rows.push({
        estimator: "gaussian KL",
        estimate: gaussianKl(t, { lag, ...kl }),
        note: `${tau}; exact for linear models at that lag, below the rate, tending to it as the lag shrinks`,
      });
    } catch (err) {
      if (!(err instanceof NotPositiveDefinite)) throw err;
      rows.push({
        estimator: "gaussian KL",
        estimate: null,
        note:
          `${tau}: the reversed law of the state pairs has no positive definite covariance (coordinates that barely ` +
          "move over one lag, such as underdamped positions recorded at every step, or a short run): try a larger lag",
      });
    }
  }
  let bins = options.bins;
  if (bins === undefined) for (bins = 8; bins > 2 && bins ** d > 1024; bins--);
  rows.push(
    bins ** d > 1024
      ? {
          estimator: "transition KL",
          estimate: null,
          note: `${bins}^${d} bins are more than 1024 (choose fewer coordinates)`,
        }
      : {
          estimator: "transition KL",
          estimate: transitionKl(t, { lag, bins, ...kl }),
          note: `${tau}, ${bins} bins per coordinate; a lower bound (biased upwards by sampling noise on short runs)`,
        },
  );
  if (d < 2) {
    rows.push({ estimator: "TUR (area current)", estimate: null, note: "needs two coordinates (an area current)" });
  } else {
    const [a, b] = options.current ?? [0, 1];
    const tur = turBound(areaIncrements(t, a, b), t.dt, options.blocks !== undefined ? { blocks: options.blocks } : {});
    rows.push({
      estimator: "TUR (area current)",
      estimate: { value: tur.value, error: tur.error, blocks: tur.blocks },
      note: `current x${a} o dx${b} - x${b} o dx${a}: rate ${Number(tur.current.toPrecision(4))}, diffusion ${Number(tur.diffusion.toPrecision(4))}; sigma >= j^2 / D_J`,
    });
  }
  return rows;
}
