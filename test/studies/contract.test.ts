// The study contract (src/studies/contract.ts) holds for every study: each parameter is described and has a unit,
// the generated `ness study NAME --help` shows units, defaults, ranges and required options, --json is the envelope
// { ness, study, parameters, seed, results }, and the figure modules import no engine (not even indirectly).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findStudy, STUDIES, topLevelStudies } from "../../src/studies/catalog.js";
import { runStudy } from "../../src/studies/run.js";
import { closedFormCovariance } from "../../src/studies/variance-resonance/index.js";
import { fieldsOf } from "../../src/studies/schema.js";
import { VERSION } from "../../src/version.js";
import { runCli as run } from "../helpers/cli.js";

afterEach(() => vi.restoreAllMocks());

const src = new URL("../../src/", import.meta.url).pathname;

describe("every study declares its parameters once, with description and unit", () => {
  it.each(STUDIES.map((s) => [s.name, s] as const))("%s", (_name, study) => {
    expect(study.title.length).toBeGreaterThan(10);
    expect(study.summary.length).toBeGreaterThan(20);
    expect(study.citations.length).toBeGreaterThan(0);
    for (const f of fieldsOf(study.parameters)) {
      expect(f.description.length, f.key).toBeGreaterThan(5);
      expect(typeof f.unit, f.key).toBe("string");
      if (f.kind === "number") expect(f.unit.length, `${f.key} has a unit ("1" if a pure number)`).toBeGreaterThan(0);
      if (f.kind === "number") expect(f.range, `${f.key} has a range`).toBeDefined();
      // One flag style: kebab-case of the camelCase key, or a physics symbol declared in meta.flag.
      expect(f.flag, f.key).toMatch(/^[A-Za-z][A-Za-z0-9]*(-[a-z0-9]+)*$/);
      expect(f.key, f.key).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
    }
  });
});

describe("named numbers (Study.numbers, the lab's report box)", () => {
  it("every study names its numbers; exact ones are the results' own (closed forms where there are)", async () => {
    for (const s of STUDIES) expect(typeof s.numbers, s.name).toBe("function");
    const check = async (name: string, parameters: Record<string, unknown>) => {
      const study = findStudy(name)!;
      const results = await runStudy(study, parameters, { figures: true });
      const numbers = study.numbers!(results);
      expect(numbers.length, name).toBeGreaterThan(0);
      expect(new Set(numbers.map((n) => n.key)).size, name).toBe(numbers.length);
      for (const n of numbers) {
        expect(Number.isFinite(n.value), `${name} ${n.key}`).toBe(true);
        if (n.error !== undefined) expect(n.error, `${name} ${n.key}`).toBeGreaterThanOrEqual(0);
      }
      return Object.fromEntries(numbers.map((n) => [n.key, n]));
    };
    // Variance resonance: a point against the closed forms; a sweep's largest sigma11 and its resonance near k = 1.
    const base = { k: 1.02, k0: 0.01, q: 100, T1: 2, T2: 1 };
    const point = await check("variance-resonance", base);
    expect(point.sigma11.value / closedFormCovariance(base).sigma11).toBeCloseTo(1, 8);
    expect(point.sigma12.value / closedFormCovariance(base).sigma12).toBeCloseTo(1, 8);
    expect(point.sigma11.unit).toBe("L²");
    const sweep = await check("variance-resonance", { k: { start: 0.9, stop: 1.1, count: 201, spacing: "linear" } });
    expect(sweep.resonance.value).toBeCloseTo(1, 3);
    expect(sweep.sigma11Max.value).toBeGreaterThan(sweep.peakExcess.value);
    // Two-temperature pair: k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)) (Metzger, Section 4.1).
    const pair = await check("two-temperature", { T1: 4 });
    expect(pair.entropyProduction.value).toBeCloseTo(9 / 16, 12);
    // Energy correlations: ideal gas C12 = Cv (T0 - T3)^2 / 27 (M = 2), C11 = Cv ((T0 + T3)/2)^2 (M = 1).
    const ec = await check("energy-correlations", { model: "ideal-gas", Cv: 2, T0: 1, T3: 3 });
    expect(ec.C12.value).toBeCloseTo(8 / 27, 12);
    expect(ec.closedFormC12.value).toBeCloseTo(8 / 27, 12);
    const single = await check("energy-correlations", { model: "ideal-gas", Cv: 2, T0: 1, T3: 3, M: 1 });
    expect(single.C11.value).toBeCloseTo(8, 10);
    expect(single.closedFormC11.value).toBeCloseTo(8, 10);
    // A stochastic study: every number carries its error bar.
    const ratchet = await check("two-temperature/ratchet", { time: 2, replicas: 2 });
    for (const n of Object.values(ratchet)) expect(n.error, n.key).toBeDefined();
  });
});

describe("the generated command", () => {
  it("--help shows units, defaults, ranges and the required options", async () => {
    const flat = (t: string) => t.replace(/\s+/g, " ");
    const vr = await run("study", "variance-resonance", "--help");
    expect(vr.code).toBe(0);
    expect(flat(vr.stdout)).toMatch(
      /--k0 <value\|range> coupling k0 = K\/k2 \(default 0\.01 \(dimensionless\); 0 or a number in \[1e-100, 1e6\]\)/,
    );
    expect(flat(vr.stdout)).toMatch(
      /--gamma <value\|range> friction coefficient of each oscillator: the force -gamma x' \[mass\/time\] \(required \(mechanical\)/,
    );
    expect(flat(vr.stdout)).toMatch(/Reproduces: T\. Boffi and P\. De Gregorio/);
    const ec = await run("study", "energy-correlations", "--help");
    expect(flat(ec.stdout)).toMatch(/--model <name> .*\(required; one of: ideal-gas, ssep, fermi, blackbody\)/);
    // A temperature must be positive: the help does not show 0 as its bound (0 is an ssep density only), and the
    // default baths say they are outside eq. 4's third-cumulant condition.
    expect(flat(ec.stdout)).toMatch(
      /--T0 <value> .*a temperature in \[1e-6, 1e6\], or for ssep a density in \[0, 1\]\)/,
    );
    expect(flat(ec.stdout)).not.toMatch(/\[0, 1e6\]/);
    expect(flat(ec.stdout)).toMatch(
      /--T3 <value> .*outside eq\. 4's third-cumulant condition for ssep, fermi and blackbody/,
    );
    const hc = await run("study", "harmonic-conduction", "--help");
    expect(hc.stdout).toMatch(/--n-min <n>/);
    expect(flat(hc.stdout)).toMatch(
      /--TL <value> temperature of the left bath \[energy \(kB = 1\)\] \(default 2; a number in \[1e-6, 1e6\]\)/,
    );
  });

  it("--json is { ness, command, study, parameters, seed, units, results } for every top-level study", async () => {
    const quick: Record<string, string[]> = {
      "variance-resonance": [],
      "energy-correlations": ["--model", "ideal-gas"],
      "particle-bath-chain": [],
      "two-temperature": [],
      "harmonic-conduction": ["--n-min", "8", "--n-max", "32", "--samples", "1"],
    };
    for (const s of topLevelStudies()) {
      const r = await run("study", s.name, ...(quick[s.name] ?? []), "--json");
      expect(r.code, `${s.name}: ${r.stderr}`).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(Object.keys(doc), s.name).toEqual([
        "ness",
        "command",
        "study",
        "parameters",
        ...(s.seeded ? ["seed"] : []),
        "units",
        "results",
      ]);
      expect(doc.ness).toBe(VERSION);
      expect(doc.command).toBe(["ness study", s.name, ...(quick[s.name] ?? []), "--json"].join(" "));
      expect(doc.units.convention.length, s.name).toBeGreaterThan(10);
      expect(doc.study).toBe(s.name);
    }
  });

  it("the camelCase spelling of a kebab-case flag still works (hidden alias)", async () => {
    const a = await run("study", "harmonic-conduction", "--nMin", "8", "--nMax", "32", "--samples", "1", "--json");
    const b = await run("study", "harmonic-conduction", "--n-min", "8", "--n-max", "32", "--samples", "1", "--json");
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).parameters).toEqual(JSON.parse(b.stdout).parameters);
    expect(JSON.parse(a.stdout).results.results[0].points[0].J).toBe(
      JSON.parse(b.stdout).results.results[0].points[0].J,
    );
  });
});

/** Relative imports of a TypeScript file, resolved to paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gms)) {
    if (/^\s*import\s+type\s/m.test(m[0]) || /^\s*export\s+type\s/m.test(m[0])) continue;
    out.push(resolve(dirname(file), m[1].replace(/\.js$/, ".ts")));
  }
  return out;
}

describe("studies' figure modules compute nothing", () => {
  const figureModules = [
    "studies/variance-resonance/figures.ts",
    "studies/energy-correlations/figures.ts",
    "studies/particle-bath-chain/figures.ts",
    "studies/two-temperature/figures.ts",
    "studies/two-temperature/demixingFigures.ts",
    "studies/two-temperature/polymerFigures.ts",
    "studies/harmonic-conduction/figures.ts",
  ];
  it.each(figureModules)("%s reaches no engine through its imports", (rel) => {
    const seen = new Set<string>();
    const stack = [join(src, rel)];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      stack.push(...importsOf(f));
    }
    const engines = [...seen]
      .filter((f) => /\/src\/(exact|stochastic|linalg|workers|io|cli)\//.test(f))
      .map((f) => f.slice(src.length));
    expect(engines).toEqual([]);
  });
});
