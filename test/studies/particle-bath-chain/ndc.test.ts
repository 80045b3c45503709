import { describe, expect, it } from "vitest";
import {
  currentMaximum,
  effectiveBath,
  effectiveCurrent,
  highTemperatureCoefficient,
  studyPoint,
  sweepTemperatures,
  validateParams,
} from "../../../src/studies/particle-bath-chain/index.js";

describe("negative differential thermal conductivity (Krekels et al. 2026, Figures 3 and 4)", () => {
  it("at fixed T_R the current has an interior maximum in T_L and decreases beyond it", () => {
    for (const over of [
      { TR: 1, zeta: 1 },
      { TR: 10, zeta: 0.1 },
      { TR: 10, zeta: 0.1, k: 0.5 },
      { TR: 0, zeta: 1 },
    ]) {
      const p = validateParams(over);
      const max = currentMaximum(p, "longChain");
      expect(max.atStabilityEdge).toBe(false);
      const J = (TL: number) => effectiveCurrent({ ...p, TL }, "longChain");
      expect(J(max.TL * 0.9)).toBeLessThan(max.current);
      expect(J(max.TL * 1.1)).toBeLessThan(max.current);
      // Stationary point (relative derivative ~ 0) and negative differential conductivity beyond it.
      const h = 1e-4 * max.TL;
      expect((Math.abs((J(max.TL + h) - J(max.TL - h)) / (2 * h)) * max.TL) / max.current).toBeLessThan(1e-5);
      for (const f of [1.5, 3, 10, 100]) expect(J(max.TL * f * 1.01)).toBeLessThan(J(max.TL * f));
      // A long finite chain has the same maximum (convergence in N is exponential but slow when 2k <= K).
      expect(Math.abs(effectiveCurrent({ ...p, N: 128, TL: max.TL }, "frequency") / max.current - 1)).toBeLessThan(
        1e-10,
      );
    }
    // Weak coupling (gamma_L << gamma_R): J ~ gamma_L (T_L - T_R) ~ (T_L - T_R) / T_L^2 peaks at T_L = 2 T_R.
    const weak = currentMaximum(validateParams({ TR: 10, zeta: 0.001 }), "longChain");
    expect(weak.TL / 20 - 1).toBeLessThan(0.01);
    expect(weak.TL).toBeGreaterThan(20);
  });

  it("J ~ C / T_L at high T_L (gamma_L ~ T_L^-2, k_eff -> K)", () => {
    for (const over of [{ zeta: 1 }, { zeta: 0.1, k: 0.3 }, { zeta: 0.1, k: 3, K: 2 }]) {
      const p = validateParams({ ...over, TR: 1 });
      const C = highTemperatureCoefficient(p);
      const TL = 1e6;
      expect(Math.abs((TL * effectiveCurrent({ ...p, TL }, "longChain")) / C - 1)).toBeLessThan(1e-5);
      // Logarithmic slope -> -1.
      const slope =
        Math.log(effectiveCurrent({ ...p, TL: 2e4 }, "longChain") / effectiveCurrent({ ...p, TL: 1e4 }, "longChain")) /
        Math.log(2);
      expect(slope).toBeCloseTo(-1, 3);
    }
  });

  it("the current is exactly linear in T_R at fixed T_L (gamma_L and k_eff depend on T_L only)", () => {
    const p = validateParams({ TL: 7, zeta: 0.1, N: 12 });
    const points = [0, 1, 2.5, 7, 11].map((TR) => ({ TL: 7, TR }));
    for (const method of ["exact", "longChain", "frequency"] as const) {
      const s = sweepTemperatures(p, points, method);
      expect(s.every((q) => q.stable)).toBe(true);
      const J = s.map((q) => q.current!);
      const slope = (J[1] - J[0]) / 1;
      for (const q of s) expect(q.current).toBeCloseTo(J[0] + slope * q.TR, 10);
      expect(s[3].current).toBeCloseTo(0, 12);
    }
  });

  it("sweeps mark unstable points (no current, no NaN or null in their JSON); studyPoint explains them", () => {
    const p = validateParams({});
    const Tc = effectiveBath(p).criticalTemperature;
    const s = sweepTemperatures(p, [
      { TL: Tc * 0.9, TR: 1 },
      { TL: Tc * 1.1, TR: 1 },
    ]);
    expect(s[0].stable).toBe(false);
    expect(s[0]).not.toHaveProperty("current");
    expect(s[1].stable).toBe(true);
    expect(Number.isFinite(s[1].current)).toBe(true);
    const sp = studyPoint({ ...p, TL: Tc * 0.9 });
    expect(sp.stable).toBe(false);
    expect(JSON.stringify(sp)).not.toMatch(/null|NaN/);
    expect(sp).not.toHaveProperty("current");
    expect(sp).not.toHaveProperty("maximum");
    expect(sp.message).toMatch(/unstable at T_L = .* needs T_L > 0\.47/);
  });
});
