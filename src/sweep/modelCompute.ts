/**
 * Model-file bases: the exact steady state of a linear network, or a simulation with replicas of any model. This is
 * the one file of the sweep machinery that calls the engines (validateModel, solveNetwork, preparePlan,
 * simulateAndVerifySync, what `ness simulate` computes): when their APIs change, only this adapter changes.
 *
 * Result documents (what output paths select from):
 * - exact: `springs[a-b].flux`, `springs[k].stiffness`, `baths[k].flux` (from the bath into the network),
 *   `baths[k].temperature`, `entropyProduction`, `kineticTemperature[site]` (underdamped), `positionVariance[site]`,
 *   `configurationalTemperature[site]`, `residual`, `condition`, `forwardErrorBound`, `relaxationTime`;
 * - simulate: every estimate as `estimates[group][name]` (e.g. `estimates[spring flux][1 -> 2]`), and for networks
 *   the same names as exact for `springs[a-b].flux`, `baths[k].flux`, `entropyProduction`,
 *   `kineticTemperature[site]`; each a Measured { value, error, reliable }.
 */
import { ModelError, SweepError } from "../errors.js";
import { solveNetwork } from "../exact/network.js";
import { validateModel, type Model } from "../model/models.js";
import { schemeByName, type Scheme } from "../stochastic/integrators.js";
import { preparePlan, type SimulationOptions } from "../stochastic/run.js";
import { PAIR_HEAT_CHECK } from "../stochastic/pairHeatChoice.js";
import type { Estimate } from "../stochastic/statistics.js";
import type { Base, ComputeAdapter, ComputeOptions, Measured, PreparedCompute } from "./compute.js";
import { canonicalSplicer } from "./key.js";
import { locate, parsePath } from "./paths.js";
import { simulateAndVerifySync } from "../verify/simulation.js";

type Targets = { container: Record<string | number, unknown>; key: string | number }[];

/** Checks every axis path against the base data (a number must be there) and returns a setter over a working copy. */
function settable(model: unknown, axisPaths: string[], where: string): { work: unknown; targets: Targets } {
  const work = structuredClone(model);
  const targets: Targets = [];
  axisPaths.forEach((p, k) => {
    const at = locate(work, parsePath(p, `${where}: axes[${k}].path`));
    if ("missing" in at)
      throw new SweepError(`axes[${k}].path: unknown field path '${p}' in the base model: ${at.missing}`, where);
    const v = at.container[at.key];
    if (typeof v !== "number") {
      const what =
        v === null
          ? "null"
          : Array.isArray(v)
            ? "a list"
            : typeof v === "object"
              ? "a mapping"
              : `${typeof v} ${JSON.stringify(v)}`;
      throw new SweepError(`axes[${k}].path: '${p}' is not a number in the base model (it is ${what})`, where);
    }
    // Two axes on one number (the same path, or two spellings of it: springs[0] and springs[1-2]): the later one
    // would overwrite the earlier, whose column would then label every point with values it never had.
    const same = targets.findIndex((t) => t.container === at.container && t.key === at.key);
    if (same >= 0)
      throw new SweepError(
        `axes[${k}].path: '${p}' is the same field of the base model as axes[${same}].path '${axisPaths[same]}' (one axis per field)`,
        where,
      );
    targets.push(at);
  });
  return { work, targets };
}

const bySite = (sites: string[], v: Float64Array | undefined, f: (x: number) => unknown = (x) => x) =>
  v ? Object.fromEntries(sites.map((s, i) => [s, f(v[i])])) : undefined;

function exactDocument(model: Model, placeholder: boolean): unknown {
  if (model.kind !== "network")
    throw new ModelError(
      "the exact compute takes a network model; this is kind: particles (use compute: {kind: simulate, ...})",
      model.source,
    );
  const sites = model.sites;
  if (placeholder) {
    const zeros = new Float64Array(sites.length);
    return {
      springs: model.springs.map((s) => ({ between: [sites[s.i], sites[s.j]], stiffness: 0, flux: 0 })),
      baths: model.baths.map((b) => ({ site: sites[b.site], temperature: 0, friction: 0, flux: 0 })),
      entropyProduction: 0,
      ...(model.dynamics === "underdamped" ? { kineticTemperature: bySite(sites, zeros) } : {}),
      positionVariance: bySite(sites, zeros),
      configurationalTemperature: bySite(sites, zeros),
      residual: 0,
      condition: 0,
      forwardErrorBound: 0,
      relaxationTime: 0,
    };
  }
  const ss = solveNetwork(model, { bySource: false });
  return {
    springs: ss.springs.map((s) => ({ between: s.between, stiffness: s.stiffness, flux: s.flux })),
    baths: ss.baths.map((b) => ({ site: b.site, temperature: b.temperature, friction: b.friction, flux: b.flux })),
    entropyProduction: ss.entropyProduction,
    ...(ss.kineticTemperature ? { kineticTemperature: bySite(sites, ss.kineticTemperature) } : {}),
    positionVariance: bySite(sites, ss.positionVariance),
    configurationalTemperature: bySite(sites, ss.configurationalTemperature),
    residual: ss.residual,
    condition: ss.condition,
    forwardErrorBound: ss.forwardErrorBound,
    relaxationTime: 1 / ss.slowestRate,
  };
}

function simulationOptions(o: ComputeOptions, seed: number): SimulationOptions {
  return {
    time: o.time!,
    seed,
    replicas: o.replicas ?? 1,
    ...(o.burnIn !== undefined ? { burnIn: o.burnIn } : {}),
    ...(o.batches !== undefined ? { batches: o.batches } : {}),
  };
}

/** The integrator as a value: the named scheme, or the default for the model's dynamics ({ dt }). */
function scheme(o: ComputeOptions): Scheme | { dt: number } {
  return o.scheme !== undefined ? schemeByName(o.scheme, o.dt!) : { dt: o.dt! };
}

function simulationDocument(
  model: Model,
  estimates: Pick<Estimate, "group" | "name" | "value" | "error" | "reliable" | "note">[],
): unknown {
  const measured = (
    e: Pick<Estimate, "value" | "error" | "reliable" | "note"> | undefined,
  ): (Measured & { note?: string }) | undefined =>
    e
      ? { value: e.value, error: e.error, reliable: e.reliable, ...(e.note !== undefined ? { note: e.note } : {}) }
      : undefined;
  const groups: Record<string, Record<string, Measured>> = {};
  for (const e of estimates) (groups[e.group] ??= {})[e.name] = measured(e)!;
  const find = (g: string, n: string) => groups[g]?.[n];
  if (model.kind !== "network") return { estimates: groups };
  const sites = model.sites;
  return {
    estimates: groups,
    springs: model.springs.map((s) => ({
      between: [sites[s.i], sites[s.j]],
      flux: find("spring flux", `${sites[s.i]} -> ${sites[s.j]}`),
    })),
    baths: model.baths.map((b) => ({ site: sites[b.site], flux: find("bath flux", `into ${sites[b.site]}`) })),
    entropyProduction: find("entropy production", "rate"),
    ...(groups["kinetic temperature"] ? { kineticTemperature: groups["kinetic temperature"] } : {}),
  };
}

function prepareModel(base: Base, axisPaths: string[], options: ComputeOptions, where: string): PreparedCompute {
  if (!("model" in base)) throw new SweepError("internal: a model adapter was given a study base", where);
  // The base itself must be a valid model (messages name its file).
  const baseModel = validateModel(base.model, base.source);
  const { work, targets } = settable(base.model, axisPaths, where);
  const set = (values: ArrayLike<number>) => {
    for (let k = 0; k < targets.length; k++) targets[k].container[targets[k].key] = values[k];
  };
  const parameters = (values: ArrayLike<number>) => {
    set(values);
    return structuredClone(work);
  };
  const splice = canonicalSplicer(targets, work);
  // The fast paths (keys, computations) work on the one working copy: a point's model is validated from it and
  // used before the next point's values are set.
  const fast = (compute: (p: unknown, seed: number) => unknown) => ({
    ...(splice ? { canonical: splice } : {}),
    computeAt: (values: ArrayLike<number>, seed: number) => {
      set(values);
      return compute(work, seed);
    },
  });
  if (options.kind === "exact") {
    const template = exactDocument(baseModel, true);
    const n =
      baseModel.kind === "network" ? (baseModel.dynamics === "underdamped" ? 2 : 1) * baseModel.sites.length : 0;
    const compute = (p: unknown) => exactDocument(validateModel(p, base.source), false);
    return {
      template,
      parameters,
      check: (p) => void validateModel(p, base.source),
      compute,
      ...fast(compute),
      relativeCost: Math.max(1, (n / 8) ** 3),
    };
  }
  if (options.kind === "simulate") {
    const plan = preparePlan(baseModel, scheme(options), simulationOptions(options, 0));
    const template = simulationDocument(
      baseModel,
      plan.estimands
        .filter((e) => e.group !== PAIR_HEAT_CHECK) // the pair heat's check rows never reach the results
        .map((e) => ({ group: e.group, name: e.name, value: 0, error: 0, reliable: true })),
    );
    const steps = plan.replicas * (plan.nBurn + plan.nProduction) * plan.coordinates.length;
    const compute = (p: unknown, seed: number) => {
      const model = validateModel(p, base.source);
      // What `ness simulate` computes for the point (src/verify: a linear model starts in its exact stationary law and
      // its estimates carry the slowest-mode rule and their exact time-step biases), so the stored flags are its flags.
      const r = simulateAndVerifySync(model, scheme(options), simulationOptions(options, seed));
      return simulationDocument(model, r.estimates);
    };
    return {
      template,
      parameters,
      check: (p) => void validateModel(p, base.source),
      compute,
      ...fast(compute),
      relativeCost: Math.max(1, steps / 2000),
    };
  }
  throw new SweepError(`compute kind '${options.kind}' does not take a model base`, where);
}

export const exactAdapter: ComputeAdapter = { kind: "exact", prepare: prepareModel };
export const simulateAdapter: ComputeAdapter = { kind: "simulate", prepare: prepareModel };
