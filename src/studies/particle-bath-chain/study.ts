/**
 * The study's results for one parameter set (what `ness study particle-bath-chain` prints) and the data behind the
 * figures of `ness reproduce particle-bath-chain` (Figures 2-4 of Krekels et al., plus the three-way current comparison).
 * Pure computation: no files, no Node APIs.
 */
import { besselIScaledSequence } from "../../special/bessel.js";
import { exactCurrent, frequencyIntegralCurrent, instabilityMessage, longChainCurrent } from "./chain.js";
import { effectiveBath, probeRelaxation, type EffectiveBath } from "./effectiveBath.js";
import { currentMaximum, effectiveCurrent, highTemperatureCoefficient, logSpace, type CurrentMaximum } from "./ndc.js";
import type { ParticleBathChainParams } from "./params.js";
import type { Measured } from "../../stochastic/statistics.js";
import { runChainCurrent, runProbeDecay } from "./simulation.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import { runAll, type RunContext } from "../parallel.js";

export interface StudyPoint {
  parameters: ParticleBathChainParams;
  gammaL: number;
  kEff: number;
  softening: number;
  criticalTemperature: number;
  /** Slowest bath relaxation time zeta L^2 / (4 pi^2 T_L), against the chain's fastest time 1/omega_c. */
  bathTime: number;
  /** omega_c * bathTime with omega_c = 2 sqrt(k/m): time scales separate when this is << 1. */
  separation: number;
  /** False: the effective chain is unstable (k_eff <= 0); the currents below are then absent and `message` says why. */
  stable: boolean;
  /** Exact engine on the effective chain (absent when unstable). */
  current?: number;
  currentFrequencyIntegral?: number;
  currentLongChain?: number;
  /** Frequency integral with the bath's memory kernel (finite zeta). */
  currentMemory?: number;
  /** The paper's printed closed form (twice the corrected one). */
  currentLongChainAsPrinted?: number;
  residual?: number;
  /** Maximum of the long-chain current over T_L at this T_R (NDC; absent when unstable). */
  maximum?: CurrentMaximum;
  /** lim T_L J for the long chain (J ~ this / T_L at high T_L). */
  highTemperatureCoefficient: number;
  message?: string;
}

/** Everything about one parameter set; an unstable effective chain (k_eff <= 0) gives no currents and a message. */
export function studyPoint(p: ParticleBathChainParams): StudyPoint {
  const bath = effectiveBath(p);
  const separation = 2 * Math.sqrt(p.k / p.m) * bath.bathTime;
  const base = {
    parameters: p,
    gammaL: bath.gammaL,
    kEff: bath.kEff,
    softening: bath.softening,
    criticalTemperature: bath.criticalTemperature,
    bathTime: bath.bathTime,
    separation,
    stable: bath.stable,
    highTemperatureCoefficient: highTemperatureCoefficient(p),
  };
  if (!bath.stable) {
    return { ...base, message: instabilityMessage(bath, p) };
  }
  const exact = exactCurrent(p, bath);
  const long = longChainCurrent(p, bath);
  return {
    ...base,
    current: exact.current,
    currentFrequencyIntegral: frequencyIntegralCurrent(p, { bath }).current,
    currentLongChain: long,
    currentMemory: frequencyIntegralCurrent(p, { bath, memory: true }).current,
    currentLongChainAsPrinted: 2 * long,
    residual: exact.residual,
    maximum: currentMaximum(p, "longChain"),
  };
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 2a: the mean force of the bath on a probe held at q

/**
 * The exact mean force of the bath on a probe held at q, N_b eps (A - <F>_q) with <F>_q the average over the Boltzmann
 * density exp(-eps q F(x) / T_L) on the ring (trapezoid rule on the periodic integrand: exponentially accurate).
 */
export function meanForce(
  p: Pick<ParticleBathChainParams, "Nb" | "eps" | "A" | "rho" | "TL">,
  q: number,
  nodes = 4096,
): number {
  const c0 = p.A / besselIScaledSequence(0, p.rho)[0];
  const a = (p.eps * q) / p.TL;
  let maxE = -Infinity;
  const F = new Float64Array(nodes);
  for (let j = 0; j < nodes; j++) {
    F[j] = c0 * Math.exp(p.rho * (Math.cos((2 * Math.PI * j) / nodes) - 1));
    maxE = Math.max(maxE, -a * F[j]);
  }
  let z = 0;
  let zf = 0;
  for (let j = 0; j < nodes; j++) {
    const w = Math.exp(-a * F[j] - maxE);
    z += w;
    zf += w * F[j];
  }
  return p.Nb * p.eps * (p.A - zf / z);
}

export interface MeanForceCurve {
  TL: number;
  q: number[];
  force: number[];
  /** The O(eps^2) linearisation softening * q (its slope is K - k_eff). */
  linear: number[];
}

export function meanForceCurves(
  p: ParticleBathChainParams,
  TLs: readonly number[],
  qMax: number,
  points = 121,
): MeanForceCurve[] {
  return TLs.map((TL) => {
    const s = effectiveBath({ ...p, TL }).softening;
    const q = Array.from({ length: points }, (_, i) => -qMax + (2 * qMax * i) / (points - 1));
    return { TL, q, force: q.map((x) => meanForce({ ...p, TL }, x)), linear: q.map((x) => s * x) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 2b: effective friction of a single probe, simulated and predicted

export interface FrictionPoint {
  zeta: number;
  TL: number;
  /** Markov formula gamma_L. */
  gammaL: number;
  kEff: number;
  /** Memory-kernel prediction of the fitted friction and stiffness. */
  memoryFriction: number;
  memoryStiffness: number;
  simulated?: { friction: Measured; stiffness: Measured; pairs: number; v0: number; dt: number };
}

export interface FrictionScanOptions {
  zetas: readonly number[];
  /** Simulated temperatures per zeta (index-aligned with zetas). */
  TLs: readonly (readonly number[])[];
  pairs: number;
  /** Initial velocity kick (Krekels et al. 2026: 50). */
  v0: number;
  seed: number;
  log?: (line: string) => void;
}

export function frictionTheory(p: ParticleBathChainParams, zeta: number, TL: number): FrictionPoint {
  const q = { ...p, zeta, TL };
  const bath = effectiveBath(q);
  const r = probeRelaxation(q, bath);
  return {
    zeta,
    TL,
    gammaL: bath.gammaL,
    kEff: bath.kEff,
    memoryFriction: r.friction,
    memoryStiffness: p.m * (r.frequency * r.frequency + r.decayRate * r.decayRate),
  };
}

/** Simulated friction and stiffness of one probe at every (zeta, T_L), all points on `ctx.runner`'s workers at once. */
export async function frictionScan(
  p: ParticleBathChainParams,
  o: FrictionScanOptions,
  ctx: RunContext = {},
): Promise<FrictionPoint[]> {
  const grid = o.zetas.flatMap((zeta, zi) => o.TLs[zi].map((TL) => ({ zeta, zi, TL })));
  const t0 = performance.now();
  return runAll(
    ctx,
    grid.map(({ zeta, zi, TL }) => async (run: RunOptions) => {
      const point = frictionTheory(p, zeta, TL);
      const sim = await runProbeDecay({ ...p, zeta, TL }, { pairs: o.pairs, v0: o.v0, seed: o.seed + 1000 * zi }, run);
      point.simulated = { friction: sim.friction, stiffness: sim.stiffness, pairs: o.pairs, v0: o.v0, dt: sim.dt };
      o.log?.(
        `  probe zeta = ${zeta}, T_L = ${TL}: friction ${fmt(sim.friction.value)} ± ${fmt(sim.friction.error)} ` +
          `(formula ${fmt(point.gammaL)}, with memory ${fmt(point.memoryFriction)}) at ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      return point;
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The current three ways, and the convergence of finite chains

export interface MethodRow {
  N: number;
  exact: number;
  frequency: number;
  longChain: number;
  /** |J_N / J_infinity - 1| (from the frequency integral). */
  deviation: number;
}

export function methodComparison(p: ParticleBathChainParams, Ns: readonly number[]): MethodRow[] {
  const bath = effectiveBath(p);
  const long = longChainCurrent(p, bath);
  return Ns.map((N) => {
    const q = { ...p, N };
    const frequency = frequencyIntegralCurrent(q, { bath }).current;
    return {
      N,
      exact: exactCurrent(q, bath).current,
      frequency,
      longChain: long,
      deviation: Math.abs(frequency / long - 1),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 3: the full simulation against the effective theory

export interface CurrentSimulationPoint {
  zeta: number;
  TL: number;
  simulated: Measured;
  /** Effective theory (exact engine, Markov bath) and with the bath's memory kernel. */
  theory: number;
  memory: number;
  separation: number;
  dt: number;
}

export interface CurrentScanOptions {
  zetas: readonly number[];
  TLs: readonly (readonly number[])[];
  replicas: number;
  duration: number;
  burnIn: number;
  seed: number;
  log?: (line: string) => void;
}

/** The simulated current at every (zeta, T_L) against the theory, all points on `ctx.runner`'s workers at once. */
export async function currentSimulationScan(
  p: ParticleBathChainParams,
  o: CurrentScanOptions,
  ctx: RunContext = {},
): Promise<CurrentSimulationPoint[]> {
  const grid = o.zetas.flatMap((zeta, zi) => o.TLs[zi].map((TL, ti) => ({ zeta, zi, TL, ti })));
  const t0 = performance.now();
  return runAll(
    ctx,
    grid.map(({ zeta, zi, TL, ti }) => async (run: RunOptions) => {
      const q = { ...p, zeta, TL };
      const bath: EffectiveBath = effectiveBath(q);
      const sim = await runChainCurrent(
        q,
        { replicas: o.replicas, duration: o.duration, burnIn: o.burnIn, seed: o.seed + 1000 * zi + ti },
        run,
      );
      const point: CurrentSimulationPoint = {
        zeta,
        TL,
        simulated: sim.current,
        theory: exactCurrent(q, bath).current,
        memory: frequencyIntegralCurrent(q, { bath, memory: true }).current,
        separation: 2 * Math.sqrt(p.k / p.m) * bath.bathTime,
        dt: sim.dt,
      };
      o.log?.(
        `  chain zeta = ${zeta}, T_L = ${TL}: J = ${fmt(sim.current.value)} ± ${fmt(sim.current.error)} ` +
          `(theory ${fmt(point.theory)}, with memory ${fmt(point.memory)}) at ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      return point;
    }),
  );
}

/** Theory curves J(T_L) on a log grid above the stability edge, for each zeta (Markov and memory). */
export function currentTheoryCurves(p: ParticleBathChainParams, zetas: readonly number[], TLmax: number, points = 60) {
  const Tc = effectiveBath({ ...p, TL: 1 }).criticalTemperature;
  const lo = Math.max(Tc, p.TR) * 1.02 + 1e-9;
  const TLs = logSpace(lo, TLmax, points);
  return zetas.map((zeta) => ({
    zeta,
    TL: TLs,
    theory: TLs.map((TL) => effectiveCurrent({ ...p, zeta, TL }, "exact")),
    memory: TLs.map((TL) => effectiveCurrent({ ...p, zeta, TL }, "memory")),
    highTemperatureCoefficient: highTemperatureCoefficient({ ...p, zeta }),
  }));
}

/** One simulated point of Fig. 4: the full system at (k, T_L, T_R) beside the effective theories of the same chain. */
export interface NdcSimulationPoint {
  k: number;
  TL: number;
  TR: number;
  /** The mean spring flux of the full simulation (batch means; the same mean as the bath flux, less noise). */
  simulated: Measured;
  /** Effective chain with the bath's memory kernel (frequency integral), and with a Markov bath (exact engine). */
  memory: number;
  markov: number;
  dt: number;
}

export interface NdcSimulationOptions {
  /** (k, T_L, T_R) of each point. */
  points: readonly { k: number; TL: number; TR: number }[];
  replicas: number;
  duration: number;
  burnIn: number;
  seed: number;
  log?: (line: string) => void;
}

/**
 * The full system simulated at the points of Fig. 4 (J against T_L for several k at fixed T_R, and against the
 * temperature difference varying T_L or T_R), each with its own seed (seed + index), beside the effective theories.
 */
export async function ndcSimulationScan(
  p: ParticleBathChainParams,
  o: NdcSimulationOptions,
  ctx: RunContext = {},
): Promise<NdcSimulationPoint[]> {
  const t0 = performance.now();
  return runAll(
    ctx,
    o.points.map(({ k, TL, TR }, i) => async (run: RunOptions) => {
      const q = { ...p, k, TL, TR };
      const sim = await runChainCurrent(
        q,
        { replicas: o.replicas, duration: o.duration, burnIn: o.burnIn, seed: o.seed + i },
        run,
      );
      const point: NdcSimulationPoint = {
        k,
        TL,
        TR,
        simulated: sim.springCurrent,
        memory: effectiveCurrent(q, "memory"),
        markov: effectiveCurrent(q, "exact"),
        dt: sim.dt,
      };
      o.log?.(
        `  chain k = ${k}, T_L = ${TL}, T_R = ${TR}: J = ${fmt(sim.springCurrent.value)} ± ${fmt(sim.springCurrent.error)} ` +
          `(with memory ${fmt(point.memory)}, Markov ${fmt(point.markov)}) at ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      return point;
    }),
  );
}

/** Fig. 4's simulated points with the theory lines of the same (finite, zeta) chain. */
export interface NdcSimulation {
  zeta: number;
  N: number;
  /** T_R of the J(T_L) points. */
  TR: number;
  /** T_L at which T_R is lowered. */
  fixedTL: number;
  /** The k of the temperature-difference points. */
  kMid: number;
  points: NdcSimulationPoint[];
  lines: { k: number; TL: number[]; memory: number[]; markov: number[] }[];
  /** Memory theory against the temperature difference: T_L = TR + delta, or T_R = fixedTL - delta. */
  delta: { delta: number[]; varyTL: number[]; varyTR: number[] };
}
