/**
 * Paths from a simulation's positions to its outputs that once called an engine-dependent Math function (whose last
 * bit ECMAScript leaves to the engine) and now use the portable ones (src/special/elementary.ts): the FFT's twiddle
 * factors (the structure factor's grid route), the choice between the structure factor's two routes, and the slab
 * estimator's phase. Checked by perturbing the Math functions' last bits: the same results, and none of them called.
 */
import { describe, expect, it, vi } from "vitest";
import { fft } from "../../src/stochastic/autocorrelation.js";
import { structureFactorMethod } from "../../src/stochastic/structureFactor.js";
import { phaseOf, slabSample, SLAB_SAMPLE_SIZE } from "../../src/studies/two-temperature/demixingSlab.js";

const NAMES = ["sin", "cos", "atan", "atan2", "exp", "log", "log2", "pow"] as const;

/** f() while every Math function of NAMES returns other last bits; the names of those it called. */
function perturbed<T>(f: () => T): { value: T; called: string[] } {
  const spies = NAMES.map((name) => {
    const real = Math[name] as (...a: number[]) => number;
    return vi.spyOn(Math, name).mockImplementation((...a: number[]) => real(...a) * (1 + 2 ** -50));
  });
  try {
    const value = f();
    return { value, called: NAMES.filter((_, i) => spies[i].mock.calls.length > 0) };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

describe("engine-independent output paths", () => {
  it("the FFT: the same bits with perturbed Math functions, and it matches the direct sum", () => {
    const u = lcg(3);
    const n = 256;
    const re0 = Float64Array.from({ length: n }, () => u() - 0.5);
    const im0 = Float64Array.from({ length: n }, () => u() - 0.5);
    const run = () => {
      const re = re0.slice(),
        im = im0.slice();
      fft(re, im);
      return [re, im];
    };
    const before = run();
    const after = perturbed(run);
    expect(after.called).toEqual([]);
    expect(after.value).toEqual(before);
    // an independent check of the result: the direct sum at a few frequencies
    for (const k of [0, 1, 17, 128, 255]) {
      let sr = 0,
        si = 0;
      for (let j = 0; j < n; j++) {
        const ang = (-2 * Math.PI * j * k) / n;
        sr += re0[j] * Math.cos(ang) - im0[j] * Math.sin(ang);
        si += re0[j] * Math.sin(ang) + im0[j] * Math.cos(ang);
      }
      expect(Math.abs(before[0][k] - sr) + Math.abs(before[1][k] - si)).toBeLessThan(1e-12);
    }
  });

  it("the structure factor's route is chosen without an engine-dependent log2", () => {
    const wv = { nx: Int32Array.from([1, 0, 1, 2, -3]), ny: Int32Array.from([0, 1, 1, 3, 5]) };
    const before = [10, 1000, 100000].map((N) => structureFactorMethod(N, wv as never));
    const after = perturbed(() => [10, 1000, 100000].map((N) => structureFactorMethod(N, wv as never)));
    expect(after.called).toEqual([]);
    expect(after.value).toEqual(before);
    expect(new Set(before).size).toBe(2); // both routes taken over these sizes
  });

  it("the slab's phase: within 2 ulp of Math.atan2 in every quadrant, and the slab sample without Math calls", () => {
    const u = lcg(11);
    for (let i = 0; i < 20000; i++) {
      const a = (u() - 0.5) * 10 ** (i % 7),
        b = (u() - 0.5) * 10 ** (i % 5);
      const want = Math.atan2(b, a);
      const got = phaseOf(a, b);
      if (!(Math.abs(got - want) <= 2 * Math.abs(want) * 2 ** -52))
        throw new Error(`phaseOf(${a}, ${b}) = ${got}, Math.atan2 ${want}`);
    }
    for (const [a, b, want] of [
      [1, 0, 0],
      [-1, 0, Math.PI],
      [0, 1, Math.PI / 2],
      [0, -1, -Math.PI / 2],
      [-1, -0, -Math.PI],
    ])
      expect(phaseOf(a, b)).toBe(want);

    const N = 64,
      L = 10;
    const x = new Float64Array(2 * N);
    const cold = new Int32Array(N);
    for (let j = 0; j < N; j++) {
      cold[j] = j % 2;
      x[2 * j] = (j % 2 ? 3 + 2 * u() : 6 + 5 * u()) % L;
      x[2 * j + 1] = L * u();
    }
    const g = { L, width: 4, centre: 5, x: 0.5, nCold: N / 2, N, contrast: 1 };
    const sample = () => {
      const out = new Float64Array(SLAB_SAMPLE_SIZE);
      slabSample(x, cold, g, out);
      return out;
    };
    const before = sample();
    const after = perturbed(sample);
    expect(after.called).toEqual([]);
    expect(after.value).toEqual(before);
  });
});
