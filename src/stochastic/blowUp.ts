/**
 * The errors of a run that cannot go on (SimulationError) and of positions no cell sort can take (PositionBlowUp),
 * with the sorts' check (refusePositions). A module of their own: the cell sorts import it, and safety.ts (which
 * re-exports it) imports the force terms. Browser-safe.
 */
import { NessError } from "../errors.js";

/** A run that cannot go on: unstable time step, blow-up to non-finite numbers. */
export class SimulationError extends NessError {
  override name = "SimulationError";
}

/**
 * A particle's position that no cell sort can take: a coordinate along a periodic axis that is not finite, or so far
 * out (over FAR_BOX_LENGTHS box lengths) that wrapping it into the box keeps no precision (all such particles would
 * share a cell, and the pair search would take every pair of them: time and memory N^2). Thrown once per sort (the
 * check is one comparison per coordinate in the sort's pass); the run reports it with its replica and time.
 */
export class PositionBlowUp extends SimulationError {
  override name = "PositionBlowUp";
  constructor(
    readonly particle: number,
    readonly axis: number,
    readonly value: number,
  ) {
    super(`the simulation blew up: ${positionText(particle, axis, value)}`);
  }
  /** "particle 17's x coordinate is Infinity" (or "... is 1.20e+17, over 10^12 box lengths out of the box"). */
  get what(): string {
    return positionText(this.particle, this.axis, this.value);
  }
}

/** Positions along a periodic axis beyond this many box lengths are refused by the cell sorts (PositionBlowUp). */
export const FAR_BOX_LENGTHS = 1e12;

function positionText(particle: number, axis: number, value: number): string {
  const name = "xyz"[axis] ?? `${axis}`;
  return Number.isFinite(value)
    ? `particle ${particle}'s ${name} coordinate is ${value.toExponential(2)}, over 10^12 box lengths out of the box`
    : `particle ${particle}'s ${name} coordinate is ${value}`;
}

/**
 * Throws PositionBlowUp for the first coordinate of x (row-major N x d) along a periodic axis (box[k] finite) that is
 * not finite or lies over FAR_BOX_LENGTHS box lengths out; nothing if there is none. Called after a sort's pass found
 * one (the pass keeps only the largest |x / L|), so its cost is off the normal path.
 */
export function refusePositions(x: ArrayLike<number>, d: number, box: ArrayLike<number>): void {
  const N = Math.floor(x.length / d);
  for (let a = 0; a < N; a++)
    for (let k = 0; k < d; k++) {
      const L = box[k];
      if (!(L < Infinity)) continue;
      const v = x[a * d + k];
      if (!(Math.abs(v * (1 / L)) < FAR_BOX_LENGTHS)) throw new PositionBlowUp(a, k, v);
    }
}
