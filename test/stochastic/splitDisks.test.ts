// One system split across threads (splitDisks.ts, SimulationOptions.threads): the kernel's forces and energy against
// a brute-force sum over all pairs; the whole run the same to the bit for 1, 2 and 3 threads (shares run one after
// another here; on worker threads in test/workers/splitThreads.test.ts); the physics of the default engine within
// error bars; clear errors for what it does not split.
import { describe, expect, it } from "vitest";
import { validateParticles } from "../../src/model/particles.js";
import { eulerMaruyama, heun } from "../../src/stochastic/integrators.js";
import { Rng } from "../../src/stochastic/rng.js";
import { simulateSync } from "../../src/stochastic/run.js";
import {
  cellsPerAxis,
  FORCE_PHASES,
  Phase,
  serialExecutor,
  splitConfig,
  splitIntegrator,
  splitSkin,
  SplitStepHeat,
} from "../../src/stochastic/splitDisks.js";
import { CounterRng } from "../../src/stochastic/counterRng.js";
import { PairHeatLedger } from "../../src/stochastic/pairHeat.js";
import { ModelError } from "../../src/errors.js";

/** Metzger's hot/cold mixture of soft disks (area fraction 0.4) with N disks in a rectangular box. */
const mixture = (N: number, aspect = 1) => {
  const area = (N * Math.PI) / (4 * 0.4);
  const Lx = Math.sqrt(area * aspect),
    Ly = area / Lx;
  return validateParticles({
    kind: "particles",
    dynamics: "overdamped",
    dimension: 2,
    box: [Lx, Ly],
    species: [
      { name: "hot", count: N / 2, temperature: 0.02 },
      { name: "cold", count: N / 2, temperature: 0.0002 },
    ],
    pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
    initial: "random",
  });
};

/** Energy and forces of soft disks (k, range 1) over all pairs, minimum image: written apart from the kernel. */
function bruteForce(x: Float64Array, box: [number, number], k: number): { u: number; f: Float64Array } {
  const N = x.length / 2;
  const f = new Float64Array(2 * N);
  let u = 0;
  for (let a = 0; a < N; a++)
    for (let b = a + 1; b < N; b++) {
      let dx = x[2 * a] - x[2 * b],
        dy = x[2 * a + 1] - x[2 * b + 1];
      dx -= box[0] * Math.round(dx / box[0]);
      dy -= box[1] * Math.round(dy / box[1]);
      const r = Math.hypot(dx, dy);
      if (r >= 1) continue;
      u += (k / 2) * (1 - r) ** 2;
      const g = (k * (1 - r)) / r;
      f[2 * a] += g * dx;
      f[2 * a + 1] += g * dy;
      f[2 * b] -= g * dx;
      f[2 * b + 1] -= g * dy;
    }
  return { u, f };
}

describe("the split kernel", () => {
  it("forces and energy equal a brute-force sum (positions far outside the box included)", () => {
    const m = mixture(700, 1.7);
    const c = splitConfig(m, 0.1, 3, false);
    const exec = serialExecutor({ ...c, stiffness: 2.5 });
    const x = exec.kernel.x;
    const r = Rng.stream(4);
    // Random positions, dense clusters (many overlaps), some several boxes away (unwrapped coordinates).
    for (let i = 0; i < 700; i++) {
      x[2 * i] = (i % 7 === 0 ? 5 * r.uniform() : r.uniform()) * c.box[0] * (i % 11 === 0 ? -3 : 1);
      x[2 * i + 1] = (i % 5 === 0 ? 0.2 : 1) * r.uniform() * c.box[1] + (i % 13 === 0 ? 7 * c.box[1] : 0);
    }
    exec.run(FORCE_PHASES);
    const ref = bruteForce(x, c.box, 2.5);
    expect(ref.u).toBeGreaterThan(10); // many overlapping pairs
    expect(Math.abs(exec.kernel.potential() - ref.u)).toBeLessThan(1e-12 * ref.u * 700);
    // Rounding: coordinates up to ~200 are wrapped into the box (an error of ~200 eps in a separation), each force a
    // sum of up to a dozen terms in another order than here.
    let worst = 0,
      largest = 0;
    for (let i = 0; i < 1400; i++) {
      worst = Math.max(worst, Math.abs(exec.kernel.f[i] - ref.f[i]));
      largest = Math.max(largest, Math.abs(ref.f[i]));
    }
    expect(largest).toBeGreaterThan(1);
    expect(worst).toBeLessThan(1e-12 * largest);
  });

  it("a coordinate many boxes out that wraps to a rounding below 0 is sorted into its own row (no pair missed)", () => {
    const m = mixture(700, 1.7);
    const c = splitConfig(m, 0.1, 3, false);
    const [nx, ny] = cellsPerAxis({ ...c, margin: splitSkin(c) });
    expect(nx).toBeGreaterThan(3);
    expect(ny).toBeGreaterThan(3);
    const [Lx, Ly] = c.box,
      h = Ly / ny;
    // An unwrapped x = k Lx less a rounding whose x / Lx rounds up to k: x - Lx floor(x / Lx) is a rounding below 0.
    let xa = NaN;
    for (let k = 2; k < 5000 && Number.isNaN(xa); k++)
      for (let x = k * Lx, j = 0; j < 6; j++) {
        x -= Math.abs(x) * 1.1e-16;
        if (x - Lx * Math.floor(x / Lx) < 0) {
          xa = x;
          break;
        }
      }
    expect(Number.isNaN(xa)).toBe(false);
    const exec = serialExecutor({ ...c, stiffness: 2.5 });
    const x = exec.kernel.x;
    // Everyone else on a lattice at least 2 from the pair's corner of the box.
    for (let i = 2; i < 700; i++) {
      x[2 * i] = 2 + ((i % 25) * 1.02 * (Lx - 4)) / 25;
      x[2 * i + 1] = 2 + Math.floor((i - 2) / 25) * ((Ly - 4) / 28);
    }
    // The pair: a at the top of row 2, b across the row boundary at the bottom of row 3, at x ~ 0 (0.4 apart).
    x[0] = xa;
    x[1] = 3 * h - 0.2;
    x[2] = 0.05;
    x[3] = 3 * h + 0.2;
    exec.run(FORCE_PHASES);
    const ref = bruteForce(x, c.box, 2.5);
    expect(Math.hypot(ref.f[0], ref.f[1])).toBeGreaterThan(0.5);
    let worst = 0;
    for (let i = 0; i < 1400; i++) worst = Math.max(worst, Math.abs(exec.kernel.f[i] - ref.f[i]));
    expect(worst).toBeLessThan(1e-9);
  });

  it("forces over the lists of an earlier sort, every particle moved up to half the skin, equal a brute-force sum", () => {
    const m = mixture(900, 0.6);
    const c = splitConfig(m, 0.1, 2, false);
    expect(c.skin).toBeGreaterThan(0.5); // the wide skin of a sort every few steps (verletSkin)
    const exec = serialExecutor(c);
    const k = exec.kernel,
      x = k.x;
    const r = Rng.stream(11);
    for (let i = 0; i < 1800; i += 2) {
      x[i] = (r.uniform() - 0.5) * 3 * c.box[0];
      x[i + 1] = r.uniform() * c.box[1];
    }
    exec.run(FORCE_PHASES);
    const half = 0.49 * c.skin!;
    for (let round = 0; round < 3; round++) {
      // Each particle moved (from the sort's position) in a random direction by up to half the skin: pairs that were
      // beyond the range at the sort come within it; no new sort.
      for (let i = 0; i < 1800; i += 2) {
        const a = 2 * Math.PI * r.uniform(),
          d = half * Math.sqrt(r.uniform());
        x[i] = k.sortPositions()[i] + d * Math.cos(a);
        x[i + 1] = k.sortPositions()[i + 1] + d * Math.sin(a);
      }
      exec.run([Phase.ForcesX, Phase.CombineF]);
      const ref = bruteForce(x, c.box, 1);
      expect(ref.u).toBeGreaterThan(10);
      expect(Math.abs(k.potential() - ref.u)).toBeLessThan(1e-12 * ref.u * 900);
      let worst = 0,
        largest = 0;
      for (let i = 0; i < 1800; i++) {
        worst = Math.max(worst, Math.abs(k.f[i] - ref.f[i]));
        largest = Math.max(largest, Math.abs(ref.f[i]));
      }
      expect(worst).toBeLessThan(1e-12 * largest);
    }
  });

  it.each([
    ["Heun", heun({ dt: 0.1 })],
    ["Euler-Maruyama", eulerMaruyama({ dt: 0.1 })],
  ])("%s: the step's pair heat taken in the force loop equals the ledger's own pass (pairHeat.ts)", (_, scheme) => {
    // Hot disks 5x hotter than the study's (D = 0.1): many pairs cross the range in a step, the margin is wider.
    const m = validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 2,
      box: [26, 21],
      species: [
        { name: "hot", count: 200, temperature: 0.2, friction: 2 },
        { name: "cold", count: 150, temperature: 0.01 },
      ],
      pairs: [{ potential: "soft", stiffness: 3, range: 1 }],
      initial: "random",
    });
    const dt = 0.1;
    const sink = new SplitStepHeat(m);
    expect(sink.enableStepHeat([0.1, 0.01], dt)).toBe(true);
    const c = splitConfig(m, dt, 3, true, sink);
    expect(c.heat!.margin).toBeGreaterThan(0.3);
    const integ = splitIntegrator(c, scheme, sink);
    const st = integ.init(CounterRng.counterStream(5));
    const r = Rng.stream(2);
    for (let i = 0; i < st.x.length; i += 2) {
      st.x[i] = r.uniform() * 26;
      st.x[i + 1] = r.uniform() * 21;
    }
    integ.force(st);
    const ledger = new PairHeatLedger(m);
    let accounted = 0,
      largest = 0;
    for (let step = 0; step < 12; step++) {
      st.accountStep = step !== 3; // a step not accounted: no heat, the same forces
      integ.step(st);
      const h = sink.takeStepHeat();
      if (step === 3) {
        expect(h).toBeNull();
        continue;
      }
      if (h === null) continue; // a particle outran the margin (rare): the probe's ledger takes that step
      accounted++;
      const ref = new Float64Array(2);
      ledger.correct(st.xPrev, st.x, 1 / dt, ref, 1);
      const scale = Math.abs(ref[0]) + Math.abs(ref[1]);
      largest = Math.max(largest, scale);
      // Sums of a few thousand pair terms in another order, each share D_a / (D_a + D_b) vs 1 - D_b / (D_a + D_b).
      expect(Math.abs(h[0] - ref[0])).toBeLessThan(1e-11 * scale + 1e-14);
      expect(Math.abs(h[1] - ref[1])).toBeLessThan(1e-11 * scale + 1e-14);
    }
    expect(accounted).toBeGreaterThan(8);
    expect(largest).toBeGreaterThan(1e-3); // the correction is not trivially zero
  });

  it.each([
    ["Heun", heun({ dt: 0.1 })],
    ["Euler-Maruyama", eulerMaruyama({ dt: 0.1 })],
  ])("%s: the step's trapezoid sums made by the threads equal a pass over the particles", (_, scheme) => {
    const m = mixture(700, 1.4);
    const dt = 0.1,
      S = 2,
      stride = 3;
    const sink = new SplitStepHeat(m);
    sink.enableTrapezoidSums();
    const c = splitConfig(m, dt, 3, true, sink);
    expect(c.sums).not.toBeNull();
    const integ = splitIntegrator(c, scheme, sink);
    const st = integ.init(CounterRng.counterStream(4));
    const r = Rng.stream(6);
    for (let i = 0; i < st.x.length; i += 2) {
      st.x[i] = r.uniform() * m.box![0];
      st.x[i + 1] = r.uniform() * m.box![1];
    }
    integ.force(st);
    const out = new Float64Array(S * stride);
    expect(sink.addTrapezoidSums(out, stride)).toBe(false); // no step yet
    let largest = 0;
    for (let step = 0; step < 6; step++) {
      integ.step(st);
      // The probe's terms (particleProbe.ts, trapezoidPass), written apart: per species the heat and displacements.
      const ref = new Float64Array(S * stride),
        scale = new Float64Array(S * stride);
      for (let a = 0; a < m.speciesOf.length; a++) {
        const o = m.speciesOf[a] * stride;
        for (let k = 0; k < 2; k++) {
          const i = 2 * a + k,
            dx = (st.x[i] - st.xPrev[i]) / dt,
            q = -0.5 * (st.fPrev[i] + st.f[i]) * dx;
          ref[o] += q;
          scale[o] += Math.abs(q);
          ref[o + 1 + k] += dx;
          scale[o + 1 + k] += Math.abs(dx);
        }
      }
      out.fill(0);
      expect(sink.addTrapezoidSums(out, stride)).toBe(true);
      for (let j = 0; j < out.length; j++) expect(Math.abs(out[j] - ref[j])).toBeLessThan(1e-12 * scale[j] + 1e-300);
      expect(sink.addTrapezoidSums(out, stride)).toBe(false); // consumed
      largest = Math.max(largest, Math.abs(ref[0]), Math.abs(ref[stride]));
    }
    expect(largest).toBeGreaterThan(1e-4); // the heat is not trivially zero
  });

  it("a sparse system in a huge box gets at most about 4 cells per particle, each no smaller than the range", () => {
    const [nx, ny] = cellsPerAxis({ n: 100, box: [1e5, 3e4], range: 1 });
    expect(nx * ny).toBeLessThanOrEqual(409);
    expect(1e5 / nx).toBeGreaterThanOrEqual(1);
    expect(cellsPerAxis({ n: 10, box: [3.5, 1e6], range: 1 })).toEqual([3, 16]);
    expect(cellsPerAxis({ n: 10_000, box: [140.1, 140.1], range: 1 })).toEqual([140, 140]);
  });
});

describe("a split run", () => {
  const m = mixture(1200);
  const same = (a: number[], b: number[]) => expect(a.map((v) => Object.is(v, v) && v)).toEqual(b);

  it.each([
    ["Heun, exact pair heat", heun({ dt: 0.1 }), {}],
    ["Euler-Maruyama, trapezoid pair heat", eulerMaruyama({ dt: 0.1 }), { pairHeat: "trapezoid" as const }],
    ["Heun without heat", heun({ dt: 0.1 }), { heat: false }],
  ])("%s: the same numbers on 1, 2 and 3 threads", (_, scheme, extra) => {
    const run = (threads: number) =>
      simulateSync(m, scheme, { time: 6, burnIn: 1, seed: 9, replicas: 2, threads, ...extra }).estimates.map(
        (e) => [e.value, e.error] as const,
      );
    const one = run(1).flat();
    expect(one.every((v) => Number.isFinite(v))).toBe(true);
    same(run(2).flat(), one);
    same(run(3).flat(), one);
  });

  it.each([["trapezoid" as const], ["exact" as const]])(
    "the same physics as the default engine (potential energy, heat flows) within error bars, %s pair heat",
    (pairHeat) => {
      const options = { time: 30, burnIn: 10, seed: 3, replicas: 4, pairHeat };
      const base = simulateSync(m, heun({ dt: 0.1 }), options);
      const split = simulateSync(m, heun({ dt: 0.1 }), { ...options, threads: 2 });
      let compared = 0;
      for (const e of split.estimates) {
        const b = base.estimates.find((x) => x.group === e.group && x.name === e.name)!;
        if (!(e.error > 0 && b.error > 0)) continue;
        compared++;
        // Two independent estimates: their difference within 5 combined error bars (8 replicas' worth of values).
        expect(Math.abs(e.value - b.value)).toBeLessThan(5 * Math.hypot(e.error, b.error));
      }
      expect(compared).toBeGreaterThan(5);
      const u = split.estimates.find((e) => e.group === "potential energy")!;
      expect(u.value / u.error).toBeGreaterThan(4); // resolved: the comparison above can fail
    },
  );

  it("refuses what it does not split, in one line", () => {
    const o = { time: 1, seed: 1 };
    expect(() => simulateSync(m, heun({ dt: 0.1 }), { ...o, threads: 0 })).toThrow(
      /threads must be an integer from 1 to 8, got 0/,
    );
    expect(() => simulateSync(m, heun({ dt: 0.1 }), { ...o, threads: 2.5 })).toThrow(ModelError);
    expect(() => simulateSync(m, heun({ dt: 0.1 }), { ...o, threads: 2, noise: "stream" })).toThrow(
      /counter-based noise/,
    );
    const withTrap = validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 2,
      box: 10,
      species: [{ name: "a", count: 10, temperature: 1 }],
      pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
      external: [{ potential: "cosine", amplitude: 1, period: 5, axis: "x" }],
    });
    expect(() => simulateSync(withTrap, heun({ dt: 0.01 }), { ...o, threads: 2 })).toThrow(
      /threads \(splitting one system across threads\): it takes no external potential/,
    );
  });
});
