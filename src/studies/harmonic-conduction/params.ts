/**
 * Parameters of the harmonic-conduction study, declared once as a schema (description, unit, default, range): the
 * CLI, --help and the documentation are generated from it. Reduced units: spring constant k = 1, mean mass <m> = 1,
 * kB = 1 (time sqrt(<m>/k)); the bath friction gamma is the coefficient of the force -gamma v.
 */
import type { z } from "zod";
import { z as zod } from "zod";
import { ModelError } from "../../errors.js";
import { choice, defaultsOf, fieldsOf, quantity, validateParameters } from "../schema.js";

export const conductionSchema = zod.object({
  disorder: quantity({
    describe: "mass disorder d: masses uniform in [1 - d, 1 + d]",
    unit: "<m>",
    default: 0.5,
    range: { min: 0, max: 0.95 },
  }),
  gamma: quantity({
    describe: "friction of the two Langevin baths (force -gamma v)",
    unit: "sqrt(k <m>)",
    default: 1,
    range: { min: 1e-3, max: 1e3 },
  }),
  TL: quantity({
    describe: "temperature of the left bath",
    unit: "energy (kB = 1)",
    default: 2,
    range: { min: 1e-6, max: 1e6 },
    flag: "TL",
  }),
  TR: quantity({
    describe: "temperature of the right bath",
    unit: "energy (kB = 1)",
    default: 1,
    range: { min: 1e-6, max: 1e6 },
    flag: "TR",
  }),
  nMin: quantity({
    describe: "shortest chain (the lengths are powers of 2 from n-min to n-max)",
    unit: "sites",
    default: 32,
    range: { min: 4, max: 65536, integer: true },
  }),
  nMax: quantity({
    describe: "longest chain (at least 4 n-min: three lengths for a fit)",
    unit: "sites",
    default: 1024,
    range: { min: 8, max: 100000, integer: true },
  }),
  samples: quantity({
    describe: "disorder realisations per length",
    unit: "1",
    default: 4,
    range: { min: 1, max: 1000, integer: true },
  }),
  freePin: quantity({
    describe:
      "pinning of the end sites for free boundaries (the engine needs a confined chain; free for omega >> sqrt(free-pin))",
    unit: "k",
    default: 1e-6,
    range: { min: 1e-12, max: 1e-2 },
  }),
  tolerance: quantity({
    describe: "relative tolerance of the frequency quadrature",
    unit: "1",
    default: 1e-8,
    range: { min: 1e-13, max: 1e-3 },
  }),
  boundary: choice(["both", "fixed", "free"] as const, {
    describe: "ends of the chains: fixed (tied to walls), free, or both",
    default: "both",
    valueName: "which",
  }),
});

export type ConductionInput = z.output<typeof conductionSchema>;

/** The physical and numerical parameters of a run, with the seed that draws the masses. */
export type ConductionParams = Omit<ConductionInput, "boundary"> & { seed: number };

const NUMERIC = ["disorder", "gamma", "TL", "TR", "nMin", "nMax", "samples", "freePin", "tolerance"] as const;

/** Every parameter with its description, unit, default and range (for tables of the documentation). */
export const PARAMS = fieldsOf(conductionSchema);

export const DEFAULT_PARAMS: Readonly<ConductionParams> = Object.freeze({
  ...defaultsOf(conductionSchema, NUMERIC),
  seed: 1,
});

/** The checks that involve two parameters; ModelError. */
export function checkConductionParams(
  p: Pick<ConductionParams, "nMin" | "nMax" | "TL" | "TR">,
  name: (key: string) => string = (k) => k,
): void {
  if (p.nMax < 4 * p.nMin) {
    throw new ModelError(
      `${name("nMax")} must be at least 4 ${name("nMin")} (three lengths for a fit), got ${name("nMin")} = ${p.nMin}, ${name("nMax")} = ${p.nMax}`,
    );
  }
  if (p.TL === p.TR)
    throw new ModelError(`${name("TL")} and ${name("TR")} must differ (no current flows at equal temperatures)`);
}

/** Validates (and completes with defaults) a parameter set; throws a ModelError naming the first bad parameter. */
export function validateParams(raw: Partial<Record<string, unknown>>): ConductionParams {
  const { seed, ...rest } = raw;
  const { parameters } = validateParameters({ parameters: conductionSchema }, rest);
  checkConductionParams(parameters);
  const { boundary: _boundary, ...p } = parameters;
  return Object.freeze({ ...p, seed: typeof seed === "number" ? seed : 1 });
}
