// Acceptance property of the time-step limit (issue 11): random linear networks (under- and overdamped, random
// masses, frictions, stiffnesses, pinning, temperatures, some with only some sites bathed) and random linear particle
// systems (harmonic pairs and traps, 1-3D, several species) simulated at a random dt up to the reported stability
// limit never give an estimate flagged reliable that lies more than 5 error bars from the exact engine's value; every
// such run finishes (no divergence below the limit); and every dt above the limit is refused (exact limits) or warned
// with nothing flagged reliable (estimated limits). Fixed seeds. The check has power: most estimates at moderate dt
// are reliable and compared, and the test fails if the limit is taken from the largest single curvature (the rule
// before issue 11) or if time-step biases are let through as reliable.
import { describe, expect, it } from "vitest";
import { driftMatrix } from "../../src/problem/network.js";
import { eigenvalues } from "../../src/linalg/eigen.js";
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";
import { validateParticles, type ParticlesModel } from "../../src/model/particles.js";
import type { Model } from "../../src/model/index.js";
import type { SchemeName } from "../../src/stochastic/integrators.js";
import { preparePlan, type SimulationResult } from "../../src/stochastic/run.js";
import { SimulationError } from "../../src/stochastic/safety.js";
import { SteadyStateError } from "../../src/errors.js";
import { particlesAsNetwork } from "../../src/problem/particles.js";
import { exactNetwork } from "../../src/verify/reference.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { rng } from "../helpers/random.js";

type Draw = () => number;
const between = (r: Draw, lo: number, hi: number) => lo + (hi - lo) * r();
const pick = <T>(r: Draw, xs: T[]): T => xs[Math.floor(r() * xs.length)];

/** A random linear network: 1-4 sites, random springs, pinning (some zero), masses, frictions, temperatures. */
function randomNetwork(r: Draw): NetworkModel {
  const n = 1 + Math.floor(r() * 4);
  const dynamics = r() < 0.5 ? "underdamped" : "overdamped";
  const sites = Array.from({ length: n }, (_, k) => `s${k}`);
  const springs = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      if (r() < 0.7) springs.push({ between: [sites[a], sites[b]], stiffness: between(r, 0.2, 5) });
  const pinning = Object.fromEntries(sites.map((s) => [s, r() < 0.25 ? 0 : between(r, 0.2, 3)]));
  const masses = Object.fromEntries(sites.map((s) => [s, between(r, 0.3, 3)]));
  const bathed = dynamics === "overdamped" ? sites : sites.filter(() => r() < 0.6);
  if (bathed.length === 0) bathed.push(sites[0]);
  const baths = bathed.map((s) => ({ site: s, friction: between(r, 0.3, 3), temperature: between(r, 0.3, 4) }));
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

/** A random linear particle system: 1-3 species of 1-2 particles, 1-3D, harmonic pairs and traps at the origin. */
function randomParticles(r: Draw): ParticlesModel {
  const S = 1 + Math.floor(r() * 3);
  const dimension = pick(r, [1, 2, 3]) as 1 | 2 | 3;
  const dynamics = r() < 0.5 ? "underdamped" : "overdamped";
  const names = ["A", "B", "C"].slice(0, S);
  const species = names.map((name) => ({
    name,
    count: 1 + Math.floor(r() * 2),
    temperature: between(r, 0.3, 4),
    friction: between(r, 0.3, 3),
    ...(dynamics === "underdamped" ? { mass: between(r, 0.3, 3) } : {}),
  }));
  const pairs = [];
  for (let a = 0; a < S; a++)
    for (let b = a; b < S; b++) {
      if (r() < 0.6)
        pairs.push({ between: [names[a], names[b]], potential: "harmonic", stiffness: between(r, 0.2, 4) });
    }
  const external = names.map((name) => ({ potential: "harmonic", stiffness: between(r, 0.3, 3), species: [name] }));
  const N = species.reduce((s, x) => s + x.count, 0);
  const initial = Array.from({ length: N }, () => Array.from({ length: dimension }, () => 0));
  return validateParticles({ kind: "particles", dynamics, dimension, species, pairs, external, initial });
}

/** The slowest relaxation rate of a linear model (smallest real part of the drift's eigenvalues). */
function slowestRate(network: NetworkModel): number {
  const { re } = eigenvalues(driftMatrix(network));
  return Math.min(...re);
}

interface Case {
  model: Model;
  network: NetworkModel;
  label: string;
}

/** Random linear systems with a unique steady state and relaxation times the run can cover. */
function cases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  while (out.length < count) {
    const particles = r() < 0.4;
    const model: Model = particles ? randomParticles(r) : randomNetwork(r);
    const network = model.kind === "particles" ? particlesAsNetwork(model)! : model;
    if (!exactOrNone(network)) continue;
    const slow = slowestRate(network);
    const fast = preparePlan(model, { dt: 1e-6 }, { time: 1, seed: 1 }).timeScale.value;
    if (!(slow > 0.05) || fast / slow > 200) continue;
    out.push({ model, network, label: `${model.kind} ${model.dynamics} #${out.length}` });
  }
  return out;
}

/** Runs case c at dt (a fraction of the stability limit) over about `relaxations` relaxation times of its slowest mode. */
function run(c: Case, dt: number, scheme: SchemeName | undefined, seed: number): SimulationResult {
  const slow = slowestRate(c.network);
  const time = Math.min(150 / slow, 20000 * dt);
  return simulateAndVerifySync(
    c.model,
    { scheme, dt },
    { time, burnIn: Math.min(15 / slow, 2000 * dt), seed, replicas: 4 },
  );
}

describe("time step up to the reported limit: no confident wrong answer (property)", () => {
  const all = cases(11, 36);

  it("random linear systems at a random dt below the limit: reliable estimates lie within 5 error bars of the exact values", () => {
    const r = rng(12);
    let compared = 0,
      total = 0;
    const worst: string[] = [];
    for (const [k, c] of all.entries()) {
      const limit = 2 / preparePlan(c.model, { dt: 1e-6 }, { time: 1, seed: 1 }).timeScale.value;
      // Half the cases near the limit, half at moderate steps (where most estimates must be reliable).
      const u = k % 2 === 0 ? between(r, 0.6, 0.999) : between(r, 0.005, 0.1);
      const scheme =
        c.model.dynamics === "overdamped" ? pick(r, ["heun", "euler-maruyama"] as SchemeName[]) : undefined;
      const result = run(c, u * limit, scheme, 100 + k);
      for (const e of result.estimates) {
        if (e.exact === undefined) continue;
        total++;
        expect(Number.isFinite(e.value) && Number.isFinite(e.error), `${c.label} ${e.group} ${e.name}`).toBe(true);
        // Every estimate with an exact value has its exact time-step bias (src/stochastic/bias.ts).
        expect(e.timeStepBias, `${c.label} ${e.group} ${e.name}`).toBeDefined();
        if (!e.reliable) continue;
        compared++;
        const dev = (e.value - e.exact) / e.error;
        if (Math.abs(dev) > 5)
          worst.push(
            `${c.label} dt = ${u.toFixed(3)} x limit, ${e.group} ${e.name}: ${e.value} +- ${e.error}, exact ${e.exact} (${dev.toFixed(1)} sigma)`,
          );
      }
    }
    expect(worst).toEqual([]);
    // Power: most estimates are compared.
    expect(compared).toBeGreaterThan(0.4 * total);
  });

  it("every dt above an exact limit is refused, naming the limit", () => {
    const r = rng(13);
    for (const c of all.slice(0, 12)) {
      const limit = 2 / preparePlan(c.model, { dt: 1e-6 }, { time: 1, seed: 1 }).timeScale.value;
      const dt = limit * between(r, 1.0001, 3);
      expect(() => simulateAndVerifySync(c.model, { dt }, { time: 200 * dt, seed: 1 }), c.label).toThrow(
        SimulationError,
      );
      expect(() => simulateAndVerifySync(c.model, { dt }, { time: 200 * dt, seed: 1 }), c.label).toThrow(
        /stability limit dt < 2\/(omega|lambda) = /,
      );
    }
  });

  it("above an estimated limit (quartic, WCA, soft crowds): refused, or warned with nothing flagged reliable", () => {
    const models: Model[] = [
      validateNetwork({
        kind: "network",
        sites: 2,
        pinning: 1,
        quarticPinning: 2,
        springs: [{ between: [1, 2], stiffness: 1, quartic: 1 }],
        baths: [
          { site: 1, friction: 1, temperature: 1 },
          { site: 2, friction: 0.5, temperature: 2 },
        ],
      }),
      validateNetwork({
        kind: "network",
        dynamics: "overdamped",
        sites: 2,
        pinning: 1,
        quarticPinning: 3,
        springs: [{ between: [1, 2], stiffness: 2 }],
        baths: [
          { site: 1, friction: 1, temperature: 1 },
          { site: 2, friction: 2, temperature: 1 },
        ],
      }),
      validateParticles({
        kind: "particles",
        dynamics: "overdamped",
        dimension: 2,
        box: 2.5,
        species: [
          { name: "a", count: 1, temperature: 1 },
          { name: "b", count: 1, temperature: 0.5 },
        ],
        pairs: [{ potential: "wca", epsilon: 1, sigma: 1 }],
        initial: [
          [0, 0],
          [1.25, 1.25],
        ],
      }),
      validateParticles({
        kind: "particles",
        dynamics: "underdamped",
        dimension: 2,
        box: 6,
        species: [{ name: "a", count: 9, temperature: 0.1 }],
        pairs: [{ potential: "soft", stiffness: 20, range: 1 }],
      }),
    ];
    for (const model of models) {
      const ts = preparePlan(model, { dt: 1e-6 }, { time: 1, seed: 1 }).timeScale;
      expect(ts.exact).toBe(false);
      for (const f of [1.05, 1.5]) {
        const dt = (2 / ts.value) * f;
        let result: SimulationResult | undefined;
        try {
          result = simulateAndVerifySync(model, { dt }, { time: 400 * dt, seed: 1, replicas: 2 });
        } catch (err) {
          expect(err).toBeInstanceOf(SimulationError);
          continue;
        }
        expect(result.warnings.join("\n")).toMatch(/exceeds the estimated stability limit/);
        expect(result.estimates.some((e) => e.reliable)).toBe(false);
      }
    }
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
