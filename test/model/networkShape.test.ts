// The schema-free validation of network models (src/model/networkModel.ts: networkShape) against the zod schema it
// stands in for: whatever it accepts, the schema accepts with the same data; everything else goes to the schema.
import { readFileSync, readdirSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { networkSchema, validateNetwork } from "../../src/model/network.js";
import { networkFromShape, networkShape, validateNetworkShape } from "../../src/model/networkModel.js";

const base = () => ({
  kind: "network",
  name: "chain",
  sites: ["a", "b", 3],
  masses: { a: 2 },
  pinning: 1,
  springs: [
    { between: ["a", "b"], stiffness: 1 },
    { between: ["b", 3], stiffness: 2, quartic: 0 },
  ],
  baths: [
    { site: "a", friction: 1, temperature: 100 },
    { site: 3, friction: 0.5, temperature: 1 },
  ],
  layout: { a: [0, 0], b: [1, 0], 3: [2, 0] },
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
  1.5,
  -3,
  2 ** 53,
  1e20,
  "",
  "x",
  "underdamped",
  "overdamped",
  true,
  [],
  [1],
  [1, 2],
  [1, 2, 3],
  ["a", "b"],
  [1, NaN],
  {},
  { a: 1 },
  { a: "1" },
  { a: [1, 2] },
  new Box(),
  Object.assign(Object.create(null), { a: 1 }),
  JSON.parse('{"__proto__": 1}'),
];

/** Every field of the base model and of its first spring and bath, set to every odd value in turn. */
function variants(): unknown[] {
  const out: unknown[] = [base()];
  const top = [
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
    "extra",
  ];
  for (const key of top) for (const v of ODD) out.push({ ...base(), [key]: v });
  for (const key of ["between", "stiffness", "quartic", "extra"]) {
    for (const v of ODD) {
      const m = base();
      (m.springs[0] as Record<string, unknown>)[key] = v;
      out.push(m);
    }
  }
  for (const key of ["site", "friction", "temperature", "extra"]) {
    for (const v of ODD) {
      const m = base();
      (m.baths[0] as Record<string, unknown>)[key] = v;
      out.push(m);
    }
  }
  for (const v of ODD) {
    const m = base();
    (m.springs as unknown[])[1] = v;
    out.push(m);
    const b = base();
    (b.layout as Record<string, unknown>).b = v;
    out.push(b);
  }
  out.push(Object.assign(Object.create({ kind: "network" }), base()), new Box(), [base()], null, "network");
  const { springs: _s, ...noSprings } = base();
  out.push(noSprings);
  return out;
}

describe("networkShape: the schema's verdict without the schema", () => {
  it("accepts only what the schema accepts, with the schema's data (defaults included)", () => {
    let accepted = 0,
      deferred = 0;
    for (const raw of variants()) {
      const fast = networkShape(raw);
      const zod = networkSchema.safeParse(raw);
      if (fast === null) {
        deferred++;
        continue;
      }
      accepted++;
      expect(zod.success, JSON.stringify(raw)).toBe(true);
      expect(fast).toEqual(zod.data);
    }
    // the base model and its harmless variants take the fast path; every shape error goes to the schema
    expect(accepted).toBeGreaterThan(20);
    expect(deferred).toBeGreaterThan(300);
  });

  it("gives the same model or the same error as the schema's path on every example and variant", () => {
    const dir = new URL("../../examples/networks/", import.meta.url).pathname;
    const raws: unknown[] = readdirSync(dir).map((f) => parse(readFileSync(dir + f, "utf8")));
    raws.push(...variants());
    let models = 0;
    for (const raw of raws) {
      const viaSchema = (): unknown => {
        const parsed = networkSchema.safeParse(raw);
        if (!parsed.success) return "schema error";
        try {
          return networkFromShape(parsed.data, raw, "m.yaml");
        } catch (e) {
          return (e as Error).message;
        }
      };
      const viaShape = (): unknown => {
        try {
          return validateNetworkShape(raw, "m.yaml");
        } catch (e) {
          return (e as Error).message;
        }
      };
      const want = viaSchema();
      const got = viaShape();
      // null: left to the schema (validateNetwork then runs the schema's path itself)
      if (got === null) continue;
      expect(got).toEqual(want);
      if (typeof want !== "string") {
        models++;
        expect(validateNetwork(raw, "m.yaml")).toEqual(want);
      }
    }
    expect(models).toBeGreaterThan(10);
  });
});
