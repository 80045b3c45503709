/**
 * Exact pair-energy accounting of the overdamped heat estimators. The probe takes the heat from each bath as the
 * Stratonovich sum of grad U o dx by the trapezoid rule; where a pair force has a kink (the cutoff of the soft and WCA
 * potentials) that rule errs at every step that crosses it, a bias that decays only slowly with dt. This ledger
 * visits every pair that interacts at the start or the end of a step, compares the pair's trapezoid heat
 * -(F_ab(x0) + F_ab(x1))/2 . (dx_a - dx_b) with the exact change of its energy U(r1) - U(r0), and hands the difference
 * to the two particles in proportion to their diffusivities T/gamma (the error comes from the covariation of the pair
 * force with each particle's own motion). The heats then sum exactly to the change of the pair energy, so at equal
 * temperatures the entropy production has no quadrature bias. The pair energies and forces are the reference laws
 * (potentials/pairLaws.ts); pairs are found on a cell grid of the ledger's own (neighbours/cellGrid.ts, cells at
 * least the cutoff plus the largest relative step wide). Browser-safe.
 */
import { checkParticlesModel, type PairPotential, type ParticlesModel } from "../model/particles.js";
import { CellGrid } from "./neighbours/cellGrid.js";
import { packPairLaws, pairEnergy, pairForceOverDistance } from "./potentials/pairLaws.js";

/**
 * How the overdamped pair heat is accounted: "state" (the state function of stateHeat.ts: second-order bias under
 * Heun where pair forces are continuous), "exact" (this ledger: exact sums where pair forces jump) or "trapezoid"
 * (the plain rule, first-order bias). choosePairHeat gives the default of a model.
 */
export type PairHeatRule = "state" | "exact" | "trapezoid";

/** The pair-heat rules, in the order of their names in messages. */
export const PAIR_HEAT_RULES: readonly PairHeatRule[] = ["state", "exact", "trapezoid"];

export class PairHeatLedger {
  private readonly N: number;
  private readonly d: number;
  private readonly S: number;
  private readonly L: Float64Array;
  private readonly rules: (PairPotential | null)[];
  private readonly cut2: Float64Array;
  private readonly cut: number;
  private readonly diffusivity: Float64Array;
  private readonly sp: Int32Array;
  // Particles in cell order: wrapped end positions, displacements over the step, species, diffusivity, index.
  private readonly xw: Float64Array;
  private readonly dx: Float64Array;
  private readonly ss: Int32Array;
  private readonly ds: Float64Array;
  private readonly cells: CellGrid;

  constructor(model: ParticlesModel) {
    checkParticlesModel(model, "PairHeatLedger");
    const N = model.speciesOf.length,
      d = model.dimension,
      S = model.species.length;
    this.N = N;
    this.d = d;
    this.S = S;
    this.sp = model.speciesOf;
    this.L = Float64Array.from({ length: 3 }, (_, k) => (k < d && model.box ? model.box[k] : Infinity));
    const laws = packPairLaws(model);
    this.rules = laws.rules;
    this.cut2 = laws.cut2;
    this.cut = laws.maxCutoff;
    this.diffusivity = Float64Array.from(
      model.speciesOf,
      (s) => model.species[s].temperature / model.species[s].friction,
    );
    this.xw = new Float64Array(3 * N);
    this.dx = new Float64Array(3 * N);
    this.ss = new Int32Array(N);
    this.ds = new Float64Array(N);
    this.cells = new CellGrid(d, this.L, N, "upper");
  }

  /**
   * Adds to out[s * stride] (the heat from bath s per unit time) each interacting pair's trapezoid error over the
   * step x0 -> x1, shared by the diffusivities; returns the total added (zero when the rule is exact).
   */
  correct(x0: Float64Array, x1: Float64Array, invDt: number, out: Float64Array, stride: number): number {
    const N = this.N,
      d = this.d;
    let maxStep2 = 0;
    for (let a = 0; a < N; a++) {
      let s2 = 0;
      for (let k = 0; k < d; k++) {
        const v = x1[a * d + k] - x0[a * d + k];
        s2 += v * v;
      }
      if (s2 > maxStep2) maxStep2 = s2;
    }
    const reach = this.cut + 2 * Math.sqrt(maxStep2);
    if (Number.isNaN(reach)) return 0; // a blown-up state: the run stops on it
    this.arrange(x0, x1, reach);
    const start = this.cells.start,
      cp = this.cells.triples,
      xw = this.xw;
    const Lx = this.L[0],
      Ly = this.L[1],
      Lz = this.L[2];
    const hx = 0.5 * Lx,
      hy = 0.5 * Ly,
      hz = 0.5 * Lz;
    const reach2 = reach * reach;
    let total = 0;
    // The "upper" stencil: one triple (c, c2, c2) per cell pair, c2 >= c.
    for (let m = 0; m < cp.length; m += 3) {
      const c = cp[m],
        c2 = cp[m + 1];
      const e1 = start[c + 1],
        e2 = start[c2 + 1];
      for (let i = start[c]; i < e1; i++) {
        const xi = xw[3 * i],
          yi = xw[3 * i + 1],
          zi = xw[3 * i + 2];
        for (let j = c === c2 ? i + 1 : start[c2]; j < e2; j++) {
          // Wrapped coordinates: the minimum image is at most one box length away.
          let sx = xi - xw[3 * j],
            sy = yi - xw[3 * j + 1],
            sz = zi - xw[3 * j + 2];
          if (sx > hx) sx -= Lx;
          else if (sx < -hx) sx += Lx;
          if (sy > hy) sy -= Ly;
          else if (sy < -hy) sy += Ly;
          if (sz > hz) sz -= Lz;
          else if (sz < -hz) sz += Lz;
          if (sx * sx + sy * sy + sz * sz < reach2) total += this.pair(i, j, sx, sy, sz, invDt, out, stride);
        }
      }
    }
    return total;
  }

  /** Sorts the particles into cells at least `reach` wide and gathers them in cell order. */
  private arrange(x0: Float64Array, x1: Float64Array, reach: number): void {
    const d = this.d,
      N = this.N,
      L = this.L,
      xw = this.xw,
      dx = this.dx;
    this.cells.sort(x1, reach);
    const order = this.cells.order;
    for (let i = 0; i < N; i++) {
      const a = order[i];
      for (let k = 0; k < 3; k++) {
        if (k < d) {
          const v = x1[a * d + k];
          xw[3 * i + k] = L[k] === Infinity ? v : v - L[k] * Math.floor(v / L[k]);
          dx[3 * i + k] = v - x0[a * d + k];
        } else {
          xw[3 * i + k] = 0;
          dx[3 * i + k] = 0;
        }
      }
      this.ss[i] = this.sp[a];
      this.ds[i] = this.diffusivity[a];
    }
  }

  /** One pair's trapezoid error over the step (particles i, j in cell order, s1 = x_i - x_j at the end), shared into out. */
  private pair(
    i: number,
    j: number,
    s1x: number,
    s1y: number,
    s1z: number,
    invDt: number,
    out: Float64Array,
    stride: number,
  ): number {
    const dx = this.dx;
    const q1 = s1x * s1x + s1y * s1y + s1z * s1z;
    const t = this.ss[i] * this.S + this.ss[j];
    const rule = this.rules[t];
    if (rule === null) return 0;
    const ux = dx[3 * i] - dx[3 * j],
      uy = dx[3 * i + 1] - dx[3 * j + 1],
      uz = dx[3 * i + 2] - dx[3 * j + 2];
    const s0x = s1x - ux,
      s0y = s1y - uy,
      s0z = s1z - uz;
    const q0 = s0x * s0x + s0y * s0y + s0z * s0z;
    const c2 = this.cut2[t];
    if (q1 >= c2 && q0 >= c2) return 0;
    const r1 = Math.sqrt(q1),
      r0 = Math.sqrt(q0);
    const g1 = pairForceOverDistance(rule, r1),
      g0 = pairForceOverDistance(rule, r0);
    // Trapezoid heat of the pair: -(F_ij(x0) + F_ij(x1))/2 . (dx_i - dx_j), with F_ij = g s.
    const trap = -0.5 * ((g0 * s0x + g1 * s1x) * ux + (g0 * s0y + g1 * s1y) * uy + (g0 * s0z + g1 * s1z) * uz);
    const error = (pairEnergy(rule, r1) - pairEnergy(rule, r0) - trap) * invDt;
    const wi = this.ds[i] / (this.ds[i] + this.ds[j]);
    out[this.ss[i] * stride] += wi * error;
    out[this.ss[j] * stride] += (1 - wi) * error;
    return error;
  }
}
