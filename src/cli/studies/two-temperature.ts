/**
 * `ness study two-temperature` (seed 004's harmonic pair for any k, lambda, T1, T2: exact covariance, heat flows and
 * entropy production, optionally checked by a simulation) and `ness reproduce two-temperature` (the study's figures).
 */
import { Command } from "commander";
import { writeFigure } from "../../io/render.js";
import {
  DEFAULT_PAIR,
  PAIR_PARAM_DESCRIPTIONS,
  PAIR_PARAM_NAMES,
  figurePlan,
  pairClosedForm,
  pairExact,
  simulatePair,
  validatePairParams,
  type HarmonicPairParams,
  type PairExact,
  type PairSimulation,
} from "../../studies/two-temperature/index.js";
import { num, table } from "../format.js";
import { numberOption, positiveOption, integerOption } from "../options.js";
import type { ReproduceOptions, StudyCli } from "./registry.js";

type Options = Partial<Record<string, string | boolean>>;

/** The parameters given by the options (defaults for the rest); ModelError on bad input. */
export function pairParamsFromOptions(opts: Options): HarmonicPairParams {
  const raw: Partial<HarmonicPairParams> = {};
  for (const name of PAIR_PARAM_NAMES) {
    const x = numberOption(opts[name], `--${name}`);
    if (x !== undefined) raw[name] = x;
  }
  return validatePairParams(raw);
}

const round = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(14)) : x);

/** The JSON document printed by `ness study two-temperature --json`. */
export function studyJson(e: PairExact, sim?: PairSimulation) {
  const closed = pairClosedForm(e.parameters);
  return {
    parameters: e.parameters,
    perDimension: true,
    covariance: e.covariance.map((r) => r.map(round)),
    covarianceClosedForm: closed.covariance.map((r) => r.map(round)),
    heatFromBath: e.heatFromBath.map(round),
    heatIntoBath: e.heatIntoBath.map(round),
    heatFlowClosedForm: round(closed.heatFlow),
    entropyProduction: round(e.entropyProduction),
    entropyProductionLinearFormula: round(e.entropyProductionLinear),
    entropyProductionClosedForm: round(e.entropyProductionClosedForm),
    areaRate: round(e.areaRate),
    residual: e.residual,
    ...(sim
      ? {
          simulation: {
            dt: sim.result.dt,
            time: sim.result.time,
            replicas: sim.result.replicas,
            seed: sim.result.seed,
            heatFromBath: sim.heatFromBath,
            entropyProduction: sim.entropyProduction,
            covariance: sim.covariance,
            warnings: sim.result.warnings,
          },
        }
      : {}),
  };
}

function studyText(e: PairExact, sim?: PairSimulation): string {
  const p = e.parameters;
  const out: string[] = [];
  out.push("Two overdamped particles at two temperatures, harmonic spring and trap (seed 004, Section 4.1)");
  out.push(`k = ${num(p.k)}, lambda = ${num(p.lambda)}, T1 = ${num(p.T1)}, T2 = ${num(p.T2)}; per spatial dimension`);
  out.push("(eqs. 28-29 as corrected in physics-notes.md: each particle feels its own trap)", "");
  const closed = pairClosedForm(p);
  const rows: (string | number)[][] = [
    ["<x1 x1>", e.covariance[0][0], closed.covariance[0][0]],
    ["<x1 x2>", e.covariance[0][1], closed.covariance[0][1]],
    ["<x2 x2>", e.covariance[1][1], closed.covariance[1][1]],
    ["heat into bath 1", e.heatIntoBath[0], -closed.heatFlow],
    ["heat into bath 2", e.heatIntoBath[1], closed.heatFlow],
    ["entropy production", e.entropyProduction, e.entropyProductionClosedForm],
    ["  (general linear formula)", e.entropyProductionLinear, e.entropyProductionClosedForm],
    ["area rate <x1 o x2' - x2 o x1'>/2", e.areaRate, (p.k * (p.T1 - p.T2)) / (2 * (p.k + p.lambda))],
  ];
  if (sim) {
    const s = (m: { value: number; error: number }) => `${num(m.value)} ± ${num(m.error, 2)}`;
    const simCol = [
      s(sim.covariance[0][0]), s(sim.covariance[0][1]), s(sim.covariance[1][1]),
      s({ value: -sim.heatFromBath[0].value, error: sim.heatFromBath[0].error }),
      s({ value: -sim.heatFromBath[1].value, error: sim.heatFromBath[1].error }),
      s(sim.entropyProduction), "", "",
    ];
    rows.forEach((r, i) => r.push(simCol[i]));
  }
  out.push(table(["quantity", "exact engine", "closed form", ...(sim ? ["simulated"] : [])], rows));
  out.push(`Lyapunov residual ${num(e.residual)}`);
  if (sim) {
    out.push(`simulation: Heun, dt = ${num(sim.result.dt)}, ${sim.result.replicas} replicas x ${num(sim.result.time)}, seed ${sim.result.seed}`);
    for (const w of sim.result.warnings) out.push(`warning: ${w}`);
  }
  return out.join("\n");
}

function command(): Command {
  const c = new Command("two-temperature").description(
    "two overdamped particles at temperatures T1, T2 with a harmonic spring k in a harmonic trap lambda (seed 004): " +
      "exact covariance, heat into each bath, entropy production k^2 (T1-T2)^2/(2 T1 T2 (k+lambda)); --simulate checks them",
  );
  for (const name of PAIR_PARAM_NAMES) c.option(`--${name} <value>`, `${PAIR_PARAM_DESCRIPTIONS[name]} (default ${DEFAULT_PAIR[name]})`);
  c.option("--simulate", "also simulate the pair with the stochastic engine (estimates with error bars)")
    .option("--time <t>", "production time per replica for --simulate (default 200)")
    .option("--replicas <n>", "replicas for --simulate (default 8)")
    .option("--seed <n>", "random seed (default 1)")
    .option("--json", "print JSON")
    .action((opts: Options) => {
      const p = pairParamsFromOptions(opts);
      const e = pairExact(p);
      const sim = opts.simulate
        ? simulatePair(p, {
            time: positiveOption(opts.time, "--time") ?? 200,
            replicas: integerOption(opts.replicas, "--replicas", 1) ?? 8,
            seed: integerOption(opts.seed, "--seed", 0) ?? 1,
            bins: 8,
          })
        : undefined;
      console.log(opts.json ? JSON.stringify(studyJson(e, sim), null, 2) : studyText(e, sim));
    });
  return c;
}

async function reproduce({ outDir, quick, log }: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  for (const planned of figurePlan({ quick, log })) {
    const t0 = performance.now();
    log(`two-temperature: ${planned.name}`);
    const paths = await writeFigure(planned.build(), outDir);
    for (const p of paths) log(`wrote ${p}`);
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    written.push(...paths);
  }
  return written;
}

export const twoTemperatureStudy: StudyCli = {
  name: "two-temperature",
  summary: "overdamped particles at two temperatures: harmonic pair exact and simulated, density and current, ratchet (seed 004)",
  command,
  reproduce,
};
