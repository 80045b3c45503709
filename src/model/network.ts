/**
 * Harmonic (and weakly anharmonic) networks of oscillators with heat baths on some sites: the file format's schema
 * and its validation into a typed, index-based NetworkModel that the engines consume (the model's type, its checks
 * and the validation of data of the right shape are in networkModel.ts, which loads no schema library).
 *
 * Conventions (kB = 1): site i has mass m_i, pinning stiffness kappa_i (potential kappa_i q_i^2 / 2) and optional
 * quartic pinning (potential c_i q_i^4 / 4); a spring i-j has stiffness k_ij (potential k_ij (q_i - q_j)^2 / 2) and
 * optional quartic term c_ij (q_i - q_j)^4 / 4. A bath on site i has friction gamma_i (the force -gamma_i q_i') and
 * temperature T_i. Overdamped dynamics: gamma_i q_i' = -dU/dq_i + sqrt(2 gamma_i T_i) xi_i (friction = 1/mobility).
 */
import { z } from "zod";
import { ModelError } from "../errors.js";
import { networkFromShape, validateNetworkShape, type NetworkModel, type NetworkShape } from "./networkModel.js";
import { describeValue, formatZodError } from "./raw.js";

export * from "./networkModel.js";

const siteName = z.union([z.string().min(1), z.number().int()]);
const perSite = z.union([z.number(), z.record(z.string(), z.number())]);

export const springSchema = z.strictObject({
  between: z
    .tuple([siteName, siteName])
    .describe("the two sites the spring joins; flux is reported from the first to the second"),
  stiffness: z.number().describe("harmonic stiffness k_ij in 1e-50 .. 1e50: potential k_ij (q_i - q_j)^2 / 2"),
  quartic: z
    .number()
    .optional()
    .describe(
      "anharmonic coefficient c_ij, 0 or in 1e-50 .. 1e50: potential c_ij (q_i - q_j)^4 / 4 (stochastic engine only)",
    ),
});

export const bathSchema = z.strictObject({
  site: siteName.describe("the site the bath acts on"),
  friction: z
    .number()
    .describe("friction gamma in 1e-50 .. 1e50: the force -gamma q' (overdamped: the inverse mobility)"),
  temperature: z.number().describe("bath temperature T in 1e-50 .. 1e50 (kB = 1)"),
});

export const networkSchema = z.strictObject({
  kind: z.literal("network"),
  name: z.string().optional().describe("a title for tables and figures"),
  description: z.string().optional(),
  dynamics: z
    .enum(["underdamped", "overdamped"])
    .default("underdamped")
    .describe("underdamped (Langevin with momenta) or overdamped (every site needs a bath)"),
  sites: z
    .union([z.array(siteName).min(1), z.number().int()])
    .describe('site names, or a count n naming the sites "1".."n" (at most 100000)'),
  masses: perSite.optional().describe("one mass for every site, or {site: mass}, in 1e-50 .. 1e50; default 1"),
  pinning: perSite
    .optional()
    .describe("pinning stiffness: one value for every site, or {site: stiffness}, 0 or in 1e-50 .. 1e50; default 0"),
  quarticPinning: perSite
    .optional()
    .describe("quartic pinning c_i: potential c_i q_i^4 / 4 (stochastic engine only); default 0"),
  springs: z.array(springSchema).default([]),
  baths: z.array(bathSchema).describe("heat baths, at most one per site"),
  layout: z
    .record(z.string(), z.tuple([z.number(), z.number()]))
    .optional()
    .describe("optional positions {site: [x, y]} for figures"),
});

export type NetworkInput = z.input<typeof networkSchema>;

/** A site name as written, or a description of what stands in its place. */
function nameOf(v: unknown): string {
  return typeof v === "string" || typeof v === "number" ? String(v) : describeValue(v);
}

function describeNetworkPath(raw: unknown) {
  return (path: ReadonlyArray<PropertyKey>): string | undefined => {
    const r = raw as { springs?: { between?: unknown[] }[]; baths?: { site?: unknown }[] };
    if (path[0] === "springs" && typeof path[1] === "number") {
      const b = r.springs?.[path[1]]?.between;
      const rest = path.slice(2).map(String).join(".");
      const name =
        Array.isArray(b) && b.length === 2 ? `spring ${nameOf(b[0])}-${nameOf(b[1])}` : `springs[${path[1]}]`;
      return rest ? `${name}: ${rest}` : name;
    }
    if (path[0] === "baths" && typeof path[1] === "number") {
      const s = r.baths?.[path[1]]?.site;
      const rest = path.slice(2).map(String).join(".");
      const name = s !== undefined ? `bath on ${nameOf(s)}` : `baths[${path[1]}]`;
      return rest ? `${name}: ${rest}` : name;
    }
    return undefined;
  };
}

/** What the fields that accept several forms take, for type errors. */
function networkHint(path: ReadonlyArray<PropertyKey>): string | undefined {
  if (path.length !== 1) return undefined;
  switch (path[0]) {
    case "sites":
      return "a list of site names or a count";
    case "masses":
      return "one number for every site, or a mapping {site: mass}";
    case "pinning":
      return "one number for every site, or a mapping {site: stiffness}";
    case "quarticPinning":
      return "one number for every site, or a mapping {site: coefficient}";
    case "layout":
      return "a mapping {site: [x, y]}";
    default:
      return undefined;
  }
}

/**
 * Validates plain data (parsed YAML/JSON) into a NetworkModel, or throws a ModelError naming the field.
 *
 * @example
 * ```ts
 * import { validateNetwork } from "ness";
 *
 * const net = validateNetwork({
 *   kind: "network",
 *   sites: ["a", "b"],
 *   pinning: 1,
 *   springs: [{ between: ["a", "b"], stiffness: 2 }],
 *   baths: [{ site: "a", friction: 1, temperature: 3 }],
 * });
 * console.log(net.springs[0].stiffness); // => 2
 * ```
 */
export function validateNetwork(raw: unknown, source?: string): NetworkModel {
  // plain data of the right shape skips the schema (the same data, the same checks after it)
  const fast = validateNetworkShape(raw, source);
  if (fast) return fast;
  const parsed = networkSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success)
    throw new ModelError(formatZodError(parsed.error, describeNetworkPath(raw), networkHint), source);
  return networkFromShape(parsed.data, raw, source);
}

// The schema's output is the shape networkModel.ts checks by hand: a change of one without the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesShape: Same<z.output<typeof networkSchema>, NetworkShape> = true;
void schemaMatchesShape;
