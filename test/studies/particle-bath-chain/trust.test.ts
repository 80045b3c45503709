// No silent wrong result from particle-bath-chain: random points of the declared domain give finite numbers or a
// NessError, the JSON is in full precision with no null, and direct simulations that would run for hours are refused
// with their cost.
import { afterEach, describe, expect, it, vi } from "vitest";
import { NessError } from "../../../src/errors.js";
import {
  DEFAULT_PARAMS,
  PARAM_RANGES,
  simulateChainCurrent,
  simulateProbeDecay,
  studyPoint,
  validateParams,
  type ParticleBathChainParams,
} from "../../../src/studies/particle-bath-chain/index.js";
import { runCli as run } from "../../helpers/cli.js";
import { rng } from "../../helpers/random.js";

afterEach(() => vi.restoreAllMocks());

describe("particle-bath-chain: the declared domain", () => {
  it("random points (log-uniform over each range or near the defaults, chains of 2 to 8 sites) give finite numbers or a NessError", () => {
    const r = rng(3);
    let stable = 0;
    for (let trial = 0; trial < 24; trial++) {
      const raw: Partial<Record<keyof ParticleBathChainParams, number>> = {};
      for (const [name, range] of Object.entries(PARAM_RANGES) as [
        keyof ParticleBathChainParams,
        (typeof PARAM_RANGES)["m"],
      ][]) {
        if (name === "N") raw.N = 2 + Math.floor(7 * r());
        else if (name === "Nb") raw.Nb = 1 + Math.floor(10 ** (3 * r()));
        else if (name === "TR" && r() < 0.2) raw.TR = 0;
        // Even trials: anywhere in the range; odd trials: within a decade of the defaults (mostly stable chains).
        else if (trial % 2 === 0)
          raw[name] = 10 ** (Math.log10(range.min) + (Math.log10(range.max) - Math.log10(range.min)) * r());
        else raw[name] = Math.min(range.max, Math.max(range.min, Math.abs(DEFAULT_PARAMS[name]) * 10 ** (2 * r() - 1)));
      }
      if (r() < 0.3) raw.A = -raw.A!;
      let s;
      try {
        s = studyPoint(validateParams(raw));
      } catch (err) {
        expect(err, JSON.stringify(raw)).toBeInstanceOf(NessError);
        continue;
      }
      const numbers = Object.entries(s).filter(([, v]) => typeof v === "number") as [string, number][];
      for (const [k, v] of numbers) expect(Number.isFinite(v), `${k} at ${JSON.stringify(raw)}`).toBe(true);
      if (s.stable) stable++;
    }
    expect(stable).toBeGreaterThan(4);
  });

  it("refuses simulations that would take hours, with the estimate", () => {
    const p = validateParams({});
    expect(() => simulateChainCurrent(p, { replicas: 2, duration: 1e9, burnIn: 200, seed: 1 })).toThrow(
      /particle-steps \(about \d+ h\)/,
    );
    expect(() => simulateProbeDecay(validateParams({ zeta: 1e-6 }), { pairs: 16, seed: 1 })).toThrow(/reduce --pairs/);
    expect(() => simulateProbeDecay(p, { pairs: 1e9, seed: 1 })).toThrow(/pairs .* must be an integer in \[2, 10000\]/);
  });
});

describe("ness study particle-bath-chain --json", () => {
  it("is in full precision and has no null", async () => {
    const r = await run("study", "particle-bath-chain", "--json");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\bnull\b|\bNaN\b|\bInfinity\b/);
    const doc = JSON.parse(r.stdout).results;
    const s = studyPoint(validateParams({}));
    expect(doc.current).toBe(s.current);
    expect(doc.gammaL).toBe(s.gammaL);
    expect(doc.timeScaleSeparation).toBe(s.separation);
  });

  it("refuses parameters outside the domain with the range", async () => {
    for (const [args, message] of [
      [["--rho", "1e308"], /--rho must be a number in \[0.001, 100\], got 1e\+308/],
      [["--N", "1e308"], /--N must be an integer in \[2, 512\], got 1e\+308/],
      [["--m", "1e-300"], /--m must be a number in \[1e-6, 1e6\], got 1e-300/],
      [["--A", "0"], /--A must be a number of absolute value in \[1e-6, 1e6\], got 0 \(A may be negative but not 0\)/],
      [["--TR", "1e308"], /--TR must be 0 or a number in \[1e-6, 1e6\], got 1e\+308/],
    ] as [string[], RegExp][]) {
      const r = await run("study", "particle-bath-chain", ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
  });
});
