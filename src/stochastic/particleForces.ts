/**
 * Pair forces among particles: the field of a Langevin problem's "pairs" term (src/problem/langevin.ts), pair laws
 * per species pair (soft, harmonic, WCA; potentials/pairLaws.ts) in the problem's space, open or a periodic box with
 * the minimum-image convention. External fields are the "external" term (potentials/externalFields.ts); the engine
 * sums the terms (system.ts).
 *
 * This is the facade over three parts kept apart (as JAX-MD keeps energy.py from partition.py, and LAMMPS its pair
 * styles from its neighbour lists): the laws, the neighbour structures (neighbours/lists.ts, on the one cell grid of
 * neighbours/cellGrid.ts) and the force loops that join them (potentials/pairKernels.ts). It picks the neighbour
 * structure once, from the space and the laws:
 *   - a box with at least three cells of cutoff + skin per axis: a Verlet list with a skin of 0.3 x cutoff (less
 *     when the box is small), rebuilt when a particle has moved half the skin;
 *   - such a box in 2D with soft pairs only (Metzger's hot/cold disks): the cell-order mode, which sums the pairs
 *     straight from the cells when rebuilds come at nearly every evaluation and from a list in cell order otherwise;
 *     for overdamped runs its skin is widened from the diffusivities and the time step (enableStepHeat, widenSkin:
 *     with one law, verletSkin's cost model, so that mobile disks are sorted every few steps, not at every step);
 *   - otherwise (small boxes, open space): every pair, minimum image in a box.
 * Coordinates handed in are never modified (the integrators keep them unwrapped). Every mode is tested against a
 * brute-force sum and every loop against the reference laws.
 */
import type { PairRule } from "../model/particles.js";
import type { ParticleSpace } from "../problem/langevin.js";
import type { ForceField } from "./forceField.js";
import {
  AllPairs,
  CellOrderList,
  CellSort,
  VerletList,
  type CellOrderMode,
  type PairTable,
  type SortCheck,
} from "./neighbours/lists.js";
import {
  allPairsForces,
  cellOrderSoftForces,
  cellOrderSoftStep,
  verletForces,
  type StepHeat,
} from "./potentials/pairKernels.js";
import { packPairLaws, type PackedPairLaws } from "./potentials/pairLaws.js";
import * as portable from "../special/elementary.js";

/** How a ParticleForceField finds its pairs (see the header). */
export type PairSearch = "none" | "all pairs" | "verlet list" | "cell order";

export class ParticleForceField implements ForceField {
  readonly dof: number;
  readonly count: number;
  readonly dim: number;
  /** The Verlet skin (0 without cells). */
  get skin(): number {
    return this.cells ? this.cells.skin : 0;
  }
  /** How the pairs are found. */
  readonly search: PairSearch;
  private readonly laws: PackedPairLaws;
  private cells: CellSort | null;
  private readonly verlet: VerletList | null;
  private cellOrder: CellOrderList | null;
  private readonly all: AllPairs | null;
  /** What a wider cell-order skin needs: the box, the half box and the pair table. */
  private readonly box: ArrayLike<number> | null;
  private readonly halfBox: number;
  private readonly table: PairTable;

  /**
   * The pair forces of `pairs` among the particles of `space` (validated by the caller: system.ts builds it from a
   * problem's "pairs" term after checking the term and the space).
   */
  constructor(space: ParticleSpace, pairs: readonly PairRule[]) {
    const N = space.speciesOf.length;
    const d = space.dimension;
    const box = space.box;
    this.count = N;
    this.dim = d;
    this.dof = N * d;
    const laws = packPairLaws({ species: space.species, pairs });
    this.laws = laws;
    const table = { species: laws.species, speciesOf: space.speciesOf, interacts: laws.code };
    const rc = laws.maxCutoff;
    const hasPairs = pairs.length > 0;
    let cells: CellSort | null = null;
    let halfBox = Infinity;
    if (box) for (let k = 0; k < d; k++) halfBox = Math.min(halfBox, box[k] / 2);
    this.box = box;
    this.halfBox = halfBox;
    this.table = table;
    if (box && hasPairs && Number.isFinite(rc)) {
      const skin = Math.max(0, Math.min(0.3 * rc, 0.99 * (halfBox - rc)));
      // The 2D cell-order loops take a cell's particles one by one: the joined stencil (cellGrid.ts).
      const stencil = d === 2 && laws.onlySoft ? "joined" : "half";
      if (CellSort.fits(d, box, rc + skin)) cells = new CellSort(d, N, box, rc + skin, skin, table, stencil);
    }
    this.cells = cells;
    const cellOrder = cells !== null && d === 2 && laws.onlySoft;
    this.cellOrder = cellOrder ? new CellOrderList(cells!, laws.uniformSoft !== null) : null;
    this.verlet = cells && !cellOrder ? new VerletList(cells) : null;
    this.all = !cells && hasPairs ? new AllPairs(d, N, box, table) : null;
    this.search = !hasPairs ? "none" : !cells ? "all pairs" : cellOrder ? "cell order" : "verlet list";
  }

  /** The pair-heat accounting of each step in the force loop (enableStepHeat), or null. */
  private stepHeat: StepHeat | null = null;
  /**
   * True when the last computeStep with `account` took its step's pair heat (stepHeat.out holds it); read once by
   * the probe (takeStepHeat).
   */
  private heatFresh = false;

  /**
   * Asks every computeStep to account the pair heat of its step in the force loop (StepHeat, pairKernels.ts), with
   * the diffusivity T/gamma of each species and the time step. Only the 2D soft cell-order mode does (returns true);
   * otherwise returns false and the caller keeps its own pass (pairHeat.ts).
   */
  enableStepHeat(diffusivity: ArrayLike<number>, dt: number): boolean {
    if (!this.cellOrder || !this.cells) return false;
    const S = this.laws.species;
    // A step is accounted when no particle moved more than the skin in it (CellOrderList.prepareStep). The largest of
    // N Gaussian steps of the most mobile species reaches about sigma sqrt(2 ln(N / eps)); with eps = 1/100 and a
    // third more for the drift, a step fails about once in a hundred. A wider skin where that needs it (and the box
    // allows: three cells per axis, a cutoff plus skin within half the box) costs more candidate pairs per
    // evaluation, fewer than a pass of the ledger at every failed step.
    const sigma = this.largestSigma(diffusivity, dt);
    const rc = this.laws.maxCutoff;
    // At most one cutoff (cells twice as wide hold four times the candidate pairs): beyond, failed steps go to the
    // ledger.
    const want = Math.min(1.3 * sigma * Math.sqrt(2 * portable.log(100 * this.count)), rc, 0.99 * (this.halfBox - rc));
    // One law (the flat pair list): a still wider skin when it pays, sorting every few steps (Verlet's rule).
    this.setSkin(this.laws.uniformSoft !== null && want > 0 ? this.verletSkinFor(want, sigma) : want);
    const share = new Float64Array(S * S);
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++) {
        const sum = diffusivity[a] + diffusivity[b];
        share[a * S + b] = sum > 0 ? diffusivity[a] / sum : 0.5;
      }
    const invRange = this.laws.l.map((l) => (l > 0 ? 1 / l : 0));
    this.stepHeat = { out: new Float64Array(S), share, invDt: 1 / dt, invRange };
    return true;
  }

  /**
   * Widens the skin of the 2D one-law cell order (the hot/cold disks' flat pair list) for a run with these
   * diffusivities T/gamma per species and time step (overdamped), when the cost model of verletSkin says a sort every
   * few steps pays; the runs that take the step heat get theirs from enableStepHeat. The same pairs interact (the
   * forces are the same up to the order of their sums). Returns the skin.
   */
  widenSkin(diffusivity: ArrayLike<number>, dt: number): number {
    if (this.cellOrder && this.cells && this.stepHeat === null && this.laws.uniformSoft !== null) {
      const sigma = this.largestSigma(diffusivity, dt);
      if (sigma > 0 && Number.isFinite(sigma)) this.setSkin(this.verletSkinFor(this.cells.skin, sigma));
    }
    return this.skin;
  }

  /** sqrt(2 D dt) of the most mobile species present. */
  private largestSigma(diffusivity: ArrayLike<number>, dt: number): number {
    let dmax = 0;
    for (let s = 0; s < this.laws.species; s++)
      if (this.table.speciesOf.includes(s)) dmax = Math.max(dmax, diffusivity[s]);
    return Math.sqrt(2 * dmax * dt);
  }

  /** verletSkin for this field's box, density and cutoff, from the least skin `least`. */
  private verletSkinFor(least: number, sigma: number): number {
    const rc = this.laws.maxCutoff,
      dims = this.box!;
    let area = 1;
    for (let k = 0; k < this.dim; k++) area *= dims[k];
    const fits = (s: number) => CellSort.fits(this.dim, dims, rc + s);
    const most = Math.min(2 * rc, 0.99 * (this.halfBox - rc));
    return verletSkin(least, most, rc, this.count / area, sigma, this.count, fits);
  }

  /** A new cell order with the skin s when it is wider than the present one and the box takes its cells. */
  private setSkin(s: number): void {
    const rc = this.laws.maxCutoff;
    if (this.cells && s > this.cells.skin && CellSort.fits(this.dim, this.box!, rc + s)) {
      this.cells = new CellSort(this.dim, this.count, this.box!, rc + s, s, this.table, "joined");
      this.cellOrder = new CellOrderList(this.cells, this.laws.uniformSoft !== null);
    }
  }

  /**
   * The pair-heat correction per species of the last step (per unit time), or null when the last computeStep could
   * not account it (a particle outran the skin) or none ran since the last call. Consumes it.
   */
  takeStepHeat(): Float64Array | null {
    if (!this.heatFresh) return null;
    this.heatFresh = false;
    return this.stepHeat!.out;
  }

  /**
   * The forces at x reached from x0 by a step (ForceField.computeStep): with enableStepHeat, a new sort goes to the
   * step's midpoint (CellOrderList.prepareStep) and, with `account`, the step's pair heat is taken in the same loop;
   * otherwise compute(x, force).
   */
  computeStep(x0: Float64Array, x: Float64Array, force: Float64Array, account: boolean, moved = -1): number {
    const heat = this.stepHeat;
    if (account) this.heatFresh = false;
    if (heat === null || this.cellOrder === null) return this.compute(x, force);
    const r = cellOrderSoftStep(this.cellOrder, this.laws, x0, x, force, account ? heat : null, moved);
    if (account) this.heatFresh = r.accounted;
    return r.energy;
  }

  /**
   * The comparison the next computeStep makes of both ends of its step against the last sort (ForceField.sortCheck),
   * or null: in the cell-order mode with the step's pair heat, while a sort is kept.
   */
  sortCheck(): SortCheck | null {
    return this.stepHeat !== null && this.cellOrder !== null ? this.cellOrder.cells.check() : null;
  }

  /** How the cell-order mode summed the pairs at the last evaluation (null in the other modes). */
  get cellOrderMode(): CellOrderMode | null {
    return this.cellOrder ? this.cellOrder.lastMode : null;
  }

  /** Number of cells (0 when the all-pairs loop is used). */
  get cellCount(): number {
    return this.cells ? this.cells.cellCount : 0;
  }

  /** Number of neighbour-list builds (sorts into cells) so far. */
  get builds(): number {
    return this.cells ? this.cells.sorts : 0;
  }

  /** Writes the pair forces into `force` (overwritten) and returns the pair energy. */
  compute(x: Float64Array, force: Float64Array): number {
    let u = 0;
    if (this.cellOrder) {
      u += cellOrderSoftForces(this.cellOrder, this.laws, x, force);
    } else if (this.verlet) {
      this.verlet.update(x);
      u += verletForces(this.verlet, this.laws, x, force);
    } else if (this.all) {
      u += allPairsForces(this.all, this.laws, x, force);
    } else {
      force.fill(0);
    }
    return u;
  }

  /** Forgets the neighbour lists and the cell order's adaptive state (see ForceField.reset). */
  reset(): void {
    this.heatFresh = false;
    this.cellOrder?.reset();
    this.verlet?.reset();
  }

  /** The neighbour structure's state (forceField.ts saveState): empty for the all-pairs loop. */
  saveState(): Float64Array {
    if (this.cellOrder) return this.cellOrder.saveState();
    if (this.verlet) return this.verlet.saveState();
    return new Float64Array(0);
  }

  /** Restores saveState's numbers: the same neighbour structure, so the same forces to the last bit. */
  restoreState(state: Float64Array): void {
    if (this.cellOrder) this.cellOrder.restoreState(state);
    else if (this.verlet) this.verlet.restoreState(state);
    else if (state.length > 0) throw new Error("internal: a neighbour state for a field without neighbour lists");
  }
}

/**
 * The skin of the 2D one-law cell order with the step heat (ParticleForceField.enableStepHeat): the s in [least,
 * most] (and with at least three cells of rc + s per axis: `fits`) that minimises a step's modelled cost
 *   rho (rc + s)^2 (1 + 1.25 / k) + 2.1 / k,   k = max(1, (s / (2 delta))^2),   delta = sigma sqrt(2 ln N),
 * where rho (rc + s)^2 counts the candidate pairs per particle (the two force passes of a Heun step over the flat
 * list, and 1.25 times that for building it), 2.1 the sort, gathers and checks per particle in the same unit, and k
 * the steps between sorts: a sort comes when some particle moved half the skin, and the largest of N Gaussian
 * displacements of one step (sigma per axis, the most mobile species) is about delta, growing as sqrt(steps). The
 * constants are the shares of a profile of the hot/cold disks (N = 10^4, area fraction 0.4, sigma 0.063: the model
 * picks s = rc there, measured best among 0.43 ... 2 rc: 0.83x the CPU time of s = 0.43). `least` is the skin the
 * step heat needs; returns `least` when no wider skin is modelled cheaper. Deterministic: the same skin, the same
 * pairs summed in the same order, for a given model and time step.
 */
export function verletSkin(
  least: number,
  most: number,
  rc: number,
  rho: number,
  sigma: number,
  N: number,
  fits: (s: number) => boolean,
): number {
  const delta = sigma * Math.sqrt(2 * portable.log(Math.max(N, 2)));
  const cost = (s: number) => {
    const k = delta > 0 ? Math.max(1, (s / (2 * delta)) ** 2) : Infinity;
    const r = rc + s;
    return rho * r * r * (1 + 1.25 / k) + 2.1 / k;
  };
  let best = least,
    bestCost = cost(least);
  if (!(most > least)) return least;
  for (let m = 1; m <= 64; m++) {
    const s = least + ((most - least) * m) / 64;
    if (!fits(s)) break;
    const c = cost(s);
    if (c < bestCost) {
      best = s;
      bestCost = c;
    }
  }
  return best;
}
