/**
 * Parameters of the particle-bath chain (seed 003): a harmonic chain of N sites whose first site is coupled to N_b
 * overdamped particles on a ring (the "particle bath" at T_L) and whose last site is in a Langevin bath at T_R.
 * Plain data validated at the boundary into a frozen parameter set, with ModelErrors naming the parameter.
 */
import { ModelError } from "../../errors.js";

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

/** Validates (and completes with defaults) a parameter set; throws a ModelError naming the first bad parameter. */
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
  const fail = (key: keyof ParticleBathChainParams, rule: string): never => {
    throw new ModelError(`${key} (${PARAM_DESCRIPTIONS[key]}) must be ${rule}, got ${out[key]}`, source);
  };
  for (const key of ["m", "K", "k", "eps", "rho", "L", "zeta", "gammaR", "TL"] as const) if (!(out[key] > 0)) fail(key, "> 0");
  if (out.A === 0) fail("A", "non-zero");
  if (!(out.TR >= 0)) fail("TR", ">= 0");
  if (!Number.isInteger(out.N) || out.N < 2) fail("N", "an integer >= 2");
  if (!Number.isInteger(out.Nb) || out.Nb < 1) fail("Nb", "an integer >= 1");
  return Object.freeze(out);
}
