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
 *   - otherwise (small boxes, open space): every pair, minimum image in a box.
 * Coordinates handed in are never modified (the integrators keep them unwrapped). Every mode is tested against a
 * brute-force sum and every loop against the reference laws.
 */
import type { PairRule } from "../model/particles.js";
import type { ParticleSpace } from "../problem/langevin.js";
import type { ForceField } from "./forceField.js";
import { AllPairs, CellOrderList, CellSort, VerletList } from "./neighbours/lists.js";
import { allPairsForces, cellOrderSoftForces, verletForces } from "./potentials/pairKernels.js";
import { packPairLaws, type PackedPairLaws } from "./potentials/pairLaws.js";

/** How a ParticleForceField finds its pairs (see the header). */
export type PairSearch = "none" | "all pairs" | "verlet list" | "cell order";

export class ParticleForceField implements ForceField {
  readonly dof: number;
  readonly count: number;
  readonly dim: number;
  /** The Verlet skin (0 without cells). */
  readonly skin: number;
  /** How the pairs are found. */
  readonly search: PairSearch;
  private readonly laws: PackedPairLaws;
  private readonly cells: CellSort | null;
  private readonly verlet: VerletList | null;
  private readonly cellOrder: CellOrderList | null;
  private readonly all: AllPairs | null;

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
    if (box && hasPairs && Number.isFinite(rc)) {
      let halfBox = Infinity;
      for (let k = 0; k < d; k++) halfBox = Math.min(halfBox, box[k] / 2);
      const skin = Math.max(0, Math.min(0.3 * rc, 0.99 * (halfBox - rc)));
      if (CellSort.fits(d, box, rc + skin)) cells = new CellSort(d, N, box, rc + skin, skin, table);
    }
    this.cells = cells;
    this.skin = cells ? cells.skin : 0;
    const cellOrder = cells !== null && d === 2 && laws.onlySoft;
    this.cellOrder = cellOrder ? new CellOrderList(cells!) : null;
    this.verlet = cells && !cellOrder ? new VerletList(cells) : null;
    this.all = !cells && hasPairs ? new AllPairs(d, N, box, table) : null;
    this.search = !hasPairs ? "none" : !cells ? "all pairs" : cellOrder ? "cell order" : "verlet list";
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
    this.cellOrder?.reset();
    this.verlet?.reset();
  }
}
