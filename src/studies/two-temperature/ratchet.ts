/**
 * Section 3.2 of [Metzger 2026]: a hot and a cold particle with the soft repulsion of eq. 26 (cutoff at the range sigma,
 * docs/corrections.md) in an asymmetric sawtooth potential on a ring. At equal temperatures the system is in
 * equilibrium and carries no current; at T_hot != T_cold the pair drifts (a ratchet current). A symmetric sawtooth
 * (asymmetry 0.5) is even under x -> -x, so it carries no current at any temperatures either. The current is the
 * centre-of-mass drift velocity (v_hot + v_cold) / 2, from the stochastic engine's drift estimators (unwrapped
 * displacements), with the error bar of the combination. Browser-safe.
 */
import { ModelError } from "../../errors.js";
import { validateParticles, type ParticlesModel } from "../../model/particles.js";
import { heun } from "../../stochastic/integrators.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import { simulate, simulateSync, type SimulationOptions, type SimulationResult } from "../../stochastic/run.js";
import { checkSimulationCost } from "../cost.js";
import { checkRange } from "../ranges.js";
import { defaultsOf, descriptionsOf, rangesOf } from "../schema.js";
import { ratchetSchema } from "./parameters.js";
import { estimateOf, type Measured } from "./harmonicPair.js";

export interface RatchetParams {
  Thot: number;
  Tcold: number;
  /** Soft repulsion: stiffness k and range sigma (eq. 26). */
  stiffness: number;
  range: number;
  /** Sawtooth: height, period, rising fraction of the period (0.5 = symmetric). */
  amplitude: number;
  period: number;
  asymmetry: number;
  /** Ring length (a multiple of the period, at least 2 ranges). */
  box: number;
}

const RATCHET_NAMES = ["Thot", "Tcold", "stiffness", "range", "amplitude", "period", "asymmetry", "box"] as const;

/**
 * The example file's values (examples/particles/ratchet.yaml, declared in parameters.ts): a stiff, short repulsion (range half a period, the
 * particles cannot pass each other) and a cold particle well below the barrier; at T_hot/T_cold = 20 the pair
 * drifts down the steep side at about -0.05 (resolved to ~10 error bars with 8 replicas x 2000).
 */
export const DEFAULT_RATCHET: RatchetParams = { ...defaultsOf(ratchetSchema, RATCHET_NAMES) };

export const RATCHET_DESCRIPTIONS: Readonly<Record<keyof RatchetParams, string>> = descriptionsOf(
  ratchetSchema,
  RATCHET_NAMES,
);

/**
 * The domain of the parameters: 12 decades for each positive one, the asymmetry strictly between 0 and 1, and a
 * ring of at most 100 periods and 1000 ranges (longer rings made the engine slow down and, at 1e4 periods, run out
 * of memory). Beyond them the forces or the time step over- or underflow.
 */
export const RATCHET_RANGES = rangesOf(ratchetSchema, RATCHET_NAMES);

/** Checks the parameters against RATCHET_RANGES (and the ring against the period and the range); ModelError. */
export function validateRatchetParams(raw: Partial<RatchetParams>): RatchetParams {
  const p = { ...DEFAULT_RATCHET, ...raw };
  for (const name of Object.keys(RATCHET_RANGES) as (keyof RatchetParams)[]) {
    checkRange(`ratchet parameter ${name} (${RATCHET_DESCRIPTIONS[name]})`, p[name], RATCHET_RANGES[name]);
  }
  if (p.box > 100 * p.period || p.box > 1000 * p.range) {
    throw new ModelError(
      `the ring (box ${p.box}) must be at most 100 periods and 1000 ranges long (period ${p.period}, range ${p.range})`,
    );
  }
  return p;
}

export function ratchetModel(raw: Partial<RatchetParams>): ParticlesModel {
  const p = validateRatchetParams(raw);
  return validateParticles({
    kind: "particles",
    name: "Two-temperature ratchet (after Metzger's recitation notes)",
    dynamics: "overdamped",
    dimension: 1,
    box: p.box,
    species: [
      { name: "hot", count: 1, temperature: p.Thot },
      { name: "cold", count: 1, temperature: p.Tcold },
    ],
    pairs: [{ between: ["hot", "cold"], potential: "soft", stiffness: p.stiffness, range: p.range }],
    external: [{ potential: "sawtooth", amplitude: p.amplitude, period: p.period, asymmetry: p.asymmetry }],
    initial: [[0.25 * p.box], [0.75 * p.box]],
  });
}

export interface RatchetOptions {
  /** Run even above the work limit of src/studies/cost.ts. */
  force?: boolean;
  time?: number;
  dt?: number;
  replicas?: number;
  seed?: number;
}

export interface RatchetCurrent {
  parameters: RatchetParams;
  /** Drift velocity of each particle and of the centre of mass (with error bars). */
  hot: Measured;
  cold: Measured;
  centreOfMass: Measured;
  entropyProduction: Measured;
  dt: number;
  time: number;
  replicas: number;
}

/** The default time step: the contact rate 2 k / range^2 times dt at most 0.2 (0.0005 for the defaults). */
export function ratchetTimeStep(p: RatchetParams): number {
  return Math.min(0.002, (0.1 * p.range * p.range) / p.stiffness);
}

/** The drift velocities alone (runRatchetDrift). */
export type RatchetDrift = Omit<RatchetCurrent, "entropyProduction">;

/**
 * The ratchet's simulation: the engine's model, scheme and options, and what is read from its result (`heat`
 * false: the drift velocities only, without the pair-heat accounting of each step: read them with `drift`).
 */
function ratchetSimulation(raw: Partial<RatchetParams>, options: RatchetOptions, heat = true) {
  const parameters = validateRatchetParams(raw);
  const model = ratchetModel(parameters);
  const dt = options.dt ?? ratchetTimeStep(parameters);
  const time = options.time ?? 2000;
  const replicas = options.replicas ?? 8;
  checkSimulationCost({ time, dt, replicas, particles: 2, force: options.force });
  const settings: SimulationOptions = {
    time,
    seed: options.seed ?? 1,
    replicas,
    covariance: false,
    ...(heat ? { pairHeat: "exact" as const } : { heat: false }),
  };
  const drift = (r: SimulationResult): RatchetDrift => {
    const m = (group: string, name: string) => estimateOf(r, group, name);
    return {
      parameters,
      hot: m("drift velocity", "hot x"),
      cold: m("drift velocity", "cold x"),
      centreOfMass: m("drift velocity", "centre of mass x"),
      dt,
      time: r.time,
      replicas: r.replicas,
    };
  };
  const finish = (r: SimulationResult): RatchetCurrent => {
    const d = drift(r);
    return {
      parameters: d.parameters,
      hot: d.hot,
      cold: d.cold,
      centreOfMass: d.centreOfMass,
      entropyProduction: estimateOf(r, "entropy production", "rate"),
      dt: d.dt,
      time: d.time,
      replicas: d.replicas,
    };
  };
  return { model, scheme: heun({ dt }), settings, finish, drift };
}

/** Simulates the ratchet (Heun) and returns the drift velocities with error bars. */
export function ratchetCurrent(raw: Partial<RatchetParams>, options: RatchetOptions = {}): RatchetCurrent {
  const s = ratchetSimulation(raw, options);
  return s.finish(simulateSync(s.model, s.scheme, s.settings));
}

/** ratchetCurrent with the replicas on `run.runner`'s workers (or in process): the same numbers. */
export async function runRatchet(
  raw: Partial<RatchetParams>,
  options: RatchetOptions = {},
  run: RunOptions = {},
): Promise<RatchetCurrent> {
  const s = ratchetSimulation(raw, options);
  return s.finish(await simulate(s.model, s.scheme, s.settings, run));
}

/**
 * The drift velocities of runRatchet without the entropy production: each step skips the pair-heat accounting (the
 * engine's heat: false). Same random streams as runRatchet: the same drifts up to rounding.
 */
export async function runRatchetDrift(
  raw: Partial<RatchetParams>,
  options: RatchetOptions = {},
  run: RunOptions = {},
): Promise<RatchetDrift> {
  const s = ratchetSimulation(raw, options, false);
  return s.drift(await simulate(s.model, s.scheme, s.settings, run));
}
