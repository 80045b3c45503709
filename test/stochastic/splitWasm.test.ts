// The split's force loop in WebAssembly (asm/particles/split.ts) against the JavaScript loops of splitDisks.ts: the
// same numbers to the bit, kernel by kernel (forces, energy, the step's pair heat; a list that outgrows its room in
// the buffer falls back to the JavaScript loop) and over whole runs (positions, forces, energies and step heats after
// every step).
import { afterEach, describe, expect, it } from "vitest";
import { validateParticles } from "../../src/model/particles.js";
import { eulerMaruyama, heun } from "../../src/stochastic/integrators.js";
import { Rng } from "../../src/stochastic/rng.js";
import { CounterRng } from "../../src/stochastic/counterRng.js";
import {
  FORCE_PHASES,
  Phase,
  serialExecutor,
  setSplitWasm,
  splitConfig,
  splitIntegrator,
  SplitStepHeat,
  type SplitExecutor,
} from "../../src/stochastic/splitDisks.js";

const disks = (hot: number, cold: number, box: [number, number]) =>
  validateParticles({
    kind: "particles",
    dynamics: "overdamped",
    dimension: 2,
    box,
    species: [
      { name: "hot", count: hot, temperature: 0.2, friction: 2 },
      { name: "cold", count: cold, temperature: 0.01 },
    ],
    pairs: [{ potential: "soft", stiffness: 3, range: 1 }],
    initial: "random",
  });

/** Bit patterns (so that -0 and 0, and any last-bit difference, count). */
const bits = (a: ArrayLike<number>) => Array.from(new BigUint64Array(Float64Array.from(a).buffer));

/**
 * Long bit sequences equal, reported by their first difference: toEqual's diff of two arrays of 10^4 to 10^5 entries
 * that differ nearly everywhere takes minutes (a wrong kernel then hangs the file instead of failing it).
 */
const expectSameBits = (got: bigint[], want: bigint[]) => {
  expect(got.length).toBe(want.length);
  let i = 0;
  while (i < want.length && got[i] === want[i]) i++;
  expect(i < want.length ? { index: i, got: got[i], want: want[i] } : null).toBeNull();
};

afterEach(() => {
  setSplitWasm(true);
});

describe("the split's force loop in WebAssembly", () => {
  it("forces, energy and the step's pair heat equal the JavaScript loop's bit for bit (a list too large for the buffer included)", () => {
    const m = disks(300, 250, [26, 21]);
    const dt = 0.1;
    const sink = new SplitStepHeat(m);
    expect(sink.enableStepHeat([0.1, 0.01], dt)).toBe(true);
    const c = splitConfig(m, dt, 3, true, sink);
    setSplitWasm(false);
    const js = serialExecutor(c);
    setSplitWasm(true);
    const wasm = serialExecutor(c);
    // The noise kernel writes into the run's memory (the whole runs below compare its numbers with the JavaScript's).
    expect([js.kernel.noisePath(), wasm.kernel.noisePath()]).toEqual(["copied", "wasm"]);
    for (const cluster of [false, true]) {
      const r = Rng.stream(cluster ? 8 : 3);
      // Uniform, or a quarter of the disks piled in one cell (hundreds of partners each: that thread's list outgrows
      // its room in the buffer), some positions boxes away.
      const x0 = new Float64Array(2 * 550);
      for (let i = 0; i < 550; i++) {
        const piled = cluster && i % 4 === 0;
        x0[2 * i] = piled ? 3 + 0.8 * r.uniform() : r.uniform() * 26 * (i % 11 === 0 ? -3 : 1);
        x0[2 * i + 1] = piled ? 12 + 0.8 * r.uniform() : r.uniform() * 21;
      }
      const step = new Float64Array(2 * 550);
      for (let i = 0; i < step.length; i++) step[i] = (r.uniform() - 0.5) * 0.5 * c.skin!;
      const outs = [js, wasm].map((e: SplitExecutor) => {
        const k = e.kernel;
        k.x.set(x0);
        e.run(FORCE_PHASES);
        const first = [...bits(k.f), ...bits([k.potential()])];
        k.xPrev.set(k.x);
        k.fPrev.set(k.f);
        for (let i = 0; i < step.length; i++) k.x[i] += step[i];
        e.run([Phase.ForcesStepHeat, Phase.CombineF]);
        const heat = new Float64Array(2);
        k.stepHeat(heat);
        const loops = [0, 1, 2].map((t) => k.forceLoop(t));
        return { first, f: bits(k.f), u: k.potential(), heat: [...heat], loops };
      });
      expect(outs[0].loops).toEqual(["js", "js", "js"]);
      if (cluster) {
        expect(outs[1].loops).toContain("js"); // the pile's thread: its list is outside the buffer
        expect(outs[1].loops).toContain("wasm");
      } else expect(outs[1].loops).toEqual(["wasm", "wasm", "wasm"]);
      expect(outs[0].u).toBeGreaterThan(1); // overlapping pairs: the forces are not trivially zero
      expect(Math.abs(outs[0].heat[0]) + Math.abs(outs[0].heat[1])).toBeGreaterThan(0);
      expectSameBits(outs[1].first, outs[0].first);
      expectSameBits(outs[1].f, outs[0].f);
      expect(bits([outs[1].u, ...outs[1].heat])).toEqual(bits([outs[0].u, ...outs[0].heat]));
    }
  });

  // On 1 thread, a share of 700 ids moves in two blocks (each block's noise drawn before its move).
  it.each([
    ["Heun, exact pair heat", heun({ dt: 0.1 }), true, 2],
    ["Euler-Maruyama, exact pair heat", eulerMaruyama({ dt: 0.1 }), true, 2],
    ["Heun without heat", heun({ dt: 0.1 }), false, 2],
    ["Heun, exact pair heat, 1 thread", heun({ dt: 0.1 }), true, 1],
    ["Euler-Maruyama, exact pair heat, 1 thread", eulerMaruyama({ dt: 0.1 }), true, 1],
  ])(
    "%s: a run's positions, forces, energies, step heats and trapezoid sums equal the JavaScript loops' after every step",
    (_, scheme, withHeat, threads) => {
      const m = disks(350, 350, [30, 28]);
      const dt = 0.1;
      const run = (wasm: boolean) => {
        setSplitWasm(wasm);
        const sink = new SplitStepHeat(m);
        if (withHeat) {
          sink.enableStepHeat([0.1, 0.01], dt);
          sink.enableTrapezoidSums();
        }
        const integ = splitIntegrator(splitConfig(m, dt, threads, true, withHeat ? sink : null), scheme, sink);
        const st = integ.init(CounterRng.counterStream(12));
        const r = Rng.stream(5);
        for (let i = 0; i < st.x.length; i += 2) {
          st.x[i] = r.uniform() * 30;
          st.x[i + 1] = r.uniform() * 28;
        }
        integ.force(st);
        const out: bigint[] = [];
        for (let s = 0; s < 25; s++) {
          integ.step(st);
          const h = sink.takeStepHeat();
          const sums = new Float64Array(2 * 3);
          expect(sink.addTrapezoidSums(sums, 3)).toBe(withHeat);
          out.push(...bits(st.x), ...bits(st.f), ...bits([st.potential, ...(h ?? []), ...sums]));
        }
        return out;
      };
      const js = run(false);
      expectSameBits(run(true), js);
    },
  );

  it("a sort that meets a position off the grid (not finite) takes the JavaScript loops' count and scatter", () => {
    const m = disks(200, 200, [22, 20]);
    const c = splitConfig(m, 0.1, 2, false);
    setSplitWasm(false);
    const js = serialExecutor(c);
    setSplitWasm(true);
    const wasm = serialExecutor(c);
    const r = Rng.stream(4);
    const x0 = new Float64Array(2 * 400);
    for (let i = 0; i < 400; i++) {
      x0[2 * i] = r.uniform() * 22;
      x0[2 * i + 1] = r.uniform() * 20;
    }
    x0[2 * 300 + 1] = NaN;
    // Any NaN the same (its payload is not the point); every other number to the bit.
    const canon = (a: ArrayLike<number>) => bits(Array.from(a, (v) => (Number.isNaN(v) ? NaN : v)));
    const outs = [js, wasm].map((e) => {
      e.kernel.x.set(x0);
      e.run(FORCE_PHASES);
      return canon(e.kernel.f);
    });
    expectSameBits(outs[1], outs[0]);
  });
});
