/**
 * `ness solve --method modal`: the tables and JSON document of the modal solve (src/exact/modal.ts: one symmetric
 * eigen-decomposition, the damped poles, every frequency integral by residues), kept apart from solve.ts and
 * solveTransmission.ts.
 */
import { solveNetworkModal, type ModalSteadyState } from "../../exact/modal.js";
import type { NetworkModel } from "../../model/network.js";
import { modelProvenance } from "../commandLine.js";
import { num, table } from "../format.js";
import { writeNetworkFigure, type SolveOptions } from "./solveTransmission.js";

/** The JSON document printed by `ness solve --json` for the modal method. */
export function modalJson(model: NetworkModel, ss: ModalSteadyState, reason: string) {
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
    springs: ss.springs.map((s) => ({ between: s.between, stiffness: s.stiffness, flux: s.flux, error: s.error })),
    baths: ss.baths.map((b) => ({
      site: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: b.flux,
      error: b.error,
      ...(b.fluxBySource ? { fluxBySource: bySource(b.fluxBySource) } : {}),
    })),
    conductance: Object.fromEntries(ss.baths.map((b, k) => [`bath ${b.site}`, bySource(ss.conductance[k])])),
    entropyProduction: ss.entropyProduction,
    energyBalanceResidual: Math.max(0, ...ss.energyBalanceResidual),
    errorEstimate: ss.errorEstimate,
    residual: ss.residual,
    modes: ss.modes,
    ...(ss.notes.length > 0 ? { notes: ss.notes } : {}),
    warnings: ss.warnings,
  };
}

/** Human-readable report of the modal method. */
export function modalText(model: NetworkModel, ss: ModalSteadyState, reason: string): string {
  const out: string[] = [];
  const title = model.name ? `${model.name} (${ss.dynamics})` : `${ss.dynamics} network, ${ss.sites.length} sites`;
  out.push(title, `method: modal (normal modes and damped poles, integrals by residues; ${reason})`, "");
  const bath = new Map(ss.baths.map((b) => [b.index, b]));
  const many = ss.sites.length > 200;
  const clip = <T>(rows: T[]): T[] => (many && rows.length > 100 ? [...rows.slice(0, 50), ...rows.slice(-50)] : rows);
  if (ss.kineticTemperature) {
    const rows = ss.sites.map((s, i) => {
      const b = bath.get(i);
      return [s, b ? num(b.temperature) : "-", ss.kineticTemperature![i], ss.kineticTemperatureError![i]] as (
        string | number
      )[];
    });
    out.push(
      `Sites${many ? " (first and last 50; all of them with --json)" : ""}`,
      table(["site", "bath T", "kinetic T", "error"], clip(rows)),
      "",
    );
  }
  if (ss.springs.length > 0) {
    const rows = ss.springs.map((s) => {
      const [a, b] = s.between;
      return [`${a}-${b}`, s.stiffness, s.flux >= 0 ? `${a} -> ${b}` : `${b} -> ${a}`, Math.abs(s.flux), s.error];
    });
    out.push(
      `Springs${many ? " (first and last 50)" : ""}`,
      table(["spring", "stiffness", "heat flows", "|flux|", "error"], clip(rows)),
      "",
    );
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
  out.push(`energy balance residual  ${num(Math.max(0, ...ss.energyBalanceResidual))} (relative, worst site)`);
  out.push(
    `error estimate           ${num(ss.errorEstimate)} (relative: fluxes to the largest bath flux, temperatures to the largest bath temperature)`,
  );
  out.push(`modal residual           ${num(ss.residual)} (eigenvectors, pole equations, trace identity)`);
  out.push(`normal modes             ${ss.modes.count} (${ss.modes.poles} damped poles)`);
  for (const note of ss.notes) out.push(`note: ${note}`);
  for (const w of ss.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}

/** `ness solve --method modal`: solve, write the figure if asked, print text or JSON. */
export async function solveByModal(model: NetworkModel, opts: SolveOptions, reason: string): Promise<void> {
  const ss = solveNetworkModal(model, { temperatures: !opts.fluxesOnly });
  if (opts.figure) {
    const bath = new Map(ss.baths.map((b) => [b.index, b]));
    await writeNetworkFigure(
      {
        title: model.name ?? "Network steady state",
        temperatureLabel: "kinetic temperature ⟨p²⟩/m",
        sites: ss.sites.map((name, i) => {
          const b = bath.get(i);
          return {
            name,
            kineticTemperature: ss.kineticTemperature![i],
            position: model.layout ? ([model.layout[2 * i], model.layout[2 * i + 1]] as [number, number]) : undefined,
            bath: b ? { temperature: b.temperature, flux: b.flux } : undefined,
          };
        }),
        springs: ss.springs.map((s) => ({ between: s.between, flux: s.flux })),
      },
      opts.figure,
    );
  }
  if (opts.json) {
    console.log(JSON.stringify({ ...modelProvenance(), ...modalJson(model, ss, reason) }, null, 2));
    return;
  }
  console.log(modalText(model, ss, reason));
  if (opts.figure) console.log(`\nfigure written to ${opts.figure}`);
}
