/**
 * Web Worker of the lab's simulations: runs whole replicas of a simulation spec (an ensemble spec of the library's
 * stochastic engine: src/stochastic/ensemble.ts, run.ts), exactly as a worker of `ness simulate` runs them: replica r
 * draws from the random streams (seed, r, .) only, so the numbers do not depend on which worker runs it. Messages:
 *   in:  { type: "replica", run, spec, replica } | { type: "pause" } | { type: "resume" }
 *   out: { type: "progress", replica, steps, batches, batchMeans } (completed batches so far, about 5 per second)
 *        { type: "done", replica, batchMeans, steps } | { type: "error", name, message }
 * Cancelling is terminating the worker (the controller does it).
 */
import { prepareEnsemble } from "../../src/stochastic/ensemble.js";
import type { Plan, SimulationSpec } from "../../src/stochastic/run.js";
import "../../src/stochastic/run.js"; // registers the ensemble kinds of model simulations in this worker

type Incoming =
  { type: "replica"; run: number; spec: SimulationSpec; replica: number } | { type: "pause" } | { type: "resume" };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Incoming>) => void) | null;
  postMessage(m: unknown, transfer?: Transferable[]): void;
};

let plan: Plan | null = null;
let planRun = -1;
let paused = false;
let wake: (() => void) | null = null;
const queue: { run: number; spec: SimulationSpec; replica: number }[] = [];
let busy = false;

/** A macrotask through a MessageChannel (not clamped like nested setTimeout): lets pause/resume messages in. */
const channel = new MessageChannel();
let tick: (() => void) | null = null;
channel.port1.onmessage = () => tick?.();
const yieldToEvents = () =>
  new Promise<void>((resolve) => {
    tick = resolve;
    channel.port2.postMessage(0);
  });

async function runReplica(id: number, spec: SimulationSpec, replica: number): Promise<void> {
  if (planRun !== id) {
    plan = prepareEnsemble(spec) as Plan;
    planRun = id;
  }
  const p = plan!;
  // The replica's batch means (written as batches complete) and its field sums (none: the lab asks for no fields).
  const out = new Float64Array(p.perReplica);
  const run = p.replica(replica, out, new Float64Array(p.perBlock));
  let last = performance.now(),
    lastPost = last,
    steps = 0,
    step = 0;
  while (!run.done) {
    const n = run.advance(p.sliceSteps);
    steps += n;
    step += n;
    const now = performance.now();
    if (now - last > 30) {
      last = now;
      await yieldToEvents();
      while (paused)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
    }
    if (now - lastPost > 200) {
      lastPost = now;
      const batches = Math.max(0, Math.min(p.batches, Math.floor((step - p.nBurn) / p.batchLength)));
      scope.postMessage({ type: "progress", replica, steps, batches, batchMeans: out.slice(0, batches * p.K) });
      steps = 0;
    }
  }
  scope.postMessage({ type: "done", replica, steps, batchMeans: out }, [out.buffer]);
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (queue.length > 0) {
      const job = queue.shift()!;
      await runReplica(job.run, job.spec, job.replica);
    }
  } catch (err) {
    const e = err as Error;
    scope.postMessage({ type: "error", name: e.name ?? "Error", message: e.message ?? String(err) });
  } finally {
    busy = false;
  }
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === "pause") paused = true;
  else if (m.type === "resume") {
    paused = false;
    wake?.();
    wake = null;
  } else if (m.type === "replica") {
    queue.push({ run: m.run, spec: m.spec, replica: m.replica });
    void drain();
  }
};
