/**
 * Simulations run in segments: every block of replicas (ensemble.ts) advances a given number of steps, hands back
 * its state (checkpoint.ts BlockState: the replica in progress as a snapshot), and continues from that state in the
 * next segment, on whichever worker. Between segments the caller writes checkpoints, trajectory rows and a running
 * table (the CLI's --checkpoint, --trajectory, --thermo); a run restarted from a checkpoint continues from its block
 * states. Replicas still run one after another in each block and every step is the same step, so the numbers are
 * bit-identical to the unsegmented run's, whatever the segment length and the number of workers.
 *
 * Recording (RecordSpec): one replica's state and chosen observables every `every` steps (rows of
 * [step, coordinates..., momenta..., observables...]) and its observables every `thermoEvery` steps (rows of
 * [step, observables...]); an observable is a linear estimand of the simulation (a mean, a kinetic temperature, a
 * flux, the entropy production: its per-step value, whose average is the estimate). A segment holds at most
 * `steps / every` rows: memory stays bounded whatever the length of the run. Browser-safe.
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { requireObject } from "../arguments.js";
import { ModelError } from "../errors.js";
import {
  collectBlocks,
  planBlocks,
  type BlockHooks,
  type EnsembleOutputs,
  type EnsembleSpec,
  type RunOptions,
} from "./ensemble.js";
import { fieldSumsViews } from "./fields.js";
import type { BlockState, CheckpointParameters } from "./checkpoint.js";
import { ReplicaRun, type Plan } from "./run.js";
import { linalgBackend } from "../linalg/wasm/runtime.js";
import { CancelledError } from "./safety.js";

/** What one replica records while it runs (plain data: it crosses to workers). */
export interface RecordSpec {
  /** The recorded replica. */
  replica: number;
  /** A trajectory row every this many steps (0: no trajectory). */
  every: number;
  /** Whether trajectory rows carry the coordinates and momenta. */
  states: boolean;
  /** A running-table row every this many steps (0: none). */
  thermoEvery: number;
  /** Indices into the plan's estimands of the observables (linear estimands only). */
  observe: number[];
}

/** A segment's result: the block's new state and the rows its recorded replica wrote. */
export interface SegmentResult {
  state: BlockState;
  /** Trajectory rows (trajectoryWidth numbers each). */
  trajectory: Float64Array;
  /** Running-table rows (1 + observables numbers each). */
  thermo: Float64Array;
}

/** One block's task in a segment. */
export interface SegmentTask {
  state: BlockState;
  steps: number;
  record?: RecordSpec;
  /**
   * The state is the runner's to give up (SegmentedRunOptions.inPlace): a runner on workers may move its arrays to
   * the worker (transfer: the caller's copy is emptied) rather than copy them.
   */
  give?: boolean;
}

/** Runs segment tasks somewhere (in process or on workers); results in task order. */
export type SegmentRunner = (spec: EnsembleSpec, tasks: SegmentTask[], hooks: BlockHooks) => Promise<SegmentResult[]>;

/** The fresh state of every block of a plan (nothing run yet). */
export function initialBlockStates(plan: Plan): BlockState[] {
  return planBlocks(plan).map((b) => ({
    first: b.first,
    count: b.count,
    done: 0,
    steps: 0,
    outputs: new Float64Array(b.count * plan.perReplica),
    sums: new Float64Array(plan.perBlock),
    current: null,
  }));
}

/** Numbers per trajectory row: step, the state (when asked), the observables. */
export function trajectoryWidth(plan: Plan, record: RecordSpec): number {
  return 1 + (record.states ? plan.coordinates.length : 0) + record.observe.length;
}

/** Checks a record spec against a plan (ModelError naming what is wrong). */
export function checkRecordSpec(plan: Plan, record: RecordSpec): void {
  if (!Number.isSafeInteger(record.replica) || record.replica < 0 || record.replica >= plan.replicas)
    throw new ModelError(
      `the recorded replica must be one of 0 .. ${plan.replicas - 1} (--trajectory-replica), got ${String(record.replica)}`,
    );
  for (const [k, v] of [
    ["every", record.every],
    ["thermoEvery", record.thermoEvery],
  ] as const)
    if (!Number.isSafeInteger(v) || v < 0)
      throw new ModelError(`${k} must be a non-negative integer, got ${String(v)}`);
  for (const i of record.observe) {
    const e = plan.estimands[i];
    if (!e) throw new ModelError(`no observable number ${String(i)}`);
    if (e.estimand.kind !== "linear")
      throw new ModelError(
        `${e.group}: ${e.name} is a covariance, not a per-step observable (record the coordinates instead)`,
      );
  }
}

/** Writes the recorded replica's observables (their per-step values) into out[at ...]. */
class Recorder {
  private readonly values: Float64Array;
  readonly trajectory: number[] = [];
  readonly thermo: number[] = [];

  constructor(
    private readonly plan: Plan,
    readonly spec: RecordSpec,
  ) {
    this.values = new Float64Array(plan.K);
  }

  /** Steps to run before the next row is due (at least 1; Infinity when nothing is recorded). */
  untilNext(step: number): number {
    let n = Infinity;
    for (const e of [this.spec.every, this.spec.thermoEvery]) if (e > 0) n = Math.min(n, e - (step % e));
    return n;
  }

  private observe(run: ReplicaRun, into: number[]): void {
    if (this.spec.observe.length === 0) return;
    this.plan.probe.sample(run.current, this.values);
    for (const i of this.spec.observe) {
      const e = this.plan.estimands[i].estimand;
      if (e.kind !== "linear") continue;
      let s = e.offset ?? 0;
      for (let k = 0; k < e.index.length; k++) s += e.coef[k] * this.values[e.index[k]];
      into.push(s);
    }
  }

  /** Called after every advance: writes the rows due at this step. */
  record(run: ReplicaRun): void {
    const step = run.step;
    if (step === 0) return;
    const { every, thermoEvery, states } = this.spec;
    if (every > 0 && step % every === 0) {
      const t = this.trajectory;
      t.push(step);
      if (states) {
        const st = run.current;
        const n = st.x.length;
        const C = this.plan.coordinates.length;
        for (let k = 0; k < C; k++) t.push(k < n ? st.x[k] : st.p![k - n]);
      }
      this.observe(run, t);
    }
    if (thermoEvery > 0 && step % thermoEvery === 0) {
      this.thermo.push(step);
      this.observe(run, this.thermo);
    }
  }
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Advances a block by up to `steps` steps (over its replicas, in order) from `task.state`; returns its new state
 * and the rows of the recorded replica, if it is in this block. The input is not modified, unless `owned` (the state
 * is the caller's to give up, as a worker's copy of it is): then its outputs and sums are advanced in place, not
 * copied.
 */
export async function runSegment(
  plan: Plan,
  task: SegmentTask,
  hooks: BlockHooks = {},
  owned = false,
): Promise<SegmentResult> {
  const s0 = task.state;
  const state: BlockState = {
    ...s0,
    outputs: owned ? s0.outputs : s0.outputs.slice(),
    sums: owned ? s0.sums : s0.sums.slice(),
  };
  const P = plan.perReplica;
  const rec =
    task.record && task.record.replica >= state.first && task.record.replica < state.first + state.count
      ? new Recorder(plan, task.record)
      : null;
  let budget = task.steps;
  while (budget > 0 && state.done < state.count) {
    const r = state.first + state.done;
    const out = state.outputs.subarray(state.done * P, (state.done + 1) * P);
    const run = new ReplicaRun(plan, r, fieldSumsViews(plan.fields, state.sums), out, state.current ?? undefined);
    const recorder = rec && rec.spec.replica === r ? rec : null;
    while (!run.done && budget > 0) {
      if (hooks.signal?.aborted || hooks.shouldStop?.()) throw new CancelledError();
      let n = Math.min(budget, plan.sliceSteps);
      if (recorder) n = Math.min(n, recorder.untilNext(run.step));
      const m = run.advance(n);
      budget -= m;
      state.steps += m;
      if (recorder) recorder.record(run);
      hooks.onProgress?.(m);
      if (hooks.pause) await hooks.pause();
    }
    if (run.done) {
      state.done++;
      state.current = null;
    } else {
      state.current = run.snapshot();
    }
  }
  return {
    state,
    trajectory: Float64Array.from(rec?.trajectory ?? []),
    thermo: Float64Array.from(rec?.thermo ?? []),
  };
}

/** What a segmented run reports after every segment. */
export interface SegmentReport {
  /** Every block's state after the segment (a checkpoint's content). */
  blocks: BlockState[];
  /** The recorded replica's rows of this segment. */
  trajectory: Float64Array;
  thermo: Float64Array;
  /** True after the last segment. */
  finished: boolean;
}

/** How a segmented run runs. */
export interface SegmentedRunOptions extends RunOptions {
  /** Steps of each block per segment (>= 1). */
  segmentSteps: number;
  /** Where the segments run (worker threads); default in process. */
  segments?: SegmentRunner;
  /** What the recorded replica records. */
  record?: RecordSpec;
  /** Block states to continue from (a checkpoint); default a fresh start. */
  start?: BlockState[];
  /**
   * Advance the blocks' states in place (in process; on workers each worker's copy is advanced in place anyway)
   * rather than as new copies: a report's blocks, and `start`'s, are then valid only until onSegment returns (write
   * them then), and the run holds its outputs once, not a copy of a block besides (and the garbage of one a segment).
   */
  inPlace?: boolean;
  /** Called after every segment (awaited: the run waits while rows and checkpoints are written). */
  onSegment?: (report: SegmentReport) => void | Promise<void>;
}

/** Checks that block states fit a plan (a checkpoint of the same run; CheckpointError-worthy ModelError otherwise). */
function checkStart(plan: Plan, start: BlockState[]): void {
  const fresh = initialBlockStates(plan);
  const fits =
    start.length === fresh.length &&
    start.every(
      (b, k) =>
        b.first === fresh[k].first &&
        b.count === fresh[k].count &&
        b.done <= b.count &&
        b.steps <= b.count * plan.stepsPerReplica &&
        b.outputs.length === fresh[k].outputs.length &&
        b.sums.length === fresh[k].sums.length &&
        (b.current === null ||
          (b.done < b.count && b.current.replica === b.first + b.done && b.current.step <= plan.stepsPerReplica)),
    );
  if (!fits)
    throw new ModelError("the checkpoint's blocks do not fit this simulation (another replica count or run length)");
}

/**
 * Runs a prepared simulation in segments of `segmentSteps` steps per block, reporting after each (onSegment), and
 * returns its outputs: bit-identical to runPrepared's. `simulate`'s `execute` option hands over the spec and plan.
 *
 * @example
 * ```ts
 * import {
 *   baoab, checkpointParameters, checkRestart, decodeCheckpoint, encodeCheckpoint, loadModel, modelFingerprint,
 *   runSegmented, simulate,
 * } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const options = { time: 50, seed: 1, replicas: 2 };
 * let saved = "";
 * // A run that writes a checkpoint after its first segment of 300 steps, then stops (as if killed).
 * await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) =>
 *     runSegmented(spec, plan, {
 *       segmentSteps: 300,
 *       onSegment: ({ blocks }) => {
 *         const parameters = checkpointParameters(plan);
 *         saved = encodeCheckpoint({ ness: "0", model: { fingerprint: modelFingerprint(model) }, parameters, blocks });
 *         throw new Error("stopped");
 *       },
 *     }),
 * }).catch(() => undefined);
 * // The restart continues from the checkpoint: the numbers of the run that never stopped.
 * const checkpoint = decodeCheckpoint(saved, "checkpoint.json");
 * const continued = await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) => {
 *     checkRestart(checkpoint, { ness: "0", modelFingerprint: modelFingerprint(model), parameters: checkpointParameters(plan) }, "checkpoint.json");
 *     return runSegmented(spec, plan, { segmentSteps: 10 ** 6, start: checkpoint.blocks });
 *   },
 * });
 * const whole = await simulate(model, baoab({ dt: 0.05 }), options);
 * console.log(JSON.stringify(continued.estimates) === JSON.stringify(whole.estimates)); // => true
 * ```
 */
export async function runSegmented(
  spec: EnsembleSpec,
  plan: Plan,
  options: SegmentedRunOptions,
): Promise<EnsembleOutputs> {
  requireObject(spec, "runSegmented: the ensemble spec");
  checkPlanArgument(plan, "runSegmented");
  requireObject(options, "runSegmented: the options");
  const L = options.segmentSteps;
  if (!Number.isSafeInteger(L) || L < 1) throw new ModelError(`segment length must be a positive integer, got ${L}`);
  if (options.record) checkRecordSpec(plan, options.record);
  let blocks = options.start ?? initialBlockStates(plan);
  if (options.start) checkStart(plan, blocks);
  const total = plan.replicas * plan.stepsPerReplica;
  let done = blocks.reduce((s, b) => s + b.steps, 0);
  const hooks: BlockHooks = {
    signal: options.signal,
    onProgress: (n) => {
      done += n;
      options.onProgress?.(done, total);
    },
  };
  let last = Date.now();
  const pause = async () => {
    const now = Date.now();
    if (now - last > 50) {
      last = now;
      await macrotask();
    }
  };
  const finished = (b: BlockState) => b.done >= b.count;
  while (!blocks.every(finished)) {
    const active = blocks.flatMap((b, k) => (finished(b) ? [] : [k]));
    // A new array each segment (the caller may keep a report's blocks), each block's new state in it as soon as it
    // comes: the old state is dropped then, so that a run in process holds its outputs once and one block's twice.
    blocks = blocks.slice();
    const results: SegmentResult[] = [];
    if (options.segments) {
      const give = options.inPlace === true;
      const tasks = active.map((k) => ({ state: blocks[k], steps: L, record: options.record, give }));
      results.push(...(await options.segments(spec, tasks, hooks)));
      active.forEach((k, i) => (blocks[k] = results[i].state));
    } else {
      for (const k of active) {
        const task = { state: blocks[k], steps: L, record: options.record };
        const r = await runSegment(plan, task, { ...hooks, pause }, options.inPlace === true);
        blocks[k] = r.state;
        results.push(r);
      }
    }
    if (options.signal?.aborted) throw new CancelledError();
    const withRows = results.find((r) => r.trajectory.length > 0 || r.thermo.length > 0);
    await options.onSegment?.({
      blocks,
      trajectory: withRows?.trajectory ?? new Float64Array(0),
      thermo: withRows?.thermo ?? new Float64Array(0),
      finished: blocks.every(finished),
    });
  }
  // The blocks are handed over and dropped one by one as they are copied (collectBlocks' release): the run's outputs
  // are held twice at most, as in runPrepared. A caller's `start` state of a block that had nothing left to run
  // stays the caller's (copied, not dropped).
  const given = new Set(options.inPlace ? [] : (options.start ?? []));
  const release = !blocks.some((b) => given.has(b));
  const results = blocks.map((b) => ({ first: b.first, count: b.count, outputs: b.outputs, sums: b.sums }));
  blocks = [];
  return collectBlocks(plan, results, release);
}

/** SHA-256 of a covariance's numbers (its little-endian bytes), as a restart compares it. */
function covarianceFingerprint(c: Float64Array): string {
  const bytes = new Uint8Array(c.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < c.length; i++) view.setFloat64(8 * i, c[i], true);
  return bytesToHex(sha256(bytes));
}

/**
 * The parameters that fix a plan's numbers, as a checkpoint records them (checkRestart compares them).
 *
 * @example
 * ```ts
 * import {
 *   baoab, checkpointParameters, checkRestart, decodeCheckpoint, encodeCheckpoint, loadModel, modelFingerprint,
 *   runSegmented, simulate,
 * } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const options = { time: 50, seed: 1, replicas: 2 };
 * let saved = "";
 * // A run that writes a checkpoint after its first segment of 300 steps, then stops (as if killed).
 * await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) =>
 *     runSegmented(spec, plan, {
 *       segmentSteps: 300,
 *       onSegment: ({ blocks }) => {
 *         const parameters = checkpointParameters(plan);
 *         saved = encodeCheckpoint({ ness: "0", model: { fingerprint: modelFingerprint(model) }, parameters, blocks });
 *         throw new Error("stopped");
 *       },
 *     }),
 * }).catch(() => undefined);
 * // The restart continues from the checkpoint: the numbers of the run that never stopped.
 * const checkpoint = decodeCheckpoint(saved, "checkpoint.json");
 * const continued = await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) => {
 *     checkRestart(checkpoint, { ness: "0", modelFingerprint: modelFingerprint(model), parameters: checkpointParameters(plan) }, "checkpoint.json");
 *     return runSegmented(spec, plan, { segmentSteps: 10 ** 6, start: checkpoint.blocks });
 *   },
 * });
 * const whole = await simulate(model, baoab({ dt: 0.05 }), options);
 * console.log(JSON.stringify(continued.estimates) === JSON.stringify(whole.estimates)); // => true
 * ```
 */
export function checkpointParameters(plan: Plan): CheckpointParameters {
  checkPlanArgument(plan, "checkpointParameters");
  const o = plan.options;
  return {
    scheme: plan.scheme.scheme,
    dt: plan.dt,
    time: o.time,
    burnIn: o.burnIn ?? 0.1 * o.time,
    seed: o.seed,
    replicas: plan.replicas,
    batches: plan.batches,
    sampleEvery: plan.sampleEvery,
    settings: {
      // Only where it chooses an estimator (overdamped networks): an underdamped network's spring fluxes are functions
      // of the state whatever the option, and particles use the Stratonovich estimators.
      fluxEstimator:
        plan.model.kind === "network" && plan.model.dynamics === "overdamped" ? (plan.fluxEstimator ?? null) : null,
      // The rules actually used, not the options as given: an option given equal to its default (--pair-heat exact
      // where the run would take exact anyway) continues the run. Left open where the state-function heat is checked
      // against the trapezoid, the run computes both and reports one ("chosen"): another computation than either.
      pairHeat: plan.heatCheck ? "chosen" : (plan.pairHeat ?? null),
      covariance: plan.covariance ?? null,
      fused: plan.kernel !== null,
      // Only when set: checkpoints written before the option existed stay valid for runs without it.
      ...(plan.counterNoise ? { noise: "counter" } : {}),
      // A split run's numbers are its own (the same for every thread count: threads may differ on a restart).
      ...(plan.split ? { split: true } : {}),
      // The replicas not yet started draw their initial state from the given law: its fingerprint (the CLI's runs of
      // linear networks give the exact one, the same numbers on every run of the same model).
      ...(o.stationaryCovariance !== undefined
        ? { stationaryCovariance: covarianceFingerprint(o.stationaryCovariance), linalg: linalgName() }
        : {}),
      ...(o.heat === false ? { heat: false } : {}),
      ...(o.profile === true ? { profile: true } : {}),
      fields: plan.fields.map((f) => ({ coordinates: f.coordinates, bins: f.bins, range: f.range })),
    },
  };
}

/**
 * The linear-algebra backend of this thread, in the user's words: recorded beside the stationary covariance's
 * fingerprint (the exact solve's last bits may depend on it), only to name it when a restart is refused.
 */
function linalgName(): string {
  const { backend, fusedMultiplyAdd } = linalgBackend();
  return backend === "js" ? "JavaScript" : fusedMultiplyAdd ? "WebAssembly relaxed SIMD" : "WebAssembly SIMD";
}

/** The plan a simulation's runner hands over (SimulationRunOptions.runner): an object with its options and scheme. */
function checkPlanArgument(plan: unknown, where: string): asserts plan is Plan {
  requireObject(plan, `${where}: the plan`);
  requireObject(plan.options, `${where}: the plan's options`);
  requireObject(plan.scheme, `${where}: the plan's scheme`);
}
