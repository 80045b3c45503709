/**
 * Parameters of a study as data: builders for the fields of a study's zod schema (a number with its unit and range,
 * an integer, a choice, a switch), the introspection the CLI and the documentation are generated from (fieldsOf),
 * the validation shared by the CLI and library callers (one ModelError naming the parameter, or its flag, and its
 * range), alternative parameter groups, and sweeps (a range start:stop:count[:log] for one parameter).
 * Browser-safe.
 */
import { z } from "zod";
import { ModelError } from "../errors.js";
import { exp, log } from "../special/elementary.js";
import { doubleRangeFault } from "../model/options.js";
import type { ParameterGroup, Study, SweepRange } from "./contract.js";
import { describeRange, inRange, type ParameterRange } from "./ranges.js";

/** Most values of one sweep (a sweep keeps a few numbers per point: hundreds of MB at most). */
export const MAX_SWEEP_POINTS = 5_000_000;

interface FieldOptions {
  /** What the parameter is, with its convention (the --help text). */
  describe: string;
  /** Unit, "1" for a pure number. */
  unit: string;
  flag?: string;
  defaultText?: string;
  valueName?: string;
  section?: string;
}

interface NumberOptions extends FieldOptions {
  range: ParameterRange;
  /** The range as --help states it, when the schema's range is wider than the study checks (see FieldInfo). */
  rangeText?: string;
}

const inRangeCheck = (range: ParameterRange) => (x: number) => inRange(x, range);
const rangeMessage = (range: ParameterRange) => ({ message: `must be ${describeRange(range)}` });

function numberSchema(o: NumberOptions) {
  return z.number().refine(inRangeCheck(o.range), rangeMessage(o.range));
}

function meta(o: FieldOptions & { range?: ParameterRange; rangeText?: string; sweep?: boolean }) {
  const m: z.GlobalMeta = { unit: o.unit };
  if (o.range) m.range = o.range;
  if (o.rangeText) m.rangeText = o.rangeText;
  if (o.flag) m.flag = o.flag;
  if (o.sweep) m.sweep = true;
  if (o.defaultText) m.defaultText = o.defaultText;
  if (o.valueName) m.valueName = o.valueName;
  if (o.section) m.section = o.section;
  return m;
}

/** A number (integer if its range says so) with a default. */
export function quantity(o: NumberOptions & { default: number }): z.ZodDefault<z.ZodNumber>;
/** A number without a default (optional, or required where a group or the study says so). */
export function quantity(o: NumberOptions & { default?: undefined }): z.ZodOptional<z.ZodNumber>;
export function quantity(
  o: NumberOptions & { default?: number },
): z.ZodDefault<z.ZodNumber> | z.ZodOptional<z.ZodNumber> {
  const base = numberSchema(o);
  const field = o.default === undefined ? base.optional() : base.default(o.default);
  return field.describe(o.describe).meta(meta(o));
}

const sweepRangeSchema = z.object({
  start: z.number(),
  stop: z.number(),
  count: z.number().int().min(2).max(MAX_SWEEP_POINTS),
  spacing: z.enum(["linear", "log"]),
});

/** A number that may also be a sweep (SweepRange) in one run. */
export function sweepable(
  o: NumberOptions & { default: number },
): z.ZodDefault<z.ZodUnion<[z.ZodNumber, typeof sweepRangeSchema]>>;
export function sweepable(
  o: NumberOptions & { default?: undefined },
): z.ZodOptional<z.ZodUnion<[z.ZodNumber, typeof sweepRangeSchema]>>;
export function sweepable(o: NumberOptions & { default?: number }) {
  const base = z.union([numberSchema(o), sweepRangeSchema]);
  const field = o.default === undefined ? base.optional() : base.default(o.default);
  return field.describe(o.describe).meta(meta({ ...o, sweep: true }));
}

/** A switch (absent: false). */
export function toggle(o: Omit<FieldOptions, "unit" | "valueName"> & { unit?: string }): z.ZodDefault<z.ZodBoolean> {
  return z
    .boolean()
    .default(false)
    .describe(o.describe)
    .meta(meta({ ...o, unit: o.unit ?? "" }));
}

/** One of a few names, with a default. */
export function choice<T extends readonly [string, ...string[]]>(
  values: T,
  o: Omit<FieldOptions, "unit"> & { unit?: string; default: T[number] },
): z.ZodDefault<z.ZodEnum<{ [K in T[number]]: K }>>;
/** One of a few names, required (or optional where `optional` says so). */
export function choice<T extends readonly [string, ...string[]]>(
  values: T,
  o: Omit<FieldOptions, "unit"> & { unit?: string; default?: undefined; optional?: false },
): z.ZodEnum<{ [K in T[number]]: K }>;
export function choice<T extends readonly [string, ...string[]]>(
  values: T,
  o: Omit<FieldOptions, "unit"> & { unit?: string; default?: undefined; optional: true },
): z.ZodOptional<z.ZodEnum<{ [K in T[number]]: K }>>;
export function choice<T extends readonly [string, ...string[]]>(
  values: T,
  o: Omit<FieldOptions, "unit"> & { unit?: string; default?: T[number]; optional?: boolean },
) {
  const base = z.enum(values as unknown as [string, ...string[]]);
  const field = o.default !== undefined ? base.default(o.default) : o.optional ? base.optional() : base;
  return field.describe(o.describe).meta(meta({ ...o, unit: o.unit ?? "", valueName: o.valueName ?? "name" }));
}

/** Free text (optional), parsed by the study (e.g. a list of measured values). */
export function text(o: Omit<FieldOptions, "unit"> & { unit?: string }): z.ZodOptional<z.ZodString> {
  return z
    .string()
    .optional()
    .describe(o.describe)
    .meta(meta({ ...o, unit: o.unit ?? "" }));
}

// -----------------------------------------------------------------------------------------------------------------
// Introspection.

export type FieldKind = "number" | "boolean" | "choice" | "text";

/** One parameter of a study as the CLI and the documentation see it. */
export interface FieldInfo {
  key: string;
  /** Flag without dashes: meta.flag, else the key in kebab case (burnIn -> burn-in). */
  flag: string;
  description: string;
  kind: FieldKind;
  unit: string;
  range?: ParameterRange;
  /** The range in words for --help, when the study checks more than `range` (e.g. > 0 except for one model). */
  rangeText?: string;
  sweep: boolean;
  choices?: readonly string[];
  /** The schema's default (undefined: none). */
  default?: unknown;
  /** Neither a default nor optional: the run needs it. */
  required: boolean;
  defaultText?: string;
  valueName: string;
  section?: string;
}

/** camelCase -> kebab-case: burnIn -> burn-in, nMin -> n-min. */
export function kebab(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

type AnyZod = z.ZodType & { def: { type: string; innerType?: AnyZod; defaultValue?: unknown; options?: unknown[] } };

/** The fields of a study's parameter schema, in declaration order. */
export function fieldsOf(schema: z.ZodObject): FieldInfo[] {
  return Object.entries(schema.shape).map(([key, raw]) => {
    const outer = raw as unknown as AnyZod;
    const m = (outer.meta() ?? {}) as z.GlobalMeta;
    let inner = outer;
    let def: unknown;
    let optional = false;
    for (;;) {
      if (inner.def.type === "default") {
        def = (inner as unknown as z.ZodDefault<z.ZodType>).def.defaultValue;
        inner = inner.def.innerType!;
      } else if (inner.def.type === "optional") {
        optional = true;
        inner = inner.def.innerType!;
      } else break;
    }
    const type = inner.def.type;
    const kind: FieldKind =
      type === "number" || type === "union"
        ? "number"
        : type === "boolean"
          ? "boolean"
          : type === "enum"
            ? "choice"
            : "text";
    return {
      key,
      flag: m.flag ?? kebab(key),
      description: outer.description ?? "",
      kind,
      unit: m.unit ?? "",
      range: m.range,
      rangeText: m.rangeText,
      sweep: m.sweep === true,
      choices: kind === "choice" ? ((inner as unknown as z.ZodEnum).options as string[]) : undefined,
      default: def,
      required: def === undefined && !optional,
      defaultText: m.defaultText,
      valueName: m.valueName ?? (m.range?.integer ? "n" : "value"),
      section: m.section,
    };
  });
}

/** The ranges of a schema's numeric fields, by key (for library validators that check one value at a time). */
export function rangesOf<K extends string>(
  schema: z.ZodObject,
  keys: readonly K[],
): Readonly<Record<K, ParameterRange>> {
  const byKey = new Map(fieldsOf(schema).map((f) => [f.key, f.range]));
  const out = {} as Record<K, ParameterRange>;
  for (const k of keys) {
    const r = byKey.get(k);
    if (!r) throw new Error(`rangesOf: the schema has no numeric field '${k}' with a range`);
    out[k] = r;
  }
  return Object.freeze(out);
}

/** The schema's defaults of the given keys. */
export function defaultsOf<K extends string>(schema: z.ZodObject, keys: readonly K[]): Readonly<Record<K, number>> {
  const byKey = new Map(fieldsOf(schema).map((f) => [f.key, f.default]));
  const out = {} as Record<K, number>;
  for (const k of keys) {
    const d = byKey.get(k);
    if (typeof d !== "number") throw new Error(`defaultsOf: the schema has no numeric default for '${k}'`);
    out[k] = d;
  }
  return Object.freeze(out);
}

// -----------------------------------------------------------------------------------------------------------------
// Values from text (the command line) and sweeps.

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A finite decimal number from text, or a ModelError "`name` must be a number, got 'x'" (or saying that it overflows,
 * or underflows to 0).
 */
export function parseNumber(textValue: string, name: string): number {
  const s = textValue.trim();
  const x = Number(s);
  if (s === "" || !DECIMAL.test(s)) throw new ModelError(`${name} must be a number, got '${textValue}'`);
  const fault = doubleRangeFault(s, x);
  if (fault !== undefined) throw new ModelError(`${name}: ${fault}`);
  return x;
}

/**
 * A number, or (for a sweepable parameter) a range "start:stop:count" or "start:stop:count:log". ModelError naming
 * `name` for anything else (count < 2 or above MAX_SWEEP_POINTS, start = stop, log spacing with an end <= 0).
 */
export function parseSweep(textValue: string, name: string): number | SweepRange {
  const parts = textValue.split(":");
  if (parts.length === 1) return parseNumber(textValue, name);
  if (parts.length !== 3 && parts.length !== 4) {
    throw new ModelError(`${name}: '${textValue}' is neither a number nor a range start:stop:count[:log]`);
  }
  const start = parseNumber(parts[0], `${name} (range start)`);
  const stop = parseNumber(parts[1], `${name} (range stop)`);
  const count = Number(parts[2].trim());
  if (parts[2].trim() === "" || !Number.isInteger(count) || count < 2) {
    throw new ModelError(`${name}: a range needs an integer count >= 2, got '${parts[2]}' in '${textValue}'`);
  }
  if (count > MAX_SWEEP_POINTS) {
    throw new ModelError(
      `${name}: a range has at most ${MAX_SWEEP_POINTS} points, got ${count} in '${textValue}' (sweep in pieces)`,
    );
  }
  if (start === stop) throw new ModelError(`${name}: the range '${textValue}' starts and stops at the same value`);
  let spacing: SweepRange["spacing"] = "linear";
  if (parts.length === 4) {
    const s = parts[3].trim().toLowerCase();
    if (s !== "log" && s !== "lin" && s !== "linear")
      throw new ModelError(`${name}: unknown spacing '${parts[3]}' in '${textValue}' (use log or lin)`);
    spacing = s === "log" ? "log" : "linear";
    if (spacing === "log" && !(start > 0 && stop > 0))
      throw new ModelError(`${name}: a log range needs positive start and stop, got '${textValue}'`);
  }
  return { start, stop, count, spacing };
}

/** True for a sweep (a SweepRange rather than a number). */
export function isSweep(x: unknown): x is SweepRange {
  return typeof x === "object" && x !== null && "count" in x && "start" in x && "stop" in x;
}

/** The values of a sweep (end points exact). */
export function sweepValues(r: SweepRange): Float64Array {
  const out = new Float64Array(r.count);
  const last = r.count - 1;
  if (r.spacing === "log") {
    // The portable exp/log: the same points in Node and in a browser.
    const a = log(r.start),
      b = log(r.stop);
    for (let i = 0; i <= last; i++) out[i] = exp(a + ((b - a) * i) / last);
  } else {
    for (let i = 0; i <= last; i++) out[i] = r.start + ((r.stop - r.start) * i) / last;
  }
  out[0] = r.start;
  out[last] = r.stop;
  return out;
}

/** The text of a sweep as given on the command line. */
export function sweepText(r: SweepRange): string {
  return `${r.start}:${r.stop}:${r.count}${r.spacing === "log" ? ":log" : ""}`;
}

/** Parses a command-line value of a field (a number, a range, a name or text); ModelError naming `name`. */
export function parseFieldValue(f: FieldInfo, value: string | boolean, name: string): unknown {
  if (f.kind === "boolean") return value === true || value === "true";
  if (typeof value !== "string") throw new ModelError(`${name} needs a value`);
  if (f.kind === "number") return f.sweep ? parseSweep(value, name) : parseNumber(value, name);
  return value;
}

// -----------------------------------------------------------------------------------------------------------------
// Validation.

function show(v: unknown): string {
  if (typeof v === "number") {
    const a = Math.abs(v);
    return a !== 0 && Number.isFinite(v) && (a >= 1e6 || a < 1e-4) ? v.toExponential() : String(v);
  }
  if (typeof v === "string") return `'${v}'`;
  return JSON.stringify(v) ?? String(v);
}

function rangeError(name: string, value: unknown, range: ParameterRange, where = "", text?: string): ModelError {
  const why = range.why ? ` (${range.why})` : "";
  return new ModelError(`${name}${where} must be ${text ?? describeRange(range)}, got ${show(value)}${why}`);
}

/** Which group of alternative parameters the given keys select; ModelError on a mix. */
function resolveGroup(groups: ParameterGroup[], given: string[], name: (key: string) => string): ParameterGroup {
  const owners = (key: string) => groups.filter((g) => g.keys.includes(key));
  const exclusive = (g: ParameterGroup) => given.filter((k) => owners(k).length === 1 && owners(k)[0] === g);
  const named = groups.filter((g) => exclusive(g).length > 0);
  // The default group's own keys do not select it over another: they are refused below with a hint.
  const selecting = named.filter((g) => g !== groups[0]);
  if (selecting.length > 1) {
    const [a, b] = selecting;
    throw new ModelError(
      `mixed ${a.name} (${exclusive(a).map(name).join(", ")}) and ${b.name} (${exclusive(b).map(name).join(", ")}) parameters: give one set`,
    );
  }
  const chosen = selecting[0] ?? groups[0];
  const foreign = given.filter((k) => owners(k).length > 0 && !chosen.keys.includes(k));
  if (foreign.length > 0) {
    const owner = owners(foreign[0])[0];
    const what =
      foreign.length === 1
        ? `${name(foreign[0])} is a ${owner.name} parameter`
        : `${foreign.map(name).join(", ")} are ${owner.name} parameters`;
    const own = chosen.keys.filter((k) => owners(k).length === 1);
    throw new ModelError(
      `${what}; with ${chosen.name} parameters give ${(own.length > 0 ? own : chosen.keys).map(name).join(", ")} instead`,
    );
  }
  return chosen;
}

/**
 * Validates the parameters given to a study (`raw`: only what was given; undefined counts as absent) and returns
 * the complete set (the schema's and the group's defaults filled in) with the group used. Every error is one
 * ModelError naming the parameter as `name(key)` (a flag "--k" on the command line, the key for library callers):
 * an unknown parameter, a value of the wrong kind, a number outside its range (with the range), a sweep value
 * outside it (with its index), more than one sweep, a missing required parameter, mixed groups.
 */
export function validateParameters<S extends z.ZodObject>(
  study: Pick<Study<S>, "parameters" | "groups" | "check">,
  raw: Record<string, unknown>,
  name: (key: string) => string = (key) => key,
): { parameters: z.output<S>; group?: string } {
  const fields = fieldsOf(study.parameters);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(raw)) {
    if (raw[key] !== undefined && !byKey.has(key)) {
      throw new ModelError(`unknown parameter '${key}' (parameters are ${fields.map((f) => f.key).join(", ")})`);
    }
  }
  const given = fields.filter((f) => raw[f.key] !== undefined).map((f) => f.key);
  const values: Record<string, unknown> = {};
  for (const key of given) values[key] = raw[key];
  let group: ParameterGroup | undefined;
  if (study.groups && study.groups.length > 0) {
    group = resolveGroup(study.groups, given, name);
    const exempt = (k: string) => group!.unlessGiven?.[k] !== undefined && values[group!.unlessGiven[k]] !== undefined;
    const missing = (group.required ?? []).filter((k) => values[k] === undefined && !exempt(k));
    if (missing.length > 0)
      throw new ModelError(`${group.name} parameters need ${missing.map(name).join(", ")} as well`);
    for (const [k, v] of Object.entries(group.defaults ?? {})) if (values[k] === undefined) values[k] = v;
  }
  const swept: string[] = [];
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined) {
      const inAGroup = study.groups?.some((g) => g.keys.includes(f.key)) ?? false;
      if (f.required && !inAGroup) {
        throw new ModelError(`${name(f.key)} is required${f.choices ? ` (one of: ${f.choices.join(", ")})` : ""}`);
      }
      continue;
    }
    switch (f.kind) {
      case "number": {
        if (isSweep(v)) {
          if (!f.sweep) throw new ModelError(`${name(f.key)} takes one value, not a range`);
          swept.push(f.key);
          if (f.range) {
            const xs = sweepValues(v);
            for (let i = 0; i < xs.length; i++) {
              if (!inRange(xs[i], f.range))
                throw rangeError(
                  name(f.key),
                  xs[i],
                  f.range,
                  ` value #${i + 1} of the sweep ${sweepText(v)}`,
                  f.rangeText,
                );
            }
          }
          break;
        }
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new ModelError(
            `${name(f.key)} must be ${f.range ? describeRange(f.range) : "a finite number"}, got ${show(v)}`,
          );
        }
        if (f.range && !inRange(v, f.range)) throw rangeError(name(f.key), v, f.range, "", f.rangeText);
        break;
      }
      case "boolean":
        if (typeof v !== "boolean") throw new ModelError(`${name(f.key)} must be true or false, got ${show(v)}`);
        break;
      case "choice":
        if (typeof v !== "string" || !f.choices!.includes(v))
          throw new ModelError(`${name(f.key)} must be one of ${f.choices!.join(", ")}, got ${show(v)}`);
        break;
      case "text":
        if (typeof v !== "string") throw new ModelError(`${name(f.key)} must be text, got ${show(v)}`);
        break;
    }
  }
  if (swept.length > 1) throw new ModelError(`only one parameter can be a range: got ${swept.map(name).join(" and ")}`);
  const parsed = study.parameters.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? "");
    throw new ModelError(`${key ? name(key) : "the parameters"}: ${issue.message}`);
  }
  study.check?.(parsed.data as z.output<S>, name);
  return { parameters: parsed.data as z.output<S>, group: group?.name };
}

/** The swept field of validated parameters, if any: its key, values and spacing. */
export function sweptField(
  parameters: Record<string, unknown>,
): { key: string; range: SweepRange; values: Float64Array } | undefined {
  for (const [key, v] of Object.entries(parameters)) if (isSweep(v)) return { key, range: v, values: sweepValues(v) };
  return undefined;
}

/** The descriptions of the given keys (for messages of library validators). */
export function descriptionsOf<K extends string>(schema: z.ZodObject, keys: readonly K[]): Readonly<Record<K, string>> {
  const byKey = new Map(fieldsOf(schema).map((f) => [f.key, f.description]));
  return Object.freeze(Object.fromEntries(keys.map((k) => [k, byKey.get(k) ?? k])) as Record<K, string>);
}
