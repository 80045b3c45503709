/**
 * `ness solve --method modal`: the tables and JSON document of the modal solve (src/exact/modal.ts: one symmetric
 * eigen-decomposition, the damped poles, every frequency integral by residues; overdamped networks: the relaxation
 * modes and the covariance in closed form), kept apart from solve.ts and solveTransmission.ts.
 */
import {
  ModalDegeneratePoleError,
  ModalNarrowModeError,
  ModalPoleSearchError,
  solveNetworkModal,
  type ModalSteadyState,
} from "../../exact/modal.js";
import type { NetworkModel } from "../../model/network.js";
import { modelProvenance } from "../commandLine.js";
import { num } from "../format.js";
import {
  frequencyJson,
  frequencyTables,
  networkFigureData,
  solveByTransmission,
  writeNetworkFigure,
  type SolveOptions,
} from "./solveTransmission.js";

/** The JSON document printed by `ness solve --json` for the modal method. */
export function modalJson(model: NetworkModel, ss: ModalSteadyState, reason: string) {
  return {
    ...frequencyJson(model, ss, reason),
    errorEstimate: ss.errorEstimate,
    errorIsEstimate: ss.errorIsEstimate,
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
  out.push(
    title,
    ss.dynamics === "overdamped"
      ? `method: modal (relaxation modes of Gamma^-1/2 V Gamma^-1/2, covariance in closed form; ${reason})`
      : `method: modal (normal modes and damped poles, integrals by residues; ${reason})`,
    "",
  );
  out.push(...frequencyTables(ss));
  out.push(
    `error estimate           ${num(ss.errorEstimate)} (relative: fluxes to the largest bath flux${ss.kineticTemperature ? ", temperatures to the largest bath temperature" : ""})`,
  );
  if (ss.dynamics === "overdamped") {
    out.push(`modal residual           ${num(ss.residual)} (eigenvectors, Lyapunov equation at every site and spring)`);
    out.push(
      `relaxation modes         ${ss.modes.count} (slowest rate ${num(ss.modes.slowestRate ?? 0)}, relaxation time ${num(1 / (ss.modes.slowestRate ?? 1))})`,
    );
  } else {
    out.push(`modal residual           ${num(ss.residual)} (eigenvectors, pole equations, trace identity)`);
    out.push(`normal modes             ${ss.modes.count} (${ss.modes.poles} damped poles)`);
  }
  for (const note of ss.notes) out.push(`note: ${note}`);
  for (const w of ss.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}

/** `ness solve --method modal`: solve, write the figure if asked, print text or JSON. */
export async function solveByModal(model: NetworkModel, opts: SolveOptions, reason: string): Promise<void> {
  const ss = solveNetworkModal(model, { temperatures: !opts.fluxesOnly, bySource: opts.bySource });
  if (opts.figure) await writeNetworkFigure(networkFigureData(model, ss), opts.figure);
  if (opts.json) {
    console.log(JSON.stringify({ ...modelProvenance(), ...modalJson(model, ss, reason) }, null, 2));
    return;
  }
  console.log(modalText(model, ss, reason));
  if (opts.figure) console.log(`\nfigure written to ${opts.figure}`);
}

/**
 * `ness solve` when `--method auto` chose the modal method: the modal solve, or, when the modal method refuses the
 * network after or during its pole search (a mode damped less than 1e-13 of its frequency, ModalNarrowModeError; the
 * search did not converge, ModalPoleSearchError; a degenerate pole it cannot split, ModalDegeneratePoleError), the
 * frequency integrals, which need no poles and resolve such a
 * resonance; the reason printed (text and --json's methodReason) states the choice, the refusal and the fallback.
 * Every other error (no steady state, a bad model) is the user's answer whatever the method, and is thrown. Nothing
 * is written before the refusal (the figure comes after the solve).
 */
export async function solveByModalOrFallBack(model: NetworkModel, opts: SolveOptions, reason: string): Promise<void> {
  try {
    await solveByModal(model, opts, reason);
  } catch (e) {
    if (!(
      e instanceof ModalNarrowModeError ||
      e instanceof ModalPoleSearchError ||
      e instanceof ModalDegeneratePoleError
    ))
      throw e;
    await solveByTransmission(model, opts, fallbackReason(reason, e));
  }
}

/** The reason of the fallback: auto's choice and why, the modal method's refusal (without the file name), the fallback. */
export function fallbackReason(
  reason: string,
  e: ModalNarrowModeError | ModalPoleSearchError | ModalDegeneratePoleError,
): string {
  let refusal = e.source && e.message.startsWith(`${e.source}: `) ? e.message.slice(e.source.length + 2) : e.message;
  // The advice to the user who chose --method modal: auto has taken it.
  refusal = refusal.replace(/[;:] use --method transmission( or lyapunov)?$/, "");
  const why = reason.replace(/^auto: /, "");
  return `auto chose the modal method (${why}), which refused the network: ${refusal}; fell back to the frequency integrals`;
}
