/**
 * Model files as plain data: turn schema violations into one readable message; small checks shared by the engines.
 * The YAML/JSON parser is in ./modelText.ts (the yaml library loads only where a text is parsed).
 * Browser-safe (no file access here: callers pass the text).
 */
import type { z } from "zod";
import { ModelError, printable } from "../errors.js";

/**
 * The entries of a mapping from a parsed file, keys as written. Unlike zod's record (which builds a plain object and
 * so drops a key named `__proto__`), every own key survives, whatever its name.
 */
export function mappingEntries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

/** Human path such as `springs[2].stiffness`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

type Issue = z.core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  array: "a list",
  tuple: "a list",
  number: "a number",
  int: "an integer",
  record: "a mapping",
  object: "a mapping",
  string: "a string",
  boolean: "true or false",
  nan: "NaN",
};

/**
 * One line per schema issue, most specific first, e.g. `springs[1].stiffness: expected a number, got "x"`.
 * `describe` turns a path into a readable label (e.g. "spring a-b"); `hint` says what a field takes, for the
 * "expected ..." part of type errors on a field that accepts several forms (e.g. sites: "a list of site names or a
 * count").
 */
export function formatZodError(
  error: z.ZodError,
  describe?: (path: ReadonlyArray<PropertyKey>) => string | undefined,
  hint?: (path: ReadonlyArray<PropertyKey>) => string | undefined,
): string {
  const lines: string[] = [];
  const visit = (issue: Issue, base: ReadonlyArray<PropertyKey>) => {
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union" && "errors" in issue && Array.isArray(issue.errors)) {
      const branches = issue.errors as Issue[][];
      // A branch whose type matched and failed deeper (e.g. a list with one bad element) says the most.
      const atRoot = (i: Issue) =>
        i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value" || i.code === "invalid_union");
      const deeper = branches.find((b) => b.length > 0 && !b.some(atRoot));
      if (deeper) {
        for (const i of deeper) visit(i, path);
        return;
      }
      const expected = [
        ...new Set(
          branches.flatMap((b) =>
            b
              .filter(atRoot)
              .map((i) =>
                i.code === "invalid_type"
                  ? typeWord((i as { expected: string }).expected)
                  : i.code === "invalid_value"
                    ? (i as { values: unknown[] }).values.map((v) => JSON.stringify(v)).join(" or ")
                    : "another form",
              ),
          ),
        ),
      ];
      const what = hint?.(path) ?? (expected.length > 0 ? expected.join(" or ") : "another form");
      lines.push(label(path, `expected ${what}, got ${describeInput(issue)}`));
      return;
    }
    let msg = issue.message;
    if (issue.code === "unrecognized_keys") {
      const keys = (issue as { keys: string[] }).keys;
      msg = `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `'${k}'`).join(", ")}`;
    } else if (issue.code === "invalid_type") {
      const expected = (issue as { expected: string }).expected;
      msg = `expected ${hint?.(path) ?? typeWord(expected)}, got ${describeInput(issue)}`;
    } else if (issue.code === "too_small" && (issue as { origin?: string }).origin === "array") {
      msg = `needs at least ${(issue as { minimum: number | bigint }).minimum} entr${Number((issue as { minimum: number | bigint }).minimum) === 1 ? "y" : "ies"}`;
    } else if (issue.code === "too_small" && (issue as { origin?: string }).origin === "string") {
      msg = "must not be empty";
    } else if (issue.code === "invalid_value") {
      const values = (issue as { values: unknown[] }).values;
      const list = values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      msg = `expected ${list.length > 2 ? `one of ${list.join(", ")}` : list.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeInput(issue)}`;
    }
    lines.push(label(path, msg));
  };
  const label = (path: ReadonlyArray<PropertyKey>, msg: string) => {
    const l = describe?.(path) ?? formatPath(path);
    return l ? `${l}: ${msg}` : msg;
  };
  for (const issue of error.issues) visit(issue, []);
  return printable([...new Set(lines)].join("; "));
}

function typeWord(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

/** What the user wrote, from the issue (its input, or zod's "received ..." when the input was not reported). */
function describeInput(issue: Issue): string {
  if ("input" in issue) return describeValue(issue.input);
  const received = /received (\w+)/.exec(issue.message)?.[1];
  return received === "NaN" ? "NaN" : received ? typeWord(received) : "something else";
}

/** An integer setting of an engine's call (replica counts, step counts): at least `min`, or a ModelError naming it. */
export function integerSetting(v: unknown, what: string, min: number): number {
  if (!Number.isSafeInteger(v) || (v as number) < min)
    throw new ModelError(`${what} must be an integer >= ${min}, got ${describeValue(v)}`);
  return v as number;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "bigint") return `${v}`;
  return typeof v === "function" ? "a function" : String(v);
}

/**
 * An object the schema reads like a JSON object: Object.prototype or no prototype, no symbol keys, and no own key
 * `__proto__` (the schema's records drop it from their output). Used by the zod-free shape checks (networkModel.ts,
 * particlesModel.ts).
 */
export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (
    (proto === Object.prototype || proto === null) &&
    Object.getOwnPropertySymbols(v).length === 0 &&
    !Object.hasOwn(v, "__proto__")
  );
}
