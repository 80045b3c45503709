/**
 * General Ito SDEs dx = f(x) dt + G(x) dW with multiplicative noise, as ensemble problems. An SdeProblem is plain
 * data, { kind: "sde", sde: NAME, parameters, initial }: the functions f, G (and the drift's Jacobian for the
 * linear-implicit scheme) are built from NAME's registered builder in each worker (`registerSde`), so an SDE crosses
 * to worker threads and Web Workers like any other ensemble. A study registers its SDE in the module that defines
 * it (the energy chain of [Bunin et al. 2013]: src/studies/energy-correlations/simulate.ts).
 *
 * Each replica starts at `initial`, runs `burnSteps` steps, then `steps` steps in which it records, every
 * `sampleEvery` steps, the moments of its state: the number of samples, the sums of d = x - reference and of the
 * products d_i d_j (i <= j, row by row), subtracted from a reference to keep the round-off of the sums small. The
 * reduction turns them into means and covariances with error bars (statistics.ts: the jackknife over replicas).
 * A replica whose state leaves the SDE's domain stops there and records where (its step, coordinate and value):
 * the reduction reports the first such replica in replica order, whatever the number of workers.
 */
import { ModelError, NessError } from "../errors.js";
import { describeValue, integerSetting as count } from "../model/raw.js";
import {
  blockSizeFor,
  registerEnsembleKind,
  type EnsembleSpec,
  type PreparedEnsemble,
  type ReplicaRunner,
} from "./ensemble.js";
import {
  SDE_CLAMPED,
  sdeIntegrator,
  type NormalStream,
  type Scheme,
  type SdeFunctions,
  type SdeSchemeName,
} from "./integrators.js";
import { Rng } from "./rng.js";

/** An SDE as plain data: its registered name and parameters, and the initial state of every replica. */
export interface SdeProblem {
  readonly kind: "sde";
  /** The registered SDE (registerSde). */
  readonly sde: string;
  /** Its parameters: plain data the builder turns into functions (or, in process only, live objects). */
  readonly parameters: unknown;
  /** Initial state of every replica. */
  readonly initial: ArrayLike<number>;
}

/** What an SDE ensemble runs: plain data, except `noise` (in process only). */
export interface SdeSettings {
  scheme: Scheme<SdeSchemeName>;
  /** Steps before the first sample. */
  burnSteps: number;
  /** Steps after the burn-in. */
  steps: number;
  /** A sample every this many steps (the first at the end of the burn-in's last step). */
  sampleEvery: number;
  /** Subtracted from the state before its moments are summed; default the initial state. */
  reference?: ArrayLike<number>;
  /**
   * Gaussian streams by (seed, replica); default the engine's Rng.stream(seed, replica). A function: in process only
   * (a runner cannot send it to its workers).
   */
  noise?: (seed: number, replica: number) => NormalStream;
}

/** Builds an SDE's functions from its parameters (called once per run in every worker). */
export type SdeBuilder = (parameters: unknown) => SdeFunctions;

const SDES = new Map<string, SdeBuilder>();

/**
 * Registers an SDE by name (in every thread that imports the registering module).
 *
 * @example
 * ```ts
 * import { registerSde } from "ness";
 *
 * // Registered by name, so a problem { kind: "sde", sde: "decay", parameters, initial } is plain data that workers
 * // rebuild (each worker must import the module that registers it).
 * registerSde("decay", (p) => {
 *   const rate = (p as { rate: number }).rate;
 *   return { dimension: 1, noiseDimension: 1, increment: (x, dt, noise, offset, out) => ((out[0] = -rate * x[0] * dt + Math.sqrt(dt) * noise[offset]), 0) };
 * });
 * ```
 */
export function registerSde(name: string, build: SdeBuilder): void {
  if (typeof name !== "string" || name === "" || typeof build !== "function")
    throw new NessError("registerSde needs a non-empty name and a builder function");
  SDES.set(name, build);
}

/** The functions of an SDE problem, built by its registered builder. */
export function buildSde(problem: SdeProblem): SdeFunctions {
  const build = SDES.get(problem.sde);
  if (!build) {
    throw new NessError(
      `no SDE "${problem.sde}" is registered in this thread (registered: ${[...SDES.keys()].join(", ") || "none"}); a worker must import the module that registers it`,
    );
  }
  return build(problem.parameters);
}

/** Layout of a replica's output under SdeSettings (moments): where each part starts. */
export interface SdeMomentsLayout {
  dimension: number;
  /** [samples, clamped steps, escape step (-1: none), escape coordinate, escape value]. */
  header: 5;
  /** Offset of the sums of d (dimension numbers), then of d_i d_j (dimension (dimension + 1) / 2, row by row). */
  first: number;
  second: number;
  size: number;
}

export function sdeMomentsLayout(dimension: number): SdeMomentsLayout {
  const pairs = (dimension * (dimension + 1)) / 2;
  return { dimension, header: 5, first: 5, second: 5 + dimension, size: 5 + dimension + pairs };
}

/** One replica's escape from the SDE's domain, from its output. */
export interface SdeEscape {
  replica: number;
  /** Step at which the state was found outside (0-based, burn-in included). */
  step: number;
  coordinate: number;
  value: number;
}

/** The first replica (in replica order) that left the domain, or undefined. */
export function firstEscape(outputs: Float64Array, perReplica: number, replicas: number): SdeEscape | undefined {
  for (let r = 0; r < replicas; r++) {
    const o = r * perReplica;
    if (outputs[o + 2] >= 0)
      return { replica: r, step: outputs[o + 2], coordinate: outputs[o + 3], value: outputs[o + 4] };
  }
  return undefined;
}

function prepareSde(spec: EnsembleSpec): PreparedEnsemble {
  const problem = spec.problem as SdeProblem;
  const s = spec.settings as SdeSettings;
  if (s === null || typeof s !== "object")
    throw new ModelError(
      `an SDE ensemble needs settings { scheme, burnSteps, steps, sampleEvery }, got ${describeValue(s)}`,
    );
  const burnSteps = count(s.burnSteps, "burnSteps", 0);
  const steps = count(s.steps, "steps", 1);
  const sampleEvery = count(s.sampleEvery, "sampleEvery", 1);
  const sde = buildSde(problem);
  const integ = sdeIntegrator(sde, s.scheme);
  const n = sde.dimension;
  const initial = problem.initial;
  if (initial === null || typeof initial !== "object" || initial.length !== n)
    throw new ModelError(`the initial state must hold ${n} numbers, got ${describeValue(initial)}`);
  const reference = Float64Array.from(s.reference ?? initial);
  if (reference.length !== n)
    throw new ModelError(`the reference state must hold ${n} numbers, got ${reference.length}`);
  const layout = sdeMomentsLayout(n);
  const streams =
    s.noise ??
    ((seed: number, replica: number): NormalStream => {
      const rng = Rng.stream(seed, replica);
      return { fillNormal: (out) => rng.fillNormal(out, 0, out.length) };
    });
  const total = burnSteps + steps;
  return {
    replicas: spec.replicas,
    blockSize: blockSizeFor(spec.replicas),
    stepsPerReplica: total,
    perReplica: layout.size,
    perBlock: 0,
    sliceSteps: Math.max(1, Math.floor(4e5 / (8 * n + 16))),
    replica: (r, out): ReplicaRunner => {
      const state = integ.init(streams(spec.seed, r), initial);
      const x = state.x;
      out[2] = -1;
      let step = 0,
        untilSample = burnSteps + 1,
        samples = 0,
        clamped = 0,
        done = false;
      return {
        get done() {
          return done;
        },
        advance(maxSteps: number): number {
          const end = Math.min(total, step + maxSteps),
            start = step;
          while (step < end) {
            const status = integ.step(state);
            if (status > 0) {
              out[2] = step;
              out[3] = status - 1;
              out[4] = x[status - 1];
              done = true;
              break;
            }
            if (status === SDE_CLAMPED) clamped++;
            step++;
            if (--untilSample === 0) {
              untilSample = sampleEvery;
              samples++;
              let p = layout.second;
              for (let i = 0; i < n; i++) {
                const di = x[i] - reference[i];
                out[layout.first + i] += di;
                for (let j = i; j < n; j++) out[p++] += di * (x[j] - reference[j]);
              }
            }
          }
          out[0] = samples;
          out[1] = clamped;
          if (step >= total) done = true;
          return step - start;
        },
      };
    },
  };
}

registerEnsembleKind("sde", prepareSde);
