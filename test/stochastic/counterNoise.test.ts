// Runs with counter-based noise (SimulationOptions.noise = "counter", counterRng.ts): other numbers than the default
// stream with the same physics. Checked against the exact engine (Metzger's harmonic pair in 2D and an underdamped
// network, whose fused kernels step aside for the generic sub-steps), and the default stream left as it was.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/index.js";
import { baoab, heun } from "../../src/stochastic/integrators.js";
import { simulateSync } from "../../src/stochastic/run.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";

const pair2d = loadModel(`
kind: particles
dynamics: overdamped
dimension: 2
species:
  - {name: hot, count: 1, temperature: 5}
  - {name: cold, count: 1, temperature: 1}
pairs:
  - {between: [hot, cold], potential: harmonic, stiffness: 1}
external:
  - {potential: harmonic, stiffness: 1}
initial: [[0, 0], [0, 0]]
`);

const network = loadModel(`
kind: network
sites: [a, b, c]
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 0.7}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 0.5, temperature: 0.5}]
`);

describe("counter noise: the exact engine's values within error bars", () => {
  it.each([
    ["harmonic pair in 2D, Heun (generic steps instead of the two-particle kernel)", pair2d, heun({ dt: 0.002 }), 200],
    ["underdamped network, BAOAB (generic steps instead of the fused kernel)", network, baoab({ dt: 0.05 }), 1500],
  ])("%s", (_, model, scheme, time) => {
    const r = simulateAndVerifySync(model, scheme, { time, seed: 3, replicas: 4, noise: "counter" });
    let compared = 0;
    for (const e of r.estimates) {
      if (e.exact === undefined || !e.reliable || !(e.error > 0)) continue;
      compared++;
      // Resolved values at 4 error bars (32 batch values: Student-t's 4.6), the rest by a relative bound.
      expect(Math.abs(e.value - e.exact)).toBeLessThan(Math.max(4.62 * e.error, 1e-12));
    }
    expect(compared).toBeGreaterThan(4);
    // The entropy production is resolved: 0.8 per dimension for the pair.
    const sigma = r.estimates.find((e) => e.group === "entropy production");
    expect(sigma!.exact! / sigma!.error).toBeGreaterThan(4);
  });
});

describe("the streams", () => {
  it("counter noise gives other numbers; the default stream is noise: 'stream', bit for bit", () => {
    const o = { time: 20, seed: 5, replicas: 2 };
    const base = simulateSync(network, baoab({ dt: 0.05 }), o);
    const stream = simulateSync(network, baoab({ dt: 0.05 }), { ...o, noise: "stream" });
    const counter = simulateSync(network, baoab({ dt: 0.05 }), { ...o, noise: "counter" });
    expect(stream.estimates.map((e) => e.value)).toEqual(base.estimates.map((e) => e.value));
    expect(counter.estimates.map((e) => e.value)).not.toEqual(base.estimates.map((e) => e.value));
    // The fused kernel turned off by hand draws from the stream: the same numbers as the kernel.
    const unfused = simulateSync(network, baoab({ dt: 0.05, fused: false }), o);
    expect(unfused.estimates.map((e) => e.value)).not.toEqual(counter.estimates.map((e) => e.value));
  });
});
