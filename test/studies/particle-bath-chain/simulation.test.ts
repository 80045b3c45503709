import { describe, expect, it } from "vitest";
import {
  couplingForceField,
  couplingTable,
  effectiveBath,
  effectiveCurrent,
  simulateChainCurrent,
  simulateProbeDecay,
  validateParams,
} from "../../../src/studies/particle-bath-chain/index.js";
import { ndcSimulationScan } from "../../../src/studies/particle-bath-chain/study.js";

const within = (x: number, target: number, sigma: number, k = 4) => Math.abs(x - target) < k * sigma;

describe("the mixed simulator (chain + overdamped particles + Langevin bath)", () => {
  it("interpolates the von Mises coupling to 1e-10", () => {
    for (const rho of [0.5, 2, 10, 40]) {
      const t = couplingTable({ A: 1.3, rho });
      const c0 = 1.3 / (Math.exp(-rho) * besselI0(rho));
      let worst = 0;
      for (let i = 0; i < 2000; i++) {
        const th = -20 + (40 * i) / 2000 + 1e-3 * Math.sin(i);
        const F = c0 * Math.exp(rho * (Math.cos(th) - 1));
        const G = rho * Math.sin(th) * F;
        const [f, gg] = t.at(th);
        worst = Math.max(worst, Math.abs(f - F) / c0, Math.abs(gg - G) / (c0 * Math.max(1, rho)));
      }
      expect(worst).toBeLessThan(1e-10);
    }
  });

  it("the coupling term's forces are -dU/dx of its energy (central differences); its overdamped-only evaluation agrees", () => {
    const term = {
      term: "particle-bath-chain/coupling" as const,
      site: 1,
      first: 2,
      count: 5,
      eps: 0.3,
      A: 1.3,
      rho: 2,
      L: 1.7,
    };
    const dof = 7;
    const overdamped = Uint8Array.from([0, 0, 1, 1, 1, 1, 1]);
    const field = couplingForceField(term, dof, overdamped);
    const x = Float64Array.from([0.4, -0.8, 0.1, 1.3, -2.9, 0.85, 5.2]);
    const f = new Float64Array(dof);
    field.compute(x, f);
    const scratch = new Float64Array(dof);
    const h = 1e-5;
    for (let i = 0; i < dof; i++) {
      const up = x.slice(),
        down = x.slice();
      up[i] += h;
      down[i] -= h;
      const slope = (field.compute(up, scratch) - field.compute(down, scratch)) / (2 * h);
      expect(Math.abs(f[i] + slope), `coordinate ${i}`).toBeLessThan(1e-7);
    }
    expect(f[0]).toBe(0);
    const partial = new Float64Array(dof);
    field.addOverdamped!(x, partial);
    for (let i = 2; i < dof; i++) expect(partial[i]).toBe(f[i]);
    // Overdamped site: no shortcut (its force would be missing).
    expect(couplingForceField(term, dof, Uint8Array.from([0, 1, 1, 1, 1, 1, 1])).addOverdamped).toBeUndefined();
  });

  it("a single probe's friction from the decay of its mean velocity matches gamma_L where time scales separate", () => {
    // T_L = 10, zeta = 0.05: slowest bath time 0.08 against the probe's period 6.4 (memory shifts gamma by 0.5%).
    const p = validateParams({ TL: 10, zeta: 0.05 });
    const r = simulateProbeDecay(p, { pairs: 16, v0: 50, seed: 3 });
    expect(r.friction.error / r.gammaL).toBeLessThan(0.05);
    expect(within(r.friction.value, r.gammaL, r.friction.error)).toBe(true);
    // The probe is softened, not stiffened, by the bath: k_eff = K - softening (minus sign of docs/corrections.md).
    const soft = p.K - r.stiffness.value;
    expect(soft / effectiveBath(p).softening).toBeGreaterThan(0.9);
    expect(soft / effectiveBath(p).softening).toBeLessThan(1.1);
  });

  it("a slow bath (no time-scale separation) misses the formula but follows the memory-kernel theory", () => {
    const p = validateParams({ TL: 20, zeta: 1 });
    const r = simulateProbeDecay(p, { pairs: 16, v0: 50, seed: 5 });
    expect(within(r.friction.value, r.memoryFriction, r.friction.error)).toBe(true);
    expect(Math.abs(r.friction.value - r.gammaL)).toBeGreaterThan(8 * r.friction.error);
  });

  it("the full system's current matches the effective chain where time scales separate", () => {
    // zeta = 0.01, T_L = 2: omega_c x bath time = 0.16.
    const p = validateParams({ N: 8, TL: 2, TR: 0, zeta: 0.01 });
    const sim = simulateChainCurrent(p, { replicas: 2, duration: 2000, burnIn: 200, seed: 9 });
    const theory = effectiveCurrent(p, "exact");
    expect(sim.current.error / theory).toBeLessThan(0.05);
    expect(within(sim.current.value, theory, sim.current.error)).toBe(true);
    expect(within(sim.springCurrent.value, theory, sim.springCurrent.error)).toBe(true);
  });

  it("... and the memory-kernel theory where they do not (zeta = 1), far from the Markov theory", () => {
    const p = validateParams({ N: 8, TL: 5, TR: 0, zeta: 1 });
    const sim = simulateChainCurrent(p, { replicas: 2, duration: 2000, burnIn: 200, seed: 10 });
    expect(within(sim.current.value, effectiveCurrent(p, "memory"), sim.current.error)).toBe(true);
    expect(Math.abs(sim.current.value - effectiveCurrent(p, "exact"))).toBeGreaterThan(20 * sim.current.error);
  });

  it("Fig. 4's setting (T_R = 10, zeta = 1): simulated points against the memory theory where resolved", async () => {
    // T_L < T_R, where the current is largest against its noise; far from the Markov theory at zeta = 1.
    const p = validateParams({ N: 8, TR: 10, zeta: 1 });
    const points = await ndcSimulationScan(p, {
      points: [
        { k: 1, TL: 2, TR: 10 },
        { k: 0.5, TL: 5, TR: 10 },
      ],
      replicas: 2,
      duration: 3000,
      burnIn: 200,
      seed: 4041,
    });
    for (const q of points) {
      expect(Math.abs(q.memory)).toBeGreaterThan(4 * q.simulated.error); // resolved
      expect(within(q.simulated.value, q.memory, q.simulated.error)).toBe(true);
      expect(Math.abs(q.simulated.value - q.markov)).toBeGreaterThan(4 * q.simulated.error);
      expect(q.memory).toBeCloseTo(effectiveCurrent({ ...p, k: q.k, TL: q.TL, TR: q.TR }, "memory"), 12);
    }
  });

  it("the same seed gives the same numbers", () => {
    const p = validateParams({ N: 4, TL: 3, TR: 1, zeta: 0.1 });
    const o = { replicas: 2, duration: 50, burnIn: 10, seed: 42 };
    const a = simulateChainCurrent(p, o);
    const b = simulateChainCurrent(p, o);
    expect(b.current).toEqual(a.current);
    expect(simulateChainCurrent(p, { ...o, seed: 43 }).current.value).not.toBe(a.current.value);
  });
});

function besselI0(x: number): number {
  let term = 1;
  let s = 1;
  for (let k = 1; k < 500; k++) {
    term *= (x * x) / (4 * k * k);
    s += term;
    if (term < 1e-17 * s) break;
  }
  return s;
}
