/**
 * Model description and validation: plain data (YAML or JSON) in, typed models out. Engines only ever see the
 * validated types defined here, and check them again at their entry points (checkModel), so a hand-built or
 * modified model is refused with a ModelError naming the field rather than giving a wrong answer.
 */
import { parseModelText } from "./modelText.js";
import { validateModel, type Model } from "./models.js";

export * from "./network.js";
export * from "./particles.js";
export * from "./limits.js";
export { formatZodError, formatPath, mappingEntries } from "./raw.js";
export { parseModelText } from "./modelText.js";
export { checkModel, validateModel, type Model } from "./models.js";

/**
 * Parses YAML/JSON text and validates it.
 *
 * @example
 * ```ts
 * import { loadModel, ModelError } from "ness";
 *
 * const model = loadModel("kind: network\nsites: 2\npinning: 1\nbaths: [{site: 1, friction: 1, temperature: 1}, {site: 2, friction: 1, temperature: 1}]");
 * console.log(model.kind); // => network
 * try {
 *   loadModel("kind: network\nsites: [a]\nbaths: [{site: b, friction: 1, temperature: 1}]", "bad.yaml");
 * } catch (err) {
 *   console.log(err instanceof ModelError); // => true: "bad.yaml: bath on b: unknown site 'b' ..."
 * }
 * ```
 */
export function loadModel(text: string, source?: string): Model {
  return validateModel(parseModelText(text, source), source);
}
