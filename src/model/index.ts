/**
 * Model description and validation: plain data (YAML or JSON) in, typed models out. Engines only ever see the
 * validated types defined here.
 */
import { ModelError } from "../errors.js";
import { parseModelText } from "./raw.js";
import { validateNetwork, type NetworkModel } from "./network.js";
import { validateParticles, type ParticlesModel } from "./particles.js";

export * from "./network.js";
export * from "./particles.js";
export { parseModelText, formatZodError, formatPath } from "./raw.js";

/** Every model kind the engines understand. */
export type Model = NetworkModel | ParticlesModel;

/** Validates parsed plain data into a typed model, dispatching on its `kind`. */
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
      throw new ModelError(`unknown kind '${String(kind)}' (one of: network, particles)`, source);
  }
}

/** Parses YAML/JSON text and validates it. */
export function loadModel(text: string, source?: string): Model {
  return validateModel(parseModelText(text, source), source);
}
