/**
 * `ness reproduce NAME`: runs each figure set of a study (its reproduce cases) and writes, per set, its results as
 * `ID.results.json` ({ ness, command, study, case, parameters, seed, units, results }: checked for NaN, Infinity and
 * null first) and each of its figures as SVG, PNG and CSV (after `#` provenance lines), into one folder. Runs in a
 * worker thread under `ness reproduce` (see src/cli/reproduce.ts for Ctrl-C).
 */
import { setMaxListeners } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../../io/files.js";
import { writeFigure } from "../../io/render.js";
import type { BlockRunner } from "../../stochastic/ensemble.js";
import { citedFigures, type ReproduceCase, type Study } from "../../studies/contract.js";
import { SharedThreads, workerRunner } from "../../workers/pool.js";
import { VERSION } from "../../version.js";
import { costAnnouncer } from "../announce.js";
import { csvProvenance, studyProvenance } from "../provenance.js";
import { checkDocument, jsonChunks } from "./output.js";
import { MapPool, removeMapStore, runMapCase } from "./reproduceMap.js";

export interface ReproduceOptions {
  /** Output folder (created if missing). */
  outDir: string;
  /** Fewer points / shorter simulations, for smoke tests; the figures keep their shape. */
  quick: boolean;
  /** Progress and "wrote FILE" lines. */
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Worker threads for the replicas and sweep points (default 1: in this thread); the numbers do not depend on it. */
  workers?: number;
  /**
   * Continue an interrupted reproduce in the same folder: a figure set whose results.json is there (same parameters,
   * seed and ness version) is kept as it is, and a set computed as a point map computes only the points its store
   * (OUT/.sweeps/ID) does not hold yet.
   */
  resume?: boolean;
  /** Only these figure sets (their ids, e.g. fig4-ndc), in the study's order. */
  only?: readonly string[];
}

/** Figure sets computed ahead of the one being written (their work queued behind its work on the threads). */
const SETS_AHEAD = 2;

/**
 * Writes every figure set of the study; resolves to the paths written. The sets are written one after the other, in
 * order; the next SETS_AHEAD sets compute meanwhile (on the worker threads, when there are any: their replica blocks
 * and points queue behind this set's, filling the threads this set's last replicas leave idle), and this thread draws
 * and writes each set's figures while the others compute. The log lines of a set are held back until the set before
 * it is written, so the log still reads set by set.
 */
export async function writeReproduction(study: Study, o: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  // One set of threads for every set's replica blocks and map points: started once, warm from set to set.
  const threads = new SharedThreads(o.workers ?? 1);
  const runner = threads.workers > 1 ? workerRunner(threads.workers, threads) : undefined;
  const pool = new MapPool(threads);
  // Stops a set computing ahead when this one fails to write (or when the caller cancels).
  const stop = new AbortController();
  // Every ensemble in flight listens on its set's signal (dozens at once in a map): not a leak, no warning.
  setMaxListeners(0, stop.signal);
  const cancel = () => stop.abort();
  if (o.signal?.aborted) stop.abort();
  else o.signal?.addEventListener("abort", cancel);
  const cases = study.reproduce.filter((c) => o.only === undefined || o.only.includes(c.id));
  const begin = (c: ReproduceCase, log: HeldLog): Promise<Computed | null> => {
    // Each set listens on a signal of its own (aborted with `stop`): two sets in flight must not pile their
    // listeners onto one signal (Node warns about a leak above 10 on one AbortSignal).
    const own = new AbortController();
    setMaxListeners(0, own.signal);
    const relay = () => own.abort();
    if (stop.signal.aborted) own.abort();
    else stop.signal.addEventListener("abort", relay);
    const p = computeCase(study, c, { ...o, log: log.line, signal: own.signal }, runner, pool);
    // Awaited below; a failure while the previous set is written is reported after it.
    const detach = () => stop.signal.removeEventListener("abort", relay);
    p.then(detach, detach);
    return p;
  };
  try {
    // Sets in flight: the one being written and up to SETS_AHEAD after it. Their blocks and points queue on the
    // threads in set order, so a set's last replicas share the threads with the next sets' first ones (no thread
    // idles at the end of a set) and the sets still complete, and are written, in order.
    const logs: HeldLog[] = [],
      computing: Promise<Computed | null>[] = [];
    const startNext = () => {
      const i = computing.length;
      if (i >= cases.length) return;
      logs.push(new HeldLog(o.log));
      if (i === 0) logs[0].release();
      computing.push(begin(cases[i], logs[i]));
    };
    for (let k = 0; k <= SETS_AHEAD; k++) startNext();
    for (let i = 0; i < cases.length; i++) {
      let computed: Computed | null;
      try {
        computed = await computing[i];
      } catch (err) {
        stop.abort(); // the sets computing ahead stop too: the error is reported now, not after them
        throw err;
      }
      startNext();
      try {
        if (computed) written.push(...(await writeComputed(study, computed, { ...o, log: logs[i].line })));
      } catch (err) {
        stop.abort();
        throw err;
      } finally {
        logs[i + 1]?.release();
      }
    }
  } finally {
    o.signal?.removeEventListener("abort", cancel);
    await runner?.close();
    await threads.close();
  }
  return written;
}

/** Log lines held back until `release` (then passed on as they come). */
class HeldLog {
  private held: string[] | null = [];
  constructor(private readonly out: (line: string) => void) {}
  readonly line = (line: string): void => {
    if (this.held) this.held.push(line);
    else this.out(line);
  };
  release(): void {
    const held = this.held;
    this.held = null;
    for (const line of held ?? []) this.out(line);
  }
}

/** A figure set's computed results, with what its files record. */
interface Computed {
  c: ReproduceCase;
  parameters: unknown;
  seed: number;
  file: string;
  results: unknown;
  t0: number;
}

/** Computes one figure set; resolves to null when --resume finds it complete. */
async function computeCase(
  study: Study,
  c: ReproduceCase,
  o: ReproduceOptions,
  runner: BlockRunner | undefined,
  pool: MapPool,
): Promise<Computed | null> {
  const t0 = performance.now();
  o.log(`${study.name} ${c.id}: ${c.title}`);
  const parameters = c.parameters(o.quick);
  const seed = c.seed ?? 1;
  const file = path.join(o.outDir, `${c.id}.results.json`);
  if (o.resume && complete(file, parameters, seed)) {
    o.log(`  already complete (${file})`);
    return null;
  }
  const results = c.map
    ? await runMapCase(study, c, parameters, {
        outDir: o.outDir,
        seed,
        quick: o.quick,
        resume: o.resume === true,
        log: o.log,
        signal: o.signal,
        pool,
      })
    : await c.compute(parameters, {
        seed,
        quick: o.quick,
        log: o.log,
        signal: o.signal,
        runner,
        // A figure set estimated above about a minute says so first (once, after about a second of timed work).
        progress: costAnnouncer(c.id, o.log),
      });
  return { c, parameters, seed, file, results, t0 };
}

/** Writes a computed figure set's figures and results.json; resolves to the paths written. */
async function writeComputed(study: Study, k: Computed, o: ReproduceOptions): Promise<string[]> {
  const { c, parameters, seed, file, results } = k;
  const written: string[] = [];
  const figures = citedFigures(study, c.figures(results, { quick: o.quick }));
  // The command is the reproduction itself (not the output folder): the same command gives the same files.
  const provenance = studyProvenance(study, {
    command: `ness reproduce ${study.name}${o.quick ? " --quick" : ""}`,
    case: c.id,
    parameters,
    seed,
    ...(c.units !== undefined ? { units: c.units } : {}),
  });
  const doc = {
    ness: VERSION,
    command: provenance.command,
    study: study.name,
    case: c.id,
    parameters,
    seed,
    units: provenance.units,
    results,
  };
  checkDocument(doc);
  const lines = csvProvenance(provenance);
  for (const f of figures) {
    const paths = await writeFigure(f, o.outDir, { provenance: lines });
    o.log(`${f.name}: ${paths.map((p) => path.basename(p)).join(", ")}`);
    for (const p of paths) o.log(`  wrote ${p}`);
    written.push(...paths);
  }
  // The results last: a set interrupted while its figures are written leaves no results.json behind.
  await writeFileAtomic(file, jsonChunks(doc));
  o.log(`  wrote ${file}`);
  if (c.map) removeMapStore(o.outDir, c.id);
  written.push(file);
  o.log(`  (${((performance.now() - k.t0) / 1000).toFixed(1)} s)`);
  return written;
}

/** Whether a figure set's results.json is there, written by this ness version for these parameters and seed. */
function complete(file: string, parameters: unknown, seed: number): boolean {
  if (!existsSync(file)) return false;
  try {
    const doc = JSON.parse(readFileSync(file, "utf8")) as { ness?: unknown; parameters?: unknown; seed?: unknown };
    return doc.ness === VERSION && doc.seed === seed && JSON.stringify(doc.parameters) === JSON.stringify(parameters);
  } catch {
    return false;
  }
}
