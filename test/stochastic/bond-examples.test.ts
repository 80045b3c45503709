// The bonded examples of examples/particles/ run by `ness simulate`, each against something independent: the
// Feynman ratchet's current is resolved and positive and vanishes at equal temperatures (no ratchet current in
// equilibrium, whatever the asymmetry); the blocked hot/cold polymer's hot block swells, and at equal temperatures
// the two blocks (mirror images along the chain) have equal radii of gyration and no entropy production.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModel, type ParticlesModel } from "../../src/index.js";
import { heun } from "../../src/stochastic/integrators.js";
import { findEstimate } from "../../src/stochastic/run.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";

const text = (name: string) => readFileSync(new URL(`../../examples/particles/${name}`, import.meta.url), "utf8");
const load = (t: string) => loadModel(t) as ParticlesModel;

describe("examples/particles/feynman-ratchet.yaml", () => {
  const t = text("feynman-ratchet.yaml");
  const v = (m: ParticlesModel, seed: number) =>
    findEstimate(
      simulateAndVerifySync(m, heun({ dt: 0.002 }), { time: 1000, seed, replicas: 2 }),
      "drift velocity",
      "centre of mass x",
    );
  it("turns forward (up the gentle slopes) with hot vanes and a cold ratchet", () => {
    const e = v(load(t), 1);
    expect(e.value).toBeGreaterThan(4 * e.error);
  });
  it("does not turn at equal temperatures", () => {
    const e = v(load(t.replace("temperature: 0.1}", "temperature: 1}")), 2);
    expect(e.error).toBeLessThan(0.03); // well below the current at T_ratchet = 0.1 (0.069)
    expect(Math.abs(e.value)).toBeLessThan(4 * e.error);
  });
});

describe("examples/particles/hot-cold-polymer.yaml", () => {
  const t = text("hot-cold-polymer.yaml");
  const run = (m: ParticlesModel, seed: number) =>
    simulateAndVerifySync(m, heun({ dt: 0.005 }), { time: 100, seed, replicas: 4 });
  it("the hot block swells against the cold one", () => {
    const r = run(load(t), 1);
    const hot = findEstimate(r, "radius of gyration", "squared, hot"),
      cold = findEstimate(r, "radius of gyration", "squared, cold");
    expect(hot.value - cold.value).toBeGreaterThan(4 * Math.hypot(hot.error, cold.error));
  });
  it("at equal temperatures the blocks are alike and the entropy production vanishes", () => {
    const r = run(load(t.replace("temperature: 0.1}", "temperature: 3}")), 2);
    const hot = findEstimate(r, "radius of gyration", "squared, hot"),
      cold = findEstimate(r, "radius of gyration", "squared, cold"),
      ep = findEstimate(r, "entropy production", "rate");
    expect(Math.abs(hot.value - cold.value)).toBeLessThan(4 * Math.hypot(hot.error, cold.error));
    expect(Math.abs(ep.value)).toBeLessThan(4 * ep.error);
  });
});
