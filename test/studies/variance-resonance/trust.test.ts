// No silent wrong result from variance-resonance: the declared parameter domain is computed honestly everywhere
// (finite numbers or a NessError), a bath at T = 0 gives an entropy production reported as infinite (never NaN), and
// sweeps stream their output in full precision and bounded memory.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NessError } from "../../../src/errors.js";
import {
  DIMENSIONLESS_RANGES,
  entropyProductionRate,
  steadyState,
  sweep,
  type DimensionlessParameters,
} from "../../../src/studies/variance-resonance/index.js";
import { runCli as run } from "../../helpers/cli.js";
import { rng } from "../../helpers/random.js";
import { expectSameArray } from "../../helpers/arrays.js";

afterEach(() => vi.restoreAllMocks());

/** Every number in a (nested) object, with its path. */
function numbers(x: unknown, path = ""): [string, number][] {
  if (typeof x === "number") return [[path, x]];
  if (x === null || typeof x !== "object") return [];
  return Object.entries(x).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
}

describe("the declared domain of the dimensionless parameters", () => {
  it("every point of the box (corners and random) gives finite numbers or a NessError", () => {
    const r = rng(11);
    const R = DIMENSIONLESS_RANGES;
    const pick = (lo: number, hi: number) => 10 ** (Math.log10(lo) + (Math.log10(hi) - Math.log10(lo)) * r());
    const points: DimensionlessParameters[] = [];
    // Corners (the temperatures at 0, their smallest and largest positive values).
    for (const k of [0, 1e-6, R.k.max])
      for (const k0 of [0, 1e-6, R.k0.max])
        for (const q of [R.q.min, R.q.max])
          for (const T1 of [0, R.T1.min, R.T1.max])
            for (const T2 of [0, R.T2.min, R.T2.max]) points.push({ k, k0, q, T1, T2 });
    for (let i = 0; i < 1500; i++) {
      points.push({
        k: r() < 0.05 ? 0 : pick(1e-6, R.k.max),
        k0: r() < 0.05 ? 0 : pick(1e-6, R.k0.max),
        q: pick(R.q.min, R.q.max),
        T1: r() < 0.05 ? 0 : pick(1e-3, 1e3),
        T2: r() < 0.05 ? 0 : pick(1e-3, 1e3),
      });
    }
    let solved = 0;
    for (const p of points) {
      if (p.k === 0 && p.k0 === 0) continue;
      let s;
      try {
        s = steadyState(p);
      } catch (err) {
        expect(err, JSON.stringify(p)).toBeInstanceOf(NessError);
        continue;
      }
      solved++;
      for (const [path, v] of numbers({ ...s, matrix: Array.from(s.matrix) }))
        expect(Number.isFinite(v), `${path} at ${JSON.stringify(p)}`).toBe(true);
      if (s.entropyProduction !== undefined) expect(s.entropyProduction, JSON.stringify(p)).toBeGreaterThanOrEqual(0);
      else expect(s.undefinedQuantities.entropyProduction).toMatch(/infinite/);
      if (s.closedFormDeviation > 1e-6) expect(s.warnings.join(" ")).toMatch(/ill-conditioned/);
    }
    expect(solved).toBeGreaterThan(1000);
  });

  it("entropy production: the spring-flux form equals -(phi1/T1 + phi2/T2); infinite only with heat into a bath at T = 0", () => {
    const r = rng(5);
    for (let i = 0; i < 200; i++) {
      const p = {
        k: 0.05 + 2 * r(),
        k0: 10 ** (-3 + 3 * r()),
        q: 10 ** (4 * r()),
        T1: 0.1 + 10 * r(),
        T2: 0.1 + 10 * r(),
      };
      const s = steadyState(p);
      const direct = -(s.fluxes.bathToOscillator1 / p.T1 + s.fluxes.bathToOscillator2 / p.T2);
      expect(Math.abs(s.entropyProduction! - direct)).toBeLessThan(1e-8 * Math.abs(direct) + 1e-15);
      expect(s.entropyProduction!).toBeGreaterThanOrEqual(0);
    }
    const cold = steadyState({ k: 1, k0: 0.01, q: 4000, T1: 0, T2: 11 });
    expect(cold.entropyProduction).toBeUndefined();
    expect(cold.undefinedQuantities.entropyProduction).toMatch(/infinite: bath 1 is at T1 = 0 and receives heat/);
    expect(cold.fluxes.bathToOscillator1).toBeLessThan(0); // heat flows into the cold damper
    // No heat flows: uncoupled, or both baths at 0.
    expect(steadyState({ k: 1, k0: 0, q: 4000, T1: 0, T2: 11 }).entropyProduction).toBe(0);
    expect(steadyState({ k: 1, k0: 0.01, q: 40, T1: 0, T2: 0 }).entropyProduction).toBe(0);
    expect(
      entropyProductionRate(
        { k: 1, k0: 0.1, q: 4, T1: 2, T2: 0 },
        { bathToOscillator1: 1, bathToOscillator2: -1, spring1to2: 1 },
      ).undefinedReason,
    ).toMatch(/bath 2 is at T2 = 0/);
  });
});

describe("ness study variance-resonance: no NaN, null or rounding in any output", () => {
  it("T1 = 0: the entropy production is reported infinite with the reason (text and JSON), exit 0", async () => {
    const t = await run("study", "variance-resonance", "--T1", "0");
    expect(t.code).toBe(0);
    expect(t.stdout).not.toMatch(/\bNaN\b|\bInfinity\b|\bnull\b/);
    expect(t.stdout).toMatch(/entropy production rate infinite: bath 1 is at T1 = 0/);
    const j = await run("study", "variance-resonance", "--T1", "0", "--k0", "0", "--json");
    expect(j.code).toBe(0);
    expect(j.stdout).not.toMatch(/\bNaN\b|\bInfinity\b|\bnull\b/);
    expect(JSON.parse(j.stdout).results.entropyProduction).toBe(0); // uncoupled: no heat flows
    const k = await run("study", "variance-resonance", "--T1", "0", "--json");
    const doc = JSON.parse(k.stdout).results;
    expect(doc.entropyProduction).toBeUndefined();
    expect(doc.undefinedQuantities.entropyProduction).toMatch(/infinite/);
  });

  it("a sweep's JSON is streamed, valid, and in full precision (the library's doubles, bit for bit)", async () => {
    const r = await run("study", "variance-resonance", "--k", "0.9:1.1:1001", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout).results;
    const lib = sweep({ k: 0.9, k0: 0.01, q: 4000, T1: 1, T2: 11 }, "k", doc.values);
    expectSameArray(doc.sigma11, lib.sigma11);
    expectSameArray(doc.sigma23, lib.sigma23);
    expect(doc.closedFormDeviation).toBe(lib.closedFormDeviation);
    expect(doc.warnings).toEqual([]);
  });

  it("refuses parameters outside the domain with the range, and out-of-domain physical units", async () => {
    for (const [args, message] of [
      [["--T1", "1e308"], /T1 must be 0 or a number in \[1e-100, 1e100\], got 1e\+308/],
      [["--q", "1e-12"], /--q must be a number in \[0.001, 1e12\], got 1e-12/],
      [
        ["--k", "0:2e7:11"],
        /--k value #2 of the sweep 0:20000000:11 must be 0 or a number in \[1e-100, 1e6\], got 2e\+6/,
      ],
      [
        ["--m", "1", "--k1", "1", "--k2", "1", "--K", "0.01", "--gamma", "1e-20", "--T1", "1", "--T2", "2"],
        /the dimensionless q = sqrt\(k2 m\)\/gamma must be a number in \[0.001, 1e12\], got 1e\+20 \(from the mechanical parameters\)/,
      ],
      [["--window", "0:1e308"], /--window: '0:1e308' is not lo:hi with 0 <= lo < hi <= 1000000/],
      [["--k", "0:2:6000000"], /a range has at most 5000000 points/],
    ] as [string[], RegExp][]) {
      const r = await run("study", "variance-resonance", ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
  });
});

// The sweep keeps 9 numbers per point and streams its CSV: memory grows by 140-270 bytes per point (the columns and
// the garbage collector's slack), below 600 (the earlier version, which built the whole table and the whole file in
// memory, grew by about 1200 bytes per point).
const root = new URL("../../../", import.meta.url).pathname;
const built = existsSync(join(root, "dist", "cli", "main.js"));
describe.skipIf(!built)("a large sweep streams its output in bounded memory", () => {
  it("resident memory grows by less than 600 bytes per point (5e4 to 4e5 points, CSV)", { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-vr-mem-"));
    try {
      const rss = (n: number) => {
        const file = join(dir, `rss-${n}`);
        const r = spawnSync(
          process.execPath,
          [
            "--import",
            join(root, "test", "corpus", "rss-hook.mjs"),
            join(root, "bin", "ness.js"),
            "study",
            "variance-resonance",
            "--k",
            `0:2:${n}`,
            "--method",
            "closed-form",
            "--csv",
            join(dir, "out.csv"),
          ],
          { env: { ...process.env, NESS_CORPUS_RSS_FILE: file }, encoding: "utf8" },
        );
        expect(r.status, r.stderr).toBe(0);
        expect(statSync(join(dir, "out.csv")).size).toBeGreaterThan(n * 100);
        return (JSON.parse(readFileSync(file, "utf8")) as { maxRSS: number }).maxRSS * 1024;
      };
      const small = rss(50_000),
        large = rss(400_000);
      expect((large - small) / 350_000).toBeLessThan(600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
