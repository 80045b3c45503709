/**
 * Bonded particle models whose forces are all linear (harmonic traps at the origin, harmonic pairs and bonds of rest
 * length 0, open space) are linear SDEs: src/verify maps them onto a network (one spring per bond per axis) and gives
 * the exact reference, the exact time-step bias and the slowest-mode rule, as for networks. Checked against the
 * closed form of two overdamped monomers (hot and cold) in a trap, against the first-order bias of the trapezoid heat,
 * and a repulsive or rest-length model stays nonlinear.
 */
import { describe, expect, it } from "vitest";
import { validateParticles, type ParticlesModel } from "../../src/model/particles.js";
import { isLinearParticles } from "../../src/problem/particles.js";
import { exactReference } from "../../src/verify/reference.js";
import { exactValues, simulateAndVerifySync } from "../../src/verify/simulation.js";
import { linearBiases } from "../../src/verify/bias.js";
import { polymerGaussianExact, polymerModel } from "../../src/studies/two-temperature/polymer.js";
import { polymerSchema } from "../../src/studies/two-temperature/polymer.js";

const T1 = 3,
  T2 = 1,
  k = 2,
  lam = 0.5;

function dimer(dimension: 1 | 2 | 3, extra: Record<string, unknown> = {}): ParticlesModel {
  return validateParticles({
    kind: "particles",
    dimension,
    species: [
      { name: "hot", count: 1, temperature: T1 },
      { name: "cold", count: 1, temperature: T2 },
    ],
    external: [{ potential: "harmonic", stiffness: lam }],
    bonds: [{ potential: "harmonic", stiffness: k, path: [0, 1] }],
    ...extra,
  });
}

/**
 * Closed form per axis (unit frictions): dx = -F x dt + sqrt(2 T) dW with F = [[a, -k], [-k, a]], a = lam + k. The
 * Lyapunov equation F S + S F^T = 2 diag(T1, T2) gives S11 + S22 = a (T1 + T2)/(a^2 - k^2),
 * S12 = k (T1 + T2)/(2 (a^2 - k^2)), S11 = (T1 + k S12)/a, S22 = (T2 + k S12)/a; the heat from the hot bath
 * Q = T1 a - <f1^2> = k^2 (T1 - T2)/(2 a).
 */
function closedForm() {
  const a = lam + k;
  const S12 = (k * (T1 + T2)) / (2 * (a * a - k * k));
  const S11 = (T1 + k * S12) / a,
    S22 = (T2 + k * S12) / a;
  return { S11, S22, S12, Q: (k * k * (T1 - T2)) / (2 * a) };
}

describe("bonded linear particle models", () => {
  it("two monomers: the exact reference equals the hand-derived closed form, per axis and in 3D", () => {
    const cf = closedForm();
    for (const d of [1, 3] as const) {
      const model = dimer(d);
      expect(isLinearParticles(model)).toBe(true);
      const ref = exactReference(model)!;
      expect(ref).toBeDefined();
      const C = ref.covariance,
        n = 2 * d;
      for (let q = 0; q < d; q++) {
        // coordinate a * d + q of particle a
        expect(C[q * n + q]).toBeCloseTo(cf.S11, 12);
        expect(C[(d + q) * n + d + q]).toBeCloseTo(cf.S22, 12);
        expect(C[q * n + d + q]).toBeCloseTo(cf.S12, 12);
        for (let r = 0; r < d; r++) if (r !== q) expect(C[q * n + d + r]).toBe(0);
      }
      const ex = ref.particles!;
      expect(ex.heat[0]).toBeCloseTo(d * cf.Q, 12);
      expect(ex.heat[1]).toBeCloseTo(-d * cf.Q, 12);
      expect(ex.entropyProduction).toBeCloseTo(d * cf.Q * (1 / T2 - 1 / T1), 12);
      // Quadratic observables from the same covariance: |r|^2 = |x1 - x2|^2 per axis.
      const r2 = d * (cf.S11 + cf.S22 - 2 * cf.S12);
      const names: [string, string, number][] = [
        ["bonds", "squared length <r^2>", r2],
        ["radius of gyration", "squared, all", r2 / 4],
        ["segregation", "squared distance from the centre, hot", r2 / 4],
        ["segregation", "squared distance from the centre, hot minus cold", 0],
        ["segregation", "squared distance between the centres of hot and cold", r2],
        ["profile", "squared distance from the centre, particle 1", r2 / 4],
        ["potential energy", "per particle", (d * (lam * (cf.S11 + cf.S22)) + k * r2) / 4],
      ];
      const values = exactValues(
        ref,
        names.map(([group, name]) => ({ group, name })),
      );
      names.forEach(([, , v], i) => expect(values[i]).toBeCloseTo(v, 12));
    }
  });

  it("the trapezoid heat's exact time-step bias of a bond is -(k + lambda) dt relative to first order (exact stepping)", () => {
    const model = dimer(1);
    const ref = exactReference(model)!;
    const specs = [{ group: "bath flux", exact: ref.particles!.heat[0] }];
    for (const dt of [1e-3, 1e-2]) {
      const b = linearBiases(ref.network, model, "exact", dt, "stratonovich", specs)!;
      const rel = b[0] / ref.particles!.heat[0];
      const first = -(k + lam) * dt;
      // Second-order remainder: within (k + lambda)^2 dt^2 of the first-order term.
      expect(Math.abs(rel - first)).toBeLessThan((k + lam) ** 2 * dt * dt);
      expect(Math.abs(rel - first)).toBeGreaterThan(0);
      // The state-function form has no bias under exact stepping.
      const s = linearBiases(ref.network, model, "exact", dt, "state", specs)!;
      expect(Math.abs(s[0])).toBeLessThan(1e-9 * Math.abs(ref.particles!.heat[0]));
    }
  });

  it("a bond and a harmonic pair of the same stiffness are the same network; both add where both act", () => {
    const pair = validateParticles({
      kind: "particles",
      dimension: 2,
      species: [
        { name: "hot", count: 1, temperature: T1 },
        { name: "cold", count: 1, temperature: T2 },
      ],
      external: [{ potential: "harmonic", stiffness: lam }],
      pairs: [{ potential: "harmonic", stiffness: k }],
    });
    const a = exactReference(pair)!.covariance,
      b = exactReference(dimer(2))!.covariance;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 13));
    // A harmonic pair of stiffness k/2 plus a bond of k/2 between the same two particles: a spring k.
    const both = dimer(2, {
      pairs: [{ potential: "harmonic", stiffness: k / 2 }],
      bonds: [{ potential: "harmonic", stiffness: k / 2, path: [0, 1] }],
    });
    const c = exactReference(both)!.covariance;
    a.forEach((v, i) => expect(c[i]).toBeCloseTo(v, 13));
  });

  it("the alternating hot/cold chain's exact values equal the polymer study's own Gaussian-chain solve", () => {
    const p = polymerSchema.parse({ monomers: 6, sequence: "alternating", dimension: 2, repulsion: 0 });
    const model = polymerModel(p);
    const ref = exactReference(model)!;
    const g = polymerGaussianExact(p);
    const rows: [string, string, number][] = [
      ["radius of gyration", "squared, hot", g.gyrationHot],
      ["radius of gyration", "squared, cold", g.gyrationCold],
      ["radius of gyration", "squared, all", g.gyrationAll],
      ["radius of gyration", "squared, hot minus cold", g.gyrationHotMinusCold],
      ["segregation", "squared distance from the centre, hot", g.centreDistanceHot],
      ["segregation", "squared distance from the centre, cold", g.centreDistanceCold],
      ["segregation", "squared distance between the centres of hot and cold", g.centresApart],
      ["bath flux", "into hot", g.heatFlow],
      ["bath flux", "into cold", g.heatFromCold],
      ["entropy production", "rate", g.entropyProduction],
    ];
    const values = exactValues(
      ref,
      rows.map(([group, name]) => ({ group, name })),
    );
    rows.forEach(([, , v], i) => expect(values[i]).toBeCloseTo(v, 10));
    expect(ref.steadyState.slowestRate).toBeCloseTo(g.slowestRate, 12);
  });

  it("simulateAndVerify: exact values, biases and the slowest-mode rule for a bonded chain", () => {
    const chain = validateParticles({
      kind: "particles",
      dimension: 1,
      species: [
        { name: "hot", count: 2, temperature: 2 },
        { name: "cold", count: 1, temperature: 0.5 },
      ],
      external: [{ potential: "harmonic", stiffness: 1 }],
      bonds: [{ potential: "harmonic", stiffness: 1, path: [0, 2, 1] }],
    });
    const r = simulateAndVerifySync(chain, { dt: 0.02 }, { time: 400, seed: 3, replicas: 2, batches: 16 });
    expect(r.exact).toBe(true);
    const groups = [
      "bath flux",
      "entropy production",
      "potential energy",
      "radius of gyration",
      "segregation",
      "covariance",
      "bonds",
    ];
    let compared = 0;
    for (const e of r.estimates.filter((e) => groups.includes(e.group) && e.name !== "length <|r|>")) {
      expect(e.exact, `${e.group}: ${e.name}`).toBeDefined();
      expect(e.timeStepBias, `${e.group}: ${e.name}`).toBeDefined();
      if (e.reliable) {
        compared++;
        expect(Math.abs(e.deviation!), `${e.group}: ${e.name}`).toBeLessThan(5);
      }
    }
    expect(compared).toBeGreaterThan(10);
    // Batches of 0.5 time units against a slowest rate of 1 (the centre in the trap): every estimate loses its flag.
    const short = simulateAndVerifySync(chain, { dt: 0.02 }, { time: 8, seed: 3, replicas: 2, batches: 16 });
    expect(short.estimates.filter((e) => e.reliable)).toEqual([]);
    expect(short.estimates.find((e) => e.group === "bath flux")!.note).toMatch(/correlation times/);
  });

  it("rest lengths, FENE bonds and repulsion stay nonlinear: no exact reference", () => {
    const rest = dimer(1, { bonds: [{ potential: "harmonic", stiffness: k, length: 1, path: [0, 1] }] });
    const fene = dimer(1, {
      bonds: [{ potential: "fene", stiffness: k, maxLength: 2, path: [0, 1] }],
      initial: [[0], [0.5]],
    });
    const soft = dimer(1, { pairs: [{ potential: "soft", stiffness: 1, range: 1 }] });
    for (const m of [rest, fene, soft]) {
      expect(isLinearParticles(m)).toBe(false);
      expect(exactReference(m)).toBeUndefined();
    }
  });
});
