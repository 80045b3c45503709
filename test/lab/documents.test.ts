// The lab's model documents and generated forms, in Node (no browser): every example survives editor -> YAML export
// -> loadModel and the shareable link unchanged; the form generator reads describe()/meta()/default() of a schema.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeDoc, encodeDoc, fromText, toModel, toYaml } from "../../lab/src/network.js";
import { describeFields } from "../../lab/src/form.js";
import { findStudy } from "../../src/studies/catalog.js";
import { fieldsOf } from "../../src/studies/schema.js";
import { varianceResonanceParameters } from "../../lab/src/studies/varianceResonance.js";
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
    const fields = describeFields(varianceResonanceParameters);
    const T1 = fields.find((f) => f.key === "T1")!;
    expect(T1).toMatchObject({
      kind: "number",
      defaultValue: 2,
      description: "bath temperature of oscillator 1",
      meta: { unit: "T0 = k2 L²/kB", flag: "T1" },
    });
    expect(T1.meta.range).toMatchObject({ min: 1e-100, max: 1e100, zero: true });
    expect(fields.find((f) => f.key === "parameter")).toMatchObject({
      kind: "enum",
      options: ["k", "k0", "q", "T1", "T2"],
      defaultValue: "k",
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
});
