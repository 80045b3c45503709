// Sweeps over a study's parameters (base: {study: NAME, parameters}): each point is the study's own compute at the
// point's parameters; Measured outputs keep their error bar; keys hash the study's parameters; 1 and 2 worker
// threads store the same rows; bad study specs are refused naming the field.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SweepError } from "../../src/errors.js";
import { SweepStore } from "../../src/io/sweepStore.js";
import { runStudy } from "../../src/studies/run.js";
import { varianceResonance } from "../../src/studies/variance-resonance/definition.js";
import { parseSweepSpec, pointKey, prepareSweep } from "../../src/sweep/index.js";
import { runCli } from "../helpers/cli.js";

const VR = `base: {study: variance-resonance, parameters: {k0: 0.01, q: 4000, T1: 1, T2: 11}}
axes: [{path: k, range: "0.9:1.1:5"}]
compute: {kind: study}
outputs: [covariance.sigma11, covariance.sigma12, closedForm.sigma11]
`;

let dir: string;
beforeAll(() => void (dir = mkdtempSync(path.join(tmpdir(), "ness-sweep-study-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rows(out: string): Map<string, { values: number[]; outputs: Record<string, number> }> {
  const s = SweepStore.openExisting(out);
  try {
    return new Map([...s.points()].map((p) => [p.key, { values: p.values, outputs: p.outputs! }]));
  } finally {
    s.close();
  }
}

describe("sweeps with a study base", () => {
  it("each point is the study's compute at its parameters; the exact covariance meets its closed form", async () => {
    const spec = parseSweepSpec(VR, "vr.yaml");
    const ps = prepareSweep(spec);
    expect(ps.resolved).toBe(false); // a study declares no result shape: its first result shows it
    for (const k of [0.9, 1, 1.1]) {
      const out = await ps.evaluate([k]);
      expect(out.status).toBe("done");
      if (out.status !== "done") continue;
      const r = await runStudy(varianceResonance, { k, k0: 0.01, q: 4000, T1: 1, T2: 11 });
      if (r.kind !== "point") throw new Error("expected a point");
      expect(out.outputs["covariance.sigma11"]).toBe(r.covariance.sigma11);
      expect(out.outputs["covariance.sigma12"]).toBe(r.covariance.sigma12);
      // Independent: the Lyapunov solve against the paper's closed form.
      expect(Math.abs(out.outputs["covariance.sigma11"] - out.outputs["closedForm.sigma11"])).toBeLessThan(
        1e-8 * out.outputs["closedForm.sigma11"],
      );
    }
    expect(ps.columns).toEqual(["covariance.sigma11", "covariance.sigma12", "closedForm.sigma11"]);
  });

  it("keys hash the study's name and parameters, the seed, the options and the version", () => {
    const spec = parseSweepSpec(VR, "vr.yaml");
    const ps = prepareSweep(spec);
    const p = ps.parameters([1]);
    expect(p).toEqual({ study: "variance-resonance", parameters: { k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 } });
    const key = pointKey(p, 0, spec.compute);
    expect(pointKey(ps.parameters([1]), 0, spec.compute)).toBe(key);
    expect(pointKey(ps.parameters([1.0000001]), 0, spec.compute)).not.toBe(key);
    expect(pointKey(p, 1, spec.compute)).not.toBe(key);
    expect(pointKey(p, 0, spec.compute, "0.0.0-other")).not.toBe(key);
    expect(pointKey({ ...(p as object), study: "other" }, 0, spec.compute)).not.toBe(key);
  });

  it("a stochastic study's Measured output keeps value and error; the estimate meets the exact value", async () => {
    const spec = parseSweepSpec(
      `base: {study: two-temperature, parameters: {simulate: true, time: 80, replicas: 4, T2: 1}}
axes: [{path: T1, values: [9, 17]}]
compute: {kind: study}
outputs: ["simulation.heatFromBath[0]", "heatFromBath[0]"]
seed: 2
`,
      "tt.yaml",
    );
    const ps = prepareSweep(spec);
    for (const T1 of [9, 17]) {
      const out = await ps.evaluate([T1]);
      if (out.status !== "done") throw new Error(out.error);
      const sim = out.outputs["simulation.heatFromBath[0]"],
        err = out.outputs["simulation.heatFromBath[0].error"],
        exact = out.outputs["heatFromBath[0]"];
      expect(exact).toBeCloseTo((T1 - 1) / 4, 10); // k = lambda = 1: J = (T1 - T2) / 4 (closed form)
      expect(exact).toBeGreaterThan(4 * err); // resolved
      expect(Math.abs(sim - exact)).toBeLessThan(4 * err);
    }
    expect(ps.columns).toEqual(["simulation.heatFromBath[0]", "simulation.heatFromBath[0].error", "heatFromBath[0]"]);
  });

  it("ness sweep: 1 and 2 worker threads store the same rows; --resume after completion computes nothing", async () => {
    const file = path.join(dir, "vr.yaml");
    writeFileSync(file, VR);
    const one = await runCli("sweep", file, "--out", path.join(dir, "one"), "--workers", "1", "--no-progress");
    expect(one.stderr).toBe("");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("5 points (5 distinct): 5 computed, 0 without a result");
    const two = await runCli("sweep", file, "--out", path.join(dir, "two"), "--workers", "2", "--no-progress");
    expect(two.code).toBe(0);
    const a = rows(path.join(dir, "one")),
      b = rows(path.join(dir, "two"));
    expect(a.size).toBe(5);
    expect(b).toEqual(a);
    const again = await runCli("sweep", file, "--out", path.join(dir, "one"), "--resume", "--no-progress");
    expect(again.code).toBe(0);
    expect(rows(path.join(dir, "one"))).toEqual(a);
  });

  const bad: [string, string, string][] = [
    [
      "unknown study",
      `base: {study: no-such-study}\naxes: [{path: k, range: "0:1:2"}]`,
      "unknown study 'no-such-study'",
    ],
    [
      "unknown parameter on an axis",
      `base: {study: variance-resonance}\naxes: [{path: kk, range: "0.5:1:2"}]`,
      "axes[0].path: unknown parameter 'kk' of study variance-resonance (parameters are",
    ],
    [
      "unknown parameter in the base",
      `base: {study: variance-resonance, parameters: {qq: 1}}\naxes: [{path: k, range: "0.5:1:2"}]`,
      "base.parameters: unknown parameter 'qq'",
    ],
    [
      "a choice is not a number",
      `base: {study: energy-correlations}\naxes: [{path: model, values: [1, 2]}]`,
      "parameter 'model' of study energy-correlations is not a number",
    ],
  ];
  it.each(bad)("refuses %s naming the field", (_what, body, fragment) => {
    const text = `${body}\ncompute: {kind: study}\noutputs: [x]\n`;
    expect(() => prepareSweep(parseSweepSpec(text, "bad.yaml"))).toThrow(SweepError);
    expect(() => prepareSweep(parseSweepSpec(text, "bad.yaml"))).toThrow(fragment);
  });

  it("refuses an axis leaving the parameter's range, and a base parameter out of range, before any point", () => {
    const axis = prepareSweep(
      parseSweepSpec(
        `base: {study: variance-resonance}\naxes: [{path: q, range: "-1:10:3"}]\ncompute: {kind: study}\noutputs: [x]\n`,
        "b.yaml",
      ),
    );
    expect(() =>
      axis.checkBounds(
        parseSweepSpec(
          `base: {study: variance-resonance}\naxes: [{path: q, range: "-1:10:3"}]\ncompute: {kind: study}\noutputs: [x]\n`,
          "b.yaml",
        ).axisValues,
        [-1],
      ),
    ).toThrow(/axes\[0\] \(q\) at -1: q must be/);
    const spec = parseSweepSpec(
      `base: {study: variance-resonance, parameters: {T1: -2}}\naxes: [{path: k, range: "0.5:1:2"}]\ncompute: {kind: study}\noutputs: [x]\n`,
      "b.yaml",
    );
    expect(() => prepareSweep(spec).checkBounds(spec.axisValues, [0.5])).toThrow(/base\.parameters: T1 must be/);
  });
});
