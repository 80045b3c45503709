/**
 * The contract between force fields (networks, external potentials, pair potentials) and the integrators:
 * a force field maps coordinates to forces -dU/dx, without allocating, so it can sit in a hot loop.
 *
 * Coordinates are never wrapped into a periodic box by the integrators: a force field with a box maps them into it
 * itself (minimum image), so displacements (drift velocities, Stratonovich increments) stay continuous.
 */
import { ModelError } from "../errors.js";
import type { ForceTerm, ParticleSpace } from "../problem/langevin.js";
import type { SortCheck } from "./neighbours/lists.js";

export type { SortCheck };

export interface ForceField {
  /** Number of coordinates (degrees of freedom) it acts on. */
  readonly dof: number;
  /**
   * Writes the forces -dU/dx_k into `force` (length dof, overwritten) for coordinates `x`, and returns the potential
   * energy U(x). Must not allocate.
   */
  compute(x: Float64Array, force: Float64Array): number;
  /**
   * Optional: the forces at x reached from x0 by one step (the same forces and energy as compute(x, force), up to the
   * order of the sums), for fields that account something of the step in their force loop (the pair heat of
   * ParticleForceField) when `account` is true. The overdamped integrators call it, when they keep the previous
   * state, for the last evaluation of each step (account: true, except in a burn-in, whose steps are not sampled:
   * LangevinState.accountStep) and for Heun's predictor (account: false). The forces must not depend on `account`.
   */
  computeStep?(x0: Float64Array, x: Float64Array, force: Float64Array, account: boolean, moved?: number): number;
  /**
   * Optional, with computeStep: the comparison computeStep(x0, x) would make of x0 and x against its neighbour
   * structure's last sort (each particle's squared displacement from `ref` against `lim`), so that the integrator can
   * make it in the pass that moves the particles and hand computeStep the result as `moved`: 2 when some particle of
   * x moved more than that, else 1 when one of x0 did, else 0. Null when computeStep makes no such comparison now.
   * The result must be the same as computeStep's own comparison (the same numbers follow either way).
   */
  sortCheck?(): SortCheck | null;
  /**
   * Forgets what earlier evaluations left behind (neighbour lists, cell orders, adaptive choices), so that a new run
   * (a replica) gets the same numbers whatever ran before it in this thread. Optional: stateless fields have none.
   */
  reset?(): void;
  /**
   * What earlier evaluations left behind that changes later forces in their last bits (a neighbour list's positions
   * at its last build, adaptive choices), as numbers, for checkpoints (checkpoint.ts). Optional: stateless fields
   * have none.
   */
  saveState?(): Float64Array;
  /** Restores saveState's numbers, so the next evaluations give the same bits as without the interruption. */
  restoreState?(state: Float64Array): void;
}

/** What keeps neighbour memory for checkpoints: a force field, or a split run's integrator (splitDisks.ts). */
export type NeighbourMemory = Pick<ForceField, "saveState" | "restoreState" | "reset">;

/** A force field's state for a checkpoint (empty when it has none). */
export function saveForceState(field: NeighbourMemory): Float64Array {
  return field.saveState ? field.saveState() : new Float64Array(0);
}

/** Restores saveForceState's numbers (after a reset: a field with no state is only reset). */
export function restoreForceState(field: NeighbourMemory, state: Float64Array): void {
  field.reset?.();
  if (field.restoreState) field.restoreState(state);
  else if (state.length > 0) throw new Error("internal: a saved state for a force field that keeps none");
}

/**
 * The field of one force term of a Langevin problem (src/problem/langevin.ts). `add`, when given, adds the term's
 * forces into f (and returns its potential energy) instead of overwriting: the terms of a problem are then summed
 * without a scratch array. `addOverdamped`, when given (mixed systems), adds forces that are right at the overdamped
 * coordinates only, for the integrator's cheaper evaluation between the overdamped half drifts
 * (LangevinSystem.overdampedForces).
 */
export type TermField = ForceField & {
  add?(x: Float64Array, f: Float64Array): number;
  addOverdamped?(x: Float64Array, f: Float64Array): void;
};

/** What a term's builder gets besides its term: the problem's coordinates and, for particle terms, their space. */
export interface TermContext {
  /** Number of coordinates. */
  readonly dof: number;
  /** Mixed systems: 1 at the overdamped coordinates. */
  readonly overdamped?: Uint8Array;
  /** The problem's particle space (validated), when it has one. */
  readonly space?: ParticleSpace;
}

/**
 * Builds a term's field from its data (validating it: ModelError for bad parameters). Registered by name with
 * `registerForceTerm` (system.ts); called once per worker, never in the step loop.
 */
export type ForceTermBuilder = (term: ForceTerm, context: TermContext) => TermField;

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
  /** The parts' states: [parts, length of each part's state..., the states...]. */
  saveState(): Float64Array {
    const states = this.parts.map(saveForceState);
    const out = new Float64Array(1 + states.length + states.reduce((s, a) => s + a.length, 0));
    out[0] = states.length;
    let at = 1 + states.length;
    states.forEach((a, k) => {
      out[1 + k] = a.length;
      out.set(a, at);
      at += a.length;
    });
    return out;
  }
  restoreState(state: Float64Array): void {
    if (state[0] !== this.parts.length) throw new Error("internal: a sum force field state of the wrong size");
    let at = 1 + this.parts.length;
    this.parts.forEach((p, k) => {
      const n = state[1 + k];
      restoreForceState(p, state.subarray(at, at + n));
      at += n;
    });
  }
}
