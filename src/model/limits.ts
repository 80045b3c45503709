/**
 * Ranges of the numbers a model may hold, shared by the validators of model files and the checks of hand-built
 * models. Every magnitude lies between VALUE_MIN and VALUE_MAX (zero where allowed): the engines multiply up to three
 * model numbers (the noise strength 2 gamma T, the squared frequency k / m, the variance T / kappa, the flux scale
 * gamma T / m) and square the results in norms and residuals, and all of that must stay inside double precision
 * (about 1e-308 .. 1e308). Any consistent set of units fits (SI included: kB T at 1 nK is 1.4e-32 J, an electron's
 * mass 9.1e-31 kg).
 */
import { hasControlCharacters, printable } from "../errors.js";
import { describeValue } from "./raw.js";

export const VALUE_MIN = 1e-50;
export const VALUE_MAX = 1e50;
/** Most sites a network model may have (the engines have lower limits of their own; docs/model-format.md). */
export const MAX_SITES = 100_000;
/**
 * Most particles a particle model may have. A simulation's memory grows linearly, about 1.3 kB per particle
 * (positions, forces, neighbour lists; measured 1.35 GB for a million soft disks): 0.7 GB at the limit.
 */
export const MAX_PARTICLES = 500_000;

/**
 * The largest model file read: 16 MiB, far above any hand-written network (a 2000-site chain is about 100 kB) or a
 * particle model listing 100 000 initial positions (a few MB), and small enough that parsing it stays well inside
 * the memory of a laptop (a YAML document takes several times its size in memory while parsed). The CLI and the lab
 * refuse larger files with the same words (modelFileSizeProblem).
 */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;

const mb = (bytes: number) => `${Number((bytes / 1024 / 1024).toPrecision(3))} MB`;

/**
 * Why a model file of `bytes` bytes is refused ("model file is 57.2 MB; the limit ..."), or undefined if it is not.
 * `sizeKnown` false: only "more than maxBytes" is known (a file read past the cap).
 */
export function modelFileSizeProblem(bytes: number, maxBytes = MAX_MODEL_BYTES, sizeKnown = true): string | undefined {
  if (bytes <= maxBytes) return undefined;
  const cap = `the limit for model files is ${mb(maxBytes)}`;
  if (!sizeKnown) return `model file is larger than ${mb(maxBytes)}; ${cap}`;
  return mb(bytes) === mb(maxBytes)
    ? `model file is ${bytes} bytes; ${cap} (${maxBytes} bytes)`
    : `model file is ${mb(bytes)}; ${cap}`;
}

export type ValueRule = "positive" | "nonnegative" | "real";

/**
 * What is wrong with a model number (e.g. "must be > 0, got -1"), or undefined when it is fine. "real" numbers
 * (coordinates, amplitudes, phases) are only bounded in magnitude: they add to others rather than multiply them.
 */
export function valueProblem(v: unknown, rule: ValueRule): string | undefined {
  if (typeof v !== "number") return `must be a number, got ${describeValue(v)}`;
  if (!Number.isFinite(v)) return `must be a finite number, got ${describeValue(v)}`;
  if (rule === "positive" && !(v > 0)) return `must be > 0, got ${v}`;
  if (rule === "nonnegative" && v < 0) return `must be >= 0, got ${v}`;
  const a = Math.abs(v);
  if (rule === "real") return a > VALUE_MAX ? `must lie in -1e50 .. 1e50 (rescale the units), got ${v}` : undefined;
  if (a > VALUE_MAX || (a < VALUE_MIN && a !== 0)) {
    return `must lie in ${rule === "nonnegative" ? "0 or 1e-50 .. 1e50" : "1e-50 .. 1e50"} (rescale the units), got ${v}`;
  }
  return undefined;
}

/** Why a name (site or species) cannot be used, or undefined. */
export function nameProblem(name: string): string | undefined {
  if (hasControlCharacters(name))
    return `'${printable(name)}' holds a control character (names are printed in tables and messages)`;
  return undefined;
}
