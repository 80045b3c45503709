/**
 * Argument checks at the library's API boundary (browser-safe): a caller who passes null, undefined or a value of
 * the wrong type to an exported function gets a NessError with one clear line, not a TypeError from deep inside.
 * Only the boundary checks; the loops behind it trust their arguments.
 */
import { NessError } from "./errors.js";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return "a string";
  return typeof value === "object" ? "an object" : String(typeof value);
}

/** A plain object (not null, not an array). */
export function requireObject(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new NessError(`${what} must be an object, got ${describe(value)}`);
}

/** undefined (the defaults) or an options object. */
export function requireOptions(value: unknown, what: string): void {
  if (value !== undefined) requireObject(value, what);
}

/** An array or typed array of numbers (the values themselves are the caller's to check where it matters). */
export function requireNumbers(value: unknown, what: string): asserts value is ArrayLike<number> {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))))
    throw new NessError(`${what} must be an array of numbers, got ${describe(value)}`);
}

/** A finite number. */
export function requireFinite(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new NessError(`${what} must be a finite number, got ${describe(value)}`);
}

/** A non-empty string. */
export function requireString(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new NessError(`${what} must be a non-empty string, got ${describe(value)}`);
}

/** A function. */
export function requireFunction(value: unknown, what: string): void {
  if (typeof value !== "function") throw new NessError(`${what} must be a function, got ${describe(value)}`);
}
