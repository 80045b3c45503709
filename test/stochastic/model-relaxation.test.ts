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
import { modelRelaxation } from "../../src/stochastic/relaxation.js";
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
  it("a harmonic network: the linearised rate is the linear engine's slowest rate; quartic terms do not change it", () => {
    const text = (quartic: number) => `kind: network
sites: [a, b, c]
pinning: {a: 1, b: 0.5, c: 2}
quarticPinning: ${quartic}
springs: [{between: [a, b], stiffness: 1, quartic: ${quartic}}, {between: [b, c], stiffness: 0.3}]
baths: [{site: a, friction: 0.2, temperature: 1}, {site: c, friction: 0.05, temperature: 3}]`;
    const exact = solveNetwork(loadModel(text(0)) as NetworkModel).slowestRate;
    for (const quartic of [0, 0.7]) {
      const r = modelRelaxation(loadModel(text(quartic)))!;
      expect(r.source).toBe("linearised");
      expect(Math.abs(r.rate - exact)).toBeLessThan(1e-12 * exact);
    }
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
