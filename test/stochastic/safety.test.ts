// The time-step limit (src/stochastic/safety.ts) against independent checks: the species-reduced Hessian against
// the full matrix of the equivalent network, the limit against the spectral radius of each integrator's one-step map
// (linear.ts), the WCA curvature against finite differences, and the WCA limit against simulations of a pair (stable
// and unbiased at the limit, stopped far beyond it); the divergence checks and the statistics of broken runs.
import { describe, expect, it } from "vitest";
import { eigenvalues } from "../../src/linalg/eigen.js";
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";
import { validateParticles, type ParticlesModel } from "../../src/model/particles.js";
import { schemeMap } from "../../src/stochastic/linear.js";
import type { SchemeName as Scheme } from "../../src/stochastic/integrators.js";
import { findEstimate } from "../../src/stochastic/run.js";
import { wcaCurvature } from "../../src/stochastic/potentials/pairLaws.js";
import { networkTimeScale, particleTimeScale, REACHABLE_ENERGY, SimulationError } from "../../src/stochastic/safety.js";
import { reduceBatches, linear } from "../../src/stochastic/statistics.js";
import { SteadyStateError } from "../../src/errors.js";
import { particlesAsNetwork } from "../../src/problem/particles.js";
import { exactNetwork } from "../../src/verify/reference.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { rng } from "../helpers/random.js";

type Draw = () => number;
const between = (r: Draw, lo: number, hi: number) => lo + (hi - lo) * r();

function randomLinearParticles(r: Draw): ParticlesModel {
  const S = 1 + Math.floor(r() * 3);
  const dynamics = r() < 0.5 ? "underdamped" : "overdamped";
  const names = ["A", "B", "C"].slice(0, S);
  const species = names.map((name) => ({
    name,
    count: 1 + Math.floor(r() * 3),
    temperature: between(r, 0.3, 4),
    friction: between(r, 0.1, 5),
    ...(dynamics === "underdamped" ? { mass: between(r, 0.1, 5) } : {}),
  }));
  const pairs = [];
  for (let a = 0; a < S; a++)
    for (let b = a; b < S; b++) {
      if (r() < 0.7)
        pairs.push({ between: [names[a], names[b]], potential: "harmonic", stiffness: between(r, 0.1, 10) });
    }
  const external = names
    .filter(() => r() < 0.8)
    .map((name) => ({ potential: "harmonic", stiffness: between(r, 0.1, 5), species: [name] }));
  return validateParticles({
    kind: "particles",
    dynamics,
    dimension: 1 + Math.floor(r() * 3),
    species,
    pairs,
    external,
  });
}

/** Spectral radius of a scheme's one-step map. */
function spectralRadius(m: NetworkModel, scheme: Scheme, dt: number): number {
  const { re, im } = eigenvalues(schemeMap(m, scheme, dt).M);
  let rho = 0;
  for (let k = 0; k < re.length; k++) rho = Math.max(rho, Math.hypot(re[k], im[k]));
  return rho;
}

describe("stability limit of linear systems", () => {
  it("Metzger's harmonic pair: the rate of the whole field is 2k + lambda = 3 (limit dt < 0.667), not 2k = 2", () => {
    const m = validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 1,
      species: [
        { name: "hot", count: 1, temperature: 5 },
        { name: "cold", count: 1, temperature: 1 },
      ],
      pairs: [{ between: ["hot", "cold"], potential: "harmonic", stiffness: 1 }],
      external: [{ potential: "harmonic", stiffness: 1 }],
    });
    const ts = particleTimeScale(m);
    expect(ts.value).toBeCloseTo(3, 12);
    expect(ts.exact).toBe(true);
    expect(() => simulateAndVerifySync(m, { dt: 0.7 }, { time: 10, seed: 1 })).toThrow(/dt < 2\/lambda = 0\.667/);
  });

  it("the species reduction equals the largest eigenvalue of the full matrix (random species, counts, frictions, masses)", () => {
    const r = rng(3);
    for (let k = 0; k < 40; k++) {
      const m = randomLinearParticles(r);
      const net = particlesAsNetwork(m)!;
      const ts = particleTimeScale(m);
      const full = networkTimeScale(net).value;
      expect(ts.exact).toBe(true);
      expect(Math.abs(ts.value - full), JSON.stringify(m.species)).toBeLessThanOrEqual(1e-9 * full);
    }
  });

  it("the limit is where each integrator's one-step map stops contracting (BAOAB for any friction, Heun, Euler-Maruyama)", () => {
    const r = rng(5);
    let checked = 0;
    for (let k = 0; k < 60 && checked < 30; k++) {
      const net = k % 2 === 0 ? particlesAsNetwork(randomLinearParticles(r))! : randomNetwork(r);
      if (!exactOrNone(net)) continue;
      const limit = 2 / networkTimeScale(net).value;
      const schemes: Scheme[] = net.dynamics === "underdamped" ? ["baoab"] : ["heun", "euler-maruyama"];
      for (const s of schemes) {
        expect(spectralRadius(net, s, 0.999 * limit), `${s} below`).toBeLessThan(1);
        expect(spectralRadius(net, s, 1.001 * limit), `${s} above`).toBeGreaterThan(1);
      }
      checked++;
    }
    expect(checked).toBe(30);
  });
});

function randomNetwork(r: Draw): NetworkModel {
  const n = 1 + Math.floor(r() * 4);
  const dynamics = r() < 0.5 ? "underdamped" : "overdamped";
  const sites = Array.from({ length: n }, (_, k) => `s${k}`);
  const springs = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      if (r() < 0.7) springs.push({ between: [sites[a], sites[b]], stiffness: between(r, 0.1, 10) });
  const pinning = Object.fromEntries(sites.map((s) => [s, r() < 0.2 ? 0 : between(r, 0.1, 5)]));
  const masses = Object.fromEntries(sites.map((s) => [s, between(r, 0.1, 5)]));
  const bathed = dynamics === "overdamped" ? sites : sites.filter(() => r() < 0.6);
  if (bathed.length === 0) bathed.push(sites[0]);
  const baths = bathed.map((s) => ({ site: s, friction: between(r, 0.05, 20), temperature: between(r, 0.3, 4) }));
  return validateNetwork({
    kind: "network",
    dynamics,
    sites,
    pinning,
    springs,
    baths,
    ...(dynamics === "underdamped" ? { masses } : {}),
  });
}

describe("exact time-step bias of linear models (bias.ts)", () => {
  it("large-dt runs land on exact value + timeStepBias within 4 error bars (particles, networks; Heun, EM, BAOAB)", () => {
    const pairModel = validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 2,
      species: [
        { name: "hot", count: 1, temperature: 5 },
        { name: "cold", count: 2, temperature: 1, friction: 2 },
      ],
      pairs: [{ between: ["hot", "cold"], potential: "harmonic", stiffness: 1 }],
      external: [{ potential: "harmonic", stiffness: 1 }],
    });
    const chain = validateNetwork({
      kind: "network",
      sites: 3,
      pinning: 0.5,
      masses: { 1: 1, 2: 2, 3: 0.5 },
      springs: [
        { between: [1, 2], stiffness: 2 },
        { between: [2, 3], stiffness: 1 },
      ],
      baths: [
        { site: 1, friction: 1, temperature: 3 },
        { site: 3, friction: 0.5, temperature: 1 },
      ],
    });
    const overdamped = validateNetwork({
      kind: "network",
      dynamics: "overdamped",
      sites: 2,
      pinning: 1,
      springs: [{ between: [1, 2], stiffness: 1 }],
      baths: [
        { site: 1, friction: 1, temperature: 2 },
        { site: 2, friction: 2, temperature: 1 },
      ],
    });
    const runs: [ParticlesModel | NetworkModel, "heun" | "euler-maruyama" | "baoab", number][] = [
      [pairModel, "heun", 0.6],
      [pairModel, "euler-maruyama", 0.5],
      [chain, "baoab", 1.2],
      [overdamped, "euler-maruyama", 1.0],
    ];
    let biased = 0;
    for (const [model, scheme, z] of runs) {
      const ts = model.kind === "network" ? networkTimeScale(model) : particleTimeScale(model);
      const dt = z / ts.value;
      const r = simulateAndVerifySync(model, { scheme, dt }, { time: 20000 * dt, seed: 9, replicas: 8 });
      for (const e of r.estimates) {
        if (e.exact === undefined) continue;
        expect(e.timeStepBias, `${scheme} ${e.group} ${e.name}`).toBeDefined();
        const off = (e.value - e.exact - e.timeStepBias!) / e.error;
        expect(
          Math.abs(off),
          `${scheme} ${e.group} ${e.name}: ${e.value} +- ${e.error}, exact ${e.exact}, bias ${e.timeStepBias}`,
        ).toBeLessThan(4);
        if (Math.abs(e.timeStepBias!) > 4 * e.error) biased++;
      }
    }
    // The biases are resolved (many error bars), so the agreement is a test of them.
    expect(biased).toBeGreaterThan(8);
  });
});

describe("WCA: the curvature the dynamics reaches", () => {
  const U = (r: number) => 4 * (r ** -12 - r ** -6) + 1;
  it("wcaCurvature is U'' where U = u (finite differences), 57.1 eps/sigma^2 at the cutoff, and scales with eps/sigma^2", () => {
    for (const u of [0, 0.5, 3, 10, 40]) {
      // Solve U(r) = u on the repulsive branch by bisection.
      let lo = 0.5,
        hi = 2 ** (1 / 6);
      for (let k = 0; k < 200; k++) {
        const mid = 0.5 * (lo + hi);
        if (U(mid) > u) lo = mid;
        else hi = mid;
      }
      const r = 0.5 * (lo + hi),
        h = 1e-5;
      const fd = (U(r + h) - 2 * U(r) + U(r - h)) / (h * h);
      expect(Math.abs(wcaCurvature(1, 1, u) - fd) / fd, `u = ${u}`).toBeLessThan(1e-5);
    }
    expect(wcaCurvature(1, 1, 0)).toBeCloseTo(57.15, 1);
    expect(wcaCurvature(2, 0.5, 20) / wcaCurvature(1, 1, 10)).toBeCloseTo(2 / 0.25, 10);
  });

  const pair = (dynamics: "overdamped" | "underdamped"): ParticlesModel =>
    validateParticles({
      kind: "particles",
      dynamics,
      dimension: 2,
      box: 2.5,
      species: [
        { name: "a", count: 1, temperature: 1 },
        { name: "b", count: 1, temperature: 1 },
      ],
      pairs: [{ potential: "wca", epsilon: 1, sigma: 1 }],
      initial: [
        [0, 0],
        [1.25, 1.25],
      ],
    });

  it(`a pair (T = eps) at the limit from U = ${REACHABLE_ENERGY} T is stable and unbiased; far beyond it, it diverges and is stopped`, () => {
    for (const dynamics of ["overdamped", "underdamped"] as const) {
      const m = pair(dynamics);
      const ts = particleTimeScale(m);
      const limit = 2 / ts.value;
      expect(ts.exact).toBe(false);
      // Overdamped: rate 2 U''/gamma with U'' = wcaCurvature at U = 10 T; underdamped: sqrt(2 U''/m).
      const c = wcaCurvature(1, 1, REACHABLE_ENERGY);
      expect(ts.value).toBeCloseTo(dynamics === "overdamped" ? 2 * c : Math.sqrt(2 * c), 6);
      const steps = dynamics === "overdamped" ? 60000 : 30000;
      const at = simulateAndVerifySync(m, { dt: 0.99 * limit }, { time: steps * 0.99 * limit, seed: 3, replicas: 4 });
      const ref = simulateAndVerifySync(m, { dt: 0.25 * limit }, { time: steps * 0.99 * limit, seed: 4, replicas: 4 });
      const a = findEstimate(at, "potential energy", "per particle"),
        b = findEstimate(ref, "potential energy", "per particle");
      expect(
        Math.abs(a.value - b.value),
        `${dynamics}: ${a.value} +- ${a.error} vs ${b.value} +- ${b.error}`,
      ).toBeLessThan(4 * Math.hypot(a.error, b.error));
      expect(at.warnings.join(" ")).not.toMatch(/exceeds the estimated stability limit/);
      // Six times beyond: the pair climbs the wall until its energy explodes (the old limit, 57.1 eps/sigma^2, was 53x higher).
      expect(() =>
        simulateAndVerifySync(m, { dt: 6 * limit }, { time: 100000 * 6 * limit, seed: 3, replicas: 2 }),
      ).toThrow(SimulationError);
    }
  });
});

describe("divergence and broken statistics", () => {
  it("an estimate with no finite error bar is never reliable and has no deviation", () => {
    const spec = [{ group: "g", name: "x", estimand: linear([[0, 1]]), exact: 1 }];
    const one = reduceBatches(Float64Array.of(2), 1, 1, spec)[0];
    expect(one.reliable).toBe(false);
    expect(one.deviation).toBeUndefined();
    const huge = reduceBatches(
      Float64Array.from({ length: 32 }, (_, k) => (k % 2 ? 1e200 : -1e200)),
      1,
      32,
      spec,
    )[0];
    expect(Number.isFinite(huge.error)).toBe(false);
    expect(huge.reliable).toBe(false);
    expect(huge.deviation).toBeUndefined();
    expect(huge.note).toMatch(/cannot be computed/);
    const zero = reduceBatches(new Float64Array(32).fill(2), 1, 32, spec)[0];
    expect(zero.error).toBe(0);
    expect(zero.deviation).toBeUndefined();
  });

  it("a run whose energy grows without bound below the non-finite range is stopped, naming the limit", () => {
    // Far beyond the estimated limit of a quartic pinning the state grows by orders of magnitude per check.
    const m = validateNetwork({
      kind: "network",
      dynamics: "overdamped",
      sites: 1,
      pinning: 1,
      quarticPinning: 1,
      baths: [{ site: 1, friction: 1, temperature: 1 }],
    });
    expect(() => simulateAndVerifySync(m, { dt: 0.5 }, { time: 1000, seed: 1 })).toThrow(
      /(diverged|blew up).*stability limit \(estimated\) is dt < 2\/lambda = 0\.1\b/,
    );
  });
});

/** The exact steady state, or undefined when the model has none (exactNetwork refuses those with a SteadyStateError). */
function exactOrNone(network: NetworkModel) {
  try {
    return exactNetwork(network);
  } catch (err) {
    if (err instanceof SteadyStateError) return undefined;
    throw err;
  }
}
