// Positions no cell sort can take (a periodic coordinate that is not finite, or over 10^12 box lengths out, where
// wrapping keeps no precision and every such particle lands in the same cell: the pair search then lists every pair
// of them, time and memory N^2) stop the sort with a PositionBlowUp naming the particle, and a run with a SimulationError
// naming the particle, the replica and the time. Each pair search is fed such positions directly; a run is driven to
// them by an overlapping start of WCA disks (a start that passes validation).
import { describe, expect, it } from "vitest";
import { pairField, particlesModel as model } from "../helpers/particles.js";
import { Rng } from "../../src/stochastic/rng.js";
import { CounterRng } from "../../src/stochastic/counterRng.js";
import { heun } from "../../src/stochastic/integrators.js";
import { simulateSync } from "../../src/stochastic/run.js";
import { PositionBlowUp, SimulationError } from "../../src/stochastic/safety.js";
import { setSplitWasm, splitConfig, splitIntegrator } from "../../src/stochastic/splitDisks.js";
import { NessError } from "../../src/errors.js";

const one = (potential: "soft" | "wca") =>
  potential === "soft" ? { potential, stiffness: 5, range: 1 } : { potential, epsilon: 1, sigma: 1 };

const searches = [
  { name: "2D soft disks (cell order)", dimension: 2, box: 20, count: 300, pair: one("soft"), search: "cell order" },
  { name: "2D WCA (Verlet list)", dimension: 2, box: 20, count: 300, pair: one("wca"), search: "verlet list" },
  { name: "3D WCA (Verlet list)", dimension: 3, box: 9, count: 300, pair: one("wca"), search: "verlet list" },
  { name: "1D soft rods (Verlet list)", dimension: 1, box: 60, count: 30, pair: one("soft"), search: "verlet list" },
] as const;

const setUp = (c: (typeof searches)[number]) => {
  const m = model({
    dimension: c.dimension,
    box: c.box,
    species: [{ name: "a", count: c.count, temperature: 1 }],
    pairs: [c.pair],
    initial: "random",
  });
  const field = pairField(m);
  const r = Rng.stream(11);
  const x = new Float64Array(c.count * c.dimension);
  for (let i = 0; i < x.length; i++) x[i] = r.uniform() * c.box;
  const f = new Float64Array(x.length);
  field.compute(x, f);
  expect(field.search).toBe(c.search);
  return { field, x, f };
};

const thrown = (fn: () => void): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
};

describe("positions no cell sort can take", () => {
  it.each(searches)("$name: a coordinate at +-Infinity or over 10^12 box lengths out is refused, naming it", (c) => {
    const { field, x, f } = setUp(c);
    const axis = c.dimension - 1;
    for (const bad of [Infinity, -Infinity, 3e17, -2e300]) {
      const y = x.slice();
      y[7 * c.dimension + axis] = bad;
      const e = thrown(() => field.compute(y, f));
      expect(e).toBeInstanceOf(PositionBlowUp);
      expect(e).toBeInstanceOf(NessError);
      expect(e).toMatchObject({ particle: 7, axis, value: bad });
      expect((e as Error).message).toMatch(new RegExp(`particle 7's ${"xyz"[axis]} coordinate is `));
    }
    // All particles far out (a blow-up): before, they all wrapped into one cell and every pair was listed.
    const far = x.map((v) => v * 1e17);
    expect(thrown(() => field.compute(far, f))).toMatchObject({ particle: 0, axis: 0 });
    // A NaN is never sorted: no displacement exceeds the skin (the run's checks every 64 steps catch it).
  });

  it.each(searches)("$name: positions whole boxes out (up to 10^6 box lengths) are taken, the same forces", (c) => {
    const { field, x, f } = setUp(c);
    const shifted = x.slice();
    const r = Rng.stream(12);
    for (let i = 0; i < x.length; i++) shifted[i] += c.box * Math.round((r.uniform() - 0.5) * 2e6);
    const g = new Float64Array(f.length);
    field.reset();
    field.compute(shifted, g);
    let scale = 0,
      diff = 0;
    for (let i = 0; i < f.length; i++) {
      scale = Math.max(scale, Math.abs(f[i]));
      diff = Math.max(diff, Math.abs(f[i] - g[i]));
    }
    expect(scale).toBeGreaterThan(0);
    // The shift rounds each coordinate to about 2e6 L eps: forces change by that times the stiffness.
    expect(diff).toBeLessThan(1e-6 * scale);
  });

  it.each([false, true])("a split run (WebAssembly %s) refuses them before its sort", (wasm) => {
    const m = model({
      dimension: 2,
      box: [26, 21],
      species: [
        { name: "hot", count: 300, temperature: 0.2, friction: 2 },
        { name: "cold", count: 250, temperature: 0.01 },
      ],
      pairs: [{ potential: "soft", stiffness: 3, range: 1 }],
      initial: "random",
    });
    const previous = setSplitWasm(wasm);
    try {
      const integ = splitIntegrator(splitConfig(m, 0.1, 2, false, null), heun({ dt: 0.1 }));
      const st = integ.init(CounterRng.counterStream(3));
      const r = Rng.stream(4);
      for (let i = 0; i < st.x.length; i += 2) {
        st.x[i] = r.uniform() * 26;
        st.x[i + 1] = r.uniform() * 21;
      }
      integ.force(st);
      integ.step(st);
      for (let i = 0; i < st.x.length; i++) st.x[i] *= 1e17;
      expect(thrown(() => integ.step(st))).toMatchObject({ particle: 0, axis: 0 });
      st.x.fill(1);
      st.x[2 * 9 + 1] = -Infinity;
      expect(thrown(() => integ.force(st))).toMatchObject({ particle: 9, axis: 1, value: -Infinity });
    } finally {
      setSplitWasm(previous);
    }
  });

  it("a run from an overlapping start of WCA disks stops at its first step, naming the particle, replica and time", () => {
    // 40 disks within 1e-3 sigma of each other: forces of order 1e50 throw them 1e49 box lengths out in one step.
    const init: number[][] = [];
    for (let i = 0; i < 40; i++) init.push([5 + 1e-4 * (i % 7), 5 + 1e-4 * Math.floor(i / 7)]);
    const m = model({
      dimension: 2,
      box: 12,
      species: [{ name: "a", count: 40, temperature: 1 }],
      pairs: [one("wca")],
      initial: init,
    });
    const e = thrown(() => simulateSync(m, { dt: 1e-4 }, { time: 1, seed: 1, replicas: 1 }));
    expect(e).toBeInstanceOf(SimulationError);
    expect((e as Error).message).toMatch(
      /^the simulation blew up \(particle \d+'s [xy] coordinate is -?\d\.\d\de\+\d+, over 10\^12 box lengths out of the box\) in replica 0 during the burn-in at t = 0\.0001: reduce dt \(now 0\.0001\); the stability limit/,
    );
  });
});
