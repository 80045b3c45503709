// Bonded interactions of `kind: particles` (src/stochastic/potentials/bonds.ts, src/model/particles.ts `bonds`):
// forces against finite differences of the energy (minimum image in a box), the time-step scale, and physics at
// equal temperatures against independent answers: the Boltzmann bond-length distribution of a FENE dimer
// (quadrature), the Gaussian chain's radius of gyration, zero entropy production; and a blocked hot/cold harmonic
// polymer against the exact engine (the same chain written as a linear network).
import { describe, expect, it } from "vitest";
import { validateParticles, type ParticlesInput } from "../../src/model/particles.js";
import { validateNetwork } from "../../src/model/network.js";
import { particleSystem } from "../../src/stochastic/system.js";
import { heun } from "../../src/stochastic/integrators.js";
import { findEstimate } from "../../src/stochastic/run.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { solveNetwork } from "../../src/index.js";
import { particleTimeScale } from "../../src/stochastic/safety.js";

const model = (m: Omit<ParticlesInput, "kind">) => validateParticles({ kind: "particles", ...m });

describe("bond model and forces", () => {
  it("forces are minus the gradient of the energy (harmonic with rest length, FENE; 3D box, minimum image)", () => {
    const m = model({
      dynamics: "overdamped",
      dimension: 3,
      box: 6,
      species: [{ name: "a", count: 4, temperature: 1 }],
      bonds: [
        { potential: "fene", stiffness: 30, maxLength: 1.5, path: [0, 1, 2] },
        { potential: "harmonic", stiffness: 7, length: 0.8, path: [2, 3] },
      ],
      initial: [
        [0.1, 0.2, 5.9],
        [0.9, 0.1, 0.4],
        [5.7, 0.3, 0.2],
        [5.2, 5.8, 0.6],
      ],
    });
    const field = particleSystem(m).system.forces;
    const x = Float64Array.from(m.initial as Float64Array);
    const f = new Float64Array(12);
    const u0 = field.compute(x, f);
    expect(Number.isFinite(u0) && u0 > 0).toBe(true);
    const h = 1e-6,
      fp = new Float64Array(12);
    for (let i = 0; i < 12; i++) {
      const xp = Float64Array.from(x),
        xm = Float64Array.from(x);
      xp[i] += h;
      xm[i] -= h;
      const g = -(field.compute(xp, fp) - field.compute(xm, fp)) / (2 * h);
      expect(Math.abs(g - f[i])).toBeLessThan(1e-5 * (1 + Math.abs(f[i])));
    }
  });

  it("the time-step scale counts the bonds", () => {
    const m = model({
      dynamics: "overdamped",
      dimension: 1,
      box: 20,
      species: [{ name: "a", count: 3, temperature: 1 }],
      bonds: [{ potential: "harmonic", stiffness: 50, path: [0, 1, 2] }],
      initial: [[0], [1], [2]],
    });
    // The middle particle's Hessian row: 2 bonds x 50 x (1 + 1); the largest eigenvalue is 150 (Gershgorin 200).
    const ts = particleTimeScale(m);
    expect(ts.value).toBeGreaterThanOrEqual(150);
    expect(ts.value).toBeLessThanOrEqual(200);
  });

  it("refuses bad bonds with a message naming them", () => {
    const base = {
      dynamics: "overdamped" as const,
      dimension: 1 as const,
      box: 10,
      species: [{ name: "a", count: 3, temperature: 1 }],
      initial: [[0], [1], [2]],
    };
    expect(() => model({ ...base, bonds: [{ potential: "harmonic", stiffness: 1, path: [0, 3] }] })).toThrow(
      /bonds\[0\] \(harmonic\): path\[1\] = 3 is not a particle index/,
    );
    expect(() => model({ ...base, bonds: [{ potential: "harmonic", stiffness: 1, path: [0, 1, 0] }] })).toThrow(
      /bonded twice/,
    );
    expect(() =>
      model({ ...base, bonds: [{ potential: "fene", stiffness: 1, maxLength: 0.5, path: [0, 1] }] }),
    ).toThrow(/particles 0 and 1 are 1 apart, not shorter than their FENE bond's maxLength 0.5/);
    expect(() => model({ ...base, bonds: [{ potential: "fene", stiffness: 1, length: 1, path: [0, 1] }] })).toThrow(
      /'length' does not apply to a FENE bond/,
    );
  });
});

describe("bonds at equal temperatures (Boltzmann)", () => {
  it("FENE dimer in 3D: <r^2> matches the Boltzmann quadrature; entropy production vanishes", () => {
    const k = 10,
      R0 = 1.5,
      T = 1;
    const m = model({
      dynamics: "overdamped",
      dimension: 3,
      box: 8,
      species: [
        { name: "hot", count: 1, temperature: T },
        { name: "cold", count: 1, temperature: T },
      ],
      bonds: [{ potential: "fene", stiffness: k, maxLength: R0, path: [0, 1] }],
      initial: [
        [1, 1, 1],
        [1.5, 1, 1],
      ],
    });
    // <r^2> = int r^4 e^{-U/T} dr / int r^2 e^{-U/T} dr, U = -(k R0^2/2) ln(1 - r^2/R0^2): (1 - r^2/R0^2)^(k R0^2 / 2T).
    const w = (r: number) => (1 - (r / R0) ** 2) ** ((k * R0 * R0) / (2 * T));
    let num = 0,
      den = 0;
    const n = 20000;
    for (let i = 1; i < n; i++) {
      const r = (R0 * i) / n;
      num += r ** 4 * w(r);
      den += r ** 2 * w(r);
    }
    const exact = num / den;
    const r = simulateAndVerifySync(m, heun({ dt: 0.002 }), { time: 1000, seed: 3, replicas: 2 });
    // FENE bonds are continuous: the state heat applies, checked against the trapezoid (pairHeatChoice.ts).
    expect(r.pairHeatChoice).toBeDefined();
    const r2 = findEstimate(r, "bonds", "squared length <r^2>");
    expect(r2.error / exact).toBeLessThan(0.02);
    expect(Math.abs(r2.value - exact)).toBeLessThan(4 * r2.error);
    const ep = findEstimate(r, "entropy production", "rate");
    expect(Math.abs(ep.value)).toBeLessThan(4 * ep.error);
  });

  it("Gaussian chain (harmonic bonds, rest length 0): Rg^2 = (d T / k)(N^2 - 1)/(6 N)", () => {
    const N = 6,
      k = 3,
      d = 3;
    const m = model({
      dynamics: "overdamped",
      dimension: d,
      box: 40,
      species: [{ name: "m", count: N, temperature: 1 }],
      bonds: [{ potential: "harmonic", stiffness: k, path: [0, 1, 2, 3, 4, 5] }],
      initial: Array.from({ length: N }, (_, i) => [5 + 0.5 * i, 5, 5]),
    });
    const exact = ((d / k) * (N * N - 1)) / (6 * N);
    const r = simulateAndVerifySync(m, heun({ dt: 0.01 }), { time: 3000, seed: 5, replicas: 2 });
    const rg = findEstimate(r, "radius of gyration", "squared, all");
    expect(rg.error / exact).toBeLessThan(0.03);
    expect(Math.abs(rg.value - exact)).toBeLessThan(4 * rg.error);
    const b2 = findEstimate(r, "bonds", "squared length <r^2>");
    expect(Math.abs(b2.value - d / k)).toBeLessThan(4 * b2.error);
  });
});

describe("a blocked hot/cold polymer (harmonic bonds, weak trap) against the exact engine", () => {
  it("each block's Rg^2 and the heat from each bath match the linear network of the same chain", () => {
    // Monomers 0-2 hot (T = 3), 3-5 cold (T = 0.5), bonded 0-1-2-3-4-5 with k = 2; a trap lambda = 0.2 on all.
    const k = 2,
      lam = 0.2;
    const m = model({
      dynamics: "overdamped",
      dimension: 1,
      species: [
        { name: "hot", count: 3, temperature: 3 },
        { name: "cold", count: 3, temperature: 0.5 },
      ],
      bonds: [{ potential: "harmonic", stiffness: k, path: [0, 1, 2, 3, 4, 5] }],
      external: [{ potential: "harmonic", stiffness: lam }],
      initial: [[0], [0], [0], [0], [0], [0]],
    });
    const net = validateNetwork({
      kind: "network",
      dynamics: "overdamped",
      sites: ["0", "1", "2", "3", "4", "5"],
      pinning: lam,
      springs: [0, 1, 2, 3, 4].map((i) => ({ between: [`${i}`, `${i + 1}`], stiffness: k })),
      baths: [0, 1, 2, 3, 4, 5].map((i) => ({ site: `${i}`, friction: 1, temperature: i < 3 ? 3 : 0.5 })),
    });
    const ex = solveNetwork(net);
    const S = ex.covariance.data,
      n = 6;
    const rg = (idx: number[]) => {
      let s = 0;
      for (const a of idx) for (const b of idx) s += (a === b ? S[a * n + a] : 0) - S[a * n + b] / idx.length;
      return s / idx.length;
    };
    const hotHeat = ex.baths.filter((b) => Number(b.site) < 3).reduce((s, b) => s + b.flux, 0);
    const r = simulateAndVerifySync(m, heun({ dt: 0.01 }), { time: 4000, seed: 7, replicas: 2 });
    const hot = findEstimate(r, "radius of gyration", "squared, hot"),
      cold = findEstimate(r, "radius of gyration", "squared, cold"),
      q = findEstimate(r, "bath flux", "into hot");
    expect(rg([0, 1, 2])).toBeGreaterThan(2 * rg([3, 4, 5])); // the hot block swells
    expect(Math.abs(hot.value - rg([0, 1, 2]))).toBeLessThan(4 * hot.error);
    expect(Math.abs(cold.value - rg([3, 4, 5]))).toBeLessThan(4 * cold.error);
    expect(hotHeat).toBeGreaterThan(4 * q.error); // resolved
    expect(Math.abs(q.value - hotHeat)).toBeLessThan(4 * q.error);
  });
});
