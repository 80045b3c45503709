/**
 * `ness solve --method transmission`: the tables, JSON document, figure data and spectrum file of the frequency-domain
 * (Green's function) solve, kept apart from solve.ts so that the dense path stays as it was.
 */
import { ModelError, SteadyStateError } from "../../errors.js";
import {
  bathFluxesOnlyRefusal,
  checkTransmissionSolvable,
  solveNetworkTransmission,
  TEMPERATURES_MAX_SITES,
  type SolveMethod,
  type TransmissionSteadyState,
} from "../../exact/transmission.js";
import type { Figure } from "../../figures/figure.js";
import type { NetworkFigureData } from "../../figures/network.js";
import { modelCsvComments, modelProvenance } from "../commandLine.js";
import type { NetworkModel } from "../../model/network.js";
import { num, table } from "../format.js";
import { integerOption, positiveOption } from "../../model/options.js";
import { cpuMilliseconds, gateSolve, solveProgress } from "./solveGate.js";
import { chooseSolveMethod, type SolveCost } from "../../exact/solveCost.js";

/** The JSON document printed by `ness solve --json` for the transmission method. */
export function transmissionJson(model: NetworkModel, ss: TransmissionSteadyState, reason: string) {
  const { springs, ...common } = frequencyJson(model, ss, reason);
  const bathsOnly = bathFluxesOnly(model, ss);
  return {
    ...common,
    // --bath-fluxes-only: no `springs` list (an empty one would read as "no springs"), a flag and the check's name.
    ...(bathsOnly ? { springFluxesComputed: false } : { springs }),
    quadratureError: ss.quadratureError,
    solveResidual: ss.solveResidual,
    ...(bathsOnly ? { solveResidualCheck: STRIP_RESIDUAL } : {}),
    evaluations: ss.evaluations,
    modes: ss.modes,
    ...(ss.screen ? { screen: ss.screen } : {}),
    ...(ss.notes.length > 0 ? { notes: ss.notes } : {}),
    warnings: ss.warnings,
  };
}

/** What the solve residual of the bath-fluxes-only path of strips measures (TransmissionSteadyState.solveResidual). */
const STRIP_RESIDUAL =
  "the recursion's end block of G against Q(z) G = I at sampled frequencies near the narrowest poles";

/** Whether a transmission steady state is the bath-fluxes-only path's (no spring fluxes although the model has springs). */
function bathFluxesOnly(model: NetworkModel, ss: TransmissionSteadyState): boolean {
  return ss.springs.length === 0 && model.springs.length > 0;
}

/** A steady state of a frequency-domain method (transmission, modal): what their reports share. */
export type FrequencySteadyState = Pick<
  TransmissionSteadyState,
  "sites" | "baths" | "springs" | "kineticTemperature" | "kineticTemperatureError" | "entropyProduction" | "dynamics"
> & {
  method: string;
  configurationalTemperature?: Float64Array;
  conductance?: number[][];
  energyBalanceResidual: ArrayLike<number>;
};

/** The sites, springs and baths tables and the balance lines of a frequency-domain report. */
export function frequencyTables(ss: FrequencySteadyState): string[] {
  const out: string[] = [];
  const bath = new Map(ss.baths.map((b) => [b.index, b]));
  const many = ss.sites.length > 200;
  if (ss.kineticTemperature) {
    const rows = ss.sites.map((s, i) => {
      const b = bath.get(i);
      return [s, b ? num(b.temperature) : "-", ss.kineticTemperature![i], ss.kineticTemperatureError![i]] as (
        string | number
      )[];
    });
    out.push(
      `Sites${many ? " (first and last 50; all of them with --json)" : ""}`,
      table(["site", "bath T", "kinetic T", "error"], clip(rows, many)),
      "",
    );
  } else if (ss.configurationalTemperature) {
    out.push(
      "Sites: the configurational temperature <q dU/dq> of every overdamped site equals its bath temperature",
      "",
    );
  }
  if (ss.springs.length > 0) {
    const rows = ss.springs.map((s) => {
      const [a, b] = s.between;
      const row: (string | number)[] = [
        `${a}-${b}`,
        s.stiffness,
        s.flux >= 0 ? `${a} -> ${b}` : `${b} -> ${a}`,
        Math.abs(s.flux),
        s.error,
      ];
      if (s.fluxBySource) row.push(s.fluxBySource.map((x) => num(x)).join(", "), s.fluxBySourceError ?? "-");
      return row;
    });
    const header = ["spring", "stiffness", "heat flows", "|flux|", "error"];
    if (ss.springs[0].fluxBySource)
      header.push(`by source (${ss.baths.map((b) => b.site).join(", ")})`, "by-source error");
    out.push(`Springs${many ? " (first and last 50)" : ""}`, table(header, clip(rows, many)), "");
  }
  const bathRows = ss.baths.map((b) => [
    b.site,
    b.temperature,
    b.friction,
    b.flux,
    b.error,
    b.flux >= 0 ? "into network" : "out of network",
  ]);
  out.push(
    "Baths (flux from the bath into the network)",
    table(["bath", "T", "friction", "flux", "error", "direction"], bathRows),
    "",
  );
  out.push(`entropy production rate  ${num(ss.entropyProduction)}`);
  out.push(
    `energy balance residual  ${num(Math.max(0, ...Array.from(ss.energyBalanceResidual)))} (relative, worst site)`,
  );
  return out;
}

/**
 * The fields a frequency-domain JSON document shares (each method appends its own accuracy fields): the method, the
 * sites' temperatures, springs, baths (fluxes by source where computed), conductances, entropy production and the
 * energy balance.
 */
export function frequencyJson(model: NetworkModel, ss: FrequencySteadyState, reason: string) {
  const bySite = (v: Float64Array | undefined) =>
    v ? Object.fromEntries(ss.sites.map((s, i) => [s, v[i]])) : undefined;
  const bySource = (parts: number[]) =>
    Object.fromEntries(model.baths.map((b, k) => [`bath ${model.sites[b.site]}`, parts[k]]));
  return {
    name: model.name,
    dynamics: ss.dynamics,
    method: ss.method,
    methodReason: reason,
    sites: ss.sites,
    kineticTemperature: bySite(ss.kineticTemperature),
    kineticTemperatureError: bySite(ss.kineticTemperatureError),
    configurationalTemperature: bySite(ss.configurationalTemperature),
    springs: ss.springs.map((s) => ({
      between: s.between,
      stiffness: s.stiffness,
      flux: s.flux,
      error: s.error,
      ...(s.fluxBySource ? { fluxBySource: bySource(s.fluxBySource) } : {}),
      ...(s.fluxBySourceError !== undefined ? { fluxBySourceError: s.fluxBySourceError } : {}),
    })),
    baths: ss.baths.map((b) => ({
      site: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: b.flux,
      error: b.error,
      ...(b.fluxBySource ? { fluxBySource: bySource(b.fluxBySource) } : {}),
      ...(b.fluxBySourceError !== undefined ? { fluxBySourceError: b.fluxBySourceError } : {}),
    })),
    ...(ss.conductance
      ? { conductance: Object.fromEntries(ss.baths.map((b, k) => [`bath ${b.site}`, bySource(ss.conductance![k])])) }
      : {}),
    entropyProduction: ss.entropyProduction,
    energyBalanceResidual: Math.max(0, ...Array.from(ss.energyBalanceResidual)),
  };
}

/** Human-readable report of the transmission method. */
export function transmissionText(model: NetworkModel, ss: TransmissionSteadyState, reason: string): string {
  const out: string[] = [];
  const title = model.name ? `${model.name} (${ss.dynamics})` : `${ss.dynamics} network, ${ss.sites.length} sites`;
  out.push(title, `method: transmission (frequency integrals of the Green's function; ${reason})`, "");
  const bathsOnly = bathFluxesOnly(model, ss);
  if (bathsOnly) {
    out.push(
      `Springs: spring fluxes not computed (--bath-fluxes-only: the bath fluxes from the end block of G; drop the option for the ${model.springs.length} spring fluxes)`,
      "",
    );
  }
  const tables = frequencyTables(ss);
  if (bathsOnly) {
    // No spring fluxes, so no balance per site: what is checked is the sum of the bath fluxes.
    const k = tables.findIndex((l) => l.startsWith("energy balance residual"));
    tables[k] = tables[k].replace("(relative, worst site)", "(relative: sum of the bath fluxes)");
  }
  out.push(...tables);
  out.push(
    `quadrature error         ${num(ss.quadratureError)} (relative: fluxes to the largest bath flux, temperatures to the largest bath temperature)`,
  );
  out.push(
    ss.evaluations === 0 && !bathsOnly
      ? `solve residual           0 (no sparse solves: the answer needed no frequency evaluations)`
      : `solve residual           ${num(ss.solveResidual)} (${bathsOnly ? STRIP_RESIDUAL : "backward error of the sparse solves"})`,
  );
  out.push(
    `frequency evaluations    ${ss.evaluations}${ss.modes.located ? ` (${ss.modes.count} normal modes located${ss.modes.poles !== undefined ? `, ${ss.modes.poles} resonances integrated from their complex poles` : ""})` : ""}`,
  );
  for (const note of ss.notes) out.push(`note: ${note}`);
  for (const w of ss.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}

function clip<T>(rows: T[], many: boolean): T[] {
  return many && rows.length > 100 ? [...rows.slice(0, 50), ...rows.slice(-50)] : rows;
}

/**
 * Draws the network and writes the figure file. The figure stack (Observable Plot, linkedom, resvg) is loaded here,
 * when a figure is asked for: `ness solve` without --figure never loads it.
 */
export async function writeNetworkFigure(data: NetworkFigureData, file: string): Promise<void> {
  const { networkFigure } = await import("../../figures/network.js");
  await writeFigureFile(networkFigure(data), file, { provenance: modelCsvComments() });
}

/** Writes a figure file, loading the renderer (and with it the figure stack) when first asked. */
async function writeFigureFile(figure: Figure, file: string, options?: { provenance?: string[] }): Promise<void> {
  await (await import("../../io/render.js")).writeFigureFile(figure, file, options);
}

/** Writes the transmission spectrum: .csv (every sample) or .svg / .png (the envelope, drawn). */
export async function writeSpectrum(model: NetworkModel, ss: TransmissionSteadyState, file: string): Promise<void> {
  const { spectrumEnvelope, spectrumFigure, spectrumTable } =
    await import("../../studies/harmonic-conduction/index.js");
  const full = spectrumTable(ss);
  const figure = spectrumFigure({
    title: `Transmission spectrum${model.name ? ` of ${model.name}` : ""}`,
    series: spectrumEnvelope(ss),
    table: full,
  });
  await writeFigureFile(figure, file, { provenance: modelCsvComments() });
}

/** Checks the --spectrum file name before any work is done. */
export function checkSpectrumFile(file: string): void {
  if (!/\.(csv|svg|png)$/i.test(file)) throw new ModelError(`--spectrum ${file}: give a .csv, .svg or .png file`);
}

export interface SolveOptions {
  json?: boolean;
  figure?: string;
  bySource?: boolean;
  method: string;
  spectrum?: string;
  tolerance?: string;
  fluxesOnly?: boolean;
  bathFluxesOnly?: boolean;
  maxEvaluations?: string;
  force?: boolean;
}

/** The method asked for (auto: chosen by size and sparsity), checked against the options that need one of them. */
export function pickMethod(
  model: NetworkModel,
  opts: SolveOptions,
): { method: SolveMethod; reason: string; cost?: SolveCost } {
  if (!["auto", "lyapunov", "transmission", "modal"].includes(opts.method)) {
    throw new ModelError(`--method must be auto, lyapunov, transmission or modal, got '${opts.method}'`);
  }
  if (opts.spectrum !== undefined) checkSpectrumFile(opts.spectrum);
  if (opts.fluxesOnly && opts.figure)
    throw new ModelError("--figure colours the sites by kinetic temperature: drop --fluxes-only");
  if (opts.bathFluxesOnly) {
    if (opts.figure) throw new ModelError("--figure colours the sites by kinetic temperature: drop --bath-fluxes-only");
    if (opts.spectrum !== undefined)
      throw new ModelError(
        "--spectrum samples every resonance on the real axis, --bath-fluxes-only integrates them from their poles: drop one",
      );
    if (opts.method === "lyapunov" || opts.method === "modal")
      throw new ModelError(`--bath-fluxes-only needs --method transmission (or auto), got ${opts.method}`);
    if (opts.bySource === true)
      throw new ModelError(
        "--by-source splits every flux by source bath; --bath-fluxes-only integrates the bath fluxes from the end block of G and their poles without that split: drop one",
      );
    const refusal = bathFluxesOnlyRefusal(model);
    if (refusal)
      throw new ModelError(`--bath-fluxes-only applies to strips with baths on their end columns: ${refusal}`);
  }
  const needsTransmission = opts.bathFluxesOnly
    ? "--bath-fluxes-only"
    : opts.spectrum !== undefined
      ? "--spectrum"
      : opts.fluxesOnly
        ? "--fluxes-only"
        : opts.tolerance !== undefined
          ? "--tolerance"
          : opts.maxEvaluations !== undefined
            ? "--max-evaluations"
            : undefined;
  if (opts.method === "lyapunov") {
    if (needsTransmission) throw new ModelError(`${needsTransmission} needs --method transmission (or auto)`);
    return { method: "lyapunov", reason: "asked for" };
  }
  if (opts.method === "transmission") return { method: "transmission", reason: "asked for" };
  if (opts.method === "modal") {
    // The modal method has no quadrature: --fluxes-only is its only option of these.
    if (needsTransmission && needsTransmission !== "--fluxes-only")
      throw new ModelError(`${needsTransmission} needs --method transmission (or auto)`);
    return { method: "modal", reason: "asked for" };
  }
  // --fluxes-only: the dense solve gives every flux too (and the kinetic temperatures besides); the choice weighs it
  // against the frequency integrals of the fluxes, whose screen leaves out the modes localised away from the baths.
  if (needsTransmission && needsTransmission !== "--fluxes-only")
    return { method: "transmission", reason: `auto: ${needsTransmission} asks for it` };
  // A network without a steady state is refused before any method is measured (its diagnosis, not a cost).
  checkTransmissionSolvable(model);
  // The estimate that chose the method (the frequency integrals measured with the solve's options) is the one the
  // cost gate states and checks.
  const c = chooseSolveMethod(
    model,
    {
      fluxesOnly: opts.fluxesOnly === true,
      bySource: opts.bySource,
      maxEvaluations: integerOption(opts.maxEvaluations, "--max-evaluations", 1000),
    },
    cpuMilliseconds,
  );
  if (opts.fluxesOnly && c.method === "lyapunov")
    return {
      method: c.method,
      reason: `auto: ${c.reason}; it gives the fluxes (and the kinetic temperatures)`,
      cost: c.cost,
    };
  return { method: c.method, reason: `auto: ${c.reason}`, cost: c.cost };
}

/** What the network drawing needs from a steady state of any method (dense, transmission, modal). */
export interface NetworkFigureSource {
  sites: string[];
  baths: readonly { index: number; temperature: number; flux: number }[];
  springs: readonly { between: [string, string]; flux: number }[];
  kineticTemperature?: ArrayLike<number>;
  configurationalTemperature?: ArrayLike<number>;
}

/** Figure data for the network drawing: sites coloured by their kinetic (or configurational) temperature. */
export function networkFigureData(model: NetworkModel, ss: NetworkFigureSource): NetworkFigureData {
  const bath = new Map(ss.baths.map((b) => [b.index, b]));
  const local = ss.kineticTemperature ?? ss.configurationalTemperature;
  if (!local) throw new ModelError("--figure colours the sites by their temperature: drop --fluxes-only or --figure");
  return {
    title: model.name ?? "Network steady state",
    temperatureLabel: ss.kineticTemperature ? "kinetic temperature ⟨p²⟩/m" : "configurational temperature ⟨q·∂U/∂q⟩",
    sites: ss.sites.map((name, i) => {
      const b = bath.get(i);
      return {
        name,
        kineticTemperature: local[i],
        position: model.layout ? ([model.layout[2 * i], model.layout[2 * i + 1]] as [number, number]) : undefined,
        bath: b ? { temperature: b.temperature, flux: b.flux } : undefined,
      };
    }),
    springs: ss.springs.map((s) => ({ between: s.between, flux: s.flux })),
  };
}

/** `ness solve --method transmission`: solve, write the figure and spectrum if asked, print text or JSON. */
export async function solveByTransmission(
  model: NetworkModel,
  opts: SolveOptions,
  reason: string,
  cost?: SolveCost,
  refuse?: (ss: TransmissionSteadyState) => string | undefined,
): Promise<void> {
  if (opts.figure && model.dynamics === "underdamped" && model.sites.length > TEMPERATURES_MAX_SITES) {
    throw new ModelError(
      `--figure colours the sites by kinetic temperature, computed up to ${TEMPERATURES_MAX_SITES} sites (this network has ${model.sites.length}): drop --figure`,
    );
  }
  const tolerance = positiveOption(opts.tolerance, "--tolerance");
  // Default by size: kinetic temperatures up to TEMPERATURES_MAX_SITES sites, fluxes only beyond (a note says so).
  const temperatures = opts.fluxesOnly || opts.bathFluxesOnly ? false : undefined;
  // A network without a steady state is refused as such (as the solve would), not by its estimated cost.
  checkTransmissionSolvable(model);
  // The estimated cost (measured), refused over the limit unless --force, the budget capped to it (solveGate.ts).
  const gate = gateSolve(
    model,
    "transmission",
    {
      temperatures,
      bySource: opts.bySource,
      maxEvaluations: integerOption(opts.maxEvaluations, "--max-evaluations", 1000),
      ...(opts.bathFluxesOnly ? { springs: false } : {}),
    },
    opts.force === true,
    cost && (() => cost),
  );
  reason = `${reason}; ${gate.reason}`;
  const progress = await solveProgress(gate.announce);
  let ss: TransmissionSteadyState;
  try {
    ss = solveNetworkTransmission(model, {
      bySource: opts.bySource,
      tolerance,
      temperatures,
      // Strips with baths on their end columns (checked by pickMethod): the end block of G, no spring fluxes.
      ...(opts.bathFluxesOnly ? { springs: false } : {}),
      maxEvaluations: gate.maxEvaluations,
      spectrum: opts.spectrum !== undefined,
      ...progress.control,
    });
  } finally {
    progress.stop();
  }
  // A fallback that did not resolve the network either is refused before anything is written (`refuse`'s reason).
  const refusal = refuse?.(ss);
  if (refusal !== undefined) throw new SteadyStateError(refusal, model.source);
  // pickMethod checked that the strip path applies; should the library still have taken the general path, say so.
  if (opts.bathFluxesOnly && ss.springs.length > 0)
    ss.notes.push("--bath-fluxes-only: the general path ran instead (spring fluxes computed)");
  if (opts.figure) await writeNetworkFigure(networkFigureData(model, ss), opts.figure);
  if (opts.spectrum) await writeSpectrum(model, ss, opts.spectrum);
  if (opts.json) {
    console.log(JSON.stringify({ ...modelProvenance(), ...transmissionJson(model, ss, reason) }, null, 2));
    return;
  }
  console.log(transmissionText(model, ss, reason));
  if (opts.figure) console.log(`\nfigure written to ${opts.figure}`);
  if (opts.spectrum) console.log(`${opts.figure ? "" : "\n"}spectrum written to ${opts.spectrum}`);
}
