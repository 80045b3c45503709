/**
 * Ensembles of replicas (SciMLBase's EnsembleProblem(prob, prob_func, output_func, reduction), on the engine's
 * block runner). An ensemble is a problem and its settings as plain, structured-cloneable data (the spec), and a
 * reduction that runs in the calling thread:
 *   - the spec names a registered kind (`registerEnsembleKind`): Langevin simulations of models (run.ts), general Ito
 *     SDEs (sde.ts), Langevin problems (langevinEnsemble.ts); each worker rebuilds the problem's
 *     functions (forces, drift, noise) from the data, so a spec crosses to worker threads and Web Workers;
 *   - replica r draws from the streams (seed, r, .) only; what a replica records (its output, output_func) is written
 *     into `perReplica` numbers of its own, and sums that would be too large to keep per replica (histograms) into
 *     `perBlock` numbers of its block;
 *   - replicas are grouped into blocks whose size depends on the replica count alone (at most 64 blocks); a block runs
 *     in one worker (or in process), its replicas in order; blocks are collected in replica order and their sums
 *     added in block order, so the result is bit-identical whatever the number of workers;
 *   - the reduction (reduction) gets every replica's output in replica order and the summed block sums.
 * A problem that varies by replica (prob_func) is data of its kind (e.g. a Langevin problem's `variants`: several
 * initial states stepped with common random numbers).
 */
import { ModelError, NessError } from "../errors.js";
import { describeValue } from "../model/raw.js";
import { CancelledError } from "./safety.js";

/** The data of an ensemble run, the same in every worker. */
export interface EnsembleSpec {
  /** The problem: plain data whose `kind` names a registered ensemble kind. */
  readonly problem: { readonly kind: string };
  /** Number of independent replicas. */
  readonly replicas: number;
  /** Seed of the streams (seed, replica, substream). */
  readonly seed: number;
  /** The kind's settings (scheme, times, observables): plain data. */
  readonly settings?: unknown;
}

/** One replica's run, advanced in slices (so callers can report progress and honour cancellation). */
export interface ReplicaRunner {
  readonly done: boolean;
  /** Runs up to `maxSteps` steps; returns how many were run. */
  advance(maxSteps: number): number;
}

/** A prepared ensemble (the same in every worker). */
export interface PreparedEnsemble {
  readonly replicas: number;
  /** Replicas per block (blocks are fixed by the replica count). */
  readonly blockSize: number;
  /** Steps of one replica, burn-in included (for progress). */
  readonly stepsPerReplica: number;
  /** Numbers each replica writes (kept per replica, in replica order). */
  readonly perReplica: number;
  /** Numbers each block adds up over its replicas (in replica order), then added over blocks in order. */
  readonly perBlock: number;
  /** Steps per slice between progress reports and cancellation checks (a few milliseconds of work). */
  readonly sliceSteps: number;
  /** Starts replica r, writing its output into `out` and adding into the block's `sums`. */
  replica(r: number, out: Float64Array, sums: Float64Array): ReplicaRunner;
}

/** Prepares a spec of one kind (validates it; throws NessError for bad input). */
export type EnsembleKind = (spec: EnsembleSpec) => PreparedEnsemble;

const KINDS = new Map<string, EnsembleKind>();

/** Registers how specs whose problem has `kind` are prepared (in every thread that imports the registering module). */
export function registerEnsembleKind(kind: string, prepare: EnsembleKind): void {
  KINDS.set(kind, prepare);
}

/** The registered ensemble kinds. */
export function ensembleKinds(): string[] {
  return [...KINDS.keys()];
}

/** Prepares a spec by its problem's kind. */
export function prepareEnsemble(spec: EnsembleSpec): PreparedEnsemble {
  if (spec === null || typeof spec !== "object")
    throw new ModelError(`ensemble: expected { problem, replicas, seed, settings }, got ${describeValue(spec)}`);
  const problem = spec.problem as unknown;
  if (problem === null || typeof problem !== "object" || typeof (problem as { kind?: unknown }).kind !== "string") {
    throw new ModelError(`ensemble: the problem must be an object with a kind, got ${describeValue(problem)}`);
  }
  const kind = (problem as { kind: string }).kind;
  const prepare = KINDS.get(kind);
  if (!prepare) {
    throw new NessError(
      `ensemble: no problem kind "${kind}" is registered in this thread (registered: ${ensembleKinds().join(", ") || "none"}); ` +
        "a worker must import the module that registers it",
    );
  }
  return prepare(spec);
}

/** Checks an ensemble's replicas and seed (ModelError naming the bad one). */
export function checkReplicasAndSeed(replicas: unknown, seed: unknown): void {
  if (!Number.isSafeInteger(replicas) || (replicas as number) < 1)
    throw new ModelError(`replicas must be a positive integer, got ${describeValue(replicas)}`);
  if (!Number.isSafeInteger(seed) || (seed as number) < 0)
    throw new ModelError(`seed must be a non-negative integer, got ${describeValue(seed)}`);
}

/** At most this many blocks: replicas are grouped so that blocks are fixed by the replica count alone. */
export const MAX_BLOCKS = 64;

/** The block size for a replica count. */
export function blockSizeFor(replicas: number): number {
  return Math.ceil(replicas / MAX_BLOCKS);
}

/** Results of one block of replicas. */
export interface BlockResult {
  first: number;
  count: number;
  /** count x perReplica numbers, replica by replica. */
  outputs: Float64Array;
  /** perBlock numbers summed over the block's replicas. */
  sums: Float64Array;
}

export interface BlockHooks {
  /** Called with the number of steps just run. */
  onProgress?: (steps: number) => void;
  signal?: AbortSignal;
  /** Polled between slices: true stops the block with a CancelledError (worker threads: a shared flag). */
  shouldStop?: () => boolean;
  /** Awaited between slices (in process: lets the event loop see Ctrl-C and draw the progress bar). */
  pause?: () => Promise<void>;
  /**
   * Called after every slice with the block's outputs so far (replica by replica; replicas before `index` are
   * complete, replica `index` of the block has run `steps` steps, burn-in included): partial results of a live view.
   * The array is the block's own buffer: copy what is kept.
   */
  onSlice?: (index: number, steps: number, outputs: Float64Array) => void;
}

/** Runs replicas [first, first + count) and returns their outputs and sums. */
export async function runBlock(
  prepared: PreparedEnsemble,
  first: number,
  count: number,
  hooks: BlockHooks = {},
): Promise<BlockResult> {
  const P = prepared.perReplica;
  const outputs = new Float64Array(count * P);
  const sums = new Float64Array(prepared.perBlock);
  const slice = prepared.sliceSteps;
  for (let r = 0; r < count; r++) {
    const run = prepared.replica(first + r, outputs.subarray(r * P, (r + 1) * P), sums);
    let steps = 0;
    while (!run.done) {
      if (hooks.signal?.aborted || hooks.shouldStop?.()) throw new CancelledError();
      const n = run.advance(slice);
      steps += n;
      hooks.onProgress?.(n);
      hooks.onSlice?.(r, steps, outputs);
      if (hooks.pause) await hooks.pause();
    }
  }
  return { first, count, outputs, sums };
}

/** runBlock without progress, cancellation or pauses, in the calling thread. */
export function runBlockSync(prepared: PreparedEnsemble, first: number, count: number): BlockResult {
  const P = prepared.perReplica;
  const outputs = new Float64Array(count * P);
  const sums = new Float64Array(prepared.perBlock);
  for (let r = 0; r < count; r++) {
    const run = prepared.replica(first + r, outputs.subarray(r * P, (r + 1) * P), sums);
    while (!run.done) run.advance(Number.MAX_SAFE_INTEGER);
  }
  return { first, count, outputs, sums };
}

/** The blocks of an ensemble: [first, count] pairs, fixed by the replica count alone. */
export function planBlocks(
  prepared: Pick<PreparedEnsemble, "replicas" | "blockSize">,
): { first: number; count: number }[] {
  const out: { first: number; count: number }[] = [];
  for (let first = 0; first < prepared.replicas; first += prepared.blockSize)
    out.push({ first, count: Math.min(prepared.blockSize, prepared.replicas - first) });
  return out;
}

const EMPTY = new Float64Array(0);

/** Every replica's output in replica order, and the block sums added in block order. */
export interface EnsembleOutputs {
  replicas: number;
  perReplica: number;
  /** replicas x perReplica numbers. */
  outputs: Float64Array;
  sums: Float64Array;
}

/**
 * Collects block results (any order; sorted here) in replica order. With `release` the blocks are the caller's to
 * give up: a single block's outputs are taken as they are, and each block's are dropped once copied, so that the
 * run's outputs are held about once, not twice (the blocks' and the collected copy).
 */
export function collectBlocks(prepared: PreparedEnsemble, blocks: BlockResult[], release = false): EnsembleOutputs {
  const sorted = [...blocks].sort((a, b) => a.first - b.first);
  const size = prepared.replicas * prepared.perReplica;
  if (release && sorted.length === 1 && sorted[0].first === 0 && sorted[0].outputs.length === size) {
    return {
      replicas: prepared.replicas,
      perReplica: prepared.perReplica,
      outputs: sorted[0].outputs,
      sums: Float64Array.from(sorted[0].sums.subarray(0, prepared.perBlock)),
    };
  }
  const outputs = new Float64Array(size);
  const sums = new Float64Array(prepared.perBlock);
  let at = 0;
  for (const b of sorted) {
    if (b.first * prepared.perReplica !== at) throw new Error("internal: missing or repeated blocks in the reduction");
    outputs.set(b.outputs, at);
    at += b.outputs.length;
    if (release) b.outputs = EMPTY;
    for (let k = 0; k < sums.length; k++) sums[k] += b.sums[k];
  }
  if (at !== outputs.length) throw new Error("internal: missing blocks in the reduction");
  return { replicas: prepared.replicas, perReplica: prepared.perReplica, outputs, sums };
}

/** Runs a list of blocks somewhere (in process, worker threads, Web Workers) and returns their results. */
export type BlockRunner = (
  spec: EnsembleSpec,
  blocks: { first: number; count: number }[],
  hooks: BlockHooks,
) => Promise<BlockResult[]>;

/** Where and how an ensemble runs (functions: they stay in the calling thread). */
export interface RunOptions {
  signal?: AbortSignal;
  /** Progress: steps done so far and the total (all replicas, burn-in included). */
  onProgress?: (done: number, total: number) => void;
  /** Where blocks run; default in process, one after another. */
  runner?: BlockRunner;
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Runs a prepared ensemble's blocks (on `run.runner`, or in process) and collects their outputs. `spec` is what the
 * runner sends to its workers (which prepare it again).
 */
export async function runPrepared(
  spec: EnsembleSpec,
  prepared: PreparedEnsemble,
  run: RunOptions = {},
): Promise<EnsembleOutputs> {
  const total = prepared.replicas * prepared.stepsPerReplica;
  let done = 0;
  const hooks: BlockHooks = {
    signal: run.signal,
    onProgress: (n) => {
      done += n;
      run.onProgress?.(done, total);
    },
  };
  const blocks = planBlocks(prepared);
  let results: BlockResult[];
  if (run.runner) {
    results = await run.runner(spec, blocks, hooks);
  } else {
    const inProcess = run.signal !== undefined || run.onProgress !== undefined;
    let last = Date.now();
    if (inProcess)
      hooks.pause = async () => {
        const now = Date.now();
        if (now - last > 50) {
          last = now;
          await macrotask();
        }
      };
    results = [];
    for (const b of blocks) results.push(await runBlock(prepared, b.first, b.count, hooks));
  }
  if (run.signal?.aborted) throw new CancelledError();
  return collectBlocks(prepared, results, true);
}

/** Runs a prepared ensemble in the calling thread, block by block, and collects the outputs. */
export function runPreparedSync(prepared: PreparedEnsemble): EnsembleOutputs {
  return collectBlocks(
    prepared,
    planBlocks(prepared).map((b) => runBlockSync(prepared, b.first, b.count)),
    true,
  );
}

/** An ensemble's options without the run hooks (ensembleSync's options): the data sent to workers, the reduction. */
export interface EnsembleJobOptions<R> {
  replicas: number;
  seed: number;
  /** The kind's settings (scheme, times, observables): plain data. */
  settings?: unknown;
  /** Reduces every replica's output (in replica order) to the result; default: the outputs themselves. */
  reduce?: (outputs: EnsembleOutputs, prepared: PreparedEnsemble) => R;
  /** The problem or settings hold functions (a custom model, a caller's random stream): run in process, whatever the runner. */
  inProcess?: boolean;
}

/** An ensemble's options: the data sent to workers, and the reduction and run hooks that stay here. */
export interface EnsembleOptions<R> extends RunOptions, EnsembleJobOptions<R> {}

/** An ensemble ready to run: its problem and options (data, reduction); the caller adds where it runs. */
export interface EnsembleJob<R> {
  problem: { kind: string };
  options: Omit<EnsembleOptions<R>, keyof RunOptions>;
}

function specOf(
  problem: { kind: string },
  options: { replicas: number; seed: number; settings?: unknown },
): EnsembleSpec {
  if (options === null || typeof options !== "object")
    throw new ModelError(`ensemble: options must be an object { replicas, seed, ... }, got ${describeValue(options)}`);
  checkReplicasAndSeed(options.replicas, options.seed);
  return { problem, replicas: options.replicas, seed: options.seed, settings: options.settings };
}

/**
 * Runs `replicas` replicas of a problem (on `options.runner`'s workers, or in process) and reduces their outputs in
 * replica order: bit-identical for any number of workers.
 *
 * @example
 * ```ts
 * import { ensemble, eulerMaruyama, registerSde } from "ness";
 *
 * // dx = -x dt + sqrt(2 T) dW: an Ornstein-Uhlenbeck process with the stationary variance T.
 * registerSde("ou-example", (p) => {
 *   const T = (p as { T: number }).T;
 *   return {
 *     dimension: 1,
 *     noiseDimension: 1,
 *     increment(x, dt, noise, offset, out) {
 *       out[0] = -x[0] * dt + Math.sqrt(2 * T * dt) * noise[offset];
 *       return 0;
 *     },
 *   };
 * });
 * const out = await ensemble({ kind: "sde", sde: "ou-example", parameters: { T: 1 }, initial: [0] }, {
 *   replicas: 4,
 *   seed: 7,
 *   settings: { scheme: eulerMaruyama({ dt: 0.01 }), burnSteps: 100, steps: 1000, sampleEvery: 10 },
 * }); // a `runner` (workerRunner from ness/node, webWorkerRunner) runs the replicas on workers: the same numbers
 * console.log(out.replicas, out.outputs[0]); // => 4 100
 * ```
 */
export async function ensemble<R = EnsembleOutputs, P extends { kind: string } = { kind: string }>(
  problem: P,
  options: EnsembleOptions<R>,
): Promise<R> {
  const spec = specOf(problem, options);
  const prepared = prepareEnsemble(spec);
  const out = await runPrepared(spec, prepared, options.inProcess ? { ...options, runner: undefined } : options);
  return options.reduce ? options.reduce(out, prepared) : (out as unknown as R);
}

/**
 * `ensemble` in the calling thread, synchronously (tests, small runs).
 *
 * @example
 * ```ts
 * import { ensembleSync, eulerMaruyama, meanOfIndependent, registerSde } from "ness";
 *
 * // dx = -x dt + sqrt(2 T) dW: an Ornstein-Uhlenbeck process with the stationary variance T.
 * registerSde("ou-example", (p) => {
 *   const T = (p as { T: number }).T;
 *   return {
 *     dimension: 1,
 *     noiseDimension: 1,
 *     increment(x, dt, noise, offset, out) {
 *       out[0] = -x[0] * dt + Math.sqrt(2 * T * dt) * noise[offset];
 *       return 0;
 *     },
 *   };
 * });
 * // Each replica's output: [samples, ..., sum of x, sum of x^2] (x from the initial state 0).
 * const variance = ensembleSync({ kind: "sde", sde: "ou-example", parameters: { T: 0.5 }, initial: [0] }, {
 *   replicas: 16,
 *   seed: 1,
 *   settings: { scheme: eulerMaruyama({ dt: 0.01 }), burnSteps: 1000, steps: 20000, sampleEvery: 10 },
 *   reduce: ({ outputs, perReplica, replicas }) =>
 *     meanOfIndependent(Array.from({ length: replicas }, (_, r) => outputs[r * perReplica + 6] / outputs[r * perReplica])),
 * });
 * console.log(Math.abs(variance.value - 0.5) < 4 * variance.error); // => true
 * ```
 */
export function ensembleSync<R = EnsembleOutputs, P extends { kind: string } = { kind: string }>(
  problem: P,
  options: EnsembleJobOptions<R>,
): R {
  const spec = specOf(problem, options);
  const prepared = prepareEnsemble(spec);
  const out = runPreparedSync(prepared);
  return options.reduce ? options.reduce(out, prepared) : (out as unknown as R);
}
