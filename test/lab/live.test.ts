// The lab's live estimates (lab/src/live.ts, what the page shows while a run goes on) in Node, without a browser: for a
// linear model they carry the slowest-mode rule of "reliable" as `ness simulate` does (src/verify attachExact), so a
// short run's batches too short against the slowest mode are never shown as reliable with an error bar several times
// too small. The model is the one of test/stochastic/errorbar-coverage.test.ts: slowest rate 0.01 (relaxation time
// 100), one replica of 200 time units in 32 batches of 6.25.
import { describe, expect, it } from "vitest";
import { liveEstimates } from "../../lab/src/live.js";
import { loadModel } from "../../src/model/index.js";
import { prepareEnsemble, runBlockSync } from "../../src/stochastic/ensemble.js";
import { exactOU } from "../../src/stochastic/integrators.js";
import { simulationSpec, reduceBlocks, type Plan } from "../../src/stochastic/run.js";
import { exactReference } from "../../src/verify/reference.js";
import { verifySimulation, withStationaryLaw } from "../../src/verify/simulation.js";

const SLOW = loadModel(`
kind: network
dynamics: overdamped
sites: [a, b]
pinning: 0.01
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`);

function run(time: number, replicas: number, seed: number) {
  const reference = exactReference(SLOW)!;
  // As the lab's panel: the replicas start in the exact stationary law.
  const spec = simulationSpec(
    SLOW,
    exactOU({ dt: 0.5 }),
    withStationaryLaw({ time, seed, replicas, burnIn: 0 }, reference),
  );
  const plan = prepareEnsemble(spec) as Plan;
  const block = runBlockSync(plan, 0, replicas);
  // The runner's last partial output of the block: every replica complete.
  const partial = {
    first: 0,
    count: replicas,
    index: replicas,
    steps: plan.nBurn + plan.nProduction,
    outputs: block.outputs,
  };
  return { reference, plan, block, live: liveEstimates(plan, [partial], reference)! };
}

describe("the lab's live estimates", () => {
  it("batches shorter than 5 correlation times of the slowest mode are not shown as reliable", () => {
    const { live } = run(200, 1, 1);
    expect(live).not.toBeNull();
    // every estimate of this linear model has an exact value; the batches (6.25) are far below 5 x 100 and 5 x 50
    expect(live.every((e) => e.exact !== undefined)).toBe(true);
    expect(live.filter((e) => e.reliable).map((e) => `${e.group}: ${e.name}`)).toEqual([]);
    const cov = live.filter((e) => e.group === "covariance");
    expect(cov[0].note).toMatch(/shorter than 5 correlation times/);
    // what it protects against: the first variance is more than 5 error bars off (this seed)
    expect(Math.abs(cov[0].deviation!)).toBeGreaterThan(5);
  });

  it("the live flags of a finished run are those `ness simulate` prints (src/verify), and long batches keep them", () => {
    // 4 replicas of 20000 in 32 batches of 625 = 6.25 relaxation times: linear estimates keep their flag
    const { reference, plan, block, live } = run(20000, 4, 3);
    const final = verifySimulation(reduceBlocks(plan, [block]), reference);
    for (const e of live.filter((x) => x.group === "mean" || x.group === "covariance")) {
      const f = final.estimates.find((x) => x.group === e.group && x.name === e.name)!;
      expect(e.exact).toBe(f.exact);
    }
    expect(live.filter((e) => e.reliable).length).toBeGreaterThan(0);
    for (const e of live) if (e.reliable) expect(Math.abs(e.deviation!)).toBeLessThan(4);
  });
});
