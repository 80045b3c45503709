/**
 * Forces on particles: the force field of a `kind: particles` model, pair laws per species pair (soft, harmonic,
 * WCA; potentials/pairLaws.ts), bonds between given particles (harmonic, FENE; potentials/bonds.ts) and external fields (harmonic trap, cosine, sawtooth; potentials/externalFields.ts),
 * in open space or in a periodic box with the minimum-image convention.
 *
 * This is the facade over three parts kept apart (as JAX-MD keeps energy.py from partition.py, and LAMMPS its pair
 * styles from its neighbour lists): the laws, the neighbour structures (neighbours/lists.ts, on the one cell grid of
 * neighbours/cellGrid.ts) and the force loops that join them (potentials/pairKernels.ts). It picks the neighbour
 * structure once, from the model:
 *   - a box with at least three cells of cutoff + skin per axis: a Verlet list with a skin of 0.3 x cutoff (less
 *     when the box is small), rebuilt when a particle has moved half the skin;
 *   - such a box in 2D with soft pairs only (Metzger's hot/cold disks): the cell-order mode, which sums the pairs
 *     straight from the cells when rebuilds come at nearly every evaluation and from a list in cell order otherwise;
 *   - otherwise (small boxes, open space): every pair, minimum image in a box.
 * Coordinates handed in are never modified (the integrators keep them unwrapped). Every mode is tested against a
 * brute-force sum and every loop against the reference laws.
 */
import { checkParticlesModel, type ParticlesModel } from "../model/particles.js";
import type { ForceField } from "./forceField.js";
import { AllPairs, CellOrderList, CellSort, VerletList } from "./neighbours/lists.js";
import { BondForces } from "./potentials/bonds.js";
import { ExternalFields } from "./potentials/externalFields.js";
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
  private readonly externals: ExternalFields;
  /** The bond term (potentials/bonds.ts), or null without bonds. */
  readonly bonds: BondForces | null;

  constructor(readonly model: ParticlesModel) {
    checkParticlesModel(model, "ParticleForceField");
    const N = model.speciesOf.length;
    const d = model.dimension;
    this.count = N;
    this.dim = d;
    this.dof = N * d;
    const laws = packPairLaws(model);
    this.laws = laws;
    const table = { species: laws.species, speciesOf: model.speciesOf, interacts: laws.code };
    const rc = laws.maxCutoff;
    const hasPairs = model.pairs.length > 0;
    let cells: CellSort | null = null;
    if (model.box && hasPairs && Number.isFinite(rc)) {
      let halfBox = Infinity;
      for (let k = 0; k < d; k++) halfBox = Math.min(halfBox, model.box[k] / 2);
      const skin = Math.max(0, Math.min(0.3 * rc, 0.99 * (halfBox - rc)));
      if (CellSort.fits(d, model.box, rc + skin)) cells = new CellSort(d, N, model.box, rc + skin, skin, table);
    }
    this.cells = cells;
    this.skin = cells ? cells.skin : 0;
    const cellOrder = cells !== null && d === 2 && laws.onlySoft;
    this.cellOrder = cellOrder ? new CellOrderList(cells!) : null;
    this.verlet = cells && !cellOrder ? new VerletList(cells) : null;
    this.all = !cells && hasPairs ? new AllPairs(d, N, model.box, table) : null;
    this.search = !hasPairs ? "none" : !cells ? "all pairs" : cellOrder ? "cell order" : "verlet list";
    this.externals = new ExternalFields(model);
    this.bonds = model.bonds && model.bonds.length > 0 ? new BondForces(model) : null;
  }

  /** Number of cells (0 when the all-pairs loop is used). */
  get cellCount(): number {
    return this.cells ? this.cells.cellCount : 0;
  }

  /** Number of neighbour-list builds (sorts into cells) so far. */
  get builds(): number {
    return this.cells ? this.cells.sorts : 0;
  }

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
    if (this.bonds) u += this.bonds.add(x, force);
    if (this.externals.any) u += this.externals.add(x, force);
    return u;
  }

  /** Forgets the neighbour lists and the cell order's adaptive state (see ForceField.reset). */
  reset(): void {
    this.cellOrder?.reset();
    this.verlet?.reset();
  }

  /** True when external potentials act. */
  get hasExternal(): boolean {
    return this.externals.any;
  }

  /**
   * External potentials alone: writes their forces into `force` (overwritten) and each particle's external energy
   * into `energy` (length N, overwritten). For the heat estimators: the external part of the heat is the exact
   * energy difference (the sawtooth force is discontinuous, where a trapezoid rule would be biased).
   */
  externalParts(x: Float64Array, force: Float64Array, energy: Float64Array): void {
    force.fill(0);
    energy.fill(0);
    this.externals.add(x, force, energy);
  }
}
