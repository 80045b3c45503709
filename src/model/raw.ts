/**
 * Model files as plain data: parse YAML or JSON text and turn schema violations into one readable message.
 * Browser-safe (no file access here: callers pass the text).
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { ModelError } from "../errors.js";

/** Parses YAML (a superset of JSON) into plain data; `source` names the file in messages. */
export function parseModelText(text: string, source = "model"): unknown {
  if (text.trim() === "") throw new ModelError("the file is empty", source);
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const where = err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : "";
      throw new ModelError(`not valid YAML or JSON${where}: ${err.message.split("\n")[0]}`, source);
    }
    throw new ModelError(`could not parse: ${(err as Error).message}`, source);
  }
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

/** One line per schema issue, most specific first, e.g. `springs[1].stiffness: expected a number, got "x"`. */
export function formatZodError(error: z.ZodError, describe?: (path: ReadonlyArray<PropertyKey>) => string | undefined): string {
  const lines = error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const label = describe?.(issue.path) ?? path;
    let msg = issue.message;
    if (issue.code === "unrecognized_keys") {
      const keys = (issue as { keys: string[] }).keys;
      msg = `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `'${k}'`).join(", ")}`;
    } else if (issue.code === "invalid_type") {
      const input = (issue as { input?: unknown }).input;
      msg = `expected ${(issue as { expected: string }).expected}, got ${describeValue(input)}`;
    }
    return label ? `${label}: ${msg}` : msg;
  });
  return [...new Set(lines)].join("; ");
}

export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return String(v);
}
