/**
 * The contract between force fields (networks, external potentials, pair potentials) and the integrators:
 * a force field maps coordinates to forces -dU/dx, without allocating, so it can sit in a hot loop.
 *
 * Coordinates are never wrapped into a periodic box by the integrators: a force field with a box maps them into it
 * itself (minimum image), so displacements (drift velocities, Stratonovich increments) stay continuous.
 */
import { ModelError } from "../errors.js";

export interface ForceField {
  /** Number of coordinates (degrees of freedom) it acts on. */
  readonly dof: number;
  /**
   * Writes the forces -dU/dx_k into `force` (length dof, overwritten) for coordinates `x`, and returns the potential
   * energy U(x). Must not allocate.
   */
  compute(x: Float64Array, force: Float64Array): number;
  /**
   * Forgets what earlier evaluations left behind (neighbour lists, cell orders, adaptive choices), so that a new run
   * (a replica) gets the same numbers whatever ran before it in this thread. Optional: stateless fields have none.
   */
  reset?(): void;
}

/** A ForceField that is the sum of several (each writes into its own scratch, then added). */
export class SumForceField implements ForceField {
  readonly dof: number;
  private readonly scratch: Float64Array;
  constructor(readonly parts: ForceField[]) {
    if (!Array.isArray(parts) || parts.length === 0) throw new ModelError("SumForceField needs at least one part");
    this.dof = parts[0].dof;
    this.scratch = new Float64Array(this.dof);
  }
  compute(x: Float64Array, force: Float64Array): number {
    let u = this.parts[0].compute(x, force);
    for (let k = 1; k < this.parts.length; k++) {
      u += this.parts[k].compute(x, this.scratch);
      for (let i = 0; i < this.dof; i++) force[i] += this.scratch[i];
    }
    return u;
  }
  reset(): void {
    for (const p of this.parts) p.reset?.();
  }
}
