/**
 * `ness study harmonic-conduction` (the current through disordered mass chains against their length, with fixed
 * and free ends, and the fitted exponents against the known ones) and `ness reproduce harmonic-conduction` (scaling,
 * temperature profiles of chains and a 2D strip, transmission spectra), all by the frequency-domain engine.
 */
import { Command } from "commander";
import { ModelError } from "../../errors.js";
import { writeFigure, writeFigureFile } from "../../io/render.js";
import {
  PARAMS,
  figurePlan,
  scalingFigure,
  scalingStudy,
  scalingTable,
  validateParams,
  type Boundary,
  type ConductionParams,
  type ScalingResult,
} from "../../studies/harmonic-conduction/index.js";
import { num, table } from "../format.js";
import { numberOptions } from "../options.js";
import type { ReproduceOptions, StudyCli } from "./registry.js";

type Options = Partial<Record<string, string | boolean>>;

/** The parameter set given by the options (defaults for the rest); ModelError on bad input. */
export function paramsFromOptions(opts: Options): ConductionParams {
  return validateParams(numberOptions(opts, PARAMS.map((p) => p.name)));
}

function boundaries(value: string | boolean | undefined): Boundary[] {
  const v = value === undefined ? "both" : String(value);
  if (v === "both") return ["fixed", "free"];
  if (v === "fixed" || v === "free") return [v];
  throw new ModelError(`--boundary must be fixed, free or both, got '${v}'`);
}

/** The JSON document printed by `ness study harmonic-conduction --json`. */
export function studyJson(p: ConductionParams, results: ScalingResult[]) {
  return {
    parameters: p,
    results: results.map((r) => ({
      boundary: r.boundary,
      points: r.points,
      fit: r.fit,
      expectedAlpha: r.expected,
    })),
  };
}

function studyText(p: ConductionParams, results: ScalingResult[]): string {
  const out: string[] = [];
  out.push(`Heat current through disordered mass chains (masses 1 ± ${num(p.disorder)}, baths T_L = ${num(p.TL)}, T_R = ${num(p.TR)}, friction ${num(p.gamma)})`);
  out.push(`${p.samples} realisation${p.samples > 1 ? "s" : ""} per length (seed ${p.seed}); frequency-domain engine, tolerance ${p.tolerance}`, "");
  for (const r of results) {
    out.push(`${r.boundary} ends`);
    out.push(table(["N", "J", "error", "quadrature error", "time (s)"], r.points.map((q) => [q.N, q.J, q.error, q.quadratureError, Number(q.seconds.toFixed(2))])));
    out.push(
      `fit over N = ${r.fit.from}..${r.fit.to}: J ~ N^-alpha, alpha = ${r.fit.alpha.toFixed(3)} ± ${r.fit.alphaError.toFixed(3)} ` +
        `(white-noise baths, N -> infinity: ${r.expected}; conductivity kappa ~ N^${(1 - r.expected).toFixed(1)})`,
      "",
    );
  }
  out.push("References: Casher and Lebowitz (1971) and Ajanki and Huveneers (2011), fixed ends; Dhar, Phys. Rev. Lett. 86, 5882 (2001), free ends.");
  return out.join("\n");
}

function command(): Command {
  const c = new Command("harmonic-conduction").description(
    "heat current through disordered harmonic chains against their length N (fixed and free ends), with fitted exponents " +
      "J ~ N^-alpha against the known 3/2 (fixed) and 1/2 (free), by the frequency-domain engine",
  );
  for (const p of PARAMS) {
    c.option(`--${p.name} <value>`, `${p.description}${p.unit ? ` [${p.unit}]` : ""} (default ${p.default}, range ${p.min}..${p.max})`);
  }
  c.option("--boundary <which>", "fixed, free or both (default both)")
    .option("--csv <file>", "write the table (N, J, errors, fits) as CSV")
    .option("--figure <file>", "draw J against N with the fits (.svg or .png)")
    .option("--json", "print JSON")
    .action(async (opts: Options) => {
      const p = paramsFromOptions(opts);
      const which = boundaries(opts.boundary);
      for (const f of [opts.csv, opts.figure]) {
        if (typeof f === "string" && !/\.(csv|svg|png)$/i.test(f)) throw new ModelError(`${f}: give a .csv, .svg or .png file`);
      }
      const results = which.map((b) => scalingStudy(p, b));
      const figure = scalingFigure({
        name: "disordered-chain-scaling",
        title: `Heat current through disordered mass chains (masses 1 ± ${num(p.disorder)})`,
        caption: "J against N with least-squares fits J ~ N^-alpha over the longer chains (error bars: standard error over realisations).",
        series: results.map((r) => ({ name: `${r.boundary} ends`, N: r.points.map((q) => q.N), J: r.points.map((q) => q.J), err: r.points.map((q) => q.error), fit: r.fit })),
        table: scalingTable(results),
      });
      if (typeof opts.csv === "string") await writeFigureFile(figure, opts.csv.replace(/\.(svg|png)$/i, ".csv"));
      if (typeof opts.figure === "string") await writeFigureFile(figure, opts.figure);
      console.log(opts.json ? JSON.stringify(studyJson(p, results), null, 2) : studyText(p, results));
    });
  return c;
}

async function reproduce({ outDir, quick, log }: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  for (const planned of figurePlan({ quick, log })) {
    const t0 = performance.now();
    log(`harmonic-conduction: ${planned.name}`);
    const paths = await writeFigure(planned.build(), outDir);
    for (const path of paths) log(`wrote ${path}`);
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    written.push(...paths);
  }
  return written;
}

export const harmonicConductionStudy: StudyCli = {
  name: "harmonic-conduction",
  summary: "heat current and temperature profiles of large harmonic networks by the frequency-domain method",
  command,
  reproduce,
};
