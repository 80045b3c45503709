/**
 * Direct simulation of the mixed system of [Krekels et al. 2026]: an underdamped harmonic chain (mass m, springs k, pinning K at
 * both ends) whose site 1 is pushed by N_b overdamped particles on a ring, and whose site N is in a Langevin bath:
 *   m q_1'' = -K q_1 - k (q_1 - q_2) - eps sum_i F(x_i) + N_b eps A            (compensated mean force)
 *   m q_j'' = k (q_(j-1) - 2 q_j + q_(j+1))                                      (bulk)
 *   m q_N'' = -K q_N - k (q_N - q_(N-1)) - gamma_R q_N' + sqrt(2 gamma_R T_R) xi_R
 *   zeta x_i' = -eps q_1 F'(x_i) + sqrt(2 zeta T_L) xi_i,    F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L)).
 * N = 1 with gamma_R = 0 is the single probe of Section 3 (k plays no role).
 *
 * The system is a Langevin problem (src/problem/langevin.ts, the type `ness simulate` builds from models), plain
 * data: the chain's coordinates underdamped, the particles' overdamped (friction zeta, the inverse mobility), a harmonic term for
 * the chain and the coupling term "particle-bath-chain/coupling" registered here; replicas run by the engine's
 * `ensemble`, in process or on workers. Its BAOAB for mixed systems steps the chain by kick, drift, Ornstein-Uhlenbeck
 * step of v_N, drift, and the particles between the drifts by Strang splitting: half a drift step with the old forces
 * (old q_1), the exact free diffusion, a force evaluation, half a drift step with the new forces (new q_1); new
 * forces, kick. To first order in eps the bath's response is then sampled exactly at the grid times with trapezoid
 * weights, so the softening (k_eff) and the friction it produces are both correct to O((dt / tau_n)^2) for a bath
 * mode of time tau_n (an Euler-Maruyama particle step responds one step late: O(dt / tau_n) errors in both, a
 * friction 20 % too low at dt = tau_1 / 5). Random numbers: streams (seed, replica, 0) for the noise and (seed,
 * replica, 1) for the particles' initial positions, so the same seed gives the same numbers whatever the number of
 * workers. Error bars (src/stochastic/statistics.ts): the jackknife over groups of replica pairs (probe),
 * batch means (current).
 */
import { effectiveBath, probeRelaxation } from "./effectiveBath.js";
import type { ParticleBathChainParams } from "./params.js";
import { ModelError } from "../../errors.js";
import {
  ensemble,
  ensembleSync,
  type EnsembleJob,
  type EnsembleOutputs,
  type RunOptions,
} from "../../stochastic/ensemble.js";
import { baoab } from "../../stochastic/integrators.js";
import { seriesLength, type LangevinSettings, type QuadraticObservable } from "../../stochastic/langevinEnsemble.js";
import type { TermField } from "../../stochastic/forceField.js";
import { registerForceTerm } from "../../stochastic/system.js";
import type { ForceTerm, HarmonicTerm, LangevinProblem } from "../../problem/langevin.js";
import { jackknife, linear, measured, reduceBatches, type Measured } from "../../stochastic/statistics.js";
import { checkSimulationWork, SIMULATION_SETTING_RANGES } from "../cost.js";
import { checkRange, type ParameterRange } from "../ranges.js";
import { besselIScaledSequence } from "../../special/bessel.js";
import * as portable from "../../special/elementary.js";

/** What the simulator needs (T_R unused when gammaR = 0). */
export type MixedParams = Pick<
  ParticleBathChainParams,
  "m" | "K" | "k" | "N" | "Nb" | "eps" | "A" | "rho" | "L" | "zeta" | "gammaR" | "TL" | "TR"
>;

/**
 * A time step for the mixed system: a fraction of the slowest bath time 1/lambda_1 = zeta L^2 / (4 pi^2 T_L) (so the
 * modes that carry the friction are resolved) and of the chain's fastest period.
 */
export function defaultTimeStep(p: MixedParams, fractionOfBathTime = 1 / 20): number {
  const bathTime = (p.zeta * p.L * p.L) / (4 * Math.PI * Math.PI * p.TL);
  const wMax = Math.sqrt((p.K + (p.N > 1 ? 4 * p.k : 0)) / p.m);
  return Math.min(fractionOfBathTime * bathTime, 0.1 / wMax);
}

/**
 * The coupling on a table of the angle theta = 2 pi x / L for the hot loop: F(theta) = c0 exp(rho (cos theta - 1)) and
 * G(theta) = rho sin(theta) F(theta) (so dF/dtheta = -G), by cubic Hermite interpolation from exact values and
 * derivatives at M + 1 nodes. Relative error ~ (h sqrt(rho))^4 / 384 with h = 2 pi / M: below 1e-10 (tested).
 */
export interface CouplingTable {
  /** Intervals on [0, 2 pi). */
  size: number;
  /** Per node j: F, h dF/dtheta, G, h dG/dtheta (h = 2 pi / size). */
  values: Float64Array;
  /** Evaluates [F, G] at theta (any real angle), for tests. */
  at(theta: number): [number, number];
}

export function couplingTable(p: Pick<MixedParams, "A" | "rho">): CouplingTable {
  const { rho, A } = p;
  const c0 = A / besselIScaledSequence(0, rho)[0];
  const size = 1024 * Math.max(2, Math.ceil(2 * Math.sqrt(Math.max(1, rho))));
  const h = (2 * Math.PI) / size;
  const values = new Float64Array(4 * (size + 1));
  for (let j = 0; j <= size; j++) {
    const t = j * h;
    const c = portable.cos(t);
    const sn = portable.sin(t);
    const F = c0 * portable.exp(rho * (c - 1));
    const G = rho * sn * F;
    values[4 * j] = F;
    values[4 * j + 1] = -h * G;
    values[4 * j + 2] = G;
    values[4 * j + 3] = h * rho * F * (c - rho * sn * sn);
  }
  const at = (theta: number): [number, number] => {
    const t = theta - 2 * Math.PI * Math.floor(theta / (2 * Math.PI));
    const u = t / h;
    let j = Math.floor(u);
    if (j >= size) j = size - 1;
    const s = u - j;
    const s2 = s * s;
    const s3 = s2 * s;
    const h00 = 2 * s3 - 3 * s2 + 1;
    const h10 = s3 - 2 * s2 + s;
    const h01 = 3 * s2 - 2 * s3;
    const h11 = s3 - s2;
    const b = 4 * j;
    return [
      h00 * values[b] + h10 * values[b + 1] + h01 * values[b + 4] + h11 * values[b + 5],
      h00 * values[b + 2] + h10 * values[b + 3] + h01 * values[b + 6] + h11 * values[b + 7],
    ];
  };
  return { size, values, at };
}

/** The coupling term's data: site `site` and the particles at coordinates first .. first + count - 1 on a ring of length L. */
export interface CouplingTerm extends ForceTerm {
  readonly term: "particle-bath-chain/coupling";
  readonly site: number;
  readonly first: number;
  readonly count: number;
  readonly eps: number;
  readonly A: number;
  readonly rho: number;
  readonly L: number;
}

/**
 * The coupling U = eps q_site sum_i F(x_i) - N_b eps A q_site (the compensation keeps the mean force on the site
 * zero for uniform particles) as a force field: the force on the site is N_b eps A - eps sum_i F(x_i), on particle i
 * -eps q_site F'(x_i) = eps q_site (2 pi / L) G(theta_i) with theta = 2 pi x / L and G = -dF/dtheta, both by cubic
 * Hermite interpolation in the coupling table (inlined: no allocation).
 */
export function couplingForceField(t: CouplingTerm, dof: number, overdamped?: Uint8Array): TermField {
  const { site, first, count: nb, eps, L } = t;
  if (!(
    Number.isSafeInteger(site) &&
    site >= 0 &&
    site < dof &&
    Number.isSafeInteger(first) &&
    first >= 0 &&
    Number.isSafeInteger(nb) &&
    nb >= 0 &&
    first + nb <= dof
  )) {
    throw new ModelError(`the particle-bath-chain coupling needs a site and particles among the ${dof} coordinates`);
  }
  const table = couplingTable({ A: t.A, rho: t.rho });
  const T = table.values,
    M = table.size;
  const uPerRad = M / (2 * Math.PI),
    twoPiOverL = (2 * Math.PI) / L;
  const TWO_PI = 2 * Math.PI,
    INV_TWO_PI = 1 / TWO_PI;
  const compensation = nb * eps * t.A;
  const add = (x: Float64Array, f: Float64Array): number => {
    const q = x[site];
    const pull = eps * q * twoPiOverL;
    let sumF = 0;
    for (let i = 0; i < nb; i++) {
      let th = twoPiOverL * x[first + i];
      th -= TWO_PI * Math.floor(th * INV_TWO_PI);
      let u = th * uPerRad;
      let j = u | 0;
      if (j >= M) j = M - 1;
      u -= j;
      const u2 = u * u,
        u3 = u2 * u;
      const h01 = 3 * u2 - 2 * u3,
        h00 = 1 - h01,
        h10 = u3 - 2 * u2 + u,
        h11 = u3 - u2;
      const b = 4 * j;
      sumF += h00 * T[b] + h10 * T[b + 1] + h01 * T[b + 4] + h11 * T[b + 5];
      f[first + i] += pull * (h00 * T[b + 2] + h10 * T[b + 3] + h01 * T[b + 6] + h11 * T[b + 7]);
    }
    f[site] += compensation - eps * sumF;
    return eps * q * sumF - compensation * q;
  };
  // The particles' forces alone (G only, not F): enough where the site is not overdamped (its force is not read).
  const addOverdamped = (x: Float64Array, f: Float64Array): void => {
    const pull = eps * x[site] * twoPiOverL;
    for (let i = 0; i < nb; i++) {
      let th = twoPiOverL * x[first + i];
      th -= TWO_PI * Math.floor(th * INV_TWO_PI);
      let u = th * uPerRad;
      let j = u | 0;
      if (j >= M) j = M - 1;
      u -= j;
      const u2 = u * u,
        u3 = u2 * u;
      const h01 = 3 * u2 - 2 * u3,
        h00 = 1 - h01,
        h10 = u3 - 2 * u2 + u,
        h11 = u3 - u2;
      const b = 4 * j;
      f[first + i] += pull * (h00 * T[b + 2] + h10 * T[b + 3] + h01 * T[b + 6] + h11 * T[b + 7]);
    }
  };
  return {
    dof,
    add,
    ...(overdamped && overdamped[site] !== 1 ? { addOverdamped } : {}),
    compute(x, f) {
      f.fill(0);
      return add(x, f);
    },
  };
}

registerForceTerm("particle-bath-chain/coupling", (t, { dof, overdamped }) =>
  couplingForceField(t as CouplingTerm, dof, overdamped),
);

/**
 * The mixed system as a Langevin problem of the engine: coordinates 0..N-1 the chain (underdamped, mass m; site N in
 * a bath gamma_R, T_R when gamma_R > 0), N..N+N_b-1 the particles' positions on the ring (overdamped, friction zeta,
 * temperature T_L, uniform in [0, L) at the start), the chain at rest.
 */
export function mixedProblem(p: MixedParams, variants?: LangevinProblem["variants"]): LangevinProblem {
  const { N, Nb } = p;
  const dof = N + Nb;
  const mass = new Float64Array(dof).fill(1),
    friction = new Float64Array(dof),
    temperature = new Float64Array(dof);
  for (let i = 0; i < N; i++) mass[i] = p.m;
  if (p.gammaR > 0) {
    friction[N - 1] = p.gammaR;
    temperature[N - 1] = p.TR;
  }
  for (let i = N; i < dof; i++) {
    friction[i] = p.zeta;
    temperature[i] = p.TL;
  }
  const pinning: [number, number][] =
    N === 1
      ? [[0, p.K]]
      : [
          [0, p.K],
          [N - 1, p.K],
        ];
  const springs: [number, number, number][] = [];
  for (let j = 0; j + 1 < N; j++) springs.push([j, j + 1, p.k]);
  const coupling: CouplingTerm = {
    term: "particle-bath-chain/coupling",
    site: 0,
    first: N,
    count: Nb,
    eps: p.eps,
    A: p.A,
    rho: p.rho,
    L: p.L,
  };
  return {
    kind: "langevin",
    dynamics: "mixed",
    mass,
    friction,
    temperature,
    overdamped: Array.from({ length: Nb }, (_, i) => N + i),
    forces: [{ term: "harmonic", pinning, springs } satisfies HarmonicTerm, coupling],
    initial: { uniform: [{ from: N, count: Nb, range: [0, p.L] }] },
    ...(variants ? { variants } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Single probe: effective friction from the decay of the mean velocity (Section 3, Figure 2b)

/** The domain of the probe simulation's own settings. */
export const PROBE_RANGES: Readonly<Record<"pairs" | "v0", ParameterRange>> = Object.freeze({
  pairs: { min: 2, max: 10_000, integer: true },
  v0: { min: 1e-6, max: 1e6 },
});

export interface ProbeDecayOptions {
  /** Run even above the work limit of src/studies/cost.ts. */
  force?: boolean;
  /** Antithetic pairs of replicas (each pair shares its noise; initial velocities +v0 and -v0). */
  pairs: number;
  /** Duration of each run (default: 2.5 envelope decay times 2 m / gamma, gamma from the memory-kernel theory). */
  duration?: number;
  /** Time step (default: defaultTimeStep). */
  dt?: number;
  /** Initial velocity kick (default: the thermal velocity sqrt(T_L / m)). */
  v0?: number;
  /** Record the mean velocity every `every` steps (default: about 2000 samples). */
  every?: number;
  seed: number;
  /** Independent groups for the jackknife error bar (default 16). */
  groups?: number;
}

export interface ProbeDecay {
  /** Sampling times and the mean velocity difference (v(+v0) - v(-v0)) / 2 over all pairs, normalised by v0. */
  times: Float64Array;
  meanVelocity: Float64Array;
  /** Fitted friction gamma = 2 m Gamma (Gamma the envelope's decay rate) with its jackknife error bar. */
  friction: Measured;
  /** Fitted oscillation frequency and the stiffness m (Omega^2 + Gamma^2) it implies. */
  frequency: Measured;
  stiffness: Measured;
  /** The formula's gamma_L and k_eff (Markov limit), for comparison. */
  gammaL: number;
  kEff: number;
  /** The friction 2 m Gamma predicted with the bath's memory kernel (finite zeta). */
  memoryFriction: number;
  dt: number;
  steps: number;
}

/** Damped-oscillator velocity with v(0) = 1, q(0) = 0: e^(-G t) (cos W t - (G / W) sin W t). */
function dampedVelocity(G: number, W: number, t: number): number {
  const e = Math.exp(-G * t);
  return e * (Math.cos(W * t) - (G / W) * Math.sin(W * t));
}

/** Least-squares fit of dampedVelocity(G, W, t) to y (Gauss-Newton with Levenberg damping). */
export function fitDampedVelocity(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  G0: number,
  W0: number,
): { G: number; W: number } {
  let G = G0;
  let W = W0;
  const n = t.length;
  const sse = (g: number, w: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (y[i] - dampedVelocity(g, w, t[i])) ** 2;
    return s;
  };
  let lambda = 1e-3;
  let cur = sse(G, W);
  for (let it = 0; it < 200; it++) {
    // Jacobian by central differences.
    let a11 = 0;
    let a12 = 0;
    let a22 = 0;
    let b1 = 0;
    let b2 = 0;
    const hG = 1e-7 * Math.max(Math.abs(G), 1e-6);
    const hW = 1e-7 * Math.max(Math.abs(W), 1e-6);
    for (let i = 0; i < n; i++) {
      const r = y[i] - dampedVelocity(G, W, t[i]);
      const jG = (dampedVelocity(G + hG, W, t[i]) - dampedVelocity(G - hG, W, t[i])) / (2 * hG);
      const jW = (dampedVelocity(G, W + hW, t[i]) - dampedVelocity(G, W - hW, t[i])) / (2 * hW);
      a11 += jG * jG;
      a12 += jG * jW;
      a22 += jW * jW;
      b1 += jG * r;
      b2 += jW * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const d11 = a11 * (1 + lambda);
      const d22 = a22 * (1 + lambda);
      const det = d11 * d22 - a12 * a12;
      const dG = (d22 * b1 - a12 * b2) / det;
      const dW = (d11 * b2 - a12 * b1) / det;
      const next = sse(G + dG, W + dW);
      if (next < cur && W + dW > 0) {
        const small = Math.abs(dG) < 1e-12 * Math.max(Math.abs(G), 1e-12) && Math.abs(dW) < 1e-12 * W;
        G += dG;
        W += dW;
        cur = next;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (small) return { G, W };
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { G, W };
}

/**
 * The probe-decay simulation as an ensemble job (see simulateProbeDecay): a replica is an antithetic pair, the two
 * variants of a mixed Langevin problem stepped with common random numbers. Run it with `ensemble(job.problem,
 * { ...job.options, runner })` on workers. Throws ModelError for settings out of range or a run above the work limit.
 */
export function probeDecayEnsemble(pIn: MixedParams, options: ProbeDecayOptions): EnsembleJob<ProbeDecay> {
  const p: MixedParams = { ...pIn, N: 1, gammaR: 0, TR: 0 };
  const bath = effectiveBath(p);
  const expected = probeRelaxation(p, bath);
  const dt = options.dt ?? defaultTimeStep(p, 1 / 5);
  const duration = options.duration ?? (2.5 * 2 * p.m) / expected.friction;
  checkRange("pairs (antithetic pairs of probes)", options.pairs, PROBE_RANGES.pairs);
  if (options.v0 !== undefined) checkRange("v0 (initial velocity of the probe)", options.v0, PROBE_RANGES.v0);
  checkRange("the probe's run time", duration, SIMULATION_SETTING_RANGES.time);
  checkRange("the probe's time step", dt, SIMULATION_SETTING_RANGES.dt);
  checkSimulationWork(
    { time: duration, dt, replicas: 2 * options.pairs, particles: p.Nb + 1, force: options.force },
    undefined,
    "reduce --pairs (the time step follows the bath time zeta L^2/(4 pi^2 T_L), the run time the friction)",
  );
  const steps = Math.max(1, Math.round(duration / dt));
  const every = options.every ?? Math.max(1, Math.round(steps / 2000));
  const samples = seriesLength({ every, steps });
  const v0 = options.v0 ?? Math.sqrt(p.TL / p.m);
  const groups = Math.min(options.groups ?? 16, options.pairs);
  // A replica is a pair: the probe kicked to +v0 and to -v0 (variants), the same particles and the same noise.
  const problem = mixedProblem(p, [{ p: [[0, p.m * v0]] }, { p: [[0, -p.m * v0]] }]);
  const dof = p.N + p.Nb;
  const velocity = (variant: number): QuadraticObservable => ({
    name: `v1 (${variant === 0 ? "+" : "-"}v0)`,
    terms: [[dof, -1, 1 / p.m]],
    variant,
  });
  const settings: LangevinSettings = {
    scheme: baoab({ dt }),
    burnSteps: 0,
    observables: [velocity(0), velocity(1)],
    series: { every, steps },
  };
  const reduce = ({ outputs, perReplica }: EnsembleOutputs): ProbeDecay => {
    const groupSums = Array.from({ length: groups }, () => new Float64Array(samples));
    const groupCounts = new Float64Array(groups);
    for (let r = 0; r < options.pairs; r++) {
      const acc = groupSums[r % groups];
      groupCounts[r % groups]++;
      const o = r * perReplica;
      for (let i = 0; i < samples; i++) acc[i] += (outputs[o + 2 * i] - outputs[o + 2 * i + 1]) / (2 * v0);
    }
    const times = Float64Array.from({ length: samples }, (_, i) => i * every * dt);
    const total = new Float64Array(samples);
    for (let g = 0; g < groups; g++) for (let i = 0; i < samples; i++) total[i] += groupSums[g][i];
    const meanVelocity = total.map((x) => x / options.pairs);
    const full = fitDampedVelocity(times, meanVelocity, expected.decayRate, expected.frequency);
    // Jackknife over groups of pairs: [G, W, stiffness m (W^2 + G^2)] of the fit without group g.
    const fit = (skip: number): number[] => {
      if (skip < 0) return [full.G, full.W, p.m * (full.W ** 2 + full.G ** 2)];
      const n = options.pairs - groupCounts[skip];
      const y = total.map((x, i) => (x - groupSums[skip][i]) / n);
      const f = fitDampedVelocity(times, y, full.G, full.W);
      return [f.G, f.W, p.m * (f.W ** 2 + f.G ** 2)];
    };
    const jk = jackknife(groups, fit);
    const m = (k: number, scale = 1): Measured =>
      measured(
        { value: jk.value[k], error: jk.error[k], reliable: groups >= 16 && Number.isFinite(jk.error[k]) },
        scale,
      );
    return {
      times,
      meanVelocity,
      friction: m(0, 2 * p.m),
      frequency: m(1),
      stiffness: m(2),
      gammaL: bath.gammaL,
      kEff: bath.kEff,
      memoryFriction: expected.friction,
      dt,
      steps,
    };
  };
  return { problem, options: { replicas: options.pairs, seed: options.seed, settings, reduce } };
}

/**
 * Simulates antithetic pairs of single probes (N = 1, no Langevin bath) started at q = 0 with velocity +v0 and -v0
 * (the particles uniform on the ring), sharing every random number, and fits the decay of the mean velocity
 * difference with the damped-oscillator form: its envelope e^(-gamma t / 2m) gives the effective friction.
 * The shared noise cancels the thermal fluctuations to first order, so few pairs give a sharp mean velocity; the
 * error bar is a jackknife over groups of pairs. In process; `probeDecayEnsemble` gives the job for workers.
 */
export function simulateProbeDecay(p: MixedParams, options: ProbeDecayOptions): ProbeDecay {
  const job = probeDecayEnsemble(p, options);
  return ensembleSync(job.problem, job.options);
}

/** simulateProbeDecay with the replicas on `run.runner`'s workers (or in process): the same numbers. */
export async function runProbeDecay(
  p: MixedParams,
  options: ProbeDecayOptions,
  run: RunOptions = {},
): Promise<ProbeDecay> {
  const job = probeDecayEnsemble(p, options);
  return ensemble(job.problem, { ...job.options, ...run });
}

// ---------------------------------------------------------------------------------------------------------------
// Full system: the current through the chain

export interface ChainCurrentOptions {
  /** Run even above the work limit of src/studies/cost.ts. */
  force?: boolean;
  /** Independent replicas (streams). */
  replicas: number;
  /** Production time per replica (after burn-in). */
  duration: number;
  /** Burn-in time per replica. */
  burnIn: number;
  /** Batches per replica for the batch-means error bar (default 10). */
  batches?: number;
  dt?: number;
  seed: number;
}

export interface ChainCurrentEstimate {
  /** Heat current into the Langevin bath, gamma_R (m <v_N^2> - T_R) / m: the main estimator. */
  current: Measured;
  /** Mean of the spring fluxes k <(q_j - q_(j+1)) (v_j + v_(j+1))> / 2 over all bonds (same mean, other noise). */
  springCurrent: Measured;
  /** Kinetic temperature of site 1, m <v_1^2>. */
  leftKineticTemperature: Measured;
  dt: number;
  steps: number;
}

/**
 * The full system's current as an ensemble job (see simulateChainCurrent): batch means of the bath flux, the spring
 * fluxes and the kinetic temperature of site 1. Run it with `ensemble(job.problem, { ...job.options, runner })` on
 * workers. Throws ModelError for settings out of range or a run above the work limit.
 */
export function chainCurrentEnsemble(p: MixedParams, options: ChainCurrentOptions): EnsembleJob<ChainCurrentEstimate> {
  if (!(p.gammaR > 0) || p.N < 2)
    throw new ModelError("simulateChainCurrent needs a chain (N >= 2) with a Langevin bath (gammaR > 0)");
  const dt = options.dt ?? defaultTimeStep(p);
  checkRange("--replicas", options.replicas, SIMULATION_SETTING_RANGES.replicas);
  checkRange("--time", options.duration, SIMULATION_SETTING_RANGES.time);
  checkRange("the burn-in", options.burnIn, SIMULATION_SETTING_RANGES.burnIn);
  checkRange("the time step", dt, SIMULATION_SETTING_RANGES.dt);
  checkSimulationWork(
    {
      time: options.duration + options.burnIn,
      dt,
      replicas: options.replicas,
      particles: p.N + p.Nb,
      force: options.force,
    },
    undefined,
    "reduce --time or --replicas (the time step follows the bath time zeta L^2/(4 pi^2 T_L) and the chain's fastest mode)",
  );
  const batches = options.batches ?? 10;
  const burn = Math.round(options.burnIn / dt);
  const perBatch = Math.max(1, Math.round(options.duration / dt / batches));
  const { N, m, k, gammaR, TR } = p;
  const dof = N + p.Nb;
  const v = (i: number) => dof + i; // index of p_i in y = (x, p); v_i = p_i / m
  const spring = (0.5 * k) / (N - 1) / m;
  const springTerms: [number, number, number][] = [];
  for (let j = 0; j + 1 < N; j++)
    springTerms.push([j, v(j), spring], [j, v(j + 1), spring], [j + 1, v(j), -spring], [j + 1, v(j + 1), -spring]);
  const observables: QuadraticObservable[] = [
    { name: "bath current", terms: [[v(N - 1), v(N - 1), gammaR / (m * m)]], offset: -(gammaR * TR) / m },
    { name: "spring current", terms: springTerms },
    { name: "kinetic temperature of site 1", terms: [[v(0), v(0), 1 / m]] },
  ];
  const settings: LangevinSettings = {
    scheme: baoab({ dt }),
    burnSteps: burn,
    observables,
    batches,
    batchSteps: perBatch,
  };
  const reduce = ({ outputs }: EnsembleOutputs): ChainCurrentEstimate => {
    const [current, springCurrent, leftKineticTemperature] = reduceBatches(
      outputs,
      3,
      batches,
      observables.map((o, i) => ({ group: "chain", name: o.name, estimand: linear([[i, 1]]) })),
    );
    return {
      current: measured(current),
      springCurrent: measured(springCurrent),
      leftKineticTemperature: measured(leftKineticTemperature),
      dt,
      steps: options.replicas * (burn + batches * perBatch),
    };
  };
  return { problem: mixedProblem(p), options: { replicas: options.replicas, seed: options.seed, settings, reduce } };
}

/** Simulates the full system in process and measures the steady heat current with batch-means error bars. */
export function simulateChainCurrent(p: MixedParams, options: ChainCurrentOptions): ChainCurrentEstimate {
  const job = chainCurrentEnsemble(p, options);
  return ensembleSync(job.problem, job.options);
}

/** simulateChainCurrent with the replicas on `run.runner`'s workers (or in process): the same numbers. */
export async function runChainCurrent(
  p: MixedParams,
  options: ChainCurrentOptions,
  run: RunOptions = {},
): Promise<ChainCurrentEstimate> {
  const job = chainCurrentEnsemble(p, options);
  return ensemble(job.problem, { ...job.options, ...run });
}
