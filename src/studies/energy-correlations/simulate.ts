/**
 * Verification of the linear-noise (Lyapunov) covariance by simulating the full nonlinear energy SDE (eqs. 2-3,
 * Ito, multiplicative noise) of a chain. With f_i = A_{i-1,i} - A_{i,i+1} and the link noises
 * n_i = sqrt(h B_{i-1,i}) xi_{i-1} - sqrt(h B_{i,i+1}) xi_i (A, B at the current energies, one independent Gaussian
 * per link per step), two schemes of the stochastic engine are available (src/stochastic/integrators.ts):
 *  - "euler-maruyama": E <- E + h f + n;
 *  - "linear-implicit" (default): E <- E + (1 - (h/2) J)^-1 (h f + n), J = df/dE at the current energies (a
 *    Rosenbrock-type trapezoidal rule; weak order 1 like Euler-Maruyama); J is tridiagonal, solved by the Thomas
 *    algorithm.
 * The chain is an SDE problem of the engine ("energy-chain", registered here): plain data (the model's kind and
 * parameters, M, the bath states) from which each worker builds the drift and noise functions, so replicas run on
 * worker threads or Web Workers like any ensemble (`energyCorrelationsEnsemble`; `simulateEnergyCorrelations` runs
 * it in process). Each replica records the moments of the energies (src/stochastic/sde.ts); the covariance and its
 * error bar come from the jackknife over replicas (src/stochastic/statistics.ts).
 *
 * Two deviations from the exact C are reported, not hidden. (1) The scheme's bias for the linearised dynamics: for
 * Euler-Maruyama the stationary covariance of x_{n+1} = (1 + h R) x_n + sqrt(h) Sigma xi solves
 * R C + C R^T + h R C R^T = -Q (computed here; the bias is O(h)); for the linear-implicit scheme,
 * (1 - hR/2) x_{n+1} = (1 + hR/2) x_n + sqrt(h) Sigma xi has exactly the stationary covariance C (the h^2 terms
 * cancel), so its bias is 0 there and only O(h/N) from the nonlinearities remains. (2) The O(1/N) corrections of the
 * nonlinear model to the linear-noise answer, made small by choosing large subsystems.
 */
import { ModelError } from "../../errors.js";
import { matrix, type Matrix } from "../../linalg/matrix.js";
import { ensemble, ensembleSync, type EnsembleJob, type RunOptions } from "../../stochastic/ensemble.js";
import {
  eulerMaruyama,
  linearImplicit,
  SDE_CLAMPED,
  type NormalStream,
  type SdeFunctions,
} from "../../stochastic/integrators.js";
import { firstEscape, registerSde, sdeMomentsLayout, type SdeProblem, type SdeSettings } from "../../stochastic/sde.js";
import { jackknife, MIN_BATCHES } from "../../stochastic/statistics.js";
import { checkRange, type ParameterRange } from "../ranges.js";
import {
  energyCorrelations,
  FLUCTUATION_SIMULATION_LIMIT,
  prepareRelaxation,
  type EnergyCorrelations,
} from "./correlations.js";
import { blackbody, exclusionProcess, fermiGas, idealGas, type ChainModel } from "./models.js";
import type { Chain } from "./steadyState.js";

/** Makes the Gaussian stream of replica `stream` for a given seed (same arguments, same numbers). */
export type NormalStreamFactory = (seed: number, stream: number) => NormalStream;
export type { NormalStream };

export type SimulationScheme = "euler-maruyama" | "linear-implicit";

/**
 * The domain of the simulation's settings: at least 2 replicas (for error bars) and a duration of at least 50 slowest
 * relaxation times (so each replica holds many independent samples).
 */
export const SIMULATION_RANGES: Readonly<Record<"replicas" | "duration" | "burnIn", ParameterRange>> = Object.freeze({
  replicas: { min: 2, max: 100_000, integer: true },
  duration: { min: 50, max: 1e8 },
  burnIn: { min: 0, max: 1e6 },
});

/**
 * Most work of one simulation, in link updates (steps x replicas x (M + 1)); about 4 minutes at a typical 0.25 us
 * per link update.
 */
export const MAX_SIMULATION_WORK = 1e9;

export interface SimulationOptions {
  /** Integration scheme (default "linear-implicit"). */
  scheme?: SimulationScheme;
  /** Seed of the random streams (default 1). */
  seed?: number;
  /** Independent replicas (default 16, at least 2 for error bars). */
  replicas?: number;
  /** Time step h; default 0.1 / (fastest relaxation rate of R) for "linear-implicit", 0.01 / rate for Euler-Maruyama. */
  dt?: number;
  /** Simulated time per replica after burn-in, in units of the slowest relaxation time tau (default 2000). */
  duration?: number;
  /** Burn-in per replica, in units of tau (default 10); replicas start at the mean state. */
  burnIn?: number;
  /** Record the energies every this many steps (default: about 20 samples per fastest relaxation time). */
  sampleEvery?: number;
  /** Run even above MAX_SIMULATION_WORK. */
  force?: boolean;
  /** Gaussian streams (default: the stochastic engine's Rng.stream(seed, replica)); in process only. */
  streams?: NormalStreamFactory;
}

export interface SimulationResult {
  /** Estimated covariance of the energies (pooled over replicas). */
  covariance: Matrix;
  /** One-sigma error bars of the covariance (jackknife over replicas). */
  covarianceError: Matrix;
  /** Mean energies and their error bars. */
  meanEnergies: Float64Array;
  meanEnergyErrors: Float64Array;
  /** The exact (linear-noise) answer the simulation is compared with. */
  exact: EnergyCorrelations;
  scheme: SimulationScheme;
  /** Predicted bias of the scheme for the linearised dynamics, C_h - C (exactly 0 for "linear-implicit"). */
  discretisationBias: Matrix;
  /** max over entries of |sim - exact| / error. */
  maxDeviation: number;
  dt: number;
  stepsPerReplica: number;
  samplesPerReplica: number;
  replicas: number;
  seed: number;
  /** Steps at which some B was negative (custom models) and was taken as 0; should be 0. */
  clampedSteps: number;
  /** The error bars are finite and come from at least MIN_BATCHES (16) replicas. */
  reliable: boolean;
}

/**
 * Stationary covariance of the Euler-Maruyama discretisation of the linearised SDE with step h:
 * R C + C R^T + h R C R^T = -Q, by fixed-point iteration on the h term (each step one Lyapunov solve).
 */
export function eulerMaruyamaCovariance(R: Matrix, Q: Matrix, h: number): Matrix {
  const { solver } = prepareRelaxation(R);
  const M = R.rows;
  let C = solver.solve(Q).X;
  const rhs = matrix(M, M);
  const tmp = new Float64Array(M * M);
  for (let it = 0; it < 200; it++) {
    // rhs = Q + h R C R^T
    tmp.fill(0);
    for (let i = 0; i < M; i++)
      for (let k = 0; k < M; k++) {
        const rik = R.data[i * M + k];
        if (rik === 0) continue;
        for (let j = 0; j < M; j++) tmp[i * M + j] += rik * C.data[k * M + j];
      }
    for (let i = 0; i < M; i++)
      for (let j = 0; j < M; j++) {
        let s = 0;
        for (let k = 0; k < M; k++) s += tmp[i * M + k] * R.data[j * M + k];
        rhs.data[i * M + j] = Q.data[i * M + j] + h * s;
      }
    const next = solver.solve(rhs).X;
    let diff = 0;
    let mag = 0;
    for (let i = 0; i < M * M; i++) {
      diff = Math.max(diff, Math.abs(next.data[i] - C.data[i]));
      mag = Math.max(mag, Math.abs(next.data[i]));
    }
    C = next;
    if (diff <= 1e-14 * mag) break;
  }
  return C;
}

/** The chain's model as plain data: a built-in model by kind and parameters, or (in process only) a custom model. */
type ModelData = { kind: Exclude<ChainModel["kind"], "custom">; parameters: ChainModel["parameters"] } | ChainModel;

/** The parameters of the "energy-chain" SDE. */
export interface EnergyChainParameters {
  model: ModelData;
  M: number;
  left: number;
  right: number;
}

function modelOf(data: ModelData): ChainModel {
  if (typeof (data as ChainModel).current === "function") return data as ChainModel;
  const p = data.parameters as Record<string, never>;
  switch (data.kind) {
    case "ideal-gas":
      return idealGas(p);
    case "ssep":
      return exclusionProcess(p);
    case "fermi":
      return fermiGas(p);
    case "blackbody":
      return blackbody(p);
    default:
      throw new ModelError(`energy-chain: unknown model kind ${JSON.stringify((data as { kind: unknown }).kind)}`);
  }
}

/** The energy range [E(lo), E(hi)] of a model's states. */
function energyRange(model: ChainModel): [number, number] {
  return [
    model.energy(model.stateDomain[0]),
    model.stateDomain[1] === Infinity ? Infinity : model.energy(model.stateDomain[1]),
  ];
}

/**
 * The energy SDE of a chain as the engine's SDE functions: for subsystem i, dE_i = (A_{i-1,i} - A_{i,i+1}) dt +
 * sqrt(B_{i-1,i}) dW_{i-1} - sqrt(B_{i,i+1}) dW_i, one Wiener process per link. A state outside the model's energy
 * range [E(lo), E(hi)] (or not admissible) is an escape: A and B are undefined there.
 */
export function energyChainSde(p: EnergyChainParameters): SdeFunctions {
  const model = modelOf(p.model);
  const M = p.M;
  const [eLo, eHi] = energyRange(model);
  const noise = model.fastNoise ?? model.noise;
  const x = new Float64Array(M + 2);
  const a = new Float64Array(M + 1);
  const s = new Float64Array(M + 1);
  const g0 = new Float64Array(M + 1);
  const g1 = new Float64Array(M + 1);
  const cap = new Float64Array(M + 2);
  const diag = new Float64Array(M);
  const grad = new Float64Array(2);
  cap[0] = 1;
  cap[M + 1] = 1;
  x[0] = p.left;
  x[M + 1] = p.right;
  return {
    dimension: M,
    noiseDimension: M + 1,
    increment(E, dt, xi, off, out, jacobian) {
      const sqdt = Math.sqrt(dt);
      const halfDt = 0.5 * dt;
      let bad = false;
      for (let i = 0; i < M; i++) {
        const e = E[i];
        const xs = model.stateOf(e);
        // Outside the energy range (a thermal energy below zero, a box over-full) A and B are undefined: stop here
        // rather than clamp (which biased the result) or divide by a zero heat capacity (which gave NaN).
        if (!(e >= eLo && e <= eHi) || !model.admissible(xs)) return i + 1;
        x[i + 1] = xs;
        if (jacobian) cap[i + 1] = model.capacity(xs);
      }
      for (let b = 0; b <= M; b++) {
        const xi0 = x[b];
        const xi1 = x[b + 1];
        a[b] = model.current(xi0, xi1, b);
        let B = noise(xi0, xi1, b);
        if (!(B >= 0)) {
          B = 0;
          bad = true;
        }
        s[b] = Math.sqrt(B) * sqdt * xi[off + b];
        if (jacobian) {
          model.currentGradient(xi0, xi1, b, grad);
          g0[b] = (halfDt * grad[0]) / cap[b]; // (h/2) dA_b/dE_b
          g1[b] = (halfDt * grad[1]) / cap[b + 1]; // (h/2) dA_b/dE_{b+1}
        }
      }
      for (let i = 0; i < M; i++) out[i] = dt * (a[i] - a[i + 1]) + s[i] - s[i + 1];
      return bad ? SDE_CLAMPED : 0;
    },
    implicit(rhs) {
      // (1 - (h/2) J) d = h f + n with J = df/dE tridiagonal: row i (subsystem i+1) has
      // (h/2) J_ii = g1[i] - g0[i+1], (h/2) J_{i,i-1} = g0[i], (h/2) J_{i,i+1} = -g1[i+1]. Thomas algorithm.
      for (let i = 0; i < M; i++) diag[i] = 1 - (g1[i] - g0[i + 1]);
      for (let i = 1; i < M; i++) {
        const w = -g0[i] / diag[i - 1];
        diag[i] -= w * g1[i];
        rhs[i] -= w * rhs[i - 1];
      }
      rhs[M - 1] /= diag[M - 1];
      for (let i = M - 2; i >= 0; i--) rhs[i] = (rhs[i] - g1[i + 1] * rhs[i + 1]) / diag[i];
    },
  };
}

registerSde("energy-chain", (parameters) => energyChainSde(parameters as EnergyChainParameters));

/**
 * The simulation of a chain as an ensemble job: an "energy-chain" SDE problem with its settings and the reduction
 * (jackknife over replicas, comparison with the exact C). Run it in process with `simulateEnergyCorrelations`, or on
 * workers with `ensemble(job.problem, { ...job.options, runner })` (src/stochastic/ensemble.ts). Throws ModelError
 * for bad options, a chain too small to simulate, or a run above the work limit.
 */
export function energyCorrelationsEnsemble(
  chain: Chain,
  options: SimulationOptions = {},
): EnsembleJob<SimulationResult> {
  const exact = energyCorrelations(chain);
  const { M } = chain;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ModelError(`seed must be a non-negative integer, got ${seed}`);
  const replicas = options.replicas ?? 16;
  const rates = exact.relaxationRates;
  const fastest = rates[rates.length - 1];
  const tau = exact.relaxationTime;
  const scheme = options.scheme ?? "linear-implicit";
  if (scheme !== "euler-maruyama" && scheme !== "linear-implicit") throw new ModelError(`unknown scheme "${scheme}"`);
  const implicit = scheme === "linear-implicit";
  const dt = options.dt ?? (implicit ? 0.1 : 0.01) / fastest;
  if (!(dt > 0) || !Number.isFinite(dt)) throw new ModelError(`dt must be a positive number, got ${dt}`);
  checkRange("replicas", replicas, SIMULATION_RANGES.replicas);
  const duration =
    checkRange("duration (in slowest relaxation times)", options.duration ?? 2000, SIMULATION_RANGES.duration) * tau;
  const burnIn =
    checkRange("burn-in (in slowest relaxation times)", options.burnIn ?? 10, SIMULATION_RANGES.burnIn) * tau;
  if (exact.noise.every((b) => b === 0)) {
    throw new ModelError(
      "nothing to simulate: the noise vanishes on every link (for the exclusion process: both baths empty, or both full)",
    );
  }
  const f = exact.fluctuation;
  if (f.max > FLUCTUATION_SIMULATION_LIMIT) {
    throw new ModelError(
      `the subsystems are too small to simulate: the energy fluctuation of subsystem ${f.subsystem} is ${Number(f.max.toPrecision(3))} of ` +
        `its distance to the edge of the model's energy range (at most ${FLUCTUATION_SIMULATION_LIMIT} for a simulation), so the full SDE ` +
        `would leave the model's domain${chain.model.sizeParameter ? `: use larger subsystems (a larger ${chain.model.sizeParameter})` : ""}`,
    );
  }
  const sampleEvery = options.sampleEvery ?? Math.max(1, Math.floor(0.05 / (fastest * dt)));
  const steps = Math.ceil(duration / dt);
  const burnSteps = Math.ceil(burnIn / dt);
  const work = (steps + burnSteps) * replicas * (M + 1);
  if (work > MAX_SIMULATION_WORK && options.force !== true) {
    throw new ModelError(
      `the simulation would take ${steps + burnSteps} steps x ${replicas} replicas x ${M + 1} links = ${work.toExponential(2)} link updates ` +
        `(about ${Math.ceil((work * 0.25e-6) / 60)} min); the limit is ${MAX_SIMULATION_WORK.toExponential(0)}: reduce the duration or the replicas (or add --force)`,
    );
  }
  if (Math.floor(steps / sampleEvery) < 100) {
    throw new ModelError(
      `the simulation is too short for an error bar: ${Math.floor(steps / sampleEvery)} samples per replica (at least 100): increase the duration or decrease dt`,
    );
  }
  const nP = (M * (M + 1)) / 2;
  // Reference energies subtracted before accumulating (reduces round-off in the sums); also the initial state.
  const ref = exact.energies;
  const { model } = chain;
  const range = energyRange(model);
  const parameters: EnergyChainParameters = {
    model: model.kind === "custom" ? model : { kind: model.kind, parameters: model.parameters },
    M,
    left: chain.left,
    right: chain.right,
  };
  const problem: SdeProblem = { kind: "sde", sde: "energy-chain", parameters, initial: Array.from(ref) };
  const settings: SdeSettings = {
    scheme: implicit ? linearImplicit({ dt }) : eulerMaruyama({ dt }),
    burnSteps,
    steps,
    sampleEvery,
    reference: Array.from(ref),
    ...(options.streams ? { noise: options.streams } : {}),
  };
  const layout = sdeMomentsLayout(M);
  const reduce = ({ outputs, perReplica }: { outputs: Float64Array; perReplica: number }): SimulationResult => {
    const escape = firstEscape(outputs, perReplica, replicas);
    if (escape) {
      const subsystem = escape.coordinate + 1,
        energy = escape.value;
      const g = (x: number) => Number(x.toPrecision(4));
      const edge =
        energy < range[0] ? `below the lowest energy ${g(range[0])}` : `above the highest energy ${g(range[1])}`;
      throw new ModelError(
        `the simulated energy of subsystem ${subsystem} left the model's domain in replica ${escape.replica} at t = ${g((escape.step - burnSteps) * dt)} ` +
          `(E = ${g(energy)}, ${edge}): its fluctuations (${Number(exact.fluctuation.relative[subsystem - 1].toPrecision(3))} of the distance to ` +
          `that edge) are too large for the model${model.sizeParameter ? `; use larger subsystems (a larger ${model.sizeParameter})` : ""}`,
      );
    }
    let clamped = 0;
    for (let r = 0; r < replicas; r++) clamped += outputs[r * perReplica + 1];
    // Pooled and delete-one estimates: [mean energies (M), covariance (M x M)].
    const estimate = (skip: number): Float64Array => {
      const m1 = new Float64Array(M);
      const m2 = new Float64Array(nP);
      let n = 0;
      for (let r = 0; r < replicas; r++) {
        if (r === skip) continue;
        const o = r * perReplica;
        n += outputs[o];
        for (let i = 0; i < M; i++) m1[i] += outputs[o + layout.first + i];
        for (let q = 0; q < nP; q++) m2[q] += outputs[o + layout.second + q];
      }
      for (let i = 0; i < M; i++) m1[i] /= n;
      const out = new Float64Array(M + M * M);
      out.set(m1);
      let q = 0;
      for (let i = 0; i < M; i++)
        for (let j = i; j < M; j++) {
          const c = m2[q++] / n - m1[i] * m1[j];
          out[M + i * M + j] = c;
          out[M + j * M + i] = c;
        }
      return out;
    };
    const jk = jackknife(replicas, estimate);
    const covariance = matrix(M, M, jk.value.slice(M));
    const covarianceError = matrix(M, M, jk.error.slice(M));
    const meanEnergies = jk.value.slice(0, M).map((v, i) => v + ref[i]);
    const meanEnergyErrors = jk.error.slice(0, M);
    const discretisationBias = matrix(M, M);
    if (!implicit) {
      const Ch = eulerMaruyamaCovariance(exact.relaxation, exact.noiseMatrix, dt);
      for (let k = 0; k < M * M; k++) discretisationBias.data[k] = Ch.data[k] - exact.covariance.data[k];
    }
    let maxDeviation = 0;
    for (let k = 0; k < M * M; k++) {
      maxDeviation = Math.max(
        maxDeviation,
        Math.abs(covariance.data[k] - exact.covariance.data[k]) / covarianceError.data[k],
      );
    }
    return {
      covariance,
      covarianceError,
      meanEnergies,
      meanEnergyErrors,
      exact,
      scheme,
      discretisationBias,
      maxDeviation,
      dt,
      stepsPerReplica: burnSteps + steps,
      samplesPerReplica: outputs[0],
      replicas,
      seed,
      clampedSteps: clamped,
      reliable: replicas >= MIN_BATCHES && jk.error.every(Number.isFinite),
    };
  };
  return {
    problem,
    options: { replicas, seed, settings, reduce, inProcess: model.kind === "custom" || options.streams !== undefined },
  };
}

/** Simulates the energy SDE of the chain in process and compares the covariance with the exact (Lyapunov) one. */
export function simulateEnergyCorrelations(chain: Chain, options: SimulationOptions = {}): SimulationResult {
  const job = energyCorrelationsEnsemble(chain, options);
  return ensembleSync(job.problem, job.options);
}

/**
 * simulateEnergyCorrelations with the replicas on `run.runner`'s workers (in process for a custom model or given
 * noise streams): the same numbers.
 */
export async function runEnergyCorrelations(
  chain: Chain,
  options: SimulationOptions = {},
  run: RunOptions = {},
): Promise<SimulationResult> {
  const job = energyCorrelationsEnsemble(chain, options);
  return ensemble(job.problem, { ...job.options, ...run });
}
