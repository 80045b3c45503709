import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modelJsonSchemas } from "../../src/model/schema.js";

describe("JSON Schema for editors", () => {
  it("the committed schema files are generated from the current validators (run `npm run schema`)", () => {
    for (const [name, schema] of Object.entries(modelJsonSchemas())) {
      const committed = JSON.parse(readFileSync(new URL(`../../schema/${name}.schema.json`, import.meta.url), "utf8"));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it("describes the fields a user writes", () => {
    const s = modelJsonSchemas().network as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(s.properties)).toEqual(
      expect.arrayContaining(["kind", "dynamics", "sites", "masses", "pinning", "springs", "baths"]),
    );
    expect(s.required).toEqual(expect.arrayContaining(["kind", "sites", "baths"]));
  });
});
