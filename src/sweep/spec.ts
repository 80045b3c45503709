/**
 * The sweep spec (YAML or JSON): a base, axes, how they combine, what to compute and which outputs to keep.
 * Validated with zod into messages that name the field; `sweepJsonSchema()` is shipped as schema/sweep.schema.json.
 *
 * ```yaml
 * base: {model: chain.yaml}              # a model file (relative to the spec) or the model inline
 * axes:
 *   - {path: baths[0].temperature, range: "10:100:10"}
 *   - {path: springs[1-2].stiffness, log: "0.1:10:5"}
 *   - {path: pinning, values: [0.5, 1, 2]}
 * combine: product                       # product (default), zip, or latin (with samples)
 * compute: {kind: exact}                 # or {kind: simulate, time: 100, dt: 0.01, replicas: 8}
 * outputs: [springs[2-3].flux, baths[0].flux, entropyProduction]
 * seed: 1
 * ```
 * Browser-safe: reading a model file named by the spec is the caller's (a `readModel` callback).
 */
import { z } from "zod";
import { SweepError } from "../errors.js";
import { parseModelText } from "../model/modelText.js";
import { formatZodError } from "../model/raw.js";
import { MAX_POINTS, parseRange, pointCount, type Axis, type Combine } from "./axes.js";
import type { Base, ComputeOptions } from "./compute.js";
import { parsePath } from "./paths.js";

const axisSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe("field path of a number in the base, e.g. baths[0].temperature or springs[1-2].stiffness"),
  name: z.string().min(1).optional().describe("column name in the results (default: the path)"),
  range: z.string().optional().describe("start:stop:count, evenly spaced, both ends included (latin: start:stop)"),
  log: z.string().optional().describe("start:stop:count, evenly spaced in log (0 < start, stop)"),
  values: z.array(z.number()).optional().describe("the values, as a list"),
});

export const sweepSchema = z.strictObject({
  base: z
    .union([
      z.strictObject({
        model: z
          .union([z.string().min(1), z.record(z.string(), z.unknown())])
          .describe("a model file (path relative to the spec) or a model written inline"),
      }),
      z.strictObject({
        study: z.string().min(1).describe("a study name"),
        parameters: z.record(z.string(), z.unknown()).default({}),
      }),
    ])
    .describe("what is swept: a model, or a study with its parameters"),
  axes: z.array(axisSchema).min(1).describe("the swept fields and their values"),
  combine: z
    .enum(["product", "zip", "latin"])
    .default("product")
    .describe(
      "product: every combination; zip: entry by entry (axes of equal length); latin: a Latin hypercube of `samples` points",
    ),
  samples: z.number().int().min(1).optional().describe("latin: the number of points"),
  compute: z.strictObject({
    kind: z
      .enum(["exact", "simulate", "study"])
      .describe("exact steady state, simulation with replicas, or the study's compute"),
    time: z.number().positive().optional().describe("simulate: production time per replica"),
    dt: z.number().positive().optional().describe("simulate: time step"),
    replicas: z.number().int().min(1).optional().describe("simulate: independent replicas per point (default 1)"),
    burnIn: z.number().min(0).optional().describe("simulate: burn-in time per replica (default 10% of time)"),
    scheme: z.enum(["baoab", "euler-maruyama", "heun", "exact"]).optional().describe("simulate: integrator"),
    batches: z.number().int().min(1).optional().describe("simulate: batches per replica for the error bars"),
  }),
  outputs: z
    .array(z.string().min(1))
    .min(1)
    .describe("field paths of the result to keep, e.g. springs[1-2].flux, entropyProduction"),
  seed: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .describe("random seed: of every point's simulation (the same at every point) and of the Latin hypercube"),
});

export type SweepInput = z.input<typeof sweepSchema>;

/** A validated sweep: plain data (it crosses to worker threads and to queue workers as is). */
export interface SweepTask {
  base: Base;
  axes: { path: string; name: string }[];
  compute: ComputeOptions;
  outputs: string[];
  seed: number;
}

export interface SweepSpec extends SweepTask {
  source: string;
  /** The axes with their values and bounds. */
  axisValues: Axis[];
  combine: Combine;
  samples?: number;
  /** Number of points. */
  count: number;
  /** The spec as given (for the store's and the exports' metadata). */
  raw: unknown;
}

/** Reads a model file named by the spec: its parsed data and a name for messages. */
export type ReadModel = (path: string) => { data: unknown; source: string };

/** Validates a parsed spec; `readModel` resolves `base.model: file` (omit it to allow inline models only). */
export function validateSweepSpec(raw: unknown, source = "sweep spec", readModel?: ReadModel): SweepSpec {
  const parsed = sweepSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new SweepError(formatZodError(parsed.error), source);
  const s = parsed.data;
  const axes: Axis[] = s.axes.map((a, k) => {
    const where = `axes[${k}]`;
    const forms = (["range", "log", "values"] as const).filter((f) => a[f] !== undefined);
    if (forms.length !== 1)
      throw new SweepError(
        `${where}: give exactly one of range, log, values${forms.length > 1 ? ` (got ${forms.join(", ")})` : ""}`,
        source,
      );
    parsePath(a.path, `${source}: ${where}.path`);
    const name = a.name ?? a.path;
    if (a.values !== undefined) {
      if (a.values.length === 0)
        throw new SweepError(`${where}.values: the axis is empty (give at least one value)`, source);
      if (a.values.some((v) => !Number.isFinite(v)))
        throw new SweepError(`${where}.values: every value must be a finite number`, source);
      return { path: a.path, name, values: a.values, lo: Math.min(...a.values), hi: Math.max(...a.values), log: false };
    }
    const log = a.log !== undefined;
    let r: ReturnType<typeof parseRange>;
    try {
      r = parseRange((a.log ?? a.range)!, `${where}.${log ? "log" : "range"}`, log, s.combine !== "latin");
    } catch (err) {
      throw new SweepError((err as Error).message, source);
    }
    return { path: a.path, name, values: r.values, lo: r.lo, hi: r.hi, log };
  });
  const names = new Set<string>();
  for (const a of axes) {
    if (names.has(a.name))
      throw new SweepError(`axes: two axes are named '${a.name}' (give one a different name)`, source);
    names.add(a.name);
  }
  if (s.combine === "latin" && s.samples === undefined)
    throw new SweepError("samples: combine: latin needs samples (the number of points)", source);
  if (s.combine !== "latin" && s.samples !== undefined)
    throw new SweepError(`samples: only for combine: latin (this sweep combines by ${s.combine})`, source);
  if (s.combine === "zip" && axes.some((a) => a.values.length !== axes[0].values.length)) {
    throw new SweepError(
      `combine: zip needs axes of equal length, got ${axes.map((a) => a.values.length).join(", ")} values`,
      source,
    );
  }
  const count = pointCount(axes, s.combine, s.samples);
  if (count > MAX_POINTS)
    throw new SweepError(`the sweep has ${count} points, above the limit of ${MAX_POINTS}`, source);
  const c = s.compute;
  if (c.kind === "simulate" && (c.time === undefined || c.dt === undefined))
    throw new SweepError("compute: kind simulate needs time and dt", source);
  if (c.kind !== "simulate") {
    const extra = (["time", "dt", "replicas", "burnIn", "scheme", "batches"] as const).filter(
      (f) => c[f] !== undefined,
    );
    if (extra.length > 0) throw new SweepError(`compute: ${extra.join(", ")} only for kind simulate`, source);
  }
  for (const [k, o] of s.outputs.entries()) parsePath(o, `${source}: outputs[${k}]`);
  let base: Base;
  if ("model" in s.base) {
    if (typeof s.base.model === "string") {
      if (!readModel)
        throw new SweepError("base.model: a model file cannot be read here (write the model inline)", source);
      const m = readModel(s.base.model);
      base = { model: m.data, source: m.source };
    } else base = { model: s.base.model, source: `${source}: base.model` };
  } else base = { study: s.base.study, parameters: s.base.parameters };
  const compute: ComputeOptions = Object.fromEntries(
    Object.entries(c).filter(([, v]) => v !== undefined),
  ) as unknown as ComputeOptions;
  return {
    source,
    base,
    axes: axes.map((a) => ({ path: a.path, name: a.name })),
    compute,
    outputs: s.outputs,
    seed: s.seed,
    axisValues: axes,
    combine: s.combine,
    samples: s.samples,
    count,
    raw,
  };
}

/** Parses and validates spec text (YAML or JSON). */
export function parseSweepSpec(text: string, source = "sweep spec", readModel?: ReadModel): SweepSpec {
  let raw: unknown;
  try {
    raw = parseModelText(text, source);
  } catch (err) {
    throw new SweepError((err as Error).message);
  }
  return validateSweepSpec(raw, source, readModel);
}

/** JSON Schema of the spec (schema/sweep.schema.json). */
export function sweepJsonSchema(): object {
  return {
    title: "ness sweep spec",
    description:
      "A parameter sweep: a base (model or study), axes, how they combine, what to compute, which outputs to keep.",
    ...(z.toJSONSchema(sweepSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>),
  };
}
