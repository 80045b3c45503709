/**
 * Parameters of the particle-bath chain (seed 003): a harmonic chain of N sites whose first site is coupled to N_b
 * overdamped particles on a ring (the "particle bath" at T_L) and whose last site is in a Langevin bath at T_R.
 * Plain data validated at the boundary into a frozen parameter set, with ModelErrors naming the parameter.
 */
import { ModelError } from "../../errors.js";
import { checkRange, type ParameterRange } from "../ranges.js";

export interface ParticleBathChainParams {
  /** Mass of every chain site. */
  m: number;
  /** Pinning stiffness of the end sites (the particle bath adds -(softening) at site 1). */
  K: number;
  /** Nearest-neighbour spring stiffness. */
  k: number;
  /** Number of chain sites (>= 2). */
  N: number;
  /** Number of bath particles on the ring. */
  Nb: number;
  /** Coupling strength eps of eps q_1 sum_i F(x_i). */
  eps: number;
  /** Mean of the coupling F over the ring. */
  A: number;
  /** Localisation rho of the von Mises coupling F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L)). */
  rho: number;
  /** Ring length. */
  L: number;
  /** Friction zeta of the bath particles (zeta x' = -eps q_1 F'(x) + sqrt(2 zeta T_L) xi). */
  zeta: number;
  /** Friction of the Langevin bath on site N. */
  gammaR: number;
  /** Temperature of the particle bath. */
  TL: number;
  /** Temperature of the Langevin bath (>= 0). */
  TR: number;
}

/** Figure 2 parameters of the paper (m = K = 1, N_b = 40, eps = 0.1, A = 1, rho = 2, L = 25); zeta, N, k, gamma_R
 * and the temperatures are not given there: these are our choices (stated in the documentation). zeta = 0.01 makes
 * the slowest bath time zeta L^2 / (4 pi^2 T_L) short against the chain's 1/omega_c at T_L = 2 (time scales separate). */
export const DEFAULT_PARAMS: Readonly<ParticleBathChainParams> = Object.freeze({
  m: 1,
  K: 1,
  k: 1,
  N: 16,
  Nb: 40,
  eps: 0.1,
  A: 1,
  rho: 2,
  L: 25,
  zeta: 0.01,
  gammaR: 1,
  TL: 2,
  TR: 1,
});

export const PARAM_DESCRIPTIONS: Readonly<Record<keyof ParticleBathChainParams, string>> = Object.freeze({
  m: "mass of every chain site",
  K: "pinning stiffness K of the end sites",
  k: "spring stiffness k between neighbours",
  N: "number of chain sites (>= 2)",
  Nb: "number of bath particles on the ring",
  eps: "coupling strength eps",
  A: "mean A of the coupling F over the ring",
  rho: "localisation rho of the von Mises coupling",
  L: "ring length L",
  zeta: "friction zeta of the bath particles",
  gammaR: "friction gamma_R of the Langevin bath on site N",
  TL: "temperature T_L of the particle bath",
  TR: "temperature T_R of the Langevin bath (>= 0)",
});

export const PARAM_NAMES = Object.keys(DEFAULT_PARAMS) as (keyof ParticleBathChainParams)[];

/**
 * The domain of the parameters. Positive quantities over 12 decades (the temperature T_R may be 0); |A| likewise
 * (A may be negative, not 0); the localisation rho up to 100 (I0(rho) overflows near 700, and the bath's mode sum
 * needs about rho terms); chains of at most 512 sites (the dense Lyapunov solve takes about 20 s there); at most
 * 1e7 bath particles (the direct simulation moves each of them every step).
 */
export const PARAM_RANGES: Readonly<Record<keyof ParticleBathChainParams, ParameterRange>> = Object.freeze({
  m: { min: 1e-6, max: 1e6 },
  K: { min: 1e-6, max: 1e6 },
  k: { min: 1e-6, max: 1e6 },
  N: { min: 2, max: 512, integer: true },
  Nb: { min: 1, max: 1e7, integer: true },
  eps: { min: 1e-6, max: 1e6 },
  A: { min: 1e-6, max: 1e6, why: "in absolute value; A may be negative but not 0" },
  rho: { min: 1e-3, max: 100 },
  L: { min: 1e-6, max: 1e6 },
  zeta: { min: 1e-6, max: 1e6 },
  gammaR: { min: 1e-6, max: 1e6 },
  TL: { min: 1e-6, max: 1e6 },
  TR: { min: 1e-6, max: 1e6, zero: true },
});

/**
 * Validates (and completes with defaults) a parameter set against PARAM_RANGES; throws a ModelError naming the
 * first bad parameter and its range.
 */
export function validateParams(raw: Partial<Record<string, unknown>>, source?: string): ParticleBathChainParams {
  const out = { ...DEFAULT_PARAMS } as ParticleBathChainParams;
  for (const key of Object.keys(raw)) {
    if (!(PARAM_NAMES as string[]).includes(key)) {
      throw new ModelError(`unknown parameter '${key}' (parameters are ${PARAM_NAMES.join(", ")})`, source);
    }
  }
  for (const key of PARAM_NAMES) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ModelError(`${key} (${PARAM_DESCRIPTIONS[key]}) must be a finite number, got ${JSON.stringify(v)}`, source);
    }
    out[key] = v;
  }
  try {
    for (const key of PARAM_NAMES) {
      const label = `${key} (${PARAM_DESCRIPTIONS[key]})`;
      if (key === "A") {
        if (out.A === 0) throw new ModelError(`${label} must be non-zero, got 0`);
        checkRange(`|A| (${PARAM_DESCRIPTIONS.A})`, Math.abs(out.A), PARAM_RANGES.A);
      } else {
        checkRange(label, out[key], PARAM_RANGES[key]);
      }
    }
  } catch (err) {
    throw source && err instanceof ModelError ? new ModelError(err.message, source) : err;
  }
  return Object.freeze(out);
}
