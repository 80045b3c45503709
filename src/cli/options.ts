/**
 * Parsing numeric command-line option values: a number, a positive number or a bounded integer, or a ModelError
 * naming the option (the CLI prints it as one line and exits 1).
 */
import { ModelError } from "../errors.js";

type OptionValue = string | boolean | undefined;

/** A finite number from an option value (undefined when the option is absent). */
export function numberOption(value: OptionValue, option: string): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  const x = Number(s);
  if (s === "" || !Number.isFinite(x)) throw new ModelError(`${option} must be a number, got '${String(value)}'`);
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
  if (!Number.isInteger(x) || x < min) throw new ModelError(`${option} must be an integer >= ${min}, got ${String(value)}`);
  return x;
}

/** The numeric options named (as `--name`) that were given, as an object keyed by name; ModelError on a non-number. */
export function numberOptions<K extends string>(opts: Partial<Record<string, OptionValue>>, names: readonly K[]): Partial<Record<K, number>> {
  const raw: Partial<Record<K, number>> = {};
  for (const name of names) {
    const x = numberOption(opts[name], `--${name}`);
    if (x !== undefined) raw[name] = x;
  }
  return raw;
}
