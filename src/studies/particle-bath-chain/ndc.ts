/**
 * Negative differential thermal conductivity (Section 4 of [Krekels et al. 2026], Figures 3 and 4): the effective-theory current as a
 * function of the particle-bath temperature T_L at fixed T_R, its maximum, the J ~ 1/T_L decay (gamma_L ~ T_L^-2 while
 * k_eff -> K), and the linear dependence on T_R at fixed T_L (gamma_L and k_eff depend on T_L only).
 */
import { exactCurrent, frequencyIntegralCurrent, longChainCurrent } from "./chain.js";
import { exp, log } from "../../special/elementary.js";
import { effectiveBath, frictionSeries } from "./effectiveBath.js";
import type { ParticleBathChainParams } from "./params.js";

/** How the effective chain's current is computed. */
export type CurrentMethod = "exact" | "frequency" | "longChain" | "memory";

/**
 * Current of the effective chain: exact engine (finite N), frequency integral (finite N), the long-chain closed form,
 * or the frequency integral with the bath's memory kernel (finite zeta). Throws SteadyStateError when k_eff <= 0.
 */
export function effectiveCurrent(p: ParticleBathChainParams, method: CurrentMethod = "exact"): number {
  const bath = effectiveBath(p);
  switch (method) {
    case "exact":
      return exactCurrent(p, bath).current;
    case "frequency":
      return frequencyIntegralCurrent(p, { bath }).current;
    case "memory":
      return frequencyIntegralCurrent(p, { bath, memory: true }).current;
    case "longChain":
      return longChainCurrent(p, bath);
  }
}

export interface SweepPoint {
  TL: number;
  TR: number;
  gammaL: number;
  kEff: number;
  /** Absent when the effective chain is unstable (stable = false): JSON carries no NaN or null for it. */
  current?: number;
  stable: boolean;
}

/** The current over a list of (T_L, T_R) pairs; unstable points (k_eff <= 0) are marked, not thrown. */
export function sweepTemperatures(
  p: ParticleBathChainParams,
  points: readonly { TL: number; TR: number }[],
  method: CurrentMethod = "longChain",
): SweepPoint[] {
  return points.map(({ TL, TR }) => {
    const q = { ...p, TL, TR };
    const bath = effectiveBath(q);
    if (!bath.stable) return { TL, TR, gammaL: bath.gammaL, kEff: bath.kEff, stable: false };
    return { TL, TR, gammaL: bath.gammaL, kEff: bath.kEff, current: effectiveCurrent(q, method), stable: true };
  });
}

/** n log-spaced values from a to b (inclusive; the portable exp/log: the same values in every engine). */
export function logSpace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const la = log(a),
    lb = log(b);
  return Array.from({ length: n }, (_, i) => (i === 0 ? a : i === n - 1 ? b : exp(la + ((lb - la) * i) / (n - 1))));
}

export interface CurrentMaximum {
  /** T_L at which the current is largest (at fixed T_R). */
  TL: number;
  current: number;
  gammaL: number;
  kEff: number;
  /** True when the largest current is at the lowest stable T_L (no interior maximum). */
  atStabilityEdge: boolean;
}

/**
 * Maximum over T_L > max(T_R, T_c) of the current at fixed T_R (T_c: where k_eff = 0): a log-spaced scan, then a
 * golden-section search in log T_L between the neighbours of the best scan point.
 */
export function currentMaximum(
  p: ParticleBathChainParams,
  method: CurrentMethod = "longChain",
  upper?: number,
): CurrentMaximum {
  const Tc = effectiveBath({ ...p, TL: 1 }).criticalTemperature;
  const lo = Math.max(p.TR, Tc) * (1 + 1e-9) + (p.TR === 0 && Tc === 0 ? 1e-6 : 0);
  const hi = upper ?? Math.max(lo * 1e4, 1e3);
  const J = (TL: number) => effectiveCurrent({ ...p, TL }, method);
  const grid = logSpace(lo, hi, 121);
  const values = grid.map(J);
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (values[i] > values[best]) best = i;
  let TL: number;
  if (best === 0) {
    TL = lo;
  } else {
    let a = Math.log(grid[best - 1]);
    let b = Math.log(grid[Math.min(best + 1, grid.length - 1)]);
    const g = (Math.sqrt(5) - 1) / 2;
    let c = b - g * (b - a);
    let d = a + g * (b - a);
    let fc = J(Math.exp(c));
    let fd = J(Math.exp(d));
    for (let it = 0; it < 80 && b - a > 1e-10; it++) {
      if (fc > fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = J(Math.exp(c));
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = J(Math.exp(d));
      }
    }
    TL = Math.exp(0.5 * (a + b));
  }
  const bath = effectiveBath({ ...p, TL });
  return { TL, current: J(TL), gammaL: bath.gammaL, kEff: bath.kEff, atStabilityEdge: best === 0 };
}

/**
 * lim_{T_L -> infinity} T_L J for the long chain: gamma_L T_L^2 -> g (a constant) and k_eff -> K, so
 * J -> 2 k^2 g / (m (K^2 - 2 k K + 2 k^2 + K |K - 2 k|)) / T_L (the closed form at small gamma_L).
 */
export function highTemperatureCoefficient(p: Omit<ParticleBathChainParams, "N" | "TL" | "TR">): number {
  const g = ((p.Nb * p.eps * p.eps * p.zeta * p.L * p.L) / (2 * Math.PI * Math.PI)) * p.A * p.A * frictionSeries(p.rho);
  const { k, K, m } = p;
  return (2 * k * k * g) / (m * (K * K - 2 * k * K + 2 * k * k + K * Math.abs(K - 2 * k)));
}
