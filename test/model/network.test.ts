import { describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.js";
import { loadModel, validateModel, type NetworkModel } from "../../src/model/index.js";

const loadNetwork = (text: string) => loadModel(text) as NetworkModel;

const base = `
kind: network
sites: [a, b, c]
masses: {a: 2}
pinning: 1
springs:
  - {between: [a, b], stiffness: 1}
  - {between: [b, c], stiffness: 2}
baths:
  - {site: a, friction: 1, temperature: 100}
  - {site: c, friction: 0.5, temperature: 1}
`;

const fails = (text: string, pattern: RegExp) => {
  let err: unknown;
  try {
    loadModel(text, "m.yaml");
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ModelError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message.split("\n").length).toBe(1);
};

describe("network model files", () => {
  it("accepts the documented form and fills defaults", () => {
    const m = loadNetwork(base);
    expect(m.sites).toEqual(["a", "b", "c"]);
    expect(Array.from(m.mass)).toEqual([2, 1, 1]);
    expect(Array.from(m.pinning)).toEqual([1, 1, 1]);
    expect(m.dynamics).toBe("underdamped");
    expect(m.springs.map((s) => [s.i, s.j, s.stiffness])).toEqual([
      [0, 1, 1],
      [1, 2, 2],
    ]);
    expect(m.baths.map((b) => [b.site, b.friction, b.temperature])).toEqual([
      [0, 1, 100],
      [2, 0.5, 1],
    ]);
  });

  it("accepts a site count and JSON", () => {
    const m = loadNetwork(
      JSON.stringify({
        kind: "network",
        sites: 3,
        pinning: { 2: 0.5 },
        springs: [{ between: [1, 2], stiffness: 1 }],
        baths: [{ site: 3, friction: 1, temperature: 1 }],
      }),
    );
    expect(m.sites).toEqual(["1", "2", "3"]);
    expect(Array.from(m.pinning)).toEqual([0, 0.5, 0]);
  });

  it("names the field in every error", () => {
    fails(base.replace("stiffness: 2", "stiffness: -1"), /spring b-c: stiffness must be > 0, got -1/);
    fails(base.replace("between: [b, c]", "between: [b, x]"), /spring b-x: unknown site 'x' \(sites are a, b, c\)/);
    fails(base.replace("friction: 0.5", "friction: -0.5"), /bath on c: friction must be > 0, got -0.5/);
    fails(base.replace("temperature: 100", "temperature: -3"), /bath on a: temperature must be > 0, got -3/);
    fails(base.replace("temperature: 100", "temperature: .nan"), /bath on a: temperature: expected a number, got NaN/);
    fails(base.replace("masses: {a: 2}", "masses: {a: 0}"), /masses of site a must be > 0, got 0/);
    fails(base.replace("stiffness: 2", "stiffnes: 2"), /spring b-c: unknown field 'stiffnes'/);
    fails(base.replace("sites: [a, b, c]", "sites: []"), /sites/);
    fails(base.replace("sites: [a, b, c]", "sites: 0"), /no sites/);
    fails(base.replace("sites: [a, b, c]", "sites: [a, b, a]"), /site 'a' is listed twice/);
    fails(base.replace("between: [b, c]", "between: [b, b]"), /two different sites/);
    fails(base.replace("between: [b, c]", "between: [b, a]"), /duplicate spring/);
    fails(
      base.replace("{site: c, friction: 0.5, temperature: 1}", "{site: a, friction: 0.5, temperature: 1}"),
      /two baths/,
    );
    fails("kind: network\nsites: 2\nbaths: []", /no heat bath/);
    fails(
      "kind: network\nsites: 2\ndynamics: overdamped\nbaths: [{site: 1, friction: 1, temperature: 1}]",
      /needs a bath on every site .*; no bath on 2/,
    );
    fails("kind: nework\nsites: 2", /unknown kind 'nework'/);
    fails("sites: 2", /missing field 'kind'/);
    fails("kind: network\nsites: [a, b\n", /not valid YAML or JSON \(line/);
    fails("", /empty/);
    fails("- 1\n- 2", /expected a mapping/);
  });

  it("prefixes the source name", () => {
    expect(() => validateModel({ kind: "network", sites: 1, baths: [] }, "file.yaml")).toThrow(/^file\.yaml: /);
  });
});
