// The browser Web Worker runner, driven by in-process stand-in workers that speak webWorker.ts's protocol: results
// identical to the in-process run, progress complete, errors passed on, partial outputs and pause messages.
import { describe, expect, it } from "vitest";
import { NessError } from "../../src/errors.js";
import type { NetworkModel } from "../../src/model/network.js";
import { prepareEnsemble, runBlock } from "../../src/stochastic/ensemble.js";
import { simulate, simulateSync, simulationSpec } from "../../src/stochastic/run.js";
import { webWorkerRunner, type WorkerLike } from "../../src/stochastic/webPool.js";
import { errorReply } from "../../src/stochastic/workerErrors.js";
import { SimulationError } from "../../src/stochastic/safety.js";
import { errorMessage } from "../../lab/src/simulation.js";
import type { WebBlockTask } from "../../src/stochastic/webWorker.js";
import { randomNetwork } from "../helpers/random.js";

/** Control messages the stand-in workers received ({ type: "pause" } and { type: "resume" }). */
const controls: string[] = [];

/** A stand-in for `new Worker(webWorker.js)`: same messages, run in process, replies asynchronously. */
function fakeWorker(): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    terminate: () => undefined,
    postMessage(message: unknown) {
      const m = message as WebBlockTask | { type: "pause" | "resume" };
      if (m.type === "pause" || m.type === "resume") return void controls.push(m.type);
      const task = m as WebBlockTask;
      setTimeout(async () => {
        try {
          const plan = prepareEnsemble(task.spec);
          const result = await runBlock(plan, task.first, task.count, {
            onProgress: (steps) => w.onmessage?.({ data: { type: "progress", steps } }),
            onSlice:
              task.partialMs === undefined
                ? undefined
                : (index, steps, outputs) =>
                    w.onmessage?.({
                      data: {
                        type: "partial",
                        first: task.first,
                        count: task.count,
                        index,
                        steps,
                        outputs: outputs.slice(),
                      },
                    }),
          });
          w.onmessage?.({ data: { type: "result", result } });
        } catch (err) {
          w.onmessage?.({ data: errorReply(err) });
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

  it("hands partial outputs (each block complete at the end) and sends pause/resume to its workers", async () => {
    const reference = simulateSync(model, { dt: 0.01 }, options);
    const latest = new Map<number, { index: number; count: number; outputs: Float64Array }>();
    let partials = 0;
    const runner = webWorkerRunner(fakeWorker, 2, {
      partialMs: 0,
      onPartial: (b) => {
        partials++;
        expect(b.index).toBeLessThanOrEqual(b.count);
        latest.set(b.first, b);
      },
    });
    controls.length = 0;
    runner.pause();
    expect(runner.paused).toBe(true);
    runner.resume();
    expect(runner.paused).toBe(false);
    expect(controls).toEqual([]); // no worker alive yet: a run started later starts unpaused
    const r = await simulate(model, { dt: 0.01 }, options, { runner });
    expect(r.estimates).toEqual(reference.estimates);
    expect(partials).toBeGreaterThan(latest.size);
    // The last partial of every block is the block complete: together, every replica's outputs.
    const blocks = [...latest.entries()].sort((a, b) => a[0] - b[0]);
    expect(blocks.every(([, b]) => b.index === b.count)).toBe(true);
    const plan = prepareEnsemble(simulationSpec(model, { dt: 0.01 }, options));
    const all = new Float64Array(options.replicas * plan.perReplica);
    let at = 0;
    for (const [, b] of blocks) {
      all.set(b.outputs, at);
      at += b.outputs.length;
    }
    const direct = new Float64Array(options.replicas * plan.perReplica);
    for (let r0 = 0, k = 0; r0 < options.replicas; r0++) {
      const one = await runBlock(plan, r0, 1);
      direct.set(one.outputs, k);
      k += one.outputs.length;
    }
    expect(all).toEqual(direct);
  });

  it("passes a blow-up on as a SimulationError", async () => {
    const bad = { ...(model as NetworkModel), quarticPinning: new Float64Array([1e4, 1e4]) };
    await expect(
      simulate(bad, { dt: 0.5 }, { ...options, time: 100 }, { runner: webWorkerRunner(fakeWorker, 2) }),
    ).rejects.toThrow(/blew up/);
  });

  it("keeps a bug in a worker apart from a user's error (the lab says 'internal error' for it, not the message alone)", async () => {
    // A worker whose block throws `err`, as webWorker.ts posts it.
    const throwing = (err: unknown) => (): WorkerLike => {
      const w: WorkerLike = {
        onmessage: null,
        terminate: () => undefined,
        postMessage: (m: unknown) => {
          if ((m as { type?: string }).type === undefined)
            setTimeout(() => w.onmessage?.({ data: errorReply(err) }), 0);
        },
      };
      return w;
    };
    const run = (err: unknown) =>
      simulate(model, { dt: 0.01 }, options, { runner: webWorkerRunner(throwing(err), 2) }).then(
        () => expect.fail("the run should fail"),
        (e: unknown) => e,
      );
    const bug = await run(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(bug).toBeInstanceOf(Error);
    expect(bug).not.toBeInstanceOf(NessError);
    expect((bug as Error).name).toBe("TypeError");
    expect(errorMessage(bug)).toBe("internal error: Cannot read properties of undefined (reading 'x')");
    const user = await run(new SimulationError("the simulation blew up at step 3"));
    expect(user).toBeInstanceOf(SimulationError);
    expect(errorMessage(user)).toBe("the simulation blew up at step 3");
    expect(errorMessage(await run(new NessError("a worker's own message")))).toBe("a worker's own message");
  });

  it("reports paused once every worker has confirmed the current pause (stale confirmations do not count)", async () => {
    // Stand-in workers that hold their block and answer a pause only when told to (as webWorker.ts does when its
    // block reaches the end of a slice).
    const made: { w: WorkerLike; pauses: number[] }[] = [];
    const holdingWorker = (): WorkerLike => {
      const entry = { w: null as unknown as WorkerLike, pauses: [] as number[] };
      entry.w = {
        onmessage: null,
        terminate: () => undefined,
        postMessage(message: unknown) {
          const m = message as { type?: string; seq?: number };
          if (m.type === "pause") entry.pauses.push(m.seq!);
        },
      };
      made.push(entry);
      return entry.w;
    };
    let reported = 0;
    const runner = webWorkerRunner(holdingWorker, 2, { onPaused: () => reported++ });
    const spec = simulationSpec(model, { dt: 0.01 }, options);
    void runner(
      spec,
      [
        { first: 0, count: 2 },
        { first: 2, count: 3 },
      ],
      {},
    ).catch(() => undefined);
    expect(made).toHaveLength(2);
    const confirm = (i: number, seq: number) => made[i].w.onmessage!({ data: { type: "paused", seq } });
    runner.pause();
    expect(made.map((m) => m.pauses)).toEqual([[1], [1]]);
    confirm(0, 1);
    expect(reported).toBe(0); // one worker may still post progress
    confirm(1, 1);
    expect(reported).toBe(1);
    runner.resume();
    runner.pause();
    confirm(0, 1); // a late reply to the first pause
    confirm(1, 2);
    expect(reported).toBe(1);
    confirm(0, 2);
    expect(reported).toBe(2);
    // Paused with no worker alive: reported at once.
    const idle = webWorkerRunner(holdingWorker, 2, { onPaused: () => reported++ });
    idle.pause();
    expect(reported).toBe(3);
  });

  /** Stand-in workers that run nothing: the test posts their replies (and error events) itself. */
  const scripted = () => {
    const made: { w: WorkerLike; terminated: boolean }[] = [];
    const create = (): WorkerLike => {
      const m = { w: null as unknown as WorkerLike, terminated: false };
      m.w = { onmessage: null, postMessage: () => undefined, terminate: () => void (m.terminated = true) };
      made.push(m);
      return m.w;
    };
    return { made, create };
  };
  const twoBlocks = [
    { first: 0, count: 2 },
    { first: 2, count: 3 },
  ];

  it("ends a run with a message when a worker fails outside a block (it would wait for that worker for ever)", async () => {
    const { made, create } = scripted();
    const run = webWorkerRunner(create, 2)(simulationSpec(model, { dt: 0.01 }, options), twoBlocks, {});
    expect(made).toHaveLength(2);
    let prevented = false;
    // What a DOM Worker delivers when its script throws outside a message, fails to load, or runs out of memory.
    made[1].w.onerror!({
      message: "Uncaught RangeError: Array buffer allocation failed",
      preventDefault: () => (prevented = true),
    });
    await expect(run).rejects.toThrow(
      /^a simulation worker failed: Uncaught RangeError: Array buffer allocation failed$/,
    );
    await expect(run).rejects.toBeInstanceOf(NessError);
    expect(prevented).toBe(true);
    expect(made.map((m) => m.terminated)).toEqual([true, true]);
  });

  it("ends a run with a message when a worker's reply cannot be read (a lost reply: it would wait for ever)", async () => {
    const { made, create } = scripted();
    const run = webWorkerRunner(create, 2)(simulationSpec(model, { dt: 0.01 }, options), twoBlocks, {});
    expect(made).toHaveLength(2);
    // What a DOM Worker delivers (a MessageEvent of type "messageerror") when a reply cannot be deserialised.
    made[0].w.onmessageerror!({ type: "messageerror", data: null });
    await expect(run).rejects.toThrow(/^a simulation worker's reply could not be read/);
    await expect(run).rejects.toBeInstanceOf(NessError);
    expect(made.map((m) => m.terminated)).toEqual([true, true]);
  });

  it("ends a run, and its workers, when its first task cannot be posted", async () => {
    const made: { terminated: boolean }[] = [];
    const create = (): WorkerLike => {
      const m = { terminated: false };
      made.push(m);
      return {
        onmessage: null,
        // What a DOM Worker throws for a message that structured cloning refuses (a function in it).
        postMessage: () => {
          throw new Error("DataCloneError: () => 1 could not be cloned.");
        },
        terminate: () => void (m.terminated = true),
      };
    };
    const run = webWorkerRunner(create, 2)(simulationSpec(model, { dt: 0.01 }, options), twoBlocks, {});
    await expect(run).rejects.toThrow(/^DataCloneError/);
    expect(made.map((m) => m.terminated)).toEqual([true, true]);
  });

  it("ends a run with the error of a callback that throws (it escaped from the message handler, the run waited)", async () => {
    const { made, create } = scripted();
    const runner = webWorkerRunner(create, 2, {
      partialMs: 0,
      onPartial: () => {
        throw new NessError("demixing: a replica's outputs have 5 numbers, got 4");
      },
    });
    const run = runner(simulationSpec(model, { dt: 0.01 }, options), twoBlocks, {});
    const partial = { type: "partial", first: 0, count: 2, index: 0, steps: 10, outputs: new Float64Array(4) };
    expect(() => made[0].w.onmessage!({ data: partial })).not.toThrow();
    await expect(run).rejects.toThrow(/^demixing: a replica's outputs have 5 numbers, got 4$/);
    expect(made.map((m) => m.terminated)).toEqual([true, true]);
  });

  it("ends its workers at once for a run cancelled before it starts (no abort event comes)", async () => {
    const { made, create } = scripted();
    const controller = new AbortController();
    controller.abort();
    const run = webWorkerRunner(create, 2)(simulationSpec(model, { dt: 0.01 }, options), twoBlocks, {
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow(/cancel/i);
    expect(made.every((m) => m.terminated)).toBe(true);
  });
});
