// The coarsening fit (src/studies/two-temperature/demixingCoarsening.ts): L(t) of the replica-mean S_cc(q, t) and the
// exponent of L ~ t^alpha with jackknife error bars, on constructed structure factors whose L(t) is known in closed
// form; and the committed results JSON (scripts/demixing-coarsening.js) refitted from its stored input and rendered.
// No simulation.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NessError } from "../../../src/errors.js";
import { createDocument, renderSvg } from "../../../src/io/render.js";
import { Rng } from "../../../src/stochastic/rng.js";
import { firstMomentLength } from "../../../src/stochastic/structureFactor.js";
import { resolvedStandardErrors } from "../../../src/studentT.js";
import {
  coarseningFit,
  demixingCoarseningFitFigure,
  type CoarseningInput,
  type CoarseningResults,
} from "../../../src/studies/two-temperature/demixingCoarsening.js";

const IDEAL = 0.25;
// L(t) = L0 (t / 500)^alpha, inside the shells' range (2 pi / Q[11] = 3.33 to 40) up to t = 40000 for alpha <= 1/2.
const L0 = 4;
// Shells of a box of side 40: |q| = 2 pi n / 40.
const Q = Array.from({ length: 12 }, (_, n) => (2 * Math.PI * (n + 1)) / 40);
const COUNT = Q.map((_, n) => 2 * (n + 1));

/**
 * S_cc(q) whose excess sits on the two shells around 2 pi / L with weights chosen so that the first moment is exactly
 * L (for 2 pi / Q[11] < L < 2 pi / Q[0]): 2 pi (a + b) / (a q1 + b q2) = L.
 */
function structureOf(L: number, amplitude: number): number[] {
  const qs = (2 * Math.PI) / L;
  const k = Math.min(
    Math.max(
      Q.findIndex((q) => q > qs),
      1,
    ),
    Q.length - 1,
  );
  const q1 = Q[k - 1],
    q2 = Q[k];
  // Weights per shell (a, b counted with the shells' wavevectors): a (qs - q1) = b (q2 - qs).
  const a = (q2 - qs) / COUNT[k - 1],
    b = (qs - q1) / COUNT[k];
  const S = Q.map(() => IDEAL);
  S[k - 1] += (amplitude * a) / (a + b);
  S[k] += (amplitude * b) / (a + b);
  return S;
}

function input(alpha: number, replicas: number, noise: number, seed = 3): CoarseningInput {
  const time = Array.from({ length: 81 }, (_, i) => 500 * i);
  const rng = Rng.stream(seed);
  return {
    q: Q,
    count: COUNT,
    ideal: IDEAL,
    fitFrom: 2000,
    replicas: Array.from({ length: replicas }, (_, r) => ({
      seed: r,
      time,
      structure: time.map((t) => {
        const S = structureOf(L0 * (Math.max(t, 500) / 500) ** alpha, 5);
        // Noise on the excess only (noise on the ideal part biases any first moment: D = max(S - ideal, 0)).
        return S.map((s) => IDEAL + (s - IDEAL) * (1 + noise * rng.normal()));
      }),
    })),
  };
}

describe("the coarsening fit", () => {
  it("constructs S_cc(q) of first moment L exactly", () => {
    for (const L of [3.5, 7, 19.9, 39])
      expect(firstMomentLength(Q, structureOf(L, 5), COUNT, IDEAL)).toBeCloseTo(L, 10);
  });

  it("recovers a power law's exponent exactly without noise, over the whole window and every sub-window", () => {
    for (const alpha of [1 / 3, 0.25, 0.5]) {
      const f = coarseningFit(input(alpha, 3, 0));
      expect(f.exponent.value).toBeCloseTo(alpha, 10);
      expect(f.exponent.error).toBeLessThan(1e-10);
      expect(f.exponent.prefactor).toBeCloseTo(L0 / 500 ** alpha, 8);
      expect(f.effective.length).toBe(4); // [2000, 4000], ..., [16000, 32000] within t <= 40000
      for (const w of f.effective) expect(w.value).toBeCloseTo(alpha, 10);
      f.time.forEach((t, k) => {
        if (t >= 500) expect(f.length[k]).toBeCloseTo(L0 * (t / 500) ** alpha, 8);
      });
    }
  });

  it("gives a jackknife error that covers the truth and resolves a wrong exponent", () => {
    // 16 noisy replicas: the fitted alpha within the Student-t threshold of the truth, over several seeds; an error bar
    // that is not zero; and alpha = 0.5 data resolved from 1/3.
    const t16 = resolvedStandardErrors(16);
    let within2 = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const f = coarseningFit(input(1 / 3, 16, 0.3, seed));
      expect(f.exponent.error).toBeGreaterThan(1e-4);
      expect(Math.abs(f.lifshitzSlyozovZ!)).toBeLessThan(t16);
      if (Math.abs(f.lifshitzSlyozovZ!) < 2) within2++;
    }
    // Honest error bars: most seeds within 2 of them (a normal: 95%), not all trivially (errors not too large).
    expect(within2).toBeGreaterThanOrEqual(7);
    const wrong = coarseningFit(input(0.5, 16, 0.3, 11));
    expect(wrong.threshold).toBeCloseTo(t16, 12);
    expect(wrong.lifshitzSlyozovZ!).toBeGreaterThan(t16);
  });

  it("refuses one replica, unequal sampling times and a window without samples", () => {
    const ok = input(1 / 3, 3, 0);
    expect(() => coarseningFit({ ...ok, replicas: ok.replicas.slice(0, 1) })).toThrow(NessError);
    const bad = { ...ok.replicas[1], time: ok.replicas[1].time.map((t) => t + 1) };
    expect(() => coarseningFit({ ...ok, replicas: [ok.replicas[0], bad] })).toThrow(/same sampling times/);
    expect(() => coarseningFit({ ...ok, fitFrom: 39800 })).toThrow(/fewer than 3 samples/);
    expect(() => coarseningFit({ ...ok, fitFrom: Number.NaN })).toThrow(NessError);
  });

  it("a window from t = 0 starts at the first sample after it; samples without an excess are left out, not zeroed", () => {
    const ok = input(0.25, 3, 0);
    // fitFrom 0 (the random start): the windows [t, 2t] from the first sample with t > 0 (it looped at t = 0).
    const f = coarseningFit({ ...ok, fitFrom: 0 });
    const firstAfter = ok.replicas[0].time.find((t) => t > 0)!;
    expect(f.exponent.from).toBe(firstAfter);
    // Windows [500 2^j, 500 2^(j + 1)] holding at least 3 samples: from [1000, 2000] on.
    expect(f.effective.map((w) => w.from).slice(0, 3)).toEqual([2 * firstAfter, 4 * firstAfter, 8 * firstAfter]);
    expect(f.exponent.value).toBeCloseTo(0.25, 10);
    // S_cc(q) = x(1 - x) at one sampling time in every replica: L is undefined there.
    const k = 5,
      at = ok.replicas[0].time[k];
    const flat = {
      ...ok,
      replicas: ok.replicas.map((r) => ({
        ...r,
        structure: r.structure.map((row, j) => (j === k ? row.map(() => IDEAL) : row)),
      })),
    };
    const g = coarseningFit({ ...flat, fitFrom: 0 });
    expect(g.leftOut).toEqual([at]);
    expect(g.time).not.toContain(at);
    expect(g.time.length).toBe(ok.replicas[0].time.length - 1);
    for (const v of [...g.length, ...g.lengthError, ...g.replicaLength.flat()])
      expect(Number.isFinite(v) && v >= 0).toBe(true);
    expect(g.length.every((v) => v > 0)).toBe(true);
    expect(g.exponent.value).toBeCloseTo(0.25, 10);
    expect(g.exponent.points).toBe(f.exponent.points - (at >= f.exponent.from ? 1 : 0));
  });
});

describe("the committed coarsening results", () => {
  const file = new URL("../../../docs/studies/data/demixing-coarsening.results.json", import.meta.url);
  const results = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as CoarseningResults & {
        command: string;
        fitFrom: number;
        windowFactor: number;
        input: Pick<CoarseningInput, "q" | "count" | "ideal" | "replicas">;
        runs: { command: string; seed: number }[];
      })
    : undefined;

  it("exists, records version, commands and seeds, and its fit is the fit of its stored S_cc(q, t)", () => {
    expect(results).toBeDefined();
    const r = results!;
    expect(r.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.command).toContain("scripts/demixing-coarsening.js");
    expect(r.runs.map((x) => x.seed)).toEqual(r.seeds);
    for (const x of r.runs) expect(x.command).toContain(`--seed ${x.seed}`);
    const refit = coarseningFit({ ...r.input, fitFrom: r.fitFrom, windowFactor: r.windowFactor });
    // The whole fit, the samples left out (leftOut) included.
    expect(r.fit).toEqual(refit);
    const svg = renderSvg(demixingCoarseningFitFigure(r), createDocument());
    expect(svg).not.toContain("NaN");
  });
});
