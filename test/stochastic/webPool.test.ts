// The browser Web Worker runner, driven by in-process stand-in workers that speak webWorker.ts's protocol: results
// identical to the in-process run, progress complete, errors passed on.
import { describe, expect, it } from "vitest";
import { NessError } from "../../src/errors.js";
import type { NetworkModel } from "../../src/model/network.js";
import { prepareEnsemble, runBlock } from "../../src/stochastic/ensemble.js";
import { simulate, simulateSync } from "../../src/stochastic/run.js";
import { webWorkerRunner, type WorkerLike } from "../../src/stochastic/webPool.js";
import type { WebBlockTask } from "../../src/stochastic/webWorker.js";
import { randomNetwork } from "../helpers/random.js";

/** A stand-in for `new Worker(webWorker.js)`: same messages, run in process, replies asynchronously. */
function fakeWorker(): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    terminate: () => undefined,
    postMessage(message: unknown) {
      const task = message as WebBlockTask;
      setTimeout(async () => {
        try {
          const plan = prepareEnsemble(task.spec);
          const result = await runBlock(plan, task.first, task.count, {
            onProgress: (steps) => w.onmessage?.({ data: { type: "progress", steps } }),
          });
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

describe("Web Worker runner", () => {
  const model = randomNetwork(4, { n: 2 });
  const options = { time: 10, seed: 3, replicas: 5 };

  it("gives the in-process result for 1 and 3 workers, with complete progress", async () => {
    const reference = simulateSync(model, { dt: 0.01 }, options);
    for (const workers of [1, 3]) {
      let done = 0;
      const r = await simulate(model, { dt: 0.01 }, options, {
        runner: webWorkerRunner(fakeWorker, workers),
        onProgress: (d) => (done = d),
      });
      expect(r.estimates).toEqual(reference.estimates);
      expect(done).toBe(r.steps);
    }
  });

  it("passes a blow-up on as a SimulationError", async () => {
    const bad = { ...(model as NetworkModel), quarticPinning: new Float64Array([1e4, 1e4]) };
    await expect(
      simulate(bad, { dt: 0.5 }, { ...options, time: 100 }, { runner: webWorkerRunner(fakeWorker, 2) }),
    ).rejects.toThrow(/blew up/);
  });
});
