/**
 * The study contract: what every study of ness declares, so that the CLI (`ness study NAME`, `ness reproduce NAME`),
 * the documentation and a library caller are generated from one description.
 *
 *  - parameters: a zod object; every field has `.describe("what, with its convention")` and
 *    `.meta({ unit, range, flag?, sweep?, ... })` (see ParameterMeta). Defaults live in the schema.
 *  - compute(parameters, context): all the work (solves, quadratures, simulations), returning plain
 *    JSON-serialisable results; every stochastic number carries its error bar.
 *  - figures(results), report(results), numbers(results): pure: they draw, write text and name the main numbers (with
 *    units and error bars: the lab's report box) from the results and compute nothing.
 *  - reproduce: the figure sets of `ness reproduce NAME`, each a parameter set (full and quick), a compute and pure
 *    figures; the CLI writes each set's figures (SVG, PNG, CSV) and its results.json (parameters, seed, version).
 *
 * Conventions stated once (docs/architecture.md): kB = 1 unless a study says otherwise; friction gamma is the
 * coefficient of the force -gamma v (underdamped) or the inverse mobility of gamma x' = F + sqrt(2 gamma T) xi
 * (overdamped); every parameter states its unit in its meta. Browser-safe.
 */
import { z } from "zod";
import { requireFunction, requireObject, requireString } from "../arguments.js";
import { NessError } from "../errors.js";
import type { Figure } from "../figures/figure.js";
import type { BlockRunner } from "../stochastic/ensemble.js";
import type { Citation } from "./citation.js";
import { citeFigure } from "./citations.js";
import type { ParameterRange } from "./ranges.js";

export type { Citation } from "./citation.js";

/**
 * A stochastic estimate: its value, one standard error, and whether that error bar can be trusted (finite, from
 * enough independent values). The one Measured type of the ensemble layer (src/stochastic/statistics.ts); a result
 * carrying one is JSON as `{ value, error, reliable }`.
 */
export type { Measured } from "../stochastic/statistics.js";

/** A range of values of one parameter: `count` values from start to stop, evenly or log spaced (a sweep). */
export interface SweepRange {
  start: number;
  stop: number;
  count: number;
  spacing: "linear" | "log";
}

/**
 * A number a study names in its results (the lab's report box shows them above the report; tests pick them by key):
 * its value, unit and, for a stochastic estimate, its error bar.
 */
export interface NamedNumber {
  /** Stable name for scripts and tests, e.g. "entropyProduction". */
  key: string;
  /** What it is, for a reader, e.g. "entropy production rate". */
  label: string;
  value: number;
  /** Unit in the study's units ("1" or absent: a pure number). */
  unit?: string;
  /** One standard error of a stochastic estimate (absent: exact). */
  error?: number;
  /** False where the error bar cannot be trusted (too few independent values). */
  reliable?: boolean;
}

/** What each parameter declares besides its description (zod `.meta()`). */
export interface ParameterMeta {
  /** Unit in the study's units: "T0", "k2 L^2/tau", "1" (dimensionless), "sites", "s"... */
  unit: string;
  /** The allowed values of a number (checked with a message naming the flag and the range). */
  range?: ParameterRange;
  /** Command-line flag without dashes when it is not the kebab-case key (physics symbols: "T1", "TL", "k0"). */
  flag?: string;
  /** The parameter may be given as a range start:stop:count[:log] (a sweep; at most one per run). */
  sweep?: boolean;
  /** The default as shown in --help when it is not the schema's (it depends on other parameters). */
  defaultText?: string;
  /** Placeholder of the value in --help, e.g. "n", "t", "name" (default "value"). */
  valueName?: string;
  /** --help heading of this parameter (default "Parameters"). */
  section?: string;
}

declare module "zod" {
  interface GlobalMeta {
    unit?: string;
    range?: ParameterRange;
    rangeText?: string;
    flag?: string;
    sweep?: boolean;
    defaultText?: string;
    valueName?: string;
    section?: string;
  }
}

/**
 * Alternative parameter sets of one study (e.g. variance-resonance's dimensionless, mechanical and electrical
 * forms): a run uses the fields of one group (plus the fields in no group); the first group is the default.
 */
export interface ParameterGroup {
  name: string;
  /** Heading in --help, e.g. "Mechanical parameters". */
  title: string;
  /** Fields of the group (a field may belong to several groups). */
  keys: string[];
  /** Fields the group needs (no default). */
  required?: string[];
  /** A required field is not needed when this other field is given (e.g. { k1: "infer" }: --infer finds k1). */
  unlessGiven?: Record<string, string>;
  /** Defaults of this group's fields (they override the schema's). */
  defaults?: Record<string, number>;
}

/** Streams a long table to a CSV file without holding it as text: `row(i, out)` fills row i. */
export interface DataTable {
  columns: string[];
  rows: number;
  row(i: number, out: (number | string)[]): void;
}

/** What a computation is given besides its parameters. */
export interface ComputeContext {
  /** Random seed: every random stream of the run derives from it (same seed, same numbers). */
  seed: number;
  /** Fewer points and shorter simulations (tests, `--quick`): the same shapes, coarser. */
  quick: boolean;
  /** Runs simulation blocks on workers (CLI: a worker pool); absent: in this thread. */
  runner?: BlockRunner;
  /** Progress of a long computation (points or steps done out of total). */
  progress?: (done: number, total: number) => void;
  /** Stops the computation (it throws CancelledError). */
  signal?: AbortSignal;
  /** Run above the work limit of a simulation (the CLI's --force). */
  force?: boolean;
  /** Progress lines of a long computation (one line each, for a log). */
  log?: (line: string) => void;
  /** The caller will draw figures or write tables (the CLI's --figure, --csv): compute their data too. */
  figures?: boolean;
  /**
   * With `figures`: a first, quick picture that the caller replaces by a full run (the lab draws it at once and
   * refines when idle). A study that declares `draftFigures` computes its figures' curves on fewer points; every
   * number of the results other than those curves is the same as in a full run.
   */
  draft?: boolean;
}

/**
 * A figure set computed as a map of independent points (a parameter scan, a grid of simulations): `ness reproduce`
 * runs the points as a sweep (src/cli/studies/reproduce.ts: a resumable store under --out, points on the worker
 * threads), a library caller through the case's compute(); both assemble the same results, because each point's
 * result passes through JSON (typed arrays become lists) either way.
 */
export interface PointMap<P = unknown, Q = unknown, V = unknown, R = unknown> {
  /** The points, as plain JSON each (a point's key hashes it with the set's seed and the ness version). */
  points(parameters: P, context: Pick<ComputeContext, "seed" | "quick">): Q[];
  /** Computes one point; its result must be JSON-serialisable (typed arrays are fine: they come back as lists). */
  point(point: Q, context: ComputeContext): Promise<V> | V;
  /** Pure: the set's results from its points' results, in the order of points(). */
  assemble(parameters: P, values: V[], context: Pick<ComputeContext, "seed" | "quick">): R;
}

/** One figure set of `ness reproduce NAME`: parameters, the computation, and pure figures. */
export interface ReproduceCase<P = unknown, R = unknown> {
  /** File stem of the set's results (`ID.results.json`), usually its (first) figure's name. */
  id: string;
  /** One line: what the set shows. */
  title: string;
  /** Random seed of the set (default 1). */
  seed?: number;
  /**
   * The units of the set's results and data columns in one sentence, where they are not its study's (a sub-study's
   * set listed under its parent: fig9 of two-temperature is the polymer's); absent: the study's `units`.
   */
  units?: string;
  /** The set's parameters (plain JSON, written to results.json), full or quick. */
  parameters(quick: boolean): P;
  compute(parameters: P, context: ComputeContext): Promise<R>;
  /** Pure: the figures drawn from the results (`at.quick`: of a --quick run, which a figure may say is not resolved). */
  figures(results: R, at?: { quick: boolean }): Figure[];
  /** The set as a map of independent points (see PointMap); compute() then runs them one after another. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  map?: PointMap<P, any, any, R>;
}

/** A study: parameters declared once, the computation, pure figures and report, and the figure sets it reproduces. */
export interface Study<S extends z.ZodObject = z.ZodObject, R = unknown> {
  /** CLI name; a sub-study is "parent/child" (`ness study parent child`). */
  name: string;
  /** One line, a title. */
  title: string;
  /** A few sentences: what the study computes (the --help description). */
  summary: string;
  /**
   * The units of its parameters and results in one sentence (recorded with every CSV and JSON output beside each
   * parameter's own unit); absent: kB = 1 and the units of the parameters.
   */
  units?: string;
  citations: Citation[];
  parameters: S;
  /** Alternative parameter sets (the first is the default). */
  groups?: ParameterGroup[];
  /**
   * Checks that involve several parameters (after each was checked against its range); ModelError naming them as
   * `name(key)` (a flag on the command line, the key for a library caller).
   */
  check?(parameters: z.output<S>, name: (key: string) => string): void;
  /** Whether the study draws random numbers (then it takes --seed). */
  seeded: boolean;
  /** Everything that takes time; results are JSON-serialisable (typed arrays are written as arrays). */
  compute(parameters: z.output<S>, context: ComputeContext): Promise<R>;
  /** Pure: figures drawn from the results (the CLI's --figure writes the first). */
  figures(results: R): Figure[];
  /**
   * Whether compute honours `context.draft` for these parameters: true where the figures' curves cost much more than
   * the numbers (a draft, then the full run, costs little more than the full run alone); absent: never.
   */
  draftFigures?(parameters: z.output<S>): boolean;
  /** Pure: the terminal report. */
  report(results: R): string;
  /**
   * Pure: the study's main numbers, named, with units and error bars (the lab shows them in its report box, above
   * the report); absent: only the report.
   */
  numbers?(results: R): NamedNumber[];
  /**
   * The sweep an interactive page (the lab) opens with, where a sweep is what the study is about (the CLI computes one
   * point unless a parameter is given as a range): the key of a sweepable parameter and its range.
   */
  pageSweep?: { key: string; range: SweepRange };
  /** Warnings to show with the report (on stderr); default: `results.warnings` when it is a list of strings. */
  warnings?(results: R): string[];
  /** The table `--csv` writes (streamed); default: the first figure's table. */
  table?(results: R): DataTable | undefined;
  /** What --figure and --csv give, for --help (absent: the study has no such output). */
  outputs?: { figure?: string; csv?: string };
  /** Refuses outputs these parameters cannot give, before any work (ModelError). */
  checkOutputs?(parameters: z.output<S>, wanted: { figure?: string; csv?: string }): void;
  /** Command lines for --help and the documentation (without the leading "ness "). */
  examples?: string[];
  reproduce: ReproduceCase[];
}

/**
 * Identity with the types checked: `export const myStudy = defineStudy({ ... })`.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineStudy, runStudy } from "ness";
 *
 * // A study of one overdamped oscillator: equipartition, <x^2> = T / k.
 * const oscillator = defineStudy({
 *   name: "oscillator",
 *   title: "One oscillator in a bath",
 *   summary: "The stationary variance of an overdamped oscillator.",
 *   citations: [],
 *   seeded: false,
 *   parameters: z.object({
 *     k: z.number().positive().default(2).describe("stiffness").meta({ unit: "energy/length^2" }),
 *     T: z.number().positive().default(1).describe("bath temperature").meta({ unit: "energy" }),
 *   }),
 *   compute: async (p) => ({ variance: p.T / p.k }),
 *   figures: () => [],
 *   report: (r) => `<x^2> = ${r.variance}`,
 *   reproduce: [],
 * });
 * console.log((await runStudy(oscillator, { T: 3 })).variance); // => 1.5
 * ```
 */
export function defineStudy<S extends z.ZodObject, R>(study: Study<S, R>): Study<S, R> {
  requireObject(study, "defineStudy: the study");
  requireString(study.name, "defineStudy: the study's name");
  requireString(study.title, `defineStudy: study ${study.name}: the title`);
  if (!(study.parameters instanceof z.ZodObject))
    throw new NessError(`defineStudy: study ${study.name}: the parameters must be a zod object schema`);
  if (!Array.isArray(study.citations))
    throw new NessError(`defineStudy: study ${study.name}: citations must be an array`);
  for (const key of ["compute", "figures", "report"] as const)
    requireFunction(study[key], `defineStudy: study ${study.name}: ${key}`);
  // The figures name their sources in full (citeFigure); the reproduce cases' figures are cited where they are
  // drawn (`citedFigures`), since a study's reproduce list is filled in after its definition.
  const figures = study.figures;
  return { ...study, figures: (results: R) => citedFigures(study, figures(results)) };
}

/** A study's figures with every `[key]` of its citations resolved into a reference list (citeFigure). */
export function citedFigures(study: Pick<Study, "citations">, figures: Figure[]): Figure[] {
  return figures.map((f) => citeFigure(f, study.citations));
}

/** A reproduce case that runs the study itself at fixed parameters (validated by the study's schema). */
export function studyCase<S extends z.ZodObject, R>(
  study: Study<S, R>,
  c: {
    id: string;
    title: string;
    seed?: number;
    parameters: (quick: boolean) => z.input<S>;
    /** The set's figures when they differ from the study's (e.g. a quick run's says what it does not resolve). */
    figures?: (results: R, at?: { quick: boolean }) => Figure[];
  },
): ReproduceCase<z.input<S>, R> {
  return {
    id: c.id,
    title: c.title,
    seed: c.seed,
    parameters: c.parameters,
    compute: (p, ctx) => study.compute(study.parameters.parse(p) as z.output<S>, ctx),
    figures: c.figures ?? ((r) => study.figures(r)),
  };
}

/** A reproduce case that is its own computation (a figure set beyond the study's parameters). */
export function figureSet<P, R>(c: ReproduceCase<P, R>): ReproduceCase<P, R> {
  return c;
}

/** A named stochastic estimate (value, error bar and whether to trust it) for a study's numbers(). */
export function estimateNumber(
  key: string,
  label: string,
  m: { value: number; error: number; reliable?: boolean },
  unit?: string,
): NamedNumber {
  return {
    key,
    label,
    value: m.value,
    error: m.error,
    ...(unit !== undefined ? { unit } : {}),
    ...(m.reliable !== undefined ? { reliable: m.reliable } : {}),
  };
}

/** Default warnings of a result: its `warnings` member when it is a list of strings. */
export function resultWarnings<R>(study: Study<z.ZodObject, R>, results: R): string[] {
  if (study.warnings) return study.warnings(results);
  const w = (results as { warnings?: unknown } | null)?.warnings;
  return Array.isArray(w) && w.every((x) => typeof x === "string") ? (w as string[]) : [];
}
