/**
 * A chain of hot and cold monomers (issue 16; the hot/cold segregation of Section 3.3 of [Metzger 2026] "invoked as a
 * mechanism for organization of transcriptionally active and inactive genetic material", cf. Smrek and Kremer on
 * active-passive polymer mixtures): N overdamped monomers in open space, half of them at T_hot and half at T_cold,
 * in one of two sequences (block: N/2 hot then N/2 cold; alternating: hot, cold, hot, ...), joined by harmonic
 * bonds of rest length 0 (U = k r^2 / 2), with the soft repulsion (k_rep/2)(1 - r/range)^2 between all monomers
 * (0: none) and a weak harmonic trap on each monomer that holds the chain's centre (the trap is the same for every
 * monomer, so the chain's internal structure feels it only through its centre).
 *
 * Measured with the stochastic engine (Heun; the probe's polymer observables, src/stochastic/particleProbe.ts):
 * the squared radius of gyration of the hot and of the cold monomers, each group's mean squared distance from the
 * centre of the whole chain (which temperature sits in the core), the squared distance between the two groups'
 * centres, and the heat flow from the hot baths through the chain into the cold ones (bath flux into the hot
 * monomers, minus the flux into the cold ones: in a steady state they are equal and opposite), with the entropy
 * production. Every estimate carries its error bar (batch means over replicas); the hot-minus-cold differences are
 * taken batch by batch, so their error bars include the correlation of the two groups' values.
 *
 * The independent check: without the repulsion the chain is linear, the same as a harmonic network with one bath
 * per site (src/exact: solveNetwork), so the exact engine gives every one of these numbers (per axis, times the
 * dimension: the axes are independent). polymerGaussianExact computes them for the same bonds, trap and
 * temperatures; with repulsion they are the reference "without excluded volume".
 * Browser-safe.
 */
import { z } from "zod";
import { ModelError } from "../../errors.js";
import { solveNetwork } from "../../exact/network.js";
import { validateNetwork } from "../../model/network.js";
import { validateParticles, type ParticlesModel } from "../../model/particles.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import { heun } from "../../stochastic/integrators.js";
import { MIN_BATCH_CORRELATION_TIMES } from "../../stochastic/reliability.js";
import { findEstimate, type SimulationResult } from "../../stochastic/run.js";
import { simulateAndVerify } from "../../verify/simulation.js";
import { checkSimulationCost, checkSimulationWork, SIMULATION_SETTING_RANGES } from "../cost.js";
import { choice, quantity } from "../schema.js";

const POSITIVE = { min: 1e-6, max: 1e6 };
const SIM = "Simulation";

/** The study's parameters (`ness study two-temperature polymer`), declared once. */
export const polymerSchema = z.object({
  monomers: quantity({
    describe: "number of monomers N (even: N/2 hot, N/2 cold)",
    unit: "1",
    default: 20,
    range: { min: 2, max: 200, integer: true },
  }),
  sequence: choice(["block", "alternating"] as const, {
    describe: "order along the chain: block (N/2 hot monomers, then N/2 cold) or alternating (hot, cold, hot, ...)",
    default: "block",
  }),
  dimension: quantity({
    describe: "spatial dimension",
    unit: "1",
    default: 3,
    range: { min: 1, max: 3, integer: true },
  }),
  Thot: quantity({
    describe: "temperature of the hot monomers (kB = 1)",
    unit: "energy",
    default: 3,
    range: POSITIVE,
    flag: "Thot",
  }),
  Tcold: quantity({
    describe: "temperature of the cold monomers (kB = 1)",
    unit: "energy",
    default: 1,
    range: POSITIVE,
    flag: "Tcold",
  }),
  bond: quantity({
    describe: "stiffness k of the harmonic bonds, U = k r^2 / 2 (rest length 0)",
    unit: "energy/length^2",
    default: 3,
    range: POSITIVE,
  }),
  repulsion: quantity({
    describe:
      "stiffness of the soft repulsion (k_rep/2)(1 - r/range)^2 between all monomers, bonded ones included (0: none, the Gaussian chain the exact engine solves)",
    unit: "energy",
    default: 10,
    range: { min: 0, max: 1e6 },
  }),
  range: quantity({ describe: "range of the soft repulsion", unit: "length", default: 1, range: POSITIVE }),
  trap: quantity({
    describe: "stiffness lambda of the harmonic trap on every monomer, V = lambda |x|^2 / 2 (holds the chain's centre)",
    unit: "energy/length^2",
    default: 0.02,
    range: POSITIVE,
  }),
  time: quantity({
    describe: "production time per replica",
    unit: "time",
    defaultText:
      "max(2, ceil(16/replicas)) batches per replica, each at least 5 correlation times 1/(2 trap) of the slowest mode (the chain's centre in the trap): 520 at the default trap and replicas",
    range: SIMULATION_SETTING_RANGES.time,
    valueName: "t",
    section: SIM,
  }),
  burnIn: quantity({
    describe: "burn-in time per replica (from a straight chain)",
    unit: "time",
    defaultText:
      "10% of the time, at least 4 relaxation times of the chain's shape, 1/(4 bond sin^2(pi/2N) + trap) (the centre starts at its mean)",
    range: SIMULATION_SETTING_RANGES.burnIn,
    valueName: "t",
    section: SIM,
  }),
  replicas: quantity({
    describe: "independent replicas (streams of the seed)",
    unit: "1",
    default: 4,
    range: SIMULATION_SETTING_RANGES.replicas,
    section: SIM,
  }),
  dt: quantity({
    describe: "time step of the integrator (Heun)",
    unit: "time",
    default: 0.005,
    range: SIMULATION_SETTING_RANGES.dt,
    section: SIM,
  }),
});

export type PolymerInput = z.input<typeof polymerSchema>;
export type PolymerParams = z.output<typeof polymerSchema>;

/** A stochastic estimate: value, one standard error, the batch values behind it, and whether to trust it. */
export interface PolymerEstimate {
  value: number;
  error: number;
  /** Independent values (batch means) behind the error bar: the Student-t rule's n (src/studentT.ts). */
  batches: number;
  reliable: boolean;
}

/** The chain's structure and heat flow: simulated (PolymerEstimate) or exact (number). */
export interface PolymerObservables<T> {
  /** Squared radius of gyration of the hot monomers and of the cold ones (each group about its own centre). */
  gyrationHot: T;
  gyrationCold: T;
  gyrationAll: T;
  /** Mean squared distance of the hot (cold) monomers from the centre of the whole chain. */
  centreDistanceHot: T;
  centreDistanceCold: T;
  /** Squared distance between the centre of the hot monomers and that of the cold ones. */
  centresApart: T;
  /** Heat flow from the hot baths into the chain (= from the chain into the cold baths in a steady state). */
  heatFlow: T;
  /** Heat flow from the cold baths into the chain (minus heatFlow in a steady state). */
  heatFromCold: T;
  entropyProduction: T;
}

/** The chain's profile: each monomer's mean squared distance from the centre of the chain, in order along it. */
export interface PolymerProfile<T> {
  /** Whether the monomer at each position along the chain is hot. */
  hot: boolean[];
  distance: T[];
}

/**
 * Hot minus cold of the two pairs the study compares: Rg^2 of the hot monomers minus that of the cold ones, and their
 * mean squared distances from the centre. Simulated, the difference is taken batch by batch (the probe's "hot minus
 * cold" estimates), so its error bar is the standard error of the differences: it includes the correlation of the
 * two, which the same monomers and steps measure (adding the two error bars in quadrature would ignore it).
 */
export interface PolymerDifferences<T> {
  gyrationHotMinusCold: T;
  centreDistanceHotMinusCold: T;
}

export type PolymerExact = PolymerObservables<number> &
  PolymerDifferences<number> & {
    profile: PolymerProfile<number>;
    residual: number;
    /** The slowest relaxation rate (the centre of mass in the trap, or the first Rouse mode). */
    slowestRate: number;
  };

export interface PolymerRun {
  parameters: PolymerParams;
  simulated: PolymerObservables<PolymerEstimate> &
    PolymerDifferences<PolymerEstimate> & { profile: PolymerProfile<PolymerEstimate> };
  /** The same chain without the repulsion, exact (the exact answer of this chain when repulsion = 0). */
  gaussian: PolymerExact;
  dt: number;
  time: number;
  burnIn: number;
  replicas: number;
  seed: number;
  warnings: string[];
}

/** The chain's monomers in order along it (particle indices: hot ones are 0..N/2-1, cold ones N/2..N-1). */
export function polymerPath(monomers: number, sequence: "block" | "alternating"): number[] {
  const h = monomers / 2;
  return Array.from({ length: monomers }, (_, j) => (sequence === "block" ? j : j % 2 === 0 ? j / 2 : h + (j - 1) / 2));
}

function checkPolymer(p: PolymerParams): void {
  if (p.monomers % 2 !== 0) throw new ModelError(`monomers must be even (N/2 hot and N/2 cold), got ${p.monomers}`);
}

/** The chain as a `kind: particles` model (species hot then cold; a straight initial chain along x). */
export function polymerModel(p: PolymerParams): ParticlesModel {
  checkPolymer(p);
  const N = p.monomers,
    d = p.dimension;
  const path = polymerPath(N, p.sequence);
  const spacing = Math.min(0.97 * p.range, Math.sqrt(1 / p.bond));
  const initial: number[][] = Array.from({ length: N }, () => new Array<number>(d).fill(0));
  path.forEach((a, j) => (initial[a][0] = (j - (N - 1) / 2) * spacing));
  return validateParticles({
    kind: "particles",
    name: `${p.sequence === "block" ? "Blocked" : "Alternating"} hot/cold polymer`,
    dynamics: "overdamped",
    dimension: d,
    species: [
      { name: "hot", count: N / 2, temperature: p.Thot },
      { name: "cold", count: N / 2, temperature: p.Tcold },
    ],
    external: [{ potential: "harmonic", stiffness: p.trap }],
    ...(p.repulsion > 0 ? { pairs: [{ potential: "soft", stiffness: p.repulsion, range: p.range }] } : {}),
    bonds: [{ potential: "harmonic", stiffness: p.bond, path }],
    initial,
  });
}

/**
 * The chain without repulsion, exact: per axis a harmonic network (sites = monomers, springs = bonds, pinning = the
 * trap, friction 1 and the monomer's temperature at each site); every quantity is the per-axis value times d.
 */
export function polymerGaussianExact(p: PolymerParams): PolymerExact {
  checkPolymer(p);
  const N = p.monomers,
    h = N / 2,
    d = p.dimension;
  const path = polymerPath(N, p.sequence);
  const net = validateNetwork({
    kind: "network",
    dynamics: "overdamped",
    sites: Array.from({ length: N }, (_, a) => `m${a}`),
    pinning: p.trap,
    springs: path.slice(1).map((a, j) => ({ between: [`m${path[j]}`, `m${a}`], stiffness: p.bond })),
    baths: Array.from({ length: N }, (_, a) => ({ site: `m${a}`, friction: 1, temperature: a < h ? p.Thot : p.Tcold })),
  });
  const ex = solveNetwork(net);
  const S = ex.covariance.data;
  // Var(sum_a w_a x_a) for weights w.
  const variance = (w: Float64Array) => {
    let s = 0;
    for (let a = 0; a < N; a++) if (w[a] !== 0) for (let b = 0; b < N; b++) s += w[a] * w[b] * S[a * N + b];
    return s;
  };
  const hot = Array.from({ length: h }, (_, a) => a),
    cold = Array.from({ length: h }, (_, a) => h + a),
    all = Array.from({ length: N }, (_, a) => a);
  // <|x_a - mean over group g|^2> for a in `of`, averaged over `of` (g = of: the squared radius of gyration).
  const spread = (of: number[], g: number[]) => {
    let s = 0;
    for (const a of of) {
      const w = new Float64Array(N);
      for (const b of g) w[b] -= 1 / g.length;
      w[a] += 1;
      s += variance(w);
    }
    return (d * s) / of.length;
  };
  const apart = new Float64Array(N);
  for (const a of hot) apart[a] = 1 / h;
  for (const a of cold) apart[a] = -1 / h;
  const flux = (a: number) => ex.baths.find((b) => b.site === `m${a}`)!.flux;
  const heatHot = d * hot.reduce((s, a) => s + flux(a), 0),
    heatCold = d * cold.reduce((s, a) => s + flux(a), 0);
  const gyrationHot = spread(hot, hot),
    gyrationCold = spread(cold, cold),
    centreDistanceHot = spread(hot, all),
    centreDistanceCold = spread(cold, all);
  return {
    gyrationHot,
    gyrationCold,
    gyrationAll: spread(all, all),
    centreDistanceHot,
    centreDistanceCold,
    gyrationHotMinusCold: gyrationHot - gyrationCold,
    centreDistanceHotMinusCold: centreDistanceHot - centreDistanceCold,
    centresApart: d * variance(apart),
    heatFlow: heatHot,
    heatFromCold: heatCold,
    entropyProduction: -heatHot / p.Thot - heatCold / p.Tcold,
    profile: { hot: path.map((a) => a < h), distance: path.map((a) => spread([a], all)) },
    residual: ex.residual,
    slowestRate: ex.slowestRate,
  };
}

function estimate(r: SimulationResult, group: string, name: string): PolymerEstimate {
  const e = findEstimate(r, group, name);
  return { value: e.value, error: e.error, batches: e.batches, reliable: e.reliable };
}

/**
 * The relaxation time of the chain's shape (without repulsion): the first Rouse mode of N monomers with bond
 * stiffness k and friction 1 relaxes at rate 4 k sin^2(pi / (2 N)) + trap.
 */
export function polymerRelaxationTime(p: Pick<PolymerParams, "monomers" | "bond" | "trap">): number {
  return 1 / (4 * p.bond * Math.sin(Math.PI / (2 * p.monomers)) ** 2 + p.trap);
}

/**
 * The chain's slowest relaxation rate: its centre of mass in the trap, rate = trap. Exact with or without the
 * repulsion: bond and pair forces cancel in the sum over monomers and the trap is the same for all of them, so the
 * centre is an Ornstein-Uhlenbeck process of rate trap whatever the chain does; every Rouse mode relaxes faster
 * (trap + 4 k sin^2(pi j / (2 N))). Without repulsion it is the Gaussian chain's exact slowest rate (slowestRate).
 */
export function polymerSlowestRate(p: Pick<PolymerParams, "trap">): number {
  return p.trap;
}

/** Batch values over all replicas the default schedule aims at (at least 2 batches per replica). */
const DEFAULT_BATCH_VALUES = 16;

/** x rounded up to 2 significant figures. */
function ceil2(x: number): number {
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / unit) * unit;
}

/** A run's schedule: production time and burn-in per replica, batches per replica (undefined: the engine's). */
export interface PolymerSchedule {
  time: number;
  burnIn: number;
  batches?: number;
  /** The production time is the default one (from the slowest rate), not given. */
  defaultTime: boolean;
}

/**
 * The schedule of a run. Without a given time: max(2, ceil(16 / replicas)) batches per replica, each at least
 * MIN_BATCH_CORRELATION_TIMES correlation times 1/(2 trap) of the slowest mode (the centre in the trap; every
 * quantity the study measures is quadratic in the positions) plus two steps (so that whole steps still cover it),
 * rounded up to 2 significant figures: the batches the slowest-mode rule of "reliable" asks for
 * (src/stochastic/reliability.ts), 4 x 130 = 520 at the default trap 0.02 and 4 replicas. A given time keeps the
 * engine's batches. The burn-in: as given, else 10% of the time but at least 4 relaxation times of the chain's shape
 * (polymerRelaxationTime). It need not cover the centre: the chain starts centred, at the centre's mean, so only the
 * centre's variance is short at the start (its correlations with the shape relax at the shape's rates), which enters
 * none of the shape quantities and the heat flows only through trap^2 <|r_cm|^2> per monomer (about 1% of the
 * default chain's heat flow, its shortfall decaying at rate 2 trap).
 */
export function polymerSchedule(p: PolymerParams): PolymerSchedule {
  const burnIn = (time: number) => p.burnIn ?? Math.max(0.1 * time, 4 * polymerRelaxationTime(p));
  if (p.time !== undefined) return { time: p.time, burnIn: burnIn(p.time), defaultTime: false };
  const batches = Math.max(2, Math.ceil(DEFAULT_BATCH_VALUES / p.replicas));
  const tau = 1 / (2 * polymerSlowestRate(p));
  const batch = ceil2(
    Math.max(MIN_BATCH_CORRELATION_TIMES * tau * (1 + 1e-6), MIN_BATCH_CORRELATION_TIMES * tau + 2 * p.dt),
  );
  const time = batches * batch;
  return { time, burnIn: burnIn(time), batches, defaultTime: true };
}

/** The burn-in of a run: as given, else 10% of the time but at least 4 relaxation times of the chain's shape. */
export function polymerBurnIn(p: PolymerParams): number {
  return polymerSchedule(p).burnIn;
}

/** Simulates the chain (replicas on `run.runner`'s workers, or in process) and computes its Gaussian reference. */
export async function runPolymer(
  raw: PolymerInput,
  options: { seed: number; force?: boolean },
  run: RunOptions = {},
): Promise<PolymerRun> {
  const p = polymerSchema.parse(raw);
  const model = polymerModel(p);
  const { time, burnIn, batches, defaultTime } = polymerSchedule(p);
  const cost = { time: time + burnIn, dt: p.dt, replicas: p.replicas, particles: p.monomers, force: options.force };
  // A default time follows 1/trap: say so when it is too long.
  if (defaultTime)
    checkSimulationWork(
      cost,
      undefined,
      `the default --time (${Number(time.toPrecision(6))}) follows the slowest relaxation time 1/trap: give --time or a stiffer --trap, or use a larger --dt`,
    );
  checkSimulationCost(cost);
  const gaussian = polymerGaussianExact(p);
  // Without repulsion the chain is a linear model: src/verify solves it exactly (the network of one spring per bond per
  // axis) and attaches to every estimate its exact value, its exact time-step bias at this dt and the slowest-mode
  // rule of "reliable", as `ness simulate` does. With repulsion the batch means alone judge the estimates (each
  // estimate's batch correlation and the correlated-run rule). The run itself is the same either way (its default
  // schedule already has batches of 5 correlation times of the slowest mode: polymerSchedule).
  const r = await simulateAndVerify(
    model,
    heun({ dt: p.dt }),
    {
      time,
      burnIn,
      replicas: p.replicas,
      ...(batches !== undefined ? { batches } : {}),
      seed: options.seed,
      covariance: false,
      profile: true,
    },
    run,
  );
  const g = (name: string) => estimate(r, "radius of gyration", `squared, ${name}`);
  const s = (name: string) => estimate(r, "segregation", name);
  return {
    parameters: p,
    simulated: {
      gyrationHot: g("hot"),
      gyrationCold: g("cold"),
      gyrationAll: g("all"),
      centreDistanceHot: s("squared distance from the centre, hot"),
      centreDistanceCold: s("squared distance from the centre, cold"),
      gyrationHotMinusCold: g("hot minus cold"),
      centreDistanceHotMinusCold: s("squared distance from the centre, hot minus cold"),
      centresApart: s("squared distance between the centres of hot and cold"),
      heatFlow: estimate(r, "bath flux", "into hot"),
      heatFromCold: estimate(r, "bath flux", "into cold"),
      entropyProduction: estimate(r, "entropy production", "rate"),
      profile: {
        hot: gaussian.profile.hot,
        distance: polymerPath(p.monomers, p.sequence).map((a) =>
          estimate(r, "profile", `squared distance from the centre, particle ${a}`),
        ),
      },
    },
    gaussian,
    dt: r.dt,
    time: r.time,
    burnIn: r.burnIn,
    replicas: r.replicas,
    seed: r.seed,
    warnings: r.warnings,
  };
}
