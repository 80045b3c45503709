/**
 * Browser Web Worker entry for the stochastic engine (no Node imports). Bundle it as a module worker and hand the
 * constructor to webWorkerRunner (webPool.ts). Protocol: it receives { runId, spec, first, count } and answers
 * { type: "progress", steps } messages, then { type: "result", result } or { type: "error", name, message }.
 */
import { NessError } from "../errors.js";
import { preparePlan, runBlock, type Plan, type SimulationSpec } from "./run.js";

interface WorkerScope {
  onmessage: ((ev: { data: WebBlockTask }) => void) | null;
  postMessage(message: unknown): void;
}

export interface WebBlockTask {
  runId: string;
  spec: SimulationSpec;
  first: number;
  count: number;
}

const scope = globalThis as unknown as WorkerScope;
let cached: { runId: string; plan: Plan } | null = null;

scope.onmessage = (ev) => {
  const task = ev.data;
  void (async () => {
    try {
      if (!cached || cached.runId !== task.runId) cached = { runId: task.runId, plan: preparePlan(task.spec) };
      const result = await runBlock(cached.plan, task.first, task.count, {
        onProgress: (steps) => scope.postMessage({ type: "progress", steps }),
      });
      scope.postMessage({ type: "result", result });
    } catch (err) {
      const e = err as Error;
      scope.postMessage({ type: "error", name: err instanceof NessError ? e.name : "Error", message: e.message });
    }
  })();
};
