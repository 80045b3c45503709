// The studies' ensembles (the energy-correlations SDE, the particle-bath-chain system) on the engine's block runner:
// in process, on worker threads (1 and 2 workers) and on Web Workers, the numbers are bit-identical.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NessError } from "../../src/errors.js";
import { ensemble, ensembleSync, prepareEnsemble, runBlock, type EnsembleJob } from "../../src/stochastic/ensemble.js";
import { webWorkerRunner, type WorkerLike } from "../../src/stochastic/webPool.js";
import type { WebBlockTask } from "../../src/stochastic/webWorker.js";
import { energyCorrelationsEnsemble, idealGas } from "../../src/studies/energy-correlations/index.js";
import { validateParams } from "../../src/studies/particle-bath-chain/params.js";
import { chainCurrentEnsemble, probeDecayEnsemble } from "../../src/studies/particle-bath-chain/simulation.js";
import { workerRunner } from "../../src/workers/pool.js";
import { validateParticles } from "../../src/model/particles.js";
import { langevinProblem } from "../../src/problem/langevin.js";
import { baoab } from "../../src/stochastic/integrators.js";
import type { LangevinSettings } from "../../src/stochastic/langevinEnsemble.js";

const built = existsSync(new URL("../../dist/workers/simulateWorker.js", import.meta.url));

const jobs: Record<string, () => EnsembleJob<unknown>> = {
  "energy-correlations (multiplicative-noise SDE)": () =>
    energyCorrelationsEnsemble(
      { model: idealGas({ Cv: 1000 }), M: 2, left: 1, right: 3 },
      { seed: 7, replicas: 5, duration: 50 },
    ) as EnsembleJob<unknown>,
  "particle-bath-chain probe pairs": () =>
    probeDecayEnsemble(validateParams({ TL: 10, zeta: 0.05, Nb: 8 }), {
      pairs: 3,
      v0: 50,
      seed: 3,
      duration: 20,
    }) as EnsembleJob<unknown>,
  "particle-bath-chain chain current": () =>
    chainCurrentEnsemble(validateParams({ N: 4, TL: 5, TR: 0, zeta: 0.05, Nb: 8 }), {
      replicas: 3,
      duration: 40,
      burnIn: 5,
      seed: 9,
    }) as EnsembleJob<unknown>,
  "a particle model's Langevin problem (2D soft disks in a cosine field: pairs and external terms)": () => {
    const model = validateParticles({
      kind: "particles",
      dynamics: "underdamped",
      dimension: 2,
      box: 6,
      species: [
        { name: "hot", count: 12, temperature: 2 },
        { name: "cold", count: 12, temperature: 0.5 },
      ],
      pairs: [{ potential: "soft", stiffness: 10, range: 1 }],
      external: [{ potential: "cosine", amplitude: 0.5, period: 3, species: ["hot"] }],
    });
    const settings: LangevinSettings = {
      scheme: baoab({ dt: 0.005 }),
      burnSteps: 50,
      batches: 2,
      batchSteps: 100,
      observables: [
        { name: "p_0^2", terms: [[48, 48, 1]] },
        {
          name: "x_0 + y_23",
          terms: [
            [0, -1, 1],
            [47, -1, 1],
          ],
        },
      ],
    };
    const problem = {
      ...langevinProblem(model),
      initial: { uniform: [{ from: 0, count: 48, range: [0, 6] as const }] },
    };
    return { problem, options: { replicas: 3, seed: 4, settings } } as EnsembleJob<unknown>;
  },
};

/** A stand-in for `new Worker(...)` speaking webWorker.ts's protocol, run in process. */
function fakeWorker(): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    terminate: () => undefined,
    postMessage(message: unknown) {
      const task = message as WebBlockTask;
      setTimeout(async () => {
        try {
          const result = await runBlock(prepareEnsemble(task.spec), task.first, task.count, {});
          w.onmessage?.({ data: { type: "result", result } });
        } catch (err) {
          const e = err as Error;
          w.onmessage?.({
            data: { type: "error", name: err instanceof NessError ? e.name : "Error", message: e.message },
          });
        }
      }, 0);
    },
  };
  return w;
}

describe("study ensembles on the block runner", () => {
  for (const [name, make] of Object.entries(jobs)) {
    it(`${name}: Web Workers (1 and 2) give the in-process numbers bit for bit`, async () => {
      const job = make();
      const reference = ensembleSync(job.problem, job.options);
      for (const workers of [1, 2]) {
        const r = await ensemble(job.problem, { ...job.options, runner: webWorkerRunner(fakeWorker, workers) });
        expect(r, `${workers} workers`).toEqual(reference);
      }
    });
  }

  it.skipIf(!built)(
    "worker threads: 1 and 2 workers give bit-identical numbers, equal to the in-process run",
    async () => {
      const runners = [workerRunner(1), workerRunner(2)];
      try {
        for (const [name, make] of Object.entries(jobs)) {
          const job = make();
          const reference = ensembleSync(job.problem, job.options);
          const [one, two] = [
            await ensemble(job.problem, { ...job.options, runner: runners[0] }),
            await ensemble(job.problem, { ...job.options, runner: runners[1] }),
          ];
          expect(two, `${name}: 2 workers vs 1`).toEqual(one);
          expect(one, `${name}: workers vs in process`).toEqual(reference);
        }
      } finally {
        for (const r of runners) await r.close();
      }
    },
  );
});
