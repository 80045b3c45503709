/**
 * Particle models without the schema library: the typed ParticlesModel the engines consume, its entry check
 * (checkParticlesModel), and the validation of plain data whose shape is already right (particlesShape, then
 * particlesFromShape: the checks after the schema). particles.ts adds the zod schema (the file format, and the
 * messages for a wrong shape); this file loads no schema library, so that the engines and `ness simulate` on a
 * well-formed file do not pay for it (about 50-60 ms of imports per process; networkModel.ts does the same for
 * networks). The conventions and potentials are described in particles.ts.
 */
import { hasControlCharacters, ModelError } from "../errors.js";
import { MAX_PARTICLES, nameProblem, valueProblem, type ValueRule } from "./limits.js";
import { describeValue, isPlainRecord } from "./raw.js";

export interface Species {
  name: string;
  count: number;
  temperature: number;
  friction: number;
  mass: number;
}

export type PairPotential =
  | { potential: "soft"; stiffness: number; range: number }
  | { potential: "harmonic"; stiffness: number; length: number }
  | { potential: "wca"; epsilon: number; sigma: number };

export interface PairRule {
  /** Species indices, a <= b. */
  a: number;
  b: number;
  pair: PairPotential;
}

export type BondPotential =
  | { potential: "harmonic"; stiffness: number; length: number }
  | { potential: "fene"; stiffness: number; maxLength: number };

/** One bond between particles a and b (a != b; particle indices). */
export interface Bond {
  a: number;
  b: number;
  bond: BondPotential;
}

export type ExternalPotential =
  | { potential: "harmonic"; stiffness: number; center: Float64Array; species: number[] }
  | { potential: "cosine"; amplitude: number; period: number; axis: number; phase: number; species: number[] }
  | { potential: "sawtooth"; amplitude: number; period: number; axis: number; asymmetry: number; species: number[] };

export interface ParticlesModel {
  kind: "particles";
  name?: string;
  description?: string;
  dynamics: "overdamped" | "underdamped";
  dimension: 1 | 2 | 3;
  /** Periodic box lengths per axis, or null for open space. */
  box: Float64Array | null;
  species: Species[];
  /** Species index of every particle (particles are numbered species by species). */
  speciesOf: Int32Array;
  pairs: PairRule[];
  external: ExternalPotential[];
  /** Bonds between given particles (absent or empty: none); their forces add to the pair and external ones. */
  bonds?: Bond[];
  /** "lattice", "random" or positions (N x dimension, row-major). */
  initial: "lattice" | "random" | Float64Array;
  /** Where the model came from (a file name), for messages. */
  source?: string;
}

/** Total number of particles. */
export function particleCount(m: ParticlesModel): number {
  checkParticlesModel(m, "particleCount");
  return m.speciesOf.length;
}

/** Cutoff of a pair potential (Infinity for harmonic). */
export function pairCutoff(p: PairPotential): number {
  switch (p?.potential) {
    case "soft":
      return p.range;
    case "wca":
      return 2 ** (1 / 6) * p.sigma;
    case "harmonic":
      return Infinity;
    default:
      throw new ModelError(`pairCutoff: expected a pair potential (soft, harmonic or wca), got ${describeValue(p)}`);
  }
}

const AXES = ["x", "y", "z"];

/**
 * The parsed form of a particles file (what particlesSchema in particles.ts outputs: defaults filled in); particles.ts
 * checks at compile time that the schema's output has this type.
 */
export interface ParticlesShape {
  kind: "particles";
  name?: string;
  description?: string;
  dynamics: "overdamped" | "underdamped";
  dimension: number;
  box?: number | number[];
  species: { name: string; count: number; temperature: number; friction?: number; mass?: number }[];
  pairs: {
    between?: [string, string];
    potential: "soft" | "harmonic" | "wca";
    stiffness?: number;
    range?: number;
    length?: number;
    epsilon?: number;
    sigma?: number;
  }[];
  external: {
    potential: "harmonic" | "cosine" | "sawtooth";
    species?: string[];
    stiffness?: number;
    center?: number[];
    amplitude?: number;
    period?: number;
    axis?: "x" | "y" | "z";
    phase?: number;
    asymmetry?: number;
  }[];
  bonds: { potential: "harmonic" | "fene"; path: number[]; stiffness: number; length?: number; maxLength?: number }[];
  initial?: "lattice" | "random" | number[][];
}

/** A plain record with only the keys in `allowed` (as a strict object schema demands), else null. */
function strictRecord(v: unknown, allowed: ReadonlySet<string>): Record<string, unknown> | null {
  if (!isPlainRecord(v)) return null;
  for (const k of Object.keys(v)) if (!allowed.has(k)) return null;
  return v;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isString = (v: unknown): v is string => typeof v === "string";
const optional = (v: unknown, is: (x: unknown) => boolean) => v === undefined || is(v);
/** A list (of any length) whose every element passes `is`. */
const isListOf = (v: unknown, is: (x: unknown) => boolean): v is unknown[] => {
  if (!Array.isArray(v)) return false;
  for (let k = 0; k < v.length; k++) if (!is(v[k])) return false;
  return true;
};

const PARTICLES_FIELDS = new Set([
  "kind",
  "name",
  "description",
  "dynamics",
  "dimension",
  "box",
  "species",
  "pairs",
  "external",
  "bonds",
  "initial",
]);
const SPECIES_FIELDS = new Set(["name", "count", "temperature", "friction", "mass"]);
const PAIR_FIELDS = new Set(["between", "potential", "stiffness", "range", "length", "epsilon", "sigma"]);
const EXTERNAL_FIELDS = new Set([
  "potential",
  "species",
  "stiffness",
  "center",
  "amplitude",
  "period",
  "axis",
  "phase",
  "asymmetry",
]);
const BOND_FIELDS = new Set(["potential", "path", "stiffness", "length", "maxLength"]);

function isSpeciesShape(v: unknown): boolean {
  const s = strictRecord(v, SPECIES_FIELDS);
  return (
    s !== null &&
    isString(s.name) &&
    s.name.length > 0 &&
    isInteger(s.count) &&
    isNumber(s.temperature) &&
    optional(s.friction, isNumber) &&
    optional(s.mass, isNumber)
  );
}

function isPairShape(v: unknown): boolean {
  const p = strictRecord(v, PAIR_FIELDS);
  if (p === null) return false;
  const b = p.between;
  if (b !== undefined && !(Array.isArray(b) && b.length === 2 && isString(b[0]) && isString(b[1]))) return false;
  if (p.potential !== "soft" && p.potential !== "harmonic" && p.potential !== "wca") return false;
  for (const k of ["stiffness", "range", "length", "epsilon", "sigma"]) if (!optional(p[k], isNumber)) return false;
  return true;
}

function isExternalShape(v: unknown): boolean {
  const e = strictRecord(v, EXTERNAL_FIELDS);
  if (e === null) return false;
  if (e.potential !== "harmonic" && e.potential !== "cosine" && e.potential !== "sawtooth") return false;
  if (!optional(e.species, (x) => isListOf(x, isString))) return false;
  if (!optional(e.center, (x) => isListOf(x, isNumber))) return false;
  if (!(e.axis === undefined || e.axis === "x" || e.axis === "y" || e.axis === "z")) return false;
  for (const k of ["stiffness", "amplitude", "period", "phase", "asymmetry"])
    if (!optional(e[k], isNumber)) return false;
  return true;
}

function isBondShape(v: unknown): boolean {
  const b = strictRecord(v, BOND_FIELDS);
  if (b === null) return false;
  if (b.potential !== "harmonic" && b.potential !== "fene") return false;
  if (!isListOf(b.path, isInteger) || b.path.length < 2) return false;
  return isNumber(b.stiffness) && optional(b.length, isNumber) && optional(b.maxLength, isNumber);
}

/**
 * The parsed form of `raw` when it certainly has the shape particlesSchema accepts (plain objects and arrays, finite
 * numbers, safe integers where the schema wants integers, no unknown field), else null: the caller then runs the
 * schema, which decides and words the message. On what it accepts it gives what the schema would (the same values;
 * the defaults of dynamics, pairs, external and bonds).
 */
export function particlesShape(raw: unknown): ParticlesShape | null {
  const r = strictRecord(raw, PARTICLES_FIELDS);
  if (r === null || r.kind !== "particles") return null;
  if (!optional(r.name, isString) || !optional(r.description, isString)) return null;
  const dynamics = r.dynamics === undefined ? "overdamped" : r.dynamics; // a default for undefined only
  if (dynamics !== "overdamped" && dynamics !== "underdamped") return null;
  if (!isInteger(r.dimension)) return null;
  if (!optional(r.box, (x) => isNumber(x) || isListOf(x, isNumber))) return null;
  if (!isListOf(r.species, isSpeciesShape) || r.species.length === 0) return null;
  const pairs = r.pairs === undefined ? [] : r.pairs;
  const external = r.external === undefined ? [] : r.external;
  const bonds = r.bonds === undefined ? [] : r.bonds;
  if (!isListOf(pairs, isPairShape) || !isListOf(external, isExternalShape) || !isListOf(bonds, isBondShape))
    return null;
  const initial = r.initial;
  if (!(
    initial === undefined ||
    initial === "lattice" ||
    initial === "random" ||
    isListOf(initial, (row) => isListOf(row, isNumber))
  ))
    return null;
  return { ...(r as unknown as ParticlesShape), dynamics, pairs, external, bonds } as ParticlesShape;
}

/**
 * validateParticles for plain data of the right shape (particlesShape), without the schema library: the model, a
 * ModelError for what the shape does not show (an unknown species, a negative temperature, ...), or null when the
 * shape is not certainly right (validateParticles in particles.ts then words the message).
 */
export function validateParticlesShape(raw: unknown, source?: string): ParticlesModel | null {
  const d = particlesShape(raw);
  return d === null ? null : particlesFromShape(d, source);
}

/** The ParticlesModel of parsed data `d` (particlesShape's or the schema's output), or a ModelError naming the field. */
export function particlesFromShape(d: ParticlesShape, source?: string): ParticlesModel {
  const fail = (msg: string): never => {
    throw new ModelError(msg, source);
  };
  const value = (what: string, v: number | undefined, rule: ValueRule): number => {
    if (v === undefined) return fail(`${what} is missing`);
    const problem = valueProblem(v, rule);
    if (problem) fail(`${what} ${problem}`);
    return v;
  };
  const positive = (what: string, v: number | undefined, allowZero = false): number =>
    value(what, v, allowZero ? "nonnegative" : "positive");
  if (d.dimension !== 1 && d.dimension !== 2 && d.dimension !== 3)
    fail(`dimension must be 1, 2 or 3, got ${d.dimension}`);
  const dim = d.dimension as 1 | 2 | 3;

  let box: Float64Array | null = null;
  if (d.box !== undefined) {
    const lengths = typeof d.box === "number" ? new Array(dim).fill(d.box) : d.box;
    if (lengths.length !== dim) fail(`box has ${lengths.length} lengths but dimension is ${dim}`);
    lengths.forEach((L: number, k: number) => positive(`box length along ${AXES[k]}`, L));
    box = Float64Array.from(lengths);
  }

  const names = new Map<string, number>();
  let total = 0;
  const species: Species[] = d.species.map((s, k) => {
    const bad = nameProblem(s.name);
    if (bad) fail(`species[${k}]: the name ${bad}`);
    if (names.has(s.name)) fail(`species '${s.name}' is listed twice`);
    names.set(s.name, k);
    if (s.count < 1) fail(`species ${s.name}: count must be >= 1, got ${s.count}`);
    total += s.count;
    if (total > MAX_PARTICLES)
      fail(
        `species ${s.name}: count ${s.count} brings the model to ${total} particles, more than the ${MAX_PARTICLES} a model may have (docs/model-format.md, Limits)`,
      );
    if (d.dynamics === "overdamped" && s.mass !== undefined)
      fail(`species ${s.name}: mass is not used by overdamped dynamics; remove it`);
    return {
      name: s.name,
      count: s.count,
      temperature: positive(`species ${s.name}: temperature`, s.temperature),
      friction: s.friction === undefined ? 1 : positive(`species ${s.name}: friction`, s.friction),
      mass: s.mass === undefined ? 1 : positive(`species ${s.name}: mass`, s.mass),
    };
  });
  const known = [...names.keys()].join(", ");
  const speciesIndex = (name: string, where: string): number => {
    const k = names.get(name);
    if (k === undefined) fail(`${where}: unknown species '${name}' (species are ${known})`);
    return k!;
  };
  const speciesOf = new Int32Array(total);
  let at = 0;
  species.forEach((s, k) => {
    speciesOf.fill(k, at, at + s.count);
    at += s.count;
  });

  const pairs: PairRule[] = [];
  const taken = new Map<string, number>();
  const allowed = new Map<string, string[]>([
    ["soft", ["stiffness", "range"]],
    ["harmonic", ["stiffness", "length"]],
    ["wca", ["epsilon", "sigma"]],
  ]);
  d.pairs.forEach((p, idx) => {
    const where = `pairs[${idx}] (${p.potential})`;
    const takes = allowed.get(p.potential)!;
    for (const key of ["stiffness", "range", "length", "epsilon", "sigma"] as const) {
      if (p[key] !== undefined && !takes.includes(key))
        fail(`${where}: '${key}' does not apply to the ${p.potential} potential (it takes ${takes.join(", ")})`);
    }
    let pair: PairPotential;
    if (p.potential === "soft")
      pair = {
        potential: "soft",
        stiffness: positive(`${where}: stiffness`, p.stiffness),
        range: positive(`${where}: range`, p.range),
      };
    else if (p.potential === "harmonic") {
      if (box)
        fail(
          `${where}: a harmonic pair potential acts at every distance and has no periodic image; use it in open space (remove box) or use soft`,
        );
      pair = {
        potential: "harmonic",
        stiffness: positive(`${where}: stiffness`, p.stiffness),
        length: p.length === undefined ? 0 : positive(`${where}: length`, p.length, true),
      };
    } else
      pair = {
        potential: "wca",
        epsilon: positive(`${where}: epsilon`, p.epsilon),
        sigma: positive(`${where}: sigma`, p.sigma),
      };
    const combos: [number, number][] = [];
    if (p.between) {
      const a = speciesIndex(p.between[0], where),
        b = speciesIndex(p.between[1], where);
      combos.push(a <= b ? [a, b] : [b, a]);
    } else {
      for (let a = 0; a < species.length; a++) for (let b = a; b < species.length; b++) combos.push([a, b]);
    }
    for (const [a, b] of combos) {
      const key = `${a},${b}`;
      if (taken.has(key))
        fail(
          `${where}: species ${species[a].name}-${species[b].name} already interact through pairs[${taken.get(key)}]; give one pair potential per species pair`,
        );
      taken.set(key, idx);
      pairs.push({ a, b, pair });
    }
  });
  if (box) {
    for (const r of pairs) {
      const cut = pairCutoff(r.pair);
      for (let k = 0; k < dim; k++) {
        if (2 * cut > box[k])
          fail(
            `the ${r.pair.potential} potential's range ${Number(cut.toPrecision(4))} is more than half the box length ${box[k]} along ${AXES[k]}`,
          );
      }
    }
  } else if (pairs.length > 0 && total > OPEN_SPACE_MAX_PARTICLES) {
    fail(
      `${total} particles in open space: pair interactions are summed over all pairs without a box (at most ${OPEN_SPACE_MAX_PARTICLES}); give a periodic box`,
    );
  }

  const allSpecies = species.map((_, k) => k);
  const external: ExternalPotential[] = d.external.map((e, idx) => {
    const where = `external[${idx}] (${e.potential})`;
    const sp = e.species ? e.species.map((n) => speciesIndex(n, where)) : allSpecies;
    const axis = AXES.indexOf(e.axis ?? "x");
    if (axis >= dim) fail(`${where}: axis ${e.axis} does not exist in dimension ${dim}`);
    if (e.potential === "harmonic") {
      const center = new Float64Array(dim);
      if (e.center) {
        if (e.center.length !== dim)
          fail(`${where}: center has ${e.center.length} coordinates but dimension is ${dim}`);
        e.center.forEach((c, k) => value(`${where}: center ${AXES[k]}`, c, "real"));
        center.set(e.center);
      }
      return { potential: "harmonic", stiffness: positive(`${where}: stiffness`, e.stiffness), center, species: sp };
    }
    const period = positive(`${where}: period`, e.period);
    if (box) {
      const ratio = box[axis] / period;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9 * ratio)
        fail(
          `${where}: the period ${period} must divide the box length ${box[axis]} along ${AXES[axis]} (the potential must be periodic in the box)`,
        );
    }
    const amplitude = value(`${where}: amplitude`, e.amplitude, "real");
    if (e.potential === "cosine")
      return {
        potential: "cosine",
        amplitude,
        period,
        axis,
        phase: e.phase === undefined ? 0 : value(`${where}: phase`, e.phase, "real"),
        species: sp,
      };
    const asymmetry = e.asymmetry ?? 0.8;
    if (!(asymmetry > 0 && asymmetry < 1))
      fail(`${where}: asymmetry must lie strictly between 0 and 1, got ${describeValue(asymmetry)}`);
    value(`${where}: asymmetry`, asymmetry, "positive");
    value(`${where}: 1 - asymmetry`, 1 - asymmetry, "positive");
    return { potential: "sawtooth", amplitude, period, axis, asymmetry, species: sp };
  });

  let initial: ParticlesModel["initial"] = "lattice";
  if (Array.isArray(d.initial)) {
    if (d.initial.length !== total) fail(`initial: ${d.initial.length} positions given for ${total} particles`);
    const pos = new Float64Array(total * dim);
    d.initial.forEach((r, a) => {
      if (r.length !== dim) fail(`initial[${a}]: ${r.length} coordinates, expected ${dim}`);
      r.forEach((v, k) => {
        value(`initial[${a}] ${AXES[k]}`, v, "real");
        pos[a * dim + k] = v;
      });
    });
    initial = pos;
  } else if (d.initial) initial = d.initial;
  if (!box && initial === "random") fail("initial: random positions need a periodic box");
  const bonds: Bond[] = [];
  const bonded = new Set<string>();
  d.bonds.forEach((b, idx) => {
    const where = `bonds[${idx}] (${b.potential})`;
    if (b.potential === "harmonic" && b.maxLength !== undefined)
      fail(`${where}: 'maxLength' does not apply to a harmonic bond (it takes stiffness, length)`);
    if (b.potential === "fene" && b.length !== undefined)
      fail(`${where}: 'length' does not apply to a FENE bond (it takes stiffness, maxLength)`);
    const stiffness = positive(`${where}: stiffness`, b.stiffness);
    const bond: BondPotential =
      b.potential === "harmonic"
        ? {
            potential: "harmonic",
            stiffness,
            length: b.length === undefined ? 0 : positive(`${where}: length`, b.length, true),
          }
        : { potential: "fene", stiffness, maxLength: positive(`${where}: maxLength`, b.maxLength) };
    if (box && bond.potential === "fene")
      for (let k = 0; k < dim; k++)
        if (2 * bond.maxLength > box[k])
          fail(`${where}: maxLength ${bond.maxLength} is more than half the box length ${box[k]} along ${AXES[k]}`);
    b.path.forEach((i, j) => {
      if (i < 0 || i >= total) fail(`${where}: path[${j}] = ${i} is not a particle index (0 to ${total - 1})`);
    });
    for (let j = 0; j + 1 < b.path.length; j++) {
      const a = b.path[j],
        c = b.path[j + 1];
      if (a === c) fail(`${where}: path[${j}] and path[${j + 1}] are the same particle ${a}`);
      const key = a < c ? `${a},${c}` : `${c},${a}`;
      if (bonded.has(key)) fail(`${where}: particles ${a} and ${c} are bonded twice`);
      bonded.add(key);
      bonds.push({ a, b: c, bond });
    }
  });
  if (bonds.some((b) => b.bond.potential === "fene")) {
    if (!(initial instanceof Float64Array))
      fail(
        "bonds: FENE bonds need initial positions (initial: one [x, y, z] per particle) with every bond shorter than maxLength",
      );
    for (const b of bonds) {
      if (b.bond.potential !== "fene") continue;
      let q = 0;
      for (let k = 0; k < dim; k++) {
        let v = (initial as Float64Array)[b.a * dim + k] - (initial as Float64Array)[b.b * dim + k];
        if (box) v -= box[k] * Math.round(v / box[k]);
        q += v * v;
      }
      if (!(Math.sqrt(q) < b.bond.maxLength))
        fail(
          `initial: particles ${b.a} and ${b.b} are ${Number(Math.sqrt(q).toPrecision(4))} apart, not shorter than their FENE bond's maxLength ${b.bond.maxLength}`,
        );
    }
  }
  if (d.name !== undefined && hasControlCharacters(d.name)) fail(`name: ${nameProblem(d.name)}`);

  const model: ParticlesModel = {
    kind: "particles",
    name: d.name,
    description: d.description,
    dynamics: d.dynamics,
    dimension: dim,
    box,
    species,
    speciesOf,
    pairs,
    external,
    initial,
  };
  if (bonds.length > 0) model.bonds = bonds;
  if (source !== undefined) model.source = source;
  return model;
}

/** Most particles in open space with pair interactions (all N^2 / 2 pairs are summed at every step). */
export const OPEN_SPACE_MAX_PARTICLES = 2000;

/**
 * Checks that a value is a ParticlesModel the engines can use (the rules of validateParticles, on the typed form),
 * and throws a ModelError naming the first problem otherwise. `where` names the entry point. Linear in the number of
 * particles.
 */
export function checkParticlesModel(model: unknown, where: string): asserts model is ParticlesModel {
  const m = model as Partial<ParticlesModel> | null;
  const source = typeof m?.source === "string" ? m.source : undefined;
  const fail = (msg: string): never => {
    throw new ModelError(`${where}: ${msg}`, source);
  };
  if (m === null || typeof m !== "object" || Array.isArray(m))
    fail(`expected a particles model (from loadModel or validateParticles), got ${describeValue(m)}`);
  if (m!.kind !== "particles") {
    if (m!.kind === "network") fail("takes a particles model; this is a network model");
    fail(`expected a particles model (from loadModel or validateParticles), got kind ${describeValue(m!.kind)}`);
  }
  const p = m as ParticlesModel;
  const rule = (what: string, v: unknown, r: ValueRule) => {
    const problem = valueProblem(v, r);
    if (problem) fail(`${what} ${problem}`);
  };
  if (p.dynamics !== "overdamped" && p.dynamics !== "underdamped")
    fail(`dynamics must be "overdamped" or "underdamped", got ${describeValue(p.dynamics)}`);
  if (p.dimension !== 1 && p.dimension !== 2 && p.dimension !== 3)
    fail(`dimension must be 1, 2 or 3, got ${describeValue(p.dimension)}`);
  const dim = p.dimension;
  if (p.box !== null) {
    if (!(p.box instanceof Float64Array) || p.box.length !== dim)
      fail(`box must be null (open space) or a Float64Array of ${dim} lengths`);
    p.box!.forEach((L, k) => rule(`box length along ${AXES[k]}`, L, "positive"));
  }
  if (!Array.isArray(p.species) || p.species.length === 0) fail("species must be a non-empty list");
  const names = new Set<string>();
  let total = 0;
  p.species.forEach((s, k) => {
    if (s === null || typeof s !== "object") fail(`species[${k}] must be {name, count, temperature, friction, mass}`);
    if (typeof s.name !== "string" || s.name === "")
      fail(`species[${k}]: name must be a non-empty string, got ${describeValue(s.name)}`);
    const bad = nameProblem(s.name);
    if (bad) fail(`species[${k}]: the name ${bad}`);
    if (names.has(s.name)) fail(`species '${s.name}' is listed twice`);
    names.add(s.name);
    if (!Number.isSafeInteger(s.count) || s.count < 1)
      fail(`species ${s.name}: count must be an integer >= 1, got ${describeValue(s.count)}`);
    total += s.count;
    rule(`species ${s.name}: temperature`, s.temperature, "positive");
    rule(`species ${s.name}: friction`, s.friction, "positive");
    rule(`species ${s.name}: mass`, s.mass, "positive");
  });
  if (total > MAX_PARTICLES) fail(`${total} particles is more than the ${MAX_PARTICLES} a model may have`);
  const S = p.species.length;
  const isSpecies = (k: unknown): k is number => Number.isInteger(k) && (k as number) >= 0 && (k as number) < S;
  if (!(p.speciesOf instanceof Int32Array) || p.speciesOf.length !== total)
    fail(`speciesOf must be an Int32Array of ${total} species indices (one per particle)`);
  let at = 0;
  p.species.forEach((s, k) => {
    for (let a = at; a < at + s.count; a++)
      if (p.speciesOf[a] !== k) fail("speciesOf must number the particles species by species, in the order of species");
    at += s.count;
  });
  if (!Array.isArray(p.pairs)) fail("pairs must be a list");
  const taken = new Set<number>();
  p.pairs.forEach((r, k) => {
    if (r === null || typeof r !== "object" || !isSpecies(r.a) || !isSpecies(r.b) || r.a > r.b)
      fail(`pairs[${k}] must be {a, b, pair} with species indices a <= b`);
    if (taken.has(r.a * S + r.b))
      fail(`pairs[${k}]: species ${p.species[r.a].name}-${p.species[r.b].name} have two pair potentials`);
    taken.add(r.a * S + r.b);
    const w = `pairs[${k}] (${p.species[r.a].name}-${p.species[r.b].name})`;
    const q = r.pair as PairPotential | undefined;
    if (q?.potential === "soft") {
      rule(`${w}: stiffness`, q.stiffness, "positive");
      rule(`${w}: range`, q.range, "positive");
    } else if (q?.potential === "harmonic") {
      if (p.box) fail(`${w}: a harmonic pair potential needs open space (box null)`);
      rule(`${w}: stiffness`, q.stiffness, "positive");
      rule(`${w}: length`, q.length, "nonnegative");
    } else if (q?.potential === "wca") {
      rule(`${w}: epsilon`, q.epsilon, "positive");
      rule(`${w}: sigma`, q.sigma, "positive");
    } else
      fail(
        `${w}: pair.potential must be soft, harmonic or wca, got ${describeValue((q as { potential?: unknown } | undefined)?.potential)}`,
      );
    if (p.box) {
      const cut = pairCutoff(q!);
      for (let ax = 0; ax < dim; ax++)
        if (2 * cut > p.box[ax])
          fail(`${w}: the range ${Number(cut.toPrecision(4))} is more than half the box length along ${AXES[ax]}`);
    }
  });
  if (!p.box && p.pairs.length > 0 && total > OPEN_SPACE_MAX_PARTICLES)
    fail(
      `${total} particles in open space with pair interactions (at most ${OPEN_SPACE_MAX_PARTICLES}); give a periodic box`,
    );
  if (!Array.isArray(p.external)) fail("external must be a list");
  p.external.forEach((e, k) => {
    const w = `external[${k}]`;
    if (e === null || typeof e !== "object") fail(`${w} must be an external potential`);
    if (!Array.isArray(e.species) || !e.species.every(isSpecies))
      fail(`${w}: species must be a list of species indices`);
    if (e.potential === "harmonic") {
      rule(`${w} (harmonic): stiffness`, e.stiffness, "positive");
      if (!(e.center instanceof Float64Array) || e.center.length !== dim)
        fail(`${w} (harmonic): center must be a Float64Array of ${dim} coordinates`);
      e.center.forEach((c) => rule(`${w} (harmonic): center`, c, "real"));
    } else if (e.potential === "cosine" || e.potential === "sawtooth") {
      rule(`${w} (${e.potential}): amplitude`, e.amplitude, "real");
      rule(`${w} (${e.potential}): period`, e.period, "positive");
      if (!Number.isInteger(e.axis) || e.axis < 0 || e.axis >= dim)
        fail(`${w} (${e.potential}): axis must be an index 0..${dim - 1}, got ${describeValue(e.axis)}`);
      if (p.box) {
        const ratio = p.box[e.axis] / e.period;
        if (Math.abs(ratio - Math.round(ratio)) > 1e-9 * ratio)
          fail(`${w} (${e.potential}): the period must divide the box length along ${AXES[e.axis]}`);
      }
      if (e.potential === "cosine") rule(`${w} (cosine): phase`, e.phase, "real");
      else {
        rule(`${w} (sawtooth): asymmetry`, e.asymmetry, "positive");
        if (!(e.asymmetry < 1))
          fail(`${w} (sawtooth): asymmetry must lie strictly between 0 and 1, got ${describeValue(e.asymmetry)}`);
        rule(`${w} (sawtooth): 1 - asymmetry`, 1 - e.asymmetry, "positive");
      }
    } else
      fail(
        `${w}: potential must be harmonic, cosine or sawtooth, got ${describeValue((e as unknown as { potential?: unknown }).potential)}`,
      );
  });
  if (p.bonds !== undefined) {
    if (!Array.isArray(p.bonds)) fail("bonds must be a list (or absent)");
    p.bonds.forEach((b, k) => {
      const w = `bonds[${k}]`;
      if (b === null || typeof b !== "object") fail(`${w} must be {a, b, bond}`);
      if (
        !Number.isInteger(b.a) ||
        !Number.isInteger(b.b) ||
        b.a < 0 ||
        b.b < 0 ||
        b.a >= total ||
        b.b >= total ||
        b.a === b.b
      )
        fail(`${w}: a and b must be two different particle indices below ${total}`);
      const q = b.bond as BondPotential | undefined;
      if (q?.potential === "harmonic") {
        rule(`${w} (harmonic): stiffness`, q.stiffness, "positive");
        rule(`${w} (harmonic): length`, q.length, "nonnegative");
      } else if (q?.potential === "fene") {
        rule(`${w} (fene): stiffness`, q.stiffness, "positive");
        rule(`${w} (fene): maxLength`, q.maxLength, "positive");
      } else
        fail(
          `${w}: bond.potential must be harmonic or fene, got ${describeValue((q as { potential?: unknown } | undefined)?.potential)}`,
        );
    });
  }
  if (p.initial instanceof Float64Array) {
    if (p.initial.length !== total * dim)
      fail(`initial must hold ${total * dim} coordinates (${total} particles x ${dim}), got ${p.initial.length}`);
    for (const x of p.initial) rule("initial coordinates", x, "real");
  } else if (p.initial === "random") {
    if (!p.box) fail("initial: random positions need a periodic box");
  } else if (p.initial !== "lattice")
    fail(`initial must be "lattice", "random" or a Float64Array of positions, got ${describeValue(p.initial)}`);
  for (const field of ["name", "description", "source"] as const) {
    if (p[field] !== undefined && typeof p[field] !== "string")
      fail(`${field} must be a string, got ${describeValue(p[field])}`);
  }
}
