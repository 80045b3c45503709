// The rule that picks the overdamped pair heat when the model leaves it open (src/stochastic/pairHeatChoice.ts): the
// estimator with the smaller estimated mean squared error of the entropy production. Checked against the truth on
// Metzger's harmonic pair (T = 5 and 1, k = lambda = 1, exact rate 0.8), where each estimator's expectation under
// Heun at a given dt is known exactly (src/stochastic/linear.ts schemeExpectations: the chain's stationary law and
// one step of it): the true mean squared error of each is its error bar from the run squared plus its exact bias
// squared. At dt = 0.002 the trapezoid wins (bias 0.4%, error bar a third of the state function's); at dt = 0.05 the
// state function wins (the trapezoid's first-order bias, 10%, outweighs its smaller error bar). The rule must pick
// the true winner in both, by a clear margin.
import { describe, expect, it } from "vitest";
import { validateParticles } from "../../src/model/particles.js";
import { particlesAsNetwork } from "../../src/problem/particles.js";
import { heun } from "../../src/stochastic/integrators.js";
import { schemeExpectations } from "../../src/stochastic/linear.js";
import { choosePairHeatByError } from "../../src/stochastic/pairHeatChoice.js";
import { findEstimate, simulateSync } from "../../src/stochastic/run.js";
import { resolvedStandardErrors } from "../../src/studentT.js";

const pair = validateParticles({
  kind: "particles",
  dynamics: "overdamped",
  dimension: 1,
  species: [
    { name: "hot", count: 1, temperature: 5 },
    { name: "cold", count: 1, temperature: 1 },
  ],
  pairs: [{ between: ["hot", "cold"], potential: "harmonic", stiffness: 1 }],
  external: [{ potential: "harmonic", stiffness: 1 }],
  initial: [[0], [0]],
});

describe("choosePairHeatByError", () => {
  const v = (value: number, error: number) => ({ value, error });
  // D from 64 batch values: resolved beyond 4.29 of its error bars (Student's t, 63 degrees of freedom).
  const d = (value: number, error: number, batches = 64) => ({ value, error, batches });
  it("weighs each error bar against the bias it estimates", () => {
    // Small z: the trapezoid's smaller error bar wins.
    expect(choosePairHeatByError(v(1, 0.1), v(1, 0.03), d(0, 0.1), 0.01).rule).toBe("trapezoid");
    // Large z: its first-order bias z |sigma| = 0.2 outweighs the state function's error bar.
    expect(choosePairHeatByError(v(1, 0.1), v(1, 0.03), d(0, 0.1), 0.2).rule).toBe("state");
    // A resolved difference counts in full, an unresolved one not at all.
    expect(choosePairHeatByError(v(1, 0.1), v(0.8, 0.03), d(-0.2, 0.02), 0.01).rule).toBe("state");
    expect(choosePairHeatByError(v(1, 0.1), v(1, 0.03), d(-0.07, 0.02), 0.01).rule).toBe("trapezoid");
    // Without finite error bars the state function is kept.
    expect(choosePairHeatByError(v(1, NaN), v(1, 0.03), d(0, 0.1), 0.01).rule).toBe("state");
    const c = choosePairHeatByError(v(2, 0.1), v(1.9, 0.05), d(-0.1, 0.1), 0.03);
    expect(c.trapezoidBias).toBeCloseTo(0.06, 12);
    expect(c.trapezoidMse).toBeCloseTo(0.05 ** 2 + 0.06 ** 2, 12);
    expect(c.stateMse).toBeCloseTo(0.1 ** 2 + (0.03 ** 2 * 2) ** 2, 12);
    expect(c.difference.batches).toBe(64);
  });

  it("counts D as a bias only where resolved under the Student-t rule for its number of batch values", () => {
    // D at 6 of its error bars: resolved from 64 values (threshold 4.29), not from 8 (8.47) nor from 4 (32.6), where
    // 6 error bars are crossed by chance 0.05% and 0.9% of the time (a normal's 4: 6e-5).
    expect(resolvedStandardErrors(64)).toBeLessThan(6);
    expect(resolvedStandardErrors(8)).toBeGreaterThan(6);
    const state = v(1, 0.03),
      trapezoid = v(1.06, 0.01),
      D = (n: number) => d(0.06, 0.01, n);
    const many = choosePairHeatByError(state, trapezoid, D(64), 0.001);
    expect(many.trapezoidBias).toBeCloseTo(0.06, 12);
    // counted: 0.01^2 + 0.06^2 > 0.03^2 + (1e-6)^2, the state function wins
    expect(many.rule).toBe("state");
    for (const n of [8, 4]) {
      const few = choosePairHeatByError(state, trapezoid, D(n), 0.001);
      // noise at this n: only the first-order estimate z |sigma| = 0.001 is counted, and the trapezoid wins
      expect(few.trapezoidBias).toBeCloseTo(0.001, 12);
      expect(few.rule).toBe("trapezoid");
    }
    // the old fixed rule (4 error bars) would have counted it at every n
    expect(0.06 > 4 * 0.01).toBe(true);
  });
});

describe("the rule on the harmonic pair under Heun picks the estimator with the smaller true error", () => {
  const net = particlesAsNetwork(pair)!;
  for (const [dt, time, winner] of [
    [0.002, 400, "trapezoid"],
    [0.05, 1000, "state"],
  ] as const) {
    it(`dt = ${dt}: ${winner}`, () => {
      const r = simulateSync(pair, heun({ dt }), { time, seed: 7, replicas: 4, covariance: false });
      const c = r.pairHeatChoice!;
      expect(c).toBeDefined();
      // The truth: each estimator's exact expectation under Heun at this dt.
      const expected = {
        state: schemeExpectations(net, "heun", dt, "state").entropyProduction,
        trapezoid: schemeExpectations(net, "heun", dt, "stratonovich").entropyProduction,
      };
      const trueMse = (k: "state" | "trapezoid") => c[k].error ** 2 + (expected[k] - 0.8) ** 2;
      const loser = winner === "state" ? "trapezoid" : "state";
      expect(trueMse(loser)).toBeGreaterThan(1.5 * trueMse(winner));
      expect(c.rule).toBe(winner);
      expect(r.pairHeat).toBe(winner);
      // The winner converges to its own expectation, and the reported entropy production is the winner's. (The
      // loser is not checked: the state function's batch means are skewed, a sum of squared forces, and at this
      // length its value can sit 4 of its error bars low, as it does here at dt = 0.002.)
      expect(Math.abs(c[winner].value - expected[winner])).toBeLessThan(4 * c[winner].error);
      const ep = findEstimate(r, "entropy production", "rate");
      expect(ep.value).toBe(c[winner].value);
      expect(r.estimates.some((e) => e.group === "pair heat check")).toBe(false);
    });
  }
});
