/**
 * `ness reproduce NAME`: runs each figure set of a study (its reproduce cases) and writes, per set, its results as
 * `ID.results.json` ({ ness, command, study, case, parameters, seed, units, results }: checked for NaN, Infinity and
 * null first) and each of its figures as SVG, PNG and CSV (after `#` provenance lines), into one folder. Runs in a
 * worker thread under `ness reproduce` (see src/cli/reproduce.ts for Ctrl-C).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../../io/files.js";
import { writeFigure } from "../../io/render.js";
import type { BlockRunner } from "../../stochastic/ensemble.js";
import type { ReproduceCase, Study } from "../../studies/contract.js";
import { workerRunner } from "../../workers/pool.js";
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

/** Writes every figure set of the study; resolves to the paths written. */
export async function writeReproduction(study: Study, o: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  const runner = (o.workers ?? 1) > 1 ? workerRunner(o.workers!) : undefined;
  const pool = new MapPool(o.workers ?? 1);
  try {
    for (const c of study.reproduce)
      if (o.only === undefined || o.only.includes(c.id)) written.push(...(await writeCase(study, c, o, runner, pool)));
  } finally {
    await runner?.close();
    await pool.close();
  }
  return written;
}

/** Computes one figure set and writes its figures and results.json; resolves to the paths written. */
async function writeCase(
  study: Study,
  c: ReproduceCase,
  o: ReproduceOptions,
  runner: BlockRunner | undefined,
  pool: MapPool,
): Promise<string[]> {
  const written: string[] = [];
  const t0 = performance.now();
  o.log(`${study.name} ${c.id}: ${c.title}`);
  const parameters = c.parameters(o.quick);
  const seed = c.seed ?? 1;
  const file = path.join(o.outDir, `${c.id}.results.json`);
  if (o.resume && complete(file, parameters, seed)) {
    o.log(`  already complete (${file})`);
    return written;
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
  const figures = c.figures(results);
  // The command is the reproduction itself (not the output folder): the same command gives the same files.
  const provenance = studyProvenance(study, {
    command: `ness reproduce ${study.name}${o.quick ? " --quick" : ""}`,
    case: c.id,
    parameters,
    seed,
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
  const csvComments = csvProvenance(provenance);
  for (const f of figures) {
    const paths = await writeFigure(f, o.outDir, { csvComments });
    o.log(`${f.name}: ${paths.map((p) => path.basename(p)).join(", ")}`);
    for (const p of paths) o.log(`  wrote ${p}`);
    written.push(...paths);
  }
  // The results last: a set interrupted while its figures are written leaves no results.json behind.
  await writeFileAtomic(file, jsonChunks(doc));
  o.log(`  wrote ${file}`);
  if (c.map) removeMapStore(o.outDir, c.id);
  written.push(file);
  o.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
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
