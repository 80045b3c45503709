/**
 * Gaussian streams for the energy-SDE simulation, taken from the stochastic engine (src/stochastic/rng.ts:
 * xoshiro128** with a ziggurat sampler): one independent stream per (seed, replica), so results do not depend on how
 * replicas are scheduled. The small `NormalStream` interface lets callers pass other streams.
 */
import { Rng } from "../../stochastic/rng.js";

/** A stream of independent standard normal numbers. */
export interface NormalStream {
  /** Overwrites out with standard normal numbers. */
  fillNormal(out: Float64Array): void;
}

/** Makes the stream of replica `stream` for a given seed (same arguments, same numbers). */
export type NormalStreamFactory = (seed: number, stream: number) => NormalStream;

/** The stochastic engine's streams: Rng.stream(seed, replica). */
export const engineNormalStreams: NormalStreamFactory = (seed, stream) => {
  const rng = Rng.stream(seed, stream);
  return { fillNormal: (out) => rng.fillNormal(out, 0, out.length) };
};
