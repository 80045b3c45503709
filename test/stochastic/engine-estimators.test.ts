import { describe, expect, it } from "vitest";
import { heun } from "../../src/stochastic/integrators.js";
import { preparePlan, ReplicaRun, withoutEngineEstimators } from "../../src/stochastic/run.js";
import { demixingModel } from "../../src/studies/two-temperature/demixing.js";

describe("a plan without the engine's estimators (withoutEngineEstimators)", () => {
  it("steps the same trajectory to the bit, and samples nothing", () => {
    const model = demixingModel({ N: 60, phi: 0.5, Thot: 0.02, Tcold: 0.002, seed: 3 });
    const plan = preparePlan(model, heun({ dt: 0.1 }), {
      time: 40,
      burnIn: 10,
      seed: 3,
      replicas: 1,
      batches: 2,
      covariance: false,
      heat: false,
    });
    const lean = withoutEngineEstimators(plan);
    expect(lean.K).toBe(plan.K);
    const meansA = new Float64Array(plan.batches * plan.K),
      meansB = new Float64Array(plan.batches * plan.K);
    // One replica after the other: the two plans share one force field (and its neighbour lists), as a thread's
    // replicas do.
    const a = new ReplicaRun(plan, 0, [], meansA);
    while (!a.done) a.advance(97);
    const xa = Float64Array.from(a.current.x),
      ua = a.current.potential;
    const b = new ReplicaRun(lean, 0, [], meansB);
    while (!b.done) b.advance(61);
    const xb = b.current.x;
    for (let i = 0; i < xa.length; i++) expect(Object.is(xa[i], xb[i])).toBe(true);
    expect(b.current.potential).toBe(ua);
    // The full plan's batch means hold the potential energy per particle (> 0 for overlapping soft disks); the lean
    // plan's stay 0.
    expect(meansA.some((v) => v !== 0)).toBe(true);
    expect(meansB.every((v) => v === 0)).toBe(true);
  });
});
