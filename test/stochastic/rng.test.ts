// Random numbers: reproducible streams that depend on (seed, replica) only, and the distribution of the ziggurat
// Gaussians (moments with their standard errors, Kolmogorov-Smirnov).
import { describe, expect, it } from "vitest";
import { normalCdf, normalKernel, Rng } from "../../src/stochastic/rng.js";
import { ModelError } from "../../src/errors.js";
import { expectSameArray } from "../helpers/arrays.js";

function ksStatistic(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(sorted[i]);
    d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
  }
  return d * Math.sqrt(n);
}

describe("streams", () => {
  it("the same (seed, replica) gives bit-identical numbers; other replicas and seeds differ", () => {
    const a = new Float64Array(1000),
      b = new Float64Array(1000),
      c = new Float64Array(1000),
      d = new Float64Array(1000);
    Rng.stream(42, 7).fillNormal(a, 0, 1000);
    Rng.stream(42, 7).fillNormal(b, 0, 1000);
    Rng.stream(42, 8).fillNormal(c, 0, 1000);
    Rng.stream(43, 7).fillNormal(d, 0, 1000);
    expectSameArray(a, b);
    expect(a.some((x, k) => x !== c[k])).toBe(true);
    expect(a.some((x, k) => x !== d[k])).toBe(true);
  });

  it("fills of the same sizes reproduce; every fill size gives standard normals (first values agree)", () => {
    const a = new Float64Array(5000),
      b = new Float64Array(5000);
    for (const out of [a, b]) {
      const r = Rng.stream(3, 1);
      for (let k = 0; k < 5000; k += 7) r.fillNormal(out, k, Math.min(7, 5000 - k));
    }
    expectSameArray(a, b);
  });

  it("large seeds and replica indices are accepted; bad ones are refused", () => {
    expect(Rng.stream(2 ** 53 - 1, 2 ** 40).nextUint32()).toBeGreaterThanOrEqual(0);
    expect(() => Rng.stream(-1)).toThrow(ModelError);
    expect(() => Rng.stream(1.5)).toThrow(ModelError);
  });

  it("streams of neighbouring replicas are uncorrelated (correlation within 4 standard errors of 0)", () => {
    const n = 100_000;
    const a = new Float64Array(n),
      b = new Float64Array(n);
    Rng.stream(1, 0).fillNormal(a, 0, n);
    Rng.stream(1, 1).fillNormal(b, 0, n);
    let c = 0;
    for (let k = 0; k < n; k++) c += a[k] * b[k];
    expect(Math.abs(c / n)).toBeLessThan(4 / Math.sqrt(n));
  });

  it("jump() moves to a different part of the stream", () => {
    const r = Rng.stream(5, 0);
    const before = r.nextUint32();
    const s = Rng.stream(5, 0);
    s.jump();
    expect(s.nextUint32()).not.toBe(before);
  });
});

describe("distributions", () => {
  const n = 1_000_000;
  const x = new Float64Array(n);
  Rng.stream(2024, 0).fillNormal(x, 0, n);

  it("Gaussian moments agree with 0, 1, 0, 3 within 4 standard errors", () => {
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
    // Standard errors of the sample moments of a standard normal: sqrt(1/n), sqrt(2/n), sqrt(15/n), sqrt(96/n).
    expect(Math.abs(m1 / n)).toBeLessThan(4 * Math.sqrt(1 / n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
  });

  it("Kolmogorov-Smirnov against the normal CDF (sqrt(n) D < 1.63, the 1% point), bulk and tails", () => {
    const sorted = x.slice(0, 200_000).sort();
    expect(ksStatistic(sorted, normalCdf)).toBeLessThan(1.63);
    // The tail beyond the ziggurat's base (|x| > 3.44) has the right weight: 2 (1 - Phi(3.4426)) = 5.76e-4.
    let tail = 0;
    for (const v of x) if (Math.abs(v) > 3.442619855899) tail++;
    const p = 2 * (1 - normalCdf(3.442619855899));
    expect(Math.abs(tail / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it("the sign is independent of the magnitude (the ziggurat uses disjoint bits)", () => {
    let pos = 0,
      posBig = 0,
      big = 0;
    for (const v of x) {
      if (v > 0) pos++;
      if (Math.abs(v) > 1) {
        big++;
        if (v > 0) posBig++;
      }
    }
    expect(Math.abs(pos / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    expect(Math.abs(posBig / big - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / big));
  });

  it("uniform() on [0, 1): mean and KS", () => {
    const r = Rng.stream(9, 0);
    const u = new Float64Array(100_000);
    for (let k = 0; k < u.length; k++) u[k] = r.uniform();
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    u.sort();
    expect(ksStatistic(u, (v) => v)).toBeLessThan(1.63);
  });
});

describe("the WebAssembly fill (xoshiroWasm.ts) against the JavaScript loop", () => {
  // Long fills run the kernel's fast loop and complete its rejected draws in JavaScript: the same numbers to the bit
  // and the same state afterwards as the JavaScript fill, for fills of many sizes and offsets (each with rejected
  // draws: 1.2% of draws), one after another on the same streams.
  it("the same numbers and the same state after every fill", () => {
    const a = Rng.stream(11, 3, 0),
      b = Rng.stream(11, 3, 0);
    let rejectedSeen = 0;
    for (const [offset, count] of [
      [0, 64],
      [3, 20000],
      [0, 20000],
      [7, 1001],
      [0, 60000],
      [1, 65],
      [0, 5],
    ]) {
      const x = new Float64Array(offset + count + 2),
        y = new Float64Array(offset + count + 2);
      a.fillNormal(x, offset, count);
      b.fillNormalJs(y, offset, count);
      expectSameArray(x, y);
      expectSameArray(a.state, b.state);
      // The layers' outer parts (|z| beyond the fast path's reach at layer 0: the tail) were drawn too.
      for (let k = offset; k < offset + count; k++) if (Math.abs(x[k]) > 3.442619855899) rejectedSeen++;
    }
    expect(rejectedSeen).toBeGreaterThan(10);
    expect(normalKernel()).toBe(true); // Node has WebAssembly: the kernel ran
  });
});
