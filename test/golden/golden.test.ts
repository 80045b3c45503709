// Golden outputs: the JSON of each command in commands.ts, kept from before a refactor, must be reproduced: exact
// numbers to round-off (relative 1e-8), simulated estimates (an object with a value and an error bar) within
// 4 combined error bars, strings and shapes unchanged. New fields may appear; timings, warnings and provenance are
// not compared. `NESS_GOLDEN=update npx vitest run test/golden` rewrites the files (only when an output is meant to
// change: say why in the commit).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../helpers/cli.js";
import { goldenCommands } from "./commands.js";

const dir = new URL("./data/", import.meta.url).pathname;
const update = process.env.NESS_GOLDEN === "update";
const IGNORED = new Set(["seconds", "elapsed", "warnings", "note", "version", "ness", "command", "methodReason"]);
const ESTIMATE_VALUE = ["value", "mean", "estimate", "J", "simulated"];
const ERROR = ["error", "err", "stderr"];

afterEach(() => vi.restoreAllMocks());

/** Differences between an old and a new JSON document (empty: the same within the rules above). */
export function compare(old: unknown, now: unknown, path = "$", out: string[] = []): string[] {
  if (typeof old === "number") {
    if (typeof now !== "number") out.push(`${path}: was ${old}, now ${JSON.stringify(now)}`);
    else if (Math.abs(old - now) > 1e-8 * Math.max(Math.abs(old), Math.abs(now)) + 1e-14) out.push(`${path}: was ${old}, now ${now}`);
    return out;
  }
  if (typeof old === "string" || typeof old === "boolean" || old === null) {
    if (old !== now) out.push(`${path}: was ${JSON.stringify(old)}, now ${JSON.stringify(now)}`);
    return out;
  }
  if (Array.isArray(old)) {
    if (!Array.isArray(now) || now.length !== old.length) {
      out.push(`${path}: was a list of ${old.length}, now ${Array.isArray(now) ? `a list of ${now.length}` : typeof now}`);
      return out;
    }
    old.forEach((o, k) => compare(o, now[k], `${path}[${k}]`, out));
    return out;
  }
  if (typeof now !== "object" || now === null || Array.isArray(now)) {
    out.push(`${path}: was an object, now ${JSON.stringify(now)?.slice(0, 80)}`);
    return out;
  }
  const o = old as Record<string, unknown>, n = now as Record<string, unknown>;
  // A simulated estimate: compare its value within the error bars, not digit by digit (random streams may change).
  const errKey = ERROR.find((k) => typeof o[k] === "number" && typeof n[k] === "number");
  const valueKeys = errKey ? ESTIMATE_VALUE.filter((k) => typeof o[k] === "number" && typeof n[k] === "number") : [];
  // Arrays of simulated values beside arrays of their error bars: C with error, meanEnergies with meanEnergyErrors.
  const handled = new Set<string>();
  for (const key of Object.keys(o)) {
    const errorName = [`${key}Error`, `${key}Errors`, `${key.replace(/s$/, "")}Errors`].find((e) => e in o && e in n)
      ?? (Array.isArray(o.error) && Array.isArray(o[key]) && key !== "error" && sameShape(o[key], o.error) ? "error" : undefined);
    if (!errorName || !sameShape(o[key], o[errorName]) || !sameShape(n[key], n[errorName]) || !sameShape(o[key], n[key])) continue;
    compareWithErrors(o[key], o[errorName], n[key], n[errorName], `${path}.${key}`, out);
    handled.add(key).add(errorName);
  }
  for (const key of Object.keys(o)) {
    if (IGNORED.has(key) || handled.has(key) || /[dD]eviation/.test(key)) continue;
    if (!(key in n)) {
      out.push(`${path}.${key}: missing now`);
      continue;
    }
    if (errKey && valueKeys.includes(key)) {
      const a = o[key] as number, b = n[key] as number;
      const bar = Math.hypot(o[errKey] as number, n[errKey] as number);
      if (!(Math.abs(a - b) <= 4 * bar + 1e-12 * Math.max(Math.abs(a), Math.abs(b)))) {
        out.push(`${path}.${key}: was ${a} ± ${o[errKey]}, now ${b} ± ${n[errKey]} (more than 4 error bars apart)`);
      }
      continue;
    }
    if (errKey && (key === errKey || key === "deviation" || key === "batchCorrelation")) continue;
    compare(o[key], n[key], `${path}.${key}`, out);
  }
  return out;
}

function sameShape(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return typeof b === "number";
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, k) => sameShape(x, b[k]));
}

function compareWithErrors(a: unknown, ea: unknown, b: unknown, eb: unknown, path: string, out: string[]): void {
  if (typeof a === "number") {
    const bar = Math.hypot(ea as number, eb as number);
    const x = b as number;
    if (!(Math.abs(a - x) <= 4 * bar + 1e-12 * Math.max(Math.abs(a), Math.abs(x)))) {
      out.push(`${path}: was ${a} ± ${ea}, now ${x} ± ${eb} (more than 4 error bars apart)`);
    }
    return;
  }
  (a as unknown[]).forEach((v, k) => compareWithErrors(v, (ea as unknown[])[k], (b as unknown[])[k], (eb as unknown[])[k], `${path}[${k}]`, out));
}

/**
 * A study's --json is the envelope { ness, study, parameters, seed, results } of the study contract; the documents
 * kept from before it are what is now its `results`. Compare those (the numbers must not change).
 */
export function unwrap(doc: unknown): unknown {
  const d = doc as Record<string, unknown> | null;
  const envelope = d !== null && typeof d === "object" && !Array.isArray(d) && typeof d.study === "string" && "ness" in d && "results" in d;
  return envelope ? d.results : doc;
}

/**
 * The provenance of a JSON document of solve, study or simulate (issue 15 item 4): the ness version, the command as
 * typed, the seed of a simulation and the units.
 */
function expectJsonProvenance(doc: Record<string, unknown>, args: string[]): void {
  expect(doc.ness).toMatch(/^\d+\.\d+\.\d+$/);
  expect(doc.command).toBe(`ness ${args.join(" ")}`);
  const units = typeof doc.units === "string" ? doc.units : (doc.units as { convention?: string } | undefined)?.convention;
  expect(units).toMatch(/kB = 1|dimensionless/);
  const seed = args.indexOf("--seed");
  if (seed >= 0) expect(doc.seed).toBe(Number(args[seed + 1]));
  if (args[0] === "study") expect(typeof doc.parameters).toBe("object");
}

describe("golden outputs", () => {
  for (const [name, args] of Object.entries(goldenCommands)) {
    const file = `${dir}${name}.json`;
    it(`ness ${args.map((a) => a.replace(/.*\/examples\//, "examples/").replace(/.*\/test\/golden\//, "test/golden/")).join(" ")}`, async () => {
      const r = await runCli(...args);
      expect(r.code, r.stderr).toBe(0);
      expectJsonProvenance(JSON.parse(r.stdout), args);
      const now = unwrap(JSON.parse(r.stdout));
      if (update) {
        writeFileSync(file, `${JSON.stringify(now, null, 2)}\n`);
        return;
      }
      expect(existsSync(file), `${file} is missing: NESS_GOLDEN=update writes it`).toBe(true);
      const old = JSON.parse(readFileSync(file, "utf8"));
      expect(compare(old, now)).toEqual([]);
    });
  }
});
