/**
 * `ness study NAME [options]`, generated from the study's contract (src/studies/contract.ts): one option per
 * parameter (kebab-case flags, physics symbols as written; the camelCase key, and the key of a parameter whose flag
 * is another word such as --time for `duration`, are accepted as hidden aliases), with
 * its description, unit, default and range in --help; values checked with one line naming the flag and its range;
 * a sweep of one sweepable parameter (start:stop:count[:log]); alternative parameter groups; --seed for studies
 * that draw random numbers, --force for those with a work limit; --json prints
 * `{ ness, command, study, parameters, seed, units, results }` (checked whole, then streamed), --csv and --figure where the study
 * offers them. Nested studies ("two-temperature/run-and-chase") become subcommands.
 */
import { Command, Option } from "commander";
import * as path from "node:path";
import { ModelError } from "../../errors.js";
import { tableToCsv } from "../../io/files.js";
import { loadPlot } from "../../figures/plot.js";
import type { Study } from "../../studies/contract.js";
import { resultWarnings } from "../../studies/contract.js";
import { describeRange } from "../../studies/ranges.js";
import {
  fieldsOf,
  kebab,
  MAX_SWEEP_POINTS,
  parseFieldValue,
  parseNumber,
  validateParameters,
  type FieldInfo,
} from "../../studies/schema.js";
import { formatCitation } from "../../studies/citations.js";
import { VERSION } from "../../version.js";
import { workersOption } from "../../model/options.js";
import { progressBar } from "../progress.js";
import { costAnnouncer } from "../announce.js";
import { csvProvenance, studyProvenance } from "../provenance.js";
import { checkDocument, checkedText, csvRows, jsonChunks, printWarnings, writeChunks, writeStdout } from "./output.js";

/** The range of --seed. */
export const SEED_RANGE = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true } as const;

/** "1e-6" rather than "0.000001" in --help. */
function show(x: unknown): string {
  if (typeof x !== "number") return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential().replace("e+", "e") : String(x);
}

function placeholder(f: FieldInfo): string {
  if (f.kind === "boolean") return "";
  if (f.kind === "choice") return ` <${f.valueName}>`;
  return f.sweep ? ` <${f.valueName}|range>` : ` <${f.valueName}>`;
}

/** The --help line of a parameter: description [unit] (default or required; range or choices). */
function helpText(f: FieldInfo, study: Study): string {
  const groups = study.groups?.filter((g) => g.keys.includes(f.key)) ?? [];
  const notes: string[] = [];
  if (f.defaultText) notes.push(`default ${f.defaultText}`);
  else if (groups.length > 0) {
    const parts = groups
      .map((g) =>
        g.required?.includes(f.key)
          ? `required (${g.name})`
          : g.defaults?.[f.key] !== undefined
            ? `default ${show(g.defaults[f.key])} (${g.name})`
            : "",
      )
      .filter(Boolean);
    if (parts.length > 0) notes.push(parts.join(", "));
  } else if (f.required) notes.push("required");
  else if (f.default !== undefined && f.kind !== "boolean") notes.push(`default ${show(f.default)}`);
  if (f.rangeText ?? f.range) notes.push(f.rangeText ?? describeRange(f.range!));
  if (f.choices) notes.push(`one of: ${f.choices.join(", ")}`);
  const unit = f.unit && f.unit !== "1" ? ` [${f.unit}]` : "";
  return `${f.description}${unit}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}

/** The help heading of a parameter: its section, its group's title, or "Parameters". */
function heading(f: FieldInfo, study: Study): string {
  if (f.section) return `${f.section}:`;
  const groups = study.groups?.filter((g) => g.keys.includes(f.key)) ?? [];
  if (groups.length === 1) return `${groups[0].title}:`;
  if (groups.length > 1) return "Parameters of every form:";
  return "Parameters:";
}

interface RunOptions extends Record<string, unknown> {
  seed?: string;
  workers?: string;
  json?: boolean;
  csv?: string;
  figure?: string;
  force?: boolean;
  progress?: boolean;
  /** Also write the figure's data as CSV to this file (--snapshot). */
  csvBeside?: string;
}

/** Commander's attribute name of a flag: burn-in -> burnIn, T1 -> T1. */
function attributeOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The parameters given on the command line, parsed (numbers, ranges, names), keyed by the schema's keys. */
function givenParameters(fields: FieldInfo[], opts: RunOptions): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const f of fields) {
    const value = opts[attributeOf(f.flag)] ?? opts[f.key];
    if (value === undefined) continue;
    if (attributeOf(f.flag) !== f.key && opts[attributeOf(f.flag)] !== undefined && opts[f.key] !== undefined) {
      throw new ModelError(`--${f.flag} and --${f.key} (its earlier spelling) were both given: give one`);
    }
    raw[f.key] = parseFieldValue(f, value as string | boolean, `--${f.flag}`);
  }
  return raw;
}

function seedOf(text: string | undefined): number {
  if (text === undefined) return 1;
  const x = parseNumber(text, "--seed");
  if (!Number.isSafeInteger(x) || x < 0)
    throw new ModelError(`--seed must be ${describeRange(SEED_RANGE)}, got '${text}'`);
  return x;
}

function checkExtension(file: string | undefined, flag: string, allowed: string[]): void {
  if (file === undefined) return;
  const ext = path.extname(file).toLowerCase();
  if (!allowed.includes(ext))
    throw new ModelError(`${flag} ${file}: unknown extension '${ext}' (use ${allowed.join(", ")})`);
}

/** Runs a study for the options of its command and prints or writes what was asked. */
async function run(study: Study, fields: FieldInfo[], opts: RunOptions): Promise<void> {
  const flagOf = new Map(fields.map((f) => [f.key, `--${f.flag}`]));
  const { parameters } = validateParameters(study, givenParameters(fields, opts), (key) => flagOf.get(key) ?? key);
  const seed = study.seeded ? seedOf(opts.seed) : undefined;
  const figure = opts.figure;
  const csv = opts.csv;
  checkExtension(csv, "--csv", [".csv"]);
  checkExtension(figure, "--figure", [".svg", ".png", ".csv"]);
  study.checkOutputs?.(parameters, { figure, csv });

  // Replicas and sweep points on worker threads (the numbers do not depend on how many).
  // The pool (piscina) loads only for a study that draws random numbers.
  const pool = study.seeded ? await import("../../workers/pool.js") : undefined;
  const workers = pool ? (workersOption(opts.workers) ?? pool.defaultWorkers()) : 1;
  const runner = pool && workers > 1 ? pool.workerRunner(workers) : undefined;

  const bar = progressBar(opts.progress !== false, study.name);
  // A run estimated above about a minute says so (once, after about a second of timed work).
  const announce = costAnnouncer(study.name, (line) => console.error(line));
  const progress = (done: number, total: number) => {
    bar.onProgress(done, total);
    announce(done, total);
  };
  let results: unknown;
  try {
    results = await study.compute(parameters, {
      seed: seed ?? 1,
      quick: false,
      runner,
      progress,
      force: opts.force === true,
      figures: figure !== undefined || csv !== undefined,
    });
  } finally {
    bar.stop();
    await runner?.close();
  }

  // Everything that goes out is checked before the first file or byte is written.
  let report: string | undefined;
  let doc: unknown;
  const provenance = studyProvenance(study, { parameters, seed });
  if (opts.json) {
    doc = {
      ness: VERSION,
      command: provenance.command,
      study: study.name,
      parameters,
      ...(seed !== undefined ? { seed } : {}),
      units: provenance.units,
      results,
    };
    checkDocument(doc);
  } else {
    report = checkedText(study.report(results));
  }
  // Figures are drawn only for --figure, or for --csv of a study without its own table: drawing 10^5 points costs
  // more than computing them. The figure stack (Observable Plot, linkedom, resvg) loads only then.
  const drawing = figure !== undefined || (csv !== undefined && !study.table);
  const render = drawing ? await import("../../io/render.js") : undefined;
  const figures = drawing ? study.figures(results) : [];
  if (figure !== undefined) {
    if (figures.length === 0) throw new ModelError(`--figure: no figure for these parameters`);
    const lines = csvProvenance(provenance);
    const { writeFigureFile } = render!;
    await writeFigureFile(figures[0], figure, { provenance: lines });
    if (opts.csvBeside !== undefined) await writeFigureFile(figures[0], opts.csvBeside, { provenance: lines });
  }
  if (csv !== undefined) {
    const t = study.table?.(results);
    const comments = csvProvenance(provenance);
    const drawn =
      t || figures.length > 0 || figure !== undefined ? figures : (await loadPlot(), study.figures(results));
    if (t) await writeChunks(csv, csvRows(t.columns, t.rows, t.row, undefined, comments));
    else if (drawn.length > 0) await writeChunks(csv, [tableToCsv(drawn[0].table, comments)]);
    else throw new ModelError(`--csv: no table for these parameters`);
  }
  if (opts.json) {
    await writeStdout(jsonChunks(doc));
    return;
  }
  const written = [
    ...(csv !== undefined ? [`data written to ${csv}`] : []),
    ...(figure !== undefined ? [`figure written to ${figure}`] : []),
  ];
  console.log([report!, ...written].join("\n"));
  printWarnings(resultWarnings(study, results));
}

/** The text after the options in --help: groups, sweeps, the papers, examples. */
function helpAfter(study: Study, fields: FieldInfo[]): string {
  const out: string[] = [];
  const sweeps = fields.filter((f) => f.sweep);
  if (sweeps.length > 0) {
    out.push(
      `${sweeps.map((f) => `--${f.flag}`).join(", ")} also take a range start:stop:count[:log] (one of them per run, at most ${MAX_SWEEP_POINTS} points), e.g. --${sweeps[0].flag} ${sweeps[0].key === "k" ? "0:2:2001" : "1:10:10:log"}.`,
    );
  }
  if (study.groups && study.groups.length > 1) {
    out.push(
      `Parameters in one of ${study.groups.length} forms (the first is the default; the others are chosen by their own flags):`,
    );
    for (const g of study.groups)
      out.push(`  ${g.name}: ${g.keys.map((k) => `--${fields.find((f) => f.key === k)?.flag ?? kebab(k)}`).join(" ")}`);
  }
  if (study.citations.length > 0) out.push(`Reproduces: ${study.citations.map(formatCitation).join("; ")}.`);
  if (study.examples && study.examples.length > 0) out.push("Examples:", ...study.examples.map((e) => `  ness ${e}`));
  return out.join("\n");
}

/** The `ness study` subcommand of a study (and of its sub-studies). */
export function studyCommand(study: Study, children: Study[] = []): Command {
  const fields = fieldsOf(study.parameters);
  const name = study.name.split("/").pop()!;
  const cmd = new Command(name).description(study.summary);
  for (const f of fields) {
    const option = new Option(`--${f.flag}${placeholder(f)}`, helpText(f, study)).helpGroup(heading(f, study));
    cmd.addOption(option);
    // Spellings of earlier versions are accepted too, without showing them in --help: the camelCase key (--burnIn
    // for --burn-in) and the key of a parameter whose flag is another word (--duration for --time).
    if (f.flag !== f.key && (kebab(f.key) === f.flag || attributeOf(f.flag) !== f.key))
      cmd.addOption(new Option(`--${f.key}${placeholder(f)}`).hideHelp());
  }
  const out = "Output:";
  if (study.seeded) {
    cmd.addOption(new Option("--seed <n>", `random seed (default 1; ${describeRange(SEED_RANGE)})`).helpGroup(out));
    cmd.addOption(
      new Option(
        "--workers <W>",
        "worker threads for the replicas and sweep points (default: the available cores; the numbers do not depend on it)",
      ).helpGroup(out),
    );
  }
  if (study.outputs?.figure) {
    cmd.addOption(
      new Option("--figure <file>", `${study.outputs.figure} (.svg, .png; .csv writes its data)`).helpGroup(out),
    );
    for (const alias of ["psd", "snapshot"]) cmd.addOption(new Option(`--${alias} <file>`).hideHelp());
  }
  if (study.outputs?.csv) cmd.addOption(new Option("--csv <file>", study.outputs.csv).helpGroup(out));
  cmd.addOption(
    new Option(
      "--json",
      "print JSON: { ness, command, study, parameters, seed, units, results } (every number in full precision)",
    ).helpGroup(out),
  );
  if (study.seeded)
    cmd.addOption(
      new Option("--force", "run a simulation above the work limit (refused otherwise, with an estimate)").helpGroup(
        out,
      ),
    );
  cmd.addOption(new Option("--no-progress", "no progress bar").helpGroup(out));
  cmd.addHelpText("after", helpAfter(study, fields));
  cmd.action(async (opts: RunOptions) => {
    // Spellings of earlier versions: --psd (variance-resonance's spectra) and --snapshot (demixing: an image and
    // its data beside it, snap.svg + snap.csv).
    const snapshot = opts.snapshot as string | undefined;
    if (snapshot !== undefined && !/\.(svg|png)$/i.test(snapshot))
      throw new ModelError(`--snapshot must name a .svg or .png file, got '${snapshot}'`);
    const spellings = ["figure", "psd", "snapshot"].filter((key) => opts[key] !== undefined);
    if (spellings.length > 1) {
      throw new ModelError(`${spellings.map((key) => `--${key}`).join(" and ")} name one output: give one of them`);
    }
    const figure = opts.figure ?? (opts.psd as string | undefined) ?? snapshot;
    const csvBeside =
      opts.figure === undefined && opts.psd === undefined && snapshot !== undefined
        ? snapshot.replace(/\.(svg|png)$/i, ".csv")
        : undefined;
    await run(study, fields, { ...opts, figure, csvBeside });
  });
  if (children.length > 0) {
    // Options after a subcommand belong to it (parent and children share names such as --time and --seed).
    cmd.enablePositionalOptions();
    for (const c of children) cmd.addCommand(studyCommand(c).exitOverride());
  }
  return cmd;
}
