/**
 * The slowest-mode rule of "reliable" for NONLINEAR models, on a relaxation rate estimated from the model itself
 * (src/stochastic/relaxation.ts; docs/stochastic.md, What "reliable" means): a network's drift linearised at its
 * potential's minimum, and the gap of a one-dimensional overdamped diffusion (barrier crossings included). Coverage
 * over many seeds: scripts/errorbar-coverage-nonlinear.js.
 */
import { describe, expect, it } from "vitest";
import { loadModel, simulateSync, solveNetwork } from "../../src/index.js";
import type { NetworkModel } from "../../src/model/networkModel.js";
import { exactParticles } from "../../src/verify/reference.js";
import { applyRelaxationRule } from "../../src/stochastic/reliability.js";
import { effectiveHarmonicNetwork, linearisedNetworkRate, modelRelaxation } from "../../src/stochastic/relaxation.js";
import type { Estimate } from "../../src/stochastic/statistics.js";

const MODEL_NOTE = /estimated from the model/;

/** One overdamped particle at T = 1 in x^2/2 + A cos(pi x): two wells near +-1, barrier about (2 A - 0.5) T. */
const doubleWell = (amplitude: number) =>
  loadModel(`kind: particles
dynamics: overdamped
dimension: 1
species:
  - {name: a, count: 1, temperature: 1}
external:
  - {potential: harmonic, stiffness: 1}
  - {potential: cosine, amplitude: ${amplitude}, period: 2}`);

/** <x^2> of exp(-V) for V = x^2/2 + A cos(pi x), by Simpson's rule on [-12, 12]. */
function boltzmannX2(amplitude: number): number {
  const n = 24_000,
    h = 24 / n;
  let z = 0,
    m = 0;
  for (let i = 0; i <= n; i++) {
    const x = -12 + i * h;
    const w = (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-(x * x) / 2 - amplitude * Math.cos(Math.PI * x));
    z += w;
    m += w * x * x;
  }
  return m / z;
}

describe("the relaxation rate of a model", () => {
  it("a harmonic network: the effective harmonic rate is the linear engine's slowest rate", () => {
    const text = (quartic: number) => `kind: network
sites: [a, b, c]
pinning: {a: 1, b: 0.5, c: 2}
quarticPinning: ${quartic}
springs: [{between: [a, b], stiffness: 1, quartic: ${quartic}}, {between: [b, c], stiffness: 0.3}]
baths: [{site: a, friction: 0.2, temperature: 1}, {site: c, friction: 0.05, temperature: 3}]`;
    const exact = solveNetwork(loadModel(text(0)) as NetworkModel).slowestRate;
    const harmonic = modelRelaxation(loadModel(text(0)))!;
    expect(harmonic.source).toBe("effective harmonic");
    expect(Math.abs(harmonic.rate - exact)).toBeLessThan(1e-12 * exact);
    expect(Math.abs(linearisedNetworkRate(loadModel(text(0.7)) as NetworkModel)! - exact)).toBeLessThan(1e-12 * exact);
    // the quartic terms' mean curvature changes the effective network and its rate (here slower, by 18%: a stiffer
    // spring moves the slowest mode's weight away from the baths); it is not the linearised rate
    const effective = modelRelaxation(loadModel(text(0.7)))!.rate;
    expect(Math.abs(effective - exact)).toBeGreaterThan(0.1 * exact);
  });

  it("a site pinned by neither term (held by its springs) still gives a rate", () => {
    // the usual nonlinear chain: pinned ends, a free interior site; its pinning stays 0 through the iteration
    const model = loadModel(`kind: network
sites: [a, b, c]
pinning: {a: 1, b: 0, c: 2}
quarticPinning: {a: 0.7}
springs: [{between: [a, b], stiffness: 1, quartic: 0.7}, {between: [b, c], stiffness: 0.3}]
baths: [{site: a, friction: 0.2, temperature: 1}, {site: c, friction: 0.05, temperature: 3}]`);
    const got = modelRelaxation(model);
    expect(got?.source).toBe("effective harmonic");
    const effective = effectiveHarmonicNetwork(model as NetworkModel)!;
    expect(effective.pinning[1]).toBe(0);
    // its rate is the linear engine's slowest rate of the effective network
    const exact = solveNetwork(effective).slowestRate;
    expect(Math.abs(got!.rate - exact)).toBeLessThan(1e-12 * exact);
  });

  it("one overdamped site with quartic pinning: the self-consistent curvature in closed form", () => {
    // V = kappa q^2/2 + c q^4/4 at temperature T, friction gamma: kappa_eff = kappa + 3 c <q^2> with <q^2> = T/kappa_eff,
    // so kappa_eff = (kappa + sqrt(kappa^2 + 12 c T))/2 and the rate is kappa_eff/gamma (the iteration stops at a
    // relative change of 1e-6)
    for (const [kappa, c, T, gamma] of [
      [1, 0.1, 1, 1],
      [0.5, 2, 3, 0.25],
    ]) {
      const model = loadModel(`kind: network
dynamics: overdamped
sites: [a]
pinning: ${kappa}
quarticPinning: ${c}
baths: [{site: a, friction: ${gamma}, temperature: ${T}}]`) as NetworkModel;
      const expected = (kappa + Math.sqrt(kappa * kappa + 12 * c * T)) / 2 / gamma;
      expect(Math.abs(modelRelaxation(model)!.rate - expected)).toBeLessThan(1e-5 * expected);
      const effective = effectiveHarmonicNetwork(model)!;
      expect(effective.quarticPinning[0]).toBe(0);
      expect(Math.abs(effective.pinning[0] - expected * gamma)).toBeLessThan(1e-5 * expected * gamma);
    }
  });

  it("a quartic spring's curvature: two overdamped sites at one temperature, in closed form", () => {
    // pinning p per site, spring k d^2/2 + c d^4/4 (d = q_a - q_b) at temperature T: the effective potential matrix
    // [[p + k', -k'], [-k', p + k']] gives <q q^T> = T V^-1 and <d^2> = 2 T / (p + 2 k'); self-consistency
    // k' = k + 3 c <d^2> is 2 k'^2 + (p - 2 k) k' - k p - 6 c T = 0. The rates are p/gamma (centre of mass, the
    // slowest here) and (p + 2 k')/gamma.
    const [p, k, c, T, gamma] = [0.01, 1, 3, 1.5, 2];
    const model = loadModel(`kind: network
dynamics: overdamped
sites: [a, b]
pinning: ${p}
springs: [{between: [a, b], stiffness: ${k}, quartic: ${c}}]
baths: [{site: a, friction: ${gamma}, temperature: ${T}}, {site: b, friction: ${gamma}, temperature: ${T}}]`) as NetworkModel;
    const kEff = (2 * k - p + Math.sqrt((p - 2 * k) ** 2 + 8 * (k * p + 6 * c * T))) / 4;
    const effective = effectiveHarmonicNetwork(model)!;
    expect(Math.abs(effective.springs[0].stiffness - kEff)).toBeLessThan(1e-5 * kEff);
    expect(effective.springs[0].quartic).toBe(0);
    expect(Math.abs(modelRelaxation(model)!.rate - p / gamma)).toBeLessThan(1e-9);
  });

  it("an overdamped particle in a harmonic trap: the diffusion gap is the linear engine's slowest rate", () => {
    // stiffness 3, friction 2: rate 3/2 exactly; the grid's error is about 1e-4 relative
    const trap = loadModel(`kind: particles
dynamics: overdamped
dimension: 2
species:
  - {name: a, count: 1, temperature: 1.5, friction: 2}
external:
  - {potential: harmonic, stiffness: 3}`);
    const exact = exactParticles(trap as never)!.steadyState.slowestRate;
    expect(Math.abs(exact - 1.5)).toBeLessThan(1e-12);
    const r = modelRelaxation(trap)!;
    expect(r.source).toBe("diffusion");
    expect(Math.abs(r.rate - exact)).toBeLessThan(1e-3 * exact);
  });

  it("a double well: the rate is twice Kramers' barrier-crossing rate, closer as the barrier grows", () => {
    // Kramers (overdamped, friction 1): k = sqrt(U''(well) |U''(barrier)|) / (2 pi) exp(-(U(0) - U(well)) / T) per
    // direction; the two wells' populations relax at 2k. Barriers about 3.5, 5.5, 7.5 T (A = 2, 3, 4); the
    // finite-barrier corrections to Kramers' formula are of order T / barrier.
    let previous = 0;
    for (const A of [2, 3, 4]) {
      const U = (x: number) => (x * x) / 2 + A * Math.cos(Math.PI * x);
      let well = 1;
      for (let i = 0; i < 50; i++) {
        well -= (well - A * Math.PI * Math.sin(Math.PI * well)) / (1 - A * Math.PI ** 2 * Math.cos(Math.PI * well));
      }
      const curvature = 1 - A * Math.PI ** 2 * Math.cos(Math.PI * well),
        top = A * Math.PI ** 2 - 1;
      const kramers = (Math.sqrt(curvature * top) / (2 * Math.PI)) * Math.exp(-(U(0) - U(well)));
      const ratio = modelRelaxation(doubleWell(A))!.rate / (2 * kramers);
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1);
      expect(ratio).toBeGreaterThan(previous);
      previous = ratio;
    }
  });

  it("no rate for interacting particles", () => {
    const soft = loadModel(`kind: particles
dynamics: overdamped
dimension: 1
species:
  - {name: a, count: 2, temperature: 1}
pairs: [{potential: soft, stiffness: 10, range: 1}]
external:
  - {potential: harmonic, stiffness: 1}
  - {potential: cosine, amplitude: 2, period: 2}`);
    expect(modelRelaxation(soft)).toBeUndefined();
  });
});

describe("the slowest-mode rule on the model's rate", () => {
  it("a short double-well run, short against its Kramers time, is not flagged reliable", () => {
    // barrier about 5.5 T: relaxation time 1/0.033 = 30; one replica of 200 (< 20 x 30), burn-in 20
    const r = simulateSync(doubleWell(3), { dt: 0.002 }, { time: 200, seed: 6 });
    for (const e of r.estimates) expect(e.reliable).toBe(false);
    // without the rule <x^2> would be flagged, more than 3 error bars from the Boltzmann value: this rule's notes
    // are its only ones, its own batches and the run's are uncorrelated
    const x2 = r.estimates.find((e) => e.group === "covariance")!;
    expect(x2.note!.split("; ").every((n) => MODEL_NOTE.test(n))).toBe(true);
    expect(Math.abs(x2.value - boltzmannX2(3))).toBeGreaterThan(3 * x2.error);
    expect(r.warnings.join("\n")).toMatch(/too few effective samples/);
  });

  it("a long double-well run keeps its flags and covers the Boltzmann value", () => {
    // barrier about 3.5 T: relaxation time 6.5; one replica of 1500 (> 20 x 6.5), burn-in 150
    const r = simulateSync(doubleWell(2), { dt: 0.002 }, { time: 1500, seed: 1 });
    for (const e of r.estimates) expect(e.note ?? "").not.toMatch(MODEL_NOTE);
    const x2 = r.estimates.find((e) => e.group === "covariance")!;
    const v = r.estimates.find((e) => e.group === "potential energy")!;
    expect(x2.reliable && v.reliable).toBe(true);
    expect(Math.abs(x2.value - boltzmannX2(2))).toBeLessThan(4 * x2.error);
  });

  it("a barrier crossing asks for a long run, not long batches; a short burn-in takes the flag", () => {
    const est = (group: string): Estimate => ({ group, name: "x", value: 0, error: 1, reliable: true, batches: 32 });
    // rate 0.1: on a diffusion's gap a replica needs 20/0.1 = 200 of production, whatever its batches
    const a = [est("covariance")],
      b = [est("covariance")];
    expect(applyRelaxationRule(a, 1, 0.1, "diffusion", 100, 200)).toBe(0);
    expect(applyRelaxationRule(b, 100, 0.1, "diffusion", 100, 199)).toBe(1);
    expect(b[0].note).toMatch(/shorter than 20 relaxation times of the model/);
    // on a linearised rate: batches of 5/(2 x 0.1) = 25 for a covariance, and a burn-in of one correlation time (5)
    const c = [est("covariance")],
      d = [est("covariance")],
      f = [est("covariance")];
    expect(applyRelaxationRule(c, 24, 0.1, "linearised", 100, 1e6)).toBe(1);
    expect(applyRelaxationRule(d, 25, 0.1, "linearised", 4, 1e6)).toBe(1);
    expect(d[0].note).toMatch(/burn-in of 4 time units/);
    expect(applyRelaxationRule(f, 25, 0.1, "linearised", 5, 1e6)).toBe(0);
  });
});
