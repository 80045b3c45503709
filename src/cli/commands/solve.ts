/**
 * `ness solve MODEL`: the exact steady state of a linear network, as tables, JSON or a figure.
 */
import { Command } from "commander";
import { ModelError, NessError, SteadyStateError } from "../../errors.js";
import {
  BEYOND_DOUBLE_PRECISION,
  KEEP_NUMBERS_ADVICE,
  solveNetwork,
  type NetworkSteadyState,
} from "../../exact/network.js";
import { Interrupted } from "../interrupt.js";
import type { TransmissionSteadyState } from "../../exact/transmission.js";
import { toRows } from "../../linalg/matrix.js";
import type { NetworkModel } from "../../model/network.js";
import { modelProvenance } from "../commandLine.js";
import { num, table, warn } from "../format.js";
import { loadModelFile } from "../input.js";
import {
  networkFigureData,
  pickMethod,
  solveByTransmission,
  writeNetworkFigure,
  type SolveOptions,
} from "./solveTransmission.js";

/** Figure data for the network drawing (one function for every method: solveTransmission.ts). */
export { networkFigureData };
import { solveByModal, solveByModalOrFallBack } from "./solveModal.js";
import { gateSolve } from "./solveGate.js";

/** The largest quadrature error (relative) at which auto takes the frequency integrals after the dense solve refused. */
const FALLBACK_MAX_ERROR = 1e-6;

/**
 * `--method auto` after the dense solve refused the network as beyond double precision: the frequency integrals, with
 * the choice, the refusal and the fallback in the method line (`methodReason`). They are taken only when they resolve
 * the network (quadratureError at most FALLBACK_MAX_ERROR, relative to the largest bath flux or temperature): an
 * answer with larger errors says nothing the refusal does not, so the refusal stands then, with what they gave.
 */
async function solveByDenseFallBack(
  model: NetworkModel,
  opts: SolveOptions,
  reason: string,
  refusal: SteadyStateError,
): Promise<void> {
  const why =
    refusal.source && refusal.message.startsWith(`${refusal.source}: `)
      ? refusal.message.slice(refusal.source.length + 2)
      : refusal.message;
  // Taken, the fallback answers: the refusal's reason stays, its advice to change the model goes.
  const because = why.endsWith(`; ${KEEP_NUMBERS_ADVICE}`) ? why.slice(0, -KEEP_NUMBERS_ADVICE.length - 2) : why;
  const fallback = `auto chose the dense Lyapunov solve (${reason.replace(/^auto: /, "")}), which refused the network: ${because}; fell back to the frequency integrals`;
  const unresolved = (ss: TransmissionSteadyState) =>
    ss.quadratureError <= FALLBACK_MAX_ERROR
      ? undefined
      : `${why}; the frequency integrals (--method transmission) did not resolve it either (quadratureError ${Number.isFinite(ss.quadratureError) ? ss.quadratureError.toExponential(2) : "not a finite number"})`;
  try {
    await solveByTransmission(model, opts, fallback, undefined, unresolved);
  } catch (e) {
    if (!(e instanceof NessError) || e instanceof Interrupted || e instanceof SteadyStateError) throw e;
    throw new SteadyStateError(
      `${why}; the frequency integrals (--method transmission) refused it too: ${e.message}`,
      refusal.source,
    );
  }
}

/** The JSON document printed by `ness solve --json`. */
export function steadyStateJson(model: NetworkModel, ss: NetworkSteadyState) {
  const bySite = (v: Float64Array | undefined) =>
    v ? Object.fromEntries(ss.sites.map((s, i) => [s, v[i]])) : undefined;
  return {
    name: model.name,
    dynamics: ss.dynamics,
    method: "lyapunov",
    sites: ss.sites,
    covariance: { order: ss.order, matrix: toRows(ss.covariance) },
    positionVariance: bySite(ss.positionVariance),
    kineticTemperature: bySite(ss.kineticTemperature),
    configurationalTemperature: bySite(ss.configurationalTemperature),
    springs: ss.springs.map((s) => ({
      between: s.between,
      stiffness: s.stiffness,
      flux: s.flux,
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(s.fluxBySource ? { fluxBySource: bySource(model, s.fluxBySource) } : {}),
      ...(s.fluxBySourceError !== undefined ? { fluxBySourceError: s.fluxBySourceError } : {}),
    })),
    baths: ss.baths.map((b) => ({
      site: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: b.flux,
      ...(b.error !== undefined ? { error: b.error } : {}),
      ...(b.fluxBySource ? { fluxBySource: bySource(model, b.fluxBySource) } : {}),
      ...(b.fluxBySourceError !== undefined ? { fluxBySourceError: b.fluxBySourceError } : {}),
    })),
    entropyProduction: ss.entropyProduction,
    energyBalanceResidual: Math.max(0, ...ss.energyBalanceResidual),
    residual: ss.residual,
    condition: ss.condition,
    forwardErrorBound: ss.forwardErrorBound,
    relaxationTime: 1 / ss.slowestRate,
    warnings: ss.warnings,
  };
}

function bySource(model: NetworkModel, parts: number[]): Record<string, number> {
  return Object.fromEntries(model.baths.map((b, k) => [`bath ${model.sites[b.site]}`, parts[k]]));
}

/** Human-readable report (without the warnings: the CLI prints them on stderr). */
export function steadyStateText(model: NetworkModel, ss: NetworkSteadyState): string {
  const out: string[] = [];
  const title = model.name ? `${model.name} (${ss.dynamics})` : `${ss.dynamics} network, ${ss.sites.length} sites`;
  out.push(title, "");
  const bath = new Map(ss.baths.map((b) => [b.index, b]));
  const siteRows = ss.sites.map((s, i) => {
    const b = bath.get(i);
    const row: (string | number)[] = [s, b ? num(b.temperature) : "-", ss.positionVariance[i]];
    if (ss.kineticTemperature) row.push(ss.momentumVariance![i], ss.kineticTemperature[i]);
    else row.push(ss.configurationalTemperature[i]);
    return row;
  });
  const siteHeader = ss.kineticTemperature
    ? ["site", "bath T", "<q^2>", "<p^2>", "kinetic T"]
    : ["site", "bath T", "<q^2>", "config. T"];
  out.push("Sites", table(siteHeader, siteRows), "");
  if (ss.springs.length > 0) {
    const rows = ss.springs.map((s) => {
      const [a, b] = s.between;
      const arrow = s.flux >= 0 ? `${a} -> ${b}` : `${b} -> ${a}`;
      const row: (string | number)[] = [`${a}-${b}`, s.stiffness, arrow, Math.abs(s.flux)];
      if (s.fluxBySource) row.push(s.fluxBySource.map((x) => num(x)).join(", "));
      return row;
    });
    const header = ["spring", "stiffness", "heat flows", "|flux|"];
    if (ss.springs[0].fluxBySource) header.push(`by source (${ss.baths.map((b) => b.site).join(", ")})`);
    out.push("Springs", table(header, rows), "");
  }
  const bathRows = ss.baths.map((b) => {
    const row: (string | number)[] = [
      b.site,
      b.temperature,
      b.friction,
      b.flux,
      b.flux >= 0 ? "into network" : "out of network",
    ];
    if (b.fluxBySource) row.push(b.fluxBySource.map((x) => num(x)).join(", "));
    return row;
  });
  const bathHeader = ["bath", "T", "friction", "flux", "direction"];
  if (ss.baths[0]?.fluxBySource) bathHeader.push("by source");
  out.push("Baths (flux from the bath into the network)", table(bathHeader, bathRows), "");
  out.push(`entropy production rate  ${num(ss.entropyProduction)}`);
  out.push(`energy balance residual  ${num(Math.max(0, ...ss.energyBalanceResidual))} (relative, worst site)`);
  out.push(`Lyapunov residual        ${num(ss.residual)} (relative)`);
  out.push(
    `condition number         ${num(ss.condition)} (covariance error bound ${num(ss.forwardErrorBound)}, relative)`,
  );
  out.push(`relaxation time          ${num(1 / ss.slowestRate)}`);
  return out.join("\n"); // warnings go to stderr (the action)
}

export function solveCommand(): Command {
  return new Command("solve")
    .description("exact nonequilibrium steady state of a linear network (covariance, temperatures, heat fluxes)")
    .argument("<model>", "network model file (YAML or JSON)")
    .option("--json", "print the result as JSON")
    .option(
      "--figure <file>",
      "draw the network (sites coloured by kinetic temperature, arrows sized by flux): .svg or .png (.csv: its data)",
    )
    .option("--by-source", "split every flux by source bath (default when the network has <= 32 baths)")
    .option("--no-by-source", "do not split fluxes by source bath")
    .option(
      "--method <method>",
      "auto, lyapunov (dense covariance), transmission (frequency integrals, large sparse networks) or modal (normal modes and poles; relaxation modes of overdamped networks; up to 3000 sites)",
      "auto",
    )
    .option(
      "--spectrum <file>",
      "transmission method: write the transmission spectrum T(omega) of every pair of baths (.csv, .svg or .png)",
    )
    .option("--tolerance <x>", "transmission method: relative tolerance of the frequency quadrature (default 1e-10)")
    .option(
      "--fluxes-only",
      "transmission method: fluxes without kinetic temperatures (cheaper; implied beyond 30000 sites)",
    )
    .option(
      "--bath-fluxes-only",
      "transmission method, strips with baths on their end columns (> 300 sites): bath fluxes only, no spring fluxes or kinetic temperatures (G's end block and complex poles; cheaper)",
    )
    .option("--max-evaluations <n>", "transmission method: stop refining after this many frequency evaluations")
    .option(
      "--force",
      "solve even when the estimated cost is over the limit of 10 min (refused otherwise, with the estimate), and lift the cap on the transmission method's evaluation budget",
    )
    .action(async (file: string, opts: SolveOptions) => {
      const model = await loadModelFile(file);
      if (model.kind !== "network") {
        throw new ModelError(`ness solve takes a network model; this is kind: ${model.kind} (use ness simulate)`, file);
      }
      const picked = pickMethod(model, opts);
      const method = picked.method;
      if (method === "transmission") return solveByTransmission(model, opts, picked.reason, picked.cost);
      // The dense and modal methods: estimated from their size (solveGate.ts; the transmission method measures).
      const reason = `${picked.reason}; ${gateSolve(model, method, {}, opts.force === true, picked.cost && (() => picked.cost!)).reason}`;
      if (method === "modal")
        return opts.method === "auto" ? solveByModalOrFallBack(model, opts, reason) : solveByModal(model, opts, reason);
      let ss: NetworkSteadyState;
      try {
        ss = solveNetwork(model, { bySource: opts.bySource });
      } catch (e) {
        // Auto chose the dense solve, which cannot resolve this network in double precision (time scales too far
        // apart for the Lyapunov equation: masses spanning 1e12, a pinning 1e-30 of the springs); the frequency
        // integrals work on the Green's function, site by site, and often can.
        if (opts.method !== "auto" || !(e instanceof SteadyStateError) || !e.message.includes(BEYOND_DOUBLE_PRECISION))
          throw e;
        return solveByDenseFallBack(model, opts, reason, e);
      }
      if (opts.figure) {
        await writeNetworkFigure(networkFigureData(model, ss), opts.figure);
      }
      for (const w of ss.warnings) warn(w);
      if (opts.json)
        console.log(
          JSON.stringify({ ...modelProvenance(), ...steadyStateJson(model, ss), methodReason: reason }, null, 2),
        );
      else {
        console.log(steadyStateText(model, ss).replace("\n\n", `\nmethod: lyapunov (dense covariance; ${reason})\n\n`));
        if (opts.figure) console.log(`\nfigure written to ${opts.figure}`);
      }
    });
}
