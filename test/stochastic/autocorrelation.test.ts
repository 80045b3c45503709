// The autocorrelation of a series against a second method (the direct sum over pairs) and against the exact
// autocorrelation of an AR(1) series, rho(k) = a^k, tau = (1 + a) / (1 - a), within their statistical errors
// (Bartlett's variance of rho(k) for AR(1); Sokal's variance of the windowed tau).
import { describe, expect, it } from "vitest";
import { autocorrelation, integratedTime, summarizeSeries, thin } from "../../src/stochastic/autocorrelation.js";
import { Rng } from "../../src/stochastic/rng.js";
import { integratedAutocorrelation } from "../../src/stochastic/statistics.js";

function ar1(a: number, n: number, seed: number): Float64Array {
  const rng = Rng.stream(seed, 0, 0);
  const xi = new Float64Array(n);
  rng.fillNormal(xi, 0, n);
  const x = new Float64Array(n);
  x[0] = xi[0];
  const s = Math.sqrt(1 - a * a);
  for (let i = 1; i < n; i++) x[i] = a * x[i - 1] + s * xi[i];
  return x;
}

describe("autocorrelation", () => {
  it("equals the direct sum over pairs (odd length, nonzero mean)", () => {
    const n = 1001;
    const x = ar1(0.5, n, 3).map((v, i) => v + 2 + 0.001 * i);
    const rho = autocorrelation(x, 60);
    let m = 0;
    for (const v of x) m += v;
    m /= n;
    const c = (k: number) => {
      let s = 0;
      for (let i = 0; i + k < n; i++) s += (x[i] - m) * (x[i + k] - m);
      return s / n;
    };
    const c0 = c(0);
    expect(rho.length).toBe(61);
    for (let k = 0; k <= 60; k++) expect(Math.abs(rho[k] - c(k) / c0)).toBeLessThan(1e-12);
  });

  it("of an AR(1) series: rho(k) = a^k and tau = (1 + a)/(1 - a), within 4 error bars", () => {
    const a = 0.8,
      n = 1 << 16;
    const rho = autocorrelation(ar1(a, n, 7), 200);
    for (let k = 1; k <= 6; k++) {
      // Bartlett: var rho(k) = [(1 + a^2)(1 - a^(2k)) / (1 - a^2) - 2 k a^(2k)] / n for AR(1).
      const a2k = a ** (2 * k);
      const sd = Math.sqrt(((1 + a * a) * (1 - a2k)) / (1 - a * a) - 2 * k * a2k) / Math.sqrt(n);
      expect(Math.abs(rho[k] - a ** k)).toBeLessThan(4 * sd);
      expect(a ** k).toBeGreaterThan(4 * sd); // resolved: the comparison could fail
    }
    const it = integratedTime(rho);
    const tau = (1 + a) / (1 - a);
    expect(it.converged).toBe(true);
    const sd = tau * Math.sqrt((2 * (2 * it.window + 1)) / n); // Sokal's variance of the windowed estimate
    expect(Math.abs(it.tau - tau)).toBeLessThan(4 * sd);
    expect(sd).toBeLessThan(0.1 * tau);
  });

  it("a slow tail behind a fast alternating part (Sokal's window closes at lag 1): tau = 3.889 exactly, as the runs' rule", () => {
    // x = u + v, u an AR(1) series of coefficient -0.8 and variance 4, v one of coefficient 0.9 and variance 1:
    // tau = (4 (1 - 0.8)/(1 + 0.8) + 1 (1 + 0.9)/(1 - 0.9)) / 5 = (4/9 + 19)/5, where Sokal's window alone closes at lag
    // 1 on 1 + 2 rho(1) = 1 + 2 (4 (-0.8) + 0.9)/5 = 0.08.
    const exact = (4 / 9 + 19) / 5,
      n = 1 << 16;
    for (const seed of [1, 2, 3]) {
      const u = ar1(-0.8, n, 100 + seed),
        v = ar1(0.9, n, 200 + seed);
      const x = u.map((ui, i) => 2 * ui + v[i]);
      const rho = autocorrelation(x, 400);
      const it = integratedTime(rho);
      expect(it.converged).toBe(true);
      // Sokal's variance of a windowed estimate over the window Geyer's sequence summed: about 6 % here
      const sd = exact * Math.sqrt((2 * (2 * it.window + 1)) / n);
      expect(sd).toBeLessThan(0.1 * exact);
      expect(Math.abs(it.tau - exact)).toBeLessThan(4 * sd);
      // the same g as the simulation's correlation-time rule gives the series (one replica; its window is half this)
      const g = integratedAutocorrelation(x, [n], new Float64Array(n));
      expect(Math.abs(g - exact)).toBeLessThan(4 * sd);
    }
  });

  it("summaries: thinned series, lags in time units, tau in time units", () => {
    const n = 10000,
      dt = 0.5;
    const time = Float64Array.from({ length: n }, (_, i) => (i + 1) * dt);
    const x = ar1(0.5, n, 1);
    const [s] = summarizeSeries(time, [{ name: "x", values: x }], { maxPoints: 1000 });
    expect(s.values.length).toBe(1000);
    expect(s.time[1] - s.time[0]).toBeCloseTo(10 * dt, 12);
    expect(s.lag[1]).toBeCloseTo(dt, 12); // drawn to four windows: fewer than 2000 lags, none thinned
    expect(s.lag.length).toBe(Math.max(20, 4 * integratedTime(autocorrelation(x)).window) + 1);
    expect(s.tau / dt).toBeCloseTo(integratedTime(autocorrelation(x)).tau, 10);
    expect(thin([1, 2, 3, 4, 5], 2)).toEqual([1, 4]);
  });
});

describe("integratedTime refuses a rho it cannot sum", () => {
  // rho from autocorrelation() always holds rho(0) and at least one lag, all finite: anything else has no
  // integrated time, and a number made of it (tau 1 from an empty rho, NaN from a NaN lag) would be read as one.
  const refuses = (rho: Float64Array, message: string) =>
    expect(() => integratedTime(rho)).toThrow(expect.objectContaining({ name: "ModelError", message }));

  it("refuses an empty rho and rho(0) alone", () => {
    refuses(new Float64Array(0), "integratedTime: rho needs rho(0) and at least one lag, got 0 value(s)");
    refuses(Float64Array.of(1), "integratedTime: rho needs rho(0) and at least one lag, got 1 value(s)");
  });

  it("refuses a NaN or infinite lag, wherever it is", () => {
    const rho = Float64Array.from({ length: 200 }, (_, k) => 0.5 ** k);
    for (const [k, bad] of [
      [1, NaN],
      [150, NaN], // beyond the window where the sum would stop: still refused
      [3, Infinity],
    ] as const) {
      const r = rho.slice();
      r[k] = bad;
      refuses(r, `integratedTime: rho has a non-finite value at lag ${k}`);
    }
    refuses(Float64Array.of(NaN, 0.5, 0.25), "integratedTime: rho has a non-finite value at lag 0");
  });

  it("refuses a window factor that is not a positive number", () => {
    const rho = Float64Array.from({ length: 50 }, (_, k) => 0.5 ** k);
    expect(() => integratedTime(rho, 0)).toThrow("the window factor c must be a positive number");
    expect(() => integratedTime(rho, NaN)).toThrow("the window factor c must be a positive number");
    // the valid rho still gives its sum: 1 + 2 sum_{k<=W} 0.5^k = 3 - 2 * 0.5^W, closed at W = 15 >= 5 tau
    const it = integratedTime(rho);
    expect(it.window).toBe(15);
    expect(it.tau).toBeCloseTo(3 - 2 * 0.5 ** 15, 12);
  });
});
