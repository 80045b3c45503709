/**
 * The vocabulary of parameter domains: a range (bounds, integer or not, whether exactly 0 is also allowed), its
 * description and one check that names the parameter and its allowed range in a ModelError. Each study declares
 * its parameters' ranges in its schema (`.meta({ range })`, src/studies/schema.ts): where its physics is defined and
 * its numbers are computed without overflow or loss of precision; the documentation (docs/studies/*.md) and
 * `--help` show them. Browser-safe.
 */
import { ModelError } from "../errors.js";

export interface ParameterRange {
  /** Smallest allowed value (inclusive, unless `exclusiveMin`). */
  min: number;
  /** Largest allowed value (inclusive). */
  max: number;
  /** The minimum itself is not allowed (e.g. a temperature > 0). */
  exclusiveMin?: boolean;
  /** The maximum itself is not allowed (e.g. a fraction < 1). */
  exclusiveMax?: boolean;
  /** Only integers. */
  integer?: boolean;
  /** Exactly 0 is allowed as well, below `min` (e.g. a bath at T = 0, or an absent coupling). */
  zero?: boolean;
  /** The range bounds the absolute value (a signed parameter that may not be 0, e.g. a coupling amplitude). */
  absolute?: boolean;
  /** Why the range is what it is (appended to the message), e.g. "beyond it the variances overflow". */
  why?: string;
}

/** Shortest readable form of a bound: 1e-100, 0.001, 1000000 -> 1e6. */
function bound(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(x);
  const e = Math.floor(Math.log10(a));
  const m = x / 10 ** e;
  return Math.abs(Math.abs(m) - 1) < 1e-12 ? `${x < 0 ? "-" : ""}1e${e}` : x.toExponential();
}

/** "an integer in [2, 1000]", "0 or a number in [1e-100, 1e100]", "a number in (0, 1)", "a number of absolute value in [1, 2]". */
export function describeRange(r: ParameterRange): string {
  const interval = `${r.exclusiveMin ? "(" : "["}${bound(r.min)}, ${bound(r.max)}${r.exclusiveMax ? ")" : "]"}`;
  const kind = r.integer ? "an integer" : "a number";
  return `${r.zero ? "0 or " : ""}${kind} ${r.absolute ? "of absolute value " : ""}in ${interval}`;
}

/** True when x lies in the range. */
export function inRange(x: number, r: ParameterRange): boolean {
  if (typeof x !== "number" || !Number.isFinite(x)) return false;
  if (r.zero && x === 0) return true;
  if (r.integer && !Number.isInteger(x)) return false;
  if (r.absolute) x = Math.abs(x);
  const aboveMin = r.exclusiveMin ? x > r.min : x >= r.min;
  const belowMax = r.exclusiveMax ? x < r.max : x <= r.max;
  return aboveMin && belowMax;
}

function show(v: unknown): string {
  if (typeof v === "number") {
    const a = Math.abs(v);
    return a !== 0 && Number.isFinite(v) && (a >= 1e6 || a < 1e-4) ? v.toExponential() : String(v);
  }
  if (typeof v === "string") return `'${v}'`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * Returns `value` if it is a number in the range; otherwise throws a ModelError
 * "`label` must be <range>, got <value>[ (why)][context]".
 */
export function checkRange(label: string, value: unknown, r: ParameterRange, context = ""): number {
  if (typeof value === "number" && inRange(value, r)) return value;
  const why = r.why ? ` (${r.why})` : "";
  throw new ModelError(`${label} must be ${describeRange(r)}, got ${show(value)}${why}${context}`);
}

/** Checks every parameter of `values` that has a range; `label(name)` names it in messages. */
export function checkRanges<K extends string>(
  values: Partial<Record<K, unknown>>,
  ranges: Readonly<Record<K, ParameterRange>>,
  label: (name: K) => string = (name) => name,
  context = "",
): void {
  for (const name of Object.keys(ranges) as K[]) {
    if (values[name] !== undefined) checkRange(label(name), values[name], ranges[name], context);
  }
}
