/**
 * Checks of a figure's specification at its entry point (once per figure, never per mark): a missing or mistyped
 * field is a ModelError naming it, not a TypeError from deep inside the plotting code.
 */
import { ModelError } from "../errors.js";
import { describeValue } from "../model/raw.js";

/** The spec is an object and each of `lists` is an array (of objects when `objects` names it). */
export function checkSpec(spec: unknown, where: string, lists: string[], objects: string[] = []): void {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec))
    throw new ModelError(`${where}: expected a specification object, got ${describeValue(spec)}`);
  const s = spec as Record<string, unknown>;
  for (const key of lists) {
    const v = s[key];
    if (!Array.isArray(v)) throw new ModelError(`${where}: ${key} must be a list, got ${describeValue(v)}`);
    if (objects.includes(key)) {
      v.forEach((x, k) => {
        if (x === null || typeof x !== "object")
          throw new ModelError(`${where}: ${key}[${k}] must be an object, got ${describeValue(x)}`);
      });
    }
  }
}
