/**
 * The particle bath seen by the chain (Section 3 of [Krekels et al. 2026] and Appendix A), to second order in the coupling eps.
 *
 * N_b overdamped particles on a ring of length L at temperature T_L, each pushing site 1 with the von Mises coupling
 *   F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L)) = (A / I0(rho)) (I0(rho) + 2 sum_n I_n(rho) cos(2 pi n x / L)),
 * whose mean over the ring is A (the constant part of the force is cancelled by the compensating force N_b eps A).
 * Free diffusion on the ring (D = T_L / zeta) makes the force correlation a sum of exponentials:
 *   <F(x_t); F(x_0)> = sum_n c_n exp(-lambda_n t),  c_n = 2 (A I_n(rho) / I0(rho))^2,  lambda_n = (2 pi n / L)^2 T_L / zeta.
 * Linear response then gives, for the probe coordinate q, the force -(K - chi(omega)) q with
 *   chi(omega) = (N_b eps^2 / T_L) sum_n c_n lambda_n / (lambda_n - i omega)          (the memory kernel),
 * whose time-scale-separated (Markov) limit is a stiffness and a friction:
 *   k_eff = K - N_b eps^2 A^2 (I0(2 rho) / I0(rho)^2 - 1) / T_L
 *   gamma_L = N_b eps^2 zeta L^2 / (2 pi^2 T_L^2) (A / I0(rho))^2 sum_{n>=1} I_n(rho)^2 / n^2.
 * The sign of the k_eff correction is MINUS (the bath softens the pinning): the paper's text shows a plus,
 * corrected in docs/corrections.md. The variance of F is computed as 2 sum_n (A I_n / I0)^2 (Neumann's addition
 * theorem, equal to A^2 (I0(2 rho) / I0(rho)^2 - 1)) so that it has no cancellation at small rho.
 */
import { besselIScaledSequence } from "../../special/bessel.js";
import type { ParticleBathChainParams } from "./params.js";

/** The parameters the effective bath depends on. */
export type BathParams = Pick<ParticleBathChainParams, "K" | "Nb" | "eps" | "A" | "rho" | "L" | "zeta" | "TL">;

/** One relaxation mode of the bath force: weight c_n (of <F;F>) and rate lambda_n. */
export interface BathMode {
  n: number;
  weight: number;
  rate: number;
}

export interface EffectiveBath {
  /** Markov friction gamma_L(T_L) on site 1. */
  gammaL: number;
  /** Effective pinning of site 1: K minus the softening. */
  kEff: number;
  /** N_b eps^2 Var(F) / T_L (>= 0), so that kEff = K - softening. */
  softening: number;
  /** Var(F) over the uniform ring, A^2 (I0(2 rho)/I0(rho)^2 - 1). */
  varianceF: number;
  /** Temperature below which kEff <= 0 (the effective chain is unstable). */
  criticalTemperature: number;
  /** Relaxation time of the slowest bath mode, 1 / lambda_1 = zeta L^2 / (4 pi^2 T_L). */
  bathTime: number;
  /** Modes n = 1, 2, ... of the force correlation (enough for double precision). */
  modes: BathMode[];
  /** True when kEff > 0. */
  stable: boolean;
}

/** The von Mises Fourier weights (I_n(rho) / I0(rho))^2 for n = 1.. until negligible. */
export function vonMisesWeights(rho: number): Float64Array {
  const nMax = Math.ceil(rho + 12 * Math.sqrt(rho + 1) + 12);
  const s = besselIScaledSequence(nMax, rho);
  let last = nMax;
  const w = new Float64Array(nMax);
  for (let n = 1; n <= nMax; n++) {
    const r = s[n] / s[0];
    w[n - 1] = r * r;
    if (n > rho && w[n - 1] < 1e-34) {
      last = n;
      break;
    }
  }
  return w.slice(0, last);
}

/** Var(F) / A^2 = I0(2 rho)/I0(rho)^2 - 1, computed without cancellation. */
export function couplingVarianceRatio(rho: number): number {
  const w = vonMisesWeights(rho);
  let s = 0;
  for (let j = w.length - 1; j >= 0; j--) s += w[j];
  return 2 * s;
}

/** sum_{n>=1} (I_n(rho) / I0(rho))^2 / n^2. */
export function frictionSeries(rho: number): number {
  const w = vonMisesWeights(rho);
  let s = 0;
  for (let j = w.length - 1; j >= 0; j--) s += w[j] / ((j + 1) * (j + 1));
  return s;
}

/** The effective bath at temperature p.TL (no validation: call with validated parameters). */
export function effectiveBath(p: BathParams): EffectiveBath {
  const w = vonMisesWeights(p.rho);
  const A2 = p.A * p.A;
  const varianceF = A2 * couplingVarianceRatio(p.rho);
  const coupling = p.Nb * p.eps * p.eps;
  const softening = (coupling * varianceF) / p.TL;
  const kEff = p.K - softening;
  const gammaL = ((coupling * p.zeta * p.L * p.L) / (2 * Math.PI * Math.PI * p.TL * p.TL)) * A2 * frictionSeries(p.rho);
  const rate1 = ((4 * Math.PI * Math.PI) / (p.L * p.L)) * (p.TL / p.zeta);
  const modes: BathMode[] = [];
  for (let j = 0; j < w.length; j++) {
    const n = j + 1;
    modes.push({ n, weight: 2 * A2 * w[j], rate: n * n * rate1 });
  }
  return {
    gammaL,
    kEff,
    softening,
    varianceF,
    criticalTemperature: (coupling * varianceF) / p.K,
    bathTime: 1 / rate1,
    modes,
    stable: kEff > 0,
  };
}

/** The coupling F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L)). */
export function coupling(p: Pick<ParticleBathChainParams, "A" | "rho" | "L">, x: number): number {
  const s0 = besselIScaledSequence(0, p.rho)[0]; // e^-rho I0(rho)
  return (p.A / s0) * Math.exp(p.rho * (Math.cos((2 * Math.PI * x) / p.L) - 1));
}

/**
 * The bath susceptibility chi(omega) (complex, as [re, im]) of the linear-response memory kernel: site 1 feels
 * -(K - chi(omega)) q(omega). Its Markov limit is chi ~ softening + i omega gamma_L.
 */
export function bathSusceptibility(
  bath: EffectiveBath,
  p: Pick<BathParams, "Nb" | "eps" | "TL">,
  omega: number,
): [number, number] {
  const pre = (p.Nb * p.eps * p.eps) / p.TL;
  let re = 0;
  let im = 0;
  for (let j = bath.modes.length - 1; j >= 0; j--) {
    const { weight, rate } = bath.modes[j];
    const d = rate * rate + omega * omega;
    // lambda / (lambda - i w) = lambda (lambda + i w) / (lambda^2 + w^2)
    re += (weight * rate * rate) / d;
    im += (weight * rate * omega) / d;
  }
  return [pre * re, pre * im];
}

/** Frequency-dependent friction Im chi(omega) / omega (tends to gamma_L as omega -> 0). */
export function memoryFriction(bath: EffectiveBath, p: Pick<BathParams, "Nb" | "eps" | "TL">, omega: number): number {
  if (omega === 0) return bath.gammaL;
  return bathSusceptibility(bath, p, omega)[1] / omega;
}

export interface ProbeRelaxation {
  /** Oscillation frequency Re(omega*) of the probe's mean motion. */
  frequency: number;
  /** Decay rate -Im(omega*) of the mean velocity's envelope. */
  decayRate: number;
  /** 2 m decayRate: the friction a decay-envelope fit measures (gamma_L in the Markov limit). */
  friction: number;
}

/**
 * Relaxation of a single probe (m q'' = -K q + bath) with the bath's full memory kernel: the root omega* (lower half
 * plane) of -m omega^2 + K - chi(omega) = 0 next to the Markov value sqrt(k_eff/m - (gamma_L/2m)^2) - i gamma_L/2m.
 * Measures how far a finite zeta (no time-scale separation) moves the decay envelope from the Markov formula.
 */
export function probeRelaxation(
  p: BathParams & { m: number },
  bath: EffectiveBath = effectiveBath(p),
): ProbeRelaxation {
  const pre = (p.Nb * p.eps * p.eps) / p.TL;
  // D_s(w) = -m w^2 + K - s pre sum c_n lambda_n / (lambda_n - i w), complex w = (a, b); s = 1 is the probe.
  const D = (a: number, b: number, sc: number): [number, number] => {
    let re = -p.m * (a * a - b * b) + p.K;
    let im = -p.m * 2 * a * b;
    for (const { weight, rate } of bath.modes) {
      // lambda / ((lambda + b) - i a) = lambda ((lambda + b) + i a) / ((lambda + b)^2 + a^2)
      const x = rate + b;
      const d = x * x + a * a;
      re -= (sc * pre * weight * rate * x) / d;
      im -= (sc * pre * weight * rate * a) / d;
    }
    return [re, im];
  };
  // Follow the probe's root from the bare oscillator (s = 0, w = sqrt(K/m)) to the coupled one (s = 1) by
  // continuation, so that Newton's method cannot jump to a root that belongs to the bath's relaxation modes.
  let a = Math.sqrt(p.K / p.m);
  let b = 0;
  const steps = 64;
  for (let k = 1; k <= steps; k++) {
    const sc = k / steps;
    for (let it = 0; it < 60; it++) {
      const [fr, fi] = D(a, b, sc);
      const h = 1e-7 * Math.max(Math.hypot(a, b), 1e-8);
      const [gr, gi] = D(a + h, b, sc); // analytic: dD/dw along the real direction
      const dr = (gr - fr) / h;
      const di = (gi - fi) / h;
      const den = dr * dr + di * di;
      const sa = (fr * dr + fi * di) / den;
      const sb = (fi * dr - fr * di) / den;
      a -= sa;
      b -= sb;
      if (Math.hypot(sa, sb) < 1e-14 * Math.hypot(a, b)) break;
    }
  }
  return { frequency: a, decayRate: -b, friction: -2 * p.m * b };
}
