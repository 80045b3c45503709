/**
 * Particles in 1, 2 or 3 dimensions, each species with its own bath ([Metzger 2026]; the particle bath of [Krekels et al. 2026]):
 * the `kind: particles` file format and its validation into a typed ParticlesModel (the model's type, its checks and
 * the validation of data of the right shape are in particlesModel.ts, which loads no schema library).
 *
 * Conventions (kB = 1): particle a of species s obeys, overdamped, gamma_s r_a' = -grad_a U + sqrt(2 gamma_s T_s) xi_a
 * ([Metzger 2026] has gamma = 1), or underdamped m_s r_a'' = -grad_a U - gamma_s r_a' + sqrt(2 gamma_s T_s) xi_a.
 * U = sum over pairs of the pair potential of their species + sum over particles of the external potentials.
 * Pair potentials (r = |r_a - r_b|, minimum image in a periodic box):
 *   soft:     (k/2)(1 - r/sigma)^2 for r < sigma, else 0 (eq. 26 of [Metzger 2026]; cutoff sigma, docs/corrections.md)
 *   harmonic: (k/2)(r - r0)^2 at every distance (eq. 27 of [Metzger 2026] with r0 = 0); open space only (no box)
 *   wca:      4 eps [(sigma/r)^12 - (sigma/r)^6] + eps for r < 2^(1/6) sigma, else 0
 * External potentials (on every species unless `species` lists some):
 *   harmonic: (lambda/2)|r - center|^2          cosine: A cos(2 pi x/L + phase) along one axis
 *   sawtooth: rises linearly from 0 to A over the fraction `asymmetry` of the period L, falls back over the rest.
 * A periodic box is optional: without one the particles live in open space (all pairs are summed; keep N small).
 */
import { z } from "zod";
import { ModelError } from "../errors.js";
import {
  particlesFromShape,
  validateParticlesShape,
  type ParticlesModel,
  type ParticlesShape,
} from "./particlesModel.js";
import { formatZodError } from "./raw.js";

export * from "./particlesModel.js";

const axisName = z.enum(["x", "y", "z"]);

export const speciesSchema = z.strictObject({
  name: z.string().min(1).describe("species name, used by pairs and external potentials"),
  count: z.number().int().describe("number of particles of this species (>= 1; at most 500000 in all)"),
  temperature: z.number().describe("bath temperature T of this species, in 1e-50 .. 1e50 (kB = 1)"),
  friction: z.number().optional().describe("friction gamma > 0 (overdamped: inverse mobility); default 1"),
  mass: z.number().optional().describe("mass m > 0 (underdamped only); default 1"),
});

export const pairSchema = z.strictObject({
  between: z.tuple([z.string(), z.string()]).optional().describe("the two species; default: every pair of species"),
  potential: z.enum(["soft", "harmonic", "wca"]),
  stiffness: z.number().optional().describe("k of the soft and harmonic potentials"),
  range: z.number().optional().describe("sigma of the soft potential: it acts for r < sigma"),
  length: z.number().optional().describe("rest length r0 of the harmonic potential; default 0"),
  epsilon: z.number().optional().describe("energy scale of WCA"),
  sigma: z.number().optional().describe("diameter of WCA (cutoff 2^(1/6) sigma)"),
});

export const externalSchema = z.strictObject({
  potential: z.enum(["harmonic", "cosine", "sawtooth"]),
  species: z.array(z.string()).optional().describe("species it acts on; default all"),
  stiffness: z.number().optional().describe("lambda of the harmonic trap"),
  center: z.array(z.number()).optional().describe("trap centre; default the origin"),
  amplitude: z.number().optional().describe("A of the cosine and sawtooth potentials"),
  period: z.number().optional().describe("spatial period L of the cosine and sawtooth potentials"),
  axis: axisName.optional().describe("axis of a periodic potential; default x"),
  phase: z.number().optional().describe("phase of the cosine (radians); default 0"),
  asymmetry: z
    .number()
    .optional()
    .describe("sawtooth: fraction of the period over which U rises (0 < a < 1); default 0.8"),
});

export const bondSchema = z.strictObject({
  potential: z.enum(["harmonic", "fene"]).describe("harmonic (k/2)(r - r0)^2, or FENE -(k R0^2/2) ln(1 - (r/R0)^2)"),
  path: z
    .array(z.number().int())
    .min(2)
    .describe("particle indices (numbered species by species from 0) bonded in this order: [a, b] is one bond"),
  stiffness: z.number().describe("k of the bond"),
  length: z.number().optional().describe("rest length r0 of a harmonic bond; default 0"),
  maxLength: z.number().optional().describe("R0 of a FENE bond: the bond cannot stretch to it"),
});

export const particlesSchema = z.strictObject({
  kind: z.literal("particles"),
  name: z.string().optional(),
  description: z.string().optional(),
  dynamics: z.enum(["overdamped", "underdamped"]).default("overdamped"),
  dimension: z.number().int().describe("1, 2 or 3"),
  box: z
    .union([z.number(), z.array(z.number())])
    .optional()
    .describe(
      "periodic box: one length for every axis, or one per axis; omit for open space (then every particle must be held by a harmonic trap, directly or through harmonic pairs)",
    ),
  species: z.array(speciesSchema).min(1),
  pairs: z.array(pairSchema).default([]),
  external: z.array(externalSchema).default([]),
  bonds: z
    .array(bondSchema)
    .default([])
    .describe("bonded interactions between given particles (polymers, dimers), besides the pair potentials"),
  initial: z
    .union([z.enum(["lattice", "random"]), z.array(z.array(z.number()))])
    .optional()
    .describe("initial positions: lattice (default), random, or one [x, y, z] per particle"),
});

export type ParticlesInput = z.input<typeof particlesSchema>;

/** What the fields that accept several forms take, for type errors. */
function particlesHint(path: ReadonlyArray<PropertyKey>): string | undefined {
  if (path.length !== 1) return undefined;
  if (path[0] === "box") return "one length, or one length per axis";
  if (path[0] === "initial") return "lattice, random, or one [x, y, z] per particle";
  return undefined;
}

/**
 * Validates plain data into a ParticlesModel, or throws a ModelError naming the field.
 *
 * @example
 * ```ts
 * import { validateParticles } from "ness";
 *
 * const pair = validateParticles({
 *   kind: "particles",
 *   dimension: 1,
 *   species: [{ name: "hot", count: 1, temperature: 5 }, { name: "cold", count: 1, temperature: 1 }],
 *   pairs: [{ potential: "harmonic", stiffness: 1 }],
 *   external: [{ potential: "harmonic", stiffness: 1 }],
 * });
 * console.log(pair.species.length); // => 2
 * ```
 */
export function validateParticles(raw: unknown, source?: string): ParticlesModel {
  // plain data of the right shape skips the schema (the same data, the same checks after it)
  const fast = validateParticlesShape(raw, source);
  if (fast) return fast;
  const parsed = particlesSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ModelError(formatZodError(parsed.error, undefined, particlesHint), source);
  return particlesFromShape(parsed.data, source);
}

// The schema's output is the shape particlesModel.ts checks by hand: a change of one without the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesShape: Same<z.output<typeof particlesSchema>, ParticlesShape> = true;
void schemaMatchesShape;
