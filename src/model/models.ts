/**
 * Validation of parsed plain data into typed models (validateModel) and the engines' entry check (checkModel),
 * without the YAML parser: engines and studies import this file, so that a command that parses no text does not
 * load the yaml library (src/model/index.ts adds loadModel and the parser for the library's users).
 */
import { ModelError } from "../errors.js";
import { checkNetworkModel, validateNetwork, type NetworkModel } from "./network.js";
import { checkParticlesModel, validateParticles, type ParticlesModel } from "./particles.js";
import { describeValue } from "./raw.js";

/** Every model kind the engines understand. */
export type Model = NetworkModel | ParticlesModel;

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

/**
 * Checks a typed model of either kind (see checkNetworkModel, checkParticlesModel); `where` names the caller.
 *
 * @example
 * ```ts
 * import { checkModel, loadModel, ModelError } from "ness";
 *
 * const model = loadModel("kind: network\nsites: 1\npinning: 1\nbaths: [{site: 1, friction: 1, temperature: 1}]");
 * checkModel(model, "myFunction"); // passes
 * try {
 *   checkModel({ ...model, baths: [{ site: 0, friction: 1, temperature: -1 }] }, "myFunction");
 * } catch (err) {
 *   console.log(err instanceof ModelError); // => true: "myFunction: ... temperature must be > 0 ..."
 * }
 * ```
 */
export function checkModel(model: unknown, where: string): asserts model is Model {
  const kind = (model as { kind?: unknown } | null)?.kind;
  if (kind === "particles") checkParticlesModel(model, where);
  else if (kind === "network" || model === null || typeof model !== "object") checkNetworkModel(model, where);
  else
    throw new ModelError(
      `${where}: expected a model (from loadModel or validateModel) of kind network or particles, got kind ${describeValue(kind)}`,
    );
}
