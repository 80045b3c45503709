/**
 * Builds the live objects a simulation runs on from a Langevin problem (src/problem/langevin.ts, plain data): the
 * force field of the problem's force terms, each built by the builder registered under its name (ONE registry:
 * "network", "harmonic", "pairs" and "external" are built in; a study registers its own terms with
 * `registerForceTerm` in the module that defines them, which every worker imports), summed in the problem's order,
 * and the LangevinSystem the integrators take, with, for exact stepping of a linear model, its drift and diffusion
 * matrices (src/problem: networkProblem, particlesProblem).
 *
 * Summing terms costs nothing on the hot path: the first term writes the forces, the others add into the same array
 * (TermField.add), and a problem of one term is that term's field itself.
 */
import { ModelError } from "../errors.js";
import { describeValue } from "../model/raw.js";
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import { checkParticlesModel, type ParticlesModel } from "../model/particlesModel.js";
import {
  langevinProblem,
  type BondsTerm,
  type ExternalTerm,
  type ForceTerm,
  type HarmonicTerm,
  type LangevinProblem,
  type ModelLangevinProblem,
  type NetworkTerm,
  type PairsTerm,
  type ParticleSpace,
} from "../problem/langevin.js";
import { networkProblem } from "../problem/network.js";
import { particlesProblem, particleStateSize, PARTICLE_NETWORK_MAX_COORDINATES } from "../problem/particles.js";
import {
  SumForceField,
  type ForceField,
  type ForceTermBuilder,
  type TermContext,
  type TermField,
} from "./forceField.js";
import type { LangevinSystem } from "./integrators.js";
import { NetworkForceField } from "./networkForces.js";
import { ParticleForceField } from "./particleForces.js";
import { ExternalFields } from "./potentials/externalFields.js";
import { BondForces } from "./potentials/bonds.js";

// ---------------------------------------------------------------------------------------------------------------
// The force-term registry

/** `v` as a coordinate index 0..n-1 (ModelError naming `what` otherwise). */
const index = (v: unknown, n: number, what: string): number => {
  if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) >= n)
    throw new ModelError(`${what} must be a coordinate index 0..${n - 1}, got ${describeValue(v)}`);
  return v as number;
};
/** `v` as a finite number (ModelError naming `what` otherwise). */
const finite = (v: unknown, what: string): number => {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new ModelError(`${what} must be a finite number, got ${describeValue(v)}`);
  return v;
};

/** "harmonic": sparse pinnings [i, k] and springs [i, j, k] by coordinate index. */
function harmonicField(raw: ForceTerm, { dof }: TermContext): TermField {
  const t = raw as HarmonicTerm;
  const kp = new Float64Array(dof);
  for (const [i, k] of t.pinning ?? []) kp[index(i, dof, "harmonic pinning")] += finite(k, "a pinning stiffness");
  const springs = t.springs ?? [];
  const I = Int32Array.from(springs, (s) => index(s[0], dof, "a spring's first coordinate"));
  const J = Int32Array.from(springs, (s) => index(s[1], dof, "a spring's second coordinate"));
  const K = Float64Array.from(springs, (s) => finite(s[2], "a spring stiffness"));
  // Only the pinned coordinates (a chain pushed by many particles pins two of them).
  const pinned = Int32Array.from(kp.keys()).filter((i) => kp[i] !== 0);
  const add = (x: Float64Array, f: Float64Array): number => {
    let u = 0;
    for (let k = 0; k < pinned.length; k++) {
      const i = pinned[k];
      f[i] += -kp[i] * x[i];
      u += 0.5 * kp[i] * x[i] * x[i];
    }
    for (let s = 0; s < I.length; s++) {
      const i = I[s],
        j = J[s],
        r = x[i] - x[j],
        fr = K[s] * r;
      f[i] -= fr;
      f[j] += fr;
      u += 0.5 * fr * r;
    }
    return u;
  };
  return {
    dof,
    add,
    compute(x, f) {
      f.fill(0);
      return add(x, f);
    },
  };
}

/**
 * Checks a particle term and the problem's space as a particles model would be checked (checkParticlesModel: species
 * indices, pair-law and field parameters, cutoffs within half the box, ...), so hand-written problems meet the
 * model format's rules.
 */
function checkParticleTerm(
  context: TermContext,
  name: string,
  part: { pairs?: unknown; external?: unknown; bonds?: unknown },
): ParticleSpace {
  const space = context.space;
  if (space === null || typeof space !== "object")
    throw new ModelError(`a "${name}" force term needs the problem's space { dimension, box, species, speciesOf }`);
  const S = space.species;
  if (!Number.isSafeInteger(S) || S < 1)
    throw new ModelError(`space.species must be the number of species (>= 1), got ${describeValue(S)}`);
  const of = space.speciesOf;
  if (!(of instanceof Int32Array) || of.length * space.dimension !== context.dof)
    throw new ModelError(
      `space.speciesOf must be an Int32Array with one species per particle (${context.dof} coordinates / dimension ${describeValue(space.dimension)})`,
    );
  const counts = new Array<number>(S).fill(0);
  for (const s of of) {
    if (!(s >= 0 && s < S)) throw new ModelError(`space.speciesOf holds a species index ${s} outside 0..${S - 1}`);
    counts[s]++;
  }
  const model = {
    kind: "particles",
    dynamics: "overdamped",
    dimension: space.dimension,
    box: space.box,
    species: counts.map((count, s) => ({ name: `species ${s}`, count, temperature: 1, friction: 1, mass: 1 })),
    speciesOf: of,
    pairs: part.pairs ?? [],
    external: part.external ?? [],
    ...(part.bonds !== undefined ? { bonds: part.bonds } : {}),
    initial: "lattice",
  };
  checkParticlesModel(model, `the "${name}" force term`);
  return space;
}

const TERMS = new Map<string, ForceTermBuilder>([
  ["network", (t) => new NetworkForceField(t as NetworkTerm)],
  ["harmonic", harmonicField],
  [
    "pairs",
    (t, c) => new ParticleForceField(checkParticleTerm(c, "pairs", { pairs: t.pairs }), (t as PairsTerm).pairs),
  ],
  [
    "external",
    (t, c) => new ExternalFields(checkParticleTerm(c, "external", { external: t.fields }), (t as ExternalTerm).fields),
  ],
  ["bonds", (t, c) => new BondForces(checkParticleTerm(c, "bonds", { bonds: t.bonds }), (t as BondsTerm).bonds)],
]);
const BUILT_IN = new Set(TERMS.keys());

/**
 * Registers a force term by name (in every thread that imports the registering module). A study's terms take a
 * prefixed name ("particle-bath-chain/coupling"); a built-in name cannot be replaced.
 *
 * @example
 * ```ts
 * import { forceTermNames, registerForceTerm, type TermField } from "ness";
 *
 * // U = c x_0^4 / 4 on coordinate 0, adding into the forces of the terms before it.
 * registerForceTerm("example/quartic", (term, { dof }) => {
 *   const c = term.c as number;
 *   const add = (x: Float64Array, f: Float64Array) => {
 *     f[0] -= c * x[0] ** 3;
 *     return (c * x[0] ** 4) / 4;
 *   };
 *   const field: TermField = { dof, add, compute: (x, f) => (f.fill(0), add(x, f)) };
 *   return field;
 * });
 * console.log(forceTermNames().includes("example/quartic")); // => true
 * ```
 */
export function registerForceTerm(name: string, build: ForceTermBuilder): void {
  if (typeof name !== "string" || name === "" || typeof build !== "function")
    throw new ModelError(`registerForceTerm needs a name and a builder function, got ${describeValue(name)}`);
  if (BUILT_IN.has(name)) throw new ModelError(`the force term "${name}" is built in and cannot be replaced`);
  TERMS.set(name, build);
}

/**
 * The names of the registered force terms in this thread (built in first, then those registered by imported modules).
 *
 * @example
 * ```ts
 * import { forceTermNames } from "ness";
 *
 * console.log(forceTermNames().slice(0, 4).join(" ")); // => network harmonic pairs external
 * ```
 */
export function forceTermNames(): string[] {
  return [...TERMS.keys()];
}

/** The checks of problem data (also used by the "langevin" ensemble kind). */
export { index as coordinateIndex, finite as finiteNumber };

// ---------------------------------------------------------------------------------------------------------------
// Problem -> system

/** A LangevinSystem built from a problem, with the field of each of its force terms (in the problem's order). */
export interface BuiltSystem extends LangevinSystem {
  readonly terms: readonly TermField[];
}

function floats(a: unknown, n: number, what: string, min: number): Float64Array {
  if (a === null || typeof a !== "object" || (a as ArrayLike<number>).length !== n)
    throw new ModelError(`${what} must hold ${n} numbers, got ${describeValue(a)}`);
  const out = Float64Array.from(a as ArrayLike<number>);
  for (const v of out)
    if (!Number.isFinite(v) || v < min)
      throw new ModelError(`every ${what} must be a finite number >= ${min}, got ${v}`);
  return out;
}

/**
 * The LangevinSystem of a Langevin problem: its coordinates, masses, frictions and temperatures checked, the force
 * field of its terms (each by its registered builder) and, with `exactStepping`, the drift and diffusion matrices
 * exact stepping needs (linear models only). Throws ModelError for a bad problem or an unknown term.
 */
export function langevinSystem(problem: LangevinProblem, options: { exactStepping?: boolean } = {}): BuiltSystem {
  if (problem === null || typeof problem !== "object" || problem.kind !== "langevin")
    throw new ModelError(`expected a Langevin problem (kind: langevin), got ${describeValue(problem)}`);
  if (problem.dynamics !== "underdamped" && problem.dynamics !== "overdamped" && problem.dynamics !== "mixed")
    throw new ModelError(
      `a Langevin problem's dynamics must be underdamped, overdamped or mixed, got ${describeValue(problem.dynamics)}`,
    );
  const dof = (problem.friction as ArrayLike<number> | undefined)?.length ?? 0;
  if (!(dof >= 1))
    throw new ModelError(
      "a Langevin problem needs at least one coordinate (friction, temperature and mass per coordinate)",
    );
  const friction = floats(problem.friction, dof, "friction", 0);
  const temperature = floats(problem.temperature, dof, "temperature", 0);
  const mass = floats(problem.mass, dof, "mass", Number.MIN_VALUE);
  let overdamped: Uint8Array | undefined;
  if (problem.dynamics === "mixed") {
    overdamped = new Uint8Array(dof);
    for (const i of Array.from(problem.overdamped ?? [])) overdamped[index(i, dof, "an overdamped coordinate")] = 1;
  }
  if (!Array.isArray(problem.forces))
    throw new ModelError(`a Langevin problem's forces must be a list of terms, got ${describeValue(problem.forces)}`);
  const context: TermContext = {
    dof,
    ...(overdamped ? { overdamped } : {}),
    ...(problem.space ? { space: problem.space } : {}),
  };
  const terms = problem.forces.map((t) => {
    const build = TERMS.get(t?.term);
    if (!build)
      throw new ModelError(
        `unknown force term ${describeValue(t?.term)} (registered: ${forceTermNames().join(", ")}); a worker must import the module that registers it`,
      );
    const field = build(t, context);
    if (field.dof !== dof)
      throw new ModelError(`the "${t.term}" force term acts on ${field.dof} coordinates; the problem has ${dof}`);
    return field;
  });
  const system: BuiltSystem = {
    dynamics: problem.dynamics,
    dof,
    mass,
    friction,
    temperature,
    ...(overdamped ? { overdamped } : {}),
    forces: sumOfTerms(terms, dof),
    terms,
  };
  if (overdamped) {
    const fast = overdampedSum(terms, dof);
    if (fast) system.overdampedForces = fast;
  }
  if (options.exactStepping) {
    const linear = exactStepping(problem);
    if (linear) system.linear = linear;
  }
  return system;
}

/** Forces right at the overdamped coordinates, when a term has a cheaper evaluation for them and every term adds. */
function overdampedSum(parts: readonly TermField[], dof: number): ForceField | undefined {
  if (!parts.some((t) => t.addOverdamped) || !parts.every((t) => t.addOverdamped || t.add)) return undefined;
  const adds = parts.map((t) => (t.addOverdamped ? t.addOverdamped.bind(t) : t.add!.bind(t)));
  return {
    dof,
    compute(x, f) {
      f.fill(0);
      for (let k = 0; k < adds.length; k++) adds[k](x, f);
      return 0;
    },
  };
}

/**
 * The sum of a problem's terms: none is free motion; one is that term's field; otherwise the first overwrites f and
 * the others add into it (`add`, or through a scratch array).
 */
function sumOfTerms(parts: readonly TermField[], dof: number): ForceField {
  if (parts.length === 0)
    return {
      dof,
      compute(_x, f) {
        f.fill(0);
        return 0;
      },
    };
  if (parts.length === 1) return parts[0];
  if (!parts.slice(1).every((t) => typeof t.add === "function")) return new SumForceField([...parts]);
  const rest = parts.slice(1) as Required<TermField>[];
  const first = parts[0];
  return {
    dof,
    compute(x, f) {
      let u = first.compute(x, f);
      for (let k = 0; k < rest.length; k++) u += rest[k].add(x, f);
      return u;
    },
    ...(first.computeStep
      ? {
          computeStep(x0: Float64Array, x: Float64Array, f: Float64Array, account: boolean) {
            let u = first.computeStep!(x0, x, f, account);
            for (let k = 0; k < rest.length; k++) u += rest[k].add(x, f);
            return u;
          },
        }
      : {}),
    reset() {
      for (const p of parts) p.reset?.();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Models

/**
 * Most sites of a simulated network. The run itself is linear in the sites, but preparing it is dense: the time-step
 * analysis (safety.ts) diagonalises the n x n stiffness matrix, O(n^3) operations and about 32 n^2 bytes (0.8 GB and
 * several minutes at 5000 sites).
 */
export const SIMULATION_MAX_SITES = 5000;

/**
 * Largest state (coordinates, and momenta when underdamped) stepped exactly: exact stepping prepares the N x N
 * transition and step covariance by a 2N x 2N matrix exponential (O(N^3)).
 */
export const EXACT_STEPPING_MAX_COORDINATES = 2000;

/** Refuses a network too large to simulate (the time-step analysis is dense). */
function checkSimulationSize(model: NetworkModel): void {
  const n = model.sites.length;
  if (n > SIMULATION_MAX_SITES) {
    throw new ModelError(
      `the network is too large to simulate: ${n} sites, more than ${SIMULATION_MAX_SITES} (preparing a run diagonalises the n x n stiffness matrix for the time-step limit: O(n^3) operations and ${Math.round((32 * n * n) / 1e9)} GB)`,
      model.source,
    );
  }
}

/**
 * The Langevin problem of a model for a simulation: langevinProblem (src/problem) with the simulation's size limit
 * between the cheap and the expensive part of the steady-state diagnosis.
 */
export function simulationProblem(model: NetworkModel | ParticlesModel): ModelLangevinProblem {
  return langevinProblem(model, model.kind === "network" ? { sizeCheck: () => checkSimulationSize(model) } : {});
}

/** The drift and diffusion of a linear model for exact stepping (dense: refused beyond its size limit). */
function exactStepping(problem: LangevinProblem): LangevinSystem["linear"] {
  const model = problem.model;
  if (!problem.linear || !model) return undefined;
  if (model.kind === "network") {
    const N = model.dynamics === "underdamped" ? 2 * model.sites.length : model.sites.length;
    if (N > EXACT_STEPPING_MAX_COORDINATES) {
      throw new ModelError(
        `exact stepping is dense (N x N matrices, O(N^3) to prepare): ${N} coordinates is more than ${EXACT_STEPPING_MAX_COORDINATES}; use baoab, heun or euler-maruyama`,
        model.source,
      );
    }
    const p = networkProblem(model);
    return { drift: p.drift, diffusion: p.diffusion };
  }
  const p = particlesProblem(model);
  if (!p) {
    throw new ModelError(
      `exact stepping of particles builds their all-pairs network and dense matrices: ${particleStateSize(model)} coordinates is more than ${PARTICLE_NETWORK_MAX_COORDINATES}; use ${model.dynamics === "underdamped" ? "baoab" : "heun or euler-maruyama"}`,
      model.source,
    );
  }
  return { drift: p.drift, diffusion: p.diffusion };
}

/**
 * A network as a Langevin system, after checking that it can have a steady state (src/problem/diagnose.ts: an
 * unconfined part, a part without a bath, a normal mode that never meets a bath; for quartic networks a decoupled
 * mode of the harmonic part is refused only when no quartic term couples it, and otherwise reported in `warnings`).
 * Throws SteadyStateError (naming the model's file) when there is none. `field` is its "network" term's field.
 */
export function networkSystem(
  model: NetworkModel,
  options: { exactStepping?: boolean } = {},
): { system: BuiltSystem; field: NetworkForceField; warnings: readonly string[] } {
  checkNetworkModel(model, "networkSystem");
  const problem = simulationProblem(model);
  const system = langevinSystem(problem, options);
  return { system, field: system.terms[0] as NetworkForceField, warnings: problem.warnings };
}

/**
 * The problem with other force terms; its other properties copied as they are (a lazily made property, such as a
 * particle problem's coordinate names, stays lazy: a spread would make it).
 */
function withForces(problem: ModelLangevinProblem, forces: ForceTerm[]): ModelLangevinProblem {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(problem)) as ModelLangevinProblem;
  Object.defineProperty(out, "forces", { value: forces, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * A particle model as a Langevin system, after checking that it can have a steady state (particleConfinementProblem):
 * throws SteadyStateError naming the model's file otherwise. `pairs` and `external` are the fields of its "pairs" and
 * "external" terms (null when the model has none; `pairs` null too with `withoutPairs`, which leaves the pair term out).
 */
export function particleSystem(
  model: ParticlesModel,
  options: { exactStepping?: boolean; withoutPairs?: boolean } = {},
): { system: BuiltSystem; pairs: ParticleForceField | null; external: ExternalFields | null } {
  checkParticlesModel(model, "particleSystem");
  const problem = simulationProblem(model);
  // withoutPairs: a run that steps with forces of its own (a split run, splitDisks.ts) needs the system's masses,
  // frictions and temperatures but not its pair field (cell grid, lists), which it would never evaluate.
  const system = langevinSystem(
    options.withoutPairs
      ? withForces(
          problem,
          problem.forces.filter((t) => t.term !== "pairs"),
        )
      : problem,
    { exactStepping: options.exactStepping },
  );
  const pairs = system.terms.find((t) => t instanceof ParticleForceField) ?? null;
  const external = system.terms.find((t) => t instanceof ExternalFields) ?? null;
  return { system, pairs: pairs as ParticleForceField | null, external: external as ExternalFields | null };
}
