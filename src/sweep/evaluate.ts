/**
 * One point of a sweep, from plain data to a row: the adapter for the compute kind, the output columns (checked
 * against the adapter's template before any point runs), and evaluate(values) -> outcome. The same code runs in the
 * coordinator, in worker threads and in queue workers, so a point's result does not depend on where it ran.
 */
import { NessError, SweepError } from "../errors.js";
import type { ComputeAdapter, ComputeKind, PreparedCompute } from "./compute.js";
import { isMeasured } from "./compute.js";
import { exactAdapter, simulateAdapter } from "./modelCompute.js";
import { studyAdapter } from "./studyCompute.js";
import { pointKey, pointKeyOfCanonical } from "./key.js";
import { getPath, locate, parsePath, type Segment } from "./paths.js";
import type { SweepTask } from "./spec.js";

const ADAPTERS: Partial<Record<ComputeKind, ComputeAdapter>> = {
  exact: exactAdapter,
  simulate: simulateAdapter,
  study: studyAdapter,
};

/** The adapter of a compute kind. */
export function adapterFor(kind: ComputeKind, where: string): ComputeAdapter {
  const a = ADAPTERS[kind];
  if (!a) throw new SweepError(`unknown compute kind '${kind}' (exact, simulate or study)`, where);
  return a;
}

/** Whether a stochastic output's error bar is trusted at a point, and why not (the engine's note), if it says. */
export interface OutputFlag {
  reliable: boolean;
  note?: string;
}

export type PointOutcome =
  | {
      status: "done";
      outputs: Record<string, number>;
      /** Per stochastic output: its reliability flag (absent for a sweep without stochastic outputs). */
      flags?: Record<string, OutputFlag>;
    }
  | { status: "failed"; error: string };

export interface PreparedSweep {
  task: SweepTask;
  compute: PreparedCompute;
  /**
   * Output columns in order: each output, and `<output>.error` after a stochastic one. Known once the outputs are
   * resolved: at once for a model base, after the first computed point for a study base (see `resolved`).
   */
  readonly columns: string[];
  /** Whether the outputs were checked against a result shape (a study base: after its first computed point). */
  readonly resolved: boolean;
  /** The point's parameters (what its key hashes). */
  parameters(values: ArrayLike<number>): unknown;
  /** The point's key: pointKey(parameters(values), seed, compute options, version), by the adapter's fast path. */
  key(values: ArrayLike<number>): string;
  /**
   * Checks the model at each axis's smallest and largest value (the other axes at their first point's values), so an
   * axis that leaves the model's rules (a negative temperature) is refused before any point runs.
   */
  checkBounds(axes: { lo: number; hi: number; name: string }[], first: ArrayLike<number>): void;
  /**
   * Computes a point; a user-level failure (no steady state, a non-finite number) is an outcome, not a throw. A
   * promise for an adapter whose compute is asynchronous (a study), the outcome itself otherwise (no await per
   * point on the exact path). Throws SweepError when the first result lacks an output of the spec.
   */
  evaluate(values: ArrayLike<number>): PointOutcome | Promise<PointOutcome>;
}

export function prepareSweep(task: SweepTask, where = "sweep spec"): PreparedSweep {
  if ("study" in task.base && task.compute.kind !== "study")
    throw new SweepError(`a study base needs compute: {kind: study}`, where);
  if ("model" in task.base && task.compute.kind === "study")
    throw new SweepError("compute: kind study needs a study base (base: {study: NAME, parameters: ...})", where);
  const compute = adapterFor(task.compute.kind, where).prepare(
    task.base,
    task.axes.map((a) => a.path),
    task.compute,
    where,
  );
  type Output = { name: string; path: Segment[]; measured: boolean };
  const paths = task.outputs.map((o, k) => parsePath(o, `${where}: outputs[${k}]`));
  /** Checks the outputs against a result document (a template, or a study's first result). */
  const resolve = (doc: unknown): { outs: Output[]; columns: string[] } => {
    const outs = task.outputs.map((o, k): Output => {
      const at = locate(doc, paths[k]);
      if ("missing" in at) throw new SweepError(`outputs[${k}]: unknown output '${o}': ${at.missing}`, where);
      const v = at.container[at.key];
      if (typeof v === "number") return { name: o, path: paths[k], measured: false };
      if (isMeasured(v)) return { name: o, path: paths[k], measured: true };
      const what =
        v !== null && typeof v === "object"
          ? `${Array.isArray(v) ? "a list" : `a mapping with fields ${Object.keys(v).slice(0, 12).join(", ")}`}`
          : typeof v;
      throw new SweepError(`outputs[${k}]: '${o}' is not a number in the result (it is ${what})`, where);
    });
    const axisNames = new Set(task.axes.map((a) => a.name));
    const columns = outs.flatMap((o) => (o.measured ? [o.name, `${o.name}.error`] : [o.name]));
    for (const c of columns)
      if (axisNames.has(c))
        throw new SweepError(`outputs: '${c}' is also an axis name (rename the axis with name:)`, where);
    if (new Set(columns).size !== columns.length) throw new SweepError("outputs: an output is listed twice", where);
    return { outs, columns };
  };
  if (new Set(task.outputs).size !== task.outputs.length)
    throw new SweepError("outputs: an output is listed twice", where);
  let bound: { outs: Output[]; columns: string[] } | null =
    compute.template === undefined ? null : resolve(compute.template);
  const pick = (doc: unknown): PointOutcome => {
    bound ??= resolve(doc);
    const outputs: Record<string, number> = {};
    const flags: Record<string, OutputFlag> = {};
    for (const o of bound.outs) {
      const v = getPath(doc, o.path);
      const value = o.measured && isMeasured(v) ? v.value : v;
      if (typeof value !== "number" || !Number.isFinite(value))
        return { status: "failed", error: `output ${o.name} is not a finite number at this point` };
      outputs[o.name] = value;
      if (o.measured) {
        const error = isMeasured(v) ? v.error : NaN;
        if (!Number.isFinite(error))
          return {
            status: "failed",
            error: `the error bar of ${o.name} could not be computed at this point (too few batches?)`,
          };
        outputs[`${o.name}.error`] = error;
        flags[o.name] = outputFlag(v);
      }
    }
    return Object.keys(flags).length > 0 ? { status: "done", outputs, flags } : { status: "done", outputs };
  };
  const failure = (err: unknown): PointOutcome => {
    if (err instanceof SweepError) throw err;
    if (err instanceof NessError) return { status: "failed", error: err.message };
    throw err;
  };
  const evaluate = (values: ArrayLike<number>): PointOutcome | Promise<PointOutcome> => {
    try {
      const doc = compute.computeAt
        ? compute.computeAt(values, task.seed)
        : compute.compute(compute.parameters(values), task.seed);
      if (doc instanceof Promise) return doc.then(pick, failure);
      return pick(doc);
    } catch (err) {
      return failure(err);
    }
  };
  const checkBounds = (axes: { lo: number; hi: number; name: string }[], first: ArrayLike<number>) => {
    axes.forEach((a, k) => {
      for (const x of [a.lo, a.hi]) {
        const v = Array.from(first);
        v[k] = x;
        try {
          compute.check(compute.parameters(v));
        } catch (err) {
          if (err instanceof SweepError) throw err;
          if (err instanceof NessError) throw new SweepError(`axes[${k}] (${a.name}) at ${x}: ${err.message}`, where);
          throw err;
        }
      }
    });
  };
  return {
    task,
    compute,
    get columns() {
      if (!bound) throw new SweepError("internal: the outputs of a study base are known after its first point", where);
      return bound.columns;
    },
    get resolved() {
      return bound !== null;
    },
    parameters: (v) => compute.parameters(v),
    key: compute.canonical
      ? (v) => pointKeyOfCanonical(compute.canonical!(v), task.seed, task.compute)
      : (v) => pointKey(compute.parameters(v), task.seed, task.compute),
    checkBounds,
    evaluate,
  };
}

/**
 * The flag of a stochastic value: reliable only when it says so and its error bar is finite (a value that does not
 * carry the flag, as a study's result might, is not reliable); its note, when it has one.
 */
function outputFlag(v: unknown): OutputFlag {
  const r = v as { error?: unknown; reliable?: unknown; note?: unknown };
  const reliable = r.reliable === true && typeof r.error === "number" && Number.isFinite(r.error);
  const note =
    typeof r.note === "string" && r.note !== ""
      ? r.note
      : reliable
        ? undefined
        : r.reliable === undefined
          ? "the result does not say whether this error bar is reliable"
          : undefined;
  return note === undefined ? { reliable } : { reliable, note };
}
