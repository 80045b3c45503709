/**
 * The model type of either kind and the engines' entry check (checkModel), without the schema library: engines import
 * this file, so that a run on a model of the right shape loads no schemas (models.ts adds validateModel).
 */
import { ModelError } from "../errors.js";
import { checkNetworkModel, type NetworkModel } from "./networkModel.js";
import { checkParticlesModel, type ParticlesModel } from "./particlesModel.js";
import { describeValue } from "./raw.js";

/** Every model kind the engines understand. */
export type Model = NetworkModel | ParticlesModel;

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
