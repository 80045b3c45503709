/**
 * What `ness simulate` records while it runs: a trajectory of one replica (--trajectory FILE, --every N,
 * --observe NAMES, --trajectory-replica R) streamed to CSV or Parquet, a running table of observables with their
 * running error bars on stderr (--thermo N, as LAMMPS's thermo output), checkpoints (--checkpoint FILE,
 * --checkpoint-every N: written atomically) and the continuation of a run from one (--restart FILE). The run goes in
 * segments (src/stochastic/segments.ts) and its numbers are those of the run without any of these options.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { ModelError } from "../../errors.js";
import { FileError, writeFileAtomic } from "../../io/files.js";
import { nodeSha256 } from "../../io/sha256.js";
import { openTrajectory, type TrajectoryWriter } from "../../io/trajectory.js";
import type { EnsembleOutputs } from "../../stochastic/ensemble.js";
import {
  CheckpointReader,
  checkRestart,
  checkpointPieces,
  modelFingerprint,
  type BlockState,
  type Checkpoint,
} from "../../stochastic/checkpoint.js";
import type { Plan, SimulationSpec } from "../../stochastic/run.js";
import {
  checkpointParameters,
  runSegmented,
  trajectoryWidth,
  type RecordSpec,
  type SegmentRunner,
} from "../../stochastic/segments.js";
import { reduceBatches } from "../../stochastic/statistics.js";
import { VERSION } from "../../version.js";
import { num, warn } from "../format.js";

/** The recording options of `ness simulate`, parsed. */
export interface RecordingOptions {
  trajectory?: string;
  every?: number;
  observe?: string[];
  replica: number;
  thermo?: number;
  /** Print the running table (stderr is a terminal, or --thermo-always). */
  thermoShown: boolean;
  checkpoint?: string;
  checkpointEvery?: number;
  restart?: { file: string; checkpoint: Checkpoint };
  /** The command line, for provenance. */
  command: string;
}

/** True when any recording option asks for the segmented run. */
export function recordingWanted(o: RecordingOptions): boolean {
  return o.trajectory !== undefined || o.thermo !== undefined || o.checkpoint !== undefined || o.restart !== undefined;
}

/**
 * Reads a checkpoint file for --restart (FileError / CheckpointError naming it), 1 MiB at a time: the blocks' numbers
 * are decoded as they come (CheckpointReader), the file is never held as one string; its SHA-256 checksums are
 * verified as it is read (node:crypto); a file that is not a checkpoint is refused from its first bytes.
 */
export function readCheckpointFile(file: string): Checkpoint {
  const cannot = (err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    return new FileError(
      `--restart ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a checkpoint" : `cannot be read (${code ?? String(err)})`}`,
    );
  };
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    throw cannot(err);
  }
  const reader = new CheckpointReader(`--restart ${file}`, nodeSha256);
  try {
    const piece = Buffer.allocUnsafe(2 ** 20);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, piece, 0, piece.length, null);
      } catch (err) {
        throw cannot(err);
      }
      if (n === 0) break;
      reader.push(piece.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return reader.end();
}

/** The observables' names as `ness simulate` reports them ("group: name"). */
const nameOf = (e: { group: string; name: string }) => `${e.group}: ${e.name}`;
const squash = (s: string) =>
  s
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\s*:\s*/, ": ")
    .trim();

/**
 * Indices of the observables named (each "group: name" as in the report, or a group for all its members); only
 * per-step observables (not covariances). ModelError listing the names for an unknown one.
 */
export function resolveObservables(plan: Plan, names: string[]): number[] {
  const linear = plan.estimands.map((e, k) => ({ e, k })).filter(({ e }) => e.estimand.kind === "linear");
  const out: number[] = [];
  for (const raw of names) {
    const want = squash(raw);
    const exact = linear.filter(({ e }) => squash(nameOf(e)) === want);
    const group = exact.length > 0 ? exact : linear.filter(({ e }) => squash(e.group) === want);
    if (group.length === 0) {
      const covariance = plan.estimands.some((e) => squash(nameOf(e)) === want || squash(e.group) === want);
      if (covariance)
        throw new ModelError(
          `--observe '${raw}': covariances are not per-step observables (the trajectory's coordinates give them)`,
        );
      const all = linear.map(({ e }) => nameOf(e));
      throw new ModelError(
        `--observe '${raw}': no such observable (observables: ${all.slice(0, 12).join(", ")}${all.length > 12 ? ", ..." : ""})`,
      );
    }
    for (const { k } of group) if (!out.includes(k)) out.push(k);
  }
  return out;
}

/** The running table's default observables: the first few per-step estimates beyond the means. */
function defaultThermo(plan: Plan): number[] {
  const out: number[] = [];
  plan.estimands.forEach((e, k) => {
    if (e.estimand.kind === "linear" && e.group !== "mean" && out.length < 4) out.push(k);
  });
  return out.length > 0 ? out : [0];
}

/** Most trajectory numbers held per segment (bounded memory whatever the run's length). */
const ROWS_BUDGET = 2 ** 20;

/** The running table (LAMMPS-style thermo output): a header, then aligned rows. */
class Thermo {
  private header = false;
  private readonly widths: number[];
  constructor(
    private readonly plan: Plan,
    private readonly observe: number[],
    private readonly replica: number,
  ) {
    this.widths = observe.map((i) => Math.max(24, nameOf(plan.estimands[i]).length + 2));
  }

  private line(cells: string[]): string {
    const lead = [cells[0].padStart(12), cells[1].padStart(12), cells[2].padStart(9)].join(" ");
    return `${lead}  ${cells
      .slice(3)
      .map((c, k) => c.padEnd(this.widths[k]))
      .join("")}`.trimEnd();
  }

  /** Prints the rows [step, values...] of a segment, with running estimates from the replica's finished batches. */
  print(rows: Float64Array, blocks: BlockState[]): void {
    const plan = this.plan;
    const width = 1 + this.observe.length;
    if (rows.length === 0) return;
    if (!this.header) {
      this.header = true;
      console.error(
        `ness: thermo of replica ${this.replica}: running estimate ± error bar over its finished production batches (batch = ${plan.batchLength} steps)`,
      );
      console.error(this.line(["step", "time", "batches", ...this.observe.map((i) => nameOf(plan.estimands[i]))]));
    }
    const block = blocks.find((b) => this.replica >= b.first && this.replica < b.first + b.count)!;
    const P = plan.perReplica;
    const mine = block.outputs.subarray((this.replica - block.first) * P, (this.replica - block.first + 1) * P);
    for (let r = 0; r < rows.length; r += width) {
      const step = rows[r];
      const nb = Math.max(0, Math.min(plan.batches, Math.floor((step - plan.nBurn) / plan.batchLength)));
      const burn = step <= plan.nBurn;
      let cells: string[];
      if (nb === 0) {
        cells = this.observe.map(() => (burn ? "(burn-in)" : "-"));
      } else {
        const est = reduceBatches(
          mine.subarray(0, nb * plan.K),
          plan.K,
          nb,
          this.observe.map((i) => plan.estimands[i]),
        );
        cells = est.map((e) => `${num(e.value)}${Number.isFinite(e.error) ? ` ± ${num(e.error, 2)}` : ""}`);
      }
      console.error(this.line([String(step), num(step * plan.dt, 6), burn ? "burn-in" : String(nb), ...cells]));
    }
  }
}

/** Quotes a command-line word for the provenance line when it needs it. */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`;
}

/**
 * The `execute` of a simulation with recording: checks a restart against the plan, opens the trajectory, runs the
 * plan in segments (on `segments`' workers or in process), and writes rows, the running table and checkpoints after
 * each segment. On failure or interruption the trajectory is removed (checkpoints stay: they are for that).
 */
export function recordingExecute(
  o: RecordingOptions,
  run: { segments?: SegmentRunner; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): (spec: SimulationSpec, plan: Plan) => Promise<EnsembleOutputs> {
  return async (spec, plan) => {
    const fingerprint = modelFingerprint(spec.problem);
    const parameters = checkpointParameters(plan);
    if (o.restart)
      checkRestart(o.restart.checkpoint, { ness: VERSION, modelFingerprint: fingerprint, parameters }, o.restart.file);
    if (o.replica >= plan.replicas)
      throw new ModelError(
        `--trajectory-replica ${o.replica}: the run has replicas 0 .. ${plan.replicas - 1} (--replicas ${plan.replicas})`,
      );
    const observe = o.observe ? resolveObservables(plan, o.observe) : [];
    const thermoObserve = o.observe ? observe : defaultThermo(plan);
    const every = o.trajectory !== undefined ? (o.every ?? Math.max(1, Math.ceil(plan.stepsPerReplica / 10000))) : 0;
    // Rows are written at steps every, 2 every, ...: a longer interval than the run would write none.
    if (o.trajectory !== undefined && every > plan.stepsPerReplica)
      throw new ModelError(
        `--every ${every} is longer than the run (${plan.stepsPerReplica} steps per replica, burn-in included): the trajectory would have no rows; give --every ${plan.stepsPerReplica} or less`,
      );
    // The recorder writes both row kinds from one list of observables: the trajectory's when given, else the table's.
    const record: RecordSpec | undefined =
      o.trajectory !== undefined || o.thermo !== undefined
        ? {
            replica: o.replica,
            every,
            states: true,
            thermoEvery: o.thermo ?? 0,
            observe: o.trajectory !== undefined ? observe : thermoObserve,
          }
        : undefined;
    if (record && o.trajectory !== undefined && o.thermo !== undefined && !o.observe) record.observe = thermoObserve; // both: the table's default observables go into the trajectory too
    const stepsPerBlock = plan.blockSize * plan.stepsPerReplica;
    const checkpointEvery =
      o.checkpoint !== undefined ? (o.checkpointEvery ?? Math.max(1, Math.ceil(stepsPerBlock / 10))) : undefined;
    let segmentSteps = stepsPerBlock;
    if (checkpointEvery !== undefined) segmentSteps = Math.min(segmentSteps, checkpointEvery);
    if (o.thermo !== undefined) segmentSteps = Math.min(segmentSteps, Math.max(o.thermo, 1));
    if (record && every > 0) {
      const rows = Math.max(1, Math.floor(ROWS_BUDGET / trajectoryWidth(plan, record)));
      segmentSteps = Math.min(segmentSteps, every * rows);
    }
    segmentSteps = Math.max(1, segmentSteps);

    // Where the recorded replica stands in the checkpoint: its step, or 0 (not started), or its end (finished).
    let startStep = 0;
    const holder = o.restart?.checkpoint.blocks.find((b) => o.replica >= b.first && o.replica < b.first + b.count);
    if (holder) {
      if (holder.current?.replica === o.replica) startStep = holder.current.step;
      else if (o.replica < holder.first + holder.done) startStep = plan.stepsPerReplica;
    }
    let writer: TrajectoryWriter | null = null;
    if (o.trajectory !== undefined && record) {
      const columns = ["step", "time", ...plan.coordinates, ...record.observe.map((i) => nameOf(plan.estimands[i]))];
      writer = openTrajectory(o.trajectory, columns, {
        version: VERSION,
        command: o.command,
        model: `${plan.model.name ?? `${plan.model.dynamics} ${plan.model.kind}`} (sha256 ${fingerprint})`,
        // Settings left at their default are absent (the checkpoint keeps its nulls: restarts compare them).
        parameters: {
          ...parameters,
          settings: Object.fromEntries(Object.entries(parameters.settings).filter(([, v]) => v !== null)),
          every,
          replica: o.replica,
        },
        seed: plan.options.seed,
        replica: o.replica,
        units:
          "time = step x dt in the model's time unit, from the start of the burn-in; coordinates (q, x, y, z), momenta (p) and " +
          "observables in the model's units (kB = 1); an observable's value at a step is its per-step estimator, whose average is the estimate ness simulate reports",
        notes: [
          `burn-in: steps 1 .. ${plan.nBurn}; production: steps ${plan.nBurn + 1} .. ${plan.stepsPerReplica} in ${plan.batches} batches of ${plan.batchLength}`,
          ...(o.restart
            ? [
                `restarted from the checkpoint ${o.restart.file} at step ${startStep} (the run was started by: ${o.restart.checkpoint.command ?? "unknown"}); rows after that step`,
              ]
            : []),
        ],
      });
    }
    const thermo = o.thermo !== undefined && o.thermoShown ? new Thermo(plan, record!.observe, o.replica) : null;
    let stepsDone = 0;
    try {
      const outputs = await runSegmented(spec, plan, {
        segmentSteps,
        segments: run.segments,
        record,
        start: o.restart?.checkpoint.blocks,
        // rows and checkpoints are written before onSegment returns: the blocks advance in place (no copy of them)
        inPlace: true,
        signal: run.signal,
        onProgress: run.onProgress,
        onSegment: async (report) => {
          if (writer && report.trajectory.length > 0) {
            const w = trajectoryWidth(plan, record!);
            const n = report.trajectory.length / w;
            const rows = new Float64Array(n * (w + 1));
            for (let r = 0; r < n; r++) {
              const src = report.trajectory.subarray(r * w, (r + 1) * w);
              rows[r * (w + 1)] = src[0];
              rows[r * (w + 1) + 1] = src[0] * plan.dt;
              rows.set(src.subarray(1), r * (w + 1) + 2);
            }
            await writer.write(rows);
          }
          thermo?.print(report.thermo, report.blocks);
          const before = stepsDone;
          stepsDone += segmentSteps;
          if (
            o.checkpoint !== undefined &&
            !report.finished &&
            Math.floor(stepsDone / checkpointEvery!) > Math.floor(before / checkpointEvery!)
          ) {
            // written piece by piece (about 1 MB each): no copy of the run's outputs as text
            await writeFileAtomic(
              o.checkpoint,
              checkpointPieces(
                {
                  ness: VERSION,
                  command: o.command,
                  model: { fingerprint, name: plan.model.name },
                  parameters,
                  blocks: report.blocks,
                },
                nodeSha256,
              ),
            );
          }
        },
      });
      await writer?.close();
      return outputs;
    } catch (err) {
      await writer?.abort();
      throw err;
    }
  };
}

/** Warns once that the running table is not printed (stderr is not a terminal and --thermo-always was not given). */
export function thermoHidden(): void {
  warn("--thermo: stderr is not a terminal, so the running table is not printed (add --thermo-always to print it)");
}
