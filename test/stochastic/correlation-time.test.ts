/**
 * Each estimate's own correlation time (docs/stochastic.md, What "reliable" means): the integrated autocorrelation
 * of its sub-batch series with Sokal's window (statistics.ts integratedAutocorrelation), and the rule that an
 * estimate's batches be at least 5 of those times long (reliability.ts applyCorrelationTimeRule). Coverage over many
 * seeds: scripts/errorbar-coverage.js and scripts/errorbar-coverage-nonlinear.js.
 */
import { describe, expect, it } from "vitest";
import { exactOU, loadModel, simulateAndVerifySync, simulateSync } from "../../src/index.js";
import { Rng } from "../../src/stochastic/rng.js";
import { correlationTimeOf } from "../../src/stochastic/reliability.js";
import { integratedAutocorrelation, SUB_BATCHES, subBatchAutocorrelations } from "../../src/stochastic/statistics.js";
import { MAX_SUB_BATCH_BYTES, outputBytesHeld, preparePlan, splitOutputs } from "../../src/stochastic/run.js";
import { expectSameArray } from "../helpers/arrays.js";

/** `replicas` independent AR(1) series x_t = phi x_{t-1} + noise, each `length` long and started stationary. */
function ar1(phi: number, replicas: number, length: number, seed: number): Float64Array {
  const out = new Float64Array(replicas * length);
  for (let r = 0; r < replicas; r++) {
    const rng = Rng.stream(seed, r);
    let x = rng.normal() / Math.sqrt(1 - phi * phi);
    for (let t = 0; t < length; t++) {
      out[r * length + t] = x;
      x = phi * x + rng.normal();
    }
  }
  return out;
}

const OWN_NOTE = /own correlation time .* measured from its sub-batches/;

describe("integrated autocorrelation (Sokal's window and Geyer's initial monotone sequence)", () => {
  it("finds an AR(1) series' variance factor (1 + phi)/(1 - phi)", () => {
    // Sokal's variance of the estimate: 2 (2 W + 1) / N relative, W about 5 g / 2: 7% for phi 0.8 over 20000 values.
    for (const [phi, bound] of [
      [0.8, 0.2],
      [0.5, 0.12],
      [0, 0.06],
    ]) {
      const g = integratedAutocorrelation(ar1(phi, 4, 5000, 11), [5000, 5000, 5000, 5000], new Float64Array(20000));
      const exact = (1 + phi) / (1 - phi);
      expect(Math.abs(g / exact - 1)).toBeLessThan(bound);
    }
  });

  it("keeps a slow positive tail behind a fast alternating part (lag-1 autocorrelation below -0.3)", () => {
    // x = A + B, independent AR(1) series: A of coefficient a = -0.8 and variance vA = 4, B of coefficient b = 0.9
    // and variance vB = 1. rho_k = (vA a^k + vB b^k)/(vA + vB), so g = 1 + 2 sum_k rho_k =
    // (vA (1 + a)/(1 - a) + vB (1 + b)/(1 - b))/(vA + vB) = (4/9 + 19)/5 = 3.889. rho_1 = -0.46: Sokal's window alone
    // stops at lag 1 with g = 1 + 2 rho_1 = 0.08. Over 40 seeds the estimate was 0.8% high with a spread of 3.2%.
    const a = -0.8,
      b = 0.9,
      vA = 4,
      vB = 1;
    const replicas = 8,
      length = 10000;
    const x = new Float64Array(replicas * length);
    for (let r = 0; r < replicas; r++) {
      const rng = Rng.stream(3, r);
      let p = Math.sqrt(vA) * rng.normal(),
        q = Math.sqrt(vB) * rng.normal();
      for (let t = 0; t < length; t++) {
        x[r * length + t] = p + q;
        p = a * p + Math.sqrt(vA * (1 - a * a)) * rng.normal();
        q = b * q + Math.sqrt(vB * (1 - b * b)) * rng.normal();
      }
    }
    const exact = (vA * ((1 + a) / (1 - a)) + vB * ((1 + b) / (1 - b))) / (vA + vB);
    const g = integratedAutocorrelation(x, new Array<number>(replicas).fill(length), new Float64Array(x.length));
    expect(Math.abs(g / exact - 1)).toBeLessThan(0.15);
  });

  it("gives NaN where the window is not reached within half a replica, 1 for constant values", () => {
    // a drift (a ramp over each replica): the autocorrelation stays near 1 and the window runs past half the series
    const ramp = Float64Array.from({ length: 40 }, (_, i) => i % 20);
    expect(integratedAutocorrelation(ramp, [20, 20], new Float64Array(40))).toBeNaN();
    // the same values shuffled within each replica are not a drift
    const rng = Rng.stream(5);
    const shuffled = Float64Array.from(ramp);
    for (let i = 39; i > 0; i--) {
      const lo = i < 20 ? 0 : 20,
        j = lo + Math.floor(rng.uniform() * (i - lo + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expect(integratedAutocorrelation(shuffled, [20, 20], new Float64Array(40))).toBeLessThan(2);
    expect(integratedAutocorrelation(new Float64Array(10).fill(2), [10], new Float64Array(10))).toBe(1);
  });
});

describe("the correlation-time rule in the engine", () => {
  // two weakly damped oscillators (friction 0.02): energy correlation time 50
  const weak = loadModel(`kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 0.02, temperature: 2}, {site: b, friction: 0.02, temperature: 1}]`);

  it("takes the flag of a short run's kinetic temperature whose batches look uncorrelated", () => {
    // 20 energy correlation times, batches of 31: its lag-1 batch correlation passes, and no other rule of the
    // engine alone sees it (simulateAndVerify's exact slowest-mode rule would)
    const options = { time: 1000, seed: 4, burnIn: 0 };
    const run = simulateSync(weak, exactOU({ dt: 0.5 }), options);
    const exact = simulateAndVerifySync(weak, exactOU({ dt: 0.5 }), options);
    const k = run.estimates.findIndex((e) => e.group === "kinetic temperature" && e.name === "a");
    const e = run.estimates[k],
      x = exact.estimates.find((y) => y.group === e.group && y.name === e.name)!;
    expect(Math.abs((e.value - x.exact!) / e.error)).toBeGreaterThan(5); // the error bar is far too small
    expect(run.statistical[k].note).not.toMatch(/consecutive batches are correlated|in this run are correlated/);
    expect(e.reliable).toBe(false);
    expect(e.note).toMatch(OWN_NOTE);
  });

  it("keeps the flags of a long weakly anharmonic chain's estimates that barely feel its slowest mode", () => {
    // The chain of docs/stochastic.md (Error bars measured): every bath at T = 1, so kinetic temperatures are 1 and
    // momentum covariances, heat fluxes and means 0 (Boltzmann). Batches of 312.5 are 1.5 correlation times of its
    // slowest mode (0.00237, effective harmonic): the model's rate alone takes every flag.
    const sites = ["s1", "s2", "s3", "s4", "s5", "s6"];
    const chain = loadModel(`kind: network
sites: [${sites.join(", ")}]
pinning: 1
quarticPinning: 0.1
springs: [${sites
      .slice(1)
      .map((b, i) => `{between: [${sites[i]}, ${b}], stiffness: 1, quartic: 0.1}`)
      .join(", ")}]
baths: [{site: s1, friction: 0.1, temperature: 1}, {site: s6, friction: 0.1, temperature: 1}]`);
    const run = simulateSync(chain, { dt: 0.02 }, { time: 10000, seed: 2 });
    const exact = (group: string, name: string): number | undefined => {
      if (group === "kinetic temperature") return 1;
      if (group === "mean" || group === "spring flux" || group === "bath flux") return 0;
      if (group === "covariance" && /^p:(\w+) p:(\w+)$/.test(name)) {
        const [, a, b] = /^p:(\w+) p:(\w+)$/.exec(name)!;
        return a === b ? 1 : 0;
      }
      if (group === "covariance" && /^q:\w+ p:\w+$/.test(name)) return 0;
      return undefined;
    };
    let compared = 0,
      flagged = 0;
    for (const e of run.estimates) {
      const x = exact(e.group, e.name);
      if (x === undefined) continue;
      compared++;
      if (!e.reliable) continue;
      flagged++;
      expect(Math.abs((e.value - x) / e.error)).toBeLessThan(4.5);
    }
    expect(compared).toBeGreaterThan(60);
    expect(flagged).toBeGreaterThan(compared / 2);
    expect(run.estimates.some((e) => /estimated from the model/.test(e.note ?? ""))).toBe(false);
  });
});

describe("correlationTimeOf", () => {
  it("inverts the sub-batch autocorrelation of an exponential correlation", () => {
    // sub-batches c tau long of an exponential correlation of time tau have g = c/(c - 1 + e^-c)
    for (const c of [0.01, 0.3, 1, 2.5, 10]) {
      const g = c / (c - 1 + Math.exp(-c));
      expect(correlationTimeOf(g, 7) * c).toBeCloseTo(7, 8);
    }
    expect(correlationTimeOf(400, 1)).toBeCloseTo(200, 0);
    expect(correlationTimeOf(0.9, 1)).toBe(0);
    expect(correlationTimeOf(NaN, 1)).toBeNaN();
  });
});

describe("the memory of the sub-batch sums", () => {
  const chain = loadModel(`kind: network
sites: [a, b, c]
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 1, temperature: 1}]`);
  const plan = (replicas: number, batches: number) =>
    preparePlan(chain, { dt: 0.05 }, { time: batches * SUB_BATCHES * 0.05, seed: 1, replicas, batches });

  it("counts what a run holds (its outputs twice while its blocks are collected), not the stored sums alone", () => {
    const K = plan(1, 10).K;
    // the most replicas x batches whose outputs, held twice, fit under the limit
    const fit = Math.floor(MAX_SUB_BATCH_BYTES / (2 * 8 * K * SUB_BATCHES));
    const batches = Math.floor(fit / 4);
    expect(outputBytesHeld(4, batches, K, SUB_BATCHES)).toBeLessThanOrEqual(MAX_SUB_BATCH_BYTES);
    expect(plan(4, batches).subBatches).toBe(SUB_BATCHES);
    // one more batch a replica is over the limit (the sums alone, 4/5 of the outputs once, were far below it)
    expect(outputBytesHeld(4, batches + 1, K, SUB_BATCHES)).toBeGreaterThan(MAX_SUB_BATCH_BYTES);
    expect(8 * 4 * (batches + 1) * (SUB_BATCHES - 1) * K).toBeLessThan(MAX_SUB_BATCH_BYTES / 2);
    expect(plan(4, batches + 1).subBatches).toBe(1);
  });

  it("reads the sub-batch sums in place in the outputs: the same correlation times as from a separate copy", () => {
    const p = plan(3, 4);
    const S = p.subBatches,
      K = p.K,
      B = p.batches,
      P = p.perReplica;
    const rng = Rng.stream(5, 0);
    const outputs = new Float64Array(3 * P);
    rng.fillNormal(outputs, 0, outputs.length);
    const { batchMeans, subSumsAt } = splitOutputs(p, outputs);
    const separate = new Float64Array(3 * B * (S - 1) * K);
    for (let r = 0; r < 3; r++) separate.set(outputs.subarray(r * P + B * K, (r + 1) * P), r * B * (S - 1) * K);
    const samples = Float64Array.from({ length: S + 1 }, (_, j) => j * 7);
    const a = subBatchAutocorrelations(batchMeans, separate, K, samples, B, p.estimands);
    const b = subBatchAutocorrelations(batchMeans, outputs, K, samples, B, p.estimands, subSumsAt);
    expectSameArray(b, a);
    expect(a.some(Number.isFinite)).toBe(true);
  });
});
