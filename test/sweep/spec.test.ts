import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { SweepError } from "../../src/errors.js";
import { parseModelText, validateModel } from "../../src/model/index.js";
import { parseSweepSpec, pointKey, points, prepareSweep } from "../../src/sweep/index.js";
import type { NetworkModel } from "../../src/model/network.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";

const read = (p: string) => ({ data: parseModelText(readFileSync(p, "utf8"), p), source: p });
const chain = "examples/networks/example1-chain.yaml";

function spec(body: string) {
  return parseSweepSpec(`base: {model: ${chain}}\n${body}`, "s.yaml", read);
}

describe("sweep spec", () => {
  it("product of a range and a log range, outputs by label and index", () => {
    const s = spec(`axes:
  - {path: "baths[0].temperature", range: "10:100:4"}
  - {path: "springs[2-3].stiffness", log: "0.1:10:3"}
compute: {kind: exact}
outputs: ["springs[2-3].flux", entropyProduction, "kineticTemperature[2]"]`);
    expect(s.count).toBe(12);
    const pts = points(s.axisValues, s.combine);
    expect(Array.from(pts.subarray(0, 6))).toEqual([10, 0.1, 10, pts[3], 10, 10]);
    expect(pts[3]).toBeCloseTo(1, 14);
    expect(pts[22]).toBe(100);
    const ps = prepareSweep(s);
    expect(ps.columns).toEqual(["springs[2-3].flux", "entropyProduction", "kineticTemperature[2]"]);
    // Independent check: the point equals a direct solve of the model edited by hand.
    const v = pts.subarray(2 * 5, 2 * 5 + 2);
    const out = ps.evaluate(v);
    const raw = read(chain).data as { baths: { temperature: number }[]; springs: { stiffness: number }[] };
    raw.baths[0].temperature = v[0];
    raw.springs[1].stiffness = v[1];
    const ss = solveNetwork(validateModel(raw) as NetworkModel, { bySource: false }); // the sweep's own path
    expect(out).toEqual({
      status: "done",
      outputs: {
        "springs[2-3].flux": ss.springs[1].flux,
        entropyProduction: ss.entropyProduction,
        "kineticTemperature[2]": ss.kineticTemperature![1],
      },
    });
  });

  it("keys: same parameters and options give the same key; any change gives another", () => {
    const s = spec(
      `axes: [{path: "baths[0].temperature", values: [10, 20, 10]}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
    );
    const ps = prepareSweep(s);
    const k = [10, 20, 10].map((t) => pointKey(ps.parameters([t]), 0, s.compute));
    expect(k[0]).toBe(k[2]);
    expect(k[0]).not.toBe(k[1]);
    expect(pointKey(ps.parameters([10]), 1, s.compute)).not.toBe(k[0]);
    expect(pointKey(ps.parameters([10]), 0, s.compute, "9.9.9")).not.toBe(k[0]);
    expect(k[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the fast key (values spliced into the base's canonical text) is pointKey of the point's parameters", () => {
    const s = spec(`axes:
  - {path: "baths[0].temperature", range: "10:100:4"}
  - {path: "springs[2-3].stiffness", log: "0.1:10:3"}
  - {path: "baths[1].friction", values: [0.5, 1e-7, 3]}
compute: {kind: exact}
outputs: [entropyProduction]
seed: 5`);
    const ps = prepareSweep(s);
    const values = [
      [10, 0.1, 0.5],
      [1 / 3, 1e-300, 3],
      [-0, 2 ** 60, 1e21],
      [100, 10, 1e-7],
    ];
    for (const v of values) expect(ps.key(v)).toBe(pointKey(ps.parameters(v), 5, s.compute));
    // The working copy is not left changed by the parameters of an earlier point: keys do not depend on the order.
    expect(ps.key(values[0])).toBe(pointKey(ps.parameters(values[0]), 5, s.compute));
  });

  it("simulated points share one compiled kernel per structure, each with its own coefficients", async () => {
    const s = spec(
      `axes: [{path: "baths[0].temperature", values: [50, 80]}]\ncompute: {kind: simulate, time: 20, dt: 0.05, replicas: 2}\noutputs: ["springs[2-3].flux"]\nseed: 4`,
    );
    const ps = prepareSweep(s);
    const a1 = await ps.evaluate([50]);
    const b = await ps.evaluate([80]);
    const a2 = await ps.evaluate([50]);
    expect(a2).toEqual(a1); // the kernel run at 80 in between left nothing of its numbers behind
    expect(b).not.toEqual(a1);
    // Each equals `ness simulate` of the model edited by hand (a fresh preparation), its reliability flag included.
    for (const [T, out] of [
      [50, a1],
      [80, b],
    ] as const) {
      const raw = read(chain).data as { baths: { temperature: number }[] };
      raw.baths[0].temperature = T;
      const r = simulateAndVerifySync(validateModel(raw), { dt: 0.05 }, { time: 20, seed: 4, replicas: 2 });
      const flux = r.estimates.find((e) => e.group === "spring flux" && e.name === "2 -> 3")!;
      expect(out).toEqual({
        status: "done",
        outputs: { "springs[2-3].flux": flux.value, "springs[2-3].flux.error": flux.error },
        flags: { "springs[2-3].flux": { reliable: flux.reliable, ...(flux.note ? { note: flux.note } : {}) } },
      });
    }
  });

  it("zip and latin hypercube (one point per stratum, reproducible by seed)", () => {
    const z = spec(
      `axes: [{path: "baths[0].temperature", values: [1, 2, 3]}, {path: pinning, values: [4, 5, 6]}]\ncombine: zip\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
    );
    expect(Array.from(points(z.axisValues, z.combine))).toEqual([1, 4, 2, 5, 3, 6]);
    const body = (seed: number) =>
      `axes: [{path: "baths[0].temperature", range: "10:20"}, {path: pinning, log: "0.1:10"}]\ncombine: latin\nsamples: 50\nseed: ${seed}\ncompute: {kind: exact}\noutputs: [entropyProduction]`;
    const l = spec(body(3));
    const p = points(l.axisValues, l.combine, l.samples, l.seed);
    expect(Array.from(points(l.axisValues, l.combine, l.samples, 3))).toEqual(Array.from(p));
    expect(Array.from(points(l.axisValues, l.combine, l.samples, 4))).not.toEqual(Array.from(p));
    const strata0 = new Set<number>(),
      strata1 = new Set<number>();
    for (let i = 0; i < 50; i++) {
      strata0.add(Math.floor(((p[2 * i] - 10) / 10) * 50));
      strata1.add(Math.floor(((Math.log10(p[2 * i + 1]) + 1) / 2) * 50));
    }
    expect(strata0.size).toBe(50);
    expect(strata1.size).toBe(50);
  });

  it("simulate: outputs are measured (value and error columns)", async () => {
    const s = spec(
      `axes: [{path: "baths[0].temperature", values: [50]}]\ncompute: {kind: simulate, time: 20, dt: 0.05, replicas: 2}\noutputs: ["springs[2-3].flux"]`,
    );
    const ps = prepareSweep(s);
    expect(ps.columns).toEqual(["springs[2-3].flux", "springs[2-3].flux.error"]);
    const a = await ps.evaluate([50]),
      b = await ps.evaluate([50]);
    expect(a).toEqual(b);
    expect(a.status).toBe("done");
  });

  const bad: [string, string][] = [
    [
      `axes: [{path: "baths[9].temperature", values: [1]}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "unknown field path 'baths[9].temperature'",
    ],
    [
      `axes: [{path: name, values: [1]}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "is not a number in the base model",
    ],
    [`axes: [{path: pinning, values: []}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`, "the axis is empty"],
    [
      `axes: [{path: pinning, range: "0:1:0"}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "count must be a whole number >= 1",
    ],
    [
      `axes: [{path: pinning, range: "0:1:2"}]\ncompute: {kind: exact}\noutputs: ["springs[7-8].flux"]`,
      "unknown output 'springs[7-8].flux'",
    ],
    [
      `axes: [{path: pinning, range: "0:1:2"}]\ncompute: {kind: exact}\noutputs: [springs]`,
      "is not a number in the result",
    ],
    [
      `axes: [{path: pinning, range: "0:1:2", values: [1]}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "exactly one of range, log, values",
    ],
    [
      `axes: [{path: pinning, log: "0:1:2"}]\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "log range needs start and stop > 0",
    ],
    [
      `axes: [{path: pinning, range: "0:1:2"}]\ncompute: {kind: simulate}\noutputs: [entropyProduction]`,
      "needs time and dt",
    ],
    [
      `axes: [{path: pinning, range: "0:1:2"}]\ncompute: {kind: exact}\noutputs: [entropyProduction]\nextra: 1`,
      "unknown field 'extra'",
    ],
    // Two axes on one field: the later overwrote the earlier, whose column labelled points with values never used.
    [
      `axes:\n  - {path: "baths[0].temperature", name: T1, range: "1:2:3"}\n  - {path: "baths[0].temperature", name: T2, range: "1:2:3"}\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "is the same field of the base model as axes[0].path",
    ],
    [
      `axes:\n  - {path: "springs[0].stiffness", name: a, range: "1:2:2"}\n  - {path: "springs[1-2].stiffness", name: b, range: "1:2:2"}\ncompute: {kind: exact}\noutputs: [entropyProduction]`,
      "'springs[1-2].stiffness' is the same field of the base model as axes[0].path 'springs[0].stiffness'",
    ],
  ];
  it.each(bad)("refuses a bad spec with one line naming the field (%#)", (body, fragment) => {
    let err: unknown;
    try {
      prepareSweep(spec(body));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SweepError);
    expect((err as Error).message).toContain(fragment);
    expect((err as Error).message).not.toContain("\n");
  });
});

describe("sweep spec of a study", () => {
  it("refuses two axes on one parameter", () => {
    const s = parseSweepSpec(
      `base: {study: variance-resonance, parameters: {k0: 0.01, q: 4000, T1: 1, T2: 11}}\naxes:\n  - {path: k, name: a, range: "1:2:2"}\n  - {path: k, name: b, range: "1:2:2"}\ncompute: {kind: study}\noutputs: ["covariance.sigma11"]`,
      "s.yaml",
    );
    expect(() => prepareSweep(s)).toThrow(/axes\[1\]\.path: 'k' is the same parameter as axes\[0\]\.path 'k'/);
  });
});

describe("sweep spec JSON Schema and version", () => {
  it("schema/sweep.schema.json is generated from the current validator (run `npm run schema`)", async () => {
    const { sweepJsonSchema } = await import("../../src/sweep/spec.js");
    const committed = JSON.parse(readFileSync(new URL("../../schema/sweep.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(sweepJsonSchema())));
    expect(Object.keys((committed as { properties: object }).properties)).toEqual(
      expect.arrayContaining(["base", "axes", "compute", "outputs", "seed"]),
    );
  });

  it("NESS_VERSION (stored with every result and in every key) is package.json's version", async () => {
    const { NESS_VERSION } = await import("../../src/version.js");
    expect(NESS_VERSION).toBe(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version);
  });
});
