import { describe, expect, it } from "vitest";
import { besselIScaled } from "../../../src/special/bessel.js";
import {
  coupling,
  effectiveBath,
  frictionSeries,
  meanForce,
  memoryFriction,
  probeRelaxation,
  validateParams,
} from "../../../src/studies/particle-bath-chain/index.js";
import { ModelError } from "../../../src/errors.js";

const fig2 = validateParams({ zeta: 1, TL: 1 }); // m = K = 1, N_b = 40, eps = 0.1, A = 1, rho = 2, L = 25

describe("effective bath (Krekels et al. 2026, Section 3 and Appendix A)", () => {
  it("the coupling has mean A and the variance used by k_eff (trapezoid on the ring)", () => {
    const n = 4096;
    let s = 0;
    let s2 = 0;
    for (let j = 0; j < n; j++) {
      const f = coupling(fig2, (fig2.L * j) / n);
      s += f / n;
      s2 += (f * f) / n;
    }
    expect(s).toBeCloseTo(fig2.A, 13);
    const bath = effectiveBath(fig2);
    expect((s2 - s * s) / bath.varianceF - 1).toBeLessThan(1e-12);
  });

  it("k_eff = K minus the softening: the slope of the exact mean force at q = 0 (the paper's plus sign is a misprint)", () => {
    for (const TL of [0.5, 1, 3, 10]) {
      const p = { ...fig2, TL };
      const h = 1e-4;
      const slope = (meanForce(p, h) - meanForce(p, -h)) / (2 * h);
      const bath = effectiveBath(p);
      expect(slope).toBeGreaterThan(0); // the bath pushes q further out: it softens the pinning
      expect(Math.abs(slope / bath.softening - 1)).toBeLessThan(1e-7);
      expect(bath.kEff).toBeCloseTo(p.K - slope, 7);
    }
    // Values for the Figure 2 parameters: N_b eps^2 A^2 (I0(4)/I0(2)^2 - 1) = 0.4 * 1.17490658...
    expect(effectiveBath(fig2).softening).toBeCloseTo(0.4 * 1.1749065814256272, 13);
    expect(effectiveBath(fig2).criticalTemperature).toBeCloseTo(0.46996263257025, 12);
    expect(effectiveBath({ ...fig2, TL: effectiveBath(fig2).criticalTemperature }).kEff).toBeCloseTo(0, 12);
  });

  it("gamma_L's Bessel series equals a double integral over the ring with the Green function of d^2/du^2", () => {
    // sum_n I_n^2/n^2 / I0^2 = (1/(2 pi)^2) int int e^(rho (cos a + cos b)) B(a - b) da db / I0^2,
    // B(u) = sum_n cos(n u)/n^2 = pi^2/6 - pi u/2 + u^2/4 on [0, 2 pi]; trapezoid (kink on the diagonal: O(h^2)).
    const doubleIntegral = (rho: number, n: number): number => {
      const h = (2 * Math.PI) / n;
      const w = Array.from({ length: n }, (_, j) => Math.exp(rho * (Math.cos(j * h) - 1)));
      const B = Array.from({ length: n }, (_, d) => {
        const u = d * h;
        return (Math.PI * Math.PI) / 6 - (Math.PI * u) / 2 + (u * u) / 4;
      });
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += w[i] * w[j] * B[(i - j + n) % n];
      return s / (n * n);
    };
    for (const rho of [0.7, 2, 5]) {
      // Richardson extrapolation of the O(h^2) trapezoid error.
      const s = (4 * doubleIntegral(rho, 1024) - doubleIntegral(rho, 512)) / 3;
      const I0 = besselIScaled(0, rho);
      expect(Math.abs(s / (I0 * I0) / frictionSeries(rho) - 1)).toBeLessThan(1e-8);
    }
  });

  it("gamma_L = N_b eps^2 zeta L^2 (A/I0)^2 sum I_n^2/n^2 / (2 pi^2 T_L^2): scalings and the Figure 2 value", () => {
    const g1 = effectiveBath(fig2).gammaL;
    expect(g1).toBeCloseTo(((40 * 0.01 * 625) / (2 * Math.PI * Math.PI)) * frictionSeries(2), 12);
    expect(effectiveBath({ ...fig2, TL: 3 }).gammaL * 9).toBeCloseTo(g1, 12);
    expect(effectiveBath({ ...fig2, zeta: 0.25 }).gammaL * 4).toBeCloseTo(g1, 12);
    expect(effectiveBath({ ...fig2, eps: 0.2, Nb: 10 }).gammaL).toBeCloseTo(g1, 12);
    expect(g1).toBeCloseTo(6.468394108807193, 10);
  });

  it("the memory kernel reduces to the Markov friction and stiffness when the bath is fast", () => {
    const fast = { ...fig2, TL: 5, zeta: 1e-5 };
    const bath = effectiveBath(fast);
    expect(memoryFriction(bath, fast, 0.9) / bath.gammaL - 1).toBeLessThan(1e-6);
    const r = probeRelaxation(fast, bath);
    expect(Math.abs(r.friction / bath.gammaL - 1)).toBeLessThan(1e-6);
    expect(r.frequency).toBeCloseTo(Math.sqrt(bath.kEff - (bath.gammaL / 2) ** 2), 6);
    // A slow bath (zeta = 1, T_L = 5: bath time 3.2 against a period 6.3) neither softens nor damps as the formula says.
    const slow = { ...fig2, TL: 5 };
    const rs = probeRelaxation(slow);
    expect(rs.friction).toBeLessThan(0.2 * effectiveBath(slow).gammaL);
  });

  it("parameters are validated with messages naming them", () => {
    expect(() => validateParams({ zeta: -1 })).toThrow(
      /zeta \(friction zeta of the overdamped bath particles.*\) must be a number in \[1e-6, 1e6\], got -1/,
    );
    expect(() => validateParams({ N: 1 })).toThrow(ModelError);
    expect(() => validateParams({ Nb: 2.5 })).toThrow(/Nb .* must be an integer in \[1, 1e7\], got 2.5/);
    expect(() => validateParams({ TR: -1 })).toThrow(/TR .* must be 0 or a number in \[1e-6, 1e6\], got -1/);
    expect(() => validateParams({ foo: 1 })).toThrow(/unknown parameter 'foo'/);
    expect(() => validateParams({ TL: Number.NaN })).toThrow(/finite number/);
  });
});
