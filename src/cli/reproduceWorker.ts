/**
 * Worker-thread entry for `ness reproduce` (reproduce.ts): writes a study's figure sets and tells the main thread what
 * it writes (each figure as it starts, each file, each complete figure) and what it logs. It stops before the next
 * figure when the main thread raises the shared flag; the main thread may also terminate it in the middle of a
 * computation, which is why the work is here and not in the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { NessError } from "../errors.js";
import { endFigureSession, startFigureSession } from "../io/render.js";
import { findStudy } from "../studies/catalog.js";
import { writeReproduction } from "./studies/reproduce.js";

export interface ReproduceTask {
  study: string;
  outDir: string;
  quick: boolean;
  /** Worker threads for the replicas and sweep points (1: in the reproduce worker itself). */
  workers: number;
  /** Continue an interrupted reproduce (ReproduceOptions.resume). */
  resume: boolean;
  /** Only these figure sets (their ids). */
  only?: readonly string[];
  /** Shared flag (Int32Array on a SharedArrayBuffer): nonzero asks to stop before the next figure. */
  stop: Int32Array;
}

export type ReproduceMessage =
  | { type: "log"; line: string }
  | { type: "start"; name: string }
  | { type: "file"; file: string }
  | { type: "complete"; name: string }
  | { type: "failed"; name: string }
  | { type: "done"; paths: string[] }
  | { type: "error"; name: string; message: string; user: boolean };

const task = workerData as ReproduceTask;
const post = (m: ReproduceMessage) => parentPort!.postMessage(m);

async function run(): Promise<void> {
  const study = findStudy(task.study);
  if (!study) throw new NessError(`unknown study '${task.study}'`);
  startFigureSession(() => Atomics.load(task.stop, 0) !== 0, {
    start: (name) => post({ type: "start", name }),
    file: (file) => post({ type: "file", file }),
    complete: (name) => post({ type: "complete", name }),
    failed: (name) => post({ type: "failed", name }),
  });
  try {
    const paths = await writeReproduction(study, {
      outDir: task.outDir,
      quick: task.quick,
      workers: task.workers,
      resume: task.resume,
      only: task.only,
      log: (line) => post({ type: "log", line }),
    });
    post({ type: "done", paths });
  } finally {
    endFigureSession();
  }
}

run().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: "error", name: e.name, message: e.message, user: e instanceof NessError });
});
