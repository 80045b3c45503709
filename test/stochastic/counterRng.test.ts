// Counter-based noise (counterRng.ts): Threefry-2x32-20 against Random123's known answers; each coordinate's number
// a pure function of (seed, replica, step, coordinate), whatever the order or the split of the draws; and the
// statistics of the numbers: moments, Kolmogorov-Smirnov, the tail the slow path draws, independence across
// coordinates, steps and replicas.
import { describe, expect, it } from "vitest";
import {
  CounterRng,
  counterNoiseKernel,
  counterNormal,
  counterNormals,
  counterNormalsJs,
  threefryWords,
} from "../../src/stochastic/counterRng.js";
import { normalCdf } from "../../src/stochastic/rng.js";
import { ModelError } from "../../src/errors.js";
import { expectSameArray } from "../helpers/arrays.js";

const hex = (w: number[]) => w.map((x) => x.toString(16).padStart(8, "0")).join(" ");

describe("Threefry-2x32-20", () => {
  it("reproduces Random123's known answers (kat_vectors)", () => {
    expect(hex(threefryWords(0, 0, 0, 0))).toBe("6b200159 99ba4efe");
    expect(hex(threefryWords(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))).toBe("1cb996fc bb002be7");
    expect(hex(threefryWords(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344))).toBe("c4923a9c 483df7a0");
  });
});

describe("the SIMD kernel (asm/particles/noise.ts)", () => {
  it("fills the JavaScript loop's numbers to the bit: any key, step, first coordinate, count, growing fills", () => {
    expect(counterNoiseKernel()).toBe(true); // Node 20 has WebAssembly SIMD: the kernel, not the fallback, is tested
    // Counts from below the kernel's least (JavaScript) to fills that make it take a larger memory, odd and even
    // first coordinates and counts (the kernel takes even pieces), keys with the high bit set; 1.2% of the draws are
    // rejected by the fast path (about 2000 here), which the kernel leaves to the scalar generator.
    let compared = 0,
      mismatches = 0;
    const g = CounterRng.counterStream(2 ** 40 + 17, 5);
    for (const [first, count] of [
      [0, 31],
      [0, 32],
      [1, 33],
      [7, 1000],
      [2, 4097],
      [0, 60_000],
      [123_457, 20_001],
      [2 ** 30, 4096],
    ]) {
      for (let s = 0; s < 2; s++) {
        const [k0, k1, lo] = [g.stepKey0() ^ (s << 31), g.stepKey1(), g.state[2]];
        g.skip();
        const a = new Float64Array(count + 3).fill(7),
          b = new Float64Array(count + 3).fill(7);
        counterNormals(a, 2, first, count, k0, k1, lo);
        counterNormalsJs(b, 2, first, count, k0, k1, lo);
        for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) mismatches++;
        compared += count;
      }
    }
    expect(compared).toBeGreaterThan(150_000);
    expect(mismatches).toBe(0);
  });
});

describe("order independence", () => {
  it("a step's fill equals each coordinate's number drawn alone, in any order and in any pieces", () => {
    const n = 5001; // odd: the last coordinate's call also serves a coordinate beyond the fill
    const g = CounterRng.counterStream(11, 3);
    const steps = 40;
    const whole: Float64Array[] = [];
    const keys: [number, number, number][] = [];
    for (let s = 0; s < steps; s++) {
      keys.push([g.stepKey0(), g.stepKey1(), g.state[2]]);
      const out = new Float64Array(n);
      g.fillNormal(out, 0, n);
      whole.push(out);
    }
    // Reversed coordinates, one at a time (every slow-path draw included: 40 x 5001 draws have ~2400 of them).
    let mismatches = 0;
    for (let s = 0; s < steps; s++) {
      const [k0, k1, lo] = keys[s];
      for (let c = n - 1; c >= 0; c--) if (!Object.is(counterNormal(c, k0, k1, lo), whole[s][c])) mismatches++;
    }
    expect(mismatches).toBe(0);
    // Pieces of odd and even lengths starting at odd and even coordinates (two threads' shares of a step).
    for (const cut of [1, 2, 777, 2500, 2501, 5000]) {
      const [k0, k1, lo] = keys[7];
      const out = new Float64Array(n);
      counterNormals(out, 0, 0, cut, k0, k1, lo);
      counterNormals(out, cut, cut, n - cut, k0, k1, lo);
      expectSameArray(out, whole[7]);
    }
    // The steps differ from each other.
    expect(whole[0].some((v, c) => v !== whole[1][c])).toBe(true);
  });

  it("the four state words carry the stream: a copy continues it bit for bit (checkpoints save them)", () => {
    const a = CounterRng.counterStream(5, 1);
    const x = new Float64Array(64);
    for (let s = 0; s < 10; s++) a.fillNormal(x, 0, 64);
    const b = CounterRng.counterStream(0, 0);
    for (let k = 0; k < 4; k++) b.state[k] = a.state[k];
    const ya = new Float64Array(64),
      yb = new Float64Array(64);
    a.fillNormal(ya, 0, 64);
    b.fillNormal(yb, 0, 64);
    expectSameArray(yb, ya);
    expect(a.stepIndex).toBe(11);
  });

  it("the step counter carries into its high word, which changes the key", () => {
    const g = CounterRng.counterStream(1);
    g.state[2] = -1; // step 2^32 - 1
    const k1 = g.stepKey1();
    g.skip();
    expect(g.stepIndex).toBe(2 ** 32);
    expect(g.state[2]).toBe(0);
    expect(g.stepKey1()).not.toBe(k1);
  });

  it("draws other than whole steps are refused; bad seeds too", () => {
    const g = CounterRng.counterStream(1);
    expect(() => g.uniform()).toThrow(/whole steps/);
    expect(() => g.normal()).toThrow(/whole steps/);
    expect(() => CounterRng.counterStream(-1)).toThrow(ModelError);
  });
});

describe("statistics", () => {
  // 250 steps of 4000 coordinates: 10^6 numbers.
  const steps = 250,
    n = 4000;
  const x = new Float64Array(steps * n);
  const g = CounterRng.counterStream(2024, 0);
  for (let s = 0; s < steps; s++) g.fillNormal(x, s * n, n);
  const N = x.length;

  it("moments 0, 1, 0, 3 within 4 standard errors", () => {
    let m1 = 0,
      m2 = 0,
      m3 = 0,
      m4 = 0;
    for (const v of x) {
      const v2 = v * v;
      m1 += v;
      m2 += v2;
      m3 += v2 * v;
      m4 += v2 * v2;
    }
    expect(Math.abs(m1 / N)).toBeLessThan(4 * Math.sqrt(1 / N));
    expect(Math.abs(m2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m3 / N)).toBeLessThan(4 * Math.sqrt(15 / N));
    expect(Math.abs(m4 / N - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
  });

  it("Kolmogorov-Smirnov (sqrt(n) D < 1.63, the 1% point) and the weight of the tail the slow path draws", () => {
    const sorted = x.slice(0, 200_000).sort();
    let d = 0;
    for (let i = 0; i < sorted.length; i++) {
      const F = normalCdf(sorted[i]);
      d = Math.max(d, Math.abs(F - i / sorted.length), Math.abs(F - (i + 1) / sorted.length));
    }
    expect(d * Math.sqrt(sorted.length)).toBeLessThan(1.63);
    let tail = 0;
    for (const v of x) if (Math.abs(v) > 3.442619855899) tail++;
    const p = 2 * (1 - normalCdf(3.442619855899));
    expect(Math.abs(tail / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });

  /** Correlation of pairs (a_k, b_k) of standard normals: within 4 standard errors (1/sqrt(m)) of 0. */
  const uncorrelated = (pairs: (k: number) => [number, number], m: number) => {
    let c = 0;
    for (let k = 0; k < m; k++) {
      const [a, b] = pairs(k);
      c += a * b;
    }
    return Math.abs(c / m) < 4 / Math.sqrt(m);
  };

  it("independent across coordinates (the two words of a call, and neighbouring calls), steps and replicas", () => {
    const m = (steps * n) / 2;
    // The two words of one call: coordinates 2k and 2k + 1.
    expect(uncorrelated((k) => [x[2 * k], x[2 * k + 1]], m)).toBe(true);
    // Neighbouring calls: coordinates 2k + 1 and 2k + 2 (within a step).
    expect(uncorrelated((k) => [x[2 * k + 1], x[2 * k + 2]], m - 1)).toBe(true);
    // The same coordinate at consecutive steps.
    expect(uncorrelated((k) => [x[k], x[k + n]], (steps - 1) * n)).toBe(true);
    // Squares too (a dependence of magnitudes would show there): E[(a^2 - 1)(b^2 - 1)] = 0, standard error sqrt(4/m).
    let c2 = 0;
    for (let k = 0; k < (steps - 1) * n; k++) c2 += (x[k] * x[k] - 1) * (x[k + n] * x[k + n] - 1);
    expect(Math.abs(c2 / ((steps - 1) * n))).toBeLessThan(4 * Math.sqrt(4 / ((steps - 1) * n)));
    // The same coordinates and steps in the next replica.
    const h = CounterRng.counterStream(2024, 1);
    const y = new Float64Array(n * 25);
    for (let s = 0; s < 25; s++) h.fillNormal(y, s * n, n);
    expect(uncorrelated((k) => [x[k], y[k]], y.length)).toBe(true);
  });

  it("the sign is independent of the magnitude", () => {
    let big = 0,
      posBig = 0;
    for (const v of x)
      if (Math.abs(v) > 1) {
        big++;
        if (v > 0) posBig++;
      }
    expect(Math.abs(posBig / big - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / big));
  });
});
