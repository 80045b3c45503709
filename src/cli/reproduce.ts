/**
 * Running `ness reproduce` so that Ctrl-C works at any moment: the study runs in a worker thread
 * (reproduceWorker.ts) while the main thread keeps listening. A figure can take minutes of synchronous computation,
 * during which JavaScript in the same thread could not even see the signal. On `signal`:
 *  - a figure being written is finished (at most WRITE_GRACE_MS), then the worker stops;
 *  - a figure being computed is abandoned at once (the worker is terminated: nothing of it was written);
 * and the promise rejects with CancelledError. The figures complete so far are in `progress.complete`. If the
 * process exits meanwhile (a second Ctrl-C), the files of a figure not yet complete are removed by an exit hook, and
 * temp files of the stopped worker are swept from the output folder.
 * Run from the TypeScript sources (tests) there is no compiled worker: the study runs in this thread, with the same
 * bookkeeping (a stop takes effect before the next figure).
 */
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { NessError } from "../errors.js";
import { removeStaleTempFiles } from "../io/files.js";
import { CancelledError } from "../stochastic/safety.js";
import type { ReproduceMessage, ReproduceTask } from "./reproduceWorker.js";
import type { Study } from "../studies/contract.js";
import type { ReproduceOptions } from "./studies/reproduce.js";

/** How long a figure being written may take to finish after a stop. */
export const WRITE_GRACE_MS = 20_000;

export interface ReproduceProgress {
  /** Names of the figures written completely. */
  complete: string[];
}

/** The compiled worker script, or null when running from the TypeScript sources. */
function workerScript(): string | null {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith(".ts")) return null;
  const path = fileURLToPath(new URL("./reproduceWorker.js", here));
  return existsSync(path) ? path : null;
}

/** Writes the study's figure sets (writeReproduction), stoppable by `signal` at any moment (see the header). */
export async function reproduceStudy(
  study: Study,
  options: ReproduceOptions,
  signal: AbortSignal,
  progress: ReproduceProgress,
): Promise<string[]> {
  const script = workerScript();
  if (!script) {
    // Only here does this thread draw: the figure stack loads in the worker otherwise (not twice, not in its way).
    const [{ endFigureSession, startFigureSession }, { writeReproduction }] = await Promise.all([
      import("../io/render.js"),
      import("./studies/reproduce.js"),
    ]);
    const session = startFigureSession(signal);
    progress.complete = session.complete;
    try {
      return await writeReproduction(study, { ...options, signal });
    } finally {
      endFigureSession();
    }
  }
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const task: ReproduceTask = {
    study: study.name,
    outDir: options.outDir,
    quick: options.quick,
    workers: options.workers ?? 1,
    resume: options.resume === true,
    only: options.only,
    stop,
  };
  const worker = new Worker(script, { workerData: task });
  let writing = false;
  let partial: string[] = [];
  const cleanUp = () => {
    for (const f of partial) rmSync(f, { force: true });
    partial = [];
    removeStaleTempFiles(options.outDir, { ownPid: true });
  };
  process.on("exit", cleanUp);
  return new Promise<string[]>((resolve, reject) => {
    let settled = false,
      stopping = false;
    let grace: NodeJS.Timeout | undefined;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      signal.removeEventListener("abort", onAbort);
      process.removeListener("exit", cleanUp);
      done();
    };
    const terminate = () => {
      void worker.terminate().then(() => {
        cleanUp();
        settle(() => reject(new CancelledError()));
      });
    };
    function onAbort(): void {
      stopping = true;
      Atomics.store(stop, 0, 1);
      if (writing) grace = setTimeout(terminate, WRITE_GRACE_MS);
      else terminate();
    }
    worker.on("message", (m: ReproduceMessage) => {
      switch (m.type) {
        case "log":
          options.log(m.line);
          break;
        case "start":
          writing = true;
          break;
        case "file":
          partial.push(m.file);
          break;
        case "complete":
          writing = false;
          partial = [];
          progress.complete.push(m.name);
          if (stopping) terminate();
          break;
        case "failed":
          writing = false;
          partial = [];
          break;
        case "done":
          settle(() => resolve(m.paths));
          break;
        case "error":
          settle(() =>
            reject(
              m.name === "CancelledError"
                ? new CancelledError()
                : m.user
                  ? new NessError(m.message)
                  : new Error(m.message),
            ),
          );
          break;
      }
    });
    worker.on("error", (err) => settle(() => reject(err)));
    worker.on("exit", (code) =>
      settle(() =>
        reject(stopping ? new CancelledError() : new Error(`the reproduce worker stopped (exit code ${code})`)),
      ),
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort);
  });
}
