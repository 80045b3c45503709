/**
 * Network models without the schema library: the typed NetworkModel the engines consume, its entry check
 * (checkNetworkModel), and validation of plain data whose shape is already right. network.ts adds the zod schema
 * (the file format, and the messages for a wrong shape); this file loads no schema library, so that the engines and
 * `ness solve` on a well-formed file do not pay for it (about 50 ms of imports per process).
 */
import { hasControlCharacters, ModelError } from "../errors.js";
import { MAX_SITES, nameProblem, valueProblem, VALUE_MAX, type ValueRule } from "./limits.js";
import { describeValue, isPlainRecord, mappingEntries } from "./raw.js";

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
  /** Where the model came from (a file name), for messages. */
  source?: string;
}

/** True when the model has no quartic terms, so the exact (Gaussian) engine applies. */
export function isLinearNetwork(m: NetworkModel): boolean {
  checkNetworkModel(m, "isLinearNetwork");
  return m.springs.every((s) => s.quartic === 0) && m.quarticPinning.every((c) => c === 0);
}

/** Label of spring s, as in messages: "a-b". */
export function springLabel(m: NetworkModel, s: Spring): string {
  const isSite = (k: unknown) => Number.isInteger(k) && (k as number) >= 0 && (k as number) < m.sites.length;
  if (
    m === null ||
    typeof m !== "object" ||
    !Array.isArray(m.sites) ||
    s === null ||
    typeof s !== "object" ||
    !isSite(s.i) ||
    !isSite(s.j)
  ) {
    throw new ModelError("springLabel: expected a network model and one of its springs");
  }
  return `${m.sites[s.i]}-${m.sites[s.j]}`;
}

/** A site as written in a file: a non-empty name or an integer. */
export type SiteName = string | number;

/**
 * The parsed form of a network file (what networkSchema in network.ts outputs: defaults filled in); network.ts
 * checks at compile time that the schema's output has this type.
 */
export interface NetworkShape {
  kind: "network";
  name?: string;
  description?: string;
  dynamics: "underdamped" | "overdamped";
  sites: SiteName[] | number;
  masses?: number | Record<string, number>;
  pinning?: number | Record<string, number>;
  quarticPinning?: number | Record<string, number>;
  springs: { between: [SiteName, SiteName]; stiffness: number; quartic?: number }[];
  baths: { site: SiteName; friction: number; temperature: number }[];
  layout?: Record<string, [number, number]>;
}

const NETWORK_FIELDS = new Set([
  "kind",
  "name",
  "description",
  "dynamics",
  "sites",
  "masses",
  "pinning",
  "quarticPinning",
  "springs",
  "baths",
  "layout",
]);

/** Only the keys in `allowed` (as a strict object schema demands). */
function onlyKeys(v: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k of Object.keys(v)) if (!allowed.has(k)) return false;
  return true;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isSiteName = (v: unknown): v is SiteName =>
  (typeof v === "string" && v.length > 0) || (typeof v === "number" && Number.isSafeInteger(v));
const isOptionalString = (v: unknown) => v === undefined || typeof v === "string";

function isPerSite(v: unknown): boolean {
  if (v === undefined || isNumber(v)) return true;
  if (!isPlainRecord(v)) return false;
  for (const k of Object.keys(v)) if (!isNumber(v[k])) return false;
  return true;
}

const SPRING_FIELDS = new Set(["between", "stiffness", "quartic"]);
const BATH_FIELDS = new Set(["site", "friction", "temperature"]);

/**
 * The parsed form of `raw` when it certainly has the shape networkSchema accepts (plain objects and arrays, finite
 * numbers, no unknown field), else null: the caller then runs the schema, which decides and words the message. On
 * what it accepts it gives what the schema would (the same values; defaults for dynamics and springs).
 */
export function networkShape(raw: unknown): NetworkShape | null {
  if (!isPlainRecord(raw) || raw.kind !== "network" || !onlyKeys(raw, NETWORK_FIELDS)) return null;
  if (!isOptionalString(raw.name) || !isOptionalString(raw.description)) return null;
  const dynamics = raw.dynamics === undefined ? "underdamped" : raw.dynamics; // a default for undefined only
  if (dynamics !== "underdamped" && dynamics !== "overdamped") return null;
  const sites = raw.sites;
  if (Array.isArray(sites)) {
    if (sites.length === 0) return null;
    for (let k = 0; k < sites.length; k++) if (!isSiteName(sites[k])) return null;
  } else if (!(typeof sites === "number" && Number.isSafeInteger(sites))) return null;
  if (!isPerSite(raw.masses) || !isPerSite(raw.pinning) || !isPerSite(raw.quarticPinning)) return null;
  const springs = raw.springs === undefined ? [] : raw.springs;
  if (!Array.isArray(springs)) return null;
  for (let k = 0; k < springs.length; k++) {
    const s = springs[k] as unknown;
    if (!isPlainRecord(s) || !onlyKeys(s, SPRING_FIELDS)) return null;
    const b = s.between;
    if (!Array.isArray(b) || b.length !== 2 || !isSiteName(b[0]) || !isSiteName(b[1])) return null;
    if (!isNumber(s.stiffness) || !(s.quartic === undefined || isNumber(s.quartic))) return null;
  }
  const baths = raw.baths;
  if (!Array.isArray(baths)) return null;
  for (let k = 0; k < baths.length; k++) {
    const b = baths[k] as unknown;
    if (!isPlainRecord(b) || !onlyKeys(b, BATH_FIELDS)) return null;
    if (!isSiteName(b.site) || !isNumber(b.friction) || !isNumber(b.temperature)) return null;
  }
  const layout = raw.layout;
  if (layout !== undefined) {
    if (!isPlainRecord(layout)) return null;
    for (const k of Object.keys(layout)) {
      const xy = layout[k];
      if (!Array.isArray(xy) || xy.length !== 2 || !isNumber(xy[0]) || !isNumber(xy[1])) return null;
    }
  }
  return { ...(raw as unknown as NetworkShape), dynamics, springs: springs as NetworkShape["springs"] };
}

/**
 * validateNetwork for plain data of the right shape (networkShape), without the schema library: the model, a
 * ModelError for what the shape does not show (an unknown site, a negative temperature, ...), or null when the shape
 * is not certainly right (validateNetwork in network.ts then words the message).
 */
export function validateNetworkShape(raw: unknown, source?: string): NetworkModel | null {
  const d = networkShape(raw);
  return d === null ? null : networkFromShape(d, raw, source);
}

/** The NetworkModel of parsed data `d` (the raw data beside it: mappings are read from it), or a ModelError. */
export function networkFromShape(d: NetworkShape, raw: unknown, source?: string): NetworkModel {
  const rawFields = raw as Record<string, unknown>;
  const fail = (msg: string): never => {
    throw new ModelError(msg, source);
  };
  const check = (what: string, v: unknown, rule: ValueRule) => {
    const problem = valueProblem(v, rule);
    if (problem) fail(`${what} ${problem}`);
  };

  // Sites.
  let sites: string[];
  if (typeof d.sites === "number") {
    if (d.sites < 1) fail(`the network has no sites (sites: ${d.sites}); give a count >= 1 or a list of names`);
    if (d.sites > MAX_SITES)
      fail(`sites: ${d.sites} sites is more than the ${MAX_SITES} a network may have (docs/model-format.md, Limits)`);
    sites = Array.from({ length: d.sites }, (_, k) => String(k + 1));
  } else {
    if (d.sites.length > MAX_SITES)
      fail(
        `sites: ${d.sites.length} sites is more than the ${MAX_SITES} a network may have (docs/model-format.md, Limits)`,
      );
    sites = d.sites.map(String);
  }
  const index = new Map<string, number>();
  sites.forEach((s, k) => {
    const bad = nameProblem(s);
    if (bad) fail(`sites: the name ${bad}`);
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

  // Mappings {site: value} are read from the parsed file itself: zod's record drops a key named __proto__.
  const perSiteValues = (field: string, dflt: number, rule: ValueRule): Float64Array => {
    const out = new Float64Array(n).fill(dflt);
    const value = rawFields[field];
    if (value === undefined) return out;
    if (typeof value === "number") {
      check(field, value, rule);
      return out.fill(value);
    }
    for (const [name, v] of mappingEntries(value)) {
      const k = siteIndex(name, field);
      check(`${field} of site ${name}`, v, rule);
      out[k] = v as number;
    }
    return out;
  };
  const mass = perSiteValues("masses", 1, "positive");
  const pinning = perSiteValues("pinning", 0, "nonnegative");
  const quarticPinning = perSiteValues("quarticPinning", 0, "nonnegative");

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
    check(`${label}: stiffness`, s.stiffness, "positive");
    const quartic = s.quartic ?? 0;
    check(`${label}: quartic`, quartic, "nonnegative");
    return { i, j, stiffness: s.stiffness, quartic };
  });

  // Baths.
  const bathSites = new Set<number>();
  const baths: Bath[] = d.baths.map((b) => {
    const label = `bath on ${String(b.site)}`;
    const site = siteIndex(b.site, label);
    if (bathSites.has(site)) fail(`${label}: site '${sites[site]}' has two baths; give one bath per site`);
    bathSites.add(site);
    check(`${label}: friction`, b.friction, "positive");
    check(`${label}: temperature`, b.temperature, "positive");
    return { site, friction: b.friction, temperature: b.temperature };
  });
  if (baths.length === 0)
    fail("the network has no heat bath; attach at least one (baths: [{site, friction, temperature}])");
  if (d.dynamics === "overdamped") {
    const missing = sites.filter((_, k) => !bathSites.has(k));
    if (missing.length > 0) {
      fail(
        `overdamped dynamics needs a bath on every site (its friction is the inverse mobility); no bath on ${listNames(missing)}`,
      );
    }
    if (d.masses !== undefined) fail("masses are not used by overdamped dynamics; remove the masses field");
  }

  let layout: Float64Array | undefined;
  if (d.layout !== undefined) {
    const pos = new Float64Array(2 * n).fill(NaN);
    for (const [name, xy] of mappingEntries(rawFields.layout)) {
      const k = siteIndex(name, "layout");
      if (!Array.isArray(xy) || xy.length !== 2)
        fail(`layout of site ${name}: expected [x, y], got ${describeValue(xy)}`);
      const [x, y] = xy as unknown[];
      check(`layout of site ${name}: x`, x, "real");
      check(`layout of site ${name}: y`, y, "real");
      pos[2 * k] = x as number;
      pos[2 * k + 1] = y as number;
    }
    const missing = sites.filter((_, k) => Number.isNaN(pos[2 * k]));
    if (missing.length > 0) fail(`layout: no position for ${listNames(missing)} (give every site a position, or none)`);
    layout = pos;
  }
  if (d.name !== undefined && hasControlCharacters(d.name)) fail(`name: ${nameProblem(d.name)}`);

  const model: NetworkModel = {
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
  if (source !== undefined) model.source = source;
  return model;
}

/** Up to 12 names, then "and k more". */
function listNames(names: string[]): string {
  return names.length <= 12 ? names.join(", ") : `${names.slice(0, 12).join(", ")} and ${names.length - 12} more`;
}

/** The model an engine entry point has checked and is working on (withCheckedNetwork). */
let checkedModel: NetworkModel | undefined;

/**
 * Runs `run` with `model` taken as checked: checkNetworkModel, called on it again by the helpers an entry point uses
 * (the solvability diagnosis, the components, isLinearNetwork: eight checks of every site and spring per solve), then
 * returns at once. For an entry point that has just called checkNetworkModel(model) and does not change the model;
 * synchronous `run` only (the scope ends when it returns or throws).
 */
export function withCheckedNetwork<T>(model: NetworkModel, run: () => T): T {
  const previous = checkedModel;
  checkedModel = model;
  try {
    return run();
  } finally {
    checkedModel = previous;
  }
}

/**
 * Checks that a value is a NetworkModel the engines can use, field by field (the same rules as validateNetwork),
 * and throws a ModelError naming the first problem otherwise. Every engine entry point that takes a network calls it,
 * so a hand-built or modified model (a negative temperature, a string stiffness, a particle model) is refused with a
 * message instead of giving a wrong answer or a TypeError. `where` names the entry point, e.g. "solveNetwork".
 * Cost: linear in the number of sites and springs.
 */
export function checkNetworkModel(model: unknown, where: string): asserts model is NetworkModel {
  // Checked already by the entry point running (withCheckedNetwork): the helpers it calls need not check it again.
  if (model !== undefined && model === checkedModel) return;
  const m = model as Partial<NetworkModel> | null;
  const source = typeof m?.source === "string" ? m.source : undefined;
  const fail = (msg: string): never => {
    throw new ModelError(`${where}: ${msg}`, source);
  };
  if (m === null || typeof m !== "object" || Array.isArray(m)) {
    fail(`expected a network model (from loadModel or validateNetwork), got ${describeValue(m)}`);
  }
  if (m!.kind !== "network") {
    if (m!.kind === "particles")
      fail("takes a network model; this is a particles model (simulate it with the stochastic engine)");
    fail(`expected a network model (from loadModel or validateNetwork), got kind ${describeValue(m!.kind)}`);
  }
  const net = m as NetworkModel;
  if (net.dynamics !== "underdamped" && net.dynamics !== "overdamped")
    fail(`dynamics must be "underdamped" or "overdamped", got ${describeValue(net.dynamics)}`);
  if (!Array.isArray(net.sites) || net.sites.length < 1)
    fail(`sites must be a non-empty list of names, got ${describeValue(net.sites)}`);
  const n = net.sites.length;
  if (n > MAX_SITES) fail(`${n} sites is more than the ${MAX_SITES} a network may have`);
  const names = new Set<string>();
  for (const s of net.sites) {
    if (typeof s !== "string" || s === "") fail(`every site name must be a non-empty string, got ${describeValue(s)}`);
    const bad = nameProblem(s);
    if (bad) fail(`site name ${bad}`);
    if (names.has(s)) fail(`site '${s}' is listed twice in sites`);
    names.add(s);
  }
  const rule = (what: string, v: unknown, r: ValueRule) => {
    const problem = valueProblem(v, r);
    if (problem) fail(`${what} ${problem}`);
  };
  const perSite = (field: "mass" | "pinning" | "quarticPinning", r: ValueRule) => {
    const a = net[field] as unknown;
    if (!(a instanceof Float64Array) || a.length !== n)
      fail(`${field} must be a Float64Array of ${n} numbers (one per site), got ${describeArray(a)}`);
    for (let i = 0; i < n; i++) rule(`${field} of site ${net.sites[i]}`, (a as Float64Array)[i], r);
  };
  perSite("mass", "positive");
  perSite("pinning", "nonnegative");
  perSite("quarticPinning", "nonnegative");
  if (!Array.isArray(net.springs)) fail(`springs must be a list, got ${describeValue(net.springs)}`);
  const isSite = (k: unknown): k is number => Number.isInteger(k) && (k as number) >= 0 && (k as number) < n;
  const pairs = new Set<number>();
  net.springs.forEach((s, k) => {
    if (s === null || typeof s !== "object")
      fail(`springs[${k}] must be {i, j, stiffness, quartic}, got ${describeValue(s)}`);
    if (!isSite(s.i) || !isSite(s.j))
      fail(
        `springs[${k}]: i and j must be site indices 0..${n - 1}, got ${describeValue(s.i)} and ${describeValue(s.j)}`,
      );
    if (s.i === s.j) fail(`springs[${k}]: a spring must join two different sites`);
    const label = `spring ${net.sites[s.i]}-${net.sites[s.j]}`;
    const key = Math.min(s.i, s.j) * n + Math.max(s.i, s.j);
    if (pairs.has(key)) fail(`${label}: duplicate spring`);
    pairs.add(key);
    rule(`${label}: stiffness`, s.stiffness, "positive");
    rule(`${label}: quartic`, s.quartic, "nonnegative");
  });
  if (!Array.isArray(net.baths) || net.baths.length === 0)
    fail("the network has no heat bath (baths must be a non-empty list)");
  const bathAt = new Set<number>();
  net.baths.forEach((b, k) => {
    if (b === null || typeof b !== "object")
      fail(`baths[${k}] must be {site, friction, temperature}, got ${describeValue(b)}`);
    if (!isSite(b.site)) fail(`baths[${k}]: site must be a site index 0..${n - 1}, got ${describeValue(b.site)}`);
    const label = `bath on ${net.sites[b.site]}`;
    if (bathAt.has(b.site)) fail(`${label}: the site has two baths`);
    bathAt.add(b.site);
    rule(`${label}: friction`, b.friction, "positive");
    rule(`${label}: temperature`, b.temperature, "positive");
  });
  if (net.dynamics === "overdamped" && bathAt.size !== n) {
    fail(
      `overdamped dynamics needs a bath on every site; no bath on ${listNames(net.sites.filter((_, k) => !bathAt.has(k)))}`,
    );
  }
  if (net.layout !== undefined) {
    const l = net.layout as unknown;
    if (!(l instanceof Float64Array) || l.length !== 2 * n)
      fail(`layout must be a Float64Array of ${2 * n} coordinates, got ${describeArray(l)}`);
    for (const x of l as Float64Array)
      if (!(Math.abs(x) <= VALUE_MAX))
        fail(`layout coordinates must be finite numbers within 1e50, got ${describeValue(x)}`);
  }
  for (const field of ["name", "description", "source"] as const) {
    if (net[field] !== undefined && typeof net[field] !== "string")
      fail(`${field} must be a string, got ${describeValue(net[field])}`);
  }
}

function describeArray(a: unknown): string {
  if (a instanceof Float64Array) return `a Float64Array of ${a.length}`;
  if (Array.isArray(a)) return `a list of ${a.length}`;
  return describeValue(a);
}
