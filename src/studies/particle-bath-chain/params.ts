/**
 * Parameters of the particle-bath chain (Krekels, Maes, Santra and Zhai, arXiv:2604.00777): a harmonic chain of N sites whose first site is coupled to N_b
 * overdamped particles on a ring (the "particle bath" at T_L) and whose last site is in a Langevin bath at T_R.
 * Plain data validated at the boundary into a frozen parameter set, with ModelErrors naming the parameter.
 */
import { z } from "zod";
import { ModelError } from "../../errors.js";
import { SIMULATION_SETTING_RANGES } from "../cost.js";
import { checkRange, type ParameterRange } from "../ranges.js";
import { defaultsOf, descriptionsOf, quantity, rangesOf, toggle } from "../schema.js";

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

const POSITIVE = { min: 1e-6, max: 1e6 };

/**
 * The parameters declared once (description, unit, default, range). Figure 2 of Krekels et al. gives m = K = 1,
 * N_b = 40, eps = 0.1, A = 1, rho = 2, L = 25; zeta, N, k, gamma_R and the temperatures are not given there: these
 * are our choices (stated in the documentation). zeta = 0.01 makes the slowest bath time zeta L^2 / (4 pi^2 T_L)
 * short against the chain's 1/omega_c at T_L = 2 (time scales separate). The ranges: positive quantities over 12
 * decades (the temperature T_R may be 0); |A| likewise (A may be negative, not 0); the localisation rho up to 100
 * (I0(rho) overflows near 700, and the bath's mode sum needs about rho terms); chains of at most 512 sites (the dense
 * Lyapunov solve takes about 20 s there); at most 1e7 bath particles (the direct simulation moves each of them every
 * step). Units: any consistent set with kB = 1 (temperatures are energies); frictions are the coefficients of the
 * forces -gamma_R v (chain) and of zeta x' = -eps q_1 F'(x) + sqrt(2 zeta T_L) xi (bath particles). The probe's
 * settings repeat simulation.ts's PROBE_RANGES (a test checks they agree; importing them would close an import cycle).
 */
export const chainSchema = z.object({
  m: quantity({ describe: "mass of every chain site", unit: "mass", default: 1, range: POSITIVE, flag: "m" }),
  K: quantity({
    describe: "pinning stiffness K of the end sites",
    unit: "energy/length^2",
    default: 1,
    range: POSITIVE,
    flag: "K",
  }),
  k: quantity({
    describe: "spring stiffness k between neighbours",
    unit: "energy/length^2",
    default: 1,
    range: POSITIVE,
    flag: "k",
  }),
  N: quantity({
    describe: "number of chain sites (>= 2)",
    unit: "sites",
    default: 16,
    range: { min: 2, max: 512, integer: true },
    flag: "N",
  }),
  Nb: quantity({
    describe: "number of bath particles on the ring",
    unit: "particles",
    default: 40,
    range: { min: 1, max: 1e7, integer: true },
    flag: "Nb",
  }),
  eps: quantity({
    describe: "coupling strength eps of eps q_1 sum_i F(x_i)",
    unit: "1/length",
    default: 0.1,
    range: POSITIVE,
  }),
  A: quantity({
    describe: "mean A of the coupling F over the ring",
    unit: "energy",
    default: 1,
    range: { ...POSITIVE, absolute: true, why: "A may be negative but not 0" },
    flag: "A",
  }),
  rho: quantity({
    describe: "localisation rho of the von Mises coupling F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L))",
    unit: "1",
    default: 2,
    range: { min: 1e-3, max: 100 },
  }),
  L: quantity({ describe: "ring length L", unit: "length", default: 25, range: POSITIVE, flag: "L" }),
  zeta: quantity({
    describe: "friction zeta of the overdamped bath particles (their gamma: zeta x' = F + sqrt(2 zeta T_L) xi)",
    unit: "mass/time",
    default: 0.01,
    range: POSITIVE,
  }),
  gammaR: quantity({
    describe: "friction gamma_R of the Langevin bath on site N (force -gamma_R v)",
    unit: "mass/time",
    default: 1,
    range: POSITIVE,
    flag: "gammaR",
  }),
  TL: quantity({
    describe: "temperature T_L of the particle bath (kB = 1)",
    unit: "energy",
    default: 2,
    range: POSITIVE,
    flag: "TL",
  }),
  TR: quantity({
    describe: "temperature T_R of the Langevin bath (kB = 1)",
    unit: "energy",
    default: 1,
    range: { ...POSITIVE, zero: true },
    flag: "TR",
  }),
  probe: toggle({
    describe: "also simulate a single probe (k = 0) and fit the friction from the decay of its mean velocity",
    section: "Simulation",
  }),
  pairs: quantity({
    describe: "antithetic pairs of probes for --probe",
    unit: "1",
    default: 16,
    range: { min: 2, max: 10_000, integer: true },
    section: "Simulation",
  }),
  v0: quantity({
    describe: "initial velocity of the probe for --probe (50 in Krekels et al.)",
    unit: "length/time",
    default: 50,
    range: { min: 1e-6, max: 1e6 },
    section: "Simulation",
  }),
  simulate: toggle({
    describe: "also simulate the full system (chain + particles + Langevin bath) and measure the current",
    section: "Simulation",
  }),
  replicas: quantity({
    describe: "replicas for --simulate",
    unit: "1",
    default: 4,
    range: SIMULATION_SETTING_RANGES.replicas,
    section: "Simulation",
  }),
  duration: quantity({
    // --time as in every other command (--duration, the spelling of earlier versions, still works).
    flag: "time",
    describe: "production time per replica for --simulate (after a burn-in of 200)",
    unit: "time",
    default: 4000,
    range: SIMULATION_SETTING_RANGES.time,
    section: "Simulation",
    valueName: "t",
  }),
});

export const PARAM_NAMES = [
  "m",
  "K",
  "k",
  "N",
  "Nb",
  "eps",
  "A",
  "rho",
  "L",
  "zeta",
  "gammaR",
  "TL",
  "TR",
] as const satisfies readonly (keyof ParticleBathChainParams)[];

/** The defaults of the physical parameters (chainSchema). */
export const DEFAULT_PARAMS: Readonly<ParticleBathChainParams> = Object.freeze({
  ...defaultsOf(chainSchema, PARAM_NAMES),
});

export const PARAM_DESCRIPTIONS: Readonly<Record<keyof ParticleBathChainParams, string>> = descriptionsOf(
  chainSchema,
  PARAM_NAMES,
);

/** The domain of the physical parameters (chainSchema; A: its absolute value). */
export const PARAM_RANGES: Readonly<Record<keyof ParticleBathChainParams, ParameterRange>> = rangesOf(
  chainSchema,
  PARAM_NAMES,
);

/**
 * Validates (and completes with defaults) a parameter set against PARAM_RANGES; throws a ModelError naming the
 * first bad parameter and its range.
 */
export function validateParams(
  input: Partial<ParticleBathChainParams> | Partial<Record<string, unknown>>,
  source?: string,
): ParticleBathChainParams {
  const raw = input as Partial<Record<string, unknown>>;
  const out = { ...DEFAULT_PARAMS } as ParticleBathChainParams;
  for (const key of Object.keys(raw)) {
    if (!(PARAM_NAMES as readonly string[]).includes(key)) {
      throw new ModelError(`unknown parameter '${key}' (parameters are ${PARAM_NAMES.join(", ")})`, source);
    }
  }
  for (const key of PARAM_NAMES) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ModelError(
        `${key} (${PARAM_DESCRIPTIONS[key]}) must be a finite number, got ${JSON.stringify(v)}`,
        source,
      );
    }
    out[key] = v;
  }
  try {
    for (const key of PARAM_NAMES) {
      const label = `${key} (${PARAM_DESCRIPTIONS[key]})`;
      if (key === "A") {
        if (out.A === 0) throw new ModelError(`${label} must be non-zero, got 0`);
        checkRange(`|A| (${PARAM_DESCRIPTIONS.A})`, Math.abs(out.A), { ...PARAM_RANGES.A, absolute: false });
      } else {
        checkRange(label, out[key], PARAM_RANGES[key]);
      }
    }
  } catch (err) {
    throw source && err instanceof ModelError ? new ModelError(err.message, source) : err;
  }
  return Object.freeze(out);
}
