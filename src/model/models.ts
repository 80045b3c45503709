/**
 * Validation of parsed plain data into typed models (validateModel), with the engines' entry check (checkModel,
 * modelCheck.ts) re-exported, without the YAML parser: studies import this file, so that a command that parses no
 * text does not load the yaml library (src/model/index.ts adds loadModel and the parser for the library's users).
 * Engines import modelCheck.ts instead, which loads no schema library either.
 */
import { ModelError } from "../errors.js";
import type { Model } from "./modelCheck.js";
import { validateNetwork } from "./network.js";
import { validateParticles } from "./particles.js";
import { describeValue } from "./raw.js";

export { checkModel, type Model } from "./modelCheck.js";

/**
 * Validates parsed plain data into a typed model, dispatching on its `kind`.
 *
 * @example
 * ```ts
 * import { validateModel } from "ness";
 *
 * const model = validateModel({ kind: "particles", dimension: 1, box: 4, species: [{ name: "hot", count: 2, temperature: 1 }] });
 * console.log(model.kind); // => particles
 * ```
 */
export function validateModel(raw: unknown, source?: string): Model {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ModelError("expected a mapping with a 'kind' field (e.g. kind: network)", source);
  }
  const kind = (raw as { kind?: unknown }).kind;
  switch (kind) {
    case "network":
      return validateNetwork(raw, source);
    case "particles":
      return validateParticles(raw, source);
    case undefined:
      throw new ModelError("missing field 'kind' (one of: network, particles)", source);
    default:
      throw new ModelError(
        `unknown kind ${typeof kind === "string" ? `'${kind}'` : describeValue(kind)} (one of: network, particles)`,
        source,
      );
  }
}
