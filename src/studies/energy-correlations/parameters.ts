/**
 * Parameters of the energy-correlations study (Bunin, Kafri, Lecomte, Podolsky and Polkovnikov, arXiv:1306.1551),
 * declared once as a schema: the model, the chain, the baths, each model's own parameters (defaults per model:
 * models.ts) and the simulation's settings (ranges: simulate.ts). kB = 1: temperatures are energies; the exclusion
 * process's baths are densities in [0, 1].
 */
import { z } from "zod";
import { describeRange } from "../ranges.js";
import { choice, quantity, toggle } from "../schema.js";
import { BUILTIN_MODELS, MODEL_DEFAULTS, MODEL_RANGES, type BuiltinModelName } from "./models.js";
import { SIMULATION_RANGES } from "./simulate.js";
import { MAX_SUBSYSTEMS } from "./steadyState.js";

const D = MODEL_DEFAULTS;
const MODEL = "Model parameters";
const SIM = "Simulation";
const density = { min: 0, max: 1 };
/** --T0/--T3: the schema admits 0 (an empty ssep bath); the models check their own range (checkChain). */
const TEMPERATURE_OR_DENSITY = `a temperature in ${describeRange(MODEL_RANGES.temperature).replace(/^a number in /, "")}, or for ssep a density in [0, 1]`;

export const correlationsSchema = z.object({
  model: choice(BUILTIN_MODELS as unknown as [BuiltinModelName, ...BuiltinModelName[]], {
    describe: "the subsystems: ideal gases, a boxed exclusion process (ssep), Fermi gases or blackbody cavities",
  }),
  M: quantity({
    describe:
      "number of subsystems between the two baths (1: a single subsystem, whose energy variance has a closed form under eq. 4)",
    unit: "1",
    default: 2,
    range: { min: 1, max: MAX_SUBSYSTEMS, integer: true },
    flag: "M",
  }),
  T0: quantity({
    describe: "left bath (node 0): its temperature, or for ssep its density in [0, 1]",
    unit: "energy (kB = 1)",
    defaultText: "1 (ssep 0.2)",
    range: { min: 0, max: MODEL_RANGES.temperature.max },
    rangeText: TEMPERATURE_OR_DENSITY,
    flag: "T0",
  }),
  T3: quantity({
    describe: "right bath (node M + 1): its temperature, or for ssep its density in [0, 1]",
    unit: "energy (kB = 1)",
    defaultText:
      "3 (ssep 0.8): far from equilibrium, outside eq. 4's third-cumulant condition for ssep, fermi and blackbody (the report says by how much)",
    range: { min: 0, max: MODEL_RANGES.temperature.max },
    rangeText: TEMPERATURE_OR_DENSITY,
    flag: "T3",
  }),
  eps0: quantity({
    describe: "ssep: density of the left bath (the same as --T0)",
    unit: "1",
    range: density,
    flag: "eps0",
  }),
  eps3: quantity({
    describe: "ssep: density of the right bath (the same as --T3)",
    unit: "1",
    range: density,
    flag: "eps3",
  }),
  Cv: quantity({
    describe: "ideal-gas: heat capacity of a subsystem (E = Cv T)",
    unit: "kB",
    defaultText: String(D.idealGas.Cv),
    range: MODEL_RANGES.size,
    flag: "Cv",
    section: MODEL,
  }),
  gamma: quantity({
    describe: "ideal-gas, ssep: rate constant gamma of the links",
    unit: "1/time",
    defaultText: String(D.idealGas.gamma),
    range: MODEL_RANGES.rate,
    section: MODEL,
  }),
  N: quantity({
    describe: `ideal-gas: subsystem size (eps = E/N), default ${D.idealGas.N}; ssep: box capacity, default ${D.ssep.N}; fermi: fermions per subsystem, default ${D.fermi.N}`,
    unit: "1",
    defaultText: "per model",
    range: MODEL_RANGES.size,
    flag: "N",
    section: MODEL,
  }),
  kappa: quantity({
    describe: "fermi: junction constant of eq. 12, A = kappa (Ti^4 - Tj^4)",
    unit: "energy/time",
    defaultText: String(D.fermi.kappa),
    range: MODEL_RANGES.rate,
    section: MODEL,
  }),
  TF: quantity({
    describe: "fermi: Fermi temperature (the model needs T << TF)",
    unit: "energy (kB = 1)",
    defaultText: String(D.fermi.TF),
    range: MODEL_RANGES.TF,
    flag: "TF",
    section: MODEL,
  }),
  coupling: quantity({
    describe: "blackbody: |lambda|^2 sigma of eq. A.5",
    unit: "1/time",
    defaultText: String(D.blackbody.coupling),
    range: MODEL_RANGES.rate,
    section: MODEL,
  }),
  aV: quantity({
    describe: "blackbody: radiation constant times volume, E = aV T^4",
    unit: "energy^-3",
    defaultText: String(D.blackbody.aV),
    range: MODEL_RANGES.size,
    flag: "aV",
    section: MODEL,
  }),
  noise: choice(["exact", "approx"] as const, {
    describe: "fermi, blackbody: the link noise B exact (integral) or approximate (eq. 13 / A.6)",
    defaultText: "exact",
    optional: true,
    valueName: "form",
    section: MODEL,
  }),
  simulate: toggle({
    describe: "also simulate the energy SDE and compare C with error bars (needs large subsystems: the study checks)",
    section: SIM,
  }),
  replicas: quantity({
    describe: "independent replicas of the simulation",
    unit: "1",
    default: 16,
    range: SIMULATION_RANGES.replicas,
    section: SIM,
  }),
  duration: quantity({
    // --time as in every other command (--duration, the spelling of earlier versions, still works).
    flag: "time",
    describe: "length of each replica",
    unit: "slowest relaxation times",
    default: 2000,
    range: SIMULATION_RANGES.duration,
    section: SIM,
    valueName: "t",
  }),
});
