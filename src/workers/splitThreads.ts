/**
 * The threaded executor of split runs (src/stochastic/splitDisks.ts): the calling thread and T - 1 helper threads
 * work on one system in shared memory (a SharedArrayBuffer holding the kernel's arrays), thread t on its share of
 * each phase, with a barrier after every phase (Atomics: the caller bumps a generation word and notifies; each
 * helper runs the phase and counts itself in; the caller waits for the count). Waits spin briefly, then sleep in
 * Atomics.wait. The helpers of each thread count are made once per process and kept (unref'd: they do not keep the
 * process alive); a run hands them its buffer through a message port they read synchronously (receiveMessageOnPort)
 * when woken for set-up. Importing this module registers the executor (the CLI and `ness/node` do).
 *
 * A helper starts asynchronously (its thread needs the caller's event loop to load), while a step blocks the caller:
 * so a run uses the threads only once every helper of its set has reported ready (`simulate` awaits that through
 * splitReady; `startSplitThreads(T)` for callers of simulateSync). Until then a run's shares run one after another on
 * the calling thread (the same numbers).
 */
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NessError } from "../errors.js";
import {
  registerSplitExecutor,
  serialExecutor,
  splitBytes,
  SplitKernel,
  splitMemory,
  type Phase,
  type SplitConfig,
  type SplitExecutor,
} from "../stochastic/splitDisks.js";

/** Control words of a helper set (Int32 on a SharedArrayBuffer). */
export const GEN = 0,
  PHASE = 1,
  DONE = 2,
  ERROR = 3,
  /** Helpers that have started and wait for work. */
  READY = 4,
  CTL_WORDS = 5;
/** PHASE values besides the kernel's phases. */
export const SETUP = -1,
  EXIT = -2;
/** Loads of a word before a thread sleeps on it. */
export const SPIN = 2000;
/** A barrier that waits this long for a helper is a failure, not a hang. */
const STALL_MS = 120_000;

/** Path of the compiled helper script (next to this module in dist/, or dist/ when running from src/). */
function helperScript(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith(".ts")
    ? new URL("../../dist/workers/splitWorker.js", here)
    : new URL("./splitWorker.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path))
    throw new NessError(`split threads need the built library (${path} is missing): run npm run build`);
  return path;
}

interface HelperSet {
  ctl: Int32Array;
  workers: Worker[];
  ports: MessagePort[];
  /** The kernel the helpers are set up on (a token: the executor that set them up last). */
  owner: object | null;
}

const sets = new Map<number, HelperSet>();

function helperSet(threads: number): HelperSet {
  let set = sets.get(threads);
  if (set) return set;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS));
  const workers: Worker[] = [],
    ports: MessagePort[] = [];
  const script = helperScript();
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(script, { workerData: { ctl, t, threads, port: port2 }, transferList: [port2] });
    w.unref();
    port1.unref();
    workers.push(w);
    ports.push(port1);
  }
  set = { ctl, workers, ports, owner: null };
  sets.set(threads, set);
  return set;
}

/** Waits until ctl[DONE] reaches `count` (spin, then sleep), then resets it; throws when a helper failed. */
function awaitHelpers(ctl: Int32Array, count: number): void {
  let spins = 0;
  const started = Date.now();
  for (;;) {
    const d = Atomics.load(ctl, DONE);
    if (d >= count) break;
    if (++spins > SPIN) {
      Atomics.wait(ctl, DONE, d, 50);
      if (Date.now() - started > STALL_MS) throw new Error("internal: a split thread stopped answering");
    }
  }
  Atomics.store(ctl, DONE, 0);
  if (Atomics.load(ctl, ERROR) !== 0) {
    Atomics.store(ctl, ERROR, 0);
    throw new Error("internal: a split thread failed");
  }
}

/** Wakes the helpers for one phase (or set-up). */
function release(ctl: Int32Array, phase: number): void {
  Atomics.store(ctl, PHASE, phase);
  Atomics.add(ctl, GEN, 1);
  Atomics.notify(ctl, GEN);
}

/** True when every helper of the set for `threads` threads has started. */
function ready(set: HelperSet, threads: number): boolean {
  return Atomics.load(set.ctl, READY) >= threads - 1;
}

/** Starts the helper threads of split runs on `threads` threads and resolves when all have started. */
export async function startSplitThreads(threads: number): Promise<void> {
  if (threads < 2) return;
  const set = helperSet(threads);
  const started = Date.now();
  while (!ready(set, threads)) {
    if (Date.now() - started > STALL_MS) throw new Error("internal: split threads did not start");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * A split run's executor on `config.threads` threads (the caller is thread 0), or, while the helpers are still
 * starting, the serial one (the same numbers).
 */
export function threadedExecutor(config: SplitConfig): SplitExecutor {
  const T = config.threads;
  const set = helperSet(T);
  if (!ready(set, T)) return serialExecutor(config);
  // A shared WebAssembly memory when it can be had (each thread runs the force loop's instance of its own over it),
  // else a SharedArrayBuffer (the JavaScript loops; the same numbers).
  const bytes = splitBytes(config),
    memory = splitMemory(bytes, true);
  const buffer: ArrayBufferLike = memory !== null ? memory.buffer : new SharedArrayBuffer(bytes);
  const kernel = new SplitKernel(config, buffer, memory);
  kernel.setup();
  const token = {};
  const ensureSetUp = () => {
    if (set.owner === token) return;
    for (const port of set.ports) port.postMessage({ buffer, config, memory });
    release(set.ctl, SETUP);
    awaitHelpers(set.ctl, T - 1);
    set.owner = token;
  };
  return {
    kernel,
    run(phases: readonly Phase[]) {
      ensureSetUp();
      for (const p of phases) {
        release(set.ctl, p);
        kernel.run(p, 0);
        awaitHelpers(set.ctl, T - 1);
      }
    },
  };
}

/**
 * Stops every helper thread of split runs (tests, benches; the helpers do not keep a process alive anyway).
 *
 * @example
 * ```ts
 * import { validateParticles, heun, simulate } from "ness";
 * import { closeSplitThreads } from "ness/node";
 *
 * const disks = validateParticles({
 *   kind: "particles", dynamics: "overdamped", dimension: 2, box: 20,
 *   species: [{ name: "hot", count: 100, temperature: 0.02 }, { name: "cold", count: 100, temperature: 0.0002 }],
 *   pairs: [{ potential: "soft", stiffness: 1, range: 1 }], initial: "random",
 * });
 * const r = await simulate(disks, heun({ dt: 0.1 }), { time: 5, seed: 1, threads: 2, pairHeat: "trapezoid" });
 * console.log(r.split); // => true
 * await closeSplitThreads();
 * ```
 */
export async function closeSplitThreads(): Promise<void> {
  const all = [...sets.values()];
  sets.clear();
  for (const set of all) release(set.ctl, EXIT);
  await Promise.all(all.flatMap((s) => s.workers.map((w) => w.terminate())));
}

registerSplitExecutor(threadedExecutor, startSplitThreads);
