// The cost of a simulation before it runs: what is counted, what is refused, and that measuring the cost of a step
// (replica 0 run and thrown away) leaves the results bit for bit unchanged.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkCost, describeCost, duration, MAX_SECONDS, planCost } from "../../src/cli/cost.js";
import { ModelError } from "../../src/errors.js";
import { loadModel } from "../../src/model/index.js";
import { preparePlan, simulate } from "../../src/stochastic/run.js";

const example = (p: string) => loadModel(readFileSync(new URL(`../../examples/${p}`, import.meta.url), "utf8"));
const chain = example("networks/example1-chain.yaml"); // 4 sites, underdamped: the fused kernel
const pair = example("particles/harmonic-pair.yaml"); // overdamped particles: the generic stepper, Stratonovich

describe("cost of a simulation", () => {
  it("counts steps (burn-in included) x replicas x degrees of freedom", () => {
    const plan = preparePlan(chain, { dt: 0.01 }, { time: 100, seed: 1, replicas: 3 });
    const c = planCost(plan, 2);
    expect(c.stepsPerReplica).toBe(plan.nBurn + plan.nProduction);
    expect(Math.abs(c.stepsPerReplica - 11_000)).toBeLessThanOrEqual(plan.batches); // whole batches
    expect(c.replicas).toBe(3);
    expect(c.dof).toBe(4);
    expect(c.work).toBe(c.stepsPerReplica * 3 * 4);
    // the batch means and, inside each batch, the running sums at its sub-batch starts
    expect(c.resultBytes).toBe(2 * 8 * 3 * plan.batches * plan.subBatches * plan.K);
    expect(describeCost(c)).toBe("11000 steps x 3 replicas x 4 degrees of freedom"); // 3 significant digits
  });

  it("measuring the cost of a step does not change the result (same numbers, bit for bit)", async () => {
    for (const model of [chain, pair]) {
      const options = { time: 20, seed: 7, replicas: 2 };
      const plain = await simulate(model, { dt: 0.01 }, options);
      let measured = 0;
      const withCost = await simulate(model, { dt: 0.01 }, options, {
        onPlan: async (plan) => {
          measured = (await checkCost(plan, 1, false, { calibrateAbove: 0 })).seconds!;
        },
      });
      expect(measured).toBeGreaterThan(0);
      expect(withCost.estimates).toEqual(plain.estimates);
    }
  });

  it("refuses what cannot be counted or held, even with --force", async () => {
    // Uncountable step numbers are refused when the plan is made (the library refuses them too).
    expect(() => preparePlan(chain, { dt: 1e-300 }, { time: 1, seed: 1 })).toThrow(
      /1\.10e\+300 steps per replica .* more than can be counted \(2\^53\)/,
    );
    expect(() => preparePlan(chain, { dt: 0.01 }, { time: 1e308, seed: 1 })).toThrow(
      /more steps than a number can hold/,
    );
    const many = preparePlan(chain, { dt: 0.01 }, { time: 1, seed: 1, replicas: 1e8 });
    await expect(checkCost(many, 1, true)).rejects.toThrow(ModelError);
    await expect(checkCost(many, 1, true)).rejects.toThrow(
      /GB of results \(100000000 replicas x 2 batches x \d+ estimators\), more than the 1 GB limit/,
    );
  });

  it("refuses a run estimated over an hour unless forced, with the estimate", async () => {
    const plan = preparePlan(chain, { dt: 0.01 }, { time: 1e11, seed: 1 });
    await expect(checkCost(plan, 1, false)).rejects.toThrow(
      /^this run is estimated at 1\.10e\+13 steps x 1 replica x 4 degrees of freedom, about .+ on 1 thread, over the limit of 1 hour: .* or pass --force$/,
    );
    const forced = await checkCost(plan, 1, true);
    expect(forced.seconds).toBeGreaterThan(MAX_SECONDS);
  });

  it("formats durations", () => {
    expect(duration(0.2)).toBe("1 s");
    expect(duration(45)).toBe("45 s");
    expect(duration(600)).toBe("10 min");
    expect(duration(7200)).toBe("2 hours");
    expect(duration(86400 * 5)).toBe("5 days");
    expect(duration(1e12)).toBe("32000 years");
  });
});
