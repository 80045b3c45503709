/**
 * Parsing numeric command-line option values: a finite number, optionally an integer and within a range, or a
 * ModelError naming the option (the CLI prints it as one line and exits 1). '', NaN, Infinity, hexadecimal or
 * trailing garbage are refused; so is an integer option beyond 2^53 (it could not be counted exactly).
 * Browser-safe: the CLI's options and the lab's fields give the same messages.
 */
import { ModelError } from "../errors.js";

type OptionValue = string | boolean | number | undefined;

/** Bounds on an option's value; `above` is a strict lower bound (e.g. 0 for "> 0"). */
export interface NumberRange {
  /** value >= min */
  min?: number;
  /** value > above */
  above?: number;
  /** value <= max */
  max?: number;
  integer?: boolean;
}

/** Decimal numbers only (Number() also takes '0x10', '0b1', ' ' and 'Infinity'). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Why the decimal text `s` has no faithful double, or undefined: its magnitude overflows (above about 1.8e308: Number
 * gives Infinity) or underflows (a non-zero number below about 4.9e-324: Number gives 0). `x` is Number(s).
 */
export function doubleRangeFault(s: string, x: number): string | undefined {
  if (!DECIMAL.test(s.trim())) return undefined;
  if (!Number.isFinite(x)) return `'${s.trim()}' overflows: its magnitude is above the largest double, about 1.8e308`;
  const mantissa = s.trim().split(/e/i)[0];
  if (x === 0 && /[1-9]/.test(mantissa)) {
    return `'${s.trim()}' underflows to 0: its magnitude is below the smallest double, about 4.9e-324 (write 0 for 0)`;
  }
  return undefined;
}

/** A finite number from an option value within `range` (undefined when the option is absent). */
export function numberOption(value: OptionValue, option: string, range: NumberRange = {}): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "boolean") throw new ModelError(`${option} needs a value`);
  const s = String(value).trim();
  if (s === "") throw new ModelError(`${option} must be a number, got ''`);
  const x = Number(s);
  if (/^[+-]?(infinity|inf)$/i.test(s)) throw new ModelError(`${option} must be a finite number, got '${s}'`);
  const fault = doubleRangeFault(s, x);
  if (fault !== undefined) throw new ModelError(`${option}: ${fault}`);
  if (!DECIMAL.test(s) || !Number.isFinite(x)) throw new ModelError(`${option} must be a number, got '${s}'`);
  const { min, above, max, integer } = range;
  if (integer && !Number.isInteger(x)) throw new ModelError(`${option} must be an integer, got '${s}'`);
  if (integer && !Number.isSafeInteger(x)) throw new ModelError(`${option} must be an integer below 2^53, got '${s}'`);
  if (above !== undefined && !(x > above)) {
    throw new ModelError(
      `${option} must be ${above === 0 && !integer ? "a positive number" : `> ${above}`}, got '${s}'`,
    );
  }
  if (min !== undefined && x < min)
    throw new ModelError(`${option} must be ${integer ? "an integer " : ""}>= ${min}, got '${s}'`);
  if (max !== undefined && x > max)
    throw new ModelError(`${option} must be ${integer ? "an integer " : ""}<= ${max}, got '${s}'`);
  return x;
}

/** A number > 0. */
export function positiveOption(value: OptionValue, option: string): number | undefined {
  const x = numberOption(value, option);
  if (x !== undefined && !(x > 0)) throw new ModelError(`${option} must be > 0, got ${String(value)}`);
  return x;
}

/** An integer >= min. */
export function integerOption(value: OptionValue, option: string, min: number): number | undefined {
  const x = numberOption(value, option);
  if (x === undefined) return undefined;
  if (!Number.isInteger(x) || x < min)
    throw new ModelError(`${option} must be an integer >= ${min}, got ${String(value)}`);
  if (!Number.isSafeInteger(x))
    throw new ModelError(
      `${option} must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER} (2^53 - 1, the largest integer a double holds exactly), got ${String(value)}`,
    );
  return x;
}

/** The numeric options named (as `--name`) that were given, as an object keyed by name; ModelError on a non-number. */
export function numberOptions<K extends string>(
  opts: Partial<Record<string, OptionValue>>,
  names: readonly K[],
): Partial<Record<K, number>> {
  const raw: Partial<Record<K, number>> = {};
  for (const name of names) {
    const x = numberOption(opts[name], `--${name}`);
    if (x !== undefined) raw[name] = x;
  }
  return raw;
}

/** The most worker threads --workers accepts. */
export const MAX_WORKERS = 1024;

/** --workers: a positive integer (undefined when absent). */
export function workersOption(value: OptionValue): number | undefined {
  return numberOption(value, "--workers", { integer: true, min: 1, max: MAX_WORKERS });
}
