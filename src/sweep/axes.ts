/**
 * Sweep axes and how they combine into points: ranges `start:stop:count` (evenly spaced, both ends included), log
 * ranges (evenly spaced in log), lists; the product of the axes, their zip (entry by entry), or a Latin hypercube
 * of `samples` points with its own seed (each axis cut into `samples` strata, one point per stratum, uniformly
 * placed inside it; same seed, same points). Browser-safe; log ranges use the portable exp/log, so Node and a browser
 * make the same points to the bit.
 */
import { SweepError } from "../errors.js";
import { doubleRangeFault } from "../model/options.js";
import { exp, log as ln } from "../special/elementary.js";
import { Rng } from "../stochastic/rng.js";

/** Most points in one sweep (the list of points is held in memory). */
export const MAX_POINTS = 10_000_000;

export interface Axis {
  /** Field path in the base (e.g. baths[0].temperature). */
  path: string;
  /** Column name in the results (default: the path). */
  name: string;
  /** The values (product, zip); for a Latin hypercube only the bounds matter. */
  values: number[];
  /** Bounds and scale (ranges and log ranges; a list's smallest and largest value, linear). */
  lo: number;
  hi: number;
  log: boolean;
}

export type Combine = "product" | "zip" | "latin";

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Parses `start:stop:count` (count may be left out for a Latin hypercube: `start:stop`). */
export function parseRange(
  text: string,
  where: string,
  log: boolean,
  needCount: boolean,
): { lo: number; hi: number; values: number[] } {
  const parts = text.split(":");
  const form = log ? "start:stop:count with 0 < start, stop (e.g. 0.1:10:21)" : "start:stop:count (e.g. 0:2:21)";
  if (parts.length !== 3 && !(parts.length === 2 && !needCount))
    throw new SweepError(`${where}: expected ${form}, got '${text}'`);
  const [a, b] = parts.slice(0, 2).map((p) => (NUMBER.test(p) ? Number(p) : NaN));
  for (const p of parts.slice(0, 2)) {
    const fault = doubleRangeFault(p, Number(p));
    if (fault !== undefined) throw new SweepError(`${where}: ${fault}`);
  }
  if (!Number.isFinite(a) || !Number.isFinite(b))
    throw new SweepError(`${where}: start and stop must be finite numbers, got '${text}'`);
  if (log && !(a > 0 && b > 0)) throw new SweepError(`${where}: a log range needs start and stop > 0, got '${text}'`);
  let count = 0;
  if (parts.length === 3) {
    count = NUMBER.test(parts[2]) ? Number(parts[2]) : NaN;
    if (!Number.isInteger(count) || count < 1)
      throw new SweepError(`${where}: count must be a whole number >= 1, got '${parts[2].trim()}'`);
    if (count > MAX_POINTS) throw new SweepError(`${where}: count ${count} is above the limit of ${MAX_POINTS} points`);
    if (count === 1 && a !== b) throw new SweepError(`${where}: count 1 needs start = stop (one value), got '${text}'`);
  }
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : i / (count - 1);
    values.push(i === 0 ? a : i === count - 1 ? b : log ? exp(ln(a) + t * (ln(b) - ln(a))) : a + t * (b - a));
  }
  return { lo: Math.min(a, b), hi: Math.max(a, b), values };
}

/** Number of points of a combination (checked against MAX_POINTS). */
export function pointCount(axes: Axis[], combine: Combine, samples: number | undefined): number {
  if (combine === "latin") return samples ?? 0;
  if (combine === "zip") return axes[0]?.values.length ?? 0;
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/**
 * The points, one row of axis values per point (row-major, `axes.length` values per row): product in row-major order
 * (the last axis varies fastest), zip entry by entry, or a Latin hypercube.
 */
export function points(axes: Axis[], combine: Combine, samples = 0, seed = 0): Float64Array {
  const d = axes.length;
  const n = pointCount(axes, combine, samples);
  const out = new Float64Array(n * d);
  if (combine === "zip") {
    for (let p = 0; p < n; p++) for (let k = 0; k < d; k++) out[p * d + k] = axes[k].values[p];
  } else if (combine === "product") {
    const idx = new Array<number>(d).fill(0);
    for (let p = 0; p < n; p++) {
      for (let k = 0; k < d; k++) out[p * d + k] = axes[k].values[idx[k]];
      for (let k = d - 1; k >= 0; k--) {
        if (++idx[k] < axes[k].values.length) break;
        idx[k] = 0;
      }
    }
  } else {
    const rng = Rng.stream(seed, 0, 0x5eeb);
    const u = () => rng.nextUint32() / 4294967296;
    for (let k = 0; k < d; k++) {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(u() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const { lo, hi, log } = axes[k];
      for (let p = 0; p < n; p++) {
        const t = (perm[p] + u()) / n;
        out[p * d + k] = log ? exp(ln(lo) + t * (ln(hi) - ln(lo))) : lo + t * (hi - lo);
      }
    }
  }
  return out;
}
