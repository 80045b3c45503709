/**
 * The work of `ness sweep`, `ness worker` and `ness plot` (their options are in sweep.ts, which loads this module only
 * when one of them runs: the queue and store libraries stay out of the other commands' start-up): parameter sweeps
 * into a resumable store (DIR/sweep.sqlite), exported to DIR/results.csv and DIR/results.parquet when complete.
 *
 * Order of work: the spec is read and checked (paths, outputs, the base model), the queue's Redis is reached (when
 * --queue), and the first pending point is computed and timed (the cost estimate: announced on stderr above a minute,
 * refused above an hour unless --force), all before anything is written; then the store is opened and the points run
 * locally (worker threads) or through the queue, with a progress bar and ETA on stderr (on a terminal).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ModelError, SweepError } from "../../errors.js";
import { oldStoreRefusal, STORE_FILE, SweepStore, type StoreMeta, type StoredPoint } from "../../io/sweepStore.js";
import { parseModelText } from "../../model/modelText.js";
import { checkQueueUrl, checkRedis, runQueued } from "../../queue/sweepQueue.js";
import { points } from "../../sweep/axes.js";
import { prepareSweep } from "../../sweep/evaluate.js";
import { shortHash } from "../../sweep/key.js";
import { loadStudies, studyOf } from "../../sweep/studyCompute.js";
import { parseSweepSpec, type SweepSpec } from "../../sweep/spec.js";
import { NESS_VERSION, VERSION } from "../../version.js";
import { defaultWorkers } from "../../workers/pool.js";
import { computePoints, keepPrepared, type PointJob } from "../../workers/sweepPoints.js";
import { runLocal } from "../../workers/sweepPool.js";
import { ANNOUNCE_SECONDS, MAX_SECONDS, duration } from "../cost.js";
import { readModelText } from "../input.js";
import { MODEL_UNITS, commandLine } from "../commandLine.js";
import { numberOption } from "../../model/options.js";
import { progressBar } from "../progress.js";

export interface SweepOptions {
  out?: string;
  workers?: string;
  resume?: boolean;
  queue?: string;
  redisTimeout?: string;
  force?: boolean;
  progress: boolean;
}

/** Reads and validates a spec file; model files it names are read relative to it. */
export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = readModelText(file);
  } catch (err) {
    throw new SweepError((err as Error).message.replace("model file", "sweep spec"));
  }
  const dir = path.dirname(file);
  return parseSweepSpec(text, file, (p) => {
    const f = path.isAbsolute(p) ? p : path.join(dir, p);
    try {
      return { data: parseModelText(readModelText(f), f), source: f };
    } catch (err) {
      throw new SweepError(`base.model: ${(err as Error).message}`, file);
    }
  });
}

/** The sweep's points with their keys; equal keys (equal parameters) are computed once, at their first index. */
export function planPoints(
  spec: SweepSpec,
  key: (v: ArrayLike<number>) => string,
): { jobs: PointJob[]; total: number } {
  const d = spec.axes.length;
  const pts = points(spec.axisValues, spec.combine, spec.samples, spec.seed);
  const seen = new Set<string>();
  const jobs: PointJob[] = [];
  for (let i = 0; i < spec.count; i++) {
    const values = Array.from(pts.subarray(i * d, (i + 1) * d));
    const k = key(values);
    if (seen.has(k)) continue;
    seen.add(k);
    jobs.push({ key: k, index: i, values });
  }
  return { jobs, total: spec.count };
}

export async function runSweep(file: string, o: SweepOptions): Promise<void> {
  if (o.out === undefined) throw new ModelError("--out is required (the folder of the sweep's store and results)");
  const workers = numberOption(o.workers, "--workers", { integer: true, min: 1, max: 1024 }) ?? defaultWorkers();
  const redisTimeout = numberOption(o.redisTimeout ?? "60", "--redis-timeout", { above: 0 })!;
  if (o.queue !== undefined) checkQueueUrl(o.queue);
  const spec = readSweepSpec(file);
  await loadStudies(spec.base);
  const prepared = prepareSweep(spec, file);
  const { jobs, total } = planPoints(spec, prepared.key);
  if (jobs.length > 0) prepared.checkBounds(spec.axisValues, jobs[0].values);
  if (o.queue !== undefined) await checkRedis(o.queue);
  const task = prepared.task;
  const sweepId = shortHash({ task, keys: jobs.map((j) => j.key), version: NESS_VERSION });
  keepPrepared(sweepId, prepared);

  // Pending keys: all of them, or those not yet in the store (--resume). Nothing is written before the estimate.
  let done = new Set<string>();
  let storedColumns: string[] | undefined;
  if (o.resume) {
    if (!existsSync(path.join(o.out, STORE_FILE)))
      throw new SweepError(`--resume: ${o.out} holds no sweep (${STORE_FILE} is missing)`);
    const probe = SweepStore.openExisting(o.out);
    try {
      if (probe.meta.sweepId !== sweepId) {
        throw new SweepError(
          `--resume: ${o.out} holds another sweep (its spec, points or ness version ${probe.meta.version} differ from this one): resume it with its own spec, or choose another --out`,
        );
      }
      // A store of an earlier ness without reliability flags: refused here, before any point is computed.
      const refusal = probe.hasFlags ? null : oldStoreRefusal(o.out, probe.meta);
      if (refusal) throw new SweepError(refusal);
      done = probe.doneKeys();
      storedColumns = probe.meta.columns;
    } finally {
      probe.close();
    }
  }
  let pending = jobs.filter((j) => !done.has(j.key));

  // The cost: the first pending point, computed here and timed (its row is kept).
  const first: StoredPoint[] = pending.length > 0 ? await computePoints(sweepId, task, [pending[0]]) : [];
  // A study base shows its outputs' shape only in a result: the first point must have one.
  if (!prepared.resolved && storedColumns === undefined) {
    const why = first[0]?.error ?? "no point to compute";
    throw new SweepError(
      `the first point has no result (${why}), so the outputs cannot be checked against the study's results: choose axes whose first point has one`,
      file,
    );
  }
  const perPoint = first[0]?.seconds ?? 0;
  const parallel = o.queue !== undefined ? 1 : Math.min(workers, Math.max(1, pending.length));
  const seconds = (perPoint * pending.length) / parallel;
  const where =
    o.queue !== undefined
      ? "of computing, shared by the queue's workers"
      : `on ${parallel} worker${parallel === 1 ? "" : "s"}`;
  const costLine = `${pending.length} point${pending.length === 1 ? "" : "s"} to compute (of ${jobs.length} distinct in ${total}), about ${duration(seconds)} ${where}`;
  if (seconds > MAX_SECONDS && !o.force)
    throw new SweepError(
      `this sweep would take long: ${costLine}; add --force to run it (it can be stopped and resumed with --resume)`,
    );
  if (seconds > ANNOUNCE_SECONDS) process.stderr.write(`ness: sweep: ${costLine}\n`);

  const store = SweepStore.open(
    o.out,
    {
      sweepId,
      version: NESS_VERSION,
      seed: spec.seed,
      spec: JSON.stringify(spec.raw),
      axes: spec.axes.map((a) => a.name),
      columns: prepared.resolved ? prepared.columns : storedColumns!,
      points: total,
      keys: jobs.length,
    },
    o.resume === true,
  );
  const bar = progressBar(o.progress, "sweep");
  try {
    let stored = done.size;
    const onRows = (rows: StoredPoint[]) => {
      stored += store.put(rows);
      bar.onProgress(stored, jobs.length);
    };
    onRows(first);
    pending = pending.slice(1);
    if (o.queue !== undefined) {
      const remaining = new Set(pending.map((p) => p.key));
      await runQueued(o.queue, sweepId, task, pending, {
        onRows: (rows) => {
          for (const r of rows) remaining.delete(r.key);
          onRows(rows);
        },
        finished: () => remaining.size === 0,
        redisTimeoutMs: redisTimeout * 1000,
        out: o.out,
      });
    } else {
      await runLocal(sweepId, task, pending, workers, prepared.compute.relativeCost, { onRows });
    }
    bar.stop();
    const counts = store.counts();
    // Loaded here: `ness worker` processes never export (Arrow and Parquet stay out of their start-up).
    const { writeSweepExports } = await import("../../io/sweepExport.js");
    const summary = await writeSweepExports(store, o.out);
    console.log(
      `sweep: ${total} points (${jobs.length} distinct): ${counts.done} computed, ${counts.failed} without a result; store ${path.join(o.out, STORE_FILE)}`,
    );
    console.log(`wrote ${summary.files.join(", ")}`);
    if (counts.failed > 0)
      process.stderr.write(
        `ness: warning: ${counts.failed} point${counts.failed === 1 ? "" : "s"} without a result (reasons in ${path.join(o.out, "failures.csv")})\n`,
      );
  } finally {
    bar.stop();
    store.close();
  }
}

/**
 * The `#` lines of a sweep figure's CSV (`ness plot DIR ... --figure x.csv`), as in the other CSVs: the ness version,
 * the command, the sweep and its seed; the spec; the units (the model file's, or the study's for a study base).
 */
async function plotCsvComments(meta: StoreMeta): Promise<string[]> {
  let units = MODEL_UNITS;
  const spec = JSON.parse(meta.spec) as { base?: { study?: unknown } };
  if (spec.base && typeof spec.base.study === "string") {
    await loadStudies(spec.base);
    const { studyUnits } = await import("../provenance.js");
    units = studyUnits(studyOf(spec.base.study, "spec")).convention;
  }
  return [
    `ness ${VERSION}; command: ${commandLine()}; sweep ${meta.sweepId}; seed ${meta.seed}; ${meta.points} points; stored by ness ${meta.version}`,
    `spec: ${meta.spec.replace(/[\r\n]+/g, " ")}`,
    `units: ${units}`,
  ];
}

/** `ness plot DIR --x AXIS --y OUTPUT [--color AXIS]`: a figure of a sweep from its store. */
export async function runPlot(
  dir: string,
  o: { x?: string; y?: string; color?: string; figure?: string },
): Promise<void> {
  if (o.x === undefined) throw new ModelError("--x is required (an axis of the sweep)");
  if (o.y === undefined)
    throw new ModelError("--y is required (an output of the sweep, or a second axis for a heatmap)");
  // The figure stack (Observable Plot, linkedom, resvg) is loaded by `ness plot` only, not by sweeps and workers.
  const [{ sweepFigure }, { checkFigurePath, writeFigureFile }] = await Promise.all([
    import("../../sweep/plot.js"),
    import("../../io/render.js"),
  ]);
  const store = SweepStore.openExisting(dir);
  let figure;
  try {
    const rows = [...store.points()]
      .filter((p) => p.status === "done")
      .map((p) => ({
        values: p.values,
        outputs: p.outputs!,
        ...(p.flags ? { reliable: Object.fromEntries(Object.entries(p.flags).map(([k, f]) => [k, f.reliable])) } : {}),
      }));
    figure = sweepFigure({
      axes: store.meta.axes,
      columns: store.meta.columns,
      rows,
      x: o.x,
      y: o.y,
      color: o.color,
      title: `Sweep ${store.meta.sweepId}`,
    });
  } finally {
    store.close();
  }
  const file = o.figure ?? path.join(dir, `${`${o.y}-vs-${o.x}`.replace(/[^A-Za-z0-9._-]+/g, "_")}.svg`);
  checkFigurePath(file, "--figure");
  const provenance = await plotCsvComments(store.meta);
  await writeFigureFile(figure, file, { provenance });
  console.log(`figure written to ${file}`);
}
