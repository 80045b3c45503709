/**
 * The pairs of a particle model for the estimators that visit them outside the force loops: the pair-heat ledger
 * (pairHeat.ts, where the force loop cannot take a step's pair heat itself) and the state-function divergence
 * (stateHeat.ts). One class holds what both need (the particles' species and diffusivities T/gamma, the box, the
 * packed pair laws, a cell grid of the "upper" stencil) and one visitor walks the grid: every unordered pair of
 * particles closer than a reach (minimum image), handed to a callback with its separation. The force loops keep their
 * own specialised pair loops (potentials/pairKernels.ts: a call per pair would cost them their speed). Browser-safe.
 */
import type { PairPotential, ParticlesModel } from "../../model/particles.js";
import { packPairLaws } from "../potentials/pairLaws.js";
import { CellGrid } from "./cellGrid.js";

/**
 * Called for a pair of particles a < b in no particular order, with s = x_a - x_b (minimum image, 0 beyond the
 * dimension) and q = |s|^2 < reach^2; t = s_a * S + s_b is the ordered species pair.
 */
export type PairVisit = (a: number, b: number, t: number, sx: number, sy: number, sz: number, q: number) => void;

export class ModelPairs {
  readonly N: number;
  readonly d: number;
  readonly S: number;
  /** Box lengths per axis (Infinity where open or beyond the dimension). */
  readonly L: Float64Array;
  /** The law of each ordered species pair (null: none), and its squared cutoff. */
  readonly rules: (PairPotential | null)[];
  readonly cut2: Float64Array;
  /** The largest cutoff of any pair (0 without pairs). */
  readonly cutoff: number;
  /** Species and T/gamma of each particle. */
  readonly speciesOf: Int32Array;
  readonly diffusivity: Float64Array;
  private readonly cells: CellGrid;

  constructor(model: ParticlesModel) {
    const N = model.speciesOf.length,
      d = model.dimension;
    this.N = N;
    this.d = d;
    this.S = model.species.length;
    this.speciesOf = model.speciesOf;
    this.L = Float64Array.from({ length: 3 }, (_, k) => (k < d && model.box ? model.box[k] : Infinity));
    const laws = packPairLaws(model);
    this.rules = laws.rules;
    this.cut2 = laws.cut2;
    this.cutoff = laws.maxCutoff;
    this.diffusivity = Float64Array.from(
      model.speciesOf,
      (s) => model.species[s].temperature / model.species[s].friction,
    );
    this.cells = new CellGrid(d, this.L, N, "upper");
  }

  /**
   * Sorts the particles at x into cells at least `reach` wide and calls `visit` for every pair of particles that
   * interact (a law for their species pair) closer than `reach` at x.
   */
  visit(x: Float64Array, reach: number, visit: PairVisit): void {
    if (this.N <= FEW) {
      this.visitAll(x, reach, visit);
      return;
    }
    const cells = this.cells;
    cells.sort(x, reach, true);
    const start = cells.start,
      cp = cells.triples,
      order = cells.order,
      wx = cells.wx,
      wy = cells.wy,
      wz = cells.wz,
      sp = this.speciesOf,
      rules = this.rules,
      S = this.S;
    const Lx = this.L[0],
      Ly = this.L[1],
      Lz = this.L[2];
    const hx = 0.5 * Lx,
      hy = 0.5 * Ly,
      hz = 0.5 * Lz;
    const reach2 = reach * reach;
    // The "upper" stencil: one triple (c, c2, c2) per pair of neighbouring cells, c2 >= c.
    for (let m = 0; m < cp.length; m += 3) {
      const c = cp[m],
        c2 = cp[m + 1];
      const e1 = start[c + 1],
        e2 = start[c2 + 1];
      for (let i = start[c]; i < e1; i++) {
        const a = order[i];
        const row = sp[a] * S;
        for (let j = c === c2 ? i + 1 : start[c2]; j < e2; j++) {
          const b = order[j];
          const t = row + sp[b];
          if (rules[t] === null) continue;
          // Wrapped coordinates: the minimum image is at most one box length away.
          let sx = wx[a] - wx[b],
            sy = wy[a] - wy[b],
            sz = wz[a] - wz[b];
          if (sx > hx) sx -= Lx;
          else if (sx < -hx) sx += Lx;
          if (sy > hy) sy -= Ly;
          else if (sy < -hy) sy += Ly;
          if (sz > hz) sz -= Lz;
          else if (sz < -hz) sz += Lz;
          const q = sx * sx + sy * sy + sz * sz;
          if (q < reach2) visit(a, b, t, sx, sy, sz, q);
        }
      }
    }
  }

  /** visit() for a few particles: every pair in particle order, minimum image (no sort into cells). */
  private visitAll(x: Float64Array, reach: number, visit: PairVisit): void {
    const { N, d, S, L, rules, speciesOf: sp } = this;
    const reach2 = reach * reach;
    const image = (s: number, l: number) => (l === Infinity ? s : s - l * Math.round(s / l));
    for (let a = 0; a < N; a++)
      for (let b = a + 1; b < N; b++) {
        const t = sp[a] * S + sp[b];
        if (rules[t] === null) continue;
        const sx = image(x[a * d] - x[b * d], L[0]),
          sy = d > 1 ? image(x[a * d + 1] - x[b * d + 1], L[1]) : 0,
          sz = d > 2 ? image(x[a * d + 2] - x[b * d + 2], L[2]) : 0;
        const q = sx * sx + sy * sy + sz * sz;
        if (q < reach2) visit(a, b, t, sx, sy, sz, q);
      }
  }
}

/** Up to this many particles visit() takes every pair directly (Metzger's pairs: a sort per step would cost more). */
const FEW = 16;
