/**
 * Harmonic (and weakly anharmonic) networks of oscillators with heat baths on some sites: the file format's schema
 * and its validation into a typed, index-based NetworkModel that the engines consume.
 *
 * Conventions (kB = 1): site i has mass m_i, pinning stiffness kappa_i (potential kappa_i q_i^2 / 2) and optional
 * quartic pinning (potential c_i q_i^4 / 4); a spring i-j has stiffness k_ij (potential k_ij (q_i - q_j)^2 / 2) and
 * optional quartic term c_ij (q_i - q_j)^4 / 4. A bath on site i has friction gamma_i (the force -gamma_i q_i') and
 * temperature T_i. Overdamped dynamics: gamma_i q_i' = -dU/dq_i + sqrt(2 gamma_i T_i) xi_i (friction = 1/mobility).
 */
import { z } from "zod";
import { ModelError } from "../errors.js";
import { describeValue, formatZodError } from "./raw.js";

const siteName = z.union([z.string().min(1), z.number().int()]);
const perSite = z.union([z.number(), z.record(z.string(), z.number())]);

export const springSchema = z.strictObject({
  between: z.tuple([siteName, siteName]).describe("the two sites the spring joins; flux is reported from the first to the second"),
  stiffness: z.number().describe("harmonic stiffness k_ij > 0: potential k_ij (q_i - q_j)^2 / 2"),
  quartic: z.number().optional().describe("anharmonic coefficient c_ij >= 0: potential c_ij (q_i - q_j)^4 / 4 (stochastic engine only)"),
});

export const bathSchema = z.strictObject({
  site: siteName.describe("the site the bath acts on"),
  friction: z.number().describe("friction gamma > 0: the force -gamma q' (overdamped: the inverse mobility)"),
  temperature: z.number().describe("bath temperature T > 0 (kB = 1)"),
});

export const networkSchema = z.strictObject({
  kind: z.literal("network"),
  name: z.string().optional().describe("a title for tables and figures"),
  description: z.string().optional(),
  dynamics: z.enum(["underdamped", "overdamped"]).default("underdamped")
    .describe("underdamped (Langevin with momenta) or overdamped (every site needs a bath)"),
  sites: z.union([z.array(siteName).min(1), z.number().int()])
    .describe("site names, or a count n naming the sites \"1\"..\"n\""),
  masses: perSite.optional().describe("one mass for every site, or {site: mass}; default 1"),
  pinning: perSite.optional().describe("pinning stiffness: one value for every site, or {site: stiffness}; default 0"),
  quarticPinning: perSite.optional().describe("quartic pinning c_i: potential c_i q_i^4 / 4 (stochastic engine only); default 0"),
  springs: z.array(springSchema).default([]),
  baths: z.array(bathSchema).describe("heat baths, at most one per site"),
  layout: z.record(z.string(), z.tuple([z.number(), z.number()])).optional()
    .describe("optional positions {site: [x, y]} for figures"),
});

export type NetworkInput = z.input<typeof networkSchema>;

export interface Spring {
  /** Site indices; flux is reported from i to j. */
  i: number;
  j: number;
  stiffness: number;
  quartic: number;
}

export interface Bath {
  site: number;
  friction: number;
  temperature: number;
}

export interface NetworkModel {
  kind: "network";
  name?: string;
  description?: string;
  dynamics: "underdamped" | "overdamped";
  sites: string[];
  mass: Float64Array;
  pinning: Float64Array;
  quarticPinning: Float64Array;
  springs: Spring[];
  baths: Bath[];
  /** Site positions for figures, [x0, y0, x1, y1, ...], when the file gives all of them. */
  layout?: Float64Array;
}

/** True when the model has no quartic terms, so the exact (Gaussian) engine applies. */
export function isLinearNetwork(m: NetworkModel): boolean {
  return m.springs.every((s) => s.quartic === 0) && m.quarticPinning.every((c) => c === 0);
}

/** Label of spring s, as in messages: "a-b". */
export function springLabel(m: NetworkModel, s: Spring): string {
  return `${m.sites[s.i]}-${m.sites[s.j]}`;
}

function describeNetworkPath(raw: unknown) {
  return (path: ReadonlyArray<PropertyKey>): string | undefined => {
    const r = raw as { springs?: { between?: unknown[] }[]; baths?: { site?: unknown }[] };
    if (path[0] === "springs" && typeof path[1] === "number") {
      const b = r.springs?.[path[1]]?.between;
      const rest = path.slice(2).map(String).join(".");
      const name = Array.isArray(b) && b.length === 2 ? `spring ${String(b[0])}-${String(b[1])}` : `springs[${path[1]}]`;
      return rest ? `${name} ${rest}` : name;
    }
    if (path[0] === "baths" && typeof path[1] === "number") {
      const s = r.baths?.[path[1]]?.site;
      const rest = path.slice(2).map(String).join(".");
      const name = s !== undefined ? `bath on ${String(s)}` : `baths[${path[1]}]`;
      return rest ? `${name} ${rest}` : name;
    }
    return undefined;
  };
}

/** Validates plain data (parsed YAML/JSON) into a NetworkModel, or throws a ModelError naming the field. */
export function validateNetwork(raw: unknown, source?: string): NetworkModel {
  const parsed = networkSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ModelError(formatZodError(parsed.error, describeNetworkPath(raw)), source);
  const d = parsed.data;
  const fail = (msg: string): never => {
    throw new ModelError(msg, source);
  };
  const positive = (what: string, v: number, allowZero = false) => {
    if (!Number.isFinite(v)) fail(`${what} must be a finite number, got ${describeValue(v)}`);
    if (allowZero ? v < 0 : v <= 0) fail(`${what} must be ${allowZero ? ">= 0" : "> 0"}, got ${v}`);
  };

  // Sites.
  let sites: string[];
  if (typeof d.sites === "number") {
    if (d.sites < 1) fail(`the network has no sites (sites: ${d.sites}); give a count >= 1 or a list of names`);
    sites = Array.from({ length: d.sites }, (_, k) => String(k + 1));
  } else {
    sites = d.sites.map(String);
  }
  const index = new Map<string, number>();
  sites.forEach((s, k) => {
    if (index.has(s)) fail(`site '${s}' is listed twice in sites`);
    index.set(s, k);
  });
  const n = sites.length;
  const known = sites.length <= 12 ? sites.join(", ") : `${sites.slice(0, 12).join(", ")}, ...`;
  const siteIndex = (name: string | number, where: string): number => {
    const k = index.get(String(name));
    if (k === undefined) fail(`${where}: unknown site '${String(name)}' (sites are ${known})`);
    return k!;
  };

  const perSiteValues = (field: string, value: number | Record<string, number> | undefined, dflt: number,
    check: (what: string, v: number) => void): Float64Array => {
    const out = new Float64Array(n).fill(dflt);
    if (value === undefined) return out;
    if (typeof value === "number") {
      check(field, value);
      return out.fill(value);
    }
    for (const [name, v] of Object.entries(value)) {
      const k = siteIndex(name, field);
      check(`${field} of site ${name}`, v);
      out[k] = v;
    }
    return out;
  };
  const mass = perSiteValues("masses", d.masses, 1, (w, v) => positive(w, v));
  const pinning = perSiteValues("pinning", d.pinning, 0, (w, v) => positive(w, v, true));
  const quarticPinning = perSiteValues("quarticPinning", d.quarticPinning, 0, (w, v) => positive(w, v, true));

  // Springs.
  const seen = new Map<string, string>();
  const springs: Spring[] = d.springs.map((s, k) => {
    const label = `spring ${String(s.between[0])}-${String(s.between[1])}`;
    const i = siteIndex(s.between[0], label);
    const j = siteIndex(s.between[1], label);
    if (i === j) fail(`${label}: a spring must join two different sites`);
    const key = i < j ? `${i},${j}` : `${j},${i}`;
    if (seen.has(key)) fail(`${label}: duplicate spring (springs[${k}] joins the same sites as ${seen.get(key)})`);
    seen.set(key, `springs[${k}]`);
    positive(`${label}: stiffness`, s.stiffness);
    const quartic = s.quartic ?? 0;
    positive(`${label}: quartic`, quartic, true);
    return { i, j, stiffness: s.stiffness, quartic };
  });

  // Baths.
  const bathSites = new Set<number>();
  const baths: Bath[] = d.baths.map((b) => {
    const label = `bath on ${String(b.site)}`;
    const site = siteIndex(b.site, label);
    if (bathSites.has(site)) fail(`${label}: site '${sites[site]}' has two baths; give one bath per site`);
    bathSites.add(site);
    positive(`${label}: friction`, b.friction);
    positive(`${label}: temperature`, b.temperature);
    return { site, friction: b.friction, temperature: b.temperature };
  });
  if (baths.length === 0) fail("the network has no heat bath; attach at least one (baths: [{site, friction, temperature}])");
  if (d.dynamics === "overdamped") {
    const missing = sites.filter((_, k) => !bathSites.has(k));
    if (missing.length > 0) {
      fail(`overdamped dynamics needs a bath on every site (its friction is the inverse mobility); no bath on ${missing.join(", ")}`);
    }
    if (d.masses !== undefined) fail("masses are not used by overdamped dynamics; remove the masses field");
  }

  let layout: Float64Array | undefined;
  if (d.layout !== undefined) {
    const pos = new Float64Array(2 * n).fill(NaN);
    for (const [name, [x, y]] of Object.entries(d.layout)) {
      const k = siteIndex(name, "layout");
      if (!Number.isFinite(x) || !Number.isFinite(y)) fail(`layout of site ${name}: coordinates must be finite`);
      pos[2 * k] = x;
      pos[2 * k + 1] = y;
    }
    const missing = sites.filter((_, k) => Number.isNaN(pos[2 * k]));
    if (missing.length > 0) fail(`layout: no position for ${missing.join(", ")} (give every site a position, or none)`);
    layout = pos;
  }

  return {
    kind: "network",
    name: d.name,
    description: d.description,
    dynamics: d.dynamics,
    sites,
    mass,
    pinning,
    quarticPinning,
    springs,
    baths,
    layout,
  };
}
