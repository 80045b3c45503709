// No silent wrong result from the two-temperature studies: every point of the declared parameter domain gives finite
// numbers or a NessError, the JSON is in full precision with no null, simulations that would run for hours are
// refused with their cost, and a demixing order parameter without neighbours is reported, not printed as NaN.
import { afterEach, describe, expect, it, vi } from "vitest";
import { NessError, SteadyStateError } from "../../../src/errors.js";
import {
  PAIR_RANGES,
  RUN_AND_CHASE_RANGES,
  pairExact,
  runAndChaseExact,
  simulateDemixing,
  simulatePair,
  type HarmonicPairParams,
  type RunAndChaseParams,
} from "../../../src/studies/two-temperature/index.js";
import { runCli as run } from "../../helpers/cli.js";

afterEach(() => vi.restoreAllMocks());

/** Every number in a (nested) object, with its path. */
function numbers(x: unknown, path = ""): [string, number][] {
  if (typeof x === "number") return [[path, x]];
  if (x === null || typeof x !== "object") return [];
  if (ArrayBuffer.isView(x))
    return Array.from(x as unknown as ArrayLike<number>, (v, i) => [`${path}[${i}]`, v] as [string, number]);
  return Object.entries(x).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
}

/** All combinations of the lowest, a middle and the highest value of each range. */
function corners<K extends string>(ranges: Record<K, { min: number; max: number }>): Record<K, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const name of Object.keys(ranges) as K[]) {
    const r = ranges[name];
    const values = [r.min, Math.sqrt(r.min * r.max), r.max];
    out = out.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return out as Record<K, number>[];
}

function finiteOrNessError(what: string, f: () => unknown): boolean {
  let result: unknown;
  try {
    result = f();
  } catch (err) {
    expect(err, what).toBeInstanceOf(NessError);
    return false;
  }
  for (const [path, v] of numbers(result)) expect(Number.isFinite(v), `${path} at ${what}`).toBe(true);
  return true;
}

describe("the declared domains give finite numbers or a NessError", () => {
  it("harmonic pair: every corner of the box", () => {
    let solved = 0;
    for (const p of corners(PAIR_RANGES)) {
      if (finiteOrNessError(JSON.stringify(p), () => pairExact(p as HarmonicPairParams))) {
        solved++;
        expect(pairExact(p as HarmonicPairParams).entropyProductionClosedForm).toBeGreaterThanOrEqual(0);
      }
    }
    expect(solved).toBeGreaterThan(60);
  });

  it("run-and-chase: every corner of the box (the box from 2 to 1000 ranges), in 1, 2 and 3 dimensions", () => {
    let solved = 0;
    const { box, ...others } = RUN_AND_CHASE_RANGES;
    void box;
    for (const dimension of [1, 2, 3] as const) {
      for (const p of corners(others)) {
        for (const ranges of [2, 31.6, 1000]) {
          const q = { ...(p as Omit<RunAndChaseParams, "dimension" | "box">), box: ranges * p.range, dimension };
          if (finiteOrNessError(JSON.stringify(q), () => runAndChaseExact(q))) solved++;
        }
      }
    }
    expect(solved).toBeGreaterThan(300);
  });
});

describe("simulations: costs are checked before they start", () => {
  it("refuses a run that would take hours, with the estimate", () => {
    expect(() => simulatePair({ k: 1, lambda: 1, T1: 5, T2: 1 }, { time: 1e9 })).toThrow(
      /particle-steps \(about \d+ h\); the limit is 2e\+9/,
    );
    expect(() => simulatePair({ k: 1, lambda: 1, T1: 5, T2: 1 }, { replicas: 1e9 })).toThrow(
      /--replicas must be an integer in \[1, 10000\]/,
    );
    expect(() => simulatePair({ k: 1, lambda: 1, T1: 5, T2: 1 }, { dt: 1e-300 })).toThrow(
      /--dt must be a number in \[1e-9, 10\]/,
    );
  });

  it("demixing without any neighbour: the order parameter is undefined, said so (it was NaN in the JSON)", () => {
    expect(() => simulateDemixing({ N: 50, time: 20, burnIn: 5, replicas: 2, neighbourCutoff: 0.1 })).toThrow(
      SteadyStateError,
    );
    expect(() => simulateDemixing({ N: 50, time: 20, burnIn: 5, replicas: 2, neighbourCutoff: 0.1 })).toThrow(
      /no cold disk had a neighbour/,
    );
  });
});

describe("ness study two-temperature: JSON in full precision, no null", () => {
  it("the pair's JSON holds the library's doubles", async () => {
    const r = await run("study", "two-temperature", "--k", "0.3", "--T1", "7", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout).results;
    const e = pairExact({ k: 0.3, lambda: 1, T1: 7, T2: 1 });
    expect(doc.entropyProduction).toBe(e.entropyProduction);
    expect(doc.covariance).toEqual(e.covariance);
    expect(doc.areaRate).toBe(e.areaRate);
  });

  it("demixing --json with two batches leaves out the undefined batch correlation instead of printing null", async () => {
    const r = await run(
      "study",
      "two-temperature",
      "demixing",
      "--no-progress",
      "--N",
      "50",
      "--time",
      "20",
      "--burnIn",
      "5",
      "--replicas",
      "2",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\bnull\b|\bNaN\b|\bInfinity\b/);
    const doc = JSON.parse(r.stdout).results;
    expect(doc.psi.batchCorrelation).toBeUndefined();
    expect(Number.isFinite(doc.psi.value)).toBe(true);
  });
});
