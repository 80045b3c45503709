// The one cell grid (src/stochastic/neighbours/cellGrid.ts) and the pair search on it: every pair of neighbouring
// cells visited exactly once by every stencil, whatever the grid's shape (one cell or several per axis, 1D to 3D),
// the sort a permutation with each particle in the cell of its wrapped position, and pairsWithin against a
// brute-force search; the 2D one-law flat pair list and its force loops in WebAssembly against the JavaScript ones.
import { describe, expect, it } from "vitest";
import { CellGrid, type CellStencil } from "../../src/stochastic/neighbours/cellGrid.js";
import { CellOrderList, CellSort } from "../../src/stochastic/neighbours/lists.js";
import { cellOrderSoftForces, cellOrderSoftStep } from "../../src/stochastic/potentials/pairKernels.js";
import { packPairLaws } from "../../src/stochastic/potentials/pairLaws.js";
import { minimumImage, pairsWithin } from "../../src/stochastic/neighbours/pairSearch.js";
import { verletSkin } from "../../src/stochastic/particleForces.js";
import { rng } from "../helpers/random.js";
import { ModelError } from "../../src/errors.js";
import { expectSameArray } from "../helpers/arrays.js";

/** Unordered pairs of cells (c <= c2) within one cell of each other per axis (periodic), as "c,c2". */
function neighbouringCells(n: number[]): Set<string> {
  const out = new Set<string>();
  const idx = (x: number, y: number, z: number) =>
    ((((x % n[0]) + n[0]) % n[0]) * n[1] + (((y % n[1]) + n[1]) % n[1])) * n[2] + (((z % n[2]) + n[2]) % n[2]);
  for (let x = 0; x < n[0]; x++)
    for (let y = 0; y < n[1]; y++)
      for (let z = 0; z < n[2]; z++) {
        for (let a = -1; a <= 1; a++)
          for (let b = -1; b <= 1; b++)
            for (let c = -1; c <= 1; c++) {
              const p = idx(x, y, z),
                q = idx(x + a, y + b, z + c);
              out.add(`${Math.min(p, q)},${Math.max(p, q)}`);
            }
      }
  return out;
}

describe("the cell grid", () => {
  const shapes: [number, number[], number[]][] = [
    // dimension, box, expected cells per axis at reach 1
    [1, [7.5], [7, 1, 1]],
    [1, [2.5], [1, 1, 1]],
    [2, [5, 3.2], [5, 3, 1]],
    [2, [4, 2.9], [4, 1, 1]],
    [2, [2, 9], [1, 9, 1]],
    [3, [3, 4, 5.5], [3, 4, 5]],
    [3, [6, 2, 3], [6, 1, 3]],
    [3, [Infinity, 4, 3], [1, 4, 3]],
  ];
  for (const stencil of ["half", "upper", "joined"] as CellStencil[]) {
    for (const [d, box, n] of shapes) {
      it(`${stencil} stencil, ${d}D box ${box.join(" x ")}: every pair of neighbouring cells once, none other`, () => {
        const grid = new CellGrid(d, box, 100, stencil); // enough particles for the grid not to be bounded
        grid.sort(new Float64Array(d), 1);
        expect([...grid.shape]).toEqual(n);
        const seen = new Map<string, number>();
        const t = grid.triples,
          ts = grid.tripleStart;
        for (let c = 0; c < grid.cellCount; c++) {
          for (let m = ts[c]; m < ts[c + 1]; m += 3) {
            expect(t[m]).toBe(c);
            expect(t[m + 2]).toBeGreaterThanOrEqual(t[m + 1]);
            for (let c2 = t[m + 1]; c2 <= t[m + 2]; c2++) {
              const key = `${Math.min(c, c2)},${Math.max(c, c2)}`;
              seen.set(key, (seen.get(key) ?? 0) + 1);
            }
          }
          // The cell itself comes in a triple of its own (the loops take j > i there).
          expect([...t.subarray(ts[c], ts[c + 1])].filter((v, k) => k % 3 === 1 && v === c)).toHaveLength(1);
          if (stencil === "half") expect([...t.subarray(ts[c], ts[c] + 3)]).toEqual([c, c, c]);
          // Joined: the cell's own triple takes in the cells c + 1 .. when they are neighbours (no separate triple).
          if (stencil === "joined") {
            expect(t.subarray(ts[c], ts[c] + 2)).toEqual(Int32Array.of(c, c));
            for (let m = ts[c] + 3; m < ts[c + 1]; m += 3) expect(t[m + 1]).not.toBe(c + 1);
          }
        }
        expect(new Set(seen.keys())).toEqual(neighbouringCells(n));
        for (const [key, times] of seen) expect(times, key).toBe(1);
      });
    }
  }

  it("few particles in a large box: at most max(27, 2 N) cells, all alike widened, each axis 1 or >= 3 cells", () => {
    const r = rng(3);
    for (const [d, box, N, reach] of [
      [3, [40, 40, 40], 20, 1.3], // a polymer of 20 monomers: 27 000 cells of the reach
      [3, [40, 40, 40], 200, 1.3],
      [2, [200, 150], 50, 1.1],
      [1, [1e6], 10, 1],
      [3, [1e4, 3, Infinity], 5, 1],
    ] as [number, number[], number, number][]) {
      const grid = new CellGrid(d, box, N);
      const x = Float64Array.from({ length: d * N }, (_, i) => (Number.isFinite(box[i % d]) ? box[i % d] : 10) * r());
      grid.sort(x, reach);
      const n = [...grid.shape];
      expect(grid.cellCount, `${d}D box ${box.join(" x ")}, N = ${N}`).toBeLessThanOrEqual(Math.max(27, 2 * N));
      expect(grid.start.length).toBe(grid.cellCount + 1);
      for (let k = 0; k < 3; k++) expect(n[k] === 1 || n[k] >= 3).toBe(true);
      // Cells are at least `reach` wide.
      for (let k = 0; k < d; k++) if (n[k] > 1) expect(box[k] / n[k]).toBeGreaterThanOrEqual(reach);
      expect(grid.start[grid.cellCount]).toBe(N);
    }
    // A dense system keeps cells of the reach itself.
    const dense = new CellGrid(3, [7.3, 5.1, 6.2], 500);
    dense.sort(new Float64Array(1500), 1.2);
    expect([...dense.shape]).toEqual([6, 4, 5]);
  });

  it("sorts into the cell of each wrapped position, cells contiguous, and keeps the wrapped coordinates", () => {
    // 3D, 2D periodic (its own loop), 2D with an open axis, 1D; coordinates beyond the dimension stay 0.
    const cases: { box: number[]; shape: number[] }[] = [
      { box: [7.3, 5.1, 6.2], shape: [6, 4, 5] },
      { box: [7.3, 5.1], shape: [6, 4, 1] },
      { box: [7.3, Infinity], shape: [6, 1, 1] },
      { box: [7.3], shape: [6, 1, 1] },
    ];
    for (const { box, shape } of cases) {
      const r = rng(5);
      const d = box.length,
        N = 300;
      const x = Float64Array.from({ length: d * N }, (_, i) => {
        const L = box[i % d];
        return L === Infinity ? 20 * r() - 10 : (3 * r() - 1) * L;
      });
      const grid = new CellGrid(d, box, N);
      grid.sort(x, 1.2, true);
      const n = [...grid.shape];
      expect(n).toEqual(shape);
      expect([...grid.order].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, a) => a));
      for (let c = 0; c < grid.cellCount; c++) {
        for (let i = grid.start[c]; i < grid.start[c + 1]; i++) {
          const a = grid.order[i];
          expect(grid.cellOf[a]).toBe(c);
          const w = [grid.wx[a], grid.wy[a], grid.wz[a]];
          let cell = 0;
          for (let k = 0; k < 3; k++) {
            if (k >= d) {
              expect(w[k]).toBe(0);
              continue;
            }
            if (box[k] === Infinity) {
              expect(w[k]).toBe(x[d * a + k]);
              continue;
            }
            expect(w[k]).toBeGreaterThanOrEqual(0);
            expect(w[k]).toBeLessThanOrEqual(box[k]);
            expect(Math.abs(minimumImage(w[k] - x[d * a + k], box[k]))).toBeLessThan(1e-12);
            cell = cell * n[k] + Math.min(n[k] - 1, Math.floor((w[k] / box[k]) * n[k]));
          }
          expect(cell).toBe(c);
        }
      }
      expect(grid.start[grid.cellCount]).toBe(N);
    }
  });
});

describe("pairsWithin", () => {
  const cases: [number, number[], number][] = [
    [1, [20], 1.3],
    [2, [9, 7.5], 1.1],
    [2, [9, 3], 1.4], // one cell along y
    [3, [6, 5, 7], 1.6],
    [3, [6, Infinity, 7], 1.6], // an open axis
    [3, [40, 40, 40], 3], // few particles in a large box: a grid bounded to 2 N cells, wider than the cutoff
    [2, [200, 200], 3],
  ];
  for (const [d, box, cutoff] of cases) {
    it(`${d}D box ${box.join(" x ")}, cutoff ${cutoff}: the pairs of a brute-force search (minimum image, positions outside the box)`, () => {
      const r = rng(11);
      const N = 200;
      const x = Float64Array.from({ length: d * N }, (_, i) =>
        Number.isFinite(box[i % d]) ? (3 * r() - 1) * box[i % d] : 10 * r(),
      );
      const p = pairsWithin(x, d, box, cutoff);
      const found = new Set<string>();
      for (let k = 0; k < p.count; k++) found.add(`${Math.min(p.i[k], p.j[k])},${Math.max(p.i[k], p.j[k])}`);
      expect(found.size).toBe(p.count);
      const brute = new Set<string>();
      for (let a = 0; a < N; a++)
        for (let b = a + 1; b < N; b++) {
          let r2 = 0;
          for (let k = 0; k < d; k++) r2 += minimumImage(x[a * d + k] - x[b * d + k], box[k]) ** 2;
          if (r2 < cutoff * cutoff) brute.add(`${a},${b}`);
        }
      expect(brute.size).toBeGreaterThan(10);
      expect(found).toEqual(brute);
    });
  }

  it("refuses a cutoff beyond half the box and a box side that is not positive", () => {
    expect(() => pairsWithin(new Float64Array(4), 2, [4, 4], 2.5)).toThrow(ModelError);
    expect(() => pairsWithin(new Float64Array(4), 2, [4, 0], 1)).toThrow(/box sides/);
  });
});

describe("the flat pair list of the 2D cell order (WebAssembly and JavaScript builds)", () => {
  // Random disks in periodic boxes, some positions outside the box: the WebAssembly build (the default) gives the
  // JavaScript loop's list pair for pair, and that list is every pair closer than the reach once (brute force).
  const cases: [number, number, number][] = [
    [400, 30, 1.43],
    [1500, 45, 1.3],
    [60, 9, 2.9], // three cells per axis: every cell's stencil wraps
    [400, 12, 3.9], // dense: more pairs than the kernel's first memory holds (it takes a larger one and builds again)
  ];
  for (const [N, L, reach] of cases) {
    it(`N = ${N}, box ${L}, reach ${reach}`, () => {
      const r = rng(5);
      const x = Float64Array.from({ length: 2 * N }, () => (3 * r() - 1) * L);
      const table = { species: 1, speciesOf: new Int32Array(N), interacts: Int32Array.of(1) };
      const lists = (["wasm", "js"] as const).map((kernel) => {
        const cells = new CellSort(2, N, [L, L], reach, reach - 1, table, "joined");
        const list = new CellOrderList(cells, true, kernel);
        list.prepare(x);
        return list;
      });
      const [w, j] = lists;
      expect(w.pairCount).toBe(j.pairCount);
      expectSameArray(w.pairI.subarray(0, w.pairCount), j.pairI.subarray(0, j.pairCount));
      expectSameArray(w.pairJ.subarray(0, w.pairCount), j.pairJ.subarray(0, j.pairCount));
      const order = w.cells.grid.order;
      const found = new Set<string>();
      for (let p = 0; p < w.pairCount; p++) {
        const a = order[w.pairI[p]],
          b = order[w.pairJ[p]];
        found.add(`${Math.min(a, b)},${Math.max(a, b)}`);
      }
      expect(found.size).toBe(w.pairCount);
      const brute = new Set<string>();
      for (let a = 0; a < N; a++)
        for (let b = a + 1; b < N; b++) {
          const dx = minimumImage(x[2 * a] - x[2 * b], L),
            dy = minimumImage(x[2 * a + 1] - x[2 * b + 1], L);
          if (dx * dx + dy * dy < reach * reach) brute.add(`${a},${b}`);
        }
      expect(brute.size).toBeGreaterThan(N / 4);
      expect(found).toEqual(brute);
      // A second build after the particles moved (the same memory reused) still matches.
      for (let i = 0; i < x.length; i++) x[i] += 0.4 * (r() - 0.5);
      for (const list of lists) list.prepare(x);
      expect(w.pairCount).toBe(j.pairCount);
      expectSameArray(w.pairJ.subarray(0, w.pairCount), j.pairJ.subarray(0, j.pairCount));
    });
  }
});

describe("the WebAssembly pair list's memory", () => {
  // A list that needs more room than its memory holds takes a new memory and instance (instanceWithMemory) instead
  // of growing its memory: growing detaches the old buffer (byteLength 0), and in V8 the first detach in a process
  // slows every typed array of it. The old views stay readable; the new build is still the JavaScript loop's list.
  it("takes a new memory when a build needs more room, detaching no buffer", () => {
    const N = 400,
      L = 30,
      reach = 1.43,
      r = rng(9);
    const x = Float64Array.from({ length: 2 * N }, () => r() * L);
    const table = { species: 1, speciesOf: new Int32Array(N), interacts: Int32Array.of(1) };
    const [w, j] = (["wasm", "js"] as const).map((kernel) => {
      const list = new CellOrderList(new CellSort(2, N, [L, L], reach, reach - 1, table, "joined"), true, kernel);
      list.prepare(x);
      return list;
    });
    const before = w.pairI;
    const pairsBefore = w.pairCount;
    // Every disk into a corner of side 3: about 40 times the pairs, more than the first memory's room (4 N).
    for (let i = 0; i < x.length; i++) x[i] = 3 * r();
    w.prepare(x);
    j.prepare(x);
    expect(w.pairCount).toBeGreaterThan(4 * N);
    expect(w.pairI.buffer).not.toBe(before.buffer); // it did move
    expect(before.buffer.byteLength).toBeGreaterThan(0); // and detached nothing
    expect(before.length).toBeGreaterThanOrEqual(pairsBefore);
    expect(w.pairCount).toBe(j.pairCount);
    expectSameArray(w.pairI.subarray(0, w.pairCount), j.pairI.subarray(0, j.pairCount));
    expectSameArray(w.pairJ.subarray(0, w.pairCount), j.pairJ.subarray(0, j.pairCount));
  });
});

describe("the 2D one-law force loops (WebAssembly and JavaScript)", () => {
  // Two species of soft disks (diffusivities 0.02 and 0.0002), a step x0 -> x1 of Gaussian size: forces, energy and
  // the step's pair heat from the WebAssembly loops equal the JavaScript loops' to the last bit (the same arithmetic
  // in the same order), at the predictor-like evaluation (forces only) and at the step's end (with the heat).
  it("the same forces, energy and pair heat to the bit", () => {
    const N = 800,
      L = 36,
      r = rng(8);
    const speciesOf = Int32Array.from({ length: N }, (_, i) => (i < N / 2 ? 0 : 1));
    const laws = packPairLaws({
      species: 2,
      pairs: [
        { a: 0, b: 0, pair: { potential: "soft", stiffness: 1, range: 1 } },
        { a: 0, b: 1, pair: { potential: "soft", stiffness: 1, range: 1 } },
        { a: 1, b: 1, pair: { potential: "soft", stiffness: 1, range: 1 } },
      ],
    });
    expect(laws.uniformSoft).not.toBeNull();
    const table = { species: 2, speciesOf, interacts: laws.code };
    const x0 = Float64Array.from({ length: 2 * N }, () => r() * L);
    const x1 = Float64Array.from(x0, (v, i) => v + (speciesOf[i >> 1] === 0 ? 0.06 : 0.006) * gauss(r));
    const heatOf = () => ({
      out: new Float64Array(2),
      share: Float64Array.of(0.5, 0.99, 0.01, 0.5),
      invDt: 10,
      invRange: Float64Array.of(1, 1, 1, 1),
    });
    const results = (["wasm", "js"] as const).map((kernel) => {
      const cells = new CellSort(2, N, [L, L], 1.6, 0.6, table, "joined");
      const list = new CellOrderList(cells, true, kernel);
      const f0 = new Float64Array(2 * N),
        f1 = new Float64Array(2 * N),
        heat = heatOf();
      const u0 = cellOrderSoftForces(list, laws, x0, f0);
      const step = cellOrderSoftStep(list, laws, x0, x1, f1, heat);
      // A third evaluation without a new sort (the positions gathered into cell order, no displacements).
      const f2 = new Float64Array(2 * N);
      const u2 = cellOrderSoftForces(list, laws, x1, f2);
      return { kernel: list.wasmLoops !== null, u0, f0, f1, step, heat: heat.out, u2, f2, sorts: cells.sorts };
    });
    const [w, j] = results;
    expect(w.kernel).toBe(true);
    expect(j.kernel).toBe(false);
    expect(w.step.accounted).toBe(true);
    expect(w.u0).toBe(j.u0);
    expect(w.u0).toBeGreaterThan(0);
    expect(w.step).toEqual(j.step);
    expectSameArray(w.f0, j.f0);
    expectSameArray(w.f1, j.f1);
    expectSameArray(w.heat, j.heat);
    expect(w.heat[0]).not.toBe(0);
    expect(w.sorts).toBe(1); // the step's end and the third evaluation gathered from the first sort
    expect(j.sorts).toBe(1);
    expect(w.u2).toBe(j.u2);
    expect(w.u2).toBe(w.step.energy);
    expectSameArray(w.f2, j.f2);
    expectSameArray(w.f2, w.f1);
  });
});

/** A standard normal number from uniform ones (Box-Muller). */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

describe("the Verlet skin of the 2D one-law cell order with the step heat (verletSkin)", () => {
  // Metzger's hot/cold disks at N = 10^4 (area fraction 0.4, dt 0.1, hot T = 0.02: sigma = sqrt(2 T dt) per axis).
  const N = 1e4,
    box = Math.sqrt((N * Math.PI) / 1.6),
    sigma = Math.sqrt(2 * 0.02 * 0.1),
    rc = 1;
  const least = 1.3 * sigma * Math.sqrt(2 * Math.log(100 * N)); // what the step heat needs (0.43)
  const fits = (s: number) => Math.floor(box / (rc + s)) >= 3;

  it("sorts every few steps where a sort came at every step: a skin of about one cutoff for the hot/cold disks", () => {
    const s = verletSkin(least, 2 * rc, rc, N / (box * box), sigma, N, fits);
    expect(s).toBeGreaterThan(0.9 * rc);
    expect(s).toBeLessThan(1.1 * rc);
    // Half that skin is about four times the largest step of a hot disk (sigma sqrt(2 ln N)): a sort every ~3-4 steps.
    expect((s / 2 / (sigma * Math.sqrt(2 * Math.log(N)))) ** 2).toBeGreaterThan(3);
  });

  it("keeps the least skin when sorts are rare anyway, and stays within the room and the grid", () => {
    expect(verletSkin(0.3, 2, 1, 0.5, 1e-4, N, fits)).toBe(0.3);
    expect(verletSkin(0.43, 0.43, 1, 0.5, sigma, N, fits)).toBe(0.43);
    expect(verletSkin(0.43, 0.2, 1, 0.5, sigma, N, fits)).toBe(0.43);
    const s = verletSkin(least, 2, 1, 0.5, sigma, N, (w) => w <= 0.8);
    expect(s).toBeGreaterThan(least);
    expect(s).toBeLessThanOrEqual(0.8);
  });
});
