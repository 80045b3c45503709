/**
 * Run-and-chase (Section 3.1 of [Metzger 2026]). A hot particle (1, temperature T1, mobility mu1) and a cold particle
 * (2, T2, mu2) with the soft repulsion U(r) = (k/2)(1 - r/range)^2 for r < range (eq. 26; the cutoff is the range,
 * docs/corrections.md), in a periodic box of side L in 1, 2 or 3 dimensions. Overdamped, x_i' = mu_i F_i +
 * sqrt(2 mu_i T_i) xi_i: the mobility mu_i is the inverse of the friction gamma_i of the project's convention
 * gamma x' = F + sqrt(2 gamma T) xi (the lecture notes have mu1 = mu2 = 1). The centre of mass (r1 + r2)/2 is
 * driven by the pair force only through mu2 - mu1, and its noise is correlated with that of the separation
 * r = r2 - r1 (cross-diffusion (mu2 T2 - mu1 T1)/2 per axis); its Stratonovich velocity along e = r/|r| is biased
 * towards the cold particle.
 *
 * Exact results used here (derived in docs/studies/two-temperature.md, tested against the stochastic engine):
 * - r is Markov by itself: dr = -(mu1 + mu2) grad U dt + sqrt(2 (mu1 T1 + mu2 T2)) dW, so its stationary density on
 *   the torus is p(r) ~ exp(-U(r)/T_eff) with T_eff = (mu1 T1 + mu2 T2)/(mu1 + mu2);
 * - both particles move with the same local mean (Stratonovich) velocity c F(r) e, c = mu1 mu2 (T1 - T2)/(mu1 T1 +
 *   mu2 T2), F = -U'(r) the repulsive force: run-and-chase velocity <v_cm o e> = c <F>;
 * - the Ito (pre-point) average of v_cm . e is the mean drift along e, (mu2 - mu1) <F>/2 (zero at equal mobilities);
 * - heat from the hot bath Q1 = c <F^2> (= heat into the cold bath), entropy production
 *   mu1 mu2 (T1 - T2)^2 <F^2> / (T1 T2 (mu1 T1 + mu2 T2)) >= 0, zero only at equal temperatures;
 * the averages over p(r) are radial quadratures (Simpson) on [0, range] plus the free volume L^d - V_d range^d, of
 * the engine's own soft law (src/stochastic/potentials/pairLaws.ts). At mu1 = mu2 = 1 every formula is evaluated
 * exactly as before mobilities were added (the same floating-point operations on the same numbers).
 * Browser-safe.
 */
import { ModelError } from "../../errors.js";
import { validateParticles, type ParticlesModel } from "../../model/particles.js";
import { heun } from "../../stochastic/integrators.js";
import { softLaw } from "../../stochastic/potentials/pairLaws.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import { simulate, simulateSync, type SimulationOptions, type SimulationResult } from "../../stochastic/run.js";
import { checkSimulationCost } from "../cost.js";
import { checkRange } from "../ranges.js";
import { defaultsOf, descriptionsOf, rangesOf } from "../schema.js";
import { runAndChaseSchema } from "./parameters.js";
import { estimateOf, type Measured } from "./harmonicPair.js";

export interface RunAndChaseParams {
  /** Spatial dimension 1, 2 or 3. */
  dimension: 1 | 2 | 3;
  /** Temperature of the hot particle (particle 1). */
  Thot: number;
  /** Temperature of the cold particle (particle 2). */
  Tcold: number;
  /** Stiffness k of the soft repulsion. */
  stiffness: number;
  /** Range of the soft repulsion (it acts for r < range). */
  range: number;
  /** Side of the periodic (cubic) box, at least 2 ranges. */
  box: number;
  /** Mobility mu1 = 1/gamma1 of the hot particle (default 1). */
  muHot: number;
  /** Mobility mu2 = 1/gamma2 of the cold particle (default 1). */
  muCold: number;
}

const RUN_AND_CHASE_NAMES = ["dimension", "Thot", "Tcold", "stiffness", "range", "box", "muHot", "muCold"] as const;

/** The example file's values (examples/particles/run-and-chase-2d.yaml), declared in parameters.ts. */
export const DEFAULT_RUN_AND_CHASE: RunAndChaseParams = {
  ...defaultsOf(runAndChaseSchema, RUN_AND_CHASE_NAMES),
  dimension: 2,
};

export const RUN_AND_CHASE_DESCRIPTIONS: Readonly<Record<keyof RunAndChaseParams, string>> = descriptionsOf(
  runAndChaseSchema,
  RUN_AND_CHASE_NAMES,
);

/**
 * The domain of the parameters: 12 decades for each positive one, a box of at most 1000 ranges (the pair would
 * rarely meet, and the engine's cell grid has (box/range)^d cells) and a stiffness of at most 1e6 mean temperatures
 * (the quadrature's estimated error is 3e-3 there; a harder core has a contact layer it cannot resolve). Beyond them (T1 - T2)^2 / (T1 T2 (T1 + T2)) over- or underflows, or the radial
 * quadrature cannot resolve a repulsion much stiffer than the temperature.
 */
export const RUN_AND_CHASE_RANGES = rangesOf(runAndChaseSchema, [
  "Thot",
  "Tcold",
  "stiffness",
  "range",
  "box",
  "muHot",
  "muCold",
] as const);

/** The temperature of the separation's Boltzmann law, T_eff = (mu1 T1 + mu2 T2)/(mu1 + mu2). */
export function effectiveTemperature(p: Pick<RunAndChaseParams, "Thot" | "Tcold" | "muHot" | "muCold">): number {
  return (p.muHot * p.Thot + p.muCold * p.Tcold) / (p.muHot + p.muCold);
}

/** The chase coefficient c = mu1 mu2 (T1 - T2)/(mu1 T1 + mu2 T2): both particles' local mean velocity is c F(r) e. */
export function chaseCoefficient(p: Pick<RunAndChaseParams, "Thot" | "Tcold" | "muHot" | "muCold">): number {
  return (p.muHot * p.muCold * (p.Thot - p.Tcold)) / (p.muHot * p.Thot + p.muCold * p.Tcold);
}

/** Checks the parameters against RUN_AND_CHASE_RANGES; ModelError naming the first bad one and its range. */
export function validateRunAndChaseParams(raw: Partial<RunAndChaseParams>): RunAndChaseParams {
  const p = { ...DEFAULT_RUN_AND_CHASE, ...raw };
  if (p.dimension !== 1 && p.dimension !== 2 && p.dimension !== 3) {
    throw new ModelError(
      `dimension (${RUN_AND_CHASE_DESCRIPTIONS.dimension}) must be 1, 2 or 3, got ${String(p.dimension)}`,
    );
  }
  for (const name of ["Thot", "Tcold", "stiffness", "range", "box", "muHot", "muCold"] as const) {
    checkRange(`${name} (${RUN_AND_CHASE_DESCRIPTIONS[name]})`, p[name], RUN_AND_CHASE_RANGES[name]);
  }
  if (p.box < 2 * p.range)
    throw new ModelError(`box ${p.box} must be at least twice the range ${p.range} (minimum image)`);
  if (p.box > 1000 * p.range)
    throw new ModelError(`box ${p.box} must be at most 1000 ranges (${1000 * p.range}): the pair would rarely meet`);
  const Tm = effectiveTemperature(p);
  if (p.stiffness > 1e6 * Tm) {
    throw new ModelError(
      `stiffness ${p.stiffness} must be at most 1e6 times the mean temperature of the separation, ` +
        `(muHot Thot + muCold Tcold)/(muHot + muCold) = ${Tm}: a stiffer repulsion is a hard core ` +
        "whose contact layer (width range sqrt(2 Tm / k)) the radial quadrature cannot resolve",
    );
  }
  return p;
}

/** The pair as a `kind: particles` model: species "hot" (particle 1) and "cold" (particle 2). */
export function runAndChaseModel(raw: Partial<RunAndChaseParams>): ParticlesModel {
  const p = validateRunAndChaseParams(raw);
  const d = p.dimension;
  const at = (f: number) => Array.from({ length: d }, () => f * p.box);
  return validateParticles({
    kind: "particles",
    name: `Run-and-chase pair in ${d}D (after Metzger's recitation notes)`,
    dynamics: "overdamped",
    dimension: d,
    box: p.box,
    species: [
      { name: "hot", count: 1, temperature: p.Thot, friction: 1 / p.muHot },
      { name: "cold", count: 1, temperature: p.Tcold, friction: 1 / p.muCold },
    ],
    pairs: [{ between: ["hot", "cold"], potential: "soft", stiffness: p.stiffness, range: p.range }],
    initial: [at(0.25), at(0.75)],
  });
}

export interface RunAndChaseExact {
  parameters: RunAndChaseParams;
  /** T_eff = (mu1 T1 + mu2 T2)/(mu1 + mu2), the temperature of the separation's Boltzmann law. */
  effectiveTemperature: number;
  /** c = mu1 mu2 (T1 - T2)/(mu1 T1 + mu2 T2): each particle's local mean velocity is c F(r) e. */
  chaseCoefficient: number;
  /** Stationary mean repulsive force <F> = <-U'(r)> (F >= 0). */
  meanForce: number;
  /** <F^2>. */
  meanSquaredForce: number;
  /** Probability that the particles overlap (r < range). */
  contactProbability: number;
  /** <v_cm o e> = c <F>: the centre of mass's velocity along r2 - r1 (towards the cold particle when > 0). */
  chaseVelocity: number;
  /** The Ito (pre-point) average of v_cm . e, (mu2 - mu1) <F>/2: the mean pair-force drift of (r1 + r2)/2 along e. */
  itoChaseVelocity: number;
  /** Heat from the hot bath into the pair per unit time (= heat into the cold bath). */
  heatFromHotBath: number;
  /** Entropy production rate. */
  entropyProduction: number;
  /** Estimated relative error of the quadrature (Simpson, 2000 against 1000 intervals). */
  quadratureError: number;
}

const SURFACE = [0, 2, 2 * Math.PI, 4 * Math.PI];
const BALL = [0, 2, Math.PI, (4 / 3) * Math.PI];

/**
 * The radial moments of F^0, F^1, F^2 against S_d r^(d-1) exp(-U/Tm) over [0, range], in one pass of the composite
 * Simpson rule with n intervals.
 */
function radialMoments(p: RunAndChaseParams, n: number): [number, number, number] {
  const h = p.range / n,
    d = p.dimension,
    Tm = effectiveTemperature(p);
  const law = softPair(p);
  let s0 = 0,
    s1 = 0,
    s2 = 0;
  for (let i = 0; i <= n; i++) {
    const r = i * h;
    const u = softLaw.energy(law, r);
    const w = (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * r ** (d - 1) * Math.exp(-u / Tm);
    const F = softLaw.force(law, r);
    s0 += w;
    s1 += w * F;
    s2 += w * F * F;
  }
  const c = (SURFACE[d] * h) / 3;
  return [c * s0, c * s1, c * s2];
}

/** The soft repulsion of eq. 26 with the pair's stiffness and range. */
function softPair(p: Pick<RunAndChaseParams, "stiffness" | "range">): {
  potential: "soft";
  stiffness: number;
  range: number;
} {
  return { potential: "soft", stiffness: p.stiffness, range: p.range };
}

/** The repulsive force F(r) = -U'(r) of eq. 26. */
export function repulsiveForce(p: Pick<RunAndChaseParams, "stiffness" | "range">, r: number): number {
  return softLaw.force(softPair(p), r);
}

/** Exact stationary averages of the pair (quadrature over the Boltzmann law of the separation). */
export function runAndChaseExact(raw: Partial<RunAndChaseParams>): RunAndChaseExact {
  const p = validateRunAndChaseParams(raw);
  const d = p.dimension;
  const averages = (n: number) => {
    const [inside, force, force2] = radialMoments(p, n);
    const Z = p.box ** d - BALL[d] * p.range ** d + inside;
    return { inside: inside / Z, meanForce: force / Z, meanSquaredForce: force2 / Z };
  };
  const fine = averages(2000),
    coarse = averages(1000);
  const { meanForce, meanSquaredForce } = fine;
  // Simpson's error estimate from halving the step (Richardson: (S_n - S_{n/2}) / 15), relative.
  const quadratureError = Math.max(
    Math.abs(fine.meanForce - coarse.meanForce) / (15 * meanForce),
    Math.abs(fine.meanSquaredForce - coarse.meanSquaredForce) / (15 * meanSquaredForce),
  );
  const c = chaseCoefficient(p);
  return {
    parameters: p,
    effectiveTemperature: effectiveTemperature(p),
    chaseCoefficient: c,
    meanForce,
    meanSquaredForce,
    contactProbability: fine.inside,
    quadratureError,
    chaseVelocity: c * meanForce,
    itoChaseVelocity: ((p.muCold - p.muHot) * meanForce) / 2,
    heatFromHotBath: c * meanSquaredForce,
    entropyProduction:
      (p.muHot * p.muCold * meanSquaredForce * (p.Thot - p.Tcold) ** 2) /
      (p.Thot * p.Tcold * (p.muHot * p.Thot + p.muCold * p.Tcold)),
  };
}

/** The local mean (Stratonovich) velocity of either particle, and of the centre of mass, along e at separation r: c F(r). */
export function chaseVelocityProfile(raw: Partial<RunAndChaseParams>, r: number): number {
  const p = validateRunAndChaseParams(raw);
  return chaseCoefficient(p) * repulsiveForce(p, r);
}

export interface RunAndChaseOptions {
  /** Run even above the work limit of src/studies/cost.ts. */
  force?: boolean;
  /** Production time per replica (default 2000). */
  time?: number;
  /**
   * Time step (default min(0.001 / mu_max, 0.02 range^2 / (stiffness mu_mean)): the separation's stiffest rate
   * (mu1 + mu2) k / range^2 times dt <= 0.04, and each particle's free step sqrt(2 mu T dt) as at unit mobility).
   */
  dt?: number;
  replicas?: number;
  seed?: number;
}

export interface RunAndChaseSimulation {
  parameters: RunAndChaseParams;
  /** <v_cm o e>, the run-and-chase velocity (Stratonovich). */
  chaseVelocity: Measured;
  /**
   * The Ito (pre-point) average of v_cm . e (the engine reports it when the mobilities differ; at equal mobilities
   * it is zero by symmetry and absent here).
   */
  itoChaseVelocity?: Measured;
  /** The simulated <F> (pair force on 2 along e). */
  meanForce: Measured;
  meanSeparation: Measured;
  heatFromHotBath: Measured;
  heatFromColdBath: Measured;
  entropyProduction: Measured;
  /** Drift of the centre of mass along the first axis (zero: the pair force cancels in it). */
  centreOfMassDrift: Measured;
  result: SimulationResult;
}

/** The default time step of the study for these parameters. */
export function runAndChaseTimeStep(p: RunAndChaseParams): number {
  const muMax = Math.max(p.muHot, p.muCold),
    muMean = (p.muHot + p.muCold) / 2;
  return Math.min(0.001 / muMax, (0.02 * p.range * p.range) / (p.stiffness * muMean));
}

/** The simulation of run-and-chase: the engine's model, scheme and options, and what is read from its result. */
function runAndChaseSimulation(raw: Partial<RunAndChaseParams>, options: RunAndChaseOptions) {
  const p = validateRunAndChaseParams(raw);
  const dt = options.dt ?? runAndChaseTimeStep(p);
  const time = options.time ?? 2000;
  const replicas = options.replicas ?? 4;
  checkSimulationCost({ time, dt, replicas, particles: 2, force: options.force });
  const settings: SimulationOptions = { time, seed: options.seed ?? 1, replicas, covariance: false, pairHeat: "exact" };
  const finish = (result: SimulationResult): RunAndChaseSimulation => {
    const m = (group: string, name: string) => estimateOf(result, group, name);
    const ito =
      p.muHot !== p.muCold ? { itoChaseVelocity: m("pair", "centre-of-mass velocity along r2 - r1 (Ito)") } : {};
    return {
      parameters: p,
      chaseVelocity: m("pair", "centre-of-mass velocity along r2 - r1"),
      ...ito,
      meanForce: m("pair", "pair force on 2 along r2 - r1"),
      meanSeparation: m("pair", "separation |r2 - r1|"),
      heatFromHotBath: m("bath flux", "into hot"),
      heatFromColdBath: m("bath flux", "into cold"),
      entropyProduction: m("entropy production", "rate"),
      centreOfMassDrift: m("drift velocity", "centre of mass x"),
      result,
    };
  };
  return { model: runAndChaseModel(p), scheme: heun({ dt }), settings, finish };
}

/** Simulates the pair with the stochastic engine (Heun) and returns the run-and-chase observables. */
export function simulateRunAndChase(
  raw: Partial<RunAndChaseParams>,
  options: RunAndChaseOptions = {},
): RunAndChaseSimulation {
  const s = runAndChaseSimulation(raw, options);
  return s.finish(simulateSync(s.model, s.scheme, s.settings));
}

/** simulateRunAndChase with the replicas on `run.runner`'s workers (or in process): the same numbers. */
export async function runRunAndChase(
  raw: Partial<RunAndChaseParams>,
  options: RunAndChaseOptions = {},
  run: RunOptions = {},
): Promise<RunAndChaseSimulation> {
  const s = runAndChaseSimulation(raw, options);
  return s.finish(await simulate(s.model, s.scheme, s.settings, run));
}
