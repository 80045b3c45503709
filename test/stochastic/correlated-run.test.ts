/**
 * The correlated-run rule (src/stochastic/reliability.ts, applyCorrelatedRunRule; docs/stochastic.md, "What reliable
 * means"): in a short run an estimate whose lag-1 batch correlation passes can be many error bars off; when any
 * estimate of the run shows correlated batches, no estimate of that run is flagged reliable. The engine applies it
 * alone (simulate), for every model. Coverage over many seeds: scripts/errorbar-coverage-nonlinear.js.
 */
import { describe, expect, it } from "vitest";
import { loadModel, simulateSync, type Estimate } from "../../src/index.js";
import { applyCorrelatedRunRule, applySplitRule } from "../../src/stochastic/reliability.js";

// Two unit masses with quartic pinning and a quartic spring (FPU-beta-like), both baths at T = 1, weak friction:
// energy relaxes in about 1/0.02 = 50 time units. At equal temperatures the steady state is Boltzmann's: the kinetic
// temperatures are exactly 1 whatever the potential, and every heat flux is exactly 0.
const FPU = loadModel(`
kind: network
sites: [a, b]
pinning: 1
quarticPinning: 1
springs: [{between: [a, b], stiffness: 1, quartic: 1}]
baths: [{site: a, friction: 0.02, temperature: 1}, {site: b, friction: 0.02, temperature: 1}]
`);
const RUN_NOTE = /in this run are correlated/;
const OWN_NOTE = /^[^;]*own correlation time \([^)]*measured from its sub-batches\)[^;]*$/;

describe("the correlated-run rule", () => {
  it("a short anharmonic run: a kinetic temperature 13 error bars off with uncorrelated batches is not reliable", () => {
    // two relaxation times from rest: the energy is still rising; the lag-1 correlation of the kinetic temperature's
    // batches is near 0, that of another estimate is not
    const r = simulateSync(FPU, { dt: 0.02 }, { time: 100, seed: 2 });
    const t = r.estimates.find((e) => e.group === "kinetic temperature" && e.name === "a")!;
    expect(Math.abs(t.batchCorrelation!)).toBeLessThan(0.3);
    expect(r.statistical[r.estimates.indexOf(t)].note).toMatch(RUN_NOTE);
    expect((1 - t.value) / t.error).toBeGreaterThan(10);
    expect(t.reliable).toBe(false);
    // its own lag-1 verdict would have passed: the run rule is the only statistical note
    expect(t.note!.split("; ").filter((n) => !/time-step bias/.test(n))).toHaveLength(1);
    for (const e of r.estimates) {
      if (e.reliable) throw new Error(`${e.group}: ${e.name} is flagged reliable in a run of two relaxation times`);
    }
    expect(r.warnings.join("\n")).toMatch(/too few effective samples/);
  });

  it("a long anharmonic run (200 relaxation times) keeps its flags", () => {
    for (const seed of [1, 2]) {
      const r = simulateSync(FPU, { dt: 0.02 }, { time: 10_000, seed });
      for (const e of r.estimates) expect(e.note ?? "").not.toMatch(RUN_NOTE);
      // no estimate loses its flag but on its own correlation time (measured from its sub-batches): the model's rate
      // judges the burn-in only, and batches of 312.5 are about 5 correlation times of the energy (about 1/0.02)
      for (const e of r.estimates) if (!e.reliable) expect(e.note).toMatch(OWN_NOTE);
      expect(r.estimates.filter((e) => e.reliable).length).toBeGreaterThan(r.estimates.length / 2);
      const t = r.estimates.filter((e) => e.group === "kinetic temperature" && e.reliable);
      for (const e of t) expect(Math.abs(e.value - 1)).toBeLessThan(4 * e.error);
    }
  });

  const estimate = (name: string, batchCorrelation: number | undefined): Estimate => ({
    group: "g",
    name,
    value: 0,
    error: 1,
    reliable: batchCorrelation === undefined || batchCorrelation < 0.5,
    batches: 32,
    ...(batchCorrelation === undefined ? {} : { batchCorrelation }),
  });

  it("marks every other reliable estimate of the run and names the correlated one", () => {
    const es = [estimate("slow", 0.6), estimate("a", 0.1), estimate("b", undefined), estimate("c", -0.2)];
    // 31 pairs: the threshold is max(0.3, 3 / sqrt(31)) = 0.54
    expect(applyCorrelatedRunRule(es, 31)).toBe(3);
    expect(es.every((e) => !e.reliable)).toBe(true);
    expect(es[1].note).toMatch(/"g: slow" in this run are correlated \(0\.60\)/);
    expect(es[0].note).toBeUndefined();
  });

  it("both run rules name the first of equally strong estimates; the split rule marks it too, this rule spares it", () => {
    // Every estimate reliable, two equally correlated (0.7) and two with equally small split tails (1e-6).
    const all = () => {
      const es = ["a", "b", "c", "d"].map((n) => ({ ...estimate(n, 0.1), reliable: true, splitTail: 0.5 }));
      es[1].batchCorrelation = es[2].batchCorrelation = 0.7;
      es[2].splitTail = es[3].splitTail = 1e-6;
      return es;
    };
    const corr = all();
    expect(applyCorrelatedRunRule(corr, 31)).toBe(3);
    expect(corr.map((e) => e.reliable)).toEqual([false, true, false, false]);
    for (const i of [0, 2, 3]) expect(corr[i].note).toMatch(/"g: b" in this run are correlated \(0\.70\)/);
    const split = all();
    expect(applySplitRule(split)).toBe(4);
    expect(split.every((e) => !e.reliable)).toBe(true);
    for (const e of split) expect(e.note).toMatch(/disagree on "g: c" .*probability 1\.0e-6/);
  });

  it("below the threshold, or with the threshold raised for many estimates, nothing is marked", () => {
    const few = [estimate("x", 0.5), estimate("a", 0.1)];
    expect(applyCorrelatedRunRule(few, 31)).toBe(0);
    expect(few[1].reliable).toBe(true);
    // 1000 estimates: the chance of a false alarm is spread over them, 0.6 is not enough (threshold 4.0 / sqrt(31))
    const many = [estimate("slow", 0.6), ...Array.from({ length: 999 }, (_, k) => estimate(`e${k}`, 0))];
    expect(applyCorrelatedRunRule(many, 31)).toBe(0);
    many[0].batchCorrelation = 0.75;
    expect(applyCorrelatedRunRule(many, 31)).toBe(999);
    expect(applyCorrelatedRunRule([estimate("a", undefined)], 31)).toBe(0);
  });
});
