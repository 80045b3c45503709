// Every study's replicas and sweep points run on the worker pool (ctx.runner): the results are the same, bit for
// bit, with 1 and 2 worker threads and in process (small runs of each study's simulations, of two sweeps, and of
// the reproduce figure sets that run several simulations at once).
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { BlockRunner } from "../../src/stochastic/ensemble.js";
import type { Study } from "../../src/studies/contract.js";
import { energyCorrelationsStudy } from "../../src/studies/energy-correlations/definition.js";
import { particleBathChain } from "../../src/studies/particle-bath-chain/definition.js";
import { validateParams } from "../../src/studies/particle-bath-chain/params.js";
import { currentSimulationScan } from "../../src/studies/particle-bath-chain/study.js";
import { runStudy } from "../../src/studies/run.js";
import { demixingSweep } from "../../src/studies/two-temperature/demixing.js";
import {
  demixing,
  polymer,
  ratchet,
  runAndChase,
  twoTemperature,
} from "../../src/studies/two-temperature/definition.js";
import { workerRunner } from "../../src/workers/pool.js";

const built = existsSync(new URL("../../dist/workers/simulateWorker.js", import.meta.url));

const cases: [string, Study, Record<string, unknown>][] = [
  ["two-temperature --simulate", twoTemperature as Study, { simulate: true, time: 10, replicas: 3 }],
  ["two-temperature run-and-chase --simulate", runAndChase as Study, { simulate: true, time: 2, replicas: 3 }],
  ["two-temperature ratchet", ratchet as Study, { time: 2, replicas: 3 }],
  ["two-temperature demixing", demixing as Study, { N: 60, time: 20, burnIn: 5, sampleInterval: 1, replicas: 3 }],
  ["two-temperature polymer", polymer as Study, { monomers: 4, time: 4, replicas: 3, dt: 0.01 }],
  [
    "energy-correlations --simulate",
    energyCorrelationsStudy as Study,
    { model: "ideal-gas", Cv: 1000, simulate: true, replicas: 4, duration: 50 },
  ],
  [
    "particle-bath-chain --probe --simulate",
    particleBathChain as Study,
    { N: 4, Nb: 8, zeta: 0.05, TL: 5, probe: true, pairs: 2, simulate: true, replicas: 2, duration: 20 },
  ],
];

describe.skipIf(!built)("studies on worker threads", () => {
  const runners = built ? [workerRunner(1), workerRunner(2)] : [];
  afterAll(async () => {
    for (const r of runners) await r.close();
  });
  const threeWays = async <T>(run: (runner: BlockRunner | undefined) => Promise<T>): Promise<T[]> => [
    await run(undefined),
    await run(runners[0]),
    await run(runners[1]),
  ];

  for (const [name, study, input] of cases) {
    it(`${name}: 1 and 2 workers and in process give the same results`, async () => {
      const [inProcess, one, two] = await threeWays((runner) => runStudy(study, input as never, { seed: 4, runner }));
      expect(two).toEqual(one);
      expect(one).toEqual(inProcess);
    });
  }

  it("sweeps: every point of a demixing sweep and of a chain-current scan on the pool, the same numbers", async () => {
    const base = { N: 60, dt: 0.1, time: 20, burnIn: 5, sampleInterval: 1, replicas: 2, seed: 3 };
    const sweeps = await threeWays((runner) => demixingSweep({ ratios: [1, 30], phis: [0.3, 0.5], base }, { runner }));
    expect(sweeps[2]).toEqual(sweeps[1]);
    expect(sweeps[1]).toEqual(sweeps[0]);
    const p = validateParams({ N: 4, Nb: 8, TR: 0 });
    const scans = await threeWays((runner) =>
      currentSimulationScan(
        p,
        { zetas: [0.05, 0.1], TLs: [[2, 5], [3]], replicas: 2, duration: 20, burnIn: 5, seed: 7 },
        { runner },
      ),
    );
    expect(scans[2]).toEqual(scans[1]);
    expect(scans[1]).toEqual(scans[0]);
  });

  // The figure sets of `ness reproduce two-temperature` that are one computation of several runs (runAll over
  // points, ratios, sizes, sequences; a set declared as a point map is checked through the CLI in
  // test/sweep/reproduce.test.ts), at their quick size: each run's replica blocks go to the pool.
  const SETS = ["fig2-entropy-production", "fig7-demixing-finite-size", "fig9-hot-cold-polymer"];
  for (const id of SETS) {
    it(`reproduce two-temperature ${id} (quick): 1 and 2 workers and in process give the same results`, async () => {
      const set = twoTemperature.reproduce.find((c) => c.id === id)!;
      const [inProcess, one, two] = await threeWays((runner) =>
        set.compute(set.parameters(true), { seed: set.seed ?? 1, quick: true, runner }),
      );
      expect(two).toEqual(one);
      expect(one).toEqual(inProcess);
    });
  }
});
