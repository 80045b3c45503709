/**
 * Browser Web Worker entry for the stochastic engine (no Node imports). Bundle it as a module worker and hand the
 * constructor to webWorkerRunner (webPool.ts). Protocol: it receives { runId, spec, first, count } and answers
 * { type: "progress", steps } messages, then { type: "result", result } or { type: "error", name, message }.
 * It knows the engine's ensemble kinds (model simulations, SDEs, Langevin problems); a study's SDE or force
 * term is known once its module is imported: a worker entry for a study imports that module, then this one (for
 * energy-correlations and particle-bath-chain: src/studies/webWorker.ts).
 */
import { NessError } from "../errors.js";
import { prepareEnsemble, runBlock, type EnsembleSpec, type PreparedEnsemble } from "./ensemble.js";
import "./run.js";
import "./sde.js";
import "./langevinEnsemble.js";

interface WorkerScope {
  onmessage: ((ev: { data: WebBlockTask }) => void) | null;
  postMessage(message: unknown): void;
}

export interface WebBlockTask {
  runId: string;
  spec: EnsembleSpec;
  first: number;
  count: number;
}

const scope = globalThis as unknown as WorkerScope;
let cached: { runId: string; plan: PreparedEnsemble } | null = null;

scope.onmessage = (ev) => {
  const task = ev.data;
  void (async () => {
    try {
      if (!cached || cached.runId !== task.runId) cached = { runId: task.runId, plan: prepareEnsemble(task.spec) };
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
