// The lab's model documents and generated forms, in Node (no browser): every example survives editor -> YAML export
// -> loadModel and the shareable link unchanged; the form generator reads describe()/meta()/default() of a schema.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeDoc, encodeDoc, fromText, toModel, toYaml } from "../../lab/src/network.js";
import { describeFields, sliderScale } from "../../lab/src/form.js";
import { findStudy } from "../../src/studies/catalog.js";
import { fieldsOf } from "../../src/studies/schema.js";
import { loadModel, type NetworkModel } from "../../src/model/index.js";

const dir = new URL("../../examples/networks/", import.meta.url).pathname;

const physics = (m: NetworkModel) => ({
  name: m.name,
  dynamics: m.dynamics,
  sites: m.sites,
  mass: Array.from(m.mass),
  pinning: Array.from(m.pinning),
  quarticPinning: Array.from(m.quarticPinning),
  springs: m.springs,
  baths: m.baths,
});

describe("lab documents", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    it(`${file}: YAML export and link give back the same model`, () => {
      const original = loadModel(readFileSync(join(dir, file), "utf8")) as NetworkModel;
      const doc = fromText(readFileSync(join(dir, file), "utf8"), file);
      const exported = loadModel(toYaml(doc)) as NetworkModel;
      expect(physics(exported)).toEqual(physics(original));
      expect(physics(toModel(decodeDoc(encodeDoc(doc))))).toEqual(physics(original));
    });
  }

  it("refuses a damaged link and a particle model with one message", () => {
    expect(() => decodeDoc("%%%")).toThrow(/link: the model in this link is damaged/);
    expect(() => fromText("kind: particles\n", "p.yaml")).toThrow(/p\.yaml: the network editor takes a network model/);
  });
});

describe("form generator", () => {
  it("reads descriptions, units, ranges, defaults and enum options through default/optional wrappers", () => {
    const vr = findStudy("variance-resonance")!;
    const fields = describeFields(vr.parameters);
    const T1 = fields.find((f) => f.key === "T1")!;
    expect(T1).toMatchObject({
      kind: "number",
      defaultValue: undefined,
      description: "bath temperature of oscillator 1 (0: a noiseless damper)",
      meta: { flag: "T1", sweep: true },
    });
    expect(T1.meta.range).toMatchObject({ min: 1e-100, max: 1e100, zero: true });
    expect(fields.find((f) => f.key === "method")).toMatchObject({
      kind: "enum",
      options: ["lyapunov", "closed-form"],
      defaultValue: "lyapunov",
    });
    const schema = z.object({
      n: z.number().int().describe("sites").meta({ unit: "sites" }).optional(),
      on: z.boolean().default(true).describe("a switch"),
    });
    // Flags as the CLI names them (the contract's conversion): burnIn -> burn-in, coldFraction -> cold-fraction.
    const demixing = describeFields(findStudy("two-temperature/demixing")!.parameters);
    expect(demixing.map((f) => f.flag)).toEqual(
      fieldsOf(findStudy("two-temperature/demixing")!.parameters).map((f) => f.flag),
    );
    expect(demixing.find((f) => f.key === "burnIn")?.flag).toBe("burn-in");
    expect(demixing.find((f) => f.key === "coldFraction")?.flag).toBe("cold-fraction");
    expect(describeFields(schema)).toMatchObject([
      { key: "n", kind: "number", optional: true, description: "sites", meta: { unit: "sites" } },
      { key: "on", kind: "boolean", defaultValue: true, description: "a switch" },
    ]);
  });

  it("starts a log slider without a schema default at the study's default, its --help default or the range's middle", () => {
    // energy-correlations --T0/--T3 (range [0, 1e6], no schema default; --help: "1 (ssep 0.2)", "3 (ssep 0.8)").
    const ec = describeFields(findStudy("energy-correlations")!.parameters);
    const T0 = sliderScale(ec.find((f) => f.key === "T0")!)!;
    const T3 = sliderScale(ec.find((f) => f.key === "T3")!)!;
    expect(T0).toEqual({ log: true, min: 1e-3, max: 1e3, start: 1 });
    expect(T3).toEqual({ log: true, min: 3e-3, max: 3e3, start: 3 });
    // --eps0 (ssep density in [0, 1], no default): linear, from the middle.
    expect(sliderScale(ec.find((f) => f.key === "eps0")!)).toEqual({ log: false, min: 0, max: 1, start: 0.5 });
    // variance-resonance --q (range [1e-3, 1e12]): the dimensionless group's default 4000, else the range's
    // geometric middle sqrt(1e-3 * 1e12).
    const vr = describeFields(findStudy("variance-resonance")!.parameters);
    const q = vr.find((f) => f.key === "q")!;
    expect(sliderScale(q, 4000)).toEqual({ log: true, min: 4, max: 4e6, start: 4000 });
    expect(sliderScale(q)!.start).toBeCloseTo(Math.sqrt(1e9), 6);
    // A linear range without a default starts in its middle; a default outside the range is not used.
    const lin = {
      key: "x",
      flag: "x",
      kind: "number",
      description: "",
      optional: true,
      defaultValue: undefined,
    } as const;
    expect(sliderScale({ ...lin, meta: { range: { min: 1, max: 3 } } })).toEqual({
      log: false,
      min: 1,
      max: 3,
      start: 2,
    });
    expect(sliderScale({ ...lin, meta: { range: { min: 1, max: 3 } } }, 7)!.start).toBe(2);
    expect(sliderScale({ ...lin, meta: {} })).toBeNull();
  });
});
