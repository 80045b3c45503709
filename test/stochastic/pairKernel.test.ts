// The fused two-particle Heun kernel (src/stochastic/pairKernel.ts) against the generic step and probe of the same
// scheme (heun({ dt, fused: false })): the same numbers (and fields) to the last bit, on every kind of pair it takes (soft in a
// Verlet-listed box and in a small box, WCA in a box, a harmonic pair in open space, sawtooth, cosine and trap fields, unequal
// frictions, heat off, the trapezoid and the exact pair heat), and the plans it does not take.
import { describe, expect, it } from "vitest";
import { validateParticles, type ParticlesModel } from "../../src/model/particles.js";
import { heun, eulerMaruyama } from "../../src/stochastic/integrators.js";
import { preparePlan, simulateSync, type SimulationOptions } from "../../src/stochastic/run.js";

type Raw = Record<string, unknown> & { dimension: 1 | 2 | 3 };

const pair = (over: Raw): ParticlesModel => {
  const d = over.dimension;
  return validateParticles({
    kind: "particles",
    dynamics: "overdamped",
    species: [
      { name: "hot", count: 1, temperature: 1 },
      { name: "cold", count: 1, temperature: 0.1 },
    ],
    pairs: [{ between: ["hot", "cold"], potential: "soft", stiffness: 10, range: 1 }],
    initial: [Array.from({ length: d }, () => 0.7), Array.from({ length: d }, () => 2.1)],
    ...over,
  });
};

const sawtooth = { potential: "sawtooth", amplitude: 1, period: 1, asymmetry: 0.8 };
const cases: [string, ParticlesModel, number, Partial<SimulationOptions>, string][] = [
  // The ratchet: a Verlet list in a box of 6 cells, drift only (the ratchet figure's runs) and with the heats.
  [
    "1D soft + sawtooth, heat off",
    pair({ dimension: 1, box: 4, pairs: [{ potential: "soft", stiffness: 50, range: 0.5 }], external: [sawtooth] }),
    0.0005,
    { heat: false },
    "verlet list",
  ],
  [
    "1D soft + sawtooth, exact pair heat",
    pair({ dimension: 1, box: 4, pairs: [{ potential: "soft", stiffness: 50, range: 0.5 }], external: [sawtooth] }),
    0.0005,
    { pairHeat: "exact", fields: [{ coordinates: ["x:0", "x:1"], bins: [5, 5] }], burnIn: 0 },
    "verlet list",
  ],
  // Run-and-chase: a box under three cells (all pairs, wrapped coordinates), unequal frictions (the Ito velocity).
  ...([1, 2, 3] as const).map(
    (d) =>
      [
        `${d}D soft in a small box, exact pair heat, unequal frictions`,
        pair({
          dimension: d,
          box: 3,
          species: [
            { name: "hot", count: 1, temperature: 1, friction: 0.5 },
            { name: "cold", count: 1, temperature: 0.1 },
          ],
        }),
        0.001,
        { pairHeat: "exact" },
        "all pairs",
      ] as [string, ParticlesModel, number, Partial<SimulationOptions>, string],
  ),
  [
    "3D soft in a large box (Verlet), trapezoid heat, cosine field on one species",
    pair({
      dimension: 3,
      box: 7,
      external: [{ potential: "cosine", amplitude: 0.5, period: 3.5, axis: "y", phase: 0.3, species: ["cold"] }],
    }),
    0.001,
    { pairHeat: "trapezoid" },
    "verlet list",
  ],
  [
    "2D harmonic pair in a trap (open space, covariance)",
    pair({
      dimension: 2,
      pairs: [{ potential: "harmonic", stiffness: 1 }],
      external: [{ potential: "harmonic", stiffness: 1 }],
      initial: [
        [0, 0],
        [0, 0],
      ],
    }),
    0.002,
    // The density and current of (x1, x2) (the harmonic-pair figure's field).
    {
      pairHeat: "trapezoid",
      fields: [
        {
          coordinates: ["x:0", "x:1"],
          bins: [6, 6],
          range: [
            [-3, 3],
            [-3, 3],
          ],
        },
      ],
    },
    "all pairs",
  ],
  [
    "1D WCA in a box with a trap, one species of two",
    validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 1,
      box: 5,
      species: [{ name: "a", count: 2, temperature: 0.5 }],
      pairs: [{ potential: "wca", epsilon: 1, sigma: 0.8 }],
      external: [{ potential: "harmonic", stiffness: 0.3, center: [2.5] }],
      initial: [[1], [3]],
    }),
    0.001,
    { pairHeat: "exact" },
    "verlet list",
  ],
];

describe("the fused two-particle Heun kernel", () => {
  it.each(cases)("%s: bit-identical to the generic step and probe", (_, model, dt, extra, search) => {
    const options: SimulationOptions = { time: 6, seed: 5, replicas: 2, ...extra };
    const plan = preparePlan(model, heun({ dt }), options);
    expect(plan.pairKernel).not.toBeNull();
    expect((plan.system as unknown as { terms: { search?: string }[] }).terms[0].search).toBe(search);
    expect(preparePlan(model, heun({ dt, fused: false }), options).pairKernel).toBeNull();
    const fused = simulateSync(model, heun({ dt }), options);
    const generic = simulateSync(model, heun({ dt, fused: false }), options);
    expect(fused.estimates.length).toBeGreaterThan(5);
    // Every value and error bar the same number (toEqual on numbers is Object.is: signed zeros too).
    expect(fused.estimates).toEqual(generic.estimates);
    expect(fused.warnings).toEqual(generic.warnings);
    expect(fused.fields).toEqual(generic.fields);
    for (const f of fused.fields) expect(f.density.some((v) => v > 0)).toBe(true);
  });

  it("is not used where the generic path is needed", () => {
    const ratchet = cases[0][1];
    const soft2 = pair({ dimension: 2, box: 7 });
    // 2D soft pairs in a large box: the cell-order mode (its own rounding).
    expect(preparePlan(soft2, heun({ dt: 0.001 }), { time: 1, seed: 1 }).pairKernel).toBeNull();
    // Other schemes, the state-function pair heat.
    expect(preparePlan(ratchet, eulerMaruyama({ dt: 0.0005 }), { time: 1, seed: 1 }).pairKernel).toBeNull();
    const harmonic = cases[cases.length - 2][1];
    expect(preparePlan(harmonic, heun({ dt: 0.002 }), { time: 1, seed: 1 }).pairKernel).toBeNull(); // state heat
    expect(preparePlan(harmonic, heun({ dt: 0.002 }), { time: 1, seed: 1, pairHeat: "state" }).pairKernel).toBeNull();
  });
});
