/**
 * Study bases: `base: {study: NAME, parameters: {...}}` with `compute: {kind: study}`. The axes name parameters of
 * the study (its zod schema, src/studies/contract.ts); a point's parameters are the base parameters with the axis
 * values set, validated by the study's own rules (one message naming the parameter and its range); its result
 * document is the study's JSON results (typed arrays as lists), from which outputs are picked by field path
 * (`covariance.sigma11`, `estimates.flux`: a Measured keeps its value and its error bar).
 *
 * A study declares no result shape, so the outputs are checked against the first result computed (the sweep command
 * computes one point before it writes anything): an output the results do not have is a SweepError naming it.
 * Browser-safe.
 */
import { ModelError, NessError, SweepError } from "../errors.js";
import type { Study } from "../studies/contract.js";
import { fieldsOf, validateParameters } from "../studies/schema.js";
import type { Base, ComputeAdapter, ComputeOptions, PreparedCompute } from "./compute.js";
import { parsePath } from "./paths.js";

/** The study's results as plain JSON: typed arrays as lists, undefined fields left out, numbers unchanged. */
export function plainResults(results: unknown): unknown {
  const text = JSON.stringify(results, (_k, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
  return text === undefined ? null : JSON.parse(text);
}

/**
 * The studies a sweep base may name. The catalog is not imported here: it brings every study and the figure stack,
 * which a sweep of a model file (and `ness worker`) must not load. The library's sweep entry (src/sweep/index.ts)
 * provides it; the CLI and the workers call loadStudies() when a spec has a study base.
 */
let catalog: readonly Study[] | undefined;

/** Makes these studies the ones a sweep base may name. */
export function provideStudies(studies: readonly Study[]): void {
  catalog = studies;
}

/** Loads the study catalog (once) if `base` names a study. */
export async function loadStudies(base: object): Promise<void> {
  if ("study" in base && catalog === undefined) provideStudies((await import("../studies/catalog.js")).STUDIES);
}

/** The study of a base, or a SweepError listing the studies. */
export function studyOf(name: string, where: string): Study {
  if (catalog === undefined) throw new SweepError("internal: the study catalog was not loaded (loadStudies)", where);
  const study = catalog.find((s) => s.name === name);
  if (!study)
    throw new SweepError(
      `base.study: unknown study '${name}' (one of: ${catalog.map((s) => s.name).join(", ")})`,
      where,
    );
  return study;
}

/** Study parameters as given at one point (what its key hashes, with the study's name). */
export interface StudyPoint {
  study: string;
  parameters: Record<string, unknown>;
}

/** The parameter an axis path names (its first segment). */
function keyOf(path: string, where: string): string {
  const first = parsePath(path, where)[0];
  return "key" in first ? first.key : first.select;
}

function prepareStudy(base: Base, axisPaths: string[], options: ComputeOptions, where: string): PreparedCompute {
  if (!("study" in base)) throw new SweepError("internal: the study adapter was given a model base", where);
  if (options.kind !== "study") throw new SweepError(`a study base needs compute: {kind: study}`, where);
  const study = studyOf(base.study, where);
  const fields = new Map(fieldsOf(study.parameters).map((f) => [f.key, f]));
  const names = [...fields.keys()].join(", ");
  const keys = axisPaths.map((p, k) => {
    const segments = parsePath(p, `${where}: axes[${k}].path`);
    const first = segments[0];
    const key = "key" in first ? first.key : first.select;
    const field = fields.get(key);
    if (segments.length !== 1 || !field)
      throw new SweepError(
        `axes[${k}].path: unknown parameter '${p}' of study ${study.name} (parameters are ${names})`,
        where,
      );
    if (field.kind !== "number")
      throw new SweepError(
        `axes[${k}].path: parameter '${key}' of study ${study.name} is not a number (it is a ${field.kind === "choice" ? `choice of ${field.choices!.join(", ")}` : field.kind})`,
        where,
      );
    const same = axisPaths.findIndex((q, j) => j < k && keyOf(q, where) === key);
    if (same >= 0)
      throw new SweepError(
        `axes[${k}].path: '${p}' is the same parameter as axes[${same}].path '${axisPaths[same]}' (one axis per parameter)`,
        where,
      );
    return key;
  });
  const validate = (raw: Record<string, unknown>) => validateParameters(study, raw).parameters;
  // The base parameters on their own (the axes' fields at their first values are checked by checkBounds).
  try {
    const probe = { ...base.parameters };
    for (const k of keys) delete probe[k];
    for (const k of Object.keys(probe))
      if (!fields.has(k))
        throw new ModelError(`unknown parameter '${k}' of study ${study.name} (parameters are ${names})`);
  } catch (err) {
    if (err instanceof NessError) throw new SweepError(`base.parameters: ${err.message}`, where);
    throw err;
  }
  const parameters = (values: ArrayLike<number>): StudyPoint => {
    const p: Record<string, unknown> = { ...base.parameters };
    for (let k = 0; k < keys.length; k++) p[keys[k]] = values[k];
    return { study: study.name, parameters: p };
  };
  return {
    template: undefined,
    parameters,
    check: (p) => {
      try {
        validate((p as StudyPoint).parameters);
      } catch (err) {
        // A message about a parameter that is not swept is the base's fault, not the axis's.
        if (err instanceof NessError && !keys.some((k) => err.message.startsWith(`${k} `)))
          throw new SweepError(`base.parameters: ${err.message}`, where);
        throw err;
      }
    },
    compute: async (p, seed) =>
      plainResults(await study.compute(validate((p as StudyPoint).parameters), { seed, quick: false })),
    // Unknown until the first point is timed; a study point is worth a few exact solves at least.
    relativeCost: 64,
  };
}

export const studyAdapter: ComputeAdapter = { kind: "study", prepare: prepareStudy };
