/**
 * Error bars of strongly autocorrelated observables (trust audit; docs/stochastic.md, "Error bars measured").
 * Batch means underestimate the error bar when a batch is not long compared with the observable's correlation time;
 * the lag-1 correlation of 32 batch values cannot see it in a short run (it is biased low: a run of two relaxation
 * times gave batch correlations 0.43-0.54, under the 3/sqrt(pairs) = 0.54 threshold). For linear models the slowest
 * relaxation rate is known exactly, so an estimate whose batches are shorter than its correlation time allows must not
 * be flagged reliable. The coverage over many seeds is measured by scripts/errorbar-coverage.js.
 */
import { describe, expect, it } from "vitest";
import { exactOU, loadModel, simulateAndVerifySync } from "../../src/index.js";
import { applyRelaxationRule } from "../../src/stochastic/reliability.js";

const SLOW = loadModel(`
kind: network
dynamics: overdamped
sites: [a, b]
pinning: 0.01
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`);

const WEAK = loadModel(`
kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 0.02, temperature: 2}, {site: b, friction: 0.02, temperature: 1}]
`);

describe("error bars of slow observables", () => {
  it("a variance 7 error bars off after two relaxation times is not flagged reliable", () => {
    // slowest rate 0.01 (relaxation time 100): one replica of 200 time units in 32 batches of 6.25
    const r = simulateAndVerifySync(SLOW, exactOU({ dt: 0.5 }), { time: 200, seed: 1, replicas: 1, burnIn: 0 });
    const cov = r.estimates.filter((e) => e.group === "covariance");
    // the run is far from the answer: 40 against 75.9, about 7 error bars
    expect(Math.abs(cov[0].deviation!)).toBeGreaterThan(5);
    for (const e of r.estimates) {
      if (e.reliable) expect(Math.abs(e.deviation!)).toBeLessThan(4);
    }
    expect(cov.every((e) => !e.reliable)).toBe(true);
    // the engine's correlated-run rule takes this run's flags first (the batches of a mean are correlated); the
    // slowest-mode rule alone takes them too: batches of 200/32 against correlation times 1/0.01 and 1/0.02
    expect(cov[0].note).toMatch(/in this run are correlated/);
    const alone = cov.map((e) => ({ ...e, reliable: true, note: undefined }));
    expect(applyRelaxationRule(alone, 200 / 32, 0.01)).toBe(alone.length);
    expect(alone[0].note).toMatch(/shorter than 5 correlation times/);
    expect(r.warnings.join("\n")).toMatch(/too few effective samples/);
  });

  it("weakly damped oscillators: kinetic temperatures 9 error bars off are not flagged reliable", () => {
    // friction 0.02: energy correlation time 50; one replica of 200 in batches of 6.25
    const r = simulateAndVerifySync(WEAK, exactOU({ dt: 0.5 }), { time: 200, seed: 4, replicas: 1, burnIn: 0 });
    for (const e of r.estimates) {
      if (e.reliable) expect(Math.abs(e.deviation!)).toBeLessThan(4);
    }
    expect(r.estimates.filter((e) => e.group === "kinetic temperature").every((e) => !e.reliable)).toBe(true);
  });

  it("batches many relaxation times long keep their reliable flag", () => {
    // relaxation time 2 (slowest rate 0.5): 4 replicas x 8 batches of 25
    const fast = loadModel(`
kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`);
    const r = simulateAndVerifySync(fast, exactOU({ dt: 0.1 }), { time: 200, seed: 2, replicas: 4 });
    expect(r.estimates.filter((e) => e.reliable).length).toBe(r.estimates.length);
  });
});
