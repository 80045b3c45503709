// Problems as data (src/problem) and the exact-vs-simulated layer (src/verify): the linear SDE problem of a network
// against its equations of motion written out by hand and against equilibrium statistical mechanics (covariance
// T V^-1 for the positions, T M for the momenta), problems crossing a structured clone (what a worker receives), and
// verification attaching exact values without changing the simulation's own result.
import { describe, expect, it } from "vitest";
import { prepareStationary, stationary } from "../../src/exact/linearSde.js";
import { validateNetwork } from "../../src/model/network.js";
import { validateParticles } from "../../src/model/particles.js";
import { langevinProblem } from "../../src/problem/langevin.js";
import { networkProblem } from "../../src/problem/network.js";
import { particlesProblem } from "../../src/problem/particles.js";
import { simulateSync } from "../../src/stochastic/run.js";
import { exactReference } from "../../src/verify/reference.js";
import { verifySimulation } from "../../src/verify/simulation.js";

const pair = (T1: number, T2: number) =>
  validateNetwork({
    kind: "network",
    sites: ["a", "b"],
    masses: { a: 1, b: 2 },
    pinning: { a: 1, b: 3 },
    springs: [{ between: ["a", "b"], stiffness: 2 }],
    baths: [
      { site: "a", friction: 0.5, temperature: T1 },
      { site: "b", friction: 1.5, temperature: T2 },
    ],
  });

describe("the linear SDE problem of a network", () => {
  it("has the drift and diffusion of m q'' = -V q - gamma q' + sqrt(2 gamma T) xi, written out by hand", () => {
    const p = networkProblem(pair(2, 5));
    // y = (q_a, q_b, p_a, p_b); V = [[1 + 2, -2], [-2, 3 + 2]]; dq = p / m dt; dp = -V q dt - gamma p / m dt + noise.
    expect(Array.from(p.drift.data)).toEqual([0, 0, -1, 0, 0, 0, 0, -1 / 2, 3, -2, 0.5, 0, -2, 5, 0, 1.5 / 2]);
    expect(Array.from(p.diffusion.data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * 0.5 * 2, 0, 0, 0, 0, 2 * 1.5 * 5]);
    expect(p.stateNames).toEqual(["q:a", "q:b", "p:a", "p:b"]);
    expect(Array.from(p.masses!)).toEqual([1, 2]);
  });

  it("at equal temperatures T its stationary covariance is Gibbs': T V^-1 for the positions, T M for the momenta", () => {
    const T = 3;
    const s = stationary(networkProblem(pair(T, T)));
    const C = s.covariance.data;
    // V^-1 for V = [[3, -2], [-2, 5]], det 11.
    const Vinv = [5 / 11, 2 / 11, 2 / 11, 3 / 11];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(C[i * 4 + j]).toBeCloseTo(T * Vinv[i * 2 + j], 12);
    expect(C[2 * 4 + 2]).toBeCloseTo(T * 1, 12);
    expect(C[3 * 4 + 3]).toBeCloseTo(T * 2, 12);
    expect(C[0 * 4 + 2]).toBeCloseTo(0, 12);
    expect(s.residual).toBeLessThan(1e-14);
    expect(s.slowestRate).toBeGreaterThan(0);
  });

  it("is plain data: a structured clone (what a worker receives) solves to the same covariance", () => {
    const p = networkProblem(pair(1, 4));
    const clone = structuredClone(p);
    expect(clone).toEqual(p);
    expect(Array.from(stationary(clone).covariance.data)).toEqual(Array.from(stationary(p).covariance.data));
    const l = langevinProblem(pair(1, 4));
    expect(structuredClone(l)).toEqual(l);
  });

  it("a prepared solver gives the covariance by source bath: the parts add up to the whole (linearity in D)", () => {
    const p = networkProblem(pair(1, 4));
    const solver = prepareStationary(p);
    const whole = solver.solve().covariance.data;
    const parts = [10, 15].map((k) => {
      const D = { rows: 4, cols: 4, data: new Float64Array(16) };
      D.data[k] = p.diffusion.data[k];
      return solver.solve(D).covariance.data;
    });
    whole.forEach((x, k) => expect(parts[0][k] + parts[1][k]).toBeCloseTo(x, 12));
  });

  it("a linear particle pair is the network of its coordinates, with the particles' state names", () => {
    const m = validateParticles({
      kind: "particles",
      dimension: 1,
      dynamics: "overdamped",
      species: [{ name: "A", count: 2, friction: 1, temperature: 1 }],
      pairs: [{ between: ["A", "A"], potential: "harmonic", stiffness: 2 }],
      external: [{ species: ["A"], potential: "harmonic", stiffness: 1 }],
    });
    const p = particlesProblem(m)!;
    expect(p.stateNames).toEqual(["x:0", "x:1"]);
    // Overdamped, gamma = 1: A = V = [[1 + 2, -2], [-2, 1 + 2]], D = 2 T / gamma.
    expect(Array.from(p.drift.data)).toEqual([3, -2, -2, 3]);
    expect(Array.from(p.diffusion.data)).toEqual([2, 0, 0, 2]);
  });
});

describe("src/verify: exact values next to a simulation", () => {
  it("attaches exact values and deviations (value - exact) / error, and leaves the simulation's result as it was", () => {
    const m = pair(1, 4);
    const result = simulateSync(m, { dt: 0.02 }, { time: 200, seed: 3, replicas: 2 });
    const before = structuredClone(result);
    expect(result.exact).toBe(false);
    expect(result.estimates.every((e) => e.exact === undefined)).toBe(true);
    const reference = exactReference(m)!;
    const verified = verifySimulation(result, reference);
    expect(result).toEqual(before);
    expect(verified.exact).toBe(true);
    const flux = verified.estimates.find((e) => e.group === "spring flux")!;
    const ss = stationary(networkProblem(m));
    // Spring flux a -> b = k <q_a p_b> / m_b (the exact engine's definition, from the covariance).
    expect(flux.exact!).toBeCloseTo((2 * ss.covariance.data[0 * 4 + 3]) / 2, 12);
    expect(flux.deviation).toBeCloseTo((flux.value - flux.exact!) / flux.error, 12);
    expect(flux.timeStepBias).toBeDefined();
    // No exact answer (nonlinear, or none given): the estimates are the simulation's.
    const none = verifySimulation(result, undefined);
    expect(none.exact).toBe(false);
    expect(none.estimates.map((e) => e.value)).toEqual(result.estimates.map((e) => e.value));
  });
});
