/**
 * Parameters of the two-temperature studies, declared once as schemas (description with the convention, unit,
 * default, range): the harmonic pair, run-and-chase, the ratchet and demixing. Units: overdamped particles of
 * mobility 1 (friction gamma = 1 in gamma x' = F + sqrt(2 gamma T) xi), kB = 1: temperatures are energies, and a
 * stiffness k sets the rate k/gamma. The library validators (validatePairParams, ...) check the same ranges.
 */
import { z } from "zod";
import { SIMULATION_SETTING_RANGES } from "../cost.js";
import { choice, quantity, toggle } from "../schema.js";

const POSITIVE = { min: 1e-6, max: 1e6 };
const SIM = "Simulation";
const simulate = (what: string) =>
  toggle({ describe: `also simulate ${what} with the stochastic engine (estimates with error bars)`, section: SIM });
const time = (d: number, what = "production time per replica") =>
  quantity({
    describe: what,
    unit: "time",
    default: d,
    range: SIMULATION_SETTING_RANGES.time,
    valueName: "t",
    section: SIM,
  });
const replicas = (d: number) =>
  quantity({
    describe: "independent replicas (streams of the seed)",
    unit: "1",
    default: d,
    range: SIMULATION_SETTING_RANGES.replicas,
    section: SIM,
  });
const dt = (defaultText: string) =>
  quantity({
    describe: "time step of the integrator (Heun)",
    unit: "time",
    range: SIMULATION_SETTING_RANGES.dt,
    defaultText,
    section: SIM,
  });
const temperature = (describe: string, d: number, flag: string) =>
  quantity({ describe: `${describe} (kB = 1)`, unit: "energy", default: d, range: POSITIVE, flag });

/** The harmonic pair of Section 4.1: k, lambda, T1, T2 (the recitation's values: a hot particle 1). */
export const pairSchema = z.object({
  k: quantity({
    describe: "spring stiffness k between the particles, U = k (x1 - x2)^2 / 2",
    unit: "energy/length^2",
    default: 1,
    range: POSITIVE,
  }),
  lambda: quantity({
    describe: "trap stiffness lambda, V = lambda |x|^2 / 2 for each particle",
    unit: "energy/length^2",
    default: 1,
    range: { ...POSITIVE, why: "without a trap (lambda = 0) the pair is not confined and has no steady state" },
  }),
  T1: temperature("temperature of particle 1's bath", 5, "T1"),
  T2: temperature("temperature of particle 2's bath", 1, "T2"),
  simulate: simulate("the pair"),
  time: time(200),
  replicas: replicas(8),
});

/**
 * Run-and-chase (Section 3.1): a hot and a cold particle with the soft repulsion of eq. 26, in 1, 2 or 3D, each
 * with its own mobility (default 1: the lecture notes' unit mobilities, friction gamma = 1).
 */
export const runAndChaseSchema = z.object({
  dimension: quantity({
    describe: "spatial dimension",
    unit: "1",
    default: 2,
    range: { min: 1, max: 3, integer: true },
  }),
  Thot: temperature("temperature of the hot particle", 1, "Thot"),
  Tcold: temperature("temperature of the cold particle", 0.1, "Tcold"),
  stiffness: quantity({
    describe: "stiffness k of the soft repulsion U(r) = (k/2)(1 - r/range)^2 for r < range",
    unit: "energy",
    default: 10,
    range: POSITIVE,
  }),
  range: quantity({
    describe: "range of the soft repulsion (it acts for r < range)",
    unit: "length",
    default: 1,
    range: POSITIVE,
  }),
  box: quantity({
    describe: "side of the periodic box (2 to 1000 ranges)",
    unit: "length",
    default: 3,
    range: POSITIVE,
  }),
  muHot: quantity({
    describe:
      "mobility mu_hot = 1/gamma_hot of the hot particle (overdamped: gamma x' = F + sqrt(2 gamma T) xi, so x' = mu F + sqrt(2 mu T) xi)",
    unit: "length^2/(energy time)",
    default: 1,
    range: POSITIVE,
  }),
  muCold: quantity({
    describe: "mobility mu_cold = 1/gamma_cold of the cold particle (friction gamma_cold = 1/mu_cold)",
    unit: "length^2/(energy time)",
    default: 1,
    range: POSITIVE,
  }),
  simulate: simulate("the pair"),
  time: time(2000),
  replicas: replicas(4),
  dt: dt("min(0.001 / mu_max, 0.02 range^2 / (stiffness mu_mean)), mu_max and mu_mean of the two mobilities"),
});

/** The ratchet (Section 3.2): the soft-repulsive pair in an asymmetric sawtooth on a ring. */
export const ratchetSchema = z.object({
  Thot: temperature("temperature of the hot particle", 1, "Thot"),
  Tcold: temperature("temperature of the cold particle", 0.05, "Tcold"),
  stiffness: quantity({
    describe: "stiffness k of the soft repulsion (eq. 26)",
    unit: "energy",
    default: 50,
    range: POSITIVE,
  }),
  range: quantity({ describe: "range of the soft repulsion", unit: "length", default: 0.5, range: POSITIVE }),
  amplitude: quantity({ describe: "height of the sawtooth", unit: "energy", default: 1, range: POSITIVE }),
  period: quantity({ describe: "period of the sawtooth", unit: "length", default: 1, range: POSITIVE }),
  asymmetry: quantity({
    describe: "fraction of the period over which the sawtooth rises (0.5 = symmetric)",
    unit: "1",
    default: 0.8,
    range: { min: 1e-6, max: 1 - 1e-6 },
  }),
  box: quantity({
    describe: "ring length (at most 100 periods and 1000 ranges)",
    unit: "length",
    default: 4,
    range: POSITIVE,
  }),
  time: time(1000),
  replicas: replicas(8),
  dt: dt("min(0.002, 0.1 range^2 / stiffness)"),
});

/** Demixing (Section 3.3): many hot and cold soft disks in a periodic square box. */
export const demixingSchema = z.object({
  N: quantity({
    describe: "number of disks",
    unit: "1",
    default: 400,
    range: { min: 2, max: 100_000, integer: true },
    flag: "N",
  }),
  coldFraction: quantity({
    describe: "fraction of cold disks",
    unit: "1",
    default: 0.5,
    range: { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true },
  }),
  phi: quantity({
    describe: "area fraction of the disks, N pi range^2 / (4 L^2) (diameter = range)",
    unit: "1",
    default: 0.4,
    range: { min: 0.01, max: 1, exclusiveMax: true },
  }),
  Thot: temperature("temperature of the hot disks", 0.02, "Thot"),
  Tcold: temperature("temperature of the cold disks", 0.0002, "Tcold"),
  stiffness: quantity({
    describe: "stiffness k of the soft repulsion (eq. 26)",
    unit: "energy",
    default: 1,
    range: POSITIVE,
  }),
  range: quantity({
    describe: "range of the soft repulsion (= disk diameter)",
    unit: "length",
    default: 1,
    range: POSITIVE,
  }),
  neighbourCutoff: quantity({
    describe: "neighbour distance of the order parameters",
    unit: "range",
    default: 1.5,
    range: { min: 0.1, max: 100 },
  }),
  dt: quantity({
    describe: "time step of the integrator (Heun)",
    unit: "time",
    default: 0.1,
    range: SIMULATION_SETTING_RANGES.dt,
    section: SIM,
  }),
  time: time(300),
  burnIn: quantity({
    describe: "burn-in time per replica (from the random start)",
    unit: "time",
    default: 100,
    range: SIMULATION_SETTING_RANGES.burnIn,
    section: SIM,
    valueName: "t",
  }),
  sampleInterval: quantity({
    describe: "time between samples of the order parameters",
    unit: "time",
    default: 10,
    range: { min: 1e-9, max: 1e9 },
    section: SIM,
    valueName: "t",
  }),
  replicas: quantity({
    describe: "independent replicas (error bars from their spread)",
    unit: "1",
    default: 16,
    range: SIMULATION_SETTING_RANGES.replicas,
    section: SIM,
  }),
  start: choice(["random", "slab"] as const, {
    describe:
      "initial positions: random (a mixed state) or slab (the cold disks in a stripe across the box, the hot ones in the rest: the separated start, whose slab persists only where the mixture phase-separates)",
    default: "random",
    section: SIM,
  }),
  slabContrast: quantity({
    describe:
      "with --start slab: the fraction of each species placed in its region (the rest start uniformly); 1 is a pure stripe, a weaker one sharpens where the mixture separates",
    unit: "1",
    default: 1,
    range: { min: 0, max: 1, exclusiveMin: true },
    section: SIM,
  }),
  entropyProduction: toggle({
    describe:
      "also report the entropy production rate of the whole system (Stratonovich; carries a time-step bias, noted, at large dt)",
    unit: "kB/time",
    section: SIM,
  }),
});
