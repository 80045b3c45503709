// The lab's live estimates (lab/src/live.ts, what the page shows while a run goes on) in Node, without a browser: for a
// linear model they carry the slowest-mode rule of "reliable" as `ness simulate` does (src/verify attachExact), so a
// short run's batches too short against the slowest mode are never shown as reliable with an error bar several times
// too small. The model is the one of test/stochastic/errorbar-coverage.test.ts: slowest rate 0.01 (relaxation time
// 100), one replica of 200 time units in 32 batches of 6.25.
import { describe, expect, it } from "vitest";
import { liveEstimates } from "../../lab/src/live.js";
import { ticks } from "../../lab/src/liveSnapshot.js";
import { loadModel } from "../../src/model/index.js";
import { prepareEnsemble, runBlockSync } from "../../src/stochastic/ensemble.js";
import { exactOU, heun } from "../../src/stochastic/integrators.js";
import { simulationSpec, reduceBlocks, type Plan } from "../../src/stochastic/run.js";
import { exactReference } from "../../src/verify/reference.js";
import { reduceBatches } from "../../src/stochastic/statistics.js";
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
    // the correlated-run rule (reliability.ts) or the slowest-mode rule, whichever sees it first
    expect(cov[0].note).toMatch(/shorter than 5 correlation times|the batches of .* in this run are correlated/);
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

  it("at the end of a run the live estimates are the finished run's: values, error bars, batch correlations, flags", () => {
    // Two hot and cold monomers on a bond in a trap (a linear particle model): the pair heat is left open, so the
    // engine chooses between the state and the trapezoid heat (its check rows are not estimates); 3 replicas in two
    // blocks, 16 batches each. Reduced as one replica (the old live reduction) the lag-1 batch correlation, which pairs
    // only batches of the same replica, is lost, and the check rows were shown.
    const dimer = loadModel(`
kind: particles
dimension: 1
species: [{name: hot, count: 1, temperature: 3}, {name: cold, count: 1, temperature: 1}]
external: [{potential: harmonic, stiffness: 1}]
bonds: [{potential: harmonic, stiffness: 1, path: [0, 1]}]
`);
    const reference = exactReference(dimer)!;
    const spec = simulationSpec(
      dimer,
      heun({ dt: 0.005 }),
      withStationaryLaw({ time: 80, seed: 4, replicas: 3, batches: 16, burnIn: 2 }, reference),
    );
    const plan = prepareEnsemble(spec) as Plan;
    const blocks = [runBlockSync(plan, 0, 2), runBlockSync(plan, 2, 1)];
    const steps = plan.nBurn + plan.nProduction;
    const partial = blocks.map((b) => ({ first: b.first, count: b.count, index: b.count, steps, outputs: b.outputs }));
    // in the order the runner may hand them
    const live = liveEstimates(plan, [...partial].reverse(), reference)!;
    const final = verifySimulation(reduceBlocks(plan, blocks), reference);
    expect(live.map((e) => `${e.group}: ${e.name}`)).toEqual(final.estimates.map((e) => `${e.group}: ${e.name}`));
    let correlated = 0;
    live.forEach((e, k) => {
      const f = final.estimates[k];
      expect(e.value, e.name).toBe(f.value);
      expect(e.error, e.name).toBe(f.error);
      expect(e.batches).toBe(48);
      expect(e.batchCorrelation, e.name).toBe(f.batchCorrelation);
      if (e.batchCorrelation !== undefined) correlated++;
      expect(e.exact, e.name).toBe(f.exact);
      // the final flags add the time-step rules (none binds at this dt: every bias is below half an error bar)
      expect(f.note ?? "").not.toMatch(/time-step bias/);
      expect(e.reliable, e.name).toBe(f.reliable);
    });
    expect(correlated).toBe(live.length);
    expect(final.pairHeat).toBeDefined();
  });

  it("a run in progress pairs batches within each replica only, however many each has finished", () => {
    const { plan, block } = run(2000, 3, 5);
    const K = plan.K;
    // replica 0 complete, replica 1 at 10 batches, replica 2 not started
    const steps = plan.nBurn + 10 * plan.batchLength;
    const live = liveEstimates(plan, [{ first: 0, count: 3, index: 1, steps, outputs: block.outputs }])!;
    expect(live[0].batches).toBe(plan.batches + 10);
    // the same batch means reduced with the replica boundary given explicitly
    const rows = new Float64Array((plan.batches + 10) * K);
    rows.set(block.outputs.subarray(0, plan.batches * K));
    rows.set(block.outputs.subarray(plan.perReplica, plan.perReplica + 10 * K), plan.batches * K);
    const twoReplicas = reduceBatches(rows, K, [plan.batches, 10], plan.estimands);
    live.forEach((e, k) => expect(e.batchCorrelation).toBe(twoReplicas[k].batchCorrelation));
    expect(live.some((e) => e.batchCorrelation !== undefined)).toBe(true);
  });
});

describe("the live snapshot's axes", () => {
  it("ticks a box side at 1, 2 or 5 times a power of ten, 4 to 8 ticks from 0 to at most the side", () => {
    expect(ticks(112.3)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(7)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ticks(9)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(50)).toEqual([0, 10, 20, 30, 40, 50]);
    for (const side of [0.37, 1, 3.3, 9.99, 10, 44.7, 141.4, 999, 2.5e4]) {
      const t = ticks(side);
      const step = t[1] - t[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
      expect(t.length).toBeGreaterThanOrEqual(4);
      expect(t.length).toBeLessThanOrEqual(8);
      expect(t[t.length - 1]).toBeLessThanOrEqual(side * (1 + 1e-9));
      expect(t[t.length - 1] + step).toBeGreaterThan(side);
    }
  });
});
