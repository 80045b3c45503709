/**
 * Running a study from a library: validate the parameters (one ModelError naming the parameter and its range),
 * then compute. `runStudy(harmonicConduction, { nMin: 16, nMax: 128 })`. Browser-safe.
 */
import type { z } from "zod";
import type { ComputeContext, Study } from "./contract.js";
import { validateParameters } from "./schema.js";
import { ModelError } from "../errors.js";

const describe = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "a list"
      : typeof v === "function"
        ? "a function"
        : typeof v === "object"
          ? `an object of another kind (${Object.prototype.toString.call(v).slice(8, -1)})`
          : `${typeof v} ${String(v).split("\n")[0]}`;

/** A plain object: made by `{}` or Object.create(null), not a Map, Date, array or class instance. */
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Validates `input` (defaults filled in) and runs the study; resolves to its results.
 *
 * @example
 * ```ts
 * import { ModelError, runStudy, varianceResonance } from "ness";
 *
 * const r = await runStudy(varianceResonance, { k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 });
 * if (r.kind === "point") console.log(r.covariance.sigma11.toFixed(3)); // => 5.938
 * try {
 *   await runStudy(varianceResonance, { k: 1, k0: 0.01, q: -1, T1: 1, T2: 11 });
 * } catch (err) {
 *   console.log(err instanceof ModelError); // => true: the parameter and its range are named
 * }
 * ```
 */
export async function runStudy<S extends z.ZodObject, R>(
  study: Study<S, R>,
  input: Partial<z.input<S>> = {},
  context: Partial<ComputeContext> = {},
): Promise<R> {
  if (study === null || typeof study !== "object" || typeof study.compute !== "function" || !study.parameters)
    throw new ModelError(
      `runStudy: expected a study (e.g. varianceResonance, or findStudy(name)), got ${describe(study)}`,
    );
  if (!isPlain(input))
    throw new ModelError(
      `runStudy: the parameters must be an object such as { k: 1, T1: 2 } (or nothing, for the defaults), got ${describe(input)}`,
    );
  if (!isPlain(context))
    throw new ModelError(`runStudy: the context must be an object such as { seed: 2 }, got ${describe(context)}`);
  const { parameters } = validateParameters(study, input as Record<string, unknown>);
  return study.compute(parameters, { seed: 1, quick: false, ...context });
}
