// The pair laws and external fields (src/stochastic/potentials/) against their own derivatives: each law's force
// is minus the finite-difference derivative of its energy, its curvature minus that of its force, its curvature
// bound (the time-step limit) bounds the curvature wherever the energy stays below the given level; and the force
// loops (pairKernels.ts), which inline the laws' arithmetic, against the reference functions in every neighbour
// structure (Verlet list, 2D cell order from its list and from the cells, all pairs), and against finite
// differences of their own energy.
import { describe, expect, it } from "vitest";
import { pairCutoff, type ParticlesModel, type PairPotential } from "../../src/model/particles.js";
import {
  cosineField,
  ExternalFields,
  externalCurvatureBound,
  externalEnergySpan,
  sawtoothField,
  trapField,
} from "../../src/stochastic/potentials/externalFields.js";
import { allPairsForces, cellOrderSoftForces, verletForces } from "../../src/stochastic/potentials/pairKernels.js";
import {
  harmonicLaw,
  packPairLaws,
  pairLaw,
  softLaw,
  wcaLaw,
  type PairLaw,
} from "../../src/stochastic/potentials/pairLaws.js";
import { AllPairs, CellOrderList, CellSort, VerletList } from "../../src/stochastic/neighbours/lists.js";
import { minimumImage } from "../../src/stochastic/neighbours/pairSearch.js";
import { particleSpace } from "../../src/problem/langevin.js";
import { pairField, particlesModel as model } from "../helpers/particles.js";
import { rng } from "../helpers/random.js";

const LAWS: [string, PairPotential][] = [
  ["soft", { potential: "soft", stiffness: 3, range: 1.2 }],
  ["harmonic with a rest length", { potential: "harmonic", stiffness: 2, length: 0.5 }],
  ["harmonic, rest length 0", { potential: "harmonic", stiffness: 0.7, length: 0 }],
  ["wca", { potential: "wca", epsilon: 1.5, sigma: 0.8 }],
];

/** Distances inside the law's range (away from r = 0 and the cutoff, where soft and WCA have kinks). */
function distancesOf(p: PairPotential): number[] {
  const cut = pairLaw(p).cutoff(p);
  const lo = p.potential === "wca" ? 0.9 * p.sigma : 0.05;
  const hi = Number.isFinite(cut) ? 0.995 * cut : 3;
  return Array.from({ length: 25 }, (_, k) => lo + ((hi - lo) * k) / 24);
}

describe("pair laws: reference functions", () => {
  for (const [name, p] of LAWS) {
    const law = pairLaw(p) as PairLaw;
    it(`${name}: force = -dU/dr, force over distance = force / r, curvature = -dF/dr (central differences)`, () => {
      for (const r of distancesOf(p)) {
        const h = 1e-6 * r;
        const fd = -(law.energy(p, r + h) - law.energy(p, r - h)) / (2 * h);
        const F = law.force(p, r);
        expect(Math.abs(F - fd), `r = ${r}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(F)));
        expect(Math.abs(law.forceOverDistance(p, r) * r - F)).toBeLessThan(1e-12 * Math.max(1, Math.abs(F)));
        const c = law.curvature(p, r);
        const cd = -(law.force(p, r + h) - law.force(p, r - h)) / (2 * h);
        expect(Math.abs(c - cd), `r = ${r}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(c)));
      }
    });

    it(`${name}: nothing at and beyond the cutoff, and the energy is continuous there`, () => {
      const cut = law.cutoff(p);
      if (!Number.isFinite(cut)) {
        expect(law.energy(p, 1e3)).toBeGreaterThan(0);
        return;
      }
      for (const r of [cut, cut * (1 + 1e-12), 1.5 * cut, 1e6 * cut]) {
        expect(law.energy(p, r)).toBe(0);
        expect(law.force(p, r)).toBe(0);
        expect(law.forceOverDistance(p, r)).toBe(0);
        expect(law.curvature(p, r)).toBe(0);
      }
      expect(law.energy(p, cut * (1 - 1e-9))).toBeLessThan(
        1e-12 * (p.potential === "wca" ? p.epsilon : law.energyCeiling(p)),
      );
    });

    it(`${name}: the curvature bound bounds U'' and U'/r wherever U <= u, and is reached by WCA at U = u`, () => {
      const cut = law.cutoff(p);
      const top = Number.isFinite(cut) ? cut : 5;
      for (const u of [0.1, 1, 10, 100]) {
        const bound = law.curvatureBound(p, u);
        let reached = 0;
        for (let k = 1; k <= 4000; k++) {
          const r = (top * k) / 4000;
          if (law.energy(p, r) > u || r >= cut) continue;
          const c = law.curvature(p, r),
            transverse = -law.forceOverDistance(p, r);
          expect(c, `u = ${u}, r = ${r}`).toBeLessThanOrEqual(bound * (1 + 1e-12));
          expect(transverse, `u = ${u}, r = ${r}`).toBeLessThanOrEqual(bound * (1 + 1e-12));
          reached = Math.max(reached, c);
        }
        if (p.potential === "wca") expect(reached / bound).toBeGreaterThan(0.99);
        else expect(reached / bound).toBeGreaterThan(0.999);
      }
    });

    it(`${name}: the closest approach at energy u has U = u, and the energy ceiling is the largest energy`, () => {
      for (const u of [0.01, 0.5, 1.4]) {
        const r = law.closestApproach(p, u);
        if (p.potential === "harmonic") expect(r).toBe(0);
        else expect(law.energy(p, r)).toBeCloseTo(u, 10);
      }
      if (p.potential === "soft") {
        expect(law.energyCeiling(p)).toBe(law.energy(p, 0));
        expect(law.closestApproach(p, law.energyCeiling(p))).toBe(0);
      } else expect(law.energyCeiling(p)).toBe(Infinity);
    });
  }

  it("closed forms: values worked out by hand at chosen distances", () => {
    const close = (got: number, want: number) =>
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
    // soft, k = 3, sigma = 1.2, at r = sigma/2: U = (3/2)(1/2)^2, F = (k/sigma)(1/2), U'' = k/sigma^2
    const soft = { potential: "soft", stiffness: 3, range: 1.2 } as const;
    close(softLaw.energy(soft, 0.6), 0.375);
    close(softLaw.force(soft, 0.6), 1.25);
    close(softLaw.forceOverDistance(soft, 0.6), 1.25 / 0.6);
    close(softLaw.curvature(soft, 0.6), 3 / 1.44);
    close(softLaw.cutoff(soft), 1.2);
    // harmonic, k = 2, r0 = 0.5, at r = 1.5: U = (2/2)(1)^2, F = -2 (attractive), U'' = 2; r0 = 0: g = -k at r = 0
    const spring = { potential: "harmonic", stiffness: 2, length: 0.5 } as const;
    close(harmonicLaw.energy(spring, 1.5), 1);
    close(harmonicLaw.force(spring, 1.5), -2);
    close(harmonicLaw.forceOverDistance(spring, 1.5), -2 / 1.5);
    close(harmonicLaw.curvature(spring, 1.5), 2);
    expect(harmonicLaw.cutoff(spring)).toBe(Infinity);
    close(harmonicLaw.forceOverDistance({ potential: "harmonic", stiffness: 0.7, length: 0 }, 0), -0.7);
    // WCA, eps = 1.5, sigma = 0.8: at r = sigma U = eps, F = 24 eps/sigma, U'' = 114 (4 eps/sigma^2);
    // at the cutoff 2^(1/6) sigma (the Lennard-Jones minimum) U = F = 0 and U'' -> 36 2^(2/3) eps/sigma^2
    const wca = { potential: "wca", epsilon: 1.5, sigma: 0.8 } as const;
    close(wcaLaw.energy(wca, 0.8), 1.5);
    close(wcaLaw.force(wca, 0.8), 45);
    close(wcaLaw.forceOverDistance(wca, 0.8), 45 / 0.8);
    close(wcaLaw.curvature(wca, 0.8), (114 * 4 * 1.5) / 0.64);
    close(wcaLaw.cutoff(wca), 2 ** (1 / 6) * 0.8);
    const rm = 2 ** (1 / 6) * 0.8 * (1 - 1e-12);
    expect(Math.abs(wcaLaw.energy(wca, rm))).toBeLessThan(1e-14);
    expect(Math.abs(wcaLaw.force(wca, rm))).toBeLessThan(1e-9);
    expect(Math.abs(wcaLaw.curvature(wca, rm) / ((36 * 2 ** (2 / 3) * 1.5) / 0.64) - 1)).toBeLessThan(1e-9);
  });

  it("the laws by name, and their packing per ordered species pair (symmetric, squared cutoffs)", () => {
    expect(pairLaw({ potential: "soft", stiffness: 1, range: 1 })).toBe(softLaw);
    expect(pairLaw({ potential: "harmonic", stiffness: 1, length: 0 })).toBe(harmonicLaw);
    expect(pairLaw({ potential: "wca", epsilon: 1, sigma: 1 })).toBe(wcaLaw);
    const m = model({
      dimension: 2,
      box: 10,
      species: [
        { name: "a", count: 2, temperature: 1 },
        { name: "b", count: 2, temperature: 1 },
        { name: "c", count: 1, temperature: 1 },
      ],
      pairs: [
        { between: ["a", "b"], potential: "soft", stiffness: 3, range: 1.2 },
        { between: ["b", "b"], potential: "wca", epsilon: 2, sigma: 0.5 },
      ],
    });
    const packed = packPairLaws(m);
    expect(packed.species).toBe(3);
    expect([...packed.code]).toEqual([0, softLaw.code, 0, softLaw.code, wcaLaw.code, 0, 0, 0, 0]);
    expect([packed.k[1], packed.l[1], packed.k[3], packed.l[3]]).toEqual([3, 1.2, 3, 1.2]);
    expect([packed.k[4], packed.l[4]]).toEqual([2, 0.5]);
    expect(packed.cut2[4]).toBeCloseTo((2 ** (1 / 6) * 0.5) ** 2, 14);
    expect(packed.maxCutoff).toBe(1.2);
    expect(packed.onlySoft).toBe(false);
    expect(packed.rules[5]).toBeNull();
  });
});

describe("external fields: reference functions", () => {
  const m = model({
    dimension: 2,
    box: [6, 8],
    species: [{ name: "a", count: 1, temperature: 1 }],
    external: [
      { potential: "harmonic", stiffness: 0.7, center: [1, 2] },
      { potential: "cosine", amplitude: -0.5, period: 2, axis: "y", phase: 0.3 },
      { potential: "sawtooth", amplitude: 1.3, period: 3, asymmetry: 0.7 },
    ],
  });
  const [trap, cosine, saw] = m.external as [
    Extract<ParticlesModel["external"][number], { potential: "harmonic" }>,
    Extract<ParticlesModel["external"][number], { potential: "cosine" }>,
    Extract<ParticlesModel["external"][number], { potential: "sawtooth" }>,
  ];

  it("force = -dU/dx and |U''| <= the curvature bound (central differences; the sawtooth away from its corners)", () => {
    const h = 1e-6;
    for (let k = 0; k < 200; k++) {
      const x = -5 + (10 * k) / 199;
      const checks: [(x: number) => number, (x: number) => number, number][] = [
        [(y) => trapField.energy(trap, y), (y) => trapField.force(trap, y), externalCurvatureBound(trap)],
        [(y) => cosineField.energy(cosine, y), (y) => cosineField.force(cosine, y), externalCurvatureBound(cosine)],
      ];
      const w = sawtoothField.phase(saw, x);
      if (Math.abs(w - saw.asymmetry) > 1e-4 && w > 1e-4 && w < 1 - 1e-4) {
        checks.push([
          (y) => sawtoothField.energy(saw, y),
          (y) => sawtoothField.force(saw, y),
          externalCurvatureBound(saw),
        ]);
      }
      for (const [U, F, bound] of checks) {
        expect(Math.abs(F(x) + (U(x + h) - U(x - h)) / (2 * h))).toBeLessThan(1e-6);
        const curvature = (U(x + 1e-3) - 2 * U(x) + U(x - 1e-3)) / 1e-6;
        expect(Math.abs(curvature)).toBeLessThanOrEqual(bound * (1 + 1e-4) + 1e-6);
      }
    }
  });

  it("the sawtooth rises to A over the fraction a of the period and falls back; energy spans 2|A| (cosine) and |A| (sawtooth)", () => {
    expect(sawtoothField.energy(saw, 0)).toBe(0);
    expect(sawtoothField.energy(saw, 0.7 * 3 - 1e-12)).toBeCloseTo(1.3, 9);
    expect(sawtoothField.energy(saw, 3 + 0.35 * 3)).toBeCloseTo(0.65, 12);
    expect(sawtoothField.force(saw, 1)).toBeCloseTo(-1.3 / (0.7 * 3), 14);
    expect(sawtoothField.force(saw, 2.5)).toBeCloseTo(1.3 / (0.3 * 3), 14);
    expect(externalEnergySpan(cosine)).toBe(1);
    expect(externalEnergySpan(saw)).toBe(1.3);
    expect(externalEnergySpan(trap)).toBe(Infinity);
  });

  it("ExternalFields sums the fields, the trap with the minimum image, each on its species", () => {
    const two = model({
      dimension: 2,
      box: [6, 8],
      species: [
        { name: "a", count: 1, temperature: 1 },
        { name: "b", count: 1, temperature: 1 },
      ],
      external: [
        { potential: "harmonic", stiffness: 0.7, center: [1, 2], species: ["a"] },
        { potential: "cosine", amplitude: -0.5, period: 2, axis: "y", phase: 0.3 },
        { potential: "sawtooth", amplitude: 1.3, period: 3, asymmetry: 0.7, species: ["b"] },
      ],
    });
    const fields = new ExternalFields(particleSpace(two), two.external);
    const x = Float64Array.of(6.5, -3, 2.2, 9.1); // a at (6.5, -3): trap displacement (-0.5, 3) by the minimum image
    const f = new Float64Array(4),
      e = new Float64Array(2);
    const u = fields.add(x, f, e);
    const [t, c, s] = two.external as [typeof trap, typeof cosine, typeof saw];
    const ea = trapField.energy(t, -0.5) + trapField.energy(t, 3) + cosineField.energy(c, -3);
    const eb = cosineField.energy(c, 9.1) + sawtoothField.energy(s, 2.2);
    expect(e[0]).toBeCloseTo(ea, 14);
    expect(e[1]).toBeCloseTo(eb, 14);
    expect(u).toBeCloseTo(ea + eb, 14);
    expect(f[0]).toBeCloseTo(trapField.force(t, -0.5), 14);
    expect(f[1]).toBeCloseTo(trapField.force(t, 3) + cosineField.force(c, -3), 14);
    expect(f[2]).toBeCloseTo(sawtoothField.force(s, 2.2), 14);
    expect(f[3]).toBeCloseTo(cosineField.force(c, 9.1), 14);
    // Anywhere (both parts of the sawtooth, other periodic images), the loop gives the reference functions' values.
    const r = rng(11);
    const image = (v: number, L: number) => v - L * Math.round(v / L);
    for (let n = 0; n < 200; n++) {
      for (let i = 0; i < 4; i++) x[i] = 40 * (r() - 0.5);
      const un = fields.add(x, f.fill(0), e.fill(0));
      const dxa = image(x[0] - 1, 6),
        dya = image(x[1] - 2, 8);
      const wa = trapField.energy(t, dxa) + trapField.energy(t, dya) + cosineField.energy(c, x[1]);
      const wb = cosineField.energy(c, x[3]) + sawtoothField.energy(s, x[2]);
      const close = (got: number, want: number) =>
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
      close(e[0], wa);
      close(e[1], wb);
      close(un, wa + wb);
      close(f[0], trapField.force(t, dxa));
      close(f[1], trapField.force(t, dya) + cosineField.force(c, x[1]));
      close(f[2], sawtoothField.force(s, x[2]));
      close(f[3], cosineField.force(c, x[3]));
    }
  });
});

type Kernel = { name: string; compute: (x: Float64Array, f: Float64Array) => number };

/**
 * Every force loop that applies to a model, each on a neighbour structure of its own: the Verlet list and the 2D
 * cell order (from its list and, driven there by whole-box jumps that force a sort at every call, from the cells)
 * in a box with three cells per axis, and all pairs always.
 */
function kernelsFor(m: ParticlesModel): Kernel[] {
  const d = m.dimension,
    N = m.speciesOf.length;
  const laws = packPairLaws(m);
  const table = { species: laws.species, speciesOf: m.speciesOf, interacts: laws.code };
  const all = new AllPairs(d, N, m.box, table);
  const out: Kernel[] = [{ name: "all pairs", compute: (x, f) => allPairsForces(all, laws, x, f) }];
  const rc = laws.maxCutoff,
    skin = 0.3 * rc;
  if (!m.box || !Number.isFinite(rc) || !CellSort.fits(d, m.box, rc + skin)) return out;
  const verlet = new VerletList(new CellSort(d, N, m.box, rc + skin, skin, table));
  out.push({
    name: "Verlet list",
    compute: (x, f) => {
      verlet.update(x);
      return verletForces(verlet, laws, x, f);
    },
  });
  if (d !== 2 || !laws.onlySoft) return out;
  const box = m.box;
  out.push({
    name: "cell order, list",
    compute: (x, f) => {
      // a fresh list sums from its list at its first evaluation (a reused one would switch to the cells after the
      // sorts that every new configuration of this test forces)
      const listed = new CellOrderList(new CellSort(d, N, box, rc + skin, skin, table));
      const u = cellOrderSoftForces(listed, laws, x, f);
      expect(listed.lastMode).toBe("list");
      return u;
    },
  });
  out.push({
    name: "cell order, from the cells",
    compute: (x, f) => {
      const fresh = new CellOrderList(new CellSort(d, N, box, rc + skin, skin, table));
      const jumped = x.slice();
      for (let k = 0; k < 8; k++) {
        for (let i = 0; i < x.length; i += d) jumped[i] = x[i] + (k % 2 === 0 ? box[0] : 0);
        cellOrderSoftForces(fresh, laws, jumped, f);
      }
      const u = cellOrderSoftForces(fresh, laws, x, f);
      expect(fresh.lastMode).toBe("cells");
      return u;
    },
  });
  if (laws.uniformSoft === null) return out;
  // One law between every pair of species: the flat list of pairs (lists.ts "pairs"), after the same jumps.
  out.push({
    name: "cell order, one law (flat list of pairs)",
    compute: (x, f) => {
      const pairs = new CellOrderList(new CellSort(d, N, box, rc + skin, skin, table), true);
      const jumped = x.slice();
      for (let k = 0; k < 3; k++) {
        for (let i = 0; i < x.length; i += d) jumped[i] = x[i] + (k % 2 === 0 ? box[0] : 0);
        cellOrderSoftForces(pairs, laws, jumped, f);
      }
      const u = cellOrderSoftForces(pairs, laws, x, f);
      expect(pairs.lastMode).toBe("pairs");
      return u;
    },
  });
  return out;
}

/** Energy and forces from the reference laws: every pair, minimum image. */
function referenceSum(m: ParticlesModel, x: Float64Array): { u: number; f: Float64Array } {
  const laws = packPairLaws(m);
  const d = m.dimension,
    N = m.speciesOf.length,
    S = laws.species;
  const f = new Float64Array(N * d);
  let u = 0;
  for (let a = 0; a < N; a++)
    for (let b = a + 1; b < N; b++) {
      const p = laws.rules[m.speciesOf[a] * S + m.speciesOf[b]];
      if (!p) continue;
      const s = Array.from({ length: d }, (_, k) =>
        minimumImage(x[a * d + k] - x[b * d + k], m.box ? m.box[k] : Infinity),
      );
      const r = Math.hypot(...s);
      const law = pairLaw(p);
      u += law.energy(p, r);
      const g = law.forceOverDistance(p, r);
      for (let k = 0; k < d; k++) {
        f[a * d + k] += g * s[k];
        f[b * d + k] -= g * s[k];
      }
    }
  return { u, f };
}

describe("force loops against the reference laws", () => {
  const pairOf = (d: number, box: number[] | undefined, p: Record<string, unknown>) =>
    model({
      dimension: d,
      ...(box ? { box } : {}),
      species: [
        { name: "a", count: 1, temperature: 1 },
        { name: "b", count: 1, temperature: 1 },
      ],
      pairs: [{ between: ["a", "b"], ...p } as never],
    });
  const twoBody: [string, ParticlesModel][] = [
    ["soft, 2D box", pairOf(2, [5, 6], { potential: "soft", stiffness: 3, range: 1.2 })],
    [
      "soft, 2D box, one law for every species pair",
      model({
        dimension: 2,
        box: [5, 6],
        species: [
          { name: "a", count: 1, temperature: 1 },
          { name: "b", count: 1, temperature: 0.1 },
        ],
        pairs: [{ potential: "soft", stiffness: 3, range: 1.2 }],
      }),
    ],
    ["soft, 1D box", pairOf(1, [6], { potential: "soft", stiffness: 3, range: 1.2 })],
    ["soft, 3D box", pairOf(3, [5, 6, 5.5], { potential: "soft", stiffness: 3, range: 1.2 })],
    ["soft, open space", pairOf(3, undefined, { potential: "soft", stiffness: 3, range: 1.2 })],
    ["WCA, 2D box", pairOf(2, [5, 6], { potential: "wca", epsilon: 1.5, sigma: 0.8 })],
    ["WCA, 3D box", pairOf(3, [5, 6, 5.5], { potential: "wca", epsilon: 1.5, sigma: 0.8 })],
    [
      "harmonic with a rest length, open space",
      pairOf(2, undefined, { potential: "harmonic", stiffness: 2, length: 0.5 }),
    ],
    ["harmonic, rest length 0, open space", pairOf(3, undefined, { potential: "harmonic", stiffness: 0.7 })],
  ];
  for (const [name, m] of twoBody) {
    const p = m.pairs[0].pair;
    const law = pairLaw(p);
    const cut = pairCutoff(p);
    const kernels = kernelsFor(m);
    it(`${name}: ${kernels.map((k) => k.name).join(", ")} give the law's energy and force at every distance`, () => {
      const d = m.dimension;
      const r0 = rng(3);
      const top = Number.isFinite(cut) ? 1.1 * cut : 4;
      const distances = [
        ...distancesOf(p),
        top,
        ...(Number.isFinite(cut) ? [cut * (1 - 1e-9), cut, cut * (1 + 1e-9)] : []),
      ];
      for (const kernel of kernels) {
        for (const r of distances) {
          // a random direction, particle a anywhere (other periodic images too), b at distance r from it
          const e = Array.from({ length: d }, () => r0() - 0.5);
          const norm = Math.hypot(...e);
          const x = new Float64Array(2 * d);
          for (let k = 0; k < d; k++) {
            x[k] = m.box ? (3 * r0() - 1) * m.box[k] : 2 * r0() - 1;
            x[d + k] = x[k] - (r * e[k]) / norm + (m.box ? m.box[k] * Math.round(2 * r0() - 1) : 0);
          }
          const f = new Float64Array(2 * d);
          const u = kernel.compute(x, f);
          const where = `${kernel.name}, r = ${r}`;
          expect(Math.abs(u - law.energy(p, r)), where).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(u)));
          const g = law.forceOverDistance(p, r);
          for (let k = 0; k < d; k++) {
            const s = (r * e[k]) / norm; // x_a - x_b, minimum image
            const scale = Math.max(1, Math.abs(g * r));
            expect(Math.abs(f[k] - g * s), where).toBeLessThanOrEqual(1e-9 * scale);
            expect(f[d + k] + f[k], where).toBe(0); // Newton's third law, exactly
          }
        }
      }
    });
  }

  const crowds: [string, ParticlesModel][] = [
    [
      "2D, soft pairs of three strengths and one pair that does not interact",
      model({
        dimension: 2,
        box: [9, 7.5],
        species: [
          { name: "a", count: 40, temperature: 1 },
          { name: "b", count: 30, temperature: 1 },
          { name: "c", count: 10, temperature: 1 },
        ],
        pairs: [
          { between: ["a", "a"], potential: "soft", stiffness: 3, range: 1 },
          { between: ["a", "b"], potential: "soft", stiffness: 5, range: 1.2 },
          { between: ["b", "c"], potential: "soft", stiffness: 2, range: 0.8 },
        ],
      }),
    ],
    [
      "2D, soft and WCA",
      model({
        dimension: 2,
        box: [9, 7.5],
        species: [
          { name: "a", count: 40, temperature: 1 },
          { name: "b", count: 30, temperature: 1 },
        ],
        pairs: [
          { between: ["a", "b"], potential: "soft", stiffness: 5, range: 1.2 },
          { between: ["b", "b"], potential: "wca", epsilon: 1, sigma: 0.7 },
        ],
      }),
    ],
    [
      "3D, WCA",
      model({
        dimension: 3,
        box: 4.5,
        species: [{ name: "a", count: 60, temperature: 1 }],
        pairs: [{ potential: "wca", epsilon: 1, sigma: 0.7 }],
      }),
    ],
    [
      "open space, harmonic springs and soft repulsion",
      model({
        dimension: 2,
        species: [
          { name: "a", count: 4, temperature: 1 },
          { name: "b", count: 3, temperature: 1 },
        ],
        pairs: [
          { between: ["a", "b"], potential: "harmonic", stiffness: 2, length: 0.3 },
          { between: ["a", "a"], potential: "soft", stiffness: 1, range: 1.5 },
        ],
      }),
    ],
    [
      "2D, one soft law between every pair of species (hot and cold disks)",
      model({
        dimension: 2,
        box: [9, 7.5],
        species: [
          { name: "hot", count: 45, temperature: 1 },
          { name: "cold", count: 35, temperature: 0.01 },
        ],
        pairs: [{ potential: "soft", stiffness: 3, range: 1 }],
      }),
    ],
  ];
  for (const [name, m] of crowds) {
    it(`${name}: each loop sums the reference laws over all pairs, and its forces are minus the gradient of its energy`, () => {
      const r0 = rng(7);
      const d = m.dimension,
        N = m.speciesOf.length;
      const x = Float64Array.from({ length: N * d }, (_, i) => (m.box ? (3 * r0() - 1) * m.box[i % d] : 2 * r0() - 1));
      const ref = referenceSum(m, x);
      const fs = Math.max(1, ...ref.f.map(Math.abs));
      for (const kernel of kernelsFor(m)) {
        const f = new Float64Array(N * d);
        const u = kernel.compute(x, f);
        expect(Math.abs(u - ref.u), kernel.name).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.u)));
        for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.f[i]), kernel.name).toBeLessThan(1e-11 * fs);
        // Finite differences of the loop's own energy, for a few coordinates of particles in contact.
        const g = new Float64Array(N * d);
        const h = 1e-7;
        for (let i = 0; i < 6; i++) {
          const xp = x.slice(),
            xm = x.slice();
          xp[i] += h;
          xm[i] -= h;
          const du = (kernel.compute(xp, g) - kernel.compute(xm, g)) / (2 * h);
          expect(Math.abs(f[i] + du), `${kernel.name}, coordinate ${i}`).toBeLessThan(1e-5 * fs);
        }
      }
    });
  }

  it("the force field picks the neighbour structure from the model", () => {
    const [, soft2] = crowds[0],
      [, mixed2] = crowds[1],
      [, wca3] = crowds[2],
      [, open] = crowds[3];
    expect(pairField(soft2).search).toBe("cell order");
    expect(pairField(mixed2).search).toBe("verlet list");
    expect(pairField(wca3).search).toBe("verlet list");
    expect(pairField(open).search).toBe("all pairs");
    expect(pairField(twoBody[0][1]).search).toBe("cell order");
    expect(
      pairField(
        model({
          dimension: 2,
          box: 2.5,
          species: [{ name: "a", count: 3, temperature: 1 }],
          pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
        }),
      ).search,
    ).toBe("all pairs");
    expect(
      pairField(
        model({
          dimension: 1,
          species: [{ name: "a", count: 3, temperature: 1 }],
          external: [{ potential: "harmonic", stiffness: 1 }],
        }),
      ).search,
    ).toBe("none");
  });
});
