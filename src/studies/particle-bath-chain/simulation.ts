/**
 * Direct simulation of the mixed system of seed 003: an underdamped harmonic chain (mass m, springs k, pinning K at
 * both ends) whose site 1 is pushed by N_b overdamped particles on a ring, and whose site N is in a Langevin bath:
 *   m q_1'' = -K q_1 - k (q_1 - q_2) - eps sum_i F(x_i) + N_b eps A            (compensated mean force)
 *   m q_j'' = k (q_(j-1) - 2 q_j + q_(j+1))                                      (bulk)
 *   m q_N'' = -K q_N - k (q_N - q_(N-1)) - gamma_R q_N' + sqrt(2 gamma_R T_R) xi_R
 *   zeta x_i' = -eps q_1 F'(x_i) + sqrt(2 zeta T_L) xi_i,    F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L)).
 * N = 1 with gamma_R = 0 is the single probe of Section 3 (k plays no role).
 *
 * Integrator (one step dt): half kick, half drift, exact Ornstein-Uhlenbeck step of v_N, half drift (BAOAB-like), then
 * the particles by Strang splitting: half a drift step with the old q_1, the exact free diffusion on the ring (the
 * particles are tracked by their angle 2 pi x / L), half a drift step with the new q_1; new forces, half kick.
 * To first order in eps the bath's response is then sampled exactly at the grid times with trapezoid weights, so the
 * softening (k_eff) and the friction it produces are both correct to O((dt / tau_n)^2) for a bath mode of time tau_n
 * (an Euler-Maruyama particle step responds one step late: O(dt / tau_n) errors in both, a friction 20 % too low at
 * dt = tau_1 / 5). Random numbers: src/stochastic/rng.ts, one stream per (seed, replica), so the same seed gives
 * the same numbers. Error bars: jackknife over groups of replica pairs (probe), batch means (current).
 */
import { effectiveBath, probeRelaxation } from "./effectiveBath.js";
import type { ParticleBathChainParams } from "./params.js";
import { Rng } from "../../stochastic/rng.js";
import { ModelError } from "../../errors.js";
import { checkSimulationWork, SIMULATION_SETTING_RANGES } from "../cost.js";
import { checkRange, type ParameterRange } from "../ranges.js";
import { besselIScaledSequence } from "../../special/bessel.js";

/** What the simulator needs (T_R unused when gammaR = 0). */
export type MixedParams = Pick<ParticleBathChainParams, "m" | "K" | "k" | "N" | "Nb" | "eps" | "A" | "rho" | "L" | "zeta" | "gammaR" | "TL" | "TR">;

/** State of one replica: chain coordinates and velocities, particle angles theta = 2 pi x / L. */
export interface MixedState {
  q: Float64Array;
  v: Float64Array;
  theta: Float64Array;
  /** Force on site 1 from the particles (compensated), at the current positions. */
  bathForce: number;
  /** G(theta_i) = rho sin(theta_i) F(x_i) = -dF/dtheta at the current positions (for the next particle drift). */
  driftTerm: Float64Array;
}

/** Precomputed constants of one (parameters, dt) pair. */
export interface MixedStepper {
  readonly p: MixedParams;
  readonly dt: number;
  /** Advances `state` by one step using normal deviates noise[0 .. Nb) for the particles and noise[Nb] for site N. */
  step(state: MixedState, noise: Float64Array): void;
  /** Sets the bath force and drift terms from the current positions (call after changing q or theta by hand). */
  refresh(state: MixedState): void;
  /** Number of normal deviates per step. */
  readonly noisePerStep: number;
}

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
    const c = Math.cos(t);
    const sn = Math.sin(t);
    const F = c0 * Math.exp(rho * (c - 1));
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

export function createStepper(p: MixedParams, dt: number): MixedStepper {
  const { N, Nb, m, k, K, eps, L, zeta, gammaR, TL, TR, A } = p;
  const table = couplingTable(p);
  const T = table.values;
  const M = table.size;
  const uPerRad = M / (2 * Math.PI);
  const compensation = Nb * eps * A;
  const twoPiOverL = (2 * Math.PI) / L;
  // d theta = (eps q1 / zeta) (2 pi / L)^2 G(theta) dt + (2 pi / L) sqrt(2 T_L dt / zeta) xi   (G = -dF/dtheta)
  const halfDriftPre = 0.5 * (eps / zeta) * twoPiOverL * twoPiOverL * dt;
  const diffusion = twoPiOverL * Math.sqrt((2 * TL * dt) / zeta);
  const ouC = gammaR > 0 ? Math.exp((-gammaR * dt) / m) : 1;
  const ouS = gammaR > 0 ? Math.sqrt(((1 - ouC * ouC) * TR) / m) : 0;
  const halfDtOverM = (0.5 * dt) / m;
  const halfDt = 0.5 * dt;
  const TWO_PI = 2 * Math.PI;
  const INV_TWO_PI = 1 / TWO_PI;

  // Particle sub-step (Strang splitting): half drift with the old q_1 at the old angle, exact free diffusion, half
  // drift with the new q_1; then F and G at the new angles (cubic Hermite interpolation in the table, inlined).
  // With noise = null only F and G are (re)computed.
  const particles = (s: MixedState, noise: Float64Array | null, pullOld: number, pullNew: number): void => {
    const th = s.theta;
    const g = s.driftTerm;
    let sumF = 0;
    for (let i = 0; i < Nb; i++) {
      let t = th[i];
      if (noise !== null) {
        t += pullOld * g[i] + diffusion * noise[i];
        t -= TWO_PI * Math.floor(t * INV_TWO_PI);
        let u = t * uPerRad;
        let j = u | 0;
        if (j >= M) j = M - 1;
        u -= j;
        let u2 = u * u;
        let u3 = u2 * u;
        let h01 = 3 * u2 - 2 * u3;
        let b = 4 * j;
        t += pullNew * ((1 - h01) * T[b + 2] + (u3 - 2 * u2 + u) * T[b + 3] + h01 * T[b + 6] + (u3 - u2) * T[b + 7]);
        t -= TWO_PI * Math.floor(t * INV_TWO_PI);
        th[i] = t;
        u = t * uPerRad;
        j = u | 0;
        if (j >= M) j = M - 1;
        u -= j;
        u2 = u * u;
        u3 = u2 * u;
        h01 = 3 * u2 - 2 * u3;
        b = 4 * j;
        const h00 = 1 - h01;
        const h10 = u3 - 2 * u2 + u;
        const h11 = u3 - u2;
        sumF += h00 * T[b] + h10 * T[b + 1] + h01 * T[b + 4] + h11 * T[b + 5];
        g[i] = h00 * T[b + 2] + h10 * T[b + 3] + h01 * T[b + 6] + h11 * T[b + 7];
      } else {
        const [F, G] = table.at(t);
        sumF += F;
        g[i] = G;
      }
    }
    s.bathForce = compensation - eps * sumF;
  };

  const refresh = (s: MixedState): void => particles(s, null, 0, 0);

  const kick = (s: MixedState): void => {
    const q = s.q;
    const v = s.v;
    if (N === 1) {
      v[0] += halfDtOverM * (s.bathForce - K * q[0]);
      return;
    }
    v[0] += halfDtOverM * (s.bathForce - K * q[0] - k * (q[0] - q[1]));
    for (let i = 1; i < N - 1; i++) v[i] += halfDtOverM * k * (q[i - 1] - 2 * q[i] + q[i + 1]);
    v[N - 1] += halfDtOverM * (-K * q[N - 1] - k * (q[N - 1] - q[N - 2]));
  };

  const step = (s: MixedState, noise: Float64Array): void => {
    const q = s.q;
    const v = s.v;
    const q1Old = q[0];
    kick(s); // B
    for (let i = 0; i < N; i++) q[i] += halfDt * v[i]; // A
    if (gammaR > 0) v[N - 1] = ouC * v[N - 1] + ouS * noise[Nb]; // O: Langevin bath on site N
    for (let i = 0; i < N; i++) q[i] += halfDt * v[i]; // A
    // Particles: half drift (old q_1), free diffusion, half drift (new q_1); then the new forces.
    particles(s, noise, halfDriftPre * q1Old, halfDriftPre * q[0]);
    kick(s); // B
  };

  return { p, dt, step, refresh, noisePerStep: Nb + 1 };
}

/** A replica at rest (q = v = 0) with the particles uniform on the ring (their equilibrium at q_1 = 0). */
export function initialState(p: MixedParams, rng: Rng): MixedState {
  const theta = new Float64Array(p.Nb);
  for (let i = 0; i < p.Nb; i++) theta[i] = 2 * Math.PI * rng.uniform();
  return { q: new Float64Array(p.N), v: new Float64Array(p.N), theta, bathForce: 0, driftTerm: new Float64Array(p.Nb) };
}

export function cloneState(s: MixedState): MixedState {
  return { q: s.q.slice(), v: s.v.slice(), theta: s.theta.slice(), bathForce: s.bathForce, driftTerm: s.driftTerm.slice() };
}

// ---------------------------------------------------------------------------------------------------------------
// Estimators

export interface Estimate {
  mean: number;
  /** One standard error. */
  error: number;
}

/** Mean and standard error of independent samples (e.g. batch means, or per-replica values). */
export function meanAndError(samples: ArrayLike<number>): Estimate {
  const n = samples.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += samples[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (samples[i] - mean) ** 2;
  return { mean, error: n > 1 ? Math.sqrt(v / (n - 1) / n) : Infinity };
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
  friction: Estimate;
  /** Fitted oscillation frequency and the stiffness m (Omega^2 + Gamma^2) it implies. */
  frequency: Estimate;
  stiffness: Estimate;
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
export function fitDampedVelocity(t: ArrayLike<number>, y: ArrayLike<number>, G0: number, W0: number): { G: number; W: number } {
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
 * Simulates antithetic pairs of single probes (N = 1, no Langevin bath) started at q = 0 with velocity +v0 and -v0
 * (the particles uniform on the ring), sharing every random number, and fits the decay of the mean velocity
 * difference with the damped-oscillator form: its envelope e^(-gamma t / 2m) gives the effective friction.
 * The shared noise cancels the thermal fluctuations to first order, so few pairs give a sharp mean velocity; the
 * error bar is a jackknife over groups of pairs.
 */
export function simulateProbeDecay(pIn: MixedParams, options: ProbeDecayOptions): ProbeDecay {
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
  const samples = Math.floor(steps / every) + 1;
  const v0 = options.v0 ?? Math.sqrt(p.TL / p.m);
  const groups = Math.min(options.groups ?? 16, options.pairs);
  const stepper = createStepper(p, dt);
  const noise = new Float64Array(stepper.noisePerStep);
  const groupSums = Array.from({ length: groups }, () => new Float64Array(samples));
  const groupCounts = new Float64Array(groups);
  for (let r = 0; r < options.pairs; r++) {
    const rng = Rng.stream(options.seed, r);
    const plus = initialState(p, rng);
    plus.v[0] = v0;
    stepper.refresh(plus);
    const minus = cloneState(plus);
    minus.v[0] = -v0;
    const acc = groupSums[r % groups];
    groupCounts[r % groups]++;
    acc[0] += 1;
    let k = 1;
    for (let s = 1; s <= steps; s++) {
      rng.fillNormal(noise, 0, noise.length);
      stepper.step(plus, noise);
      stepper.step(minus, noise);
      if (s % every === 0) acc[k++] += (plus.v[0] - minus.v[0]) / (2 * v0);
    }
  }
  const times = Float64Array.from({ length: samples }, (_, i) => i * every * dt);
  const total = new Float64Array(samples);
  for (let g = 0; g < groups; g++) for (let i = 0; i < samples; i++) total[i] += groupSums[g][i];
  const meanVelocity = total.map((x) => x / options.pairs);
  const full = fitDampedVelocity(times, meanVelocity, expected.decayRate, expected.frequency);
  // Jackknife over groups.
  const Gs: number[] = [];
  const Ws: number[] = [];
  for (let g = 0; g < groups; g++) {
    const n = options.pairs - groupCounts[g];
    const y = total.map((x, i) => (x - groupSums[g][i]) / n);
    const f = fitDampedVelocity(times, y, full.G, full.W);
    Gs.push(f.G);
    Ws.push(f.W);
  }
  const jack = (xs: number[], whole: number): Estimate => {
    const n = xs.length;
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
    return { mean: whole, error: Math.sqrt(((n - 1) / n) * v) };
  };
  const G = jack(Gs, full.G);
  const W = jack(Ws, full.W);
  const ks = Gs.map((g, i) => p.m * (Ws[i] ** 2 + g * g));
  return {
    times,
    meanVelocity,
    friction: { mean: 2 * p.m * G.mean, error: 2 * p.m * G.error },
    frequency: W,
    stiffness: jack(ks, p.m * (full.W ** 2 + full.G ** 2)),
    gammaL: bath.gammaL,
    kEff: bath.kEff,
    memoryFriction: expected.friction,
    dt,
    steps,
  };
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
  current: Estimate;
  /** Mean of the spring fluxes k <(q_j - q_(j+1)) (v_j + v_(j+1))> / 2 over all bonds (same mean, other noise). */
  springCurrent: Estimate;
  /** Kinetic temperature of site 1, m <v_1^2>. */
  leftKineticTemperature: Estimate;
  dt: number;
  steps: number;
}

/** Simulates the full system and measures the steady heat current with batch-means error bars. */
export function simulateChainCurrent(p: MixedParams, options: ChainCurrentOptions): ChainCurrentEstimate {
  if (!(p.gammaR > 0) || p.N < 2) throw new ModelError("simulateChainCurrent needs a chain (N >= 2) with a Langevin bath (gammaR > 0)");
  const dt = options.dt ?? defaultTimeStep(p);
  checkRange("--replicas", options.replicas, SIMULATION_SETTING_RANGES.replicas);
  checkRange("--duration", options.duration, SIMULATION_SETTING_RANGES.time);
  checkRange("the burn-in", options.burnIn, SIMULATION_SETTING_RANGES.burnIn);
  checkRange("the time step", dt, SIMULATION_SETTING_RANGES.dt);
  checkSimulationWork(
    { time: options.duration + options.burnIn, dt, replicas: options.replicas, particles: p.N + p.Nb, force: options.force },
    undefined,
    "reduce --duration or --replicas (the time step follows the bath time zeta L^2/(4 pi^2 T_L) and the chain's fastest mode)",
  );
  const batches = options.batches ?? 10;
  const burn = Math.round(options.burnIn / dt);
  const perBatch = Math.max(1, Math.round(options.duration / dt / batches));
  const stepper = createStepper(p, dt);
  const noise = new Float64Array(stepper.noisePerStep);
  const { N, m, k, gammaR, TR } = p;
  const right: number[] = [];
  const springs: number[] = [];
  const left: number[] = [];
  for (let r = 0; r < options.replicas; r++) {
    const rng = Rng.stream(options.seed, r);
    const s = initialState(p, rng);
    stepper.refresh(s);
    for (let i = 0; i < burn; i++) {
      rng.fillNormal(noise, 0, noise.length);
      stepper.step(s, noise);
    }
    for (let b = 0; b < batches; b++) {
      let vN2 = 0;
      let v12 = 0;
      let flux = 0;
      for (let i = 0; i < perBatch; i++) {
        rng.fillNormal(noise, 0, noise.length);
        stepper.step(s, noise);
        const v = s.v;
        const q = s.q;
        vN2 += v[N - 1] * v[N - 1];
        v12 += v[0] * v[0];
        let f = 0;
        for (let j = 0; j + 1 < N; j++) f += (q[j] - q[j + 1]) * (v[j] + v[j + 1]);
        flux += f;
      }
      right.push((gammaR / m) * ((m * vN2) / perBatch - TR));
      left.push((m * v12) / perBatch);
      springs.push((0.5 * k * flux) / perBatch / (N - 1));
    }
  }
  return {
    current: meanAndError(right),
    springCurrent: meanAndError(springs),
    leftKineticTemperature: meanAndError(left),
    dt,
    steps: options.replicas * (burn + batches * perBatch),
  };
}
