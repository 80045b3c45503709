/**
 * The contract between force fields (networks, external potentials, pair potentials) and the integrators:
 * a force field maps coordinates to forces -dU/dx, without allocating, so it can sit in a hot loop.
 */

export interface ForceField {
  /** Number of coordinates (degrees of freedom) it acts on. */
  readonly dof: number;
  /**
   * Writes the forces -dU/dx_k into `force` (length dof, overwritten) for coordinates `x`, and returns the potential
   * energy U(x). Must not allocate.
   */
  compute(x: Float64Array, force: Float64Array): number;
  /**
   * Largest curvature d^2U/dx^2 the dynamics can meet (an upper bound on the squared stiffest frequency times mass),
   * used by the time-step safety check; Infinity if unknown.
   */
  readonly maxCurvature: number;
  /** Called after the integrator moved x (e.g. to wrap into a periodic box or rebuild neighbour lists). */
  afterMove?(x: Float64Array): void;
}
