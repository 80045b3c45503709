// The schema-free validation of particle models (src/model/particlesModel.ts: particlesShape) against the zod schema
// it stands in for (src/model/particles.ts): whatever it accepts, the schema accepts with the same data; everything
// else goes to the schema. The variants set every field of a full model (and of its first species, pair, external
// potential and bond) to each of a list of odd values in turn.
import { readFileSync, readdirSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { particlesSchema, validateParticles } from "../../src/model/particles.js";
import { particlesFromShape, particlesShape, validateParticlesShape } from "../../src/model/particlesModel.js";

const base = () => ({
  kind: "particles",
  name: "mixture",
  description: "two species",
  dynamics: "overdamped",
  dimension: 2,
  box: 8,
  species: [
    { name: "hot", count: 2, temperature: 5, friction: 1 },
    { name: "cold", count: 2, temperature: 1 },
  ],
  pairs: [{ between: ["hot", "cold"], potential: "soft", stiffness: 10, range: 1 }],
  external: [
    { potential: "harmonic", species: ["hot"], stiffness: 1, center: [0, 0] },
    { potential: "cosine", amplitude: 1, period: 4, axis: "x", phase: 0 },
  ],
  bonds: [{ potential: "harmonic", path: [0, 1, 2], stiffness: 3 }],
  initial: [
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 0],
  ],
});

class Box {
  x = 1;
}

const ODD: unknown[] = [
  undefined,
  null,
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1,
  2,
  3,
  4,
  1.5,
  -3,
  2 ** 53,
  1e20,
  "",
  "x",
  "q",
  "hot",
  "particles",
  "overdamped",
  "underdamped",
  "lattice",
  "random",
  "soft",
  "harmonic",
  "wca",
  "fene",
  "cosine",
  "sawtooth",
  true,
  [],
  [1],
  [1, 2],
  [1, 2, 3],
  [1.5, 2],
  [1, NaN],
  ["a", "b"],
  ["hot"],
  ["hot", "cold", "hot"],
  [[0, 0]],
  [[0, NaN]],
  [[0], [1], [2], [3]],
  [{ name: "a", count: 1, temperature: 1 }],
  {},
  { a: 1 },
  { name: "a", count: 1, temperature: 1 },
  { potential: "soft", stiffness: 1, range: 1 },
  { potential: "harmonic", stiffness: 1 },
  { potential: "fene", path: [0, 1], stiffness: 1, maxLength: 2 },
  new Box(),
  Object.assign(Object.create(null), { a: 1 }),
  JSON.parse('{"__proto__": 1}'),
];

const TOP = [
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
  "extra",
];
const SPECIES = ["name", "count", "temperature", "friction", "mass", "extra"];
const PAIR = ["between", "potential", "stiffness", "range", "length", "epsilon", "sigma", "extra"];
const EXTERNAL = [
  "potential",
  "species",
  "stiffness",
  "center",
  "amplitude",
  "period",
  "axis",
  "phase",
  "asymmetry",
  "extra",
];
const BOND = ["potential", "path", "stiffness", "length", "maxLength", "extra"];

type Model = ReturnType<typeof base>;

/** Every field of the base model, of its first species, pair, external potential and bond, set to each odd value. */
function variants(): unknown[] {
  const out: unknown[] = [base()];
  for (const key of TOP) for (const v of ODD) out.push({ ...base(), [key]: v });
  const nested: [keyof Model, string[]][] = [
    ["species", SPECIES],
    ["pairs", PAIR],
    ["external", EXTERNAL],
    ["bonds", BOND],
  ];
  for (const [list, keys] of nested) {
    for (const key of keys) {
      for (const v of ODD) {
        const m = base();
        ((m[list] as unknown[])[0] as Record<string, unknown>)[key] = v;
        out.push(m);
      }
    }
    for (const v of ODD) {
      const m = base();
      (m[list] as unknown[])[0] = v;
      out.push(m);
    }
  }
  for (const v of ODD) {
    const m = base();
    (m.initial as unknown[])[1] = v;
    out.push(m);
    const c = base();
    (c.external[0].center as unknown[])[1] = v;
    out.push(c);
    const b = base();
    (b.bonds[0].path as unknown[])[1] = v;
    out.push(b);
    const p = base();
    (p.pairs[0].between as unknown[])[1] = v;
    out.push(p);
  }
  // no box: open space, lattice start, underdamped with masses, a FENE bond, a harmonic pair, WCA, a sawtooth
  const open = { ...base(), box: undefined, initial: undefined };
  out.push(open, { ...open, initial: "lattice" }, { ...base(), initial: "random" });
  out.push({
    ...base(),
    dynamics: "underdamped",
    species: [
      { name: "hot", count: 2, temperature: 5, mass: 2 },
      { name: "cold", count: 2, temperature: 1, friction: 0.5 },
    ],
  });
  out.push({ ...base(), bonds: [{ potential: "fene", path: [0, 1], stiffness: 30, maxLength: 1.5 }] });
  out.push({ ...base(), box: undefined, pairs: [{ potential: "harmonic", stiffness: 1, length: 0.5 }] });
  out.push({ ...base(), pairs: [{ potential: "wca", epsilon: 1, sigma: 1 }] });
  out.push({
    ...base(),
    external: [{ potential: "sawtooth", amplitude: 1, period: 2, axis: "y", asymmetry: 0.7, species: ["cold"] }],
  });
  const { pairs: _p, external: _e, bonds: _b, dynamics: _d, ...bare } = base();
  out.push(bare);
  out.push(Object.assign(Object.create({ kind: "particles" }), base()), new Box(), [base()], null, "particles");
  return out;
}

describe("particlesShape: the schema's verdict without the schema", () => {
  it("accepts only what the schema accepts, with the schema's data (defaults included)", () => {
    let accepted = 0,
      deferred = 0;
    for (const raw of variants()) {
      const fast = particlesShape(raw);
      const zod = particlesSchema.safeParse(raw);
      if (fast === null) {
        deferred++;
        continue;
      }
      accepted++;
      expect(zod.success, JSON.stringify(raw)).toBe(true);
      expect(fast).toEqual(zod.data);
    }
    // the base model and its harmless variants take the fast path; every shape error goes to the schema
    expect(accepted).toBeGreaterThan(150);
    expect(deferred).toBeGreaterThan(1500);
  });

  it("gives the same model or the same error as the schema's path on every example and variant", () => {
    const dir = new URL("../../examples/particles/", import.meta.url).pathname;
    const raws: unknown[] = readdirSync(dir).map((f) => parse(readFileSync(dir + f, "utf8")));
    const exampleCount = raws.length;
    raws.push(...variants());
    let models = 0,
      examples = 0;
    raws.forEach((raw, k) => {
      const viaSchema = (): unknown => {
        const parsed = particlesSchema.safeParse(raw);
        if (!parsed.success) return "schema error";
        try {
          return particlesFromShape(parsed.data, "m.yaml");
        } catch (e) {
          return (e as Error).message;
        }
      };
      const viaShape = (): unknown => {
        try {
          return validateParticlesShape(raw, "m.yaml");
        } catch (e) {
          return (e as Error).message;
        }
      };
      const want = viaSchema();
      const got = viaShape();
      // null: left to the schema (validateParticles then runs the schema's path itself)
      if (got === null) {
        expect(k, "every example takes the fast path").toBeGreaterThanOrEqual(exampleCount);
        return;
      }
      if (k < exampleCount) examples++;
      expect(got).toEqual(want);
      if (typeof want !== "string") {
        models++;
        expect(validateParticles(raw, "m.yaml")).toEqual(want);
      }
    });
    expect(examples).toBe(exampleCount);
    expect(models).toBeGreaterThan(50);
  });
});
