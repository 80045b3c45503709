// Names that are also properties of every JavaScript object (__proto__, constructor, toString, hasOwnProperty,
// valueOf) are ordinary names: every record-shaped field keyed by them keeps its entry, and every result equals the
// result of the same model with ordinary names.
import { describe, expect, it } from "vitest";
import { steadyStateJson } from "../../src/cli/commands/solve.js";
import { solveNetwork } from "../../src/exact/network.js";
import { loadModel, validateModel, type NetworkModel, type ParticlesModel } from "../../src/model/index.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";

const RESERVED = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const PLAIN = ["p0", "p1", "p2", "p3", "p4"];

/** A network text over sites a + names, with every record-shaped field keyed by the names. */
function networkJson(names: string[], quartic = false): string {
  const sites = ["a", ...names];
  const rec = (f: (k: number) => unknown) =>
    `{${names.map((n, k) => `${JSON.stringify(n)}: ${JSON.stringify(f(k))}`).join(", ")}}`;
  return `{
    "kind": "network",
    "sites": ${JSON.stringify(sites)},
    "masses": ${rec((k) => 1.5 + k)},
    "pinning": ${rec((k) => 0.5 + k)},
    ${quartic ? `"quarticPinning": ${rec((k) => 0.1 * (k + 1))},` : ""}
    "springs": ${JSON.stringify(sites.slice(1).map((s, k) => ({ between: [sites[k], s], stiffness: 1 + k })))},
    "baths": [{"site": "a", "friction": 1, "temperature": 3}, {"site": ${JSON.stringify(names[2])}, "friction": 0.5, "temperature": 1}],
    "layout": {"a": [0, 0], ${names.map((n, k) => `${JSON.stringify(n)}: [${k + 1}, ${k % 2}]`).join(", ")}}
  }`;
}

describe("reserved names as site names", () => {
  const reserved = loadModel(networkJson(RESERVED)) as NetworkModel;
  const plain = loadModel(networkJson(PLAIN)) as NetworkModel;

  it("keep their masses, pinning and layout entries (JSON and YAML)", () => {
    expect(Array.from(reserved.mass)).toEqual([1, 1.5, 2.5, 3.5, 4.5, 5.5]);
    expect(Array.from(reserved.pinning)).toEqual([0, 0.5, 1.5, 2.5, 3.5, 4.5]);
    expect(Array.from(reserved.layout!)).toEqual(Array.from(plain.layout!));
    const yaml = loadModel(`kind: network
sites: [a, __proto__]
masses: {__proto__: 3}
pinning: {a: 1, __proto__: 2}
quarticPinning: {__proto__: 0.5}
springs: [{between: [a, __proto__], stiffness: 1}]
baths: [{site: __proto__, friction: 1, temperature: 1}]
layout: {a: [0, 0], __proto__: [1, 0]}
`) as NetworkModel;
    expect(Array.from(yaml.mass)).toEqual([1, 3]);
    expect(Array.from(yaml.pinning)).toEqual([1, 2]);
    expect(Array.from(yaml.quarticPinning)).toEqual([0, 0.5]);
    expect(Array.from(yaml.layout!)).toEqual([0, 0, 1, 0]);
  });

  it("the exact steady state equals the one with ordinary names, bit for bit", () => {
    const a = solveNetwork(reserved),
      b = solveNetwork(plain);
    expect(Array.from(a.covariance.data)).toEqual(Array.from(b.covariance.data));
    expect(a.springs.map((s) => [s.flux, s.fluxBySource])).toEqual(b.springs.map((s) => [s.flux, s.fluxBySource]));
    expect(a.entropyProduction).toBe(b.entropyProduction);
  });

  it("solve --json has every name as a key, with the same numbers (fluxBySource keys included)", () => {
    const ja = steadyStateJson(reserved, solveNetwork(reserved));
    const jb = steadyStateJson(plain, solveNetwork(plain));
    const text = JSON.stringify(ja);
    // No key or value of the document contains these words other than as site names.
    const renamed = RESERVED.reduce((t, n, k) => t.replaceAll(n, PLAIN[k]), text);
    expect(JSON.parse(renamed)).toEqual(JSON.parse(JSON.stringify(jb)));
    for (const n of RESERVED)
      expect(Object.prototype.hasOwnProperty.call(JSON.parse(text).kineticTemperature, n)).toBe(true);
    expect(Object.keys(JSON.parse(text).springs[0].fluxBySource)).toEqual(["bath a", "bath toString"]);
  });

  it("a simulation (quartic pinning keyed by the names) equals the one with ordinary names", () => {
    const ra = loadModel(networkJson(RESERVED, true)) as NetworkModel;
    const rb = loadModel(networkJson(PLAIN, true)) as NetworkModel;
    expect(Array.from(ra.quarticPinning)).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5]);
    const options = { time: 5, seed: 3 };
    const a = simulateAndVerifySync(ra, { dt: 0.01 }, options),
      b = simulateAndVerifySync(rb, { dt: 0.01 }, options);
    expect(a.estimates.map((e) => [e.value, e.error])).toEqual(b.estimates.map((e) => [e.value, e.error]));
  });
});

describe("reserved names as species names", () => {
  const model = (names: string[]) =>
    validateModel({
      kind: "particles",
      dimension: 1,
      species: names.slice(0, 3).map((name, k) => ({ name, count: 1 + (k % 2), temperature: 1 + k })),
      pairs: [
        { between: [names[0], names[1]], potential: "harmonic", stiffness: 1 },
        { between: [names[1], names[2]], potential: "harmonic", stiffness: 2 },
      ],
      external: [{ potential: "harmonic", stiffness: 0.5, species: [names[0], names[2]] }],
    }) as ParticlesModel;

  it("pairs and external potentials find the species, and the simulation equals the one with ordinary names", () => {
    for (const shift of [0, 2]) {
      const names = [...RESERVED.slice(shift), ...RESERVED.slice(0, shift)];
      const a = model(names),
        b = model(PLAIN);
      expect(a.pairs.map((r) => [r.a, r.b])).toEqual(b.pairs.map((r) => [r.a, r.b]));
      expect(a.external[0].species).toEqual([0, 2]);
      const options = { time: 5, seed: 9 };
      const ra = simulateAndVerifySync(a, { dt: 0.005 }, options),
        rb = simulateAndVerifySync(b, { dt: 0.005 }, options);
      expect(ra.exact).toBe(true);
      expect(ra.estimates.map((e) => [e.value, e.error, e.exact])).toEqual(
        rb.estimates.map((e) => [e.value, e.error, e.exact]),
      );
    }
  });
});
