// Particles: the model format, forces (cell list against a brute-force sum, forces against finite differences of
// the energy), and the physics of Metzger's lecture notes with fixed random seeds: the entropy production of the
// harmonic pair (docs/corrections.md closed form), zero currents and entropy production at equal temperatures, energy
// balance.
import { describe, expect, it } from "vitest";
import { type ParticlesModel } from "../../src/model/particles.js";
import { validateModel } from "../../src/model/index.js";
import { PairHeatLedger } from "../../src/stochastic/pairHeat.js";
import { Rng } from "../../src/stochastic/rng.js";
import { heun } from "../../src/stochastic/integrators.js";
import { findEstimate, simulateSync } from "../../src/stochastic/run.js";
import { packPairLaws } from "../../src/stochastic/potentials/pairLaws.js";
import { particleSystem } from "../../src/stochastic/system.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { pairField, particlesModel as model } from "../helpers/particles.js";

/** Brute-force energy and forces, written independently of the engine: all pairs, minimum image, no cells. */
function bruteForce(m: ParticlesModel, x: Float64Array): { u: number; f: Float64Array } {
  const N = m.speciesOf.length,
    d = m.dimension;
  const f = new Float64Array(N * d);
  let u = 0;
  for (let a = 0; a < N; a++)
    for (let b = a + 1; b < N; b++) {
      const rule = m.pairs.find(
        (r) => (r.a === m.speciesOf[a] && r.b === m.speciesOf[b]) || (r.b === m.speciesOf[a] && r.a === m.speciesOf[b]),
      );
      if (!rule) continue;
      const dx: number[] = [];
      for (let k = 0; k < d; k++) {
        let v = x[a * d + k] - x[b * d + k];
        if (m.box) v -= m.box[k] * Math.round(v / m.box[k]);
        dx.push(v);
      }
      const r = Math.hypot(...dx);
      let dUdr = 0;
      const p = rule.pair;
      if (p.potential === "soft" && r < p.range) {
        u += (p.stiffness / 2) * (1 - r / p.range) ** 2;
        dUdr = -(p.stiffness / p.range) * (1 - r / p.range);
      } else if (p.potential === "wca" && r < 2 ** (1 / 6) * p.sigma) {
        const s6 = (p.sigma / r) ** 6;
        u += 4 * p.epsilon * (s6 * s6 - s6) + p.epsilon;
        dUdr = (4 * p.epsilon * (-12 * s6 * s6 + 6 * s6)) / r;
      } else if (p.potential === "harmonic") {
        u += (p.stiffness / 2) * (r - p.length) ** 2;
        dUdr = p.stiffness * (r - p.length);
      }
      for (let k = 0; k < d; k++) {
        f[a * d + k] -= (dUdr * dx[k]) / r;
        f[b * d + k] += (dUdr * dx[k]) / r;
      }
    }
  return { u, f };
}

function randomPositions(m: ParticlesModel, seed: number, spread = 1): Float64Array {
  const r = Rng.stream(seed);
  const N = m.speciesOf.length,
    d = m.dimension;
  const x = new Float64Array(N * d);
  for (let a = 0; a < N; a++)
    for (let k = 0; k < d; k++) x[a * d + k] = m.box ? m.box[k] * (r.uniform() * 3 - 1) : spread * r.normal();
  return x;
}

describe("the particles format", () => {
  it("validates a model and dispatches from validateModel", () => {
    const m = validateModel({
      kind: "particles",
      dimension: 2,
      box: [10, 12],
      species: [
        { name: "a", count: 3, temperature: 1 },
        { name: "b", count: 2, temperature: 2, friction: 3 },
      ],
      pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
    });
    expect(m.kind).toBe("particles");
    const p = m as ParticlesModel;
    expect(Array.from(p.speciesOf)).toEqual([0, 0, 0, 1, 1]);
    expect(p.pairs.length).toBe(3); // a-a, a-b, b-b
    expect(p.species[1].friction).toBe(3);
  });

  it("refuses inconsistent models with a message naming the field", () => {
    const base = { dimension: 1, species: [{ name: "a", count: 2, temperature: 1 }] };
    expect(() => model({ ...base, box: 10, pairs: [{ potential: "harmonic", stiffness: 1 }] })).toThrow(/open space/);
    expect(() =>
      model({ ...base, pairs: [{ between: ["a", "z"], potential: "soft", stiffness: 1, range: 1 }] }),
    ).toThrow(/unknown species 'z'/);
    expect(() => model({ ...base, box: 10, external: [{ potential: "sawtooth", amplitude: 1, period: 3 }] })).toThrow(
      /must divide the box/,
    );
    expect(() => model({ ...base, pairs: [{ potential: "soft", stiffness: 1 }] })).toThrow(/range is missing/);
    expect(() => model({ ...base, pairs: [{ potential: "soft", stiffness: 1, range: 1, sigma: 2 }] })).toThrow(
      /'sigma' does not apply/,
    );
    expect(() => model({ ...base, box: 1.5, pairs: [{ potential: "soft", stiffness: 1, range: 1 }] })).toThrow(
      /more than half the box/,
    );
    expect(() => model({ dimension: 4, species: base.species })).toThrow(/dimension must be 1, 2 or 3/);
    expect(() => model({ ...base, species: [{ name: "a", count: 2, temperature: -1 }] })).toThrow(
      /temperature must be > 0/,
    );
  });
});

describe("forces", () => {
  const cases: [string, ParticlesModel][] = [
    [
      "2D soft, two species, cells",
      model({
        dimension: 2,
        box: [9, 7.5],
        species: [
          { name: "h", count: 60, temperature: 1 },
          { name: "c", count: 50, temperature: 1 },
        ],
        pairs: [
          { between: ["h", "h"], potential: "soft", stiffness: 3, range: 1 },
          { between: ["h", "c"], potential: "soft", stiffness: 5, range: 1.2 },
          { between: ["c", "c"], potential: "wca", epsilon: 1, sigma: 0.9 },
        ],
      }),
    ],
    [
      "3D WCA, cells",
      model({
        dimension: 3,
        box: 5,
        species: [{ name: "a", count: 80, temperature: 1 }],
        pairs: [{ potential: "wca", epsilon: 1, sigma: 0.8 }],
      }),
    ],
    [
      "1D soft, cells",
      model({
        dimension: 1,
        box: 20,
        species: [{ name: "a", count: 30, temperature: 1 }],
        pairs: [{ potential: "soft", stiffness: 2, range: 1 }],
      }),
    ],
    [
      "2D soft, small box (all pairs, minimum image)",
      model({
        dimension: 2,
        box: 2.5,
        species: [{ name: "a", count: 7, temperature: 1 }],
        pairs: [{ potential: "soft", stiffness: 2, range: 1 }],
      }),
    ],
    [
      "open space, harmonic with rest length",
      model({
        dimension: 3,
        species: [{ name: "a", count: 4, temperature: 1 }],
        pairs: [{ potential: "harmonic", stiffness: 2, length: 0.5 }],
      }),
    ],
  ];
  const sparse = (range: number) =>
    model({
      dimension: 3,
      box: 40,
      species: [
        { name: "hot", count: 10, temperature: 3 },
        { name: "cold", count: 10, temperature: 0.1 },
      ],
      pairs: [{ potential: "soft", stiffness: 10, range }],
    });
  cases.push(["20 particles in a box of 40 (a grid of at most 2 N cells, wider than the cutoff)", sparse(8)]);
  it("few particles in a large box get a grid of at most max(27, 2 N) cells, not one of the box's volume", () => {
    const field = pairField(sparse(1));
    expect(field.cellCount).toBeGreaterThan(0);
    expect(field.cellCount).toBeLessThanOrEqual(40); // 30^3 cells of cutoff + skin = 1.3 otherwise
  });
  for (const [name, m] of cases) {
    it(`cell list / all pairs agree with a brute-force sum: ${name}`, () => {
      const field = pairField(m);
      const x = randomPositions(m, 3);
      const f = new Float64Array(field.dof);
      const u = field.compute(x, f);
      const ref = bruteForce(m, x);
      // Relative to the scale (random WCA configurations overlap strongly: huge energies).
      expect(Math.abs(u - ref.u)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.u)));
      const fs = Math.max(1, ...ref.f.map(Math.abs));
      for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.f[i])).toBeLessThan(1e-11 * fs);
    });
  }

  it("the Verlet list stays exact as particles move: reused below half the skin, rebuilt beyond", () => {
    const m = cases[0][1];
    const field = pairField(m);
    expect(field.skin).toBeGreaterThan(0);
    const x = randomPositions(m, 4);
    const f = new Float64Array(field.dof);
    field.compute(x, f);
    expect(field.builds).toBe(1);
    const r = Rng.stream(11);
    for (const [step, builds] of [
      [0.2 * field.skin, 1],
      [0.2 * field.skin, 1],
      [3 * field.skin, 2],
    ] as const) {
      // Moves of at most step * sqrt(2)/2 per axis...: small ones keep the list, a large one forces a rebuild.
      for (let i = 0; i < x.length; i++)
        x[i] += (step / Math.SQRT2) * (2 * r.uniform() - 1) * (i % 3 === 0 ? 1 : 0.999);
      const u = field.compute(x, f);
      expect(field.builds).toBe(builds);
      const ref = bruteForce(m, x);
      expect(Math.abs(u - ref.u)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.u)));
      const fs = Math.max(1, ...ref.f.map(Math.abs));
      for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.f[i])).toBeLessThan(1e-11 * fs);
    }
  });

  it("2D soft disks: exact in both modes, the Verlet list (rare rebuilds) and the cell sum without a list (rebuilds at every call)", () => {
    // Three species with different soft pairs and one pair that does not interact; mobile phases (moves beyond the
    // skin at every call) switch the field to summing from the cells, quiet phases back to a Verlet list.
    const m = model({
      dimension: 2,
      box: [14, 11],
      species: [
        { name: "a", count: 70, temperature: 1 },
        { name: "b", count: 50, temperature: 1 },
        { name: "c", count: 30, temperature: 1 },
      ],
      pairs: [
        { between: ["a", "a"], potential: "soft", stiffness: 3, range: 1 },
        { between: ["a", "b"], potential: "soft", stiffness: 5, range: 1.2 },
        { between: ["b", "b"], potential: "soft", stiffness: 2, range: 0.8 },
        { between: ["a", "c"], potential: "soft", stiffness: 4, range: 0.9 },
      ],
    });
    const field = pairField(m);
    expect(field.cellCount).toBeGreaterThan(0);
    const x = randomPositions(m, 12);
    const f = new Float64Array(field.dof);
    const r = Rng.stream(13);
    let calls = 0;
    const check = () => {
      const u = field.compute(x, f);
      calls++;
      const ref = bruteForce(m, x);
      expect(Math.abs(u - ref.u)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.u)));
      const fs = Math.max(1, ...ref.f.map(Math.abs));
      for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.f[i])).toBeLessThan(1e-11 * fs);
    };
    for (const [phase, step, evaluations] of [
      ["quiet", 0.02, 20],
      ["mobile", 2 * field.skin, 30],
      ["quiet", 0.01, 40],
      ["mobile", 5, 10],
    ] as const) {
      const before = field.builds;
      for (let e = 0; e < evaluations; e++) {
        for (let i = 0; i < x.length; i++) x[i] += step * (2 * r.uniform() - 1);
        check();
      }
      const rebuilds = field.builds - before;
      if (phase === "mobile") expect(rebuilds).toBe(evaluations);
      else expect(rebuilds).toBeLessThan(evaluations / 2);
    }
    expect(calls).toBe(100);
  });

  it("forces are minus the gradient of the energy, external potentials included (finite differences)", () => {
    const m = model({
      dimension: 2,
      box: [6, 6],
      species: [
        { name: "a", count: 5, temperature: 1 },
        { name: "b", count: 4, temperature: 1 },
      ],
      pairs: [{ potential: "soft", stiffness: 3, range: 1.5 }],
      external: [
        { potential: "harmonic", stiffness: 0.7, center: [3, 3] },
        { potential: "cosine", amplitude: 0.5, period: 2, axis: "y", phase: 0.3 },
        { potential: "sawtooth", amplitude: 1, period: 3, species: ["b"] },
      ],
    });
    const field = particleSystem(m).system.forces; // the "pairs" and "external" terms, summed
    const x = randomPositions(m, 5);
    const f = new Float64Array(field.dof),
      g = new Float64Array(field.dof);
    field.compute(x, f);
    const h = 1e-6;
    for (let i = 0; i < x.length; i++) {
      const xp = x.slice(),
        xm = x.slice();
      xp[i] += h;
      xm[i] -= h;
      const du = (field.compute(xp, g) - field.compute(xm, g)) / (2 * h);
      expect(f[i]).toBeCloseTo(-du, 4);
    }
  });

  it("forces do not depend on the periodic image of the coordinates (unwrapped positions)", () => {
    const m = model({
      dimension: 2,
      box: [9, 7.5],
      species: [{ name: "h", count: 60, temperature: 1 }],
      pairs: [{ potential: "soft", stiffness: 3, range: 1 }],
    });
    const field = pairField(m);
    const x = randomPositions(m, 8);
    const shifted = x.map((v, i) => v + (i % 2 === 0 ? 9 : -15)); // whole box lengths
    const f1 = new Float64Array(field.dof),
      f2 = new Float64Array(field.dof);
    expect(field.compute(shifted, f2)).toBeCloseTo(field.compute(x, f1), 9);
    for (let i = 0; i < f1.length; i++) expect(f2[i]).toBeCloseTo(f1[i], 8);
  });
});

describe("Metzger's lecture notes: physics (fixed random seeds, error bars)", () => {
  it("harmonic pair: entropy production k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)) per dimension, in 1D and 2D", () => {
    for (const dimension of [1, 2]) {
      const [k, lam, T1, T2] = [1, 0.5, 4, 1];
      const m = model({
        dimension,
        species: [
          { name: "hot", count: 1, temperature: T1 },
          { name: "cold", count: 1, temperature: T2 },
        ],
        pairs: [{ potential: "harmonic", stiffness: k }],
        external: [{ potential: "harmonic", stiffness: lam }],
      });
      const closedForm = (dimension * (k * k * (T1 - T2) ** 2)) / (2 * T1 * T2 * (k + lam));
      const r = simulateAndVerifySync(m, { dt: 0.002 }, { time: 250, seed: 40 + dimension, replicas: 8 });
      const ep = findEstimate(r, "entropy production", "rate");
      expect(ep.exact).toBeCloseTo(closedForm, 10);
      expect(ep.reliable).toBe(true);
      expect(Math.abs(ep.value - closedForm)).toBeLessThan(4 * ep.error);
      // Every compared quantity (covariance of the coordinates, heat per bath, drift) agrees with the exact engine.
      for (const e of r.estimates.filter((x) => x.exact !== undefined))
        expect(Math.abs(e.deviation!), `${e.group} ${e.name}`).toBeLessThan(4);
      // The heat flows from the hot bath into the cold one.
      expect(findEstimate(r, "bath flux", "into hot").value).toBeGreaterThan(0);
    }
  });

  it("harmonic pair, underdamped (BAOAB): kinetic temperatures and heat against the exact engine", () => {
    const m = model({
      dimension: 1,
      dynamics: "underdamped",
      species: [
        { name: "hot", count: 1, temperature: 3, friction: 0.5 },
        { name: "cold", count: 1, temperature: 1, friction: 1, mass: 2 },
      ],
      pairs: [{ potential: "harmonic", stiffness: 1 }],
      external: [{ potential: "harmonic", stiffness: 1 }],
    });
    const r = simulateAndVerifySync(m, { dt: 0.01 }, { time: 1500, seed: 44, replicas: 4 });
    expect(r.exact).toBe(true);
    for (const e of r.estimates.filter((x) => x.exact !== undefined))
      expect(Math.abs(e.deviation!), `${e.group} ${e.name}`).toBeLessThan(4);
  });

  it("equal temperatures: no heat flux, no entropy production, no drift, even in a sawtooth (no ratchet at equilibrium)", () => {
    const m = model({
      dimension: 1,
      box: 4,
      species: [
        { name: "a", count: 1, temperature: 0.5 },
        { name: "b", count: 1, temperature: 0.5 },
      ],
      pairs: [{ potential: "soft", stiffness: 5, range: 1 }],
      external: [{ potential: "sawtooth", amplitude: 1, period: 1, asymmetry: 0.8 }],
      initial: [[0.5], [2.5]],
    });
    const r = simulateAndVerifySync(m, { dt: 0.001 }, { time: 200, seed: 45, replicas: 8 });
    for (const name of ["rate"])
      expect(Math.abs(findEstimate(r, "entropy production", name).value)).toBeLessThan(
        4 * findEstimate(r, "entropy production", name).error,
      );
    for (const e of r.estimates.filter((x) => x.group === "bath flux" || x.group === "drift velocity")) {
      expect(Math.abs(e.value), `${e.group} ${e.name}`).toBeLessThan(4 * e.error);
    }
  });

  it("two temperatures in a sawtooth: heat balances (in = out) and entropy is produced", () => {
    const m = model({
      dimension: 1,
      box: 4,
      species: [
        { name: "hot", count: 1, temperature: 1 },
        { name: "cold", count: 1, temperature: 0.05 },
      ],
      pairs: [{ potential: "soft", stiffness: 5, range: 1 }],
      external: [{ potential: "sawtooth", amplitude: 1, period: 1, asymmetry: 0.8 }],
      initial: [[0.5], [2.5]],
    });
    const r = simulateAndVerifySync(m, { dt: 0.001 }, { time: 200, seed: 46, replicas: 8 });
    const hot = findEstimate(r, "bath flux", "into hot"),
      cold = findEstimate(r, "bath flux", "into cold");
    expect(Math.abs(hot.value + cold.value)).toBeLessThan(4 * Math.hypot(hot.error, cold.error));
    expect(hot.value).toBeGreaterThan(4 * hot.error);
    const ep = findEstimate(r, "entropy production", "rate");
    expect(ep.value).toBeGreaterThan(4 * ep.error);
  });

  it("a soft-disk mixture in 2D runs on the cell list and conserves energy (heat in = heat out)", () => {
    const m = model({
      dimension: 2,
      box: 12,
      species: [
        { name: "hot", count: 60, temperature: 5 },
        { name: "cold", count: 60, temperature: 0.5 },
      ],
      pairs: [{ potential: "soft", stiffness: 20, range: 1 }],
      initial: "random",
    });
    expect(pairField(m).cellCount).toBe(81); // cells of cutoff + skin = 1.3
    const r = simulateAndVerifySync(m, { dt: 0.001 }, { time: 20, seed: 47, replicas: 2 });
    const hot = findEstimate(r, "bath flux", "into hot"),
      cold = findEstimate(r, "bath flux", "into cold");
    expect(Math.abs(hot.value + cold.value)).toBeLessThan(4 * Math.hypot(hot.error, cold.error));
    expect(hot.value).toBeGreaterThan(0);
  });
});

describe("heat: false (overdamped runs that measure structure or drift only)", () => {
  it("leaves out the heat estimates and the pair-heat accounting; the rest is a trapezoid run's, to the bit", () => {
    // 2D soft disks in cell order, where "exact" would account the pair heat in the force loop.
    const m = model({
      dimension: 2,
      box: 12,
      species: [
        { name: "hot", count: 60, temperature: 0.5 },
        { name: "cold", count: 60, temperature: 0.05 },
      ],
      pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
    });
    const o = { time: 2, burnIn: 0.5, seed: 4, replicas: 2, covariance: false };
    const off = simulateSync(m, heun({ dt: 0.02 }), { ...o, heat: false, pairHeat: "exact" });
    const trap = simulateSync(m, heun({ dt: 0.02 }), { ...o, pairHeat: "trapezoid" });
    const heatGroups = ["bath flux", "entropy production", "energy balance"];
    expect(off.estimates.some((e) => heatGroups.includes(e.group))).toBe(false);
    expect(trap.estimates.some((e) => heatGroups.includes(e.group))).toBe(true);
    expect(off.pairHeat).toBeUndefined();
    expect(off.estimates.length).toBeGreaterThan(0);
    for (const e of off.estimates) expect(findEstimate(trap, e.group, e.name)).toEqual(e);
    expect(() => simulateSync(m, heun({ dt: 0.02 }), { ...o, heat: 0 as never })).toThrow(/heat must be true or false/);
  });
});

describe("exact pair-energy accounting of the overdamped heat (pairHeat.ts)", () => {
  const cases: [string, ParticlesModel][] = [
    [
      "1D soft, cells",
      model({
        dimension: 1,
        box: 30,
        species: [
          { name: "a", count: 25, temperature: 1 },
          { name: "b", count: 15, temperature: 0.2 },
        ],
        pairs: [{ potential: "soft", stiffness: 4, range: 1 }],
      }),
    ],
    [
      "2D soft, three species, one pair not interacting",
      model({
        dimension: 2,
        box: [12, 10],
        species: [
          { name: "a", count: 60, temperature: 1 },
          { name: "b", count: 40, temperature: 0.1, friction: 2 },
          { name: "c", count: 20, temperature: 3 },
        ],
        pairs: [
          { between: ["a", "a"], potential: "soft", stiffness: 3, range: 1 },
          { between: ["a", "b"], potential: "soft", stiffness: 5, range: 1.2 },
          { between: ["b", "b"], potential: "soft", stiffness: 2, range: 0.8 },
          { between: ["a", "c"], potential: "soft", stiffness: 4, range: 0.9 },
        ],
      }),
    ],
    [
      "3D soft, cells",
      model({
        dimension: 3,
        box: 5,
        species: [
          { name: "h", count: 40, temperature: 1 },
          { name: "c", count: 40, temperature: 0.1 },
        ],
        pairs: [{ potential: "soft", stiffness: 6, range: 1 }],
      }),
    ],
    [
      "3D soft, few particles in a large box (a bounded grid)",
      model({
        dimension: 3,
        box: 30,
        species: [
          { name: "h", count: 8, temperature: 1 },
          { name: "c", count: 7, temperature: 0.1 },
        ],
        pairs: [{ potential: "soft", stiffness: 6, range: 6 }],
      }),
    ],
    [
      "2D WCA, small box (all pairs)",
      model({
        dimension: 2,
        box: 2.6,
        species: [
          { name: "a", count: 4, temperature: 1 },
          { name: "b", count: 3, temperature: 0.3 },
        ],
        pairs: [{ potential: "wca", epsilon: 1, sigma: 0.5 }],
      }),
    ],
    [
      "open space, harmonic with rest length",
      model({
        dimension: 3,
        species: [
          { name: "a", count: 3, temperature: 1 },
          { name: "b", count: 2, temperature: 2 },
        ],
        pairs: [{ potential: "harmonic", stiffness: 2, length: 0.7 }],
      }),
    ],
  ];
  for (const [name, m] of cases) {
    it(`trapezoid heat + correction = exact change of the pair energy over a step: ${name}`, () => {
      const ledger = new PairHeatLedger(m);
      const r = Rng.stream(21);
      const N = m.speciesOf.length,
        d = m.dimension,
        S = m.species.length;
      for (let trial = 0; trial < 5; trial++) {
        const x0 = randomPositions(m, 30 + trial);
        const step = [0.02, 0.1, 0.3, 0.05, 0.2][trial];
        const x1 = x0.map((v) => v + step * r.normal());
        const e0 = bruteForce(m, x0),
          e1 = bruteForce(m, x1);
        // The probe's trapezoid: heat from the baths = -sum_a (f_a(x0) + f_a(x1))/2 . dx_a.
        let trap = 0;
        for (let i = 0; i < N * d; i++) trap -= 0.5 * (e0.f[i] + e1.f[i]) * (x1[i] - x0[i]);
        const out = new Float64Array(S);
        const added = ledger.correct(x0, x1, 1, out, 1);
        // The shares sum to the total (relative to it: WCA overlaps reach 1e11, where one ulp is 1.5e-5).
        expect(Math.abs(out.reduce((a, b) => a + b, 0) - added)).toBeLessThan(1e-13 * Math.max(1, Math.abs(added)));
        const scale = Math.max(1, Math.abs(e0.u), Math.abs(e1.u));
        expect(Math.abs(trap + added - (e1.u - e0.u))).toBeLessThan(1e-9 * scale);
      }
    });
  }

  // cases[1]: three species, different ranges and frictions, one species pair that does not interact (the general
  // loops); and two species under one soft law (the loops for one law: pairKernels.ts uniformHeatFrom*).
  const oneLaw = model({
    dimension: 2,
    box: [12, 10],
    species: [
      { name: "hot", count: 60, temperature: 1 },
      { name: "cold", count: 40, temperature: 0.1, friction: 2 },
    ],
    pairs: [{ potential: "soft", stiffness: 3, range: 1 }],
  });
  it.each([
    ["three species, three laws", cases[1][1]],
    ["two species, one law", oneLaw],
  ] as const)(
    "the force loop's accounting of a step (2D soft disks in cell order) equals the ledger's pass, in each of its modes: %s",
    (_name, m) => {
      expect(packPairLaws(m).uniformSoft !== null).toBe(m === oneLaw);
      const field = pairField(m);
      const S = m.species.length;
      const dt = 0.01;
      expect(
        field.enableStepHeat(
          Float64Array.from(m.species, (s) => s.temperature / s.friction),
          dt,
        ),
      ).toBe(true);
      const ledger = new PairHeatLedger(m);
      const r = Rng.stream(22);
      const x0 = randomPositions(m, 41);
      const f = new Float64Array(field.dof);
      field.compute(x0, f);
      const modes = new Set<string>();
      let u0 = bruteForce(m, x0).u;
      // Steps per axis uniform in [-a, a]: quiet (the list), mobile (a new sort at every step: the cells), and beyond
      // the skin (the field leaves the step to the ledger: takeStepHeat is null, the forces stay exact).
      for (const [a, steps, accounted] of [
        [0.01, 15, true],
        [0.6 * field.skin, 15, true],
        [0.01, 10, true],
        [2 * field.skin, 5, false],
      ] as const) {
        for (let k = 0; k < steps; k++) {
          const x1 = x0.map((v) => v + a * (2 * r.uniform() - 1));
          const u = field.computeStep(x0, x1, f, true);
          const ref = bruteForce(m, x1);
          expect(Math.abs(u - ref.u)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.u)));
          const fs = Math.max(1, ...ref.f.map(Math.abs));
          for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.f[i])).toBeLessThan(1e-11 * fs);
          const heat = field.takeStepHeat();
          expect(heat !== null).toBe(accounted);
          expect(field.takeStepHeat()).toBeNull(); // taken once
          if (heat) {
            const out = new Float64Array(S);
            ledger.correct(x0, x1, 1 / dt, out, 1);
            // Equal to round-off: relative 1e-10, and at least the round-off of the per-pair errors themselves, each a
            // difference of pair energies U(r1) - U(r0) per unit time (soft energies are >= 0, so the sums' round-off
            // is below a few eps (U(x0) + U(x1)) / dt whatever order the pairs are summed in).
            const scale = Math.max(1e-9, ...out.map(Math.abs));
            const roundOff = (8 * Number.EPSILON * (u0 + ref.u)) / dt;
            expect(out.some((v) => v !== 0)).toBe(true);
            for (let s = 0; s < S; s++)
              expect(Math.abs(heat[s] - out[s])).toBeLessThan(Math.max(1e-10 * scale, roundOff));
            modes.add(field.cellOrderMode!);
          }
          x0.set(x1);
          u0 = ref.u;
        }
      }
      // One law: the flat list of pairs at every evaluation (lists.ts "pairs"); else the list or the cells.
      expect([...modes].sort()).toEqual(m === oneLaw ? ["pairs"] : ["cells", "list"]);
    },
  );

  it("the step heat's wide Verlet skin (a sort every few steps) follows the trajectory of a sort at every step", () => {
    // Metzger's hot/cold disks (area fraction 0.4, dt 0.1): the least skin the step heat needs is outrun at nearly
    // every step; verletSkin widens it to about one cutoff. The same pairs interact, summed in another order: the
    // trajectory agrees with a field that sorts at every step (skin 0.3) to round-off, not to the bit.
    const N = 400,
      dt = 0.1;
    const m = model({
      dimension: 2,
      box: Math.sqrt((N * Math.PI) / 1.6),
      species: [
        { name: "hot", count: N / 2, temperature: 0.02 },
        { name: "cold", count: N / 2, temperature: 0.0002 },
      ],
      pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
    });
    const wide = pairField(m),
      narrow = pairField(m);
    const D = Float64Array.from(m.species, (s) => s.temperature / s.friction);
    expect(wide.enableStepHeat(D, dt)).toBe(true);
    expect(wide.skin).toBeGreaterThan(0.8);
    expect(narrow.skin).toBeLessThan(0.35);
    const xa = randomPositions(m, 5),
      xb = Float64Array.from(xa);
    const fa = new Float64Array(wide.dof),
      fb = new Float64Array(narrow.dof),
      x0 = new Float64Array(wide.dof);
    wide.compute(xa, fa);
    narrow.compute(xb, fb);
    const r = Rng.stream(9);
    const steps = 120;
    for (let t = 0; t < steps; t++) {
      x0.set(xa);
      for (let i = 0; i < xa.length; i++) {
        const z = Math.sqrt(2 * D[m.speciesOf[i >> 1]] * dt) * r.normal();
        xa[i] += dt * fa[i] + z;
        xb[i] += dt * fb[i] + z;
      }
      wide.computeStep(x0, xa, fa, true);
      narrow.compute(xb, fb);
    }
    let worst = 0;
    for (let i = 0; i < xa.length; i++) worst = Math.max(worst, Math.abs(xa[i] - xb[i]));
    expect(worst).toBeLessThan(1e-9);
    expect(worst).toBeGreaterThan(0); // another order of the sums: not the same bits
    // Fewer sorts: the narrow skin sorts at nearly every step, the wide one every few.
    expect(narrow.builds).toBeGreaterThan(0.8 * steps);
    expect(wide.builds).toBeLessThan(0.5 * steps);
  });

  it("a pair's error is shared in proportion to the diffusivities T/gamma", () => {
    const m = model({
      dimension: 1,
      box: 6,
      species: [
        { name: "hot", count: 1, temperature: 2, friction: 1 },
        { name: "cold", count: 1, temperature: 0.5, friction: 2 },
      ],
      pairs: [{ potential: "soft", stiffness: 10, range: 1 }],
    });
    const ledger = new PairHeatLedger(m);
    const out = new Float64Array(2);
    // Crossing the cutoff: the kink makes the trapezoid err.
    ledger.correct(Float64Array.from([0, 0.9]), Float64Array.from([-0.1, 1.05]), 1, out, 1);
    expect(Math.abs(out[0])).toBeGreaterThan(1e-3);
    expect(out[0] / out[1]).toBeCloseTo(2 / 1 / (0.5 / 2), 12);
  });

  it("in a simulation: the heats sum to the change of the energy; trapezoid is the cheaper option", () => {
    const m = model({
      dimension: 2,
      box: 9,
      species: [
        { name: "hot", count: 30, temperature: 0.5 },
        { name: "cold", count: 30, temperature: 0.5 },
      ],
      pairs: [{ potential: "soft", stiffness: 20, range: 1 }],
      initial: "random",
    });
    const run = (pairHeat: "exact" | "trapezoid") =>
      simulateAndVerifySync(m, { dt: 0.005 }, { time: 60, burnIn: 5, seed: 4, replicas: 4, pairHeat });
    const exact = run("exact"),
      trapezoid = run("trapezoid");
    const sigma = (r: ReturnType<typeof run>) => findEstimate(r, "entropy production", "rate");
    // Equal temperatures, k dt = 0.1: the trapezoid rule's kink bias is many error bars; the exact accounting has none.
    expect(Math.abs(sigma(exact).value)).toBeLessThan(4 * sigma(exact).error);
    expect(sigma(trapezoid).value).toBeGreaterThan(4 * sigma(trapezoid).error);
    expect(() =>
      simulateAndVerifySync(m, { dt: 0.005 }, { time: 1, seed: 1, pairHeat: "midpoint" as "exact" }),
    ).toThrow(/pairHeat must be state, exact, trapezoid/);
  });
});
